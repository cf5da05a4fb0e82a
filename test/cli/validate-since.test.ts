/**
 * `elig validate --since <ref>` (issue 11 item 10) says what it compared, or fails with exit 2 when git
 * cannot give the previous version: a bad revision, a file outside the repository, a directory that is
 * no repository, a shallow clone. Each case runs against a temporary git repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/elig.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));

const GIT = ['-c', 'user.name=elig test', '-c', 'user.email=test@elig.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', [...GIT, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const criteria = (version: string, age: number) =>
  `schema: elig/criteria@1\nid: demo\nversion: ${version}\ntitle: Demo\ninclusion:\n  - id: adult\n    text: "Aged ${age} or over."\n    rule: { fact: age, min: ${age} }\n`;

/** The built command line, run in `cwd` (paths are relative to it, as a user's are). */
async function validate(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, 'validate', '-f', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let repo: string;
let outside: string;
beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'elig-since-'));
  repo = join(root, 'repo');
  outside = join(root, 'outside');
  mkdirSync(join(repo, 'criteria'), { recursive: true });
  mkdirSync(outside);
  git(repo, 'init', '-q');
  writeFileSync(join(repo, 'criteria/demo.yaml'), criteria('1.0.0', 18));
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'demo 1.0.0');
  writeFileSync(join(repo, 'criteria/demo.yaml'), criteria('1.0.0', 16)); // changed, not bumped
  writeFileSync(join(repo, 'criteria/new.yaml'), criteria('0.1.0', 21).replace('id: demo', 'id: new'));
  writeFileSync(join(outside, 'demo.yaml'), criteria('1.0.0', 18));
});

const codes = (out: string) => (JSON.parse(out) as { files: { diagnostics: { code: string }[] }[] }).files.flatMap((f) => f.diagnostics.map((d) => d.code));

describe.skipIf(!built)('elig validate --since <git revision> (needs npm run build)', () => {
  it('says what it compared: the revision, its commit, the path in the repository and both versions', async () => {
    const { code, out, err } = await validate(['criteria/demo.yaml', '--since', 'HEAD'], repo);
    expect(codes(out)).toEqual(['lint/version-not-bumped']);
    expect(code).toBe(1);
    expect(err).toMatch(/^elig validate --since HEAD: criteria\/demo\.yaml compared with HEAD:criteria\/demo\.yaml \([0-9a-f]{12}, version 1\.0\.0\), now 1\.0\.0$/m);
  });

  it('an absolute path is read at its path in the repository (it used to compare nothing)', async () => {
    const { out, err } = await validate([join(repo, 'criteria/demo.yaml'), '--since', 'HEAD'], repo);
    expect(codes(out)).toEqual(['lint/version-not-bumped']);
    expect(err).toContain('compared with HEAD:criteria/demo.yaml');
  });

  it('run from outside the repository, a file inside it is still compared (git runs where the file is)', async () => {
    const { out } = await validate([join(repo, 'criteria/demo.yaml'), '--since', 'HEAD'], outside);
    expect(codes(out)).toEqual(['lint/version-not-bumped']);
  });

  it('a file new since the revision: said, nothing to compare, not an error', async () => {
    const { code, out, err } = await validate(['criteria/new.yaml', '--since', 'HEAD'], repo);
    expect(code).toBe(0);
    expect(codes(out)).toEqual([]);
    expect(err).toMatch(/criteria\/new\.yaml is not in HEAD \([0-9a-f]{12}\): a new file, nothing to compare/);
  });

  it.each([
    ['a revision that does not exist', ['criteria/demo.yaml', '--since', 'no-such-branch'], 'repo', /unknown git revision "no-such-branch"/],
    ['an option-like revision', ['criteria/demo.yaml', '--since=--output=x'], 'repo', /"--output=x" is not a git revision/],
    ['a file outside any repository', ['demo.yaml', '--since', 'HEAD'], 'outside', /is not in a git repository/],
  ])('%s: exit 2 with a message, no report', async (_name, args, where, message) => {
    const { code, out, err } = await validate(args, where === 'repo' ? repo : outside);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toMatch(/usage\/since-unreadable/);
  });

  it('a shallow clone without the revision: exit 2, and the message says to fetch the history', async () => {
    writeFileSync(join(repo, 'criteria/demo.yaml'), criteria('1.1.0', 16));
    git(repo, 'commit', '-qam', 'demo 1.1.0');
    const shallow = mkdtempSync(join(tmpdir(), 'elig-shallow-'));
    git(shallow, 'clone', '-q', '--depth', '1', `file://${repo}`, 'clone');
    const clone = join(shallow, 'clone');
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const { code, err } = await validate(['criteria/demo.yaml', '--since', 'HEAD~1'], clone);
    expect(code).toBe(2);
    expect(err).toMatch(/revision "HEAD~1" is not in this shallow clone .*fetch-depth: 0/);
    // in the full repository the same comparison works and the bump is accepted
    const full = await validate(['criteria/demo.yaml', '--since', 'HEAD~1'], repo);
    expect(full.code).toBe(0);
    expect(full.err).toMatch(/version 1\.0\.0\), now 1\.1\.0/);
    expect(readFileSync(join(clone, 'criteria/demo.yaml'), 'utf8')).toContain('1.1.0');
  });
});
