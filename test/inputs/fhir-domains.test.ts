/** FHIR R4 → devices, allergies, family history and tobacco use (DeviceUseStatement/Device, AllergyIntolerance, FamilyMemberHistory, LOINC 72166-2). */
import { describe, expect, it } from 'vitest';
import { fhirItems } from '../../src/inputs/fhir/index.js';
import type { InputItem } from '../../src/inputs/types.js';
import { evaluateRecord } from '../../src/index.js';
import { oneRule } from '../helpers.js';

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
type J = Record<string, unknown>;
const patient: J = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-02' };
const subj = { reference: 'Patient/p1' };
const cc = (system: string, code: string, display?: string): J => ({ coding: [{ system, code, ...(display ? { display } : {}) }] });

function one(...resources: J[]): { rec: J; item: Extract<InputItem, { kind: 'record' }> } {
  const items = fhirItems('b.json', { resourceType: 'Bundle', type: 'collection', entry: [patient, ...resources].map((resource) => ({ resource })) });
  const item = items[0]!;
  if (item.kind !== 'record') throw new Error('not a record');
  return { rec: item.raw as J, item };
}

describe('smoking status (LOINC 72166-2) → substanceUse', () => {
  const smoking = (code: string, system = SCT): J => ({ resourceType: 'Observation', id: 's1', status: 'final', subject: subj, code: cc(LOINC, '72166-2'), effectiveDateTime: '2026-11-01', valueCodeableConcept: cc(system, code) });
  it.each([
    ['449868002', SCT, 'current'], ['428041000124106', SCT, 'current'], ['8517006', SCT, 'former'], ['266919005', SCT, 'never'], ['266927001', SCT, 'unknown'],
    ['LA18976-3', LOINC, 'current'], ['LA15920-4', LOINC, 'former'], ['LA18978-9', LOINC, 'never'],
    // US Core 3.1.1 (us-core-observation-smokingstatus): current heavy / light tobacco smoker
    ['428071000124103', SCT, 'current'], ['428061000124105', SCT, 'current'],
  ])('%s (%s) → %s', (code, system, status) => {
    expect(one(smoking(code, system)).rec.substanceUse).toEqual([{ substance: 'tobacco', status, date: '2026-11-01', source: 'Observation/s1.valueCodeableConcept' }]);
  });
  it('an answer elig does not know is listed as unmapped, not read as a status', () => {
    const { rec, item } = one(smoking('123456'));
    expect(rec.substanceUse).toBeUndefined();
    expect(item.unmapped?.[0]).toMatchObject({ ref: 'Observation/s1' });
  });
  it('an answer elig does not know is also a located warning: an older statement must not silently stand for the newest', () => {
    const older: J = { ...smoking('266919005'), id: 's0', effectiveDateTime: '2020-01-01' };
    const { rec, item } = one(older, smoking('999999999'));
    expect(rec.substanceUse).toEqual([{ substance: 'tobacco', status: 'never', date: '2020-01-01', source: 'Observation/s0.valueCodeableConcept' }]);
    expect(item.diagnostics).toContainEqual(expect.objectContaining({ code: 'fhir/unmapped-value', severity: 'warning', location: expect.objectContaining({ path: 'entry[2] Observation/s1.valueCodeableConcept' }) }));
  });
  it('pack-years (SNOMED CT 401201003) → packYears, read by a packYears rule', () => {
    const py: J = { resourceType: 'Observation', id: 'py', status: 'final', subject: subj, code: cc(SCT, '401201003'), effectiveDateTime: '2026-11-01', valueQuantity: { value: 25, unit: '{PackYears}' } };
    const { rec } = one(py);
    expect(rec.substanceUse).toEqual([{ substance: 'tobacco', status: 'unknown', packYears: 25, date: '2026-11-01', source: 'Observation/py.valueQuantity' }]);
    expect(evaluateRecord(oneRule('{ substanceUse: tobacco, packYears: { min: 20 } }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!.status).toBe('pass');
  });
});

describe('AllergyIntolerance → allergies', () => {
  const allergy = (extra: J): J => ({ resourceType: 'AllergyIntolerance', id: 'a1', patient: subj, code: { ...cc('http://www.nlm.nih.gov/research/umls/rxnorm', '11289'), text: 'warfarin' }, ...extra });
  it('substance, type, category, statuses, criticality, reaction and onset', () => {
    const { rec } = one(allergy({
      type: 'allergy', category: ['medication'], criticality: 'high', onsetDateTime: '2019-03-01',
      clinicalStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active'),
      verificationStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed'),
      reaction: [{ manifestation: [{ text: 'angioedema' }] }],
    }));
    expect(rec.allergies).toEqual([{
      code: 'rxnorm:11289', name: 'warfarin', type: 'allergy', category: 'medication', clinicalStatus: 'active', verificationStatus: 'confirmed',
      criticality: 'high', reaction: 'angioedema', onset: '2019-03-01', source: 'AllergyIntolerance/a1.code',
    }]);
  });
  it.each(['refuted', 'entered-in-error'])('verificationStatus %s is not mapped (and never counts)', (v) => {
    const { rec, item } = one(allergy({ verificationStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', v) }));
    expect(rec.allergies).toEqual([]);
    expect(item.unmapped).toContainEqual({ ref: 'AllergyIntolerance/a1', why: `verificationStatus ${v}` });
  });
  it('without a code, the reaction\'s substance names the allergen; with neither, a located warning (the list is still recorded)', () => {
    const { rec } = one({ resourceType: 'AllergyIntolerance', id: 'a2', patient: subj, reaction: [{ substance: { ...cc('http://www.nlm.nih.gov/research/umls/rxnorm', '5640'), text: 'ibuprofen' }, manifestation: [{ text: 'urticaria' }] }] });
    expect(rec.allergies).toEqual([{ code: 'rxnorm:5640', name: 'ibuprofen', reaction: 'urticaria', source: 'AllergyIntolerance/a2.reaction[0].substance' }]);
    expect(evaluateRecord(oneRule('{ allergy: nsaid }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!.status).toBe('pass');
    const bare = one({ resourceType: 'AllergyIntolerance', id: 'a3', patient: subj, reaction: [{ manifestation: [{ text: 'anaphylaxis' }] }] });
    expect(bare.item.diagnostics).toContainEqual(expect.objectContaining({ code: 'fhir/unmapped-value', location: expect.objectContaining({ path: 'entry[1] AllergyIntolerance/a3.code' }) }));
  });
  it('"no known drug allergy" records an empty list: the allergy rule fails instead of unknown', () => {
    const { rec } = one({ resourceType: 'AllergyIntolerance', id: 'n', patient: subj, code: cc(SCT, '409137002', 'No Known Drug Allergy') });
    expect(rec.allergies).toEqual([]);
    expect(evaluateRecord(oneRule('{ allergy: anticoagulant }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!.status).toBe('fail');
  });
});

describe('FamilyMemberHistory → familyHistory', () => {
  it('one entry per condition, relationship as the v3 RoleCode, onsetAge', () => {
    const { rec } = one({
      resourceType: 'FamilyMemberHistory', id: 'f1', status: 'completed', patient: subj, relationship: cc(ROLE, 'NMTH', 'natural mother'),
      condition: [{ code: { ...cc('http://hl7.org/fhir/sid/icd-10', 'C73'), text: 'thyroid cancer' }, onsetAge: { value: 45, unit: 'a' } }, { code: { text: 'hypertension' } }],
    });
    expect(rec.familyHistory).toEqual([
      { relationship: 'NMTH', code: 'icd10:C73', name: 'thyroid cancer', onsetAge: 45, source: 'FamilyMemberHistory/f1.condition[0].code' },
      { relationship: 'NMTH', code: 'hypertension', source: 'FamilyMemberHistory/f1.condition[1].code' },
    ]);
    expect(evaluateRecord(oneRule('{ familyHistory: malignancy, relationship: first-degree-relative }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!.status).toBe('pass');
  });
  it('status entered-in-error is not mapped (an empty, recorded family history)', () => {
    const { rec } = one({ resourceType: 'FamilyMemberHistory', id: 'f1', status: 'entered-in-error', patient: subj, relationship: cc(ROLE, 'MTH'), condition: [{ code: { text: 'x' } }] });
    expect(rec.familyHistory).toEqual([]);
  });
  it('status health-unknown: no family-history list (rules say unknown, never "none in the family"), and a located warning', () => {
    const { rec, item } = one({ resourceType: 'FamilyMemberHistory', id: 'f1', status: 'health-unknown', patient: subj, relationship: cc(ROLE, 'MTH') });
    expect(rec.familyHistory).toBeUndefined();
    expect(item.diagnostics).toContainEqual(expect.objectContaining({ code: 'fhir/unmapped-value', location: expect.objectContaining({ path: 'entry[1] FamilyMemberHistory/f1.status' }) }));
    const r = evaluateRecord(oneRule('{ not: { familyHistory: malignancy, relationship: first-degree-relative } }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!;
    expect(r.status).toBe('unknown');
  });
});

describe('DeviceUseStatement and Device → devices', () => {
  const device: J = { resourceType: 'Device', id: 'd1', patient: subj, type: { ...cc(SCT, '69805005'), text: 'insulin pump' }, deviceName: [{ name: 'MiniMed 670G', type: 'model-name' }] };
  it('a statement: the Device it refers to gives the type and model; timingPeriod the dates', () => {
    const { rec } = one(device, { resourceType: 'DeviceUseStatement', id: 's1', subject: subj, status: 'active', device: { reference: 'Device/d1' }, timingPeriod: { start: '2025-06-01' } });
    expect(rec.devices).toEqual([{ code: 'snomed:69805005', name: 'insulin pump', model: 'MiniMed 670G', status: 'active', start: '2025-06-01', source: 'DeviceUseStatement/s1.device' }]);
    expect(evaluateRecord(oneRule('{ device: minimed-670g, current: true }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!.status).toBe('pass');
  });
  it('a Device no statement describes is mapped once, without dates; inactive is no longer in use', () => {
    const { rec } = one({ ...device, status: 'inactive' });
    expect(rec.devices).toEqual([{ code: 'snomed:69805005', name: 'insulin pump', model: 'MiniMed 670G', status: 'completed', source: 'Device/d1.type' }]);
  });
  it('FHIR statements are the device list (no absence entries): another device\'s rule fails, as before', () => {
    const { rec } = one(device, { resourceType: 'DeviceUseStatement', id: 's1', subject: subj, status: 'active', device: { reference: 'Device/d1' } });
    expect((rec.devices as J[]).some((d) => 'present' in d)).toBe(false);
    expect(evaluateRecord(oneRule('{ not: { device: cardiac-pacemaker } }'), rec, '2026-11-25', { file: 'b.json' }).criteria[0]!.status).toBe('pass');
  });
  it('an intended or entered-in-error statement is not use', () => {
    const { rec, item } = one(device, { resourceType: 'DeviceUseStatement', id: 's1', subject: subj, status: 'intended', device: { reference: 'Device/d1' } });
    expect(rec.devices).toEqual([]);
    expect(item.unmapped).toContainEqual({ ref: 'DeviceUseStatement/s1', why: 'status intended' });
  });
});

describe('codes in a system elig does not know, without a text: kept (the code as the name) and listed unmapped, never dropped', () => {
  const LOCAL = 'http://hospital.example/codes';
  const unmappedOf = (rec: J, rule: string, policy = '') => evaluateRecord(oneRule(rule, policy), rec, '2026-11-25', { file: 'b.json' });
  const exclusion = (rule: string) => `exclusion:\n  - id: x\n    text: t\n    rule: ${rule}\ndefaults: { unmapped: unknown }\n`;
  it('an AllergyIntolerance coded only locally is an allergy entry under its code: reported unmapped; with unmapped: unknown an allergy exclusion cannot pass', () => {
    const { rec } = one({ resourceType: 'AllergyIntolerance', id: 'a9', patient: subj, code: cc(LOCAL, 'ALG-17') });
    expect(rec.allergies).toEqual([{ code: 'ALG-17', source: 'AllergyIntolerance/a9.code' }]);
    const r = unmappedOf(rec, '{ fact: sex, is: female }', exclusion('{ allergy: ibuprofen }'));
    expect(r.unmapped).toContainEqual(expect.objectContaining({ domain: 'allergy', code: 'ALG-17' }));
    expect(r.criteria.find((c) => c.id === 'x')!.status).toBe('unknown');
  });
  it('a family condition coded only locally is kept; a relationship coded only in SNOMED CT without a display is kept as its code: a relationship elig does not know → unknown', () => {
    const { rec } = one({
      resourceType: 'FamilyMemberHistory', id: 'f9', status: 'completed', patient: subj, relationship: cc(SCT, '72705000'),
      condition: [{ code: cc(LOCAL, 'DX-4') }, { code: { text: 'breast cancer' } }],
    });
    expect(rec.familyHistory).toEqual([
      { relationship: '72705000', code: 'DX-4', source: 'FamilyMemberHistory/f9.condition[0].code' },
      { relationship: '72705000', code: 'breast cancer', source: 'FamilyMemberHistory/f9.condition[1].code' },
    ]);
    expect(unmappedOf(rec, '{ familyHistory: breast-cancer, relationship: first-degree-relative }').criteria[0]!.status).toBe('unknown');
    expect(unmappedOf(rec, '{ fact: sex, is: female }').unmapped).toContainEqual(expect.objectContaining({ domain: 'family-history', code: 'DX-4' }));
  });
  it('a Device typed only locally is kept under its code', () => {
    const { rec } = one({ resourceType: 'Device', id: 'd9', patient: subj, type: cc(LOCAL, 'PUMP-2') });
    expect(rec.devices).toEqual([{ code: 'PUMP-2', source: 'Device/d9.type' }]);
  });
  it('a DeviceUseStatement whose Device is not in the input is a located diagnostic, not only a note', () => {
    const { item } = one({ resourceType: 'DeviceUseStatement', id: 's9', subject: subj, status: 'active', device: { reference: 'Device/gone' } });
    expect(item.diagnostics).toContainEqual(expect.objectContaining({ code: 'fhir/unresolved-reference', location: expect.objectContaining({ path: expect.stringContaining('DeviceUseStatement/s9.device') }) }));
  });
});
