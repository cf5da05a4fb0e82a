/**
 * Issue 11: the property-based suite. fast-check generates hostile records (prototype names, control
 * characters, huge and deep values, non-objects), hostile CSV headers and cells, broken bytes (cut,
 * spliced, invalid UTF-8, gzip and corrupted gzip) and hostile criteria, and asserts:
 *   - no crash and no stack trace; the exit code is 0, 1 or 2;
 *   - every input record exactly once, in input order, with a unique stable id (file#record when the
 *     record has none) — for well-formed containers exactly, for broken bytes never duplicated and
 *     always in order;
 *   - the machine formats (json, ndjson, csv) parse back;
 *   - identical results with --jobs 1 and --jobs 4 (through the built CLI, in batches of inputs).
 * CI runs a fixed seed and a bounded count; `npm run fuzz -- --count 100000` runs a long campaign
 * (FUZZ_COUNT, FUZZ_SEED; the figures are printed at the end).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify as yamlStringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { compileCriteria, evaluateRecord, loadCriteria } from '../../src/index.js';
import { memIo } from '../helpers.js';

const COUNT = Number(process.env.FUZZ_COUNT ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const LONG = COUNT > 1000;
const TIMEOUT = LONG ? 24 * 3600 * 1000 : 120_000;
const CRITERIA = 'criteria/nct06691152.yaml';
const ROOT = new URL('../..', import.meta.url).pathname;
const figures = { inputs: 0, recordsIn: 0, recordsOut: 0, crashes: 0, started: Date.now() };

const PROTO = [...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype'];
const CONTROL = ['\u001b[2J', '\u001b]8;;http://x\u0007', '\r', '\n', '\u0000', '\u0007', '\u2028', '\u202e', '\t', '"', "'", ',', '\\', '\uFEFF', '\uD800'];

/** Strings a hostile record would carry. */
const hostileString = fc.oneof(
  fc.constantFrom(...PROTO),
  fc.constantFrom(...CONTROL),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.tuple(fc.constantFrom(...PROTO, ...CONTROL), fc.string({ maxLength: 5 })).map(([a, b]) => `${a}${b}`),
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '1e308', 'NaN', '-0', '1 mg/dL', `1 ${'x'.repeat(50)}`, 'mg/dL', 'toString'),
  fc.integer({ min: 1, max: 3 }).map((k) => 'y'.repeat(k * 4000)),
);

const deep = (d: number): unknown => (d === 0 ? 'bottom' : { a: [deep(d - 1)] });
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 50, max: 400 }).map(deep),
  fc.array(hostileString, { maxLength: 4 }),
  fc.record({ value: fc.oneof(fc.double(), hostileString), unit: hostileString }),
);

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A record: known fields with hostile values and unknown (prototype-named) keys; `id` set by the caller. */
const hostileObject = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('sex', 'birthDate', 'age', ...PROTO, 'x\u001bkey', 'deceasedDate'), hostileValue), { maxLength: 4 }),
    fc.array(fc.record({ code: fc.oneof(hostileString, fc.constantFrom('creatinine', 'ast', 'egfr', 'weight', 'hcg')), value: hostileValue, unit: hostileString, date: fc.oneof(hostileString, fc.constant('2026-11-20')) }), { maxLength: 3 }),
    fc.array(fc.record({ name: hostileString, dose: hostileValue, start: hostileString }), { maxLength: 2 }),
    fc.array(fc.record({ code: hostileString, present: fc.oneof(fc.boolean(), hostileValue) }), { maxLength: 2 }),
  )
  .map(([fields, measurements, medications, findings]) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of fields) setOwn(o, k, v);
    if (measurements.length) o.measurements = measurements;
    if (medications.length) o.medications = medications;
    if (findings.length) o.findings = findings;
    return o;
  });

/** One generated record: an object (with our id, or none), or something that is not a record at all. */
type Gen = { kind: 'object'; value: Record<string, unknown>; withId: boolean } | { kind: 'other'; value: unknown };
const genRecord: fc.Arbitrary<Gen> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(hostileObject, fc.boolean()).map(([value, withId]) => ({ kind: 'object' as const, value, withId })) },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), hostileString.filter((s) => s.trim() !== ''), fc.array(fc.integer(), { maxLength: 2 })).map((value) => ({ kind: 'other' as const, value })) },
);

