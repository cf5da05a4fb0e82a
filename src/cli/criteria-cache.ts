/**
 * A cache of loaded criteria for `elig check`: parsing the YAML with positions, validating it (zod)
 * and linting it cost more than compiling, and scripts and CI pay them on every invocation. An entry
 * holds the validated document (plain data) of one criteria file that loaded without diagnostics and
 * without lint errors; it is found by the sha256 of the file's text, elig's version and the built-in
 * vocabulary's sha256 and the build's identity (BUILD_ID: a rebuilt elig of the same version never reads
 * another build's entries), and used only when the imported concept files it names still have the sha256
 * they had. Anything else (another elig, an edited file or import, an unreadable or foreign entry) is
 * a miss: the file is loaded as before and the entry written again. The cache is best effort: a
 * directory that cannot be written costs the saving, never the check.
 *
 * Where: $ELIG_CACHE_DIR, else $XDG_CACHE_HOME/elig, else ~/.cache/elig; ELIG_CACHE_DIR=off (or empty)
 * turns it off.
 */
import { isDeepStrictEqual } from 'node:util';
import { dirname, join } from 'node:path';
import { sha256, VOCABULARY_STAMP, type CriteriaDoc, type LoadedCriteria } from '../index.js';
import { VERSION } from '../version.js';
import type { Io } from './io.js';

const SCHEMA = 'elig/criteria-cache@1';

declare const __ELIG_BUILD_ID__: string | undefined;
/**
 * The identity of the running build (scripts/bundle.mjs: a sha256 over the compiled code and the
 * locked dependencies). Run from source (tests), there is no build id: entries are then keyed by
 * 'source', and tests give the cache a directory of their own.
 */
export const BUILD_ID: string = typeof __ELIG_BUILD_ID__ === 'string' ? __ELIG_BUILD_ID__ : 'source';

interface Entry {
  schema: typeof SCHEMA;
  key: string;
  sha256: string;
  imports: { path: string; sha256: string }[];
  doc: CriteriaDoc;
}

export function cacheDir(io: Io): string | undefined {
  const env = io.env;
  if (env.ELIG_CACHE_DIR !== undefined) return env.ELIG_CACHE_DIR === '' || env.ELIG_CACHE_DIR === 'off' ? undefined : env.ELIG_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'elig');
  return env.HOME ? join(env.HOME, '.cache', 'elig') : undefined;
}

/** The entry's key: the criteria text's sha256 with what else decides how it loads (elig, its vocabulary). */
export function cacheKey(text: string): { key: string; textSha: string } {
  const textSha = sha256(text);
  return { textSha, key: sha256(`${SCHEMA}\u0000${VERSION}\u0000${BUILD_ID}\u0000${VOCABULARY_STAMP.sha256}\u0000${textSha}`) };
}

const entryPath = (dir: string, key: string) => join(dir, `criteria-${key.slice(0, 32)}.json`);

/** The cached load of this criteria text, or undefined (a miss, whatever the reason). */
export async function readCached(io: Io, file: string, text: string): Promise<LoadedCriteria | undefined> {
  const dir = cacheDir(io);
  if (!dir) return undefined;
  const { key, textSha } = cacheKey(text);
  let entry: Entry;
  try {
    entry = JSON.parse((await io.readFile(entryPath(dir, key))).toString('utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || entry.schema !== SCHEMA || entry.key !== key || entry.sha256 !== textSha
    || !Array.isArray(entry.imports) || typeof entry.doc !== 'object' || entry.doc === null) return undefined;
  // the imported concept files, read again: an edited one is a miss
  const importTexts: Record<string, string> = {};
  for (const imp of entry.imports) {
    try {
      importTexts[imp.path] = (await io.readFile(join(dirname(file), imp.path))).toString('utf8');
    } catch {
      return undefined;
    }
    if (sha256(importTexts[imp.path]!) !== imp.sha256) return undefined;
  }
  return { doc: entry.doc, sha256: textSha, file, text, imports: entry.imports, importTexts };
}

/**
 * Keep a load that had no diagnostics and no lint errors. Only a document that JSON keeps exactly is
 * written (no undefined values, nothing JSON turns into something else).
 */
export async function writeCached(io: Io, loaded: LoadedCriteria): Promise<void> {
  const dir = cacheDir(io);
  if (!dir || !io.mkdir) return;
  const { key, textSha } = cacheKey(loaded.text);
  if (textSha !== loaded.sha256) return;
  const entry: Entry = { schema: SCHEMA, key, sha256: textSha, imports: loaded.imports, doc: loaded.doc };
  const json = JSON.stringify(entry);
  if (!isDeepStrictEqual((JSON.parse(json) as Entry).doc, loaded.doc)) return;
  try {
    await io.mkdir(dir);
    await io.writeFile(entryPath(dir, key), json);
  } catch {
    // best effort: the check goes on without a cache
  }
}
