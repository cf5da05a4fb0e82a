/** End to end: every report format through `elig check`, with --summary and --details, never coloured when machine-read. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MACHINE_FORMATS, REPORT_FORMATS, type ReportFormat } from '../../src/index.js';
import { memIo } from '../helpers.js';

const CRITERIA = 'criteria/nct06691152.yaml';
const BATCH = JSON.stringify([
  { id: 'A-1', birthDate: '2000-01-01', sex: 'male', measurements: [], medications: [] },
  { id: 'Y-2', birthDate: '2024-01-01' },
  { id: 'B-3', birthDate: 20000101 },
  { id: 'C-4', birthDate: '1990-01-01', sex: 'female', attestations: [{ code: 'informed-consent', by: 'patient', date: '2026-11-01' }] },
]);
const IDS = ['A-1', 'Y-2', 'B-3', 'C-4'];
const ANSI = /\u001b\[/;

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memIo({ files: { 'b.json': BATCH }, env });
  const code = await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', ...args], io);
  return { code, out: io.out(), err: io.err(), io };
}

/** The patient ids each format reports, in order, read back from its own output. */
const PATIENT_IDS: Record<ReportFormat, (out: string) => string[]> = {
  human: (out) => out.split('\n').map((l) => l.split('  ')[0]!).filter((id) => IDS.includes(id)),
  json: (out) => (JSON.parse(out) as { patients: { id: string }[] }).patients.map((p) => p.id),
  ndjson: (out) => out.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; id: string }).filter((l) => l.type === 'patient').map((l) => l.id),
  csv: (out) => out.replace(/^\uFEFF/, '').split('\r\n').slice(1, -1).map((l) => l.split(',')[0]!),
  junit: (out) => [...out.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]!),
  tap: (out) => [...out.matchAll(/^(?:not )?ok - (\S+)/gm)].map((m) => m[1]!),
  markdown: (out) => out.split('\n').filter((l) => /^\| [A-Z]-\d /.test(l)).map((l) => l.split(' | ')[0]!.slice(2)),
};

describe('elig check --format', () => {
  it.each(REPORT_FORMATS)('%s: every input record once, in input order; exit code unchanged', async (format) => {
    const { code, out } = await run(['-f', format, 'b.json']);
    expect(code).toBe(0);
    expect(PATIENT_IDS[format](out)).toEqual(IDS);
  });

  it.each(MACHINE_FORMATS.concat('markdown'))('%s never contains ANSI colour, even with --color and FORCE_COLOR', async (format) => {
    const { out } = await run(['-f', format, '--color', '--summary', 'b.json'], { FORCE_COLOR: '1' });
    expect(out).not.toMatch(ANSI);
  });

  it.each([
    ['--color', ['--color'], {}, true],
    ['FORCE_COLOR', [], { FORCE_COLOR: '1' }, true],
    ['NO_COLOR', [], { NO_COLOR: '1' }, false],
    ['not a TTY', [], {}, false],
    ['--no-color beats FORCE_COLOR', ['--no-color'], { FORCE_COLOR: '1' }, false],
  ] as const)('human colour: %s', async (_name, flags, env, coloured) => {
    const { out } = await run([...flags, 'b.json'], env);
    expect(ANSI.test(out)).toBe(coloured);
  });

  it('the --format choices are exactly the registered reporters', async () => {
    const io = memIo();
    await main(['check', '--help'], io);
    const choices = /--format <format>[\s\S]*?\(choices: ([^)]*?), default/.exec(io.out())![1]!;
    expect(choices.split(',').map((s) => s.trim().replace(/"/g, '')).sort()).toEqual([...REPORT_FORMATS].sort());
    expect((await run(['-f', 'pdf', 'b.json'])).code).toBe(2);
  });

  it('-o writes the report to the file and nothing to stdout', async () => {
    const { out, io } = await run(['-f', 'csv', '-o', 'report.csv', 'b.json']);
    expect(out).toBe('');
    expect(PATIENT_IDS.csv(io.written.get('report.csv')!)).toEqual(IDS);
  });
});

describe('elig check --summary', () => {
  it('json: funnel and worklist only with --summary; aggregates carry no patient ids', async () => {
    const plain = JSON.parse((await run(['-f', 'json', 'b.json'])).out) as { summary: Record<string, unknown> };
    expect(Object.keys(plain.summary)).toEqual(['patients', 'verdicts', 'criteria']);
    const full = JSON.parse((await run(['-f', 'json', '--summary', 'b.json'])).out) as { patients: { criteria: { id: string }[] }[]; summary: { funnel: { id: string; possiblyEligible: number; surelyEligible: number }[]; worklist: { item: string; patients: number; unblocks: number }[]; verdicts: Record<string, number> } };
    const { funnel, worklist, verdicts } = full.summary;
    expect(funnel.map((f) => f.id)).toEqual(full.patients[0]!.criteria.map((c) => c.id)); // protocol order
    expect(funnel.at(-1)!.possiblyEligible).toBe(verdicts.eligible! + verdicts.indeterminate!);
    for (let i = 1; i < funnel.length; i++) expect(funnel[i]!.possiblyEligible).toBeLessThanOrEqual(funnel[i - 1]!.possiblyEligible);
    expect(worklist.length).toBeGreaterThan(0);
    for (const w of worklist) expect(w.patients).toBeLessThanOrEqual(verdicts.indeterminate!);
    expect(JSON.stringify(full.summary)).not.toMatch(/A-1|Y-2|B-3|C-4/);
  });

  it('ndjson: the summary is the last line, with the funnel and worklist', async () => {
    const lines = (await run(['-f', 'ndjson', '--summary', 'b.json'])).out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]!.type).toBe('meta');
    expect(lines.at(-1)).toMatchObject({ type: 'summary', patients: 4, funnel: expect.any(Array), worklist: expect.any(Array) });
    expect(lines).toHaveLength(IDS.length + 2);
  });

  it.each(['human', 'markdown'] as const)('%s: the screening summary adds the funnel and worklist tables', async (format) => {
    const plain = (await run(['-f', format, 'b.json'])).out;
    const full = (await run(['-f', format, '--summary', 'b.json'])).out;
    expect(full.startsWith(plain.slice(0, plain.indexOf('Summary')))).toBe(true);
    expect(full.length).toBeGreaterThan(plain.length);
    expect(full).toContain('attestation:informed-consent');
    expect(plain).not.toContain('attestation:informed-consent');
  });
});

describe('elig check --details (human)', () => {
  it('one line per patient by default; --details lists every criterion of every checked patient', async () => {
    const compact = (await run(['b.json'])).out.split('\n');
    for (const id of IDS) expect(compact.filter((l) => l.startsWith(`${id}  `))).toHaveLength(1);
    const details = (await run(['--details', 'b.json'])).out.split('\n');
    const statusLines = details.filter((l) => /^ {2}[✓✗?–] /.test(l));
    expect(statusLines.length % 3).toBe(0); // three checked patients, the same criteria each
    expect(statusLines.length / 3).toBeGreaterThanOrEqual(11);
    expect(details.length).toBeGreaterThan(compact.length * 5);
  });

  it('compact lines fit 80 columns on an 80-column terminal (piped, nothing is cut: test/cli/human-pipe.test.ts)', async () => {
    const io = memIo({ files: { 'b.json': BATCH } });
    await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', '--no-color', 'b.json'], { ...io, stdout: { ...io.stdout, isTTY: true, columns: 80 } });
    for (const line of io.out().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
