/**
 * Reading a file at a git revision, for `elig validate --since <ref>` (the only use of git). Every way
 * git can fail to give the old version is an answer with a reason (not a silent "nothing to compare"):
 * no git repository, an unknown revision (in a shallow clone: say so), a file outside the repository.
 * A file that did not exist at the revision is `absent` (a new file: nothing to compare, and said so).
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, sep } from 'node:path';

interface GitOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function git(args: string[], cwd: string): Promise<GitOutput> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: err && !stderr ? err.message : String(stderr) });
    });
  });
}

const firstLine = (s: string): string => s.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? '';

export type AtRevision =
  /** The file's text at the revision; `label` is `<ref>:<path in the repository>`, `commit` the revision's abbreviated hash. */
  | { kind: 'text'; text: string; label: string; commit: string }
  /** The file is not in the revision's tree (added since). */
  | { kind: 'absent'; label: string; commit: string }
  /** Git cannot answer: the reason, for a located error. */
  | { kind: 'problem'; message: string };

/** The text of the file `absPath` at revision `ref` of the git repository that holds the file. */
export async function readAtRevision(ref: string, absPath: string): Promise<AtRevision> {
  if (ref.startsWith('-')) return { kind: 'problem', message: `"${ref}" is not a git revision` };
  let file: string;
  try {
    file = await realpath(absPath);
  } catch {
    file = absPath;
  }
  const top = await git(['rev-parse', '--show-toplevel'], dirname(file));
  if (!top.ok) {
    return { kind: 'problem', message: `cannot read ${ref}: ${dirname(absPath)} is not in a git repository (${firstLine(top.stderr)}); give --since a file holding the previous version instead` };
  }
  const root = top.stdout.trim();
  const rel = relative(root, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return { kind: 'problem', message: `${absPath} is outside the git repository ${root}` };
  const path = rel.split(sep).join('/');
  const commit = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (!commit.ok) {
    const shallow = (await git(['rev-parse', '--is-shallow-repository'], root)).stdout.trim() === 'true';
    return {
      kind: 'problem',
      message: shallow
        ? `revision "${ref}" is not in this shallow clone (${root}): fetch the history first (git fetch --unshallow, or actions/checkout with fetch-depth: 0)`
        : `unknown git revision "${ref}" in ${root}`,
    };
  }
  const sha = commit.stdout.trim();
  const short = sha.slice(0, 12);
  const tree = await git(['ls-tree', '--name-only', sha, '--', path], root);
  if (!tree.ok) return { kind: 'problem', message: `cannot list ${ref} (${short}): ${firstLine(tree.stderr)}` };
  if (!tree.stdout.trim()) return { kind: 'absent', label: `${ref}:${path}`, commit: short };
  const show = await git(['show', `${sha}:${path}`], root);
  if (!show.ok) return { kind: 'problem', message: `cannot read ${ref}:${path} (${short}): ${firstLine(show.stderr)}` };
  return { kind: 'text', text: show.stdout, label: `${ref}:${path}`, commit: short };
}
