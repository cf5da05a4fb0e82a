#!/usr/bin/env node
/**
 * Where the time goes, per stage, record by record (development aid for the benchmark notes):
 *   npm run build && node bench/stages.mjs <patients.ndjson> [records] [--criteria file] [--as-of date] [--depth d] [--per-criterion]
 * Two passes over the first `records` lines (default 20,000); the second, warm pass is printed:
 * decoding (JSON.parse and the duplicate-key check), record checks (normalise + index), evaluation, the NDJSON
 * reporter's line, UTF-8 encoding. `--per-criterion` also times each criterion's evaluation.
 * --depth: how a patient line is serialized — `default` (report@2, the ndjson reporter), `details`
 * (report@2 with --details) or `@1` (the report@1 line: the whole result object, for comparison), or `lean`: a
 * smaller default line elig does not write, measured for the notes only — the criteria that passed or do not apply
 * keep their reasons' code, status and text, without evidence (observed, threshold, derivation); the copy without
 * evidence is made outside the timed stages.
 * --fastest N: N passes instead of two; the records are timed in chunks of 100 and each chunk keeps, per
 * stage, its fastest pass (preemption by other work only ever adds time: steadier on a shared machine).
 * Defaults: the seed trial (criteria/nct06691152.yaml) as of 2026-11-25, depth default.
 */
import { readFileSync } from 'node:fs';
import { loadCriteria, compileCriteria, normaliseRecord, evaluateView, parseJsonRecord, REPORTERS } from '../dist/index.js';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv.splice(i, 2)[1] : def;
};
const perCriterion = argv.includes('--per-criterion');
const criteriaFile = opt('criteria', new URL('../criteria/nct06691152.yaml', import.meta.url).pathname);
const asOf = opt('as-of', '2026-11-25');
const depth = opt('depth', 'default');
const fastest = Number(opt('fastest', '0'));
if (!Number.isInteger(fastest) || fastest < 0) throw new Error(`--fastest: a number of passes, got ${fastest}`);
if (!['default', 'details', '@1', 'lean'].includes(depth)) throw new Error(`--depth: default, details, @1 or lean, got ${depth}`);
const [file, maxArg] = argv.filter((a) => !a.startsWith('--'));
const max = Number(maxArg ?? 20_000);
const lines = readFileSync(file, 'utf8').split('\n', max + 1).filter(Boolean).slice(0, max);
const loaded = loadCriteria(criteriaFile, readFileSync(criteriaFile, 'utf8'));
if (!loaded.criteria) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
const c = compileCriteria(loaded.criteria);
const ndjson = REPORTERS.ndjson({ color: false, width: 80, details: depth === 'details', summary: false, fit: false, criteria: c.criteria.map((x) => ({ id: x.id, kind: x.kind, text: x.text })), meta: {} });
const serialize = depth === '@1' ? (result) => JSON.stringify({ type: 'patient', ...result }) : (result) => ndjson.patient(result);
// --depth lean: the result without the evidence of the criteria that passed or do not apply
const leanReason = (r) => ({ code: r.code, status: r.status, text: r.text });
const lean = (result) => ({ ...result, criteria: result.criteria.map((k) => (k.status === 'pass' || k.status === 'not_applicable' ? { ...k, reasons: k.reasons.map(leanReason) } : k)) });
const out = Buffer.allocUnsafe(16 * 1024 * 1024);
const stages = ['decode', 'record checks', 'evaluate', 'NDJSON line', 'UTF-8 encode'];
const t = new Float64Array(stages.length);
const tc = new Float64Array(c.criteria.length);
// per criterion: each criterion's evaluate wrapped with a timer (the --per-criterion pass only)
const timedCriteria = c.criteria.map((k, i) => ({ ...k, evaluate: (ctx) => { const a = performance.now(); const r = k.evaluate(ctx); tc[i] += performance.now() - a; return r; } }));
let bytes = 0;
const passes = fastest > 0 ? fastest : 2;
const CHUNK = 100;
// --fastest: per chunk of records and stage, the fastest pass's time
const best = new Float64Array(Math.ceil(lines.length / CHUNK) * stages.length).fill(Infinity);
const chunkT = new Float64Array(stages.length);
const keepFastest = (k) => {
  for (let s = 0; s < stages.length; s++) best[k * stages.length + s] = Math.min(best[k * stages.length + s], t[s] - chunkT[s]);
  chunkT.set(t);
};
for (let pass = 0; pass < passes; pass++) {
  t.fill(0);
  tc.fill(0);
  chunkT.fill(0);
  bytes = 0;
  const compiled = perCriterion && pass === 1 ? { ...c, criteria: timedCriteria } : c;
  for (let i = 0; i < lines.length; i++) {
    const source = { file, record: i + 1 };
    let a = performance.now();
    const parsed = parseJsonRecord(lines[i]);
    let b = performance.now();
    t[0] += b - a;
    const view = normaliseRecord(parsed.value, source).view;
    a = performance.now();
    t[1] += a - b;
    let result = evaluateView(compiled, view, asOf, source);
    b = performance.now();
    t[2] += b - a;
    if (depth === 'lean') {
      result = lean(result);
      b = performance.now();
    }
    const line = serialize(result);
    a = performance.now();
    t[3] += a - b;
    bytes += out.write(line, 0, 'utf8');
    t[4] += performance.now() - a;
    if (fastest > 0 && ((i + 1) % CHUNK === 0 || i === lines.length - 1)) keepFastest(Math.floor(i / CHUNK));
  }
}
if (fastest > 0) {
  t.fill(0);
  for (let j = 0; j < best.length; j++) t[j % stages.length] += best[j];
}
for (let k = 0; k < stages.length; k++) console.log(stages[k].padEnd(16), `${((t[k] / lines.length) * 1000).toFixed(1).padStart(7)} µs/record`);
console.log(`${lines.length} records, ${Math.round(bytes / lines.length)} bytes per report line (${depth})${fastest > 0 ? `, fastest of ${fastest} passes per chunk of ${CHUNK}` : ''}`);
if (perCriterion) {
  console.log('per criterion (evaluate, µs/record):');
  c.criteria.forEach((k, i) => console.log(`  ${k.id.padEnd(28)} ${((tc[i] / lines.length) * 1000).toFixed(1).padStart(7)}`));
}
