/**
 * Issue 11, item 2: the report never overwrites or reads back its input, is written under a temporary
 * name renamed at the end, and a report that cannot be written (disk full) is exit 2 with a one-line
 * message, never a silent exit 0; a closed stdout (`| head`) is exit 141, quietly (issue 14).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const CRITERIA = join(ROOT, 'criteria/nct06691152.yaml');
const BIN = join(ROOT, 'bin/elig.js');

function elig(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, 'check', '-c', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function records(n: number): string {
  return `${Array.from({ length: n }, (_, i) => JSON.stringify({ id: `R${i}`, birthDate: '1990-01-01', sex: 'female' })).join('\n')}\n`;
}

describe('check -o: the report never destroys or reads back its input', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'elig-out-'));

  it('-o naming an input file: refused before anything is opened, the input is untouched (exit 2)', () => {
    const input = join(tmp, 'a.ndjson');
    const text = records(1000);
    writeFileSync(input, text);
    for (const o of [input, join(tmp, '.', 'a.ndjson')]) {
      const r = elig(['-f', 'ndjson', '-o', o, input]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/a\.ndjson: error usage\/invalid-option: -o .* is the input .*a\.ndjson/);
      expect(readFileSync(input, 'utf8')).toBe(text);
    }
  });

  it('-o inside an input directory, or matching an input glob: refused, nothing written (exit 2)', () => {
    const dir = join(tmp, 'dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'p.ndjson'), records(3));
    const r = elig(['-f', 'ndjson', '-o', join(dir, 'report.ndjson'), dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is inside the input directory/);
    expect(existsSync(join(dir, 'report.ndjson'))).toBe(false);
    const g = elig(['-f', 'ndjson', '-o', 'dir/report.ndjson', 'dir/*.ndjson'], tmp);
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/matches the input pattern dir\/\*\.ndjson/);
    expect(readdirSync(dir)).toEqual(['p.ndjson']);
  });

  it('a report written to a file appears whole under its name, with no temporary file left beside it', () => {
    const out = join(tmp, 'reports');
    mkdirSync(out, { recursive: true });
    const input = join(tmp, 'b.ndjson');
    writeFileSync(input, records(5));
    const r = elig(['-f', 'json', '-o', join(out, 'r.json'), input]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')).patients).toHaveLength(5);
    expect(readdirSync(out)).toEqual(['r.json']);
  });

  it('an interrupted run (Ctrl-C) leaves no half-written report under the final name, nor a temporary file', async () => {
    const dir = join(tmp, 'int');
    mkdirSync(dir, { recursive: true });
    const input = join(tmp, 'big.ndjson');
    writeFileSync(input, records(40000));
    const report = join(dir, 'r.ndjson');
    const child = spawn(process.execPath, [BIN, 'check', '-c', CRITERIA, '--as-of', '2026-11-25', '--fail-on', 'none', '-f', 'ndjson', '--jobs', '1', '-o', report, input]);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    // interrupt once the report is being written (its temporary file exists)
    const timer = setInterval(() => {
      if (readdirSync(dir).length > 0 && !child.killed) child.kill('SIGINT');
    }, 5);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearInterval(timer);
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted after \d+ records?; nothing was written to .*r\.ndjson/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a report that cannot be written: no file and no temporary file under the target directory, exit 2', () => {
    const input = join(tmp, 'c.ndjson');
    writeFileSync(input, records(2));
    const r = elig(['-o', join(tmp, 'no/such/dir/report.json'), input]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/report\.json: error file\/unwritable: cannot write the report to .*report\.json: ENOENT/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it.runIf(existsSync('/dev/full'))('disk full (-o /dev/full, or stdout to /dev/full): exit 2 with a message', () => {
    const input = join(tmp, 'd.ndjson');
    writeFileSync(input, records(50));
    const r = elig(['-f', 'json', '-o', '/dev/full', input]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error file\/unwritable: cannot write the report to \/dev\/full: ENOSPC/);
    const s = spawnSync('bash', ['-c', `node ${BIN} check -c ${CRITERIA} --as-of 2026-11-25 --fail-on none -f json ${input} > /dev/full`], { encoding: 'utf8' });
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/cannot write the report to stdout: ENOSPC/);
    expect(s.stderr).not.toMatch(/\n\s+at /);
  });

  it('a closed stdout (| head): not a failure to write but the reader gone: exit 141 (issue 14), quietly, no stack trace', () => {
    const input = join(tmp, 'e.ndjson');
    writeFileSync(input, records(20000));
    const s = spawnSync('bash', ['-c', `node ${BIN} check -c ${CRITERIA} --as-of 2026-11-25 --fail-on none -f ndjson ${input} | head -n 2; exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    expect(s.stdout.trim().split('\n')).toHaveLength(2);
    expect(s.status).toBe(141);
    expect(s.stderr).toBe('');
  });

  it.runIf(existsSync('/dev/full'))('stdout to /dev/full outside check (validate, --help): exit 2 with a line, no crash', () => {
    for (const args of [['validate', 'criteria/'], ['--help']]) {
      const s = spawnSync('bash', ['-c', `node ${BIN} ${args.join(' ')} > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
      expect(s.status).toBe(2);
      expect(s.stderr).toBe('elig: cannot write to stdout: ENOSPC\n');
    }
  });
});
