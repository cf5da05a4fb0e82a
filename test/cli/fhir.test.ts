/**
 * `elig check` on FHIR: Bundles detected by content, Bulk Data directories (in memory and spilled to
 * scratch files), --input-format fhir, --verbose, and the public Synthea sample set in
 * ../shared/data/fhir (skipped with a note when that directory is absent).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { fhirBulkItems } from '../../src/cli/fhir-bulk.js';
import { nodeIo } from '../../src/cli/io.js';
import { compileCriteria, evaluateRecord, fhirItems, loadCriteria, type InputItem, type PatientResult } from '../../src/index.js';
import { memIo } from '../helpers.js';

const CRITERIA = 'criteria/nct06691152.yaml';
const SAMPLES = join(process.cwd(), '..', 'shared', 'data', 'fhir');
const HAVE_SAMPLES = existsSync(SAMPLES);
if (!HAVE_SAMPLES) console.warn(`note: ${SAMPLES} is absent; the FHIR sample-data tests are skipped`);

interface Report { patients: PatientResult[] }

async function checkJson(args: string[]): Promise<{ code: number; report: Report; err: string }> {
  const io = memIo();
  const code = await main(['check', '--criteria', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', '-f', 'json', ...args], io);
  return { code, report: JSON.parse(io.out()) as Report, err: io.err() };
}

const statuses = (r: PatientResult) => Object.fromEntries(r.criteria.map((c) => [c.id, c.status]));

/** Write the fixture Bundles out as a Bulk Data export: one NDJSON file per resource type. */
function bulkExport(extra: Record<string, string[]> = {}, gzip = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'elig-bulk-test-'));
  const byType = new Map<string, string[]>();
  for (const f of ['f01-adult-eligible.json', 'f02-child-egfr-from-creatinine.json', 'f03-searchset-two-adults.json']) {
    const b = JSON.parse(readFileSync(`fixtures/fhir/${f}`, 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
    for (const { resource } of b.entry) {
      // Bulk Data references are relative (Patient/id): rewrite urn:uuid and absolute references
      const line = JSON.stringify(resource)
        .replace(/"urn:uuid:7b0c1f2e-0f01-4c1a-9a01-000000000001"/g, '"Patient/F-001"')
        .replace(/"https:\/\/ehr\.example\.org\/fhir\/(Patient\/F-00\d)"/g, '"$1"');
      const t = String(resource.resourceType);
      byType.set(t, [...(byType.get(t) ?? []), line]);
    }
  }
  for (const [t, lines] of Object.entries(extra)) byType.set(t, [...(byType.get(t) ?? []), ...lines]);
  for (const [t, lines] of byType) {
    const text = `${lines.join('\n')}\n`;
    // a gzipped export keeps Patient.ndjson plain, so both kinds of file are read in one run
    if (gzip && t !== 'Patient') writeFileSync(join(dir, `${t}.ndjson.gz`), gzipSync(text));
    else writeFileSync(join(dir, `${t}.ndjson`), text);
  }
  return dir;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('elig check: FHIR Bundles', () => {
  it('a directory of Bundles and twins: FHIR detected by content, reasons name FHIR resources', async () => {
    const { code, report } = await checkJson(['fixtures/fhir']);
    expect(code).toBe(0);
    const fhir = report.patients.filter((p) => p.source.file.endsWith('.json'));
    expect(fhir.map((p) => [p.id, p.verdict, p.source.record])).toEqual([
      ['F-001', 'eligible', 1], ['F-002', 'ineligible', 1], ['F-003', 'eligible', 1], ['F-004', 'ineligible', 2],
    ]);
    const sources = fhir.flatMap((p) => p.criteria.flatMap((c) => c.reasons.map((r) => r.observed?.source ?? '')));
    expect(sources).toContain('Observation/f01-egfr.valueQuantity');
    expect(sources).toContain('Consent/f02-consent.status');
  });

  it('--input-format fhir on a file; --verbose lists unmapped resources on stderr', async () => {
    const io = memIo();
    const code = await main(['check', '--criteria', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', '--input-format', 'fhir', '--verbose', 'fixtures/fhir/f01-adult-eligible.json'], io);
    expect(code).toBe(0);
    expect(io.err()).toMatch(/F-001: 4 FHIR resources not mapped/);
    expect(io.err()).toMatch(/MedicationRequest\/f01-hc-cream: non-systemic form/);
    expect(io.err()).toMatch(/4 FHIR resources not mapped \(.*\)$/m);
  });

  it('a malformed Bundle, a reference to a missing Patient and an unknown unit: located diagnostics, the rest is checked', async () => {
    const good = readFileSync('fixtures/fhir/f01-adult-eligible.json', 'utf8');
    const ghost = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [
      { resource: { resourceType: 'Patient', id: 'G-1', gender: 'male', birthDate: '1980-01-01' } },
      { resource: { resourceType: 'Observation', id: 'u1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] }, subject: { reference: 'Patient/G-1' }, effectiveDateTime: '2026-11-20', valueQuantity: { value: 1.1, unit: 'milligrams per decilitre' } } },
      { resource: { resourceType: 'Observation', id: 'x1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] }, subject: { reference: 'Patient/missing' }, valueQuantity: { value: 1, unit: 'mg/dL' } } },
    ] });
    const io = memIo({ files: { 'mem/a-malformed.json': '{"resourceType":"Bundle","type":"collection","entry":{"resource":{}}}', 'mem/b-good.json': good, 'mem/c-ghost.json': ghost } });
    const code = await main(['check', '--criteria', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', '-f', 'json', 'mem/a-malformed.json', 'mem/b-good.json', 'mem/c-ghost.json'], io);
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as Report;
    expect(report.patients.map((p) => [p.id, p.verdict])).toEqual([
      ['mem/a-malformed.json#1', 'error'], ['F-001', 'eligible'], ['G-1', 'indeterminate'], ['Patient/missing', 'error'],
    ]);
    expect(report.patients[0]!.diagnostics![0]).toMatchObject({ code: 'fhir/invalid-bundle', location: { file: 'mem/a-malformed.json', path: 'entry' } });
    expect(report.patients[2]!.diagnostics![0]).toMatchObject({ code: 'fhir/unknown-unit', severity: 'warning', location: { file: 'mem/c-ghost.json', path: 'entry[1] Observation/u1.valueQuantity.code' } });
    expect(report.patients[3]!.diagnostics![0]).toMatchObject({ code: 'fhir/missing-patient', location: { file: 'mem/c-ghost.json', path: 'entry[2].resource.subject' } });
    expect(io.err()).toMatch(/mem\/c-ghost\.json: warning fhir\/unknown-unit: .*\(at entry\[1\] Observation\/u1\.valueQuantity\.code\)/);
  });
});

describe('elig check: FHIR Bulk Data directories', () => {
  it('a Bulk Data export gives the same patients, verdicts and statuses as the Bundles', async () => {
    const dir = bulkExport();
    dirs.push(dir);
    const bulk = await checkJson([dir]);
    const bundles = await checkJson(['fixtures/fhir/f01-adult-eligible.json', 'fixtures/fhir/f02-child-egfr-from-creatinine.json', 'fixtures/fhir/f03-searchset-two-adults.json']);
    expect(bulk.report.patients.map((p) => p.id)).toEqual(['F-001', 'F-002', 'F-003', 'F-004']);
    expect(bulk.report.patients.map((p) => [p.verdict, statuses(p)])).toEqual(bundles.report.patients.map((p) => [p.verdict, statuses(p)]));
    expect(bulk.report.patients[0]!.source).toEqual({ file: join(dir, 'Patient.ndjson'), record: 1, line: 1 });
  });

  it('gzipped Bulk Data files (Observation.ndjson.gz …) are read like plain ones', async () => {
    const plain = bulkExport();
    const gz = bulkExport({}, true);
    dirs.push(plain, gz);
    const a = await checkJson([plain]);
    const b = await checkJson([gz]);
    expect(b.report.patients.map((p) => [p.id, p.verdict, statuses(p)])).toEqual(a.report.patients.map((p) => [p.id, p.verdict, statuses(p)]));
  });

  it.each([
    ['in memory', undefined, memIo()],
    ['spilled to scratch files (tiny budget)', 2000, nodeIo()],
    ['spilled, Io without scratch (in-memory ranges)', 2000, memIo()],
  ])('%s: same records in Patient.ndjson order; a missing patient and a bad line are located errors', async (_n, budget, io) => {
    const ghost = JSON.stringify({ resourceType: 'Observation', id: 'g1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] }, subject: { reference: 'Patient/ghost' }, valueQuantity: { value: 1, unit: 'mg/dL' } });
    const dir = bulkExport({ Observation: [ghost, '{"resourceType": "Observation", broken'] });
    dirs.push(dir);
    const items: InputItem[] = [];
    for await (const it of fhirBulkItems(io, dir, [], budget !== undefined ? { budget } : {})) items.push(it);
    const records = items.filter((i) => i.kind === 'record');
    expect(records.map((r) => (r.raw as { id: string }).id)).toEqual(['F-001', 'F-002', 'F-003', 'F-004']);
    const errors = items.filter((i) => i.kind === 'error').map((i) => i.kind === 'error' && [i.diagnostic.code, i.diagnostic.location?.file?.endsWith('Observation.ndjson'), typeof i.diagnostic.location?.line]);
    expect(errors).toEqual([['syntax/json', true, 'number'], ['fhir/missing-patient', true, 'number']]);
    const compiled = compileCriteria(loadCriteria(CRITERIA, readFileSync(CRITERIA, 'utf8')).criteria!);
    const verdicts = records.map((r) => r.kind === 'record' && evaluateRecord(compiled, r.raw, '2026-11-25', r.source).verdict);
    expect(verdicts).toEqual(['eligible', 'ineligible', 'eligible', 'ineligible']);
    // the scratch directory is removed
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('elig-') && !n.startsWith('elig-bulk-test-')).every((n) => !existsSync(join(tmpdir(), n, 'range-0')))).toBe(true);
  });
});

describe.skipIf(!HAVE_SAMPLES)('FHIR sample data (../shared/data/fhir, Synthea)', () => {
  const files = HAVE_SAMPLES ? readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort() : [];

  it('every sample loads without errors: no error record, no error diagnostic; all ineligible on the SLE classification', async () => {
    const { code, report, err } = await checkJson([SAMPLES]);
    expect(code).toBe(0);
    expect(report.patients).toHaveLength(files.length);
    expect(report.patients.filter((p) => p.verdict === 'error')).toEqual([]);
    expect(err).not.toMatch(/ error /);
    for (const p of report.patients) {
      expect(p.verdict, p.id).toBe('ineligible');
      const sle = p.criteria.find((c) => c.id === 'sle-classification')!;
      expect(sle.status, p.id).toBe('fail');
      expect(sle.reasons.map((r) => [r.code, r.status])).toContainEqual(['condition', 'fail']);
    }
  });

  it('the report names FHIR resources; the deceased patient carries deceasedDate; reported vs derived eGFR is explained', async () => {
    const tiera = files.find((f) => f.startsWith('Tiera_Boyle'))!;
    const items = fhirItems(tiera, JSON.parse(readFileSync(join(SAMPLES, tiera), 'utf8')));
    expect(items[0]).toMatchObject({ kind: 'record', raw: { deceasedDate: '2021-03-23' } });

    const angelic = files.find((f) => f.startsWith('Angelic_Mueller'))!;
    const io = memIo();
    await main(['check', '--criteria', CRITERIA, '--as-of', '2020-04-20', '--fail-on', 'none', '-f', 'json', join(SAMPLES, angelic)], io);
    const renal = (JSON.parse(io.out()) as Report).patients[0]!.criteria.find((c) => c.id === 'renal-function')!;
    // reported eGFR 83.9 passes; creatinine 3.24 mg/dL the same day gives ≈ 17.6: the recorded value decides (defaults.egfr.prefer)
    expect(renal.status).toBe('pass');
    expect(renal.reasons[0]!.observed?.source).toMatch(/^Observation\/[0-9a-f-]+\.valueQuantity$/);
    expect(renal.reasons.map((r) => [r.code, r.status])).toEqual([['compare', 'pass'], ['recorded-vs-derived', 'pass'], ['compare', 'fail']]);

    const barrett = files.find((f) => f.startsWith('Barrett_Cummings'))!;
    const io2 = memIo();
    // --details: the derivation (calculator inputs) is written only at the full depth
    await main(['check', '--criteria', CRITERIA, '--as-of', '2021-02-25', '--fail-on', 'none', '-f', 'json', '--details', join(SAMPLES, barrett)], io2);
    const renal2 = (JSON.parse(io2.out()) as Report).patients[0]!.criteria.find((c) => c.id === 'renal-function')!;
    // eGFR in mL/min cannot be compared: derived from the creatinine (38483-4) instead, and the reason says why
    expect(renal2.reasons.map((r) => r.code)).toEqual(['compare', 'recorded-vs-derived', 'unit']);
    expect(renal2.reasons[0]!.derivation?.calculator).toBe('egfr');
  });

  it('the child on prednisone 5 mg tablets: dose from the tablet strength, stopped without an end date', () => {
    const ardith = files.find((f) => f.startsWith('Ardith_Welch'))!;
    const items = fhirItems(ardith, JSON.parse(readFileSync(join(SAMPLES, ardith), 'utf8')));
    const meds = (items[0] as { raw: { medications: Record<string, unknown>[] } }).raw.medications;
    expect(meds.filter((m) => /prednisone/i.test(String(m.name)))).toEqual([expect.objectContaining({ dose: '5 mg', perDay: 1, status: 'stopped', start: '2020-12-07' })]);
    expect(meds.find((m) => /prednisone/i.test(String(m.name)))).not.toHaveProperty('end');
  });

  it('performance: the largest sample (≈ 2 MB) maps in well under 100 ms', () => {
    const biggest = files.map((f) => ({ f, size: readFileSync(join(SAMPLES, f)).length })).sort((a, b) => b.size - a.size)[0]!;
    const value: unknown = JSON.parse(readFileSync(join(SAMPLES, biggest.f), 'utf8'));
    fhirItems(biggest.f, value); // warm-up (loads ucum-lhc for the unit checks)
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      fhirItems(biggest.f, value);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[2]!).toBeLessThan(100);
  });
});
