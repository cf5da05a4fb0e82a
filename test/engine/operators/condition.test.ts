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

  // Hierarchies without surprises: a specific code never matches its siblings or parent; descendants only when explicit.
  it.each([
    // ICD-10 (WHO)
    ['"icd10:C78.7"', 'icd10:C78.7', 'pass'],
    ['"icd10:C78.7"', 'icd10:C34.1', 'fail'], // lung cancer is not a liver metastasis (was matched through "malignancy")
    ['"icd10:C78.7"', 'icd10:C78', 'fail'], // the parent
    ['"icd10:C78.7"', 'icd10:C78.0', 'fail'], // a sibling
    ['"icd10:C78.7"', 'icd10cm:C78.7', 'fail'], // another system: exact means exact
    ['"icd10:C78*"', 'icd10:C78.7', 'pass'],
    ['"icd10:C78*"', 'icd10:C78', 'pass'],
    ['"icd10:C78*"', 'icd10:C79.3', 'fail'],
    ['"icd10:M32.14"', 'icd10:M32.14', 'pass'], // the concept lupus-nephritis (its exact code)
    ['"icd10:M32.14"', 'icd10:M32.1', 'fail'],
    ['"icd10:M32.14"', 'icd10:M32.9', 'fail'],
    ['lupus-nephritis', 'icd10:M32.9', 'fail'], // plain SLE is not lupus nephritis (was: the synonym widened it)
    ['lupus-nephritis', 'snomed:55464009', 'fail'],
    ['"lupus nephritis"', 'icd10:M32.9', 'fail'],
    ['lupus-nephritis', 'icd10cm:M32.14', 'pass'],
    ['sle', 'icd10:M32.14', 'pass'], // lupus nephritis is SLE (member of the group, and under M32)
    ['sle', 'icd10:M32.0', 'fail'], // drug-induced lupus is excluded from SLE's descendants
    // ICD-10-CM
    ['"icd10cm:M32.1*"', 'icd10cm:M32.14', 'pass'],
    ['"icd10cm:M32.1*"', 'icd10cm:M32.1', 'pass'],
    ['"icd10cm:M32.1*"', 'icd10cm:M32.0', 'fail'],
    ['"icd10cm:M32.1*"', 'icd10:M32.14', 'fail'],
    ['"icd10cm:E11.9"', 'icd10cm:E11.65', 'fail'],
    ['"icd10cm:E11.9"', 'icd10cm:E11', 'fail'],
    ['"icd10cm:E11*"', 'http://hl7.org/fhir/sid/icd-10-cm|E11.65', 'pass'],
    // a concept's declared block: malignancy covers C00-C97, not in-situ neoplasms
    ['malignancy', 'icd10:C34.1', 'pass'],
    ['malignancy', 'icd10:D05.1', 'fail'],
  ])('condition %s, record %s → %s', (term, code, want) => {
    expect(statusOf(oneRule(`{ condition: ${term} }`), { conditions: [{ code }] })).toBe(want);
  });
  it('a record entry named, not coded, means its concept and the groups above it', () => {
    expect(statusOf(oneRule('{ condition: lupus-nephritis }'), { conditions: [{ code: 'x', name: 'Lupus nephritis' }] })).toBe('pass');
    expect(statusOf(oneRule('{ condition: sle }'), { conditions: [{ code: 'x', name: 'Lupus nephritis' }] })).toBe('pass');
  });
});
