/** FHIR R4 mapping (src/inputs/fhir): resources → record fields with FHIR provenance; located diagnostics. */
import { describe, expect, it } from 'vitest';
import { fhirItems } from '../../src/inputs/fhir/index.js';
import { strengthFromName } from '../../src/inputs/fhir/dosage.js';
import type { InputItem } from '../../src/inputs/types.js';
import { compile } from '../helpers.js';
import { evaluateRecord } from '../../src/index.js';

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

type J = Record<string, unknown>;
const patient: J = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-02' };
const subj = { reference: 'Patient/p1' };
const bundle = (...resources: J[]): J => ({ resourceType: 'Bundle', type: 'collection', entry: [patient, ...resources].map((resource) => ({ resource })) });
const obs = (id: string, code: J, value: J, extra: J = {}): J => ({ resourceType: 'Observation', id, status: 'final', code, subject: subj, effectiveDateTime: '2026-11-16T08:00:00Z', ...value, ...extra });
const qty = (value: number, code: string): J => ({ valueQuantity: { value, unit: code, system: UCUM, code } });

/** The one record of a one-patient Bundle, with its mapping diagnostics and unmapped list. */
function one(...resources: J[]): { rec: J; item: Extract<InputItem, { kind: 'record' }> } {
  const items = fhirItems('b.json', bundle(...resources));
  expect(items).toHaveLength(1);
  const item = items[0]!;
  if (item.kind !== 'record') throw new Error(`not a record: ${item.diagnostic.code}`);
  return { rec: item.raw as J, item };
}

describe('FHIR Patient', () => {
  it('birthDate, gender, deceasedDateTime → birthDate, sex, deceasedDate; id is Patient.id', () => {
    const items = fhirItems('b.json', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...patient, deceasedDateTime: '2021-03-23T16:13:53+00:00' } }] });
    expect(items[0]).toMatchObject({ kind: 'record', raw: { id: 'p1', sex: 'female', birthDate: '1990-01-02', deceasedDate: '2021-03-23' }, source: { file: 'b.json', record: 1 } });
  });
  it('a lone Patient (not in a Bundle) is one record', () => {
    expect(fhirItems('p.json', patient)).toMatchObject([{ kind: 'record', raw: { id: 'p1' } }]);
  });
});

