#!/usr/bin/env node
/**
 * The evaluation stage alone, for CPU profiles and instruction counts (development aid):
 *   npm run build && node bench/evaluate.mjs <patients.ndjson> [records] [passes] [--criteria file] [--as-of date]
 * Every record is decoded and normalised first; then `passes` passes evaluate every record
 * (`evaluateView`), without timers in the loop. Prints the fastest warm pass's CPU time per record.
 * Under valgrind, the difference between two pass counts is the evaluation's instruction count:
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null node bench/evaluate.mjs <file> 500 3   (minus the same with 1)
 * Defaults: the seed trial (criteria/nct06691152.yaml) as of 2026-11-25, 3,000 records, 5 passes.
 */
import { readFileSync } from 'node:fs';
import { loadCriteria, compileCriteria, normaliseRecord, evaluateView, parseJsonRecord } from '../dist/index.js';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv.splice(i, 2)[1] : def;
};
const criteriaFile = opt('criteria', new URL('../criteria/nct06691152.yaml', import.meta.url).pathname);
const asOf = opt('as-of', '2026-11-25');
const [file, nArg, pArg] = argv.filter((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: node bench/evaluate.mjs <patients.ndjson> [records] [passes] [--criteria file] [--as-of date]');
const n = Number(nArg ?? 3000);
const passes = Number(pArg ?? 5);
const lines = readFileSync(file, 'utf8').split('\n', n + 1).filter(Boolean).slice(0, n);
const loaded = loadCriteria(criteriaFile, readFileSync(criteriaFile, 'utf8'));
if (!loaded.criteria) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
const compiled = compileCriteria(loaded.criteria);
const views = lines.map((l, i) => normaliseRecord(parseJsonRecord(l).value, { file, record: i + 1 }).view);
let best = Infinity;
let criteria = 0;
for (let p = 0; p < passes; p++) {
  const a = process.cpuUsage();
  for (let i = 0; i < views.length; i++) criteria += evaluateView(compiled, views[i], asOf, { file, record: i + 1 }).criteria.length;
  const u = process.cpuUsage(a);
  if (p > 0) best = Math.min(best, (u.user + u.system) / views.length);
}
console.log(`evaluation: ${passes > 1 ? `${best.toFixed(1)} µs CPU per record (fastest of ${passes - 1} warm passes)` : 'one (cold) pass'}, ${views.length} records, ${criteria} criterion results`);
