/**
 * The hand-written FHIR Bundles in fixtures/fhir/ reach the same verdict and the same status on every
 * criterion of the seed trial as their plain-record twins (fixtures/fhir/twins/), and between them
 * every criterion is decided from FHIR alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCriteria, evaluateRecord, loadCriteria, type PatientResult } from '../../src/index.js';
import { parseFhirRecords } from '../../src/inputs/fhir/index.js';
import { parseYamlRecords } from '../../src/inputs/yaml.js';

const AS_OF = '2026-11-25';
const loaded = loadCriteria('criteria/nct06691152.yaml', readFileSync('criteria/nct06691152.yaml', 'utf8'));
const compiled = compileCriteria(loaded.criteria!);

function fhirResults(file: string): PatientResult[] {
  const path = `fixtures/fhir/${file}`;
  return parseFhirRecords(path, readFileSync(path, 'utf8')).map((item) => {
    if (item.kind !== 'record') throw new Error(`${file}: ${item.diagnostic.code} ${item.diagnostic.message}`);
    expect(item.diagnostics ?? []).toEqual([]);
    return evaluateRecord(compiled, item.raw, AS_OF, item.source);
  });
}

function twinResult(file: string): PatientResult {
  const path = `fixtures/fhir/twins/${file}`;
  const [item] = parseYamlRecords(path, readFileSync(path, 'utf8'));
  if (item?.kind !== 'record') throw new Error(`${file}: not a record`);
  return evaluateRecord(compiled, item.raw, AS_OF, item.source);
}

const statuses = (r: PatientResult) => Object.fromEntries(r.criteria.map((c) => [c.id, c.status]));

const CASES = [
  { bundle: 'f01-adult-eligible.json', index: 0, twin: 'f01-adult-eligible.yaml', id: 'F-001', verdict: 'eligible' },
  { bundle: 'f02-child-egfr-from-creatinine.json', index: 0, twin: 'f02-child-egfr-from-creatinine.yaml', id: 'F-002', verdict: 'ineligible' },
  { bundle: 'f03-searchset-two-adults.json', index: 0, twin: 'f03-adult-methylprednisolone.yaml', id: 'F-003', verdict: 'eligible' },
  { bundle: 'f03-searchset-two-adults.json', index: 1, twin: 'f04-adult-messy-ineligible.yaml', id: 'F-004', verdict: 'ineligible' },
] as const;

describe('FHIR fixtures and their plain-record twins', () => {
  it.each(CASES)('$bundle #$index ($id) = twins/$twin: $verdict', ({ bundle, index, twin, id, verdict }) => {
    const fhir = fhirResults(bundle)[index]!;
    const plain = twinResult(twin);
    expect(fhir.id).toBe(id);
    expect(fhir.verdict).toBe(verdict);
    expect(plain.verdict).toBe(verdict);
    expect(statuses(fhir)).toEqual(statuses(plain));
  });

  it('between them, every criterion of the trial passes from FHIR alone (and the decisive fails are the intended ones)', () => {
    const all = CASES.map(({ bundle, index }) => fhirResults(bundle)[index]!);
    for (const c of compiled.criteria) expect(all.some((r) => statuses(r)[c.id] === 'pass'), c.id).toBe(true);
    expect(Object.entries(statuses(all[1]!)).filter(([, s]) => s === 'fail')).toEqual([['live-vaccine', 'fail']]);
    expect(Object.entries(statuses(all[3]!)).filter(([, s]) => s === 'fail').map(([k]) => k)).toEqual(['liver-function', 'informed-consent']);
  });

  it('reasons name FHIR resources and elements, never record paths', () => {
    for (const { bundle, index } of CASES) {
      const r = fhirResults(bundle)[index]!;
      const sources = r.criteria.flatMap((c) => c.reasons).map((x) => x.observed?.source).filter((s): s is string => s !== undefined);
      expect(sources.length).toBeGreaterThan(5);
      for (const s of sources) expect(s, `${bundle}: ${s}`).toMatch(/^(calculator:|birthDate|age|sex|deceasedDate|(Observation|Condition|Procedure|MedicationRequest|MedicationStatement|MedicationAdministration|Immunization|Consent)\/[^./]+\.)/);
    }
  });

  it('the child (F-002): eGFR derived by bedside Schwartz from a blood creatinine in µmol/L and the height', () => {
    const renal = fhirResults('f02-child-egfr-from-creatinine.json')[0]!.criteria.find((c) => c.id === 'renal-function')!;
    expect(renal.status).toBe('pass');
    expect(renal.reasons[0]!.derivation).toMatchObject({ calculator: 'egfr', inputs: expect.arrayContaining([expect.objectContaining({ source: 'Observation/f02-creat.valueQuantity' }), expect.objectContaining({ source: 'Observation/f02-height.valueQuantity' })]) });
  });

  it('the adult on methylprednisolone (F-003): 6 × 4 mg tablets twice a day = 60 mg/d prednisone-equivalent at 60 kg', () => {
    const refractory = fhirResults('f03-searchset-two-adults.json')[0]!.criteria.find((c) => c.id === 'refractory-disease')!;
    expect(refractory.status).toBe('pass');
    const course = refractory.reasons.find((x) => x.code === 'medication-course' && x.observed?.source?.startsWith('MedicationRequest/f03-mp-24'));
    expect(course?.status).toBe('pass');
  });
});