describe('FHIR Observation → measurements', () => {
  it.each([
    ['creatinine (serum, 2160-0)', obs('o1', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(0.9, 'mg/dL')), { code: 'loinc:2160-0', value: 0.9, unit: 'mg/dL', source: 'Observation/o1.valueQuantity' }],
    ['creatinine (blood, 38483-4)', obs('o2', { coding: [{ system: LOINC, code: '38483-4', display: 'Creatinine [Mass/\u200bvolume] in Blood' }] }, qty(3.24, 'mg/dL')), { code: 'loinc:38483-4', value: 3.24 }],
    ['eGFR in mL/min kept as recorded (the engine refuses to compare it)', obs('o3', { coding: [{ system: LOINC, code: '33914-3' }] }, qty(81, 'mL/min')), { code: 'loinc:33914-3', unit: 'mL/min' }],
    ['eGFR per 1.73 m²', obs('o4', { coding: [{ system: LOINC, code: '33914-3' }] }, qty(83.9, 'mL/min/{1.73_m2}')), { unit: 'mL/min/{1.73_m2}' }],
    ['ANA titre as valueRatio', obs('o5', { coding: [{ system: LOINC, code: '5048-4' }] }, { valueRatio: { numerator: { value: 1 }, denominator: { value: 320 } } }), { code: 'loinc:5048-4', value: '1:320', source: 'Observation/o5.valueRatio' }],
    ['hCG negative as SNOMED qualifier', obs('o6', { coding: [{ system: LOINC, code: '2106-3' }] }, { valueCodeableConcept: { coding: [{ system: SCT, code: '260385009', display: 'Negative' }] } }), { code: 'loinc:2106-3', value: 'negative', source: 'Observation/o6.valueCodeableConcept' }],
    ['valueString', obs('o7', { coding: [{ system: LOINC, code: '5048-4' }] }, { valueString: '1:1280' }), { value: '1:1280', source: 'Observation/o7.valueString' }],
    ['referenceRange.high → ULN with its unit', obs('o8', { coding: [{ system: LOINC, code: '1920-8' }] }, qty(62, 'U/L'), { referenceRange: [{ high: { value: 40, unit: 'U/L', system: UCUM, code: 'U/L' } }] }), { referenceRange: { high: { value: 40, unit: 'U/L' } } }],
    ['interpretation code', obs('o9', { coding: [{ system: LOINC, code: '19080-1' }] }, qty(2, 'm[IU]/mL'), { interpretation: [{ coding: [{ code: 'NEG' }] }] }), { interpretation: 'negative' }],
  ])('%s', (_name, o, want) => {
    const { rec } = one(o);
    expect((rec.measurements as J[])[0]).toMatchObject({ date: '2026-11-16', ...want });
  });

  it('no referenceRange → no ULN on the record (the criteria file fallback decides)', () => {
    const { rec } = one(obs('o1', { coding: [{ system: LOINC, code: '1920-8' }] }, qty(30.7, 'U/L')));
    expect((rec.measurements as J[])[0]).not.toHaveProperty('referenceRange');
  });

  it('codes mean something only with their system: CDC race 2106-3 is not a pregnancy test', () => {
    const race = obs('r1', { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' }] }, { valueString: 'White' });
    const { rec, item } = one(race);
    expect(rec.measurements).toEqual([]);
    expect(item.unmapped).toEqual([{ ref: 'Observation/r1', why: expect.stringContaining('urn:oid:2.16.840.1.113883.6.238|2106-3') }]);
  });

  it('matching is on system + code, never display: a misleading display is ignored', () => {
    const { rec } = one(obs('o1', { coding: [{ system: LOINC, code: '1742-6', display: 'Aspartate aminotransferase' }], text: 'AST' }, qty(20, 'U/L')));
    expect((rec.measurements as J[])[0]).toMatchObject({ code: 'loinc:1742-6' });
  });

  it('components of a panel map one by one, each with its own path', () => {
    const panel = obs('bp', { coding: [{ system: LOINC, code: '85353-1' }] }, {}, {
      component: [
        { code: { coding: [{ system: LOINC, code: '8867-4' }] }, valueQuantity: { value: 80, unit: '/min' } },
        { code: { coding: [{ system: LOINC, code: '59408-5' }] }, valueQuantity: { value: 97, unit: '%', system: UCUM, code: '%' } },
      ],
    });
    const { rec } = one(panel);
    // heart rate (8867-4) and SpO2 (59408-5) are both vocabulary measurements
    expect(rec.measurements).toEqual([
      expect.objectContaining({ code: 'loinc:8867-4', value: 80, source: 'Observation/bp.component[0].valueQuantity' }),
      expect.objectContaining({ code: 'loinc:59408-5', value: 97, source: 'Observation/bp.component[1].valueQuantity' }),
    ]);
  });

  it.each(['entered-in-error', 'cancelled'])('status %s is not used', (status) => {
    const { rec, item } = one(obs('o1', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(0.9, 'mg/dL'), { status }));
    expect(rec.measurements).toEqual([]);
    expect(item.unmapped?.[0]?.why).toBe(`status ${status}`);
  });

  it('an unknown unit gives a located warning; the record is still checked', () => {
    const { rec, item } = one(obs('o1', { coding: [{ system: LOINC, code: '2160-0' }] }, { valueQuantity: { value: 0.9, unit: 'mg per decilitre' } }));
    expect((rec.measurements as J[])[0]).toMatchObject({ value: 0.9, unit: 'mg per decilitre' });
    expect(item.diagnostics).toEqual([expect.objectContaining({ code: 'fhir/unknown-unit', severity: 'warning', location: expect.objectContaining({ file: 'b.json', path: 'entry[1] Observation/o1.valueQuantity.code' }) })]);
  });
});

describe('FHIR Condition → conditions', () => {
  const cond = (id: string, extra: J): J => ({ resourceType: 'Condition', id, subject: subj, code: { coding: [{ system: SCT, code: '55464009', display: 'Systemic lupus\u200b erythematosus' }] }, ...extra });
  it('SNOMED code, onset, clinical and verification status; source names the resource', () => {
    const { rec } = one(cond('c1', {
      onsetDateTime: '2021-03-01', clinicalStatus: { coding: [{ code: 'active' }] }, verificationStatus: { coding: [{ code: 'confirmed' }] },
    }));
    expect(rec.conditions).toEqual([{ code: 'snomed:55464009', name: 'Systemic lupus erythematosus', onset: '2021-03-01', clinicalStatus: 'active', verificationStatus: 'confirmed', source: 'Condition/c1.code' }]);
  });
  it('ICD-10-CM: the coding the vocabulary knows is chosen', () => {
    const { rec } = one({ resourceType: 'Condition', id: 'c2', subject: subj, code: { coding: [{ system: 'http://example.org/local', code: 'X1' }, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M32.14' }] } });
    expect((rec.conditions as J[])[0]).toMatchObject({ code: 'icd10cm:M32.14' });
  });
  it.each(['refuted', 'entered-in-error'])('verificationStatus %s is ignored', (v) => {
    const { rec, item } = one(cond('c3', { verificationStatus: { coding: [{ code: v }] } }));
    expect(rec.conditions).toEqual([]);
    expect(item.unmapped).toEqual([{ ref: 'Condition/c3', why: `verificationStatus ${v}` }]);
  });
});

describe('FHIR medications', () => {
  const mr = (id: string, name: string, extra: J = {}): J => ({
    resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: subj, authoredOn: '2020-12-07T09:50:49+00:00',
    medicationCodeableConcept: { coding: [{ system: RX, code: '312617', display: name }], text: name }, ...extra,
  });
  const daily = (dose: J): J => ({ dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: dose }] }] });

  it.each([
    ['predniSONE 5 MG Oral Tablet', 1, '5 mg'],
    ['prednisone 20 mg tablet', 3, '60 mg'],
    ['methylPREDNISolone 4 MG Oral Tablet', 6, '24 mg'],
  ])('tablet count × strength in the name: %s × %s → %s', (name, count, dose) => {
    const { rec } = one(mr('m1', name, daily({ value: count })));
    expect((rec.medications as J[])[0]).toMatchObject({ name, dose, perDay: 1, start: '2020-12-07', source: 'MedicationRequest/m1.dosageInstruction[0]' });
  });

  it.each([
    ['predniSONE 5 MG Oral Tablet', { value: 5, unit: 'mg' }],
    ['Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet', undefined],
    ['10 ML Furosemide 10 MG/ML Injection', undefined],
    ['24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', { value: 500, unit: 'mg' }],
    ['Jolivette 28 Day Pack', undefined],
  ])('strength in a drug name: %s → %j', (name, want) => {
    expect(strengthFromName(name)).toEqual(want);
  });

  it('a stopped order without an end date stays open-ended (status stopped, no end)', () => {
    const { rec } = one(mr('m2', 'predniSONE 5 MG Oral Tablet', { status: 'stopped', ...daily({ value: 1 }) }));
    const m = (rec.medications as J[])[0]!;
    expect(m).toMatchObject({ status: 'stopped', start: '2020-12-07' });
    expect(m).not.toHaveProperty('end');
  });

  it('boundsPeriod gives start and end; statusReason the stop reason; q12h → 2 per day', () => {
    const { rec } = one(mr('m3', 'mycophenolate mofetil 500 MG Oral Tablet', {
      status: 'stopped', statusReason: { text: 'intolerance (diarrhoea)' },
      dosageInstruction: [{ timing: { repeat: { boundsPeriod: { start: '2024-01-01', end: '2024-06-30' }, frequency: 1, period: 12, periodUnit: 'h' } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'g', system: UCUM, code: 'g' } }] }],
    }));
    expect((rec.medications as J[])[0]).toMatchObject({ dose: '1 g', perDay: 2, start: '2024-01-01', end: '2024-06-30', stopReason: 'intolerance (diarrhoea)' });
  });

  it('a topical glucocorticoid is not systemic use: listed as unmapped', () => {
    const { rec, item } = one(mr('m4', 'Hydrocortisone 10 MG/ML Topical Cream'));
    expect(rec.medications).toEqual([]);
    expect(item.unmapped?.[0]?.why).toMatch(/non-systemic/);
  });

  it('medicationReference to a contained Medication; MedicationStatement effectivePeriod', () => {
    const { rec } = one({
      resourceType: 'MedicationStatement', id: 's1', status: 'completed', subject: subj,
      contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'L04AX01' }], text: 'azathioprine 50 mg' } }],
      medicationReference: { reference: '#med' }, effectivePeriod: { start: '2022-01-01', end: '2023-01-01' },
    });
    expect((rec.medications as J[])[0]).toMatchObject({ code: 'atc:L04AX01', name: 'azathioprine 50 mg', start: '2022-01-01', end: '2023-01-01', status: 'completed' });
  });

  it('a medicationReference that is not in the input: located warning, resource listed', () => {
    const { item } = one({ resourceType: 'MedicationRequest', id: 'm5', status: 'active', subject: subj, medicationReference: { reference: 'Medication/nowhere' } });
    expect(item.diagnostics?.[0]).toMatchObject({ code: 'fhir/unresolved-reference' });
    expect(item.unmapped?.[0]?.ref).toBe('MedicationRequest/m5');
  });

  it('an Immunization with a CVX code is a one-day medication (live-vaccine exclusions)', () => {
    const { rec } = one({ resourceType: 'Immunization', id: 'i1', status: 'completed', patient: subj, occurrenceDateTime: '2026-11-09', vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '21', display: 'varicella' }] } });
    expect((rec.medications as J[])[0]).toEqual({ name: 'varicella', code: 'cvx:21', start: '2026-11-09', end: '2026-11-09', status: 'completed', source: 'Immunization/i1.vaccineCode' });
  });
});