type Format = 'json' | 'ndjson' | 'yaml';

/** The text of records in one format, and the ids the report must show, in order. */
function serialise(format: Format, file: string, gens: Gen[], prefix = ''): { text: string; ids: string[] } {
  const ids: string[] = [];
  const values = gens.map((g, i) => {
    if (g.kind === 'other') {
      ids.push(`${file}#${i + 1}`);
      return g.value;
    }
    const v = { ...g.value };
    if (g.withId) setOwn(v, 'id', `${prefix}R${i + 1}`);
    else delete v.id;
    ids.push(g.withId ? `${prefix}R${i + 1}` : `${file}#${i + 1}`);
    return v;
  });
  if (format === 'json') return { text: JSON.stringify(values, null, values.length % 2 ? 2 : undefined), ids };
  if (format === 'ndjson') return { text: `${values.map((v) => JSON.stringify(v)).join('\n')}\n`, ids };
  return { text: values.length ? yamlStringify(values, { lineWidth: 0 }) : '[]\n', ids };
}

interface Report {
  patients: { id: string; verdict: string; source: { file: string; record?: number } }[];
}

async function check(files: Record<string, string>, args: string[], format = 'json') {
  const io = memIo({ files });
  let code: number;
  try {
    code = await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', format, '--fail-on', 'none', '--jobs', '1', ...args], io);
  } catch (e) {
    figures.crashes++;
    throw e;
  }
  const err = io.err();
  if (/internal error|\n\s+at .*:\d+:\d+/.test(err)) figures.crashes++;
  expect(err).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
  expect([0, 1, 2]).toContain(code);
  return { code, out: io.out(), err };
}

function parseBack(format: string, out: string): Report['patients'] {
  if (format === 'json') return (JSON.parse(out) as Report).patients;
  if (format === 'ndjson') {
    const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
    return lines.filter((l) => l.type === 'patient') as unknown as Report['patients'];
  }
  const rows = parseCsv(out, { bom: true, relax_column_count: false }) as string[][];
  const header = rows[0]!;
  const idCol = header.indexOf('patient_id') >= 0 ? header.indexOf('patient_id') : header.indexOf('id');
  const seen: string[] = [];
  for (const r of rows.slice(1)) if (seen[seen.length - 1] !== r[idCol]) seen.push(r[idCol]!);
  return seen.map((id) => ({ id, verdict: '', source: { file: '' } }));
}

function progress(inputs: number, recordsIn: number, recordsOut: number): void {
  const before = figures.inputs;
  figures.inputs += inputs;
  figures.recordsIn += recordsIn;
  figures.recordsOut += recordsOut;
  if (LONG && Math.floor(before / 250) !== Math.floor(figures.inputs / 250)) {
    process.stderr.write(`fuzz: ${figures.inputs} inputs, ${figures.recordsIn} records in, ${figures.recordsOut} out, ${figures.crashes} crashes, ${((Date.now() - figures.started) / 1000).toFixed(0)} s\n`);
  }
}

afterAll(() => {
  if (LONG || process.env.FUZZ_REPORT) {
    const s = ((Date.now() - figures.started) / 1000).toFixed(1);
    process.stdout.write(`\nfuzz campaign (seed ${SEED}, count ${COUNT}): ${figures.inputs} inputs, ${figures.recordsIn} records in, ${figures.recordsOut} records out, ${figures.crashes} crashes, ${s} s\n`);
  }
});

