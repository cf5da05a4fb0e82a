/** `elig validate`: every lint code at its line:col, bundled criteria clean, formats (SARIF against its schema, GitHub annotations), exit codes. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';
import { XMLParser } from './xml.js';

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const MISTAKES = 'fixtures/criteria/mistakes.yaml';
const PREVIOUS = 'fixtures/criteria/mistakes-previous.yaml';
const UNITS = 'fixtures/criteria/incompatible-unit.yaml';

interface D { code: string; severity: string; location: { file: string; line: number; column: number } }

async function diagnostics(args: string[]): Promise<D[]> {
  const { out } = await run(['validate', ...args, '-f', 'json']);
  return JSON.parse(out).files.flatMap((f: { diagnostics: D[] }) => f.diagnostics);
}

describe('elig validate', () => {
  it('the bundled criteria, the archived v1.0.0 and v1.1.0, the registry and example trials and the test files validate clean (exit 0, even with --max-warnings 0)', async () => {
    const { code, out } = await run(['validate', 'criteria/', '--max-warnings', '0', '-f', 'json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.files.map((f: { file: string }) => f.file)).toEqual([
      'criteria/nct00309218.test.yaml', 'criteria/nct00309218.yaml', 'criteria/nct00915083.test.yaml', 'criteria/nct00915083.yaml',
      'criteria/nct02453711.test.yaml', 'criteria/nct02453711.yaml', 'criteria/nct03168568.test.yaml', 'criteria/nct03168568.yaml',
      'criteria/nct04612257.test.yaml', 'criteria/nct04612257.yaml',
      'criteria/nct06691152/1.0.0.yaml', 'criteria/nct06691152/1.1.0.yaml', 'criteria/nct06691152.test.yaml', 'criteria/nct06691152.yaml',
      'criteria/nct07432334.test.yaml', 'criteria/nct07432334.yaml',
      'criteria/oncology-phase1-example.test.yaml', 'criteria/oncology-phase1-example.yaml', 'criteria/t2d-example.test.yaml', 'criteria/t2d-example.yaml',
    ]);
    expect(r.summary).toEqual({ files: 20, errors: 0, warnings: 0, infos: 0 });
  });

  it.each([
    ['lint/version-not-bumped', 'error', 5, 10],
    ['lint/unused-definition', 'warning', 8, 3],
    ['lint/implausible-threshold', 'warning', 15, 37], // eGFR 3000
    ['lint/implausible-threshold', 'warning', 18, 37], // SpO2 101 %
    ['lint/contradictory-bounds', 'error', 24, 29], // age ≥ 60 and ≤ 40 in one all
    ['lint/missing-text', 'warning', 26, 11],
    ['lint/unknown-code', 'warning', 30, 31],
    ['criteria/incompatible-unit', 'error', 33, 50], // dose in mg/dL
    ['lint/never-both-pass', 'error', 40, 11], // the same rule as an inclusion
    ['lint/never-both-pass', 'error', 43, 44], // platelets ≥ 100 included, > 50 excluded
  ])('%s (%s) at mistakes.yaml:%i:%i', async (code, severity, line, column) => {
    const ds = await diagnostics([MISTAKES, '--since', PREVIOUS]);
    expect(ds).toContainEqual(expect.objectContaining({ code, severity, location: expect.objectContaining({ file: MISTAKES, line, column }) }));
  });

  it('mistakes.yaml yields exactly those ten findings, sorted by position', async () => {
    const ds = await diagnostics([MISTAKES, '--since', PREVIOUS]);
    expect(ds.map((d) => `${d.location.line}:${d.location.column} ${d.code}`)).toEqual([
      '5:10 lint/version-not-bumped', '8:3 lint/unused-definition', '15:37 lint/implausible-threshold', '18:37 lint/implausible-threshold',
      '24:29 lint/contradictory-bounds', '26:11 lint/missing-text', '30:31 lint/unknown-code', '33:50 criteria/incompatible-unit',
      '40:11 lint/never-both-pass', '43:44 lint/never-both-pass',
    ]);
  });

  it.each([
    ['criteria/incompatible-unit', 7, 37], // eGFR compared in mg/dL
    ['criteria/unknown-code', 10, 26], // a measurement the vocabulary does not know
  ])('loader errors are diagnostics too: %s at incompatible-unit.yaml:%i:%i', async (code, line, column) => {
    expect(await diagnostics([UNITS])).toContainEqual(expect.objectContaining({ code, location: expect.objectContaining({ line, column }) }));
  });

  it('--since with a git revision: the bundled criteria, unchanged since HEAD, are not flagged', async () => {
    const ds = await diagnostics(['criteria/nct06691152.yaml', '--since', 'HEAD']);
    expect(ds.filter((d) => d.code === 'lint/version-not-bumped')).toEqual([]);
  });

  it('--since with the same version and the same content is not flagged', async () => {
    const ds = await diagnostics([PREVIOUS, '--since', PREVIOUS]);
    expect(ds.map((d) => d.code)).not.toContain('lint/version-not-bumped');
  });

  it('test files: unknown criterion ids and missing patient files are reported at their position', async () => {
    const ds = await diagnostics(['fixtures/tests/unknown-criterion.test.yaml', 'fixtures/tests/missing-patient.test.yaml']);
    expect(ds.map((d) => [d.code, d.location.line, d.location.column])).toEqual([
      ['tests/unknown-criterion', 8, 31],
      ['tests/patient-not-found', 6, 14],
    ]);
  });

  it('exit codes: errors → 1; warnings only → 0, or 1 with --max-warnings 0; unreadable path → 2', async () => {
    expect((await run(['validate', MISTAKES])).code).toBe(1);
    const warnOnly = 'fixtures/criteria/warnings-only.yaml';
    expect((await run(['validate', warnOnly])).code).toBe(0);
    expect((await run(['validate', warnOnly, '--max-warnings', '0'])).code).toBe(1);
    expect((await run(['validate', warnOnly, '--max-warnings', '5'])).code).toBe(0);
    expect((await run(['validate', 'no/such/file.yaml'])).code).toBe(2);
    expect((await run(['validate', MISTAKES, '--max-warnings', 'x'])).code).toBe(2);
  });

  it('human output: one line per diagnostic with file:line:col, and a code frame (golden)', async () => {
    const { out } = await run(['validate', MISTAKES, '--since', PREVIOUS, '--no-color']);
    expect(out).toContain('fixtures/criteria/mistakes.yaml:24:29: error lint/contradictory-bounds:');
    expect(out).toContain('> 24 |');
    await expect(out).toMatchFileSnapshot('__golden__/validate.txt');
  });

  it('sarif output validates against the SARIF 2.1.0 schema (subset fixture) and carries every finding', async () => {
    const { out } = await run(['validate', MISTAKES, UNITS, '--since', PREVIOUS, '-f', 'sarif']);
    const schema = JSON.parse(readFileSync('fixtures/sarif/sarif-schema-2.1.0.subset.json', 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:/i);
    ajv.addFormat('uri-reference', /^\S*$/);
    const validate = ajv.compile(schema);
    const log = JSON.parse(out);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = log.runs[0].results;
    expect(results).toHaveLength(12);
    const rules = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    for (const r of results) expect(rules[r.ruleIndex]).toBe(r.ruleId);
    expect(results[0]).toMatchObject({ ruleId: 'lint/version-not-bumped', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: MISTAKES }, region: { startLine: 5, startColumn: 10 } } }] });
    await expect(out).toMatchFileSnapshot('__golden__/validate.sarif');
  });

  it('the SARIF schema fixture rejects what SARIF forbids (the validator is not vacuous)', () => {
    const schema = JSON.parse(readFileSync('fixtures/sarif/sarif-schema-2.1.0.subset.json', 'utf8'));
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    const ok = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'error' }] }] };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, version: '2.0.0' })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }] }] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, extra: 1 }] }] })).toBe(false);
  });

  it('github output: one workflow command per finding, in the documented syntax, properties and data escaped', async () => {
    const { out } = await run(['validate', MISTAKES, UNITS, '--since', PREVIOUS, '-f', 'github']);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    const COMMAND = /^::(error|warning|notice) ((?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*(?:,(?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*)*)::([^\r\n]*)$/;
    const unescape = (s: string) => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
    const parsed = lines.map((l) => {
      const m = COMMAND.exec(l);
      expect(m, l).not.toBeNull();
      const props = Object.fromEntries(m![2]!.split(',').map((p) => p.split('=') as [string, string]));
      for (const k of ['line', 'col', 'endLine', 'endColumn']) if (props[k] !== undefined) expect(props[k]).toMatch(/^[1-9]\d*$/);
      return { level: m![1], props, message: unescape(m![3]!) };
    });
    expect(parsed[0]).toMatchObject({ level: 'error', props: { file: MISTAKES, line: '5', col: '10', title: 'elig lint/version-not-bumped' } });
    expect(parsed.filter((p) => p.level === 'warning')).toHaveLength(5);
    const threshold = lines.find((l) => l.includes('implausible-threshold'))!;
    expect(threshold).toContain('title=elig lint/implausible-threshold');
    expect(unescape('a%25b%3Ac%2Cd%0Ae')).toBe('a%b:c,d\ne');
    await expect(out).toMatchFileSnapshot('__golden__/validate.github.txt');
  });

  it('junit output: well-formed, one testcase per finding, a passing testcase for a clean file', async () => {
    const { out } = await run(['validate', MISTAKES, 'criteria/nct06691152.yaml', '-f', 'junit']);
    const root = new XMLParser().parse(out).children[0]!;
    const suites = root.children;
    expect(suites.map((s) => s.attributes.name)).toEqual([MISTAKES, 'criteria/nct06691152.yaml']);
    expect(suites[0]!.children.every((c) => c.children[0]?.name === 'failure')).toBe(true);
    expect(suites[1]!.children).toHaveLength(1);
    expect(suites[1]!.children[0]!.children).toEqual([]);
  });
});
