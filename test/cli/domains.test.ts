/**
 * `elig check` end to end on the record domains devices, allergies, family history and tobacco use:
 * a FHIR Bundle (DeviceUseStatement + Device, AllergyIntolerance, FamilyMemberHistory, smoking status)
 * and the same facts as a CSV row give the same statuses, and the exit code follows the verdicts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { PatientResult } from '../../src/index.js';
import { memIo } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'elig-domains-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const subj = { reference: 'Patient/c1' };
const SCT = 'http://snomed.info/sct';
/** A 10-year-old with type 1 diabetes on a MiniMed 670G since 2024 (nct04612257 excludes the 670G). */
const bundle = {
  resourceType: 'Bundle', type: 'collection',
  entry: [
    { resourceType: 'Patient', id: 'c1', gender: 'female', birthDate: '2016-04-12' },
    { resourceType: 'Condition', id: 'd', subject: subj, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E10.9' }] }, onsetDateTime: '2021-02-03' },
    { resourceType: 'Observation', id: 'a1c', status: 'final', subject: subj, code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] }, effectiveDateTime: '2026-09-14', valueQuantity: { value: 7.9, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } },
    { resourceType: 'Observation', id: 'w', status: 'final', subject: subj, code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, effectiveDateTime: '2026-11-18', valueQuantity: { value: 34, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } },
    { resourceType: 'MedicationStatement', id: 'ins', status: 'active', subject: subj, medicationCodeableConcept: { text: 'insulin lispro' }, effectivePeriod: { start: '2026-10-01' }, dosage: [{ doseAndRate: [{ doseQuantity: { value: 20, unit: 'U' } }], timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }] },
    { resourceType: 'Device', id: 'pump', patient: subj, type: { coding: [{ system: SCT, code: '69805005' }], text: 'insulin pump' }, deviceName: [{ name: 'MiniMed 670G', type: 'model-name' }] },
    { resourceType: 'DeviceUseStatement', id: 'use', status: 'active', subject: subj, device: { reference: 'Device/pump' }, timingPeriod: { start: '2024-03-01' } },
    { resourceType: 'Observation', id: 'ill', status: 'final', subject: subj, code: { coding: [{ system: 'https://elig.dev/fhir/CodeSystem/findings', code: 'interfering-illness' }] }, effectiveDateTime: '2026-11-18', valueBoolean: false },
  ].map((resource) => ({ resource })),
};
const bundleFile = join(dir, 'child.json');
writeFileSync(bundleFile, JSON.stringify(bundle));
const csvFile = join(dir, 'child.csv');
writeFileSync(csvFile, 'id,birthDate,conditions,hba1c,hba1c.unit,hba1c.date,weight,weight.unit,weight.date,medication:insulin lispro,medication:insulin lispro.perDay,medication:insulin lispro.start,medication:insulin lispro.status,finding:interfering-illness,finding:interfering-illness.date,device:insulin-pump,device:insulin-pump.model,device:insulin-pump.start\n'
  + 'c1,2016-04-12,icd10:E10.9,7.9,%,2026-09-14,34,kg,2026-11-18,20 U,1,2026-10-01,active,no,2026-11-18,yes,MiniMed 670G,2024-03-01\n');

async function check(file: string, failOn?: string): Promise<{ code: number; patient: PatientResult }> {
  const io = memIo();
  const code = await main(['check', '--criteria', 'criteria/nct04612257.yaml', '--as-of', '2026-11-25', '-f', 'json', ...(failOn ? ['--fail-on', failOn] : []), file], io);
  const report = JSON.parse(io.out()) as { patients: PatientResult[] };
  return { code, patient: report.patients[0]! };
}
const status = (p: PatientResult, id: string) => p.criteria.find((c) => c.id === id)?.status;

describe('elig check with devices from FHIR and CSV', () => {
  it('FHIR: the 670G in use since 2024 is a pump for ≥ 3 months and excludes; exit 1 (ineligible)', async () => {
    const { code, patient } = await check(bundleFile);
    expect(code).toBe(1);
    expect(patient.verdict).toBe('ineligible');
    expect(status(patient, 'pump-3-months')).toBe('pass');
    expect(status(patient, 'medtronic-670g')).toBe('fail');
    const reason = patient.criteria.find((c) => c.id === 'medtronic-670g')!.reasons.find((r) => r.code === 'device');
    expect(reason?.observed?.source).toBe('DeviceUseStatement/use.device');
  });
  it('CSV (device: columns): the same facts give the same statuses', async () => {
    const fhir = await check(bundleFile);
    const csv = await check(csvFile);
    expect(csv.code).toBe(1);
    expect(Object.fromEntries(csv.patient.criteria.map((c) => [c.id, c.status]))).toEqual(Object.fromEntries(fhir.patient.criteria.map((c) => [c.id, c.status])));
  });
  it('--fail-on none: exit 0 whatever the verdicts', async () => {
    expect((await check(bundleFile, 'none')).code).toBe(0);
  });
});

describe('elig check on a CSV that asks about one device only', () => {
  // a pump sheet: "no" says there is no insulin pump, nothing about a pacemaker
  const criteria = join(dir, 'pacemaker.yaml');
  writeFileSync(criteria, 'schema: elig/criteria@1\nid: pacemaker-test\nversion: 1.0.0\ninclusion:\n  - id: female\n    text: Female.\n    rule: { fact: sex, is: female }\n'
    + 'exclusion:\n  - id: pacemaker\n    text: A cardiac pacemaker.\n    rule: { device: cardiac-pacemaker }\n  - id: pump\n    text: An insulin pump.\n    rule: { device: insulin-pump }\n');
  const sheet = join(dir, 'pump-sheet.csv');
  writeFileSync(sheet, 'id,sex,device:insulin-pump\np1,female,no\n');
  it('device:insulin-pump = no: the pump exclusion passes, the pacemaker exclusion stays unknown (indeterminate, exit 1), never eligible', async () => {
    const io = memIo();
    const code = await main(['check', '--criteria', criteria, '--as-of', '2026-11-25', '-f', 'json', sheet], io);
    const p = (JSON.parse(io.out()) as { patients: PatientResult[] }).patients[0]!;
    expect(status(p, 'pump')).toBe('pass');
    expect(status(p, 'pacemaker')).toBe('unknown');
    expect(p.criteria.find((c) => c.id === 'pacemaker')!.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
    expect(p.verdict).toBe('indeterminate');
    expect(code).toBe(1);
  });
});
