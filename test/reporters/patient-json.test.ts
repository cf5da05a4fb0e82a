/**
 * The report@2 patient writer (src/reporters/patient-json.ts) must write exactly what JSON.stringify
 * writes for the report objects of report-json.ts: the NDJSON line `{ type: 'patient', ...patientReport }`
 * and the JSON document's patient (`JSON.stringify(patientReport, null, 2)`, indented by 4).
 * fast-check generates results of the engine's shape with adversarial content (unicode, quotes,
 * control characters, lone surrogates, -0, NaN, huge and tiny numbers, empty lists, missing and
 * undefined optional fields, frozen reasons shared by several patients; evidence, thresholds,
 * sources, missing items and diagnostics with their fields in any order and with fields the model
 * does not name), so the two cannot drift apart. The patient, criterion, reason and derivation are
 * generated with their fields in the engine's order: the writer writes those by name (patient-json.ts;
 * a field added to their types does not compile until it is written).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { PatientResult } from '../../src/model.js';
import { compileCriteria, evaluateRecord, loadCriteria } from '../../src/index.js';
import { jsonString, patientJsonWriter } from '../../src/reporters/patient-json.js';
import { patientReport } from '../../src/reporters/report-json.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_COUNT ?? 300);

/** The reference: what the reporters wrote with JSON.stringify of the report objects. */
const referenceLine = (p: PatientResult, details: boolean): string => JSON.stringify({ type: 'patient', ...patientReport(p, details) });
const referenceDocument = (p: PatientResult, details: boolean): string =>
  JSON.stringify(patientReport(p, details), null, 2).split('\n').map((l) => `    ${l}`).join('\n');

const PIECES = ['"', '\\', '\u0000', '\u001f', '\n', '\r', '\t', '\b', '\f', '\u007f', '\u2028', '\u2029', '\ud800', '\udfff', '\udbff\udc00', '😀', '≥', '→', '×', 'é', '\ufeff', '</script>', '{"a":1}', ''];
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), { maxLength: 6 }).map((a) => a.join('')),
);
const number = fc.oneof(
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 1e-7, 123e-20, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 64, 0.1 + 0.2, -1.5),
  fc.integer(),
  fc.double(),
);
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));
/** Optional fields: absent, present, or present and undefined (JSON.stringify leaves it out). */
const optional = <T,>(a: fc.Arbitrary<T>) => fc.oneof(fc.constant('absent' as const), fc.constant(undefined), a);
/** An object of these fields in a generated order, absent fields left out. */
const shaped = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(fields).chain((o) => fc.shuffledSubarray(Object.keys(o), { minLength: Object.keys(o).length }).map((order) => {
    const out: Record<string, unknown> = {};
    for (const k of order) if (o[k] !== 'absent') out[k] = o[k];
    return out;
  }));
/** A field the model does not name (another domain's evidence): arrays with holes and undefined, nested objects, a Date (toJSON). */
const extra = fc.oneof(scalar, fc.array(fc.oneof(scalar, fc.constant(undefined)), { maxLength: 3 }), fc.dictionary(text, scalar, { maxKeys: 3 }), fc.date({ noInvalidDate: true }), fc.constant(() => 1));
const evidence = shaped({ item: text, value: scalar, unit: optional(text), date: optional(text), source: optional(text), note: optional(extra) });
const threshold = shaped({ op: fc.constantFrom('>=', '>', '<=', '<', '=', '!='), value: fc.oneof(number, text, fc.boolean()), unit: optional(text), ulnFactor: optional(number), llnFactor: optional(number) });
const derivation = fc.record({ calculator: text, method: text, inputs: fc.array(evidence, { maxLength: 3 }) });
const status = fc.constantFrom('pass', 'fail', 'unknown', 'not_applicable');
const reasonArb = fc.record({
  code: fc.oneof(fc.constantFrom('medication', 'medication-course', 'compare', 'score', 'exclusion'), text),
  status,
  text,
  observed: optional(evidence),
  threshold: optional(threshold),
  derivation: optional(derivation),
  bounds: optional(fc.record({ lower: number, upper: number })),
}).map((r) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== 'absent') out[k] = v;
  return out;
});
/** Compile-time reasons and missing lists are frozen and shared by every patient (engine/reasons.ts fixedReason). */
const SHARED = [
  Object.freeze({ code: 'exclusion', status: 'pass', text: 'exclusion criterion not met' }),
  Object.freeze({ code: 'score-bounds', status: 'unknown', text: 'bounds "8–105"', bounds: Object.freeze({ lower: 8, upper: 105 }) }),
  Object.freeze({ code: 'medication-course', status: 'fail', text: 'a course\u0000' }),
];
const SHARED_MISSING = Object.freeze([Object.freeze({ item: 'attestation:consent', description: 'signed "consent"' })]);
const reason = fc.oneof({ weight: 4, arbitrary: reasonArb }, { weight: 1, arbitrary: fc.constantFrom(...SHARED) });
const missingItem = shaped({ item: text, description: text });
const criterion = fc.record({
  id: text,
  kind: fc.constantFrom('inclusion', 'exclusion'),
  status,
  text,
  reasons: fc.array(reason, { maxLength: 6 }),
  missing: optional(fc.oneof(fc.array(missingItem, { maxLength: 3 }), fc.constant(SHARED_MISSING))),
}).map((c) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (v !== 'absent') out[k] = v;
  return out;
});
const patient = fc.record({
  id: text,
  source: shaped({ file: text, record: optional(number), line: optional(number) }),
  verdict: fc.constantFrom('eligible', 'ineligible', 'indeterminate', 'error'),
  criteria: fc.array(criterion, { maxLength: 5 }),
  diagnostics: optional(fc.array(shaped({ code: text, severity: fc.constantFrom('error', 'warning'), message: text, location: optional(shaped({ record: number, path: optional(text) })) }), { maxLength: 2 })),
  unmapped: optional(fc.array(shaped({ domain: text, code: text, name: optional(text), source: text, count: optional(number) }), { maxLength: 2 })),
}).map((p) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== 'absent') out[k] = v;
  return out;
}) as unknown as fc.Arbitrary<PatientResult>;

