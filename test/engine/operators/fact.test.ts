import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';

describe('fact: age (completed years at asOf)', () => {
  const c = oneRule('{ fact: age, min: 5 a }');
  it.each([
    ['2021-11-25', 'pass'], // 5th birthday on asOf
    ['2021-11-26', 'fail'], // one day short
    ['2000-01-01', 'pass'],
    ['2021', 'unknown'], // year only: 4 or 5 at asOf
    ['2020', 'pass'], // year only: at least 5
    ['2022', 'fail'], // year only: at most 4
    ['2021-12', 'fail'], // month only: 4 at asOf whatever the day
  ])('born %s → %s', (birthDate, want) => {
    expect(statusOf(c, { birthDate })).toBe(want);
  });
  it('recorded age without a birth date; nothing → unknown with missing birthDate', () => {
    expect(statusOf(c, { age: 7 })).toBe('pass');
    expect(statusOf(c, { age: 3 })).toBe('fail');
    expect(statusOf(c, { age: { value: 4, date: '2025-01-01' } })).toBe('pass');
    const r = check(c, {});
    expect(r.criteria[0]!.status).toBe('unknown');
    expect(r.criteria[0]!.missing?.[0]?.item).toBe('birthDate');
  });
  it('months as the unit', () => {
    expect(statusOf(oneRule('{ fact: age, min: 60 mo }'), { birthDate: '2021-11-25' })).toBe('pass');
  });
});

describe('fact: sex and deceased', () => {
  it.each([['female', 'pass'], ['male', 'fail'], [undefined, 'unknown']] as const)('sex %s is female → %s', (sex, want) => {
    expect(statusOf(oneRule('{ fact: sex, is: female }'), sex ? { sex } : {})).toBe(want);
  });
  it('deceased on or before asOf', () => {
    const c = oneRule('{ fact: deceased, is: false }');
    expect(statusOf(c, { deceasedDate: '2021-03-23' })).toBe('fail');
    expect(statusOf(c, {})).toBe('pass');
    expect(statusOf(c, { deceasedDate: '2027-01-01' })).toBe('pass');
  });
});

describe('fact: childbearing potential (CTFG/HMA 2014, v1.1 2020)', () => {
  const c = oneRule('{ fact: childbearing-potential }');
  it.each([
    ['male', [], 'fail'],
    ['female', [{ code: 'menarche', present: false, date: '2026-10-01' }], 'fail'],
    ['female', [{ code: 'menarche', date: '2020-01-01' }], 'pass'],
    ['female', [{ code: 'menarche' }, { code: 'hysterectomy', date: '2019-01-01' }], 'fail'],
    ['female', [{ code: 'menarche' }, { code: 'postmenopausal' }], 'fail'],
    ['female', [], 'unknown'], // menarche never inferred from age
    [undefined, [], 'unknown'],
  ] as const)('sex %s, findings %j → %s', (sex, findings, want) => {
    expect(statusOf(c, { ...(sex ? { sex } : {}), birthDate: '1990-01-01', findings })).toBe(want);
  });
  it('age at menarche recorded counts as post-menarche', () => {
    expect(statusOf(c, { sex: 'female', measurements: [{ code: 'loinc:63888-2', value: 12, unit: 'a', date: '2020-01-01' }] })).toBe('pass');
  });
});
