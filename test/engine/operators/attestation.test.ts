import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';

describe('attestation: unknown until recorded', () => {
  const c = oneRule('{ attestation: informed-consent, by: [patient, guardian] }');
  it.each([
    [[{ code: 'informed-consent', by: 'guardian', date: '2026-11-01' }], 'pass'],
    [[{ code: 'Informed-Consent', by: 'Patient' }], 'pass'],
    [[{ code: 'informed-consent', by: 'patient', value: false }], 'fail'],
    [[{ code: 'informed-consent', by: 'investigator' }], 'unknown'], // not by a permitted party
    [[], 'unknown'],
  ])('%j → %s', (attestations, want) => {
    expect(statusOf(c, { attestations })).toBe(want);
  });
  it('within a window', () => {
    const w = oneRule('{ attestation: contraception-first-year, within: 30 d }');
    expect(statusOf(w, { attestations: [{ code: 'contraception-first-year', date: '2026-11-20' }] })).toBe('pass');
    expect(statusOf(w, { attestations: [{ code: 'contraception-first-year', date: '2026-01-20' }] })).toBe('unknown');
    const r = check(w, { attestations: [] }).criteria[0]!;
    expect(r.missing?.[0]?.item).toBe('attestation:contraception-first-year');
  });
});

describe('attestation: who attested, by role', () => {
  const c = oneRule('{ attestation: informed-consent, by: [patient, guardian] }');
  it.each([
    ['legal guardian', 'pass'], ['Legal_Guardian', 'pass'], ['parent', 'pass'], ['legally authorized representative', 'pass'],
    ['self', 'pass'], ['investigator', 'unknown'], ['guardian ad litem', 'unknown'],
  ])('consent by %s → %s', (by, want) => {
    expect(statusOf(c, { attestations: [{ code: 'informed-consent', by }] })).toBe(want);
  });
  it('the reason names who recorded it as written', () => {
    const r = check(c, { attestations: [{ code: 'informed-consent', by: 'legal guardian' }] }).criteria[0]!;
    expect(r.reasons[0]!.text).toContain('recorded by legal guardian');
  });
});
