/** `elig explain`: plain-language checklist; with --patient, status and values under each criterion. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const C = 'criteria/nct06691152.yaml';

interface X { id: string; kind: string; plain: string[]; appliesIf?: string[]; status?: string; values?: string[]; needs?: string[] }

describe('elig explain', () => {
  it('every criterion of the seed trial reads as plain language (no raw rule left), inclusions then exclusions', async () => {
    const { code, out } = await run(['explain', C, '-f', 'json']);
    expect(code).toBe(0);
    const x = JSON.parse(out);
    expect(x).toMatchObject({ id: 'nct06691152', version: '1.2.0' });
    expect(x.criteria).toHaveLength(22);
    expect(x.criteria.filter((c: X) => c.kind === 'exclusion')).toHaveLength(11);
    for (const c of x.criteria as X[]) {
      expect(c.plain.length, c.id).toBeGreaterThan(0);
      for (const l of [...c.plain, ...(c.appliesIf ?? [])]) expect(l, c.id).not.toMatch(/[{}]"|":/);
      expect(c.status).toBeUndefined();
    }
    const preg = x.criteria.find((c: X) => c.id === 'pregnancy-contraception');
    expect(preg.appliesIf).toEqual([expect.stringContaining('childbearing potential')]);
  });

  it.each([
    ['age', ['age at least 5 years (completed years at the screening date)']],
    ['renal-function', ['eGFR at least 30 mL/min/1.73 m² (most recent value within the last 28 days)']],
    ['live-vaccine', [expect.stringMatching(/^has taken .*live.* within the last 4 weeks$/)]],
    ['informed-consent', ['signed/recorded statement: informed consent by the patient or guardian']],
  ])('%s', async (id, plain) => {
    const x = JSON.parse((await run(['explain', C, '--criterion', id, '-f', 'json'])).out);
    expect(x.criteria.map((c: X) => c.id)).toEqual([id]);
    expect(x.criteria[0].plain).toEqual(plain);
  });

  it('--patient: the status and the values under each criterion (P-004 excluded by HBsAg)', async () => {
    const { code, out } = await run(['explain', C, '--patient', 'fixtures/patients/p04-adult-methylprednisolone-hbsag-positive.json', '--as-of', '2026-11-25', '-f', 'json']);
    expect(code).toBe(0);
    const x = JSON.parse(out);
    expect(x.patient).toEqual({ id: 'P-004', verdict: 'ineligible', asOf: '2026-11-25' });
    const viral = x.criteria.find((c: X) => c.id === 'viral-infection');
    expect(viral.status).toBe('fail');
    expect(viral.values.some((v: string) => v.includes('HBsAg') && v.includes('2026-11-18'))).toBe(true);
    for (const c of x.criteria as X[]) expect(c.values?.length, c.id).toBeGreaterThan(0);
  });

  it('text checklist for one criterion with a patient (golden)', async () => {
    const { out } = await run(['explain', C, '--criterion', 'pregnancy-or-breastfeeding', '--patient', 'fixtures/patients/p22-adult-workup-in-progress.yaml', '--as-of', '2026-11-25']);
    expect(out).toContain('[?] E9.');
    await expect(out).toMatchFileSnapshot('__golden__/explain.txt');
  });

  it('exit 2: unknown criterion id, unreadable or invalid criteria, a patient file with several records', async () => {
    expect((await run(['explain', C, '--criterion', 'nope'])).code).toBe(2);
    expect((await run(['explain', 'no/such.yaml'])).code).toBe(2);
    expect((await run(['explain', 'fixtures/criteria/unknown-operator.yaml'])).code).toBe(2);
    expect((await run(['explain', C, '--patient', 'fixtures/broken/bad-types.json'])).code).toBe(2);
  });
});
