import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';

const egfr = (date: string, value: number | string) => ({ code: 'egfr', value, unit: 'mL/min/{1.73_m2}', date });
const upcr = (date: string, value: number) => ({ code: 'upcr', value, unit: 'mg/g', date });

describe('count: values matching a rule, spaced', () => {
  const c = oneRule('{ count: { measurement: egfr, below: 60 }, atLeast: 2, apart: 90 d, within: 12 mo }');
  it.each([
    [[egfr('2026-01-01', 50), egfr('2026-04-01', 55)], 'pass'], // exactly 90 days apart
    [[egfr('2026-01-01', 50), egfr('2026-03-31', 55)], 'fail'], // 89 days
    [[egfr('2026-01-01', 50), egfr('2026-02-01', 50), egfr('2026-04-02', 40)], 'pass'], // the first and third
    [[egfr('2026-01-01', 50), egfr('2026-06-01', 65)], 'fail'],
    [[egfr('2025-11-24', 50), egfr('2026-06-01', 50)], 'fail'], // the first is outside the window
    [[egfr('2025-11-25', 50), egfr('2026-06-01', 50)], 'pass'], // the first day of the window
    [[egfr('2026-01-01', 50), egfr('2026-06-01', 'see note')], 'unknown'], // the second cannot be read
    [[egfr('2026-01-01', 50), { code: 'egfr', value: 40, unit: 'mL/min/{1.73_m2}' }], 'unknown'], // undated
    [[], 'unknown'], // no values at all
  ])('%j → %s', (measurements, want) => {
    expect(statusOf(c, { measurements })).toBe(want);
  });
  it('the reason lists the counted values with dates and sources', () => {
    const r = check(c, { measurements: [egfr('2026-01-01', 50), egfr('2026-04-01', 55)] });
    expect(r.criteria[0]!.reasons[0]!.text).toBe('2 eGFR (within 12 months, at least 90 days apart): 2026-01-01 50 mL/min/{1.73_m2}; 2026-04-01 55 mL/min/{1.73_m2}; at least 2 required');
    expect(r.criteria[0]!.reasons.slice(1).map((x) => x.observed?.source)).toEqual(['measurements[0]', 'measurements[1]']);
  });
});

describe('count: consecutive', () => {
  const c = oneRule('{ count: { measurement: upcr, min: 500 mg/g }, atLeast: 2, consecutive: true, within: 6 mo }');
  it.each([
    [[upcr('2026-09-01', 600), upcr('2026-10-01', 700)], 'pass'],
    [[upcr('2026-09-01', 600), upcr('2026-10-01', 300), upcr('2026-11-01', 700)], 'fail'], // not successive
    [[upcr('2026-08-01', 600), upcr('2026-09-01', 600), upcr('2026-10-01', 300)], 'pass'], // the first two
    [[upcr('2026-09-01', 600), { code: 'upcr', value: 5, unit: 'kg', date: '2026-10-01' }, upcr('2026-11-01', 700)], 'unknown'], // the middle cannot be compared
  ])('%j → %s', (measurements, want) => {
    expect(statusOf(c, { measurements })).toBe(want);
  });
  it('consecutive with apart: successive counted values that far apart', () => {
    const d = oneRule('{ count: { measurement: upcr, min: 500 mg/g }, atLeast: 2, consecutive: true, apart: 4 wk }');
    expect(statusOf(d, { measurements: [upcr('2026-09-01', 600), upcr('2026-09-29', 700)] })).toBe('pass');
    expect(statusOf(d, { measurements: [upcr('2026-09-01', 600), upcr('2026-09-28', 700)] })).toBe('fail');
  });
});

describe('count: events (conditions, procedures, findings)', () => {
  const flares = oneRule('{ count: { condition: sle }, atLeast: 2, within: 12 mo }');
  it.each([
    [[{ code: 'sle', onset: '2026-01-01' }, { code: 'sle', onset: '2026-06-01' }], 'pass'],
    [[{ code: 'sle', onset: '2024-01-01' }, { code: 'sle', onset: '2026-06-01' }], 'fail'],
    [[{ code: 'sle' }, { code: 'sle', onset: '2026-06-01' }], 'unknown'], // an undated entry may be in the window
    [[], 'fail'],
    [undefined, 'unknown'],
  ])('flares %j → %s', (conditions, want) => {
    expect(statusOf(flares, conditions === undefined ? {} : { conditions })).toBe(want);
  });
  const adm = oneRule('{ count: { procedure: hospital-admission }, atLeast: 2 }');
  it.each([
    [[{ code: 'hospitalisation', date: '2020-01-01' }, { code: 'snomed:32485007', date: '2026-01-01' }], 'pass'],
    [[{ code: 'hospitalisation', date: '2020-01-01' }], 'fail'],
    [undefined, 'unknown'],
  ])('hospitalisations %j → %s', (procedures, want) => {
    expect(statusOf(adm, procedures === undefined ? {} : { procedures })).toBe(want);
  });
  it('findings recorded present', () => {
    const f = oneRule('{ count: { finding: seizure }, atLeast: 2, within: 3 mo }');
    expect(statusOf(f, { findings: [{ code: 'seizure', date: '2026-10-01' }, { code: 'seizure', date: '2026-11-01' }] })).toBe('pass');
    expect(statusOf(f, { findings: [{ code: 'seizure', date: '2026-10-01' }, { code: 'seizure', date: '2026-11-01', present: false }] })).toBe('fail');
  });
});

describe('count: load-time errors', () => {
  const load = (rule: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;
  it.each([
    ['{ count: { measurment: egfr, below: 60 }, atLeast: 2 }', 'criteria/invalid-value', 'did you mean "measurement"?'],
    ['{ count: { measurement: egfr, below: 60, within: 12 mo }, atLeast: 2 }', 'criteria/invalid-value', undefined],
    ['{ count: { measurement: egfr }, atLeast: 2 }', 'criteria/invalid-value', undefined],
    ['{ count: { condition: sle }, atLeast: 2, consecutive: true }', 'criteria/invalid-value', undefined],
    ['{ count: { condition: sle }, atLeast: 2, apart: 3 moons }', 'criteria/invalid-duration', undefined],
    ['{ count: { condition: slee }, atLeast: 2 }', 'criteria/unknown-code', 'did you mean "sle"?'],
    ['{ count: { condition: sle } }', 'criteria/missing-key', undefined],
  ])('%s → %s', (rule, code, hint) => {
    const d = load(rule);
    const hit = d.find((x) => x.code === code);
    expect(hit, JSON.stringify(d)).toBeDefined();
    expect(hit!.location?.line).toBe(7);
    if (hint) expect(hit!.hint).toBe(hint);
  });
});
