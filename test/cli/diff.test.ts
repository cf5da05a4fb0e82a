/** `elig diff`: criterion-by-criterion changes and the patients whose verdicts flip. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const V1 = 'criteria/nct06691152/1.0.0.yaml';
const CURRENT = 'criteria/nct06691152.yaml';
const V11 = 'criteria/nct06691152/1.1.0.yaml';
const OLD = 'fixtures/criteria/diff-old.yaml';
const NEW = 'fixtures/criteria/diff-new.yaml';

describe('elig diff', () => {
  it('nct06691152 v1.0.0 → v1.1.0: the 11 exclusions are added', async () => {
    const { code, out } = await run(['diff', V1, V11, '-f', 'json']);
    expect(code).toBe(0);
    const d = JSON.parse(out);
    expect(d.old).toMatchObject({ id: 'nct06691152', version: '1.0.0' });
    expect(d.new).toMatchObject({ id: 'nct06691152', version: '1.1.0' });
    const added = d.criteria.filter((c: { change: string }) => c.change === 'added');
    expect(added.map((c: { id: string; kind: string }) => `${c.kind}:${c.id}`)).toEqual([
      'exclusion:prior-car-t', 'exclusion:cns-lupus', 'exclusion:active-infection', 'exclusion:major-heart-disease',
      'exclusion:other-steroid-dependent-disease', 'exclusion:transplant-or-gvhd', 'exclusion:viral-infection', 'exclusion:live-vaccine',
      'exclusion:pregnancy-or-breastfeeding', 'exclusion:malignancy', 'exclusion:recent-trial',
    ]);
    expect(d.criteria.filter((c: { change: string }) => c.change === 'removed')).toEqual([]);
    expect(d.file).toContainEqual({ path: 'version', from: '1.0.0', to: '1.1.0' });
  });

  it('over the fixture patients: exactly P-002, P-004, P-010, P-022, P-023, P-025 and P-026 flip, each with the criterion that decides it and why', async () => {
    const { code, out } = await run(['diff', V1, V11, '--patients', 'fixtures/patients', '--as-of', '2026-11-25', '-f', 'json']);
    expect(code).toBe(0);
    const p = JSON.parse(out).patients;
    expect(p.checked).toBe(32);
    const flips = Object.fromEntries(p.flipped.map((f: { id: string; verdict: { from: string; to: string } }) => [f.id, `${f.verdict.from} → ${f.verdict.to}`]));
    expect(flips).toEqual({
      'P-002': 'eligible → ineligible', // varicella (live) vaccine 16 days before
      'P-004': 'eligible → ineligible', // HBsAg positive
      'P-010': 'eligible → indeterminate', // no problem list, no screening serology
      'P-022': 'indeterminate → ineligible', // active neuropsychiatric lupus
      'P-023': 'eligible → ineligible', // a BCMA CAR-T by its Chinese name
      'P-025': 'eligible → ineligible', // live zoster vaccine 20 days before
      'P-026': 'eligible → ineligible', // anti-HCV (13955-0) and HCV RNA positive
    });
    const first = (id: string) => p.flipped.find((f: { id: string }) => f.id === id).changes[0];
    expect(first('P-002')).toMatchObject({ criterion: 'live-vaccine', to: 'fail', reasons: expect.arrayContaining([expect.any(String)]) });
    expect(first('P-004')).toMatchObject({ criterion: 'viral-infection', to: 'fail' });
    expect(first('P-022')).toMatchObject({ criterion: 'cns-lupus', to: 'fail' });
    expect(first('P-010').to).toBe('unknown');
    expect(first('P-002').from).toBeUndefined();
    // eligible patients with complete screening data do not flip
    for (const id of ['P-001', 'P-003', 'P-005', 'P-008']) {
      expect(p.flipped.map((f: { id: string }) => f.id)).not.toContain(id);
      expect(p.statusOnly.map((f: { id: string }) => f.id)).not.toContain(id);
    }
  });

  it('nct06691152 v1.1.0 → v1.2.0 over the fixture patients: only P-024 (ICD-10-CM M32.19) flips, through cns-lupus', async () => {
    const { code, out } = await run(['diff', V11, CURRENT, '--patients', 'fixtures/patients', '--as-of', '2026-11-25', '-f', 'json']);
    expect(code).toBe(0);
    const d = JSON.parse(out);
    expect(d.file).toContainEqual({ path: 'version', from: '1.1.0', to: '1.2.0' });
    const changed = d.criteria.filter((c: { changes?: string[]; change: string }) => c.change !== 'unchanged').map((c: { id: string }) => c.id);
    expect(changed).toContain('cns-lupus');
    const p = d.patients;
    expect(p.checked).toBe(32);
    expect(p.flipped.map((f: { id: string; verdict: { from: string; to: string } }) => `${f.id} ${f.verdict.from} → ${f.verdict.to}`)).toEqual(['P-024 eligible → indeterminate']);
    expect(p.flipped[0].changes[0]).toMatchObject({ criterion: 'cns-lupus', from: 'pass', to: 'unknown' });
    expect(p.statusOnly).toEqual([]);
  });

  it('classifies each change: threshold (also through a definition), text, logic, removed, added', async () => {
    const { out } = await run(['diff', OLD, NEW, '-f', 'json']);
    const d = JSON.parse(out);
    const by = Object.fromEntries(d.criteria.map((c: { id: string; change: string; aspects: string[] }) => [c.id, [c.change, ...c.aspects]]));
    expect(by).toEqual({
      lvef: ['removed'],
      adult: ['changed', 'threshold', 'text'],
      'renal-function': ['changed', 'threshold', 'text'],
      consent: ['changed', 'logic', 'text'],
      'prior-car-t': ['added'],
    });
    const renal = d.criteria.find((c: { id: string }) => c.id === 'renal-function');
    expect(renal.details).toContain('rule.min: 30 mL/min/{1.73_m2} → 45 mL/min/{1.73_m2}');
    expect(d.criteria.find((c: { id: string }) => c.id === 'adult').details).toContain('rule.min: 18 a → 40 a');
    expect(d.file.map((f: { path: string }) => f.path)).toEqual(['version', 'definitions.adult']);
  });

  it('a file compared with itself has no changes', async () => {
    const d = JSON.parse((await run(['diff', OLD, OLD, '-f', 'json'])).out);
    expect(d.criteria).toEqual([]);
    expect(d.file).toEqual([]);
  });

  it.each([['human', 'txt'], ['markdown', 'md'], ['json', 'json']])('%s format (golden)', async (format, ext) => {
    const { code, out } = await run(['diff', OLD, NEW, '--patients', 'fixtures/patients/p01-adult-eligible.yaml', 'fixtures/patients/p13-adult-transfer-no-medication-history.yaml', '--as-of', '2026-11-25', '-f', format]);
    expect(code).toBe(0);
    await expect(out).toMatchFileSnapshot(`__golden__/diff.${ext}`);
  });

  it('exit 2 when a file is missing or invalid, or the patients cannot be read', async () => {
    expect((await run(['diff', OLD, 'no/such.yaml'])).code).toBe(2);
    expect((await run(['diff', OLD, 'fixtures/criteria/unknown-operator.yaml'])).code).toBe(2);
    expect((await run(['diff', OLD, NEW, '--patients', 'no/such/dir'])).code).toBe(2);
    expect((await run(['diff', OLD, NEW, '--as-of', 'tomorrow'])).code).toBe(2);
  });
});
