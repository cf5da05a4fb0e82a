/**
 * change: a measurement's change from a baseline value to the newest value in the window
 * (docs/language.md, Change over time), at its boundaries: relative and absolute, each baseline,
 * units converted, tri-state, explain wording and located load errors.
 */
import { describe, expect, it } from 'vitest';
import { explainCriteria, loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';

const cr = (value: number, date: string, unit = 'umol/L') => ({ code: 'creatinine', value, unit, date });
const rec = (...measurements: unknown[]) => ({ measurements });

describe('change: relative and absolute bounds (asOf 2026-11-25)', () => {
  it.each([
    // [rule, values, status]
    ['{ change: creatinine, above: 20 %, within: 6 mo }', [cr(50, '2026-06-01'), cr(61, '2026-11-01')], 'pass'], // +22 %
    ['{ change: creatinine, above: 20 %, within: 6 mo }', [cr(50, '2026-06-01'), cr(60, '2026-11-01')], 'fail'], // +20 %: not more than
    ['{ change: creatinine, min: 20 %, within: 6 mo }', [cr(50, '2026-06-01'), cr(60, '2026-11-01')], 'pass'], // ≥ 20 %
    ['{ change: creatinine, above: 20 %, within: 6 mo }', [cr(60, '2026-06-01'), cr(50, '2026-11-01')], 'fail'], // a fall
    ['{ change: creatinine, max: -15 %, within: 6 mo }', [cr(60, '2026-06-01'), cr(50, '2026-11-01')], 'pass'], // −16.7 %
    // units converted: 0.6 mg/dL = 53.04 µmol/L (creatinine 113.12 g/mol); 0.75 mg/dL is +25 %
    ['{ change: creatinine, above: 20 %, within: 6 mo }', [cr(0.6, '2026-06-01', 'mg/dL'), cr(66.3, '2026-11-01')], 'pass'],
    // absolute, in the bound's unit: 0.6 → 0.9 mg/dL is +0.3 mg/dL
    ['{ change: creatinine, min: 0.3 mg/dL, within: 6 mo }', [cr(0.6, '2026-06-01', 'mg/dL'), cr(0.9, '2026-11-01', 'mg/dL')], 'pass'],
    ['{ change: creatinine, min: 0.3 mg/dL, within: 6 mo }', [cr(0.6, '2026-06-01', 'mg/dL'), cr(0.89, '2026-11-01', 'mg/dL')], 'fail'],
    ['{ change: creatinine, min: 26.5 umol/L, within: 6 mo }', [cr(0.6, '2026-06-01', 'mg/dL'), cr(80, '2026-11-01')], 'pass'], // 53.04 → 80
    // window: the baseline must lie in it (2026-05-25 is the first day of 6 months before asOf)
    ['{ change: creatinine, above: 20 %, within: 6 mo }', [cr(50, '2026-05-25'), cr(61, '2026-11-01')], 'pass'],
    ['{ change: creatinine, above: 20 %, within: 6 mo }', [cr(50, '2026-05-24'), cr(61, '2026-11-01')], 'unknown'], // only one value inside
  ])('%s with %j → %s', (rule, values, want) => {
    expect(statusOf(oneRule(rule), rec(...values))).toBe(want);
  });
});

describe('change: which baseline', () => {
  // 50 (Jun) → 40 (Aug) → 49 (Nov): from the earliest −2 %, from the lowest +22.5 %
  const values = [cr(50, '2026-06-01'), cr(40, '2026-08-01'), cr(49, '2026-11-01')];
  it.each([
    ['{ change: creatinine, above: 20 %, within: 6 mo }', 'fail'],
    ['{ change: creatinine, above: 20 %, within: 6 mo, baseline: earliest }', 'fail'],
    ['{ change: creatinine, above: 20 %, within: 6 mo, baseline: lowest }', 'pass'],
    ['{ change: creatinine, max: -20 %, within: 6 mo, baseline: highest }', 'fail'], // 50 → 49
    ['{ change: creatinine, max: -2 %, within: 6 mo, baseline: highest }', 'pass'], // exactly −2 %
  ])('%s → %s', (rule, want) => {
    expect(statusOf(oneRule(rule), rec(...values))).toBe(want);
  });

  const A = 'anchors:\n  transplant: { procedure: kidney-transplant }\n';
  const tx = { procedures: [{ code: 'snomed:70536003', name: 'kidney transplant', date: '2025-06-10' }] };
  it.each([
    // the value at the transplant: the newest within 30 days up to it (before the rule's window)
    [[cr(100, '2025-05-01'), cr(80, '2025-06-01'), cr(97, '2026-11-01')], 'pass'], // 80 → 97: +21 %
    [[cr(100, '2025-05-01'), cr(97, '2026-11-01')], 'unknown'], // nothing within 30 days before it
    [[cr(80, '2025-06-01'), cr(90, '2025-06-11'), cr(97, '2026-11-01')], 'pass'], // a value after the transplant is not the baseline
    [[cr(80, '2025-06-10'), cr(96, '2026-11-01')], 'fail'], // on the anchor's day: +20 %, not more
  ])('baseline at the transplant, %j → %s', (values2, want) => {
    expect(statusOf(oneRule('{ change: creatinine, above: 20 %, baseline: { anchor: transplant, within: 30 d } }', A), { ...tx, ...rec(...values2) })).toBe(want);
  });

  it('an anchor that cannot be dated is unknown, naming it', () => {
    const r = check(oneRule('{ change: creatinine, above: 20 %, baseline: { anchor: transplant, within: 30 d } }', A), { procedures: [], ...rec(cr(80, '2025-06-01'), cr(97, '2026-11-01')) });
    expect(r.criteria[0]!.status).toBe('unknown');
    expect(r.criteria[0]!.missing?.[0]?.item).toBe('anchor:transplant');
  });

  it('a rule anchor moves the window: the newest value on or before the anchor', () => {
    const B = 'anchors:\n  consent: { attestation: informed-consent }\n';
    const r = { attestations: [{ code: 'informed-consent', date: '2026-10-01' }], ...rec(cr(50, '2026-06-01'), cr(61, '2026-09-01'), cr(50, '2026-11-01')) };
    expect(statusOf(oneRule('{ change: creatinine, above: 20 %, within: 6 mo, anchor: consent }', B), r)).toBe('pass');
    expect(statusOf(oneRule('{ change: creatinine, above: 20 %, within: 6 mo }', B), r)).toBe('fail');
  });
});

describe('change: tri-state', () => {
  it.each([
    // fewer than two usable values on different days
    [[], 'unknown'],
    [[cr(50, '2026-11-01')], 'unknown'],
    [[cr(50, '2026-11-01'), cr(70, '2026-11-01')], 'unknown'], // one day
    // a value that cannot be used where it could be chosen
    [[cr(50, '2026-06-01'), cr(61, '2026-11-01'), { code: 'creatinine', value: 70, date: '2026-11-10' }], 'unknown'], // no unit, newest
    [[{ code: 'creatinine', value: 40, date: '2026-06-01' }, cr(50, '2026-07-01'), cr(61, '2026-11-01')], 'unknown'], // could be the earliest
    [[cr(50, '2026-06-01'), { code: 'creatinine', value: 40, date: '2026-07-01' }, cr(61, '2026-11-01')], 'pass'], // between: not the earliest
    [[cr(50, '2026-06-01'), cr(61, '2026-11-01'), { code: 'creatinine', value: 55, unit: 'umol/L' }], 'unknown'], // undated: could be anywhere
    [[cr(50, '2026-06-01'), cr(61, '2026-11-01'), cr(90, '2026-12-01')], 'pass'], // after asOf: not read
  ])('%j → %s', (values, want) => {
    expect(statusOf(oneRule('{ change: creatinine, above: 20 %, within: 6 mo }'), rec(...values))).toBe(want);
  });

  it('unknown names two values in missing, and the reason says why', () => {
    const r = check(oneRule('{ change: creatinine, above: 20 %, within: 6 mo }'), rec(cr(50, '2026-11-01')));
    expect(r.criteria[0]!.missing).toEqual([{ item: 'measurement:creatinine', description: 'two creatinine values on different days within 6 months' }]);
    expect(r.criteria[0]!.reasons[0]!.text).toContain('change cannot be measured: only one day with a creatinine value within 6 months (2026-11-01)');
  });

  it('the reason shows baseline and newest value with dates and sources', () => {
    const r = check(oneRule('{ change: creatinine, above: 20 %, within: 6 mo, baseline: lowest }'), rec(cr(50, '2026-06-01'), cr(40, '2026-08-01'), cr(49, '2026-11-01')));
    const texts = r.criteria[0]!.reasons.map((x) => x.text);
    expect(texts[0]).toBe('creatinine changed from 40 umol/L on 2026-08-01 (baseline: the lowest value before it in the window) to 49 umol/L on 2026-11-01: +22.5 % > 20 % (2026-11-01, measurements[2])');
    expect(texts[1]).toBe('creatinine baseline 40 umol/L on 2026-08-01 (2026-08-01, measurements[1])');
  });
});

const load = (rule: string, extra = '') => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\n${extra}inclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`);

describe('change: explain and load errors', () => {
  it.each([
    ['{ change: creatinine, above: 20 %, within: 6 mo }', 'creatinine changed by more than 20 % (relative: 100 × change ÷ baseline): the newest value within the last 6 months compared with the earliest value in the window'],
    ['{ change: creatinine, min: 0.3 mg/dL, within: 6 mo, baseline: lowest }', 'creatinine changed by at least 0.3 mg/dL: the newest value within the last 6 months compared with the lowest earlier value in the window'],
  ])('explain %s', (rule, words) => {
    expect(JSON.stringify(explainCriteria(load(rule).criteria!.doc))).toContain(words);
  });

  const line = 7;
  it.each([
    // [rule, code, column]
    ['{ change: creatinin, above: 20 % }', 'criteria/unknown-code', 21],
    ['{ change: ana, above: 20 % }', 'criteria/invalid-value', 21],
    ['{ change: creatinine, within: 6 mo }', 'criteria/missing-key', 11],
    ['{ change: creatinine, above: 3 x ULN }', 'criteria/invalid-threshold', 40],
    ['{ change: creatinine, above: 20 kg }', 'criteria/incompatible-unit', 40],
    ['{ change: lvef, min: 10 % }', 'criteria/invalid-value', 32],
    ['{ change: creatinine, above: 0.3 mg/dL, relative: true }', 'criteria/incompatible-unit', 40],
    ['{ change: creatinine, above: 20 %, baseline: { anchor: tx, within: 30 d } }', 'criteria/unknown-anchor', 66],
    ['{ change: creatinine, above: 20 %, baseline: first }', 'criteria/invalid-value', 56],
    ['{ change: creatinine, above: 20 %, within: 6 months ago }', 'criteria/invalid-value', 54],
  ])('%s → %s', (rule, code, column) => {
    const r = load(rule);
    expect(r.criteria).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect([d!.location?.line, d!.location?.column]).toEqual([line, column]);
  });

  it('lvef in % with relative: false compares percentage points', () => {
    const c = oneRule('{ change: lvef, max: -10 %, relative: false, within: 12 mo }');
    const lv = (value: number, date: string) => ({ code: 'lvef', value, unit: '%', date });
    expect(statusOf(c, rec(lv(55, '2026-01-10'), lv(45, '2026-11-01')))).toBe('pass'); // −10 points
    expect(statusOf(c, rec(lv(55, '2026-01-10'), lv(46, '2026-11-01')))).toBe('fail');
  });
});