describe('FHIR Consent and elig code systems', () => {
  it.each([
    ['active', { reference: 'Patient/p1' }, { code: 'informed-consent', value: true, by: 'patient' }],
    ['active', { reference: 'RelatedPerson/mum' }, { code: 'informed-consent', value: true, by: 'guardian' }],
    ['rejected', { reference: 'Patient/p1' }, { code: 'informed-consent', value: false, by: 'patient' }],
  ])('research Consent %s by %j → %j', (status, performer, want) => {
    const { rec } = one({ resourceType: 'Consent', id: 'k1', status, patient: subj, dateTime: '2026-11-16', scope: { coding: [{ code: 'research' }] }, performer: [performer] });
    expect(rec.attestations).toEqual([{ ...want, date: '2026-11-16', source: 'Consent/k1.status' }]);
  });
  it('a privacy Consent is not informed consent', () => {
    const { rec } = one({ resourceType: 'Consent', id: 'k2', status: 'active', patient: subj, scope: { coding: [{ code: 'patient-privacy' }] } });
    expect(rec).not.toHaveProperty('attestations');
  });
  it('findings and attestations under elig code systems; a refuted finding Condition is a recorded absence', () => {
    const F = 'https://elig.dev/fhir/CodeSystem/findings';
    const { rec } = one(
      obs('f1', { coding: [{ system: F, code: 'sledai-2k/arthritis' }] }, { valueBoolean: true }),
      obs('f2', { coding: [{ system: F, code: 'ecg-abnormality' }] }, { valueBoolean: false }),
      obs('f3', { coding: [{ system: F, code: 'eular-acr-2019/fever' }] }, {}, { extension: [{ url: 'https://elig.dev/fhir/StructureDefinition/attributed-to', valueString: 'infection' }] }),
      { resourceType: 'Condition', id: 'f4', subject: subj, code: { coding: [{ system: F, code: 'serious-lung-lesion' }] }, verificationStatus: { coding: [{ code: 'refuted' }] }, recordedDate: '2026-11-12' },
      obs('a1', { coding: [{ system: 'https://elig.dev/fhir/CodeSystem/attestations', code: 'leukapheresis-eligible' }] }, { valueBoolean: true }, { performer: [{ reference: 'Practitioner/x' }] }),
      obs('t1', { coding: [{ system: 'https://elig.dev/fhir/CodeSystem/measurements', code: 'sledai-2k' }] }, qty(12, '{score}')),
    );
    expect(rec.findings).toEqual([
      { code: 'sledai-2k/arthritis', present: true, date: '2026-11-16', source: 'Observation/f1.valueBoolean' },
      { code: 'ecg-abnormality', present: false, date: '2026-11-16', source: 'Observation/f2.valueBoolean' },
      { code: 'eular-acr-2019/fever', present: true, date: '2026-11-16', attributedTo: 'infection', source: 'Observation/f3.code' },
      { code: 'serious-lung-lesion', present: false, date: '2026-11-12', source: 'Condition/f4.code' },
    ]);
    expect(rec.attestations).toEqual([{ code: 'leukapheresis-eligible', value: true, by: 'clinician', date: '2026-11-16', source: 'Observation/a1.valueBoolean' }]);
    expect(rec.measurements).toEqual([expect.objectContaining({ code: 'sledai-2k', value: 12, source: 'Observation/t1.valueQuantity' })]);
  });
});

