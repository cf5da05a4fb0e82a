/** allergy: allergies and intolerances (as of 2026-11-25): rules at their boundaries, located load errors. */
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';

const loadErrors = (rule: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;

describe('allergy', () => {
  it.each([
    ['{ allergy: anticoagulant }', [{ code: 'warfarin' }], 'pass'], // a drug of the class
    ['{ allergy: anticoagulant }', [{ code: 'atc:B01AA03' }], 'pass'], // warfarin by ATC code
    ['{ allergy: anticoagulant }', [{ code: 'warfarin', verificationStatus: 'refuted' }], 'fail'], // refuted never counts
    ['{ allergy: anticoagulant }', [{ code: 'warfarin', verificationStatus: 'entered-in-error' }], 'fail'],
    ['{ allergy: anticoagulant }', [{ code: 'warfarin', verificationStatus: 'unconfirmed' }], 'pass'], // a suspicion counts
    ['{ allergy: anticoagulant }', [{ code: 'ibuprofen' }], 'fail'],
    ['{ allergy: anticoagulant }', [], 'fail'],
    ['{ allergy: anticoagulant }', undefined, 'unknown'],
    ['{ allergy: anticoagulant, noAllergies: fail }', undefined, 'fail'],
    ['{ allergy: warfarin, active: true }', [{ code: 'warfarin', clinicalStatus: 'resolved' }], 'fail'],
    ['{ allergy: warfarin }', [{ code: 'warfarin', clinicalStatus: 'resolved' }], 'pass'], // a history of it
    ['{ allergy: warfarin, type: intolerance }', [{ code: 'warfarin', type: 'allergy' }], 'fail'],
    ['{ allergy: warfarin, type: intolerance }', [{ code: 'warfarin' }], 'pass'], // type not recorded: counted
    ['{ allergy: warfarin }', [{ code: 'warfarin', onset: '2026-12-01' }], 'fail'], // after the as-of date
    // an allergy recorded to a drug's class is an allergy to the drug: never a silent fail
    ['{ allergy: ibuprofen }', [{ code: 'nsaid' }], 'pass'],
    ['{ allergy: ibuprofen }', [{ code: 'NSAIDs' }], 'pass'], // the class by a synonym, any case
    ['{ allergy: warfarin }', [{ code: 'anticoagulant', verificationStatus: 'refuted' }], 'fail'],
    ['{ allergy: warfarin, active: true }', [{ code: 'anticoagulant', clinicalStatus: 'resolved' }], 'fail'],
    ['{ allergy: ibuprofen }', [{ code: 'naproxen' }], 'fail'], // a sibling drug of the class is not the drug
    ['{ allergy: ibuprofen }', [{ code: 'anticoagulant' }], 'fail'], // another class
  ])('%s with %j → %s', (rule, allergies, want) => {
    expect(statusOf(oneRule(rule), allergies === undefined ? {} : { allergies })).toBe(want);
  });
  it('criticality and reaction are evidence', () => {
    const r = check(oneRule('{ allergy: anticoagulant }'), { allergies: [{ code: 'warfarin', criticality: 'high', reaction: 'angioedema', source: 'AllergyIntolerance/a1' }] });
    expect(r.criteria[0]!.reasons[0]!.text).toMatch(/criticality high, reaction: angioedema/);
    expect(r.criteria[0]!.reasons[0]!.observed?.source).toBe('AllergyIntolerance/a1');
  });
  it('a class allergy meeting a drug rule says which class', () => {
    const r = check(oneRule('{ allergy: ibuprofen }'), { allergies: [{ code: 'nsaid', source: 'AllergyIntolerance/c1' }] });
    expect(r.criteria[0]!.reasons[0]!.text).toMatch(/nsaid on the allergy list.*an allergy to the class nsaid, which includes ibuprofen/);
    expect(r.criteria[0]!.reasons[0]!.observed).toMatchObject({ value: 'nsaid', source: 'AllergyIntolerance/c1' });
  });
  it('an unknown substance is a located load error; a coded one is accepted', () => {
    expect(loadErrors('{ allergy: warfarn }')[0]).toMatchObject({ code: 'criteria/unknown-code', location: { line: 7 }, hint: 'did you mean "warfarin"?' });
    expect(loadErrors('{ allergy: "snomed:111088007" }')).toEqual([]);
  });
});

