/** The real executable: exit codes from the process and no stack traces (needs `npm run build`). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/elig.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));

function elig(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!built)('bin/elig.js', () => {
  it('prints the version and exits 0', () => {
    const r = elig(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('exit 1 for an ineligible patient from stdin, 0 with --fail-on none', () => {
    const rec = JSON.stringify({ id: 'kid', birthDate: '2024-01-01' });
    expect(elig(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '-'], rec).code).toBe(1);
    expect(elig(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--fail-on', 'none', '-'], rec).code).toBe(0);
  });
  it('exit 2 with a one-line diagnostic and no stack trace for a missing file', () => {
    const r = elig(['check', '-c', 'criteria/nct06691152.yaml', 'no/such/file.json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no/such/file.json: error file/not-found');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
