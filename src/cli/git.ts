/** Reading a file at a git revision, for `elig validate --since <ref>` (the only use of git). */
import { execFile } from 'node:child_process';

/** The text of `path` at revision `ref` (`git show <ref>:./<path>`, run in `cwd`); undefined when git cannot give it. */
export function gitShow(ref: string, path: string, cwd: string): Promise<string | undefined> {
  const spec = `${ref}:${path.startsWith('/') || path.startsWith('./') ? path : `./${path}`}`;
  return new Promise((resolve) => {
    execFile('git', ['show', spec], { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}
