import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const CRITERIA = 'criteria/nct06691152.yaml';
const GOOD = JSON.stringify({ id: 'G-1', birthDate: '2000-01-01', sex: 'male', measurements: [], medications: [] });
const CONSENTED = { attestations: [{ code: 'informed-consent', by: 'patient', date: '2026-11-01' }] };

async function run(args: string[], opts: Parameters<typeof memIo>[0] = {}) {
  const io = memIo(opts);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err(), io };
}

describe('elig check: reports and exit codes', () => {
  it('json report carries the stamp, every criterion, reasons and summary', async () => {
    const { code, out } = await run(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '--format', 'json', 'in.json'], { files: { 'in.json': GOOD } });
    expect(code).toBe(1); // indeterminate/ineligible by default fail-on
    const report = JSON.parse(out);
    expect(report.meta).toMatchObject({ schema: 'elig/report@2', tool: { name: 'elig', version: expect.any(String) }, criteria: { id: 'nct06691152', version: '1.2.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, asOf: '2026-11-25' });
    // report@2: each criterion's kind and protocol text once, in the meta
    const protocol = report.meta.criteria.protocol as { id: string; kind: string; text: string }[];
    expect(protocol).toHaveLength(22);
    for (const c of protocol) {
      expect(['inclusion', 'exclusion']).toContain(c.kind);
      expect(c.text.length).toBeGreaterThan(0);
    }
    expect(report.patients).toHaveLength(1);
    const p = report.patients[0];
    expect(p.id).toBe('G-1');
    expect(p.source).toEqual({ file: 'in.json', record: 1, line: 1 });
    expect(p.criteria).toHaveLength(22);
    expect(p.criteria.map((c: { id: string }) => c.id)).toEqual(protocol.map((c) => c.id));
    for (const c of p.criteria) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'status', 'reasons']));
      expect(c).not.toHaveProperty('kind');
      expect(c).not.toHaveProperty('text');
      expect(c.reasons.length).toBeGreaterThan(0);
      if (c.status === 'unknown') expect(c.missing.length).toBeGreaterThan(0);
    }
    expect(report.summary.patients).toBe(1);
  });

  it('--fail-on none exits 0; --fail-on ineligible exits 1 only for ineligible', async () => {
    expect((await run(['check', '-c', CRITERIA, '--fail-on', 'none', 'in.json'], { files: { 'in.json': GOOD } })).code).toBe(0);
    const undecided = JSON.stringify({ id: 'U', ...CONSENTED });
    expect((await run(['check', '-c', CRITERIA, '--fail-on', 'ineligible', 'in.json'], { files: { 'in.json': undecided } })).code).toBe(0);
    const young = JSON.stringify({ id: 'Y', birthDate: '2024-01-01' });
    expect((await run(['check', '-c', CRITERIA, '--fail-on', 'ineligible', 'in.json'], { files: { 'in.json': young } })).code).toBe(1);
  });

  it('a missing input file: one-line diagnostic, the other inputs still reported, exit 2', async () => {
    const { code, out, err } = await run(['check', '-c', CRITERIA, '-f', 'json', 'nope.json', 'in.json'], { files: { 'in.json': GOOD } });
    expect(code).toBe(2);
    expect(err).toMatch(/^nope\.json: error file\/not-found: cannot read input nope\.json$/m);
    expect(JSON.parse(out).patients.map((p: { id: string }) => p.id)).toEqual(['G-1']);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a malformed YAML criteria file: located diagnostic, exit 2, nothing checked', async () => {
    const { code, out, err } = await run(['check', '-c', 'fixtures/criteria/malformed.yaml', 'in.json'], { files: { 'in.json': GOOD } });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^fixtures\/criteria\/malformed\.yaml:\d+:\d+: error syntax\/yaml: /m);
  });

  it('an unknown operator: located diagnostic with suggestion and code frame, exit 2', async () => {
    const { code, err } = await run(['check', '-c', 'fixtures/criteria/unknown-operator.yaml', 'in.json'], { files: { 'in.json': GOOD } });
    expect(code).toBe(2);
    expect(err).toMatch(/^fixtures\/criteria\/unknown-operator\.yaml:8:7: error criteria\/unknown-operator: unknown operator "mesurement".*did you mean "measurement"/m);
    expect(err).toContain('> 8 |       mesurement: egfr');
  });

  it('a missing criteria file: exit 2', async () => {
    const { code, err } = await run(['check', '-c', 'criteria/none.yaml', 'in.json'], { files: { 'in.json': GOOD } });
    expect(code).toBe(2);
    expect(err).toMatch(/^criteria\/none\.yaml: error file\/not-found/m);
  });

  it('a record with a wrong type is an error result naming record and field; good records still reported', async () => {
    const batch = JSON.stringify([{ id: 'A' }, { id: 'B', birthDate: 12345 }, { id: 'C' }]);
    const { code, out, err } = await run(['check', '-c', CRITERIA, '-f', 'json', 'b.json'], { files: { 'b.json': batch } });
    expect(code).toBe(1);
    const r = JSON.parse(out);
    expect(r.patients.map((p: { id: string; verdict: string }) => `${p.id}:${p.verdict}`)).toEqual(['A:indeterminate', 'B:error', 'C:indeterminate']);
    expect(r.summary.verdicts.error).toBe(1);
    expect(err).toMatch(/^b\.json#2: error record\/invalid: record "B": birthDate: .*\(at birthDate\)$/m);
  });

  it('JSON syntax error in one file: error result with line, other files go on', async () => {
    const { code, out, err } = await run(['check', '-c', CRITERIA, '-f', 'json', 'bad.json', 'in.json'], { files: { 'bad.json': '{\n  "id": "X",\n  oops\n}', 'in.json': GOOD } });
    expect(code).toBe(1);
    expect(JSON.parse(out).patients.map((p: { verdict: string }) => p.verdict)).toEqual(['error', 'indeterminate']);
    expect(err).toMatch(/^bad\.json:3:\d+: error syntax\/json/m);
  });

  it('NDJSON: a broken line in the middle is an error with its line; every line appears once', async () => {
    const nd = ['{"id":"N1"}', '{"id":"N2"}', '{"id": broken', '', '{"id":"N4"}'].join('\n');
    const { out, err } = await run(['check', '-c', CRITERIA, '-f', 'json', 'b.ndjson'], { files: { 'b.ndjson': nd } });
    const ids = JSON.parse(out).patients.map((p: { id: string; verdict: string }) => `${p.id}:${p.verdict}`);
    expect(ids).toEqual(['N1:indeterminate', 'N2:indeterminate', 'b.ndjson#3:error', 'N4:indeterminate']);
    expect(err).toMatch(/^b\.ndjson:3:\d+: error syntax\/json/m);
  });

  it('stdin (-), sniffed as JSON or YAML', async () => {
    const j = await run(['check', '-c', CRITERIA, '-f', 'json', '-'], { stdin: GOOD });
    expect(JSON.parse(j.out).patients[0].source.file).toBe('<stdin>');
    const y = await run(['check', '-c', CRITERIA, '-f', 'json', '-'], { stdin: 'id: Y-1\nbirthDate: 2001-02-03\n---\nid: Y-2\n' });
    expect(JSON.parse(y.out).patients.map((p: { id: string }) => p.id)).toEqual(['Y-1', 'Y-2']);
  });

  it('a directory of mixed files, in name order', async () => {
    const { out } = await run(['check', '-c', CRITERIA, '-f', 'json', '--fail-on', 'none', 'fixtures/patients']);
    const r = JSON.parse(out);
    expect(r.patients.length).toBeGreaterThanOrEqual(15);
    expect(r.summary.patients).toBe(r.patients.length);
  });

  it('--output writes the report to a file', async () => {
    const { out, io } = await run(['check', '-c', CRITERIA, '-f', 'json', '-o', 'report.json', 'in.json'], { files: { 'in.json': GOOD } });
    expect(out).toBe('');
    expect(JSON.parse(io.written.get('report.json')!).patients).toHaveLength(1);
  });

  it('usage errors exit 2: bad --as-of, bad --fail-on, bad --format, no inputs, unknown command', async () => {
    expect((await run(['check', '-c', CRITERIA, '--as-of', '2026-13-01', 'in.json'], { files: { 'in.json': GOOD } })).code).toBe(2);
    expect((await run(['check', '-c', CRITERIA, '--fail-on', 'sometimes', 'in.json'], { files: { 'in.json': GOOD } })).code).toBe(2);
    expect((await run(['check', '-c', CRITERIA, '--format', 'pdf', 'in.json'])).code).toBe(2);
    expect((await run(['check', '-c', CRITERIA])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('--help and --version exit 0; help documents the exit codes', async () => {
    const h = await run(['check', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Exit codes:');
    const v = await run(['--version']);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--as-of defaults to today (from the Io clock)', async () => {
    const { out } = await run(['check', '-c', CRITERIA, '-f', 'json', 'in.json'], { files: { 'in.json': GOOD }, today: '2030-01-02' });
    expect(JSON.parse(out).meta.asOf).toBe('2030-01-02');
  });

  it('colour: off when not a TTY, on with --color or FORCE_COLOR, off with NO_COLOR; never in JSON', async () => {
    const plain = await run(['check', '-c', CRITERIA, 'in.json'], { files: { 'in.json': GOOD } });
    expect(plain.out).not.toMatch(/\x1b\[/);
    expect((await run(['check', '-c', CRITERIA, '--color', 'in.json'], { files: { 'in.json': GOOD } })).out).toMatch(/\x1b\[/);
    expect((await run(['check', '-c', CRITERIA, 'in.json'], { files: { 'in.json': GOOD }, env: { FORCE_COLOR: '1' } })).out).toMatch(/\x1b\[/);
    expect((await run(['check', '-c', CRITERIA, 'in.json'], { files: { 'in.json': GOOD }, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).out).not.toMatch(/\x1b\[/);
    expect((await run(['check', '-c', CRITERIA, '-f', 'json', '--color', 'in.json'], { files: { 'in.json': GOOD } })).out).not.toMatch(/\x1b\[/);
  });
});
