// Where the time goes, per stage, on an NDJSON file (development aid for the benchmark notes).
import { readFileSync } from 'node:fs';
import { loadCriteria, compileCriteria, normaliseRecord, evaluateView } from '../dist/index.js';
const file = process.argv[2];
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const c = compileCriteria(loadCriteria('c', readFileSync('criteria/nct06691152.yaml', 'utf8')).criteria);
const t = (label, f) => { const t0 = performance.now(); const r = f(); console.log(label.padEnd(14), `${((performance.now() - t0) / lines.length * 1000).toFixed(1)} µs/record`); return r; };
const raws = t('JSON.parse', () => lines.map((l) => JSON.parse(l)));
const views = t('normalise', () => raws.map((r, i) => normaliseRecord(r, { file, record: i + 1 }).view));
const results = t('evaluate', () => views.map((v) => evaluateView(c, v, '2026-11-25', { file, record: 1 })));
t('stringify', () => results.map((r) => JSON.stringify(r)));
