/**
 * File helpers shared by validate, test, diff and explain: read a text file into a string or a
 * located diagnostic, and expand files/directories into criteria and test files.
 */
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { detectFormat, diag, parseNdjsonLine, parseYaml, TEXT_PARSERS, type Diagnostic, type InputItem, type RecordSource } from '../index.js';
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
 * The texts of the concept files a criteria file imports (`imports:`), by path as written, read
 * relative to the criteria file. An unreadable one is left out: the loader reports it, located.
 */
export async function readImportTexts(io: Io, criteriaFile: string, text: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  // most files import nothing: no second YAML parse for them (the loader parses the file anyway). A key
  // spelled with escapes ("\u0069mports") is not seen here, so its files are not read: the loader then
  // reports them as not found, located; nothing is skipped silently
  if (!text.includes('imports')) return out;
  const v = parseYaml(criteriaFile, text).value as { imports?: unknown } | undefined;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.imports)) return out;
  for (const entry of v.imports as unknown[]) {
    const path = typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null && typeof (entry as { path?: unknown }).path === 'string' ? (entry as { path: string }).path : undefined;
    if (!path || path in out) continue;
    try {
      out[path] = (await io.readFile(join(dirname(criteriaFile), path))).toString('utf8');
    } catch {
      // reported by the loader (criteria/import-not-found), with its location
    }
  }
  return out;
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

/**
 * Patient records from files or directories (JSON, YAML, NDJSON; directories recursively in name
 * order), read whole: for `diff --patients` and `explain --patient`, which take a handful of records.
 * Unreadable records become diagnostics.
 */
export async function readPatientRecords(io: Io, paths: readonly string[], problems: Diagnostic[]): Promise<{ raw: unknown; source: RecordSource }[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await io.readdir(dir)).sort()) {
      const p = join(dir, name);
      const st = await io.stat(p);
      if (st.isDirectory()) await walk(p);
      else if (['json', 'yaml', 'ndjson'].includes(detectFormat(p) ?? '')) files.push(p);
    }
  };
  for (const p of paths) {
    try {
      if ((await io.stat(p)).isDirectory()) await walk(p);
      else files.push(p);
    } catch {
      problems.push(diag('file/not-found', `no such file or directory: ${p}`, { file: p }));
    }
  }
  const out: { raw: unknown; source: RecordSource }[] = [];
  for (const f of files) {
    const t = await readText(io, f, 'patient file');
    if ('diagnostic' in t) {
      problems.push(t.diagnostic);
      continue;
    }
    const format = detectFormat(f);
    const items: InputItem[] = format === 'ndjson'
      ? t.text.split('\n').flatMap((line, i) => parseNdjsonLine(f, i + 1, i + 1, line) ?? [])
      : format === 'json' || format === 'yaml' ? TEXT_PARSERS[format](f, t.text)
      : [];
    if (format !== 'ndjson' && format !== 'json' && format !== 'yaml') problems.push(diag('input/unsupported-format', `not a JSON, YAML or NDJSON file: ${f}`, { file: f }));
    for (const item of items) {
      if (item.kind === 'error') problems.push(item.diagnostic);
      else out.push({ raw: item.raw, source: item.source });
    }
  }
  return out;
}

/** Display paths relative to the working directory when they are inside it. */
export function shown(io: Io, p: string): string {
  const r = relative(io.cwd(), resolvePath(io.cwd(), p));
  return r && !r.startsWith('..') ? r : p;
}
