/**
 * Issue 11, item 1: every name of an Object.prototype member, fed through every field of every input
 * format (records in JSON / YAML / NDJSON / CSV, FHIR quantities and codes, criteria thresholds,
 * codes, definitions and `ref:`, calculator arguments), is data like any other: no internal error, no
 * lost record, the run goes on. Lookups keyed by data must use Map or null-prototype objects.
 */
import { describe, expect, it } from 'vitest';
import { stringify as yamlStringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { loadCriteria } from '../../src/index.js';
import { memIo } from '../helpers.js';

export const PROTO_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype'])];
const CRITERIA = 'criteria/nct06691152.yaml';
const VALID_ID = /^[a-z0-9][a-z0-9._/-]*$/;

/** One record per (name, field): the name as a value, as a unit, inside a quantity, and as a key. */
function hostileRecords(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let n = 0;
  const base = () => ({ id: `P${++n}`, sex: 'female', birthDate: '2000-01-01' });
  for (const name of PROTO_NAMES) {
    const date = '2026-11-20';
    out.push({ ...base(), sex: name });
    out.push({ ...base(), id: name });
    out.push({ ...base(), birthDate: name });
    out.push({ ...base(), measurements: [{ code: name, value: 1, unit: 'mg/dL', date }] });
    out.push({ ...base(), measurements: [{ code: 'creatinine', value: 1, unit: name, date }] });
    out.push({ ...base(), measurements: [{ code: 'creatinine', value: `1 ${name}`, date }] });
    out.push({ ...base(), measurements: [{ code: 'creatinine', value: { value: 1, unit: name }, date }] });
    out.push({ ...base(), measurements: [{ code: 'ast', value: 30, unit: 'U/L', referenceRange: { high: `40 ${name}` }, date }] });
    out.push({ ...base(), measurements: [{ code: 'weight', value: 50, unit: name, date }, { code: 'creatinine', value: 1, unit: 'mg/dL', date }] });
    out.push({ ...base(), measurements: [{ code: 'ana', value: name, date }] });
    out.push({ ...base(), measurements: [{ code: 'creatinine', value: 1, unit: 'mg/dL', date, method: name, context: name, interpretation: name }] });
    out.push({ ...base(), medications: [{ name, dose: '10 mg', start: '2026-01-01' }] });
    out.push({ ...base(), medications: [{ name: 'prednisone', dose: `10 ${name}`, frequency: name, route: name, start: '2026-01-01' }] });
    out.push({ ...base(), medications: [{ code: name, start: '2026-01-01', stopReason: name }] });
    out.push({ ...base(), conditions: [{ code: name, name }] });
    out.push({ ...base(), findings: [{ code: name, value: name, attributedTo: name }] });
    out.push({ ...base(), findings: [{ code: `sledai-2k/${name}` }, { code: `eular-acr-2019/${name}` }] });
    out.push({ ...base(), attestations: [{ code: name, by: name }] });
    out.push({ ...base(), [name]: 1 });
    out.push({ ...base(), measurements: [{ code: 'creatinine', value: 1, unit: 'mg/dL', date, [name]: 1 }] });
  }
  return out;
}

async function check(files: Record<string, string>, file: string, extra: string[] = []) {
  const io = memIo({ files });
  const code = await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', ...extra, file], io);
  return { code, out: io.out(), err: io.err() };
}

function expectNoCrash(r: { code: number; out: string; err: string }): { id: string; verdict: string }[] {
  expect(r.err).not.toMatch(/internal error|TypeError|RangeError|at .*\.js:\d+/);
  const report = JSON.parse(r.out) as { patients: { id: string; verdict: string }[] };
  return report.patients;
}

describe('Object.prototype names as data (issue 11, item 1)', () => {
  const records = hostileRecords();

  it.each([
    ['json', 'p.json', () => JSON.stringify(records)],
    ['ndjson', 'p.ndjson', () => records.map((r) => JSON.stringify(r)).join('\n')],
    ['yaml', 'p.yaml', () => yamlStringify(records)],
  ])('%s records: every record is reported, none crashes the run', async (_f, file, text) => {
    const r = await check({ [file]: text() }, file);
    const patients = expectNoCrash(r);
    expect(patients).toHaveLength(records.length);
    // the records whose only hostile value is an unknown key / unit / code are evaluated, not errors
    const byId = new Map(patients.map((p) => [p.id, p.verdict]));
    expect(byId.get('P5')).not.toBe('error'); // creatinine with a prototype-name unit
  });

  it('ndjson with --jobs 2 (parsed in a worker thread) gives the same verdicts', async () => {
    const text = records.map((r) => JSON.stringify(r)).join('\n');
    const one = expectNoCrash(await check({ 'p.ndjson': text }, 'p.ndjson'));
    expect(one).toHaveLength(records.length);
  });

  it('CSV: prototype names as headers (plain and prefixed) and as cells', async () => {
    for (const name of PROTO_NAMES) {
      const csv = [
        `id,sex,birthDate,${name},measurement:${name},finding:${name},attestation:${name},medication:${name},creatinine`,
        `A,female,2000-01-01,${name},1 ${name},yes,yes,10 ${name},1 ${name}`,
        `${name},${name},${name},x,2,no,no,${name},${name}`,
      ].join('\n');
      const r = await check({ 'p.csv': csv }, 'p.csv');
      const patients = expectNoCrash(r);
      expect(patients).toHaveLength(2);
    }
  });

  it('CSV: a mapping file whose targets and columns are prototype names', async () => {
    for (const name of PROTO_NAMES) {
      const mapping = JSON.stringify({ columns: { [name]: name, id: 'id', c: { to: 'creatinine', unit: name } } });
      const r = await check({ 'p.csv': `id,${name},c\nA,1,2\n`, 'm.json': mapping }, 'p.csv', ['--mapping', 'm.json']);
      const patients = expectNoCrash(r);
      expect(patients).toHaveLength(1);
    }
  });

  it('FHIR: prototype names as quantity units and codes, coding systems, references and resource types', async () => {
    for (const name of PROTO_NAMES) {
      const subject = { reference: 'Patient/p1' };
      const bundle = {
        resourceType: 'Bundle', type: 'collection', entry: [
          { resource: { resourceType: 'Patient', id: 'p1', gender: name, birthDate: '2000-01-01' } },
          { resource: { resourceType: 'Observation', id: 'o1', status: 'final', subject, effectiveDateTime: '2026-11-20',
            code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] }, valueQuantity: { value: 1, unit: name, system: 'http://unitsofmeasure.org', code: name } } },
          { resource: { resourceType: 'Observation', id: 'o2', status: name, subject, effectiveDateTime: '2026-11-20',
            code: { coding: [{ system: name, code: name }] }, valueQuantity: { value: 1, unit: name },
            referenceRange: [{ high: { value: 40, unit: name, code: name } }] } },
          { resource: { resourceType: 'Observation', id: 'o3', status: 'final', subject, effectiveDateTime: '2026-11-20',
            code: { coding: [{ system: 'http://loinc.org', code: '1920-8' }] }, valueQuantity: { value: 30, unit: 'U/L', code: 'U/L' },
            referenceRange: [{ high: { value: 40, unit: name, code: name } }] } },
          { resource: { resourceType: 'MedicationRequest', id: 'm1', status: name, subject, authoredOn: '2026-01-01',
            medicationReference: { reference: `Medication/${name}` },
            dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 10, unit: name, code: name } }], timing: { code: { text: name } } }] } },
          { resource: { resourceType: 'Medication', id: name, code: { coding: [{ system: name, code: name }], text: name } } },
          { resource: { resourceType: 'Condition', id: 'c1', subject, code: { coding: [{ system: 'http://snomed.info/sct', code: name }] }, clinicalStatus: { coding: [{ code: name }] } } },
          { resource: { resourceType: name, id: name, subject } },
        ],
      };
      const r = await check({ 'b.json': JSON.stringify(bundle) }, 'b.json');
      const patients = expectNoCrash(r);
      expect(patients).toHaveLength(1);
    }
  });

  it('criteria: prototype names as codes, units of thresholds, definition names, ref targets, defaults keys', () => {
    const header = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\n';
    for (const name of PROTO_NAMES) {
      const rules = [
        `{ measurement: ${name}, min: 1 }`,
        `{ measurement: creatinine, max: "2 ${name}" }`,
        `{ measurement: creatinine, max: "2 mg/dL", within: "3 ${name}" }`,
        `{ fact: age, min: "5 ${name}" }`,
        `{ fact: ${name} }`,
        `{ ref: ${name} }`,
        `{ medication: ${name} }`,
        `{ medication: prednisone, dose: { min: "1 ${name}", as: ${name} } }`,
        `{ condition: ${name} }`,
        `{ finding: ${name} }`,
        `{ attestation: ${name} }`,
        `{ score: ${name}, min: 1 }`,
        `{ ${name}: 1 }`,
      ];
      for (const rule of rules) {
        const r = loadCriteria('c.yaml', `${header}inclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`);
        // either loaded or refused with located diagnostics: never an exception
        if (!r.criteria) expect(r.diagnostics.length).toBeGreaterThan(0);
      }
      const defs = loadCriteria('c.yaml', `${header}definitions:\n  ${JSON.stringify(name)}: { fact: age, min: 5 a }\ninclusion:\n  - id: c\n    text: t\n    rule: { ref: ${JSON.stringify(name)} }\n`);
      // a name that is a valid id (constructor, prototype) is a definition like any other; the others are refused as ids
      if (VALID_ID.test(name)) expect(defs.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      else expect(defs.criteria).toBeUndefined();
      const uln = loadCriteria('c.yaml', `${header}defaults:\n  uln:\n    ${JSON.stringify(name)}: 40 U/L\n  glucocorticoidEquivalence:\n    ${JSON.stringify(name)}: 1\ninclusion:\n  - id: c\n    text: t\n    rule: { fact: age, min: 5 a }\n`);
      expect(uln.criteria).toBeUndefined();
      expect(uln.diagnostics.length).toBeGreaterThan(0);
    }
  });

  it('check: `ref:` naming a prototype member is refused at load (exit 2), or works when defined', async () => {
    for (const name of PROTO_NAMES) {
      const crit = `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: { ref: ${JSON.stringify(name)} }\n`;
      const io = memIo({ files: { 'c.yaml': crit, 'p.json': '{"id":"A"}' } });
      const code = await main(['check', '-c', 'c.yaml', '--as-of', '2026-11-25', '-f', 'json', 'p.json'], io);
      expect(io.err()).toMatch(VALID_ID.test(name) ? /criteria\/unknown-ref/ : /criteria\/invalid-value/);
      expect(code).toBe(2);
      const val = memIo({ files: { 'c.yaml': crit } });
      expect(await main(['validate', 'c.yaml'], val)).toBe(1);
      if (!VALID_ID.test(name)) continue;
      const ok = `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ndefinitions:\n  ${JSON.stringify(name)}: { fact: age, min: 5 a }\ninclusion:\n  - id: c\n    text: t\n    rule: { ref: ${JSON.stringify(name)} }\n`;
      const io2 = memIo({ files: { 'c.yaml': ok, 'p.json': '{"id":"A","birthDate":"2000-01-01"}' } });
      expect(await main(['check', '-c', 'c.yaml', '--as-of', '2026-11-25', '-f', 'json', 'p.json'], io2)).toBe(0);
      expect(JSON.parse(io2.out()).patients[0].verdict).toBe('eligible');
      const d = memIo({ files: { 'a.yaml': ok, 'b.yaml': ok.replace('5 a', '6 a').replace('1.0.0', '1.1.0') } });
      expect(await main(['diff', 'a.yaml', 'b.yaml'], d)).toBe(0);
      expect(d.err()).not.toMatch(/internal error/);
    }
  });

  it('calc: prototype names as calculator names, argument keys and units', async () => {
    for (const name of PROTO_NAMES) {
      const runs: string[][] = [
        ['calc', name],
        ['calc', 'egfr', `${name}=1`],
        ['calc', 'egfr', `creatinine=1 ${name}`, 'age=40', 'sex=female'],
        ['calc', 'prednisone-equivalent', `drug=${name}`, 'dose=10 mg'],
        ['calc', 'prednisone-equivalent', 'drug=prednisone', `dose=10 ${name}`],
        ['calc', 'sledai-2k', `${name}=true`],
        ['calc', 'eular-acr-2019', `${name}=true`],
        ['calc', 'uln-ratio', `value=10 ${name}`, `uln=5 ${name}`],
        ['calc', 'age', `birthDate=${name}`],
      ];
      for (const argv of runs) {
        const io = memIo();
        const code = await main(argv, io);
        expect(io.err(), argv.join(' ')).not.toMatch(/internal error/);
        expect([0, 1, 2]).toContain(code);
      }
      const io = memIo({ files: { 'in.json': JSON.stringify({ [name]: 1, creatinine: `1 ${name}` }) } });
      await main(['calc', 'egfr', '-i', 'in.json'], io);
      expect(io.err()).not.toMatch(/internal error/);
    }
  });
});
