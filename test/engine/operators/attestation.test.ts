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
