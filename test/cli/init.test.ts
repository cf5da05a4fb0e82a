/**
 * elig init end to end: the starter files and a registry scaffold pass validate and test; every
 * to-do is listed by validate with its line (an error under --strict); explain reads the scaffold;
 * existing files are never overwritten without --force.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

/** Run init in memory; then the files it wrote, for the next command. */
async function init(args: string[], files: Record<string, string> = {}) {
  const io = memIo({ files });
  const code = await main(['init', ...args], io);
  return { code, err: io.err(), files: Object.fromEntries(io.written) };
}

async function run(args: string[], files: Record<string, string>) {
  const io = memIo({ files });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('elig init', () => {
  it('without --from: a starter criteria file and test file that validate clean and pass their tests', async () => {
    const r = await init([]);
    expect(r.code).toBe(0);
    expect(Object.keys(r.files).sort()).toEqual(['my-trial.test.yaml', 'my-trial.yaml']);
    expect(r.err).toContain('elig validate my-trial.yaml');
    const v = await run(['validate', 'my-trial.yaml', 'my-trial.test.yaml', '--strict'], r.files);
    expect(v.out).toContain('0 errors, 0 warnings');
    expect(v.code).toBe(0);
    const t = await run(['test', 'my-trial.test.yaml'], r.files);
    expect(t.out).toMatch(/cases: 4 passed, 0 failed/);
    expect(t.code).toBe(0);
    const e = await run(['explain', 'my-trial.yaml'], r.files);
    expect(e.code).toBe(0);
  });

  it('--from the seed trial\'s registry record: validates, lists each to-do with its line, --strict fails, tests of the age rule pass', async () => {
    const r = await init(['--from', 'fixtures/registry/nct06691152.json', '--dir', 'out']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('12 inclusion and 11 exclusion criteria, 22 rules to write');
    const criteria = r.files['out/nct06691152.yaml']!;
    const v = await run(['validate', 'out/nct06691152.yaml', '-f', 'json'], r.files);
    expect(v.code).toBe(0);
    const ds = (JSON.parse(v.out) as { files: { diagnostics: { code: string; severity: string; location: { line: number } }[] }[] }).files[0]!.diagnostics;
    const todoLines = criteria.split('\n').flatMap((l, i) => (l.includes('{ todo:') ? [i + 1] : []));
    expect(todoLines).toHaveLength(22);
    expect(ds.every((d) => d.code === 'lint/todo-rule' && d.severity === 'warning')).toBe(true);
    expect(ds.map((d) => d.location.line)).toEqual(todoLines);
    const strict = await run(['validate', 'out/nct06691152.yaml', '--strict'], r.files);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('22 errors, 0 warnings');
    const t = await run(['test', 'out/nct06691152.test.yaml'], r.files);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/younger than the minimum age/);
    const e = await run(['explain', 'out/nct06691152.yaml'], r.files);
    expect(e.code).toBe(0);
    expect(e.out).toContain('TO DO: rule not written yet');
    expect(e.out).toContain('age at least 5 years');
  });

  it('a patient checked against the scaffold: the age rule decides, the to-dos are unknown, never eligible', async () => {
    const r = await init(['--from', 'fixtures/registry/nct90000001.json']);
    const patients = JSON.stringify([
      { id: 'W', birthDate: '1990-01-01', sex: 'female' },
      { id: 'M', birthDate: '1990-01-01', sex: 'male' },
      { id: 'OLD', birthDate: '1950-01-01', sex: 'female' },
    ]);
    const c = await run(['check', '-c', 'nct90000001.yaml', '--as-of', '2026-11-25', '-f', 'ndjson', 'p.json'], { ...r.files, 'p.json': patients });
    const lines = c.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id: string; verdict: string; criteria: { id: string; status: string }[] }).filter((l) => l.type === 'patient');
    expect(lines.map((p) => [p.id, p.verdict, p.criteria.find((x) => x.id === 'age')!.status, p.criteria.find((x) => x.id === 'sex')!.status])).toEqual([
      ['W', 'indeterminate', 'pass', 'pass'], ['M', 'ineligible', 'pass', 'fail'], ['OLD', 'ineligible', 'fail', 'pass'],
    ]);
    expect(c.code).toBe(1);
  });

  it('never overwrites: exit 2 and nothing written; --force overwrites', async () => {
    const r = await init([], { 'my-trial.yaml': 'mine' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('init/file-exists');
    expect(r.files).toEqual({});
    const f = await init(['--force'], { 'my-trial.yaml': 'mine' });
    expect(f.code).toBe(0);
    expect(f.files['my-trial.yaml']).toContain('schema: elig/criteria@1');
  });

  it.each([
    ['not a study record', '{"hello": 1}', 'registry/invalid-study'],
    ['not JSON', '{oops', 'syntax/json'],
  ])('--from %s: exit 2 with a diagnostic', async (_n, text, code) => {
    const r = await init(['--from', 'study.json'], { 'study.json': text });
    expect(r.code).toBe(2);
    expect(r.err).toContain(code);
    expect(r.files).toEqual({});
  });

  it('--from a missing file: exit 2, file/not-found', async () => {
    const r = await init(['--from', 'no/such/study.json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('file/not-found');
  });
});
