/**
 * File helpers shared by validate, test, diff and explain: read a text file into a string or a
 * located diagnostic, and expand files/directories into criteria and test files.
 */
import { join } from 'node:path';
import { diag, type Diagnostic } from '../index.js';
import type { Io } from './io.js';

export async function readText(io: Io, file: string, what = 'file'): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  try {
    return { text: (await io.readFile(file)).toString('utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      diagnostic: diag(code === 'ENOENT' ? 'file/not-found' : 'file/unreadable',
        `cannot read ${what} ${file}${code && code !== 'ENOENT' ? ` (${code})` : ''}`, { file }),
    };
  }
}

/**
 * Expand paths: a directory yields its `.yaml`/`.yml` files recursively in name order; a file
 * is taken as given. Missing paths are reported as diagnostics.
 */
export async function expandYamlFiles(io: Io, paths: readonly string[], problems: Diagnostic[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await io.readdir(dir)).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      const st = await io.stat(p);
      if (st.isDirectory()) await walk(p);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  };
  for (const p of paths) {
    let st: Awaited<ReturnType<Io['stat']>>;
    try {
      st = await io.stat(p);
    } catch {
      problems.push(diag('file/not-found', `no such file or directory: ${p}`, { file: p }));
      continue;
    }
    if (st.isDirectory()) await walk(p);
    else out.push(p);
  }
  return [...new Set(out)];
}