describe('FHIR Bundles: grouping and diagnostics', () => {
  it('a Bundle of several patients: urn:uuid, relative and absolute references all join', () => {
    const items = fhirItems('b.json', {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { fullUrl: 'urn:uuid:aaa', resource: { resourceType: 'Patient', id: 'A' } },
        { fullUrl: 'https://ehr.example/fhir/Patient/B', resource: { resourceType: 'Patient', id: 'B' } },
        { resource: obs('o1', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(1, 'mg/dL'), { subject: { reference: 'urn:uuid:aaa' } }) },
        { resource: obs('o2', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(2, 'mg/dL'), { subject: { reference: 'Patient/B' } }) },
        { resource: obs('o3', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(3, 'mg/dL'), { subject: { reference: 'https://ehr.example/fhir/Patient/A' } }) },
      ],
    });
    expect(items.map((i) => i.kind === 'record' && [(i.raw as J).id, ((i.raw as J).measurements as J[]).map((m) => m.value)])).toEqual([['A', [1, 3]], ['B', [2]]]);
  });

  it.each([
    ['entry is not a list', { resourceType: 'Bundle', type: 'collection', entry: {} }, 'entry'],
    ['no entry list', { resourceType: 'Bundle', type: 'collection' }, 'entry'],
    ['not a FHIR resource', { entry: [] }, 'resourceType'],
    ['a resource that is not a patient', { resourceType: 'Observation', id: 'x' }, 'resourceType'],
  ])('malformed: %s → one located error item', (_n, value, path) => {
    const items = fhirItems('bad.json', value);
    expect(items).toEqual([{ kind: 'error', source: { file: 'bad.json', record: 1 }, diagnostic: expect.objectContaining({ code: 'fhir/invalid-bundle', severity: 'error', location: { file: 'bad.json', path } }) }]);
  });

  it('a broken entry is a located diagnostic; the rest of the Bundle is checked', () => {
    const items = fhirItems('b.json', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: { id: 'no-type' } }, 'junk', { resource: obs('o1', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(1, 'mg/dL')) }] });
    expect(items).toHaveLength(1);
    const it0 = items[0]!;
    expect(it0.kind).toBe('record');
    if (it0.kind !== 'record') return;
    expect((it0.raw as J).measurements).toHaveLength(1);
    expect(it0.diagnostics?.map((d) => [d.code, d.location?.path])).toEqual([['fhir/invalid-bundle', 'entry[1].resource.resourceType'], ['fhir/invalid-bundle', 'entry[2]']]);
  });

  it('a reference to a missing Patient: one located error item per missing patient; the others are checked', () => {
    const items = fhirItems('b.json', bundle(
      obs('o1', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(1, 'mg/dL')),
      obs('o2', { coding: [{ system: LOINC, code: '2160-0' }] }, qty(1, 'mg/dL'), { subject: { reference: 'Patient/ghost' } }),
      obs('o3', { coding: [{ system: LOINC, code: '1920-8' }] }, qty(1, 'U/L'), { subject: { reference: 'Patient/ghost' } }),
    ));
    expect(items.map((i) => i.kind)).toEqual(['record', 'error']);
    expect(items[1]).toMatchObject({ kind: 'error', id: 'Patient/ghost', source: { file: 'b.json', record: 2 }, diagnostic: { code: 'fhir/missing-patient', location: { file: 'b.json', path: 'entry[2].resource.subject' } } });
    expect((items[0] as { raw: J }).raw.measurements).toHaveLength(1);
  });

  it('unmapped resources are counted, never fail the record', () => {
    const { item } = one({ resourceType: 'Encounter', id: 'e1', subject: subj }, { resourceType: 'Claim', id: 'c1', patient: subj });
    expect(item.unmapped).toEqual([{ ref: 'Encounter/e1', why: 'resource type not used by elig' }, { ref: 'Claim/c1', why: 'resource type not used by elig' }]);
  });

  it('every mapped record validates and evaluates (no error verdict)', () => {
    const c = compile('inclusion:\n  - id: c\n    text: t\n    rule: { measurement: creatinine, max: 2 mg/dL }\n');
    const { rec } = one(obs('o1', { coding: [{ system: LOINC, code: '38483-4' }] }, qty(0.78, 'mg/dL')));
    const r = evaluateRecord(c, rec, '2026-11-25', { file: 'b.json', record: 1 });
    expect(r.verdict).toBe('eligible');
    expect(r.criteria[0]!.reasons[0]!.observed?.source).toBe('Observation/o1.valueQuantity');
  });
});

