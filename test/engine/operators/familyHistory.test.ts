/** familyHistory: a condition in a relative (as of 2026-11-25): rules at their boundaries, located load errors. */
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { oneRule, statusOf } from '../../helpers.js';

const loadErrors = (rule: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;

describe('familyHistory', () => {
  const mtc = '{ familyHistory: [malignancy], relationship: first-degree-relative }';
  it.each([
    [mtc, [{ relationship: 'mother', code: 'icd10:C73' }], 'pass'],
    [mtc, [{ relationship: 'NBRO', code: 'icd10:C73' }], 'pass'], // an HL7 v3 RoleCode; a code under the concept
    [mtc, [{ relationship: 'DAUC', code: 'icd10:C73' }], 'pass'],
    [mtc, [{ relationship: 'MAUNT', code: 'icd10:C73' }], 'fail'], // second degree
    [mtc, [{ relationship: 'HSIS', code: 'icd10:C73' }], 'fail'], // a half-sister is second degree
    [mtc, [{ relationship: 'stepfather', code: 'icd10:C73' }], 'fail'], // no shared genes
    [mtc, [{ relationship: 'godmother', code: 'icd10:C73' }], 'unknown'], // a relationship elig does not know
    [mtc, [{ relationship: 'mother', code: 'icd10:A15.0' }], 'fail'],
    [mtc, [], 'fail'],
    [mtc, undefined, 'unknown'],
    ['{ familyHistory: malignancy }', [{ relationship: 'MAUNT', code: 'icd10:C73' }], 'pass'], // any relative
    // a relative recorded more broadly than the rule asks may be the one asked: unknown, never fail
    ['{ familyHistory: malignancy, relationship: mother }', [{ relationship: 'parent', code: 'icd10:C73' }], 'unknown'],
    ['{ familyHistory: malignancy, relationship: mother }', [{ relationship: 'first-degree relative', code: 'icd10:C73' }], 'unknown'],
    ['{ familyHistory: malignancy, relationship: [sister, brother] }', [{ relationship: 'SIB', code: 'icd10:C73' }], 'unknown'],
    ['{ familyHistory: malignancy, relationship: mother }', [{ relationship: 'father', code: 'icd10:C73' }], 'fail'], // a sibling concept is not broader
    ['{ familyHistory: malignancy, relationship: mother }', [{ relationship: 'parent', code: 'icd10:C73' }, { relationship: 'MTH', code: 'icd10:C73' }], 'pass'],
    [mtc, [{ relationship: 'parent', code: 'icd10:C73' }], 'pass'], // narrower than asked: counts
    // a family member of unrecorded degree (RoleCode FAMMEMB, EXT) may be first- or second-degree: unknown, not "not one"
    [mtc, [{ relationship: 'FAMMEMB', code: 'icd10:C73' }], 'unknown'],
    [mtc, [{ relationship: 'family member', code: 'icd10:C73' }], 'unknown'],
    ['{ familyHistory: malignancy, relationship: second-degree-relative }', [{ relationship: 'EXT', code: 'icd10:C73' }], 'unknown'],
    [mtc, [{ relationship: 'COUSN', code: 'icd10:C73' }], 'fail'], // a cousin is a relative of known (third) degree
    ['{ familyHistory: malignancy }', [{ relationship: 'FAMMEMB', code: 'icd10:C73' }], 'pass'], // any relative
    ['{ familyHistory: malignancy, noFamilyHistory: fail }', undefined, 'fail'],
  ])('%s with %j → %s', (rule, familyHistory, want) => {
    expect(statusOf(oneRule(rule), familyHistory === undefined ? {} : { familyHistory })).toBe(want);
  });
  it('an unknown relationship is a located load error with a did-you-mean', () => {
    expect(loadErrors('{ familyHistory: malignancy, relationship: first-degree-relatve }')[0])
      .toMatchObject({ code: 'criteria/unknown-code', location: { line: 7 }, hint: 'did you mean "first-degree-relative"?' });
  });
});

