/**
 * scripts/check-criteria-history.mjs (issue 11 item 11): the repository's criteria follow the
 * version-bump rule against their git history. Each case builds a temporary repository (`npm test`
 * runs the check itself on this repository).
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/check-criteria-history.mjs', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));
const GIT = ['-c', 'user.name=elig test', '-c', 'user.email=test@elig.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', [...GIT, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const criteria = (version: string, age: number, comment = '') =>
  `${comment}schema: elig/criteria@1\nid: demo\nversion: ${version}\ntitle: Demo\ninclusion:\n  - id: adult\n    text: "Aged ${age} or over."\n    rule: { fact: age, min: ${age} }\n`;

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'elig-history-'));
  mkdirSync(join(dir, 'criteria/demo'), { recursive: true });
  git(dir, 'init', '-q');
  return dir;
}
function commit(dir: string, files: Record<string, string>, message: string): string {
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
  return git(dir, 'rev-parse', 'HEAD');
}
function check(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd, encoding: 'utf8' }, (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err }));
  });
}
const NO_EXCEPTIONS = ['--exceptions', '/nonexistent/none.json'];

describe.skipIf(!built).concurrent('check-criteria-history (needs npm run build)', { timeout: 120_000 }, () => {
  it('a history that bumps on every change holds; a frozen copy identical to its release holds', async () => {
    const dir = repo();
    commit(dir, { 'criteria/demo.yaml': criteria('1.0.0', 18) }, '1.0.0');
    commit(dir, { 'criteria/demo.yaml': criteria('1.1.0', 16), 'criteria/demo/1.0.0.yaml': criteria('1.0.0', 18) }, '1.1.0, 1.0.0 frozen');
    commit(dir, { 'criteria/demo.yaml': criteria('1.1.0', 16, '# a comment is not content\n') }, 'comment');
    const r = await check(dir, ...NO_EXCEPTIONS);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ criteria\/demo\/1\.0\.0\.yaml: frozen, byte-identical to criteria\/demo\.yaml at [0-9a-f]{12}/);
    expect(r.out).toMatch(/✓ criteria\/demo\.yaml: 1\.0\.0 at [0-9a-f]{12} → 1\.1\.0 now/);
  });

  it('a change after release without a bump fails, and a later comment-only commit does not hide it', async () => {
    const dir = repo();
    commit(dir, { 'criteria/demo.yaml': criteria('1.0.0', 18) }, '1.0.0');
    const released = commit(dir, { 'criteria/demo.yaml': criteria('1.1.0', 16) }, '1.1.0');
    commit(dir, { 'criteria/demo.yaml': criteria('1.1.0', 15) }, 'silent change');
    const r = await check(dir, ...NO_EXCEPTIONS);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`criteria/demo.yaml: the content changed since ${released.slice(0, 12)} but the version is still 1.1.0`);
    commit(dir, { 'criteria/demo.yaml': criteria('1.1.0', 15, '# tidy\n') }, 'comment only');
    expect((await check(dir, ...NO_EXCEPTIONS)).code).toBe(1);
    // an exception for exactly that comparison is used, and said
    const ex = join(dir, 'ex.json');
    writeFileSync(ex, JSON.stringify([{ file: 'criteria/demo.yaml', version: '1.1.0', since: released, reason: 'fixed by 1.2.0' }]));
    const allowed = await check(dir, '--exceptions', ex);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('EXCEPTION criteria/demo.yaml');
    // the bump fixes it; the exception is then unused and the run says to remove it
    commit(dir, { 'criteria/demo.yaml': criteria('1.2.0', 15) }, '1.2.0');
    const fixed = await check(dir, '--exceptions', ex);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toMatch(/1\.1\.0 at [0-9a-f]{12} → 1\.2\.0 now/);
    expect(fixed.out).toMatch(/the exception for criteria\/demo\.yaml 1\.1\.0 since [0-9a-f]{12} no longer applies/);
  });

  it('an uncommitted change without a bump fails', async () => {
    const dir = repo();
    commit(dir, { 'criteria/demo.yaml': criteria('1.0.0', 18) }, '1.0.0');
    writeFileSync(join(dir, 'criteria/demo.yaml'), criteria('1.0.0', 17));
    expect((await check(dir, ...NO_EXCEPTIONS)).err).toMatch(/content changed since [0-9a-f]{12} but the version is still 1\.0\.0/);
  });

  it.each([
    ['changed after it was frozen', (dir: string) => commit(dir, { 'criteria/demo/1.0.0.yaml': criteria('1.0.0', 18, '# edited\n') }, 'edit frozen'), /changed after it was frozen, in [0-9a-f]+ edit frozen/],
    ['an uncommitted edit', (dir: string) => writeFileSync(join(dir, 'criteria/demo/1.0.0.yaml'), criteria('1.0.0', 19)), /has uncommitted changes/],
    ['frozen under another version', (dir: string) => commit(dir, { 'criteria/demo/1.0.1.yaml': criteria('1.0.0', 18) }, 'misnamed'), /version "1\.0\.0" is not 1\.0\.1/],
    ['not what was released', (dir: string) => commit(dir, { 'criteria/demo/1.0.0.yaml': criteria('1.0.0', 21) }, 'rewrite'), /differs from every demo 1\.0\.0 released/],
  ])('a frozen version: %s fails', async (_name, act, message) => {
    const dir = repo();
    commit(dir, { 'criteria/demo.yaml': criteria('1.0.0', 18) }, '1.0.0');
    commit(dir, { 'criteria/demo.yaml': criteria('1.1.0', 16), 'criteria/demo/1.0.0.yaml': criteria('1.0.0', 18) }, '1.1.0');
    act(dir);
    const r = await check(dir, ...NO_EXCEPTIONS);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('a shallow clone degrades with a warning; --require-history makes it fail', async () => {
    const dir = repo();
    commit(dir, { 'criteria/demo.yaml': criteria('1.0.0', 18) }, '1.0.0');
    commit(dir, { 'criteria/demo.yaml': criteria('1.0.0', 16) }, 'silent change');
    const parent = mkdtempSync(join(tmpdir(), 'elig-history-shallow-'));
    git(parent, 'clone', '-q', '--depth', '1', `file://${dir}`, 'clone');
    const clone = join(parent, 'clone');
    const r = await check(clone, ...NO_EXCEPTIONS);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WARNING: shallow clone/);
    expect(r.out).toMatch(/nothing to compare \(shallow clone\)/);
    const strict = await check(clone, '--require-history', ...NO_EXCEPTIONS);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/shallow clone/);
    // the full repository has the history and finds the silent change
    expect((await check(dir, ...NO_EXCEPTIONS)).code).toBe(1);
  });

  it('outside a git checkout it says the rule was not checked (and fails with --require-history)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elig-history-nogit-'));
    mkdirSync(join(dir, 'criteria'));
    copyFileSync(join(ROOT, 'criteria/nct06691152.yaml'), join(dir, 'criteria/nct06691152.yaml'));
    const r = await check(dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/NOT CHECKED: criteria is not in a git checkout/);
    expect((await check(dir, '--require-history')).code).toBe(1);
    rmSync(dir, { recursive: true });
  });
});
