#!/usr/bin/env node
/**
 * Where the time goes, per stage, record by record (development aid for the benchmark notes):
 *   npm run build && node bench/stages.mjs bench/out/patients-100k.ndjson [records] [depth]
 * Two passes over the first `records` lines (default 20,000); the second, warm pass is printed.
 * depth: how a patient line is serialized — `default` (report@2, the ndjson reporter), `details`
 * (report@2 with --details) or `@1` (the report@1 line: the whole result object, for comparison).
 */
import { readFileSync } from 'node:fs';
import { loadCriteria, compileCriteria, normaliseRecord, evaluateView, REPORTERS } from '../dist/index.js';

const file = process.argv[2];
const max = Number(process.argv[3] ?? 20_000);
const depth = process.argv[4] ?? 'default';
if (!['default', 'details', '@1'].includes(depth)) throw new Error(`depth: default, details or @1, got ${depth}`);
const lines = readFileSync(file, 'utf8').split('\n', max + 1).filter(Boolean).slice(0, max);
const c = compileCriteria(loadCriteria('c', readFileSync(new URL('../criteria/nct06691152.yaml', import.meta.url), 'utf8')).criteria);
const ndjson = REPORTERS.ndjson({ criteria: c.criteria.map((x) => ({ id: x.id, kind: x.kind, text: x.text })), details: depth === 'details', summary: false });
const serialize = depth === '@1' ? (result) => JSON.stringify({ type: 'patient', ...result }) : (result) => ndjson.patient(result);
const out = Buffer.allocUnsafe(16 * 1024 * 1024);
const stages = ['JSON.parse', 'record checks', 'evaluate', 'JSON.stringify', 'UTF-8 encode'];
const t = new Float64Array(stages.length);
let bytes = 0;
for (let pass = 0; pass < 2; pass++) {
  t.fill(0);
  bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const source = { file, record: i + 1 };
    let a = performance.now();
    const raw = JSON.parse(lines[i]);
    let b = performance.now();
    t[0] += b - a;
    const view = normaliseRecord(raw, source).view;
    a = performance.now();
    t[1] += a - b;
    const result = evaluateView(c, view, '2026-11-25', source);
    b = performance.now();
    t[2] += b - a;
    const line = serialize(result);
    a = performance.now();
    t[3] += a - b;
    bytes += out.write(line, 0, 'utf8');
    t[4] += performance.now() - a;
  }
}
for (let k = 0; k < stages.length; k++) console.log(stages[k].padEnd(15), `${((t[k] / lines.length) * 1000).toFixed(1)} µs/record`);
console.log(`${lines.length} records, ${Math.round(bytes / lines.length)} bytes per report line (${depth})`);