describe('property: hostile records in well-formed JSON, NDJSON, YAML and CSV', () => {
  // a run checks a batch of inputs in one call (the criteria are loaded once per call); in a long
  // campaign the batches are larger, and COUNT counts generated inputs, not calls
  const BATCH = LONG ? 16 : 3;
  it('every record exactly once, in order, with its id; no crash; the report parses back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom<Format>('json', 'ndjson', 'yaml'), fc.array(genRecord, { maxLength: 6 })), { minLength: 1, maxLength: BATCH }), fc.constantFrom('json', 'ndjson', 'csv'), async (inputs, out) => {
        const files: Record<string, string> = {};
        const expected: string[] = [];
        inputs.forEach(([format, gens], i) => {
          const file = `p${i}.${format}`;
          const { text, ids } = serialise(format, file, gens, `F${i}.`);
          files[file] = text;
          expected.push(...ids);
        });
        const r = await check(files, Object.keys(files), out);
        const patients = parseBack(out, r.out);
        progress(inputs.length, expected.length, patients.length);
        expect(patients.map((p) => p.id), `${out} ${r.code} ${r.err.slice(0, 400)}`).toEqual(expected);
      }),
      { seed: SEED, numRuns: LONG ? Math.ceil(COUNT / ((BATCH + 1) / 2)) : COUNT, endOnFailure: true },
    );
  }, TIMEOUT);

  const header = fc.oneof(fc.constantFrom(...PROTO, 'sex', 'birthDate', 'creatinine', 'measurement:ast', 'finding:x', 'medication:prednisone', 'date', ''), hostileString)
    .filter((h) => !['id', 'patient_id', 'patientid', 'mrn'].includes(h.trim().toLowerCase()) && !h.includes('\uFEFF'));
  it('CSV with hostile headers and cells: one result per row, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(header, { maxLength: 5 }), fc.array(fc.array(hostileString, { minLength: 5, maxLength: 5 }), { maxLength: 5 }), async (headers, rows) => {
        const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
        const lines = [['id', ...headers].map(q).join(','), ...rows.map((cells, i) => [`R${i + 1}`, ...cells.slice(0, headers.length)].map(q).join(','))];
        const r = await check({ 'p.csv': `${lines.join('\r\n')}\n` }, ['p.csv']);
        const patients = parseBack('json', r.out);
        progress(1, rows.length, patients.length);
        expect(patients.map((p) => p.source.record)).toEqual(rows.map((_, i) => i + 1));
        // a row is its id, or an error named by its place (its duplicated cells disagree)
        patients.forEach((p, i) => expect([`R${i + 1}`, `p.csv#${i + 1}`], `${JSON.stringify(lines.slice(0, 2)).slice(0, 300)} ${r.err.slice(0, 300)}`).toContain(p.id));
      }),
      { seed: SEED, numRuns: LONG ? Math.ceil(COUNT / 10) : Math.max(10, Math.floor(COUNT / 2)), endOnFailure: true },
    );
  }, TIMEOUT);
});

describe('property: broken bytes never crash, duplicate or reorder records', () => {
  it('cut, spliced, invalid UTF-8, gzip and corrupted gzip, in every format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Format>('json', 'ndjson', 'yaml'),
        fc.array(genRecord, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 6 }), fc.nat({ max: 8 })), { maxLength: 3 }),
        fc.constantFrom('plain', 'gzip', 'gzip-cut', 'gzip-garbage', 'stdin'),
        async (format, gens, edits, wrap) => {
          let bytes = Buffer.from(serialise(format, `p.${format}`, gens).text);
          for (const [at, insert, del] of edits) {
            const p = bytes.length ? at % bytes.length : 0;
            bytes = Buffer.concat([bytes.subarray(0, p), Buffer.from(insert), bytes.subarray(p + del)]);
          }
          const tmp = mkdtempSync(join(tmpdir(), 'elig-fuzz-'));
          try {
            let file = join(tmp, `p.${format}`);
            if (wrap.startsWith('gzip')) {
              let gz = gzipSync(bytes);
              if (wrap === 'gzip-cut') gz = gz.subarray(0, Math.max(2, gz.length - 1 - (edits.length * 7) % gz.length));
              if (wrap === 'gzip-garbage') gz = Buffer.concat([gz, Buffer.from('garbage')]);
              file += '.gz';
              writeFileSync(file, gz);
            } else writeFileSync(file, bytes);
            const r = wrap === 'stdin'
              ? await (async () => {
                const io = memIo({ stdin: bytes.toString('latin1') });
                const code = await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', '-'], io);
                expect(io.err()).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
                return { code, out: io.out() };
              })()
              : await check({}, [file]);
            const patients = parseBack('json', r.out);
            progress(1, gens.length, patients.length);
            // in order and never twice (a record may be lost to a cut, never duplicated); a file-level
            // error result (no record number: the place where reading stopped, e.g. text after the JSON
            // value) comes after every numbered record of the file, never before or between them
            const recs = patients.map((p) => p.source.record);
            const numbered = recs.filter((n): n is number => n !== undefined);
            expect(numbered).toEqual([...numbered].sort((a, b) => a - b));
            expect(new Set(numbered).size).toBe(numbered.length);
            const firstFileLevel = recs.indexOf(undefined);
            if (firstFileLevel >= 0) expect(recs.slice(firstFileLevel).every((n) => n === undefined), JSON.stringify(recs)).toBe(true);
          } finally {
            rmSync(tmp, { recursive: true, force: true });
          }
        },
      ),
      { seed: SEED, numRuns: LONG ? Math.ceil(COUNT / 10) : COUNT, endOnFailure: true },
    );
  }, TIMEOUT);
});