describe('patient JSON writer = JSON.stringify of the report objects', () => {
  // one writer per depth and layout for the whole run, as a reporter keeps it: the frozen reasons' cache is exercised across patients
  const writers = {
    line: [patientJsonWriter(false), patientJsonWriter(true)],
    document: [patientJsonWriter(false, 4), patientJsonWriter(true, 4)],
  };

  it('on generated adversarial results, both depths, NDJSON line and JSON document', () => {
    fc.assert(fc.property(patient, (p) => {
      for (const details of [false, true]) {
        expect(writers.line[+details]!(p)).toBe(referenceLine(p, details));
        expect(`    ${writers.document[+details]!(p)}`).toBe(referenceDocument(p, details));
      }
    }), { seed: SEED, numRuns: RUNS });
  });

  it.each<[string, PatientResult]>([
    ['no criteria', { id: '', source: { file: 'f' }, verdict: 'error', criteria: [] }],
    ['a criterion with no reasons and an empty missing list', { id: 'p', source: { file: 'f', record: 1 }, verdict: 'indeterminate', criteria: [{ id: 'c', kind: 'inclusion', status: 'unknown', text: 't', reasons: [], missing: [] }] }],
    ['numbers JSON.stringify writes its own way', { id: 'p', source: { file: 'f', record: -0 }, verdict: 'eligible', criteria: [{ id: 'c', kind: 'inclusion', status: 'pass', text: 't', reasons: [{ code: 'compare', status: 'pass', text: 'x', observed: { item: 'x', value: 1e21 }, threshold: { op: '>=', value: 1e-7, ulnFactor: NaN, llnFactor: -Infinity } }] }] }],
    ['a lone surrogate, a pair, control characters and quotes', { id: '\ud800"\\', source: { file: '😀\u0000\u001f\u2028' }, verdict: 'eligible', criteria: [{ id: 'c\udc00', kind: 'inclusion', status: 'pass', text: 't', reasons: [{ code: 'x\n', status: 'pass', text: '\udbff\udfff\t' }] }] }],
    // undefined where the types say absent (exactOptionalPropertyTypes): what a JavaScript caller may still hand over
    ['undefined optional fields are left out', { id: 'p', source: { file: 'f', record: undefined }, verdict: 'eligible', criteria: [{ id: 'c', kind: 'inclusion', status: 'pass', text: 't', reasons: [{ code: 'x', status: 'pass', text: 'y', observed: undefined, threshold: { op: '>=', value: 1, unit: undefined } }], missing: undefined }], diagnostics: undefined } as unknown as PatientResult],
  ])('%s', (_name, p) => {
    for (const details of [false, true]) {
      expect(patientJsonWriter(details)(p)).toBe(referenceLine(p, details));
      expect(`    ${patientJsonWriter(details, 4)(p)}`).toBe(referenceDocument(p, details));
    }
  });

  it('a frozen reason shared by patients is written once per writer, at the writer\'s depth', () => {
    const shared = SHARED[1] as never;
    const p = (id: string): PatientResult => ({ id, source: { file: 'f' }, verdict: 'indeterminate', criteria: [{ id: 'c', kind: 'inclusion', status: 'unknown', text: 't', reasons: [shared] }] });
    const byDefault = patientJsonWriter(false);
    const withDetails = patientJsonWriter(true);
    for (const id of ['a', 'b']) {
      expect(byDefault(p(id))).toBe(referenceLine(p(id), false));
      expect(byDefault(p(id))).not.toContain('"bounds":');
      expect(withDetails(p(id))).toBe(referenceLine(p(id), true));
      expect(withDetails(p(id))).toContain('"bounds":{"lower":8,"upper":105}');
    }
  });

  it('on the seed trial\'s results for every sample patient (fixtures/patients)', () => {
    const file = 'criteria/nct06691152.yaml';
    const compiled = compileCriteria(loadCriteria(file, readFileSync(file, 'utf8')).criteria!);
    const records = readdirSync('fixtures/patients').filter((f) => /\.(json|ya?ml)$/.test(f)).map((f) => `fixtures/patients/${f}`);
    expect(records.length).toBeGreaterThan(10);
    for (const f of records) {
      const text = readFileSync(f, 'utf8');
      const result = evaluateRecord(compiled, f.endsWith('.json') ? JSON.parse(text) : parseYaml(text), '2026-11-25', { file: f, record: 1 });
      for (const details of [false, true]) {
        expect(patientJsonWriter(details)(result)).toBe(referenceLine(result, details));
        expect(`    ${patientJsonWriter(details, 4)(result)}`).toBe(referenceDocument(result, details));
      }
    }
  });
});

describe('jsonString', () => {
  it.each(['', 'plain', 'eGFR ≥ 30 mL/min/{1.73_m2}', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00x', '\ud83d\ude00', 'a\ud83d', '\ude00a'])('%j as JSON.stringify writes it', (s) => {
    expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});
