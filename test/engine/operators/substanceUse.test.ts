/** substanceUse: tobacco and other substance use (as of 2026-11-25): rules at their boundaries, located load errors. */
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';

const loadErrors = (rule: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;

describe('substanceUse', () => {
  const within = '{ substanceUse: tobacco, within: 3 mo }';
  it.each([
    [within, [{ substance: 'tobacco', status: 'current', date: '2025-01-01' }], 'pass'], // the newest status: still smoking
    [within, [{ substance: 'smoking', status: 'former', end: '2026-08-25', date: '2026-11-01' }], 'pass'], // quit on the window's first day
    [within, [{ substance: 'tobacco', status: 'former', end: '2026-08-24', date: '2026-11-01' }], 'fail'], // quit the day before
    [within, [{ substance: 'tobacco', status: 'former', date: '2026-11-01' }], 'unknown'], // quit when?
    [within, [{ substance: 'tobacco', status: 'former', date: '2026-06-01' }], 'fail'], // former already before the window
    [within, [{ substance: 'tobacco', status: 'never', date: '2026-11-01' }], 'fail'],
    [within, [{ substance: 'tobacco', status: 'never', date: '2026-11-01' }, { substance: 'tobacco', status: 'current', date: '2026-10-01' }], 'pass'], // smoking recorded inside the window
    [within, [{ substance: 'tobacco', status: 'unknown', date: '2026-11-01' }], 'unknown'],
    [within, [{ substance: 'alcohol', status: 'current' }], 'unknown'], // nothing about tobacco
    [within, [], 'unknown'],
    [within, undefined, 'unknown'],
    ['{ substanceUse: tobacco, within: 3 mo, noSubstanceUse: fail }', [], 'fail'],
    ['{ substanceUse: tobacco, status: current }', [{ substance: 'tobacco', status: 'former', date: '2026-11-01' }, { substance: 'tobacco', status: 'current', date: '2026-01-01' }], 'fail'], // the newest status
    ['{ substanceUse: tobacco, status: [former, never] }', [{ substance: 'tobacco', status: 'former', date: '2026-11-01' }], 'pass'],
    ['{ substanceUse: tobacco, status: current }', [{ substance: 'tobacco', status: 'current', date: '2026-12-01' }], 'unknown'], // after the as-of date: not read
    // a former status whose quit date is after the as-of date: still smoking on that date
    ['{ substanceUse: tobacco, status: current }', [{ substance: 'tobacco', status: 'former', end: '2026-12-20' }], 'pass'],
    ['{ substanceUse: tobacco, status: [former, never] }', [{ substance: 'tobacco', status: 'former', end: '2026-12-20' }], 'fail'],
    ['{ substanceUse: tobacco, status: current }', [{ substance: 'tobacco', status: 'former', end: '2026-11-25' }], 'fail'], // quit on the day
    ['{ substanceUse: tobacco, packYears: { min: 20 } }', [{ substance: 'tobacco', status: 'former', packYears: 20 }], 'pass'],
    ['{ substanceUse: tobacco, packYears: { min: 20 } }', [{ substance: 'tobacco', status: 'former', packYears: 19.5 }], 'fail'],
    ['{ substanceUse: tobacco, packYears: { min: 20 } }', [{ substance: 'tobacco', status: 'current' }], 'unknown'],
    ['{ substanceUse: tobacco, packYears: { max: 10 } }', [{ substance: 'tobacco', status: 'never' }], 'pass'], // never: 0 pack-years
    ['{ substanceUse: tobacco }', [{ substance: 'tobacco', status: 'former' }], 'pass'], // ever used
    ['{ substanceUse: tobacco }', [{ substance: 'tobacco', status: 'never' }], 'fail'],
  ])('%s with %j → %s', (rule, substanceUse, want) => {
    expect(statusOf(oneRule(rule), substanceUse === undefined ? {} : { substanceUse })).toBe(want);
  });
  it('unknown names the quit date in missing', () => {
    const r = check(oneRule(within), { substanceUse: [{ substance: 'tobacco', status: 'former', date: '2026-11-01' }] });
    expect(r.criteria[0]!.missing?.[0]?.item).toBe('substanceUse:tobacco:end');
  });
  it.each([
    ['{ substanceUse: tobaco }', 'criteria/unknown-code'],
    ['{ substanceUse: tobacco, status: current, within: 3 mo }', 'criteria/conflicting-keys'],
    ['{ substanceUse: tobacco, packYears: { min: 30, max: 10 } }', 'criteria/invalid-value'],
    ['{ substanceUse: tobacco, packYears: {} }', 'criteria/invalid-value'],
    ['{ substanceUse: tobacco, status: smoker }', 'criteria/invalid-value'],
  ])('%s is a located load error (%s)', (rule, code) => {
    expect(loadErrors(rule)[0]).toMatchObject({ code, location: { line: 7 } });
  });
});

