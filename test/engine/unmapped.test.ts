/** Nothing recognised silently: unmapped record entries, per domain and per input format, in the summary, and the policy. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { check, compile, memIo } from '../helpers.js';

const DIR = 'fixtures/unmapped';
const CRITERIA = `${DIR}/criteria.yaml`;
const U1 = JSON.parse(readFileSync(`${DIR}/u1.json`, 'utf8')) as Record<string, unknown>;

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}
async function json(inputs: string[], extra: string[] = []) {
  const r = await run(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', ...extra, ...inputs]);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as { patients: { id: string; verdict: string; unmapped?: unknown[]; criteria: { id: string; status: string; missing?: { item: string }[] }[] }[]; summary: { unmapped?: unknown[] } };
}

describe('unmapped entries, per domain (plain record)', () => {
  const c = compile(`inclusion:\n  - id: a1c\n    text: x\n    rule: { measurement: "loinc:4548-4", min: 7 % }\nexclusion:\n  - id: cart\n    text: y\n    rule: { medication: car-t }\n  - id: consent\n    text: z\n    rule: { attestation: informed-consent }\n  - id: ecg\n    text: e\n    rule: { finding: ecg-abnormality }\n`);
  it.each([
    ['measurement', { measurements: [{ code: 'loinc:2093-3', value: 5.5, unit: 'mmol/L' }] }, { domain: 'measurement', code: 'loinc:2093-3', source: 'measurements[0]' }],
    ['medication', { medications: [{ name: 'zamtocabtagene autoleucel' }] }, { domain: 'medication', code: 'zamtocabtagene autoleucel', source: 'medications[0]' }],
    ['medication with a code', { medications: [{ code: 'cvx:187', name: 'zoster vaccine recombinant' }] }, { domain: 'medication', code: 'cvx:187', name: 'zoster vaccine recombinant', source: 'medications[0]' }],
    ['condition', { conditions: [{ code: 'snomed:38341003', name: 'hypertensive disorder' }] }, { domain: 'condition', code: 'snomed:38341003', name: 'hypertensive disorder', source: 'conditions[0]' }],
    ['finding', { findings: [{ code: 'ecg-abnormalty', present: false }] }, { domain: 'finding', code: 'ecg-abnormalty', source: 'findings[0]' }],
    ['attestation', { attestations: [{ code: 'informed-consnet' }] }, { domain: 'attestation', code: 'informed-consnet', source: 'attestations[0]' }],
  ])('%s', (_d, rec, want) => {
    expect(check(c, { id: 'x', ...rec }).unmapped).toEqual([want]);
  });
  it.each([
    ['a code the criteria name', { measurements: [{ code: 'LOINC:4548-4', value: 8, unit: '%' }] }],
    ['a concept by name', { medications: [{ name: 'tisagenlecleucel' }] }],
    ['a concept by descendant code', { conditions: [{ code: 'icd10:M32.19' }] }],
    ['a finding a rule reads', { findings: [{ code: 'ecg-abnormality', present: false }] }],
    ['a finding the childbearing-potential fact reads', { findings: [{ code: 'menarche' }] }],
  ])('not unmapped: %s', (_d, rec) => {
    const c2 = compile('inclusion:\n  - id: a\n    text: x\n    rule: { fact: childbearing-potential, is: false }\n  - id: b\n    text: y\n    rule: { any: [{ measurement: "loinc:4548-4", min: 7 % }, { finding: ecg-abnormality }, { medication: car-t }, { condition: sle }] }\n');
    expect(check(c2, { id: 'x', sex: 'female', ...rec }).unmapped).toBeUndefined();
  });
  it('repeated entries are one line with a count', () => {
    const r = check(c, { id: 'x', medications: [{ name: 'zamto-cel' }, { name: 'zamto-cel' }] });
    expect(r.unmapped).toEqual([{ domain: 'medication', code: 'zamto-cel', source: 'medications[0]', count: 2 }]);
  });
});

describe('unmapped entries, per input format, and in the summary', () => {
  const want = (id: string) => expect.arrayContaining([
    expect.objectContaining({ domain: 'measurement', code: 'loinc:2093-3' }),
    expect.objectContaining({ domain: 'medication', code: 'zamtocabtagene autoleucel' }),
  ]);
  it('plain record (JSON): every domain', async () => {
    const r = await json([`${DIR}/u1.json`]);
    expect(r.patients[0]!.unmapped).toEqual(want('U-1'));
    expect(r.patients[0]!.unmapped).toHaveLength(5);
    // the measurement the criteria name by code is read, not unmapped
    expect(r.patients[0]!.criteria.find((x) => x.id === 'hba1c')!.status).toBe('pass');
  });
  it('CSV: coded measurement columns and medication columns', async () => {
    const r = await json([`${DIR}/u2.csv`]);
    expect(r.patients[0]!.unmapped).toEqual(want('U-2'));
    expect(r.patients[0]!.criteria.find((x) => x.id === 'hba1c')!.status).toBe('pass');
  });
  it('FHIR: an Observation, a MedicationStatement, an Immunization and a Condition the vocabulary does not hold', async () => {
    const r = await json([`${DIR}/u3.fhir.json`], ['--input-format', 'fhir']);
    const u = r.patients[0]!.unmapped;
    expect(u).toEqual(want('U-3'));
    expect(u).toEqual(expect.arrayContaining([
      expect.objectContaining({ domain: 'medication', code: 'cvx:187', name: 'zoster vaccine recombinant' }),
      expect.objectContaining({ domain: 'condition', code: 'snomed:38341003' }),
    ]));
    expect(r.patients[0]!.criteria.find((x) => x.id === 'hba1c')!.status).toBe('pass');
  });
  it('--summary counts each distinct entry over patients; human output names them', async () => {
    const r = await json([`${DIR}/u1.json`, `${DIR}/u2.csv`, `${DIR}/u3.fhir.json`], ['--summary']);
    expect(r.summary.unmapped).toEqual(expect.arrayContaining([
      { domain: 'measurement', code: 'loinc:2093-3', patients: 3, entries: 3 },
      { domain: 'medication', code: 'zamtocabtagene autoleucel', patients: 3, entries: 3 },
      { domain: 'finding', code: 'ecg-abnormalty', patients: 1, entries: 1 },
    ]));
    const h = await run(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', '--summary', `${DIR}/u1.json`]);
    expect(h.out).toMatch(/U-1 {2}ELIGIBLE .* unmapped: /);
    expect(h.out).toContain('Unmapped record entries');
    const plain = await run(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', `${DIR}/u1.json`]);
    expect(plain.out).toContain('5 distinct record entries map to no concept (--summary lists them with counts)');
  });
});

describe('unmapped entries in the other report formats', () => {
  it.each([
    ['csv', /unmapped \(maps to no concept\): measurement ""loinc:2093-3"" at measurements\[1\]; condition ""snomed:38341003"" \(hypertensive disorder\) at conditions\[0\]; medication ""zamtocabtagene autoleucel"" at medications\[0\]/],
    ['tap', /unmapped:\n {4}- "measurement \\"loinc:2093-3\\" at measurements\[1\]"/],
    ['junit', /<property name="unmapped" value="medication &quot;zamtocabtagene autoleucel&quot; at medications\[0\]"\/>/],
    ['markdown', /### Unmapped record entries[\s\S]*\| medication \| zamtocabtagene autoleucel \|/],
  ])('%s', async (format, pattern) => {
    const r = await run(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', format, '--fail-on', 'none', '--summary', `${DIR}/u1.json`]);
    expect(r.out).toMatch(pattern);
  });
});

describe('the unmapped policy', () => {
  it('warn (default): reported, results unchanged — the unmapped CAR-T product does not exclude', async () => {
    const r = await json([`${DIR}/u1.json`]);
    expect(r.patients[0]!.verdict).toBe('eligible');
  });
  it('unknown (--unmapped): exclusions over a domain with unmapped entries cannot pass', async () => {
    const r = await json([`${DIR}/u1.json`], ['--unmapped', 'unknown']);
    const p = r.patients[0]!;
    expect(p.verdict).toBe('indeterminate');
    const cart = p.criteria.find((x) => x.id === 'prior-car-t')!;
    expect(cart.status).toBe('unknown');
    expect(cart.missing).toEqual([{ item: 'unmapped:medication:zamtocabtagene autoleucel', description: expect.stringContaining('medications[0]') }]);
    expect(p.criteria.find((x) => x.id === 'malignancy')!.status).toBe('unknown');
    expect(p.criteria.find((x) => x.id === 'hba1c')!.status).toBe('pass'); // inclusions are not touched
  });
  it('unknown from the criteria file (defaults.unmapped), also in worker threads', async () => {
    const c = compile('defaults: { unmapped: unknown }\nexclusion:\n  - id: cart\n    text: y\n    rule: { medication: car-t }\n');
    expect(check(c, { id: 'x', medications: [{ name: 'zamto-cel' }] }).verdict).toBe('indeterminate');
    expect(check(c, { id: 'x', medications: [{ name: 'tisagenlecleucel', start: '2025-01-01' }] }).verdict).toBe('ineligible');
    expect(check(c, { id: 'x', medications: [] }).verdict).toBe('eligible');
  });
  it.skipIf(!existsSync('dist/bundle/worker.js'))('--unmapped reaches the worker threads of --jobs (real process)', () => {
    // 300 copies of U-1: two batches, one of them evaluated by the worker
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ ...U1, id: `U-${i}` })).join('\n');
    const r = spawnSync(process.execPath, ['bin/elig.js', 'check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', '--unmapped', 'unknown', '--jobs', '2', '--input-format', 'ndjson', '-'], { input: lines, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; verdict?: string }).filter((x) => x.type === 'patient').map((x) => x.verdict);
    expect(verdicts).toHaveLength(300);
    expect(new Set(verdicts)).toEqual(new Set(['indeterminate']));
  });
  it('error: the record is an error result with a record/unmapped diagnostic', async () => {
    const r = await json([`${DIR}/u1.json`], ['--unmapped', 'error']);
    const p = r.patients[0]! as unknown as { verdict: string; diagnostics: { code: string; message: string }[] };
    expect(p.verdict).toBe('error');
    expect(p.diagnostics[0]!.code).toBe('record/unmapped');
    expect(p.diagnostics[0]!.message).toContain('zamtocabtagene autoleucel');
  });
  it('an invalid --unmapped is a usage error', async () => {
    expect((await run(['check', '-c', CRITERIA, '--unmapped', 'ignore', `${DIR}/u1.json`])).code).toBe(2);
  });
});
