/** Lab reference limits and interpretation flags through each input format: plain records, CSV, FHIR. */
import { describe, expect, it } from 'vitest';
import { fhirItems } from '../../src/inputs/fhir/index.js';
import { planCsv } from '../../src/inputs/csv.js';
import { compile, statusOf } from '../helpers.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
type J = Record<string, unknown>;
const patient: J = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-02' };
const obs = (extra: J): J => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: LOINC, code: '718-7' }] }, subject: { reference: 'Patient/p1' }, effectiveDateTime: '2026-11-16T08:00:00Z', ...extra });
const fhirRecord = (o: J): J => {
  const items = fhirItems('b.json', { resourceType: 'Bundle', type: 'collection', entry: [patient, o].map((resource) => ({ resource })) });
  const item = items[0]!;
  if (item.kind !== 'record') throw new Error('not a record');
  return item.raw as J;
};

const lln = compile('defaults: { lookback: 1 a }\ninclusion:\n  - { id: c, text: Hb at least LLN, rule: { measurement: haemoglobin, min: 1 x LLN } }\n');
const normal = compile('defaults: { lookback: 1 a }\ninclusion:\n  - { id: c, text: Hb normal, rule: { measurement: haemoglobin, normal: true } }\n');

describe('FHIR Observation: referenceRange.low and interpretation', () => {
  it('referenceRange.low and .high are read (the LLN decides min: 1 x LLN)', () => {
    const rec = fhirRecord(obs({ valueQuantity: { value: 11, unit: 'g/dL', system: UCUM, code: 'g/dL' }, referenceRange: [{ low: { value: 12, unit: 'g/dL', system: UCUM, code: 'g/dL' }, high: { value: 16, system: UCUM, code: 'g/dL' } }] }));
    expect(rec.measurements).toMatchObject([{ referenceRange: { low: { value: 12, unit: 'g/dL' }, high: { value: 16, unit: 'g/dL' } } }]);
    expect(statusOf(lln, rec)).toBe('fail');
  });
  it('an Observation with only an interpretation (no value) is kept as a flag', () => {
    const rec = fhirRecord(obs({ interpretation: [{ coding: [{ system: V3, code: 'N', display: 'Normal' }] }] }));
    expect(rec.measurements).toMatchObject([{ interpretation: 'N' }]);
    expect(statusOf(normal, rec)).toBe('pass');
    const high = fhirRecord(obs({ interpretation: [{ coding: [{ system: V3, code: 'HH', display: 'Critical high' }] }] }));
    expect(statusOf(normal, high)).toBe('fail');
  });
  it('without value or interpretation it is still not a measurement', () => {
    expect(fhirRecord(obs({})).measurements ?? []).toEqual([]);
  });
});

describe('CSV: .lln and a flag alone', () => {
  const plan = planCsv('x.csv', ['id', 'haemoglobin', 'haemoglobin.unit', 'haemoglobin.lln', 'haemoglobin.interpretation', 'date']);
  it('haemoglobin.lln is the reference range low', () => {
    const { record } = plan.row(['p1', '12.5', 'g/dL', '12', '', '2026-11-16']);
    expect(record.measurements).toMatchObject([{ value: 12.5, referenceRange: { low: 12 } }]);
    expect(statusOf(lln, record)).toBe('pass');
  });
  it('an interpretation cell without a value is kept; the flag decides what it can', () => {
    const { record } = plan.row(['p1', '', '', '', 'L', '2026-11-16']);
    expect(record.measurements).toMatchObject([{ interpretation: 'L' }]);
    expect(statusOf(lln, record)).toBe('fail');
  });
});

describe('plain records', () => {
  it('a measurement with a flag alone (no value) is read: A is outside the range', () => {
    expect(statusOf(normal, { measurements: [{ code: 'haemoglobin', interpretation: 'A', date: '2026-11-16' }] })).toBe('fail');
  });
});
