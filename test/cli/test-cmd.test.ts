/** `elig test`: the bundled test file, a deliberately wrong expectation, coverage, formats and exit codes. */
import { XMLParser } from './xml.js';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const WRONG = 'fixtures/tests/wrong-expectation.test.yaml';

describe('elig test', () => {
  it('criteria/: every case of the seed trial passes with 100 % outcome coverage', async () => {
    const { code, out } = await run(['test', 'criteria/', '--coverage-min', '100', '-f', 'json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    // the seed trial, the six registry trials of issue 12 and the two example trials of issue 10
    expect(r.files.map((x: { file: string }) => x.file)).toEqual([
      'criteria/nct00309218.test.yaml', 'criteria/nct00915083.test.yaml', 'criteria/nct02453711.test.yaml', 'criteria/nct03168568.test.yaml',
      'criteria/nct04612257.test.yaml', 'criteria/nct06691152.test.yaml', 'criteria/nct07432334.test.yaml',
      'criteria/oncology-phase1-example.test.yaml', 'criteria/t2d-example.test.yaml',
    ]);
    for (const x of r.files) expect(x.coverage.percent, x.file).toBe(100);
    const f = r.files.find((x: { file: string }) => x.file === 'criteria/nct06691152.test.yaml');
    expect(f.criteria).toMatchObject({ id: 'nct06691152', version: '1.2.0' });
    expect(f.cases.length).toBeGreaterThanOrEqual(30);
    expect(f.cases.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(f.coverage.percent).toBe(100);
    expect(f.coverage.covered).toBe(f.coverage.total);
    // 22 criteria × pass/fail/unknown, plus not_applicable for the two pregnancy criteria
    expect(f.coverage.total).toBe(22 * 3 + 2);
    const all = r.files.reduce((n: number, x: { cases: unknown[] }) => n + x.cases.length, 0);
    expect(r.summary).toMatchObject({ cases: all, passed: all, failed: 0, errors: 0, coverageMin: 100 });
  });

  it('a criteria file argument runs its sibling test file', async () => {
    const { code, out } = await run(['test', 'criteria/nct06691152.yaml', '-f', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).files[0].file).toBe('criteria/nct06691152.test.yaml');
  });

  it('a deliberately wrong expectation fails with expected vs actual and the reasons, exit 1', async () => {
    const { code, out } = await run(['test', WRONG, '-f', 'json']);
    expect(code).toBe(1);
    const cases = JSON.parse(out).files[0].cases;
    expect(cases.map((c: { ok: boolean }) => c.ok)).toEqual([true, false, false]);
    expect(cases[1].line).toBe(10);
    expect(cases[1].failures).toEqual([
      { expected: 'ineligible', actual: 'eligible', reasons: [] },
      { criterion: 'prior-car-t', expected: 'fail', actual: 'pass', reasons: [expect.any(String), expect.any(String)] },
    ]);
    expect(cases[2].failures).toEqual([
      { criterion: 'prior-car-t', expected: 'pass', actual: 'unknown', reasons: expect.any(Array), missing: [expect.any(String)] },
    ]);
  });

  it.each([
    ['human', 'txt'],
    ['json', 'json'],
    ['junit', 'xml'],
    ['tap', 'tap'],
  ])('%s output of the wrong expectation (golden)', async (format, ext) => {
    const { code, out } = await run(['test', WRONG, '-f', format, '--coverage', '--no-color']);
    expect(code).toBe(1);
    await expect(out).toMatchFileSnapshot(`__golden__/test.${ext}`);
  });

  it('junit output is well-formed XML with one testcase per case and a failure element per failed case', async () => {
    const { out } = await run(['test', WRONG, '-f', 'junit']);
    const doc = new XMLParser().parse(out);
    const suite = doc.children.find((c) => c.name === 'testsuites')!.children.find((c) => c.name === 'testsuite')!;
    expect(suite.attributes).toMatchObject({ tests: '3', failures: '2', errors: '0' });
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.children.some((x) => x.name === 'failure'))).toEqual([false, true, true]);
  });

  it('tap output plans every case and marks the failures', async () => {
    const { out } = await run(['test', WRONG, '-f', 'tap']);
    const lines = out.split('\n');
    expect(lines[0]).toBe('TAP version 14');
    expect(lines[1]).toBe('1..3');
    expect(lines.filter((l) => /^(not )?ok \d+ - /.test(l)).map((l) => l.split(' - ')[0])).toEqual(['ok 1', 'not ok 2', 'not ok 3']);
  });

  it('--coverage-min above what the cases reach exits 1', async () => {
    const { code, out } = await run(['test', 'fixtures/tests/wrong-expectation.test.yaml', '--coverage-min', '60', '-f', 'json']);
    expect(code).toBe(1);
    const r = JSON.parse(out);
    expect(r.files[0].coverage.percent).toBeLessThan(60);
    expect(r.summary.belowCoverageMin).toEqual([{ file: WRONG, percent: r.files[0].coverage.percent }]);
  });

  it.each([
    ['fixtures/tests/unknown-criterion.test.yaml', 'tests/unknown-criterion', 8, 31],
    ['fixtures/tests/invalid.test.yaml', 'tests/invalid', 10, 32],
  ])('%s cannot run: %s at %i:%i, exit 2', async (file, diagCode, line, col) => {
    const { code, out } = await run(['test', file, '-f', 'json']);
    expect(code).toBe(2);
    const d = JSON.parse(out).files[0].diagnostics[0];
    expect(d).toMatchObject({ code: diagCode, severity: 'error', location: { file, line, column: col } });
  });

  it('a missing patient file makes the case an error, exit 2', async () => {
    const { code, out } = await run(['test', 'fixtures/tests/missing-patient.test.yaml', '-f', 'json']);
    expect(code).toBe(2);
    expect(JSON.parse(out).files[0].cases[0].error).toMatchObject({ code: 'tests/patient-not-found', location: { line: 6, column: 14 } });
  });

  it('usage errors and no test files exit 2', async () => {
    expect((await run(['test', 'criteria/', '--coverage-min', '120'])).code).toBe(2);
    expect((await run(['test', 'no/such/dir'])).code).toBe(2);
    const none = await run(['test', 'fixtures/patients']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('tests/no-tests');
  });
});