describe('FHIR Procedure → procedures', () => {
  const proc = (id: string, code: J, extra: J = {}): J => ({ resourceType: 'Procedure', id, status: 'completed', code, subject: subj, performedDateTime: '2026-09-01T10:00:00Z', ...extra });
  it.each([
    // [resource, mapped procedures (undefined: none)]
    [proc('d1', { coding: [{ system: SCT, code: '302497006', display: 'Hemodialysis' }] }), [{ code: 'snomed:302497006', name: 'Hemodialysis', date: '2026-09-01', status: 'completed', source: 'Procedure/d1.code' }]],
    [proc('d2', { text: 'Leukapheresis' }, { performedPeriod: { start: '2026-10-01', end: '2026-10-02' }, performedDateTime: undefined }), [{ code: 'Leukapheresis', name: 'Leukapheresis', date: '2026-10-01', status: 'completed', source: 'Procedure/d2.code' }]],
    [proc('d3', { coding: [{ system: SCT, code: '302497006' }] }, { status: 'not-done' }), undefined],
    [proc('d4', { coding: [{ system: 'http://example.org/local', code: 'x' }] }), [{ code: 'x', name: 'x', date: '2026-09-01', status: 'completed', source: 'Procedure/d4.code' }]], // kept, so a rule can name it
    // ICD-10-PCS and CPT by their FHIR system URIs
    [proc('d5', { coding: [{ system: 'http://www.cms.gov/Medicare/Coding/ICD10', code: '02703DZ' }] }), [{ code: 'icd10pcs:02703DZ', name: '02703DZ', date: '2026-09-01', status: 'completed', source: 'Procedure/d5.code' }]],
    [proc('d6', { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '92928' }] }), [{ code: 'cpt:92928', name: '92928', date: '2026-09-01', status: 'completed', source: 'Procedure/d6.code' }]],
  ])('%j', (resource, want) => {
    const { rec } = one(resource);
    expect(rec.procedures).toEqual(want);
  });
  it('a PCI coded in ICD-10-PCS decides a cardiovascular procedure rule', () => {
    const c = compile('inclusion:\n  - id: c\n    text: t\n    rule: { procedure: major-cardiovascular-procedure, within: 3 mo }\n');
    const { item } = one(proc('d5', { coding: [{ system: 'http://www.cms.gov/Medicare/Coding/ICD10', code: '02703DZ' }] }));
    expect(evaluateRecord(c, item.raw, '2026-11-25', item.source).criteria[0]!.status).toBe('pass');
  });
  it('a mapped dialysis decides a procedure rule', () => {
    const c = compile('inclusion:\n  - id: c\n    text: t\n    rule: { procedure: dialysis, within: 6 mo }\n');
    const { item } = one(proc('d1', { coding: [{ system: SCT, code: '302497006' }] }));
    expect(evaluateRecord(c, item.raw, '2026-11-25', item.source).criteria[0]!.status).toBe('pass');
  });
});
