/**
 * One definition per combination of the medication options (docs/language.md, Medications), each
 * checked at its boundary: what `current`, `within` and `for` mean alone and together, with merged
 * courses and added doses.
 */
import { describe, expect, it } from 'vitest';
import { explainCriteria, loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';

const pred = (start: string, end: string | undefined, status: string, dose = '20 mg') => ({ name: 'prednisone', dose, perDay: 1, start, ...(end ? { end } : {}), status });
const weight = { measurements: [{ code: 'weight', value: 60, unit: 'kg', date: '2026-06-01' }] };

describe('medication: each combination of within, for, current (asOf 2026-11-25)', () => {
  it.each([
    // [rule, courses, status, what it shows]
    ['{ medication: prednisone }', [pred('2020-01-01', '2020-02-01', 'completed')], 'pass'], // ever
    ['{ medication: prednisone, within: 4 wk }', [pred('2026-01-01', '2026-10-28', 'completed')], 'pass'], // overlaps the window (first day 10-28)
    ['{ medication: prednisone, within: 4 wk }', [pred('2026-01-01', '2026-10-27', 'completed')], 'fail'],
    ['{ medication: prednisone, current: true }', [pred('2026-01-01', undefined, 'active')], 'pass'],
    ['{ medication: prednisone, current: true }', [pred('2026-01-01', '2026-11-24', 'completed')], 'fail'],
    ['{ medication: prednisone, current: true }', [pred('2026-01-01', undefined, 'stopped')], 'fail'], // stopped: not current, whenever
    // for: one continuous run, adjacent courses merged
    ['{ medication: prednisone, for: 5 mo }', [pred('2026-06-01', '2026-08-31', 'completed'), pred('2026-09-01', '2026-10-31', 'completed')], 'pass'],
    // for + current: the run on asOf, adjacent earlier courses merged into it (was: only the current course counted)
    ['{ medication: prednisone, for: 5 mo, current: true }', [pred('2026-06-01', '2026-08-31', 'completed'), pred('2026-09-01', undefined, 'active')], 'pass'],
    ['{ medication: prednisone, for: 5 mo, current: true }', [pred('2026-06-01', '2026-08-30', 'completed'), pred('2026-09-01', undefined, 'active')], 'fail'], // a one-day gap
    ['{ medication: prednisone, for: 3 mo, current: true }', [pred('2026-01-01', '2026-10-31', 'completed'), pred('2026-11-10', undefined, 'active')], 'fail'], // a long past course, a short current one
    // for + within: the continuous exposure must lie inside the window (was: a course overlapping it)
    ['{ medication: prednisone, for: 3 mo, within: 2 mo }', [pred('2026-01-01', '2026-10-31', 'completed')], 'fail'],
    ['{ medication: prednisone, for: 4 wk, within: 2 mo }', [pred('2026-01-01', '2026-10-31', 'completed')], 'pass'], // 09-25 → 10-31 inside
    ['{ medication: prednisone, for: 6 wk, within: 2 mo }', [pred('2026-01-01', '2026-10-31', 'completed')], 'fail'], // only 5 weeks inside
    ['{ medication: prednisone, for: 1 mo, within: 3 mo, current: true }', [pred('2026-10-01', undefined, 'active')], 'pass'],
    ['{ medication: prednisone, for: 1 mo, within: 3 mo, current: true }', [pred('2026-09-01', '2026-10-15', 'completed')], 'fail'],
  ])('%s with %j → %s', (rule, medications, want) => {
    expect(statusOf(oneRule(rule), { medications })).toBe(want);
  });

  it.each([
    // current + dose: concurrent courses add up on asOf, a course ending on asOf included (was: only the current course's dose)
    [[pred('2026-11-01', undefined, 'active', '30 mg'), pred('2026-10-01', '2026-11-25', 'completed', '10 mg')], 'pass'],
    [[pred('2026-11-01', undefined, 'active', '30 mg'), pred('2026-10-01', '2026-11-24', 'completed', '10 mg')], 'fail'], // 30 mg today
  ])('current + dose ≥ 0.6 mg/kg/d (60 kg): %j → %s', (medications, want) => {
    expect(statusOf(oneRule('{ medication: prednisone, dose: { min: 0.6 mg/kg/d }, current: true }'), { ...weight, medications })).toBe(want);
  });

  it.each([
    // for + current + dose: the run at the summed dose must reach asOf
    [[pred('2026-08-01', undefined, 'active', '30 mg'), pred('2026-08-01', '2026-11-24', 'completed', '10 mg')], 'fail'], // 40 mg until yesterday, 30 mg today
    [[pred('2026-08-01', undefined, 'active', '30 mg'), pred('2026-08-01', undefined, 'active', '10 mg')], 'pass'],
  ])('for 3 mo + current + dose ≥ 0.6 mg/kg/d: %j → %s', (medications, want) => {
    expect(statusOf(oneRule('{ medication: prednisone, dose: { min: 0.6 mg/kg/d }, for: 3 mo, current: true }'), { ...weight, medications })).toBe(want);
  });

  it('a stopped course without an end date leaves for + within unknown', () => {
    expect(statusOf(oneRule('{ medication: prednisone, for: 4 wk, within: 3 mo }'), { medications: [pred('2026-10-01', undefined, 'stopped')] })).toBe('unknown');
  });

  it('the reason says which exposure was measured', () => {
    const r = check(oneRule('{ medication: prednisone, for: 4 wk, within: 2 mo }'), { medications: [pred('2026-01-01', '2026-10-31', 'completed')] });
    expect(r.criteria[0]!.reasons[0]!.text).toBe('prednisone: longest qualifying continuous course inside the window (from 2026-09-25) 2026-09-25 → 2026-10-31; meets 4 weeks');
  });

  it.each([
    ['{ medication: prednisone, for: 4 wk, within: 2 mo }', 'for at least 4 weeks without interruption (overlapping or adjacent courses merged), lying inside within the last 2 months'],
    ['{ medication: prednisone, for: 4 wk, current: true }', 'continuing at the screening date'],
    ['{ medication: prednisone, within: 2 mo, current: true }', 'at some time within the last 2 months and still taking it at the screening date'],
    ['{ medication: prednisone, dose: { min: 10 mg/d }, current: true }', 'still taking it at the screening date (the doses of concurrent courses added)'],
  ])('explain %s says what the code does', (rule, words) => {
    const loaded = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`);
    const x = explainCriteria(loaded.criteria!.doc);
    expect(JSON.stringify(x)).toContain(words);
  });
});
