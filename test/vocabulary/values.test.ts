/** Closed value sets: validated at load with a did-you-mean, clinically identical synonyms accepted, records warned. */
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../src/index.js';
import { check, oneRule, statusOf } from '../helpers.js';

const H = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: a\n    text: x\n';
const diags = (rule: string) => loadCriteria('c.yaml', `${H}    rule: ${rule}\n`).diagnostics.map((d) => `${d.code}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`);

describe('closed value sets in criteria', () => {
  it.each([
    ['{ fact: sex, is: F }', ['criteria/invalid-value: sex is one of female, male, other, unknown (as FHIR Patient.gender), got "F" — did you mean "female"?']],
    ['{ fact: sex, is: femal }', ['criteria/invalid-value: sex is one of female, male, other, unknown (as FHIR Patient.gender), got "femal" — did you mean "female"?']],
    ['{ fact: sex, is: [female, male] }', []],
    ['{ fact: childbearing-potential, is: "yes" }', ['criteria/invalid-value: childbearing-potential is true or false, got "yes"']],
    ['{ measurement: hcg, is: postive }', ['criteria/invalid-value: "postive" is not a result this measurement can have (positive, negative, or a titre such as 1:320) — did you mean "positive"?']],
    ['{ measurement: hcg, is: [negative, "not detected"] }', []],
    ['{ measurement: hbsag, is: reactive }', []],
    ['{ measurement: ana, is: "1:320" }', []],
    ['{ attestation: informed-consent, by: [patient, legal guardian] }', []],
    ['{ attestation: informed-consent, by: [patient, gaurdian] }', ['criteria/invalid-value: "gaurdian" is not who an attestation is recorded by (patient, guardian, clinician; a legal guardian, parent or legally authorised representative is guardian) — did you mean "guardian"?']],
  ])('%s', (rule, want) => {
    expect(diags(rule)).toEqual(want);
  });
});

describe('attesters: a legal guardian is the guardian', () => {
  const c = oneRule('{ attestation: informed-consent, by: [patient, guardian] }');
  it.each([
    ['guardian', 'pass'], ['legal guardian', 'pass'], ['Legal Guardian', 'pass'], ['parent', 'pass'], ['legally authorised representative', 'pass'],
    ['patient', 'pass'], ['clinician', 'unknown'],
  ])('recorded by %s → %s', (by, want) => {
    expect(statusOf(c, { attestations: [{ code: 'informed-consent', by, date: '2026-11-01' }] })).toBe(want);
  });
  it('criteria written "legal guardian" mean the guardian too', () => {
    expect(statusOf(oneRule('{ attestation: informed-consent, by: [legal guardian] }'), { attestations: [{ code: 'informed-consent', by: 'guardian' }] })).toBe('pass');
  });
  it('a record value outside the set is a warning, not a silent mismatch', () => {
    const r = check(c, { id: 'x', attestations: [{ code: 'informed-consent', by: 'neighbour' }] });
    expect(r.diagnostics?.map((d) => d.code)).toEqual(['record/unknown-value']);
    expect(r.criteria[0]!.status).toBe('unknown');
  });
});
