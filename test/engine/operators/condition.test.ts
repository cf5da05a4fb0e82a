import { describe, expect, it } from 'vitest';
import { oneRule, statusOf } from '../../helpers.js';

describe('condition', () => {
  const c = oneRule('{ condition: sle }');
  it.each([
    [[{ code: 'snomed:55464009' }], 'pass'],
    [[{ code: 'icd10:M32.14' }], 'pass'], // ICD-10 prefix
    [[{ code: 'icd10:M32.0' }], 'fail'], // drug-induced lupus is excluded
    [[{ code: 'sle', verificationStatus: 'refuted' }], 'fail'], // refuted entries are ignored
    [[{ code: 'http://snomed.info/sct|55464009' }], 'pass'],
    [[{ code: 'snomed:44054006', name: 'Diabetes mellitus type 2' }], 'fail'],
    [[], 'fail'],
    [undefined, 'unknown'], // no problem list at all
  ])('%j → %s', (conditions, want) => {
    expect(statusOf(c, conditions === undefined ? {} : { conditions })).toBe(want);
  });
  it.each([
    [undefined, 'pass'], // no problem list: left to the rules beside it
    [[], 'fail'], // a recorded problem list without the diagnosis
    [[{ code: 'snomed:55464009' }], 'pass'],
  ])('noProblemList: pass — %j → %s', (conditions, want) => {
    const n = oneRule('{ condition: sle, noProblemList: pass }');
    expect(statusOf(n, conditions === undefined ? {} : { conditions })).toBe(want);
  });
  it.each([
    ['snomed:84114007'], ['snomed:88805009'], ['http://snomed.info/sct|42343007'], ['icd10cm:I50.22'],
  ])('%s is heart failure (listed SNOMED descendants, ICD-10 prefix)', (code) => {
    expect(statusOf(oneRule('{ condition: heart-failure }'), { conditions: [{ code }] })).toBe('pass');
  });
  it('active: an inactive or abated condition does not count', () => {
    const a = oneRule('{ condition: sle, active: true }');
    expect(statusOf(a, { conditions: [{ code: 'sle', clinicalStatus: 'resolved' }] })).toBe('fail');
    expect(statusOf(a, { conditions: [{ code: 'sle', clinicalStatus: 'active' }] })).toBe('pass');
  });
  it('within: onset inside the window; an undated match is unknown', () => {
    const w = oneRule('{ condition: "snomed:56717001", within: 60 d }');
    expect(statusOf(w, { conditions: [{ code: 'snomed:56717001', onset: '2026-11-01' }] })).toBe('pass');
    expect(statusOf(w, { conditions: [{ code: 'snomed:56717001', onset: '2025-01-01' }] })).toBe('fail');
    expect(statusOf(w, { conditions: [{ code: 'snomed:56717001' }] })).toBe('unknown');
  });
});
