/** End to end: every input format, compression, globs, directories, mapping, and parallel runs. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const CRITERIA = 'criteria/nct06691152/1.0.0.yaml';
const ROOT = new URL('../..', import.meta.url).pathname;

async function ids(args: string[], opts: Parameters<typeof memIo>[0] = {}) {
  const io = memIo(opts);
  const code = await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', ...args], io);
  const report = io.out() ? JSON.parse(io.out()) : { patients: [] };
  return { code, err: io.err(), patients: report.patients as { id: string; verdict: string; source: { file: string; record?: number; line?: number } }[] };
}

describe('check: input formats', () => {
  it('CSV with the header convention (sample export in fixtures/csv)', async () => {
    const r = await ids(['fixtures/csv/patients.csv']);
    expect(r.code).toBe(0);
    expect(r.patients.map((p) => `${p.id}@${p.source.line}`)).toEqual(['C-001@2', 'C-002@3', 'C-003@4']);
    expect(r.patients[0]!.verdict).toBe('eligible');
  });

  it.each([
    ['a CSV header with prefixed columns', 'id,sex,finding:ecg-abnormality,medication:MMF\nA,F,no,1 g\n', ['A']],
    ['a plain CSV header', 'id,birthDate\nX,2001-01-01\n', ['X']],
    ['TSV', 'id\tsex\nT\tF\n', ['T']],
    ['YAML mapping', 'id: Y\nsex: female\n', ['Y']],
    ['YAML list', '- id: L1\n- id: L2\n', ['L1', 'L2']],
    ['YAML with a comment first', '# patient\nid: C\n', ['C']],
  ])('stdin is sniffed: %s', async (_n, stdin, expected) => {
    const r = await ids(['-'], { stdin });
    expect(r.patients.map((p) => p.id)).toEqual(expected);
  });

  it('CSV without its mapping: unknown columns are one warning each, the rows are still checked, exit by verdicts', async () => {
    const r = await ids(['fixtures/csv/site-export.csv']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/site-export\.csv:1:1: warning record\/unknown-key: column "Patient ID"/);
    expect(r.patients).toHaveLength(2);
  });

  it('-q silences the CSV column warnings (issue 11 item 12); the rows are still checked', async () => {
    const r = await ids(['-q', 'fixtures/csv/site-export.csv']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.patients).toHaveLength(2);
    // an error that stops the run is still shown
    const missing = await ids(['-q', 'fixtures/csv/no-such-file.csv']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no-such-file\.csv/);
  });

  it('CSV with a mapping file, and TSV', async () => {
    const r = await ids(['--mapping', 'fixtures/mappings/site-export.yaml', 'fixtures/csv/site-export.csv']);
    expect(r.patients.map((p) => p.id)).toEqual(['S-1', 'S-2']);
    const tsv = 'id\tbirthDate\tsex\nT-1\t2001-01-01\tF\n';
    const t = await ids(['x.tsv'], { files: { 'x.tsv': tsv } });
    expect(t.patients.map((p) => p.id)).toEqual(['T-1']);
  });

  it('CSV: a ragged row and a bad yes/no cell are errors; the other rows are still checked', async () => {
    const csv = 'id,sex,date,finding:ecg-abnormality\nA,F,2026-11-20,no\nB,F\nC,F,2026-11-20,maybe\nD,M,2026-11-20,yes\n';
    const r = await ids(['b.csv'], { files: { 'b.csv': csv } });
    expect(r.patients.map((p) => `${p.id}:${p.verdict}`)).toEqual(['A:indeterminate', 'b.csv#2:error', 'b.csv#3:error', 'D:ineligible']);
  });

  it('a JSON array is streamed element by element, with each record\'s line', async () => {
    const arr = `[\n${Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: `J${i}` })).join(',\n')}\n]`;
    const r = await ids(['a.json'], { files: { 'a.json': arr } });
    expect(r.patients).toHaveLength(50);
    expect(r.patients[49]!.source).toEqual({ file: 'a.json', record: 50, line: 51 });
  });

  it('a JSON array with a broken element in the middle: that element is an error, the rest go on', async () => {
    const r = await ids(['a.json'], { files: { 'a.json': '[{"id":"A"},\n{"id": B},\n{"id":"C"}]' } });
    expect(r.patients.map((p) => `${p.id}:${p.verdict}`)).toEqual(['A:indeterminate', 'a.json#2:error', 'C:indeterminate']);
    expect(r.err).toMatch(/a\.json:2(:\d+)?: error syntax\/json/);
  });

  it('a YAML list is read item by item, and a multi-document stream document by document', async () => {
    const list = '# two patients\n- id: Y1\n  sex: female\n- id: Y2\n  sex: male\n';
    const r = await ids(['l.yaml'], { files: { 'l.yaml': list } });
    expect(r.patients.map((p) => `${p.id}@${p.source.line}`)).toEqual(['Y1@2', 'Y2@4']);
    const docs = 'id: D1\n---\nid: D2\nbirthDate: 12345\n---\nid: D3\n';
    const d = await ids(['d.yaml'], { files: { 'd.yaml': docs } });
    expect(d.patients.map((p) => `${p.id}:${p.verdict}`)).toEqual(['D1:indeterminate', 'D2:error', 'D3:indeterminate']);
  });

  it('directories of mixed files, each in name order (CSV and broken inputs together)', async () => {
    const r = await ids(['fixtures/csv', 'fixtures/broken']);
    const files = [...new Set(r.patients.map((p) => p.source.file))];
    expect(files).toEqual(['fixtures/csv/patients.csv', 'fixtures/csv/site-export.csv', 'fixtures/broken/bad-types.json', 'fixtures/broken/batch.ndjson', 'fixtures/broken/malformed.json']);
    expect(r.patients.length).toBeGreaterThanOrEqual(5 + 3 + 5);
  });

  it('globs', async () => {
    const r = await ids(['fixtures/csv/*.csv']);
    expect(r.patients.map((p) => p.id)).toEqual(['C-001', 'C-002', 'C-003', 'site-export.csv#1', 'site-export.csv#2'].map((x) => (x.includes('#') ? expect.any(String) : x)));
    expect(new Set(r.patients.map((p) => p.source.file))).toEqual(new Set(['fixtures/csv/patients.csv', 'fixtures/csv/site-export.csv']));
    const none = await ids(['fixtures/csv/*.nothing']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no input matches');
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'elig-inputs-'));

function elig(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/elig.js'), ...args], { input, cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!existsSync(join(ROOT, 'dist/bundle/worker.js')))('check: compressed input, stdin, and --jobs (real process)', () => {
  const lines = Array.from({ length: 600 }, (_, i) => JSON.stringify({ id: `G${i}`, birthDate: `${1950 + (i % 60)}-01-01`, sex: i % 2 ? 'male' : 'female', medications: [] }));
  lines.splice(300, 0, '{"id": broken');
  const nd = `${lines.join('\n')}\n`;
  const gz = join(tmp, 'batch.ndjson.gz');
  writeFileSync(gz, gzipSync(nd));

  it('.gz files and gzip on stdin are decompressed; every line appears once', () => {
    const a = elig(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', gz]);
    const b = elig(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', '-'], gzipSync(nd));
    const count = (s: string) => s.trim().split('\n').filter((l) => l.includes('"type":"patient"')).length;
    expect(count(a.out)).toBe(601);
    expect(b.out.replaceAll('<stdin>', gz)).toBe(a.out);
  });

  // 601 records = 3 batches: with --jobs 2 (one worker) the third batch is done by the main thread
  // while the worker is busy; with --jobs 3 all go to the two workers
  it('--jobs 2 and 3 give exactly the same report as --jobs 1, in input order', () => {
    const one = elig(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', '--jobs', '1', gz]);
    for (const jobs of ['2', '3']) {
      const other = elig(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', '--jobs', jobs, gz]);
      expect(other.code).toBe(one.code);
      expect(other.out).toBe(one.out);
      expect(JSON.parse(other.out).patients[300].verdict).toBe('error');
    }
  });

  it('-o writes the whole report to a file when it is many output chunks long (backpressure)', () => {
    const report = join(tmp, 'big-report.ndjson');
    for (const jobs of ['1', '2']) {
      const r = elig(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', '--jobs', jobs, '-o', report, gz]);
      expect(r.code).toBe(0);
      const lines = readFileSync(report, 'utf8').trim().split('\n');
      expect(lines.filter((l) => l.includes('"type":"patient"'))).toHaveLength(601);
      expect(lines.at(-1)).toContain('"type":"summary"');
    }
  });

  it('a closed pipe (| head) stops the run quietly (exit 141, as cat: issue 14; issue 11 had exit 2 with a message), without a stack trace', () => {
    const r = spawnSync('bash', ['-c', `node bin/elig.js check -c ${CRITERIA} --as-of 2026-11-25 -f ndjson --fail-on none ${gz} | head -n 2; exit \${PIPESTATUS[0]}`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.status).toBe(141);
    expect(r.stderr).toBe('');
  });

  it('Ctrl-C stops cleanly: exit 130, a note on stderr, no stack trace', async () => {
    const big = join(tmp, 'big.ndjson');
    writeFileSync(big, `${Array.from({ length: 20000 }, (_, i) => JSON.stringify({ id: `B${i}`, birthDate: '1990-01-01', sex: 'female', medications: [] })).join('\n')}\n`);
    const child = spawn(process.execPath, [join(ROOT, 'bin/elig.js'), 'check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', '--jobs', '1', big], { cwd: ROOT });
    let err = '';
    let out = 0;
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d: Buffer) => {
      out += d.length;
      if (out > 0 && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted after \d+ records?; the report is incomplete/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a report file that cannot be written: one-line diagnostic, exit 2', () => {
    const r = elig(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-o', join(tmp, 'no/such/dir/report.json'), 'fixtures/patients/p01-adult-eligible.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/report\.json: error file\/unwritable: cannot write the report to .*ENOENT/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('--jobs must be a whole number', () => {
    expect(elig(['check', '-c', CRITERIA, '--jobs', 'many', gz]).code).toBe(2);
  });
});