describe('property: hostile criteria', () => {
  const value = fc.oneof(hostileString, fc.integer(), fc.double(), fc.constant(null), fc.array(hostileString, { maxLength: 2 }));
  const rule: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ fact: fc.constantFrom('age', 'sex', ...PROTO), min: value }),
      fc.record({ measurement: fc.oneof(fc.constantFrom('creatinine', 'ast', 'egfr', ...PROTO), hostileString), max: value, within: value }),
      fc.record({ medication: fc.oneof(fc.constantFrom('prednisone', 'glucocorticoid', ...PROTO), hostileString), for: value }),
      fc.record({ ref: fc.constantFrom('d', ...PROTO) }),
      fc.record({ score: fc.constantFrom('sledai-2k', ...PROTO), min: value }),
      fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
      fc.record({ not: tie('rule') }),
      fc.dictionary(fc.constantFrom(...PROTO, 'finding', 'attestation'), value, { maxKeys: 2 }),
    ),
  })).rule as fc.Arbitrary<Record<string, unknown>>;

  it('load never throws; what loads compiles and evaluates a record without throwing', () => {
    fc.assert(
      fc.property(rule, rule, fc.constantFrom(...PROTO, 'd'), (r, def, defName) => {
        const doc = { schema: 'elig/criteria@1', id: 't', version: '1.0.0', definitions: { [defName]: def }, inclusion: [{ id: 'c', text: 't', rule: r }] };
        const text = yamlStringify(doc);
        const loaded = loadCriteria('c.yaml', text);
        progress(1, 0, 0);
        if (!loaded.criteria) {
          expect(loaded.diagnostics.length).toBeGreaterThan(0);
          return;
        }
        const compiled = compileCriteria(loaded.criteria);
        const result = evaluateRecord(compiled, { id: 'A', birthDate: '2000-01-01', measurements: [{ code: 'creatinine', value: 1, unit: 'mg/dL', date: '2026-11-20' }] }, '2026-11-25', { file: 'p', record: 1 });
        expect(['eligible', 'ineligible', 'indeterminate', 'error']).toContain(result.verdict);
      }),
      { seed: SEED, numRuns: LONG ? Math.ceil(COUNT / 5) : COUNT * 2 },
    );
  }, TIMEOUT);
});

describe.runIf(existsSync(join(ROOT, 'dist/bundle/elig.js')))('property: --jobs 1 and --jobs 4 give identical reports (built CLI)', () => {
  it('the same inputs, one and four threads', () => {
    const batches = LONG ? 20 : Math.max(2, Math.ceil(COUNT / 200));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom<Format>('json', 'ndjson', 'yaml'), fc.array(genRecord, { maxLength: 40 })), { minLength: 1, maxLength: 6 }), (inputs) => {
        const tmp = mkdtempSync(join(tmpdir(), 'elig-jobs-'));
        try {
          const files = inputs.map(([format, gens], i) => {
            const f = join(tmp, `in${i}.${format}`);
            writeFileSync(f, serialise(format, f, gens).text);
            return f;
          });
          const run = (jobs: string) => spawnSync(process.execPath, [join(ROOT, 'bin/elig.js'), 'check', '-c', join(ROOT, CRITERIA), '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', '--jobs', jobs, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
          const one = run('1');
          const four = run('4');
          expect(one.stderr).not.toMatch(/internal error|\n\s+at /);
          expect(four.status).toBe(one.status);
          expect(four.stdout).toBe(one.stdout);
          progress(files.length, inputs.reduce((n, [, g]) => n + g.length, 0), one.stdout.split('\n').filter((l) => l.includes('"type":"patient"')).length);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: batches },
    );
  }, TIMEOUT);
});
