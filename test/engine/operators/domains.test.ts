/** The record domains devices, allergies, family history and substance use, across domains: unmapped entries, explain wording, lint (rules: device, allergy, familyHistory and substanceUse.test.ts). */
import { describe, expect, it } from 'vitest';
import { explainCriteria, lintCriteria, loadCriteria } from '../../../src/index.js';
import { check, compile, oneRule, statusOf } from '../../helpers.js';

describe('entries of the new domains that map to nothing are reported, not ignored', () => {
  it.each([
    ['{ device: insulin-pump }', { devices: [{ code: 'cochlear implant' }] }, 'device', 'cochlear implant'],
    ['{ allergy: warfarin }', { allergies: [{ code: 'peanut' }] }, 'allergy', 'peanut'],
    ['{ familyHistory: malignancy }', { familyHistory: [{ relationship: 'mother', code: 'icd10:Q99.9' }] }, 'family-history', 'icd10:Q99.9'],
    ['{ familyHistory: malignancy }', { familyHistory: [{ relationship: 'godmother', code: 'icd10:C73' }] }, 'family-history', 'godmother'],
    ['{ substanceUse: tobacco }', { substanceUse: [{ substance: 'kratom', status: 'current' }] }, 'substance-use', 'kratom'],
  ])('%s with %j → unmapped %s %s', (rule, record, domain, code) => {
    const r = check(oneRule(rule), record);
    expect(r.unmapped).toContainEqual(expect.objectContaining({ domain, code }));
  });
  it('a coded substance the rule names is not unmapped', () => {
    const r = check(oneRule('{ allergy: [warfarin, "snomed:111088007"] }'), { allergies: [{ code: 'SNOMED:111088007', name: 'latex' }] });
    expect(r.unmapped ?? []).toEqual([]);
    expect(r.criteria[0]!.status).toBe('pass');
  });
  it('policy unknown: an exclusion over allergies with an unmapped entry cannot pass', () => {
    const c = compile('defaults: { unmapped: unknown }\nexclusion:\n  - id: x\n    text: t\n    rule: { allergy: warfarin }\n');
    expect(statusOf(c, { allergies: [{ code: 'some drug elig does not know' }] })).toBe('unknown');
  });
});

describe('explain wording', () => {
  it.each([
    ['{ device: insulin-pump, for: 3 mo }', 'insulin pump in use at the screening date, since at least 3 months'],
    ['{ device: crt-device, within: 2 mo }', 'cardiac resynchronization therapy device started (implanted) within the last 2 months'],
    ['{ allergy: anticoagulant }', 'allergy or intolerance to'],
    ['{ familyHistory: malignancy, relationship: first-degree-relative }', 'in a first-degree relative (parent, full sibling or child)'],
    ['{ substanceUse: tobacco, within: 3 mo }', 'tobacco used at any time within the last 3 months'],
    ['{ substanceUse: tobacco, status: never }', 'the most recent status is never'],
  ])('%s → %s', (rule, words) => {
    const doc = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).criteria!.doc;
    expect(explainCriteria(doc).criteria[0]!.plain.join(' ')).toContain(words);
  });
});

describe('lint: coded names the vocabulary does not hold', () => {
  it.each([
    ['{ device: "snomed:706004007" }', 'device code "snomed:706004007" is not in the vocabulary'],
    ['{ familyHistory: "icd10:C73" }', 'condition code "icd10:C73" is not in the vocabulary'],
    ['{ allergy: "snomed:111088007" }', 'substance code "snomed:111088007" is not in the vocabulary'],
  ])('%s → lint/unknown-code', (rule, message) => {
    const text = `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`;
    const loaded = loadCriteria('x.yaml', text).criteria!;
    const d = lintCriteria(loaded, text).filter((x) => x.code === 'lint/unknown-code');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain(message);
    expect(d[0]!.location?.line).toBe(7);
  });
});
