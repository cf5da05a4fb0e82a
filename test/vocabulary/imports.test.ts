/** imports: elig concept files, FHIR R4 ValueSets and OHDSI ATLAS concept set expressions, on published-format fixtures. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCriteria, evaluateRecord, formatDiagnosticLine, loadCriteria, readImport } from '../../src/index.js';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const DIR = 'fixtures/imports';
const read = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8');
const TRIAL = read('trial.yaml');
const IMPORTS = { 'car-t-china.yaml': read('car-t-china.yaml'), 'insulins.valueset.json': read('insulins.valueset.json'), 'pancreatitis.atlas.json': read('pancreatitis.atlas.json') };

describe('FHIR R4 ValueSet', () => {
  const r = readImport({ path: 'v.json', as: 'insulin', kind: 'drug' }, 'v.json', IMPORTS['insulins.valueset.json']);
  it('codes from expansion.contains (nested too, abstract entries skipped) and compose.include[].concept', () => {
    expect(r.format).toBe('fhir-valueset');
    expect(r.concepts).toEqual([{ id: 'insulin', kind: 'drug', display: 'Insulins and analogues', codes: ['atc:A10AB05', 'atc:A10AE05', 'atc:A10AB01', 'atc:A10AE04'] }]);
  });
  it('an include by filter cannot be expanded offline: a located warning', () => {
    expect(r.diagnostics.map(formatDiagnosticLine)).toEqual([
      'v.json:17:7: warning vocabulary/import-skipped: compose.include[1] selects by filter: elig cannot expand it offline; export the ValueSet with its expansion (at compose.include[1])',
    ]);
  });
  it('compose.exclude becomes the concept\'s exclusions; unknown systems and bad codes are said', () => {
    const vs = { resourceType: 'ValueSet', name: 'T2DM', compose: {
      include: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', concept: [{ code: 'E11.9' }, { code: 'E1165' }] }, { system: 'http://example.org/local', concept: [{ code: 'X' }] }],
      exclude: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', concept: [{ code: 'E11.0' }] }] } };
    const x = readImport({ path: 'x.json', kind: 'condition' }, 'x.json', JSON.stringify(vs, null, 1));
    expect(x.concepts).toEqual([{ id: 't2dm', kind: 'condition', display: 'T2DM', codes: ['icd10cm:E11.9'], exclude: ['icd10cm:E11.0'] }]);
    expect(x.diagnostics.map((d) => `${d.code}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`)).toEqual([
      'code/malformed: "E1165" is not an ICD-10-CM code (a letter, two characters, optionally a dot and up to four more: M32.14) — did you mean icd10cm:E11.65?',
      'vocabulary/import-skipped: code X of http://example.org/local is in no code system elig knows: left out',
    ]);
  });
});

describe('OHDSI ATLAS concept set expression', () => {
  const r = readImport({ path: 'a.json', as: 'pancreatitis', kind: 'condition' }, 'a.json', IMPORTS['pancreatitis.atlas.json']);
  it('CONCEPT_CODE + VOCABULARY_ID; includeDescendants explicit where the code structure is the hierarchy; isExcluded', () => {
    expect(r.format).toBe('atlas-concept-set');
    expect(r.concepts).toEqual([{
      id: 'pancreatitis', kind: 'condition', display: 'pancreatitis',
      codes: ['snomed:197456007', 'icd10cm:K86.0'], descendants: ['icd10cm:K85'], exclude: ['icd10cm:K85.3'],
      synonyms: ['Acute pancreatitis', 'Alcohol-induced chronic pancreatitis'],
    }]);
  });
  it('includeDescendants on SNOMED CT and includeMapped cannot be honoured offline: located warnings', () => {
    expect(r.diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`)).toEqual([
      '5:50 includeDescendants on snomed:197456007: snomed has no release here to expand its descendants; only snomed:197456007 itself matches (list the descendants, or export the resolved concept set)',
      '9:73 includeMapped on icd10cm:K85: codes mapped to it are not followed offline; only icd10cm:K85 and its descendants match',
    ]);
  });
  it('the wrapped form { expression: { items } } too', () => {
    const x = readImport({ path: 'w.json', as: 'p', kind: 'condition' }, 'w.json', JSON.stringify({ name: 'P', expression: JSON.parse(IMPORTS['pancreatitis.atlas.json']) }));
    expect(x.concepts[0]!.descendants).toEqual(['icd10cm:K85']);
  });
});

describe('a criteria file with imports', () => {
  const loaded = loadCriteria(`${DIR}/trial.yaml`, TRIAL, { imports: IMPORTS });
  const c = compileCriteria(loaded.criteria!);
  const statuses = (rec: Record<string, unknown>) => Object.fromEntries(evaluateRecord(c, { id: 'x', birthDate: '1970-01-01', ...rec }, '2026-11-25', { file: 't' }).criteria.map((x) => [x.id, x.status]));
  it('loads, with the imports\' warnings located in the imported files, and stamps each import', () => {
    expect(loaded.diagnostics.map((d) => d.location?.file)).toEqual([`${DIR}/insulins.valueset.json`, `${DIR}/pancreatitis.atlas.json`, `${DIR}/pancreatitis.atlas.json`]);
    expect(loaded.criteria!.imports.map((i) => i.path)).toEqual(['car-t-china.yaml', 'insulins.valueset.json', 'pancreatitis.atlas.json']);
    expect(loaded.criteria!.imports[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it.each([
    [{ medications: [{ name: 'Carteyva', start: '2025-01-01' }] }, { 'prior-car-t': 'fail' }], // a concept-file drug under the built-in car-t group
    [{ medications: [{ code: 'atc:A10AE05', start: '2026-10-01', status: 'active' }] }, { insulin: 'fail' }], // the ValueSet's nested expansion
    [{ medications: [{ code: 'atc:A10BA02', start: '2026-10-01', status: 'active' }] }, { insulin: 'pass' }],
    [{ conditions: [{ code: 'icd10cm:K85.91' }] }, { pancreatitis: 'fail' }], // K85 with descendants
    [{ conditions: [{ code: 'icd10cm:K85.30' }] }, { pancreatitis: 'pass' }], // excluded: drug-induced
    [{ conditions: [{ code: 'icd10cm:K86.1' }] }, { pancreatitis: 'pass' }], // K86.0 only, exactly
    [{ conditions: [{ code: 'snomed:197456007' }] }, { pancreatitis: 'fail' }],
  ])('%j → %j', (rec, want) => {
    expect(statuses({ medications: [], conditions: [], ...rec })).toMatchObject(want);
  });
  it('a missing import is a located error; the check refuses the file', async () => {
    const r = loadCriteria('t.yaml', TRIAL, { imports: { 'car-t-china.yaml': IMPORTS['car-t-china.yaml'] } });
    expect(r.criteria).toBeUndefined();
    // (the rules naming its concepts are then unknown codes too)
    expect(r.diagnostics.map((d) => `${d.location?.line} ${d.code}: ${d.message}`).slice(0, 2)).toEqual([
      '7 criteria/import-not-found: cannot read insulins.valueset.json (imports are relative to the criteria file)',
      '8 criteria/import-not-found: cannot read pancreatitis.atlas.json (imports are relative to the criteria file)',
    ]);
  });
  it('elig check reads imports relative to the criteria file and names them in the stamp', async () => {
    const io = memIo({ stdin: JSON.stringify({ id: 'I-1', birthDate: '1970-01-01', medications: [], conditions: [] }) });
    expect(await main(['check', '-c', `${DIR}/trial.yaml`, '--as-of', '2026-11-25', '-f', 'json', '-'], io)).toBe(0);
    const meta = (JSON.parse(io.out()) as { meta: { criteria: { imports: { path: string; sha256: string }[] } } }).meta;
    expect(meta.criteria.imports.map((i) => i.path)).toEqual(['car-t-china.yaml', 'insulins.valueset.json', 'pancreatitis.atlas.json']);
    expect(io.err()).toContain('warning vocabulary/import-skipped');
  });
});
