/** The record domains devices, allergies, family history and substance use: rules at their boundaries (as of 2026-11-25). */
import { describe, expect, it } from 'vitest';
import { explainCriteria, lintCriteria, loadCriteria } from '../../../src/index.js';
import { check, compile, oneRule, statusOf } from '../../helpers.js';
import { ANCHORS } from './anchor-fixture.js';

const loadErrors = (rule: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;

describe('device', () => {
  it.each([
    // [rule, devices, status]
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin pump', start: '2026-08-25' }], 'pass'], // exactly 3 months
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin pump', start: '2026-08-26' }], 'fail'], // a day short
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'pump', name: 'x', model: 'MiniMed 670G', start: '2025-01-01' }], 'pass'], // a model is a member of its type
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', end: '2026-10-01' }], 'fail'], // no longer in use
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', status: 'completed' }], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', end: '2026-11-25' }], 'pass'], // ends on the as-of date: still in use that day
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump' }], 'unknown'], // no start date
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', status: 'intended' }], 'fail'], // intended is not use
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'continuous-glucose-monitor', start: '2025-01-01' }], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', [], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', undefined, 'unknown'],
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', model: 'Medtronic MiniMed 670G', start: '2024-01-01' }], 'pass'],
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', model: 't:slim X2', start: '2024-01-01' }], 'fail'], // another model
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', start: '2024-01-01' }], 'unknown'], // a pump without its model
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', start: '2024-01-01', end: '2025-01-01' }], 'fail'], // a pump no longer used
    ['{ device: minimed-670g, current: true }', [{ code: 'minimed 670g', start: '2024-01-01', status: 'stopped' }], 'fail'],
    ['{ device: minimed-670g, current: true }', [{ code: 'minimed 670g', start: '2026-12-01' }], 'fail'], // starts after the as-of date
    ['{ device: crt-device, within: 2 mo }', [{ code: 'CRT-D', start: '2026-09-25' }], 'pass'], // first day of the window
    ['{ device: crt-device, within: 2 mo }', [{ code: 'CRT-D', start: '2026-09-24' }], 'fail'],
    ['{ device: crt-device, within: 2 mo }', [{ code: 'biventricular pacemaker', start: '2026-11-01' }], 'pass'], // CRT-P is a CRT device
    ['{ device: crt-device, within: 2 mo }', [{ code: 'implantable cardioverter defibrillator', start: '2026-11-01' }], 'fail'], // an ICD is not CRT
    ['{ device: crt-device, within: 2 mo }', [{ code: 'crt-d' }], 'unknown'], // implanted when?
    ['{ device: crt-device, noDevices: fail }', undefined, 'fail'],
  ])('%s with %j → %s', (rule, devices, want) => {
    expect(statusOf(oneRule(rule), devices === undefined ? {} : { devices })).toBe(want);
  });
  it('the reason names the device, its dates and source; missing names the list or the date', () => {
    const r = check(oneRule('{ device: insulin-pump, for: 3 mo }'), { devices: [{ code: 'insulin-pump', start: '2025-01-01', source: 'DeviceUseStatement/d1' }] });
    expect(r.criteria[0]!.reasons[0]).toMatchObject({ code: 'device', observed: { source: 'DeviceUseStatement/d1', date: '2025-01-01' } });
    expect(check(oneRule('{ device: insulin-pump }'), {}).criteria[0]!.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
    expect(check(oneRule('{ device: insulin-pump, for: 3 mo }'), { devices: [{ code: 'insulin-pump' }] }).criteria[0]!.missing?.[0]?.item).toBe('device:insulin-pump');
  });
  it('anchored: in use at the anchor', () => {
    const c = compile(`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { device: insulin-pump, current: true, anchor: consent }\n`);
    const rec = (end: string) => ({ attestations: [{ code: 'informed-consent', date: '2026-10-01' }], devices: [{ code: 'insulin-pump', start: '2025-01-01', end }] });
    expect(statusOf(c, rec('2026-10-15'))).toBe('pass'); // removed after consent
    expect(statusOf(c, rec('2026-09-15'))).toBe('fail');
  });
  it.each([
    ['{ device: insulin-pmp }', 'criteria/unknown-code', 'did you mean "insulin-pump"?'],
    ['{ device: insulin-pump, for: 3 mo, within: 1 a }', 'criteria/conflicting-keys', undefined],
    ['{ device: insulin-pump, for: 3 fortnights }', 'criteria/invalid-duration', undefined],
  ])('%s is a located load error (%s)', (rule, code, hint) => {
    const d = loadErrors(rule);
    expect(d[0]).toMatchObject({ code, location: { line: 7 }, ...(hint ? { hint } : {}) });
  });
});

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
  ])('%s with %j → %s', (rule, allergies, want) => {
    expect(statusOf(oneRule(rule), allergies === undefined ? {} : { allergies })).toBe(want);
  });
  it('criticality and reaction are evidence', () => {
    const r = check(oneRule('{ allergy: anticoagulant }'), { allergies: [{ code: 'warfarin', criticality: 'high', reaction: 'angioedema', source: 'AllergyIntolerance/a1' }] });
    expect(r.criteria[0]!.reasons[0]!.text).toMatch(/criticality high, reaction: angioedema/);
    expect(r.criteria[0]!.reasons[0]!.observed?.source).toBe('AllergyIntolerance/a1');
  });
  it('an unknown substance is a located load error; a coded one is accepted', () => {
    expect(loadErrors('{ allergy: warfarn }')[0]).toMatchObject({ code: 'criteria/unknown-code', location: { line: 7 }, hint: 'did you mean "warfarin"?' });
    expect(loadErrors('{ allergy: "snomed:111088007" }')).toEqual([]);
  });
});

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
    ['{ familyHistory: malignancy, noFamilyHistory: fail }', undefined, 'fail'],
  ])('%s with %j → %s', (rule, familyHistory, want) => {
    expect(statusOf(oneRule(rule), familyHistory === undefined ? {} : { familyHistory })).toBe(want);
  });
  it('an unknown relationship is a located load error with a did-you-mean', () => {
    expect(loadErrors('{ familyHistory: malignancy, relationship: first-degree-relatve }')[0])
      .toMatchObject({ code: 'criteria/unknown-code', location: { line: 7 }, hint: 'did you mean "first-degree-relative"?' });
  });
});

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
