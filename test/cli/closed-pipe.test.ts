/**
 * Issue 14: a pipeline tool stops quietly when its reader goes away (`elig … | head`), as `cat` does:
 * no stack trace, no message, no further work, exit 141 (128 + SIGPIPE, what a shell reports for
 * `cat` killed by a closed pipe). End to end through bash, with a reader that has closed its end.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const CRITERIA = 'criteria/nct06691152.yaml';
const RECORD = JSON.stringify({ id: 'P', birthDate: '1990-01-01', sex: 'female', medications: [] });

/** Run a bash pipeline in the repository; `status` is the exit code of the pipeline's stage `stage`. */
function pipeline(script: string, stage: number) {
  const r = spawnSync('bash', ['-c', `${script}; exit \${PIPESTATUS[${stage}]}`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

describe('a closed reader (| head): stop quietly, exit 141', () => {
  it.each([
    ['elig check --help', 'node bin/elig.js check --help'],
    ['elig --help', 'node bin/elig.js --help'],
    ['elig schema report', 'node bin/elig.js schema report'],
  ])('%s to a reader that closed before reading: no EPIPE crash, no stack trace', (_name, command) => {
    // `exec 0<&-` closes the reader's end at once: every write of elig's meets a closed pipe
    const r = pipeline(`${command} | (exec 0<&-; sleep 0.5)`, 0);
    expect(r.err).toBe('');
    expect(r.status).toBe(141);
  });

  it('elig check --help | head -3: the first lines, then exit 141 or 0 (all written before head closed), never a crash', () => {
    const r = pipeline('node bin/elig.js check --help | head -3', 0);
    expect(r.out.split('\n').slice(0, 3)).toEqual(['Usage: elig check [options] <inputs...>', '', 'check patient records against a criteria file']);
    expect(r.err).toBe('');
    expect([0, 141]).toContain(r.status);
  });

  it.each(['1', '2'])('check -f ndjson of an endless input | head -1 (--jobs %s): stops reading, exit 141, nothing on stderr', (jobs) => {
    // `yes` writes records forever: elig ends only if it stops when its reader has gone
    const r = pipeline(`yes '${RECORD}' | node bin/elig.js check -c ${CRITERIA} --as-of 2026-11-25 -f ndjson --fail-on none --jobs ${jobs} - | head -n 1`, 1);
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(JSON.parse(r.out.split('\n')[0]!).type).toBe('meta');
    expect(r.err).toBe('');
    expect(r.status).toBe(141);
  });

  it('the human format of an endless input | head -2: the same', () => {
    const r = pipeline(`yes '${RECORD}' | node bin/elig.js check -c ${CRITERIA} --as-of 2026-11-25 --fail-on none - | head -n 2`, 1);
    expect(r.signal).toBeNull();
    expect(r.out.split('\n')[0]).toMatch(/^elig .* nct06691152/);
    expect(r.err).toBe('');
    expect(r.status).toBe(141);
  });

  it('an input that cannot be read is still reported when the reader has gone (it was never checked)', () => {
    const r = pipeline(`yes '${RECORD}' | node bin/elig.js check -c ${CRITERIA} --as-of 2026-11-25 -f ndjson --fail-on none no-such-input.ndjson - | head -n 1`, 1);
    expect(r.err).toMatch(/^no-such-input\.ndjson: error file\/not-found: cannot read input no-such-input\.ndjson$/m);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(141);
  });

  it('stderr closed too (2>&1 | head): no crash', () => {
    const r = pipeline(`yes '${RECORD}' | node bin/elig.js check -c ${CRITERIA} --as-of 2026-11-25 -f ndjson --fail-on none - 2>&1 | head -n 1`, 1);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(141);
  });
});
