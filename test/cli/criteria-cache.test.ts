/**
 * The loaded-criteria cache of `elig check` (src/cli/criteria-cache.ts): same reports with and
 * without it, used only for the same text, elig, vocabulary and imports; never for files that did
 * not load cleanly; off when asked.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BUILD_ID, cacheDir, cacheKey } from '../../src/cli/criteria-cache.js';
import { execFileSync } from 'node:child_process';
import { memIo } from '../helpers.js';

let dir: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'elig-cache-test-'));
  cache = join(dir, 'cache');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An in-memory Io whose cache directory is real (reads of other files go to the disk). */
function io(env: Record<string, string> = { ELIG_CACHE_DIR: cache }) {
  const m = memIo({ env });
  return Object.assign(m, {
    mkdir: async (p: string) => void mkdirSync(p, { recursive: true }),
    writeFile: async (p: string, d: string) => (p.startsWith(dir) ? writeFileSync(p, d) : void m.written.set(p, d)),
  });
}
const entries = () => {
  try {
    return readdirSync(cache);
  } catch {
    return [];
  }
};
async function check(criteria: string, env?: Record<string, string>, patients = 'fixtures/patients') {
  const i = io(env);
  const code = await main(['check', '--criteria', criteria, '--as-of', '2026-11-25', '--format', 'ndjson', '--fail-on', 'none', patients], i);
  return { code, out: i.out(), err: i.err() };
}

describe('criteria cache', () => {
  it('writes an entry on the first check, and the second check gives the same report', async () => {
    const off = await check('criteria/nct06691152.yaml', { ELIG_CACHE_DIR: 'off' });
    expect(entries()).toEqual([]);
    const first = await check('criteria/nct06691152.yaml');
    expect(entries()).toHaveLength(1);
    const second = await check('criteria/nct06691152.yaml');
    expect(first.code).toBe(off.code);
    expect(first.out).toBe(off.out);
    expect(second.out).toBe(off.out);
    expect(second.err).toBe(off.err);
  });

  it('a hit is the entry: what it holds is what is compiled (so a changed key must miss)', async () => {
    await check('criteria/nct06691152.yaml');
    const [name] = entries();
    const path = join(cache, name!);
    const entry = JSON.parse(readFileSync(path, 'utf8'));
    entry.doc.inclusion[0].text = 'TEXT FROM THE CACHE';
    writeFileSync(path, JSON.stringify(entry));
    expect((await check('criteria/nct06691152.yaml')).out).toContain('TEXT FROM THE CACHE');
    // the same entry under another key (another elig, vocabulary or text) is not used
    entry.key = cacheKey('something else').key;
    writeFileSync(path, JSON.stringify(entry));
    const again = await check('criteria/nct06691152.yaml');
    expect(again.out).not.toContain('TEXT FROM THE CACHE');
    expect(JSON.parse(readFileSync(path, 'utf8')).key).toBe(cacheKey(readFileSync('criteria/nct06691152.yaml', 'utf8')).key);
  });

  it('an edited criteria file is a new key: its own entry, its own results', async () => {
    const file = join(dir, 'trial.yaml');
    const text = readFileSync('criteria/nct06691152.yaml', 'utf8');
    writeFileSync(file, text);
    const before = await check(file);
    writeFileSync(file, text.replace('min: 5 a', 'min: 99 a'));
    const after = await check(file);
    expect(entries()).toHaveLength(2);
    expect(after.out).not.toBe(before.out);
    expect((await check(file, { ELIG_CACHE_DIR: 'off' })).out).toBe(after.out);
  });

  it('an edited imported concept file is a miss', async () => {
    const file = join(dir, 'trial.yaml');
    writeFileSync(file, 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\nimports: [sites.yaml]\nexclusion:\n  - id: prior-car-t\n    text: Any prior CAR-T cell therapy.\n    rule: { medication: car-t }\n');
    const concepts = join(dir, 'sites.yaml');
    const vocab = readFileSync('fixtures/imports/car-t-china.yaml', 'utf8');
    writeFileSync(concepts, vocab);
    const record = join(dir, 'p.json');
    writeFileSync(record, JSON.stringify({ id: 'p', medications: [{ name: 'carteyva', start: '2025-10-01' }] }));
    const first = await check(file, undefined, record);
    expect(entries()).toHaveLength(1);
    expect(JSON.parse(first.out.split('\n')[1]!).verdict).toBe('ineligible');
    // the product's synonym removed from the imported file: the cached document (with the old concept) must not be used
    writeFileSync(concepts, vocab.replace('carteyva, ', ''));
    const second = await check(file, undefined, record);
    const uncached = await check(file, { ELIG_CACHE_DIR: 'off' }, record);
    expect(second.out).toBe(uncached.out);
    expect(second.out).not.toBe(first.out);
  });

  it('criteria that do not load, or have lint errors, are never cached', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: a\n    text: a\n    rule: { fact: age, min: 18 a, max: 10 a }\n');
    const r1 = await check(file);
    const r2 = await check(file);
    expect(r1.code).toBe(2);
    expect(r2.err).toBe(r1.err);
    expect(entries()).toEqual([]);
  });

  it('a corrupt entry is a miss and is written again', async () => {
    const off = await check('criteria/nct06691152.yaml', { ELIG_CACHE_DIR: 'off' });
    await check('criteria/nct06691152.yaml');
    const path = join(cache, entries()[0]!);
    writeFileSync(path, '{"schema": "elig/criteria-cache@1", "doc": ');
    expect((await check('criteria/nct06691152.yaml')).out).toBe(off.out);
    expect(JSON.parse(readFileSync(path, 'utf8')).schema).toBe('elig/criteria-cache@1');
  });

  it('where: ELIG_CACHE_DIR, else XDG_CACHE_HOME/elig, else ~/.cache/elig; off or empty turns it off', () => {
    const at = (env: Record<string, string>) => cacheDir(memIo({ env }));
    expect(at({ ELIG_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(at({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/elig');
    expect(at({ HOME: '/h' })).toBe('/h/.cache/elig');
    expect(at({ ELIG_CACHE_DIR: 'off', HOME: '/h' })).toBeUndefined();
    expect(at({ ELIG_CACHE_DIR: '', HOME: '/h' })).toBeUndefined();
    expect(at({})).toBeUndefined();
  });
});

describe('the imports scan before loading', () => {
  it('a file that never says "imports" is loaded without a second parse; an escaped key is reported, not skipped', async () => {
    const vocab = join(dir, 'sites.yaml');
    writeFileSync(vocab, readFileSync('fixtures/imports/car-t-china.yaml', 'utf8'));
    const rule = 'exclusion:\n  - id: prior-car-t\n    text: Any prior CAR-T.\n    rule: { medication: car-t }\n';
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, `schema: elig/criteria@1\nid: t\nversion: 1.0.0\nimports: [sites.yaml]\n${rule}`);
    const escaped = join(dir, 'escaped.yaml');
    writeFileSync(escaped, `schema: elig/criteria@1\nid: t\nversion: 1.0.0\n"\\u0069mports": [sites.yaml]\n${rule}`);
    const record = join(dir, 'p.json');
    writeFileSync(record, JSON.stringify({ id: 'p', medications: [{ name: 'carteyva', start: '2025-10-01' }] }));
    const ok = await check(plain, { ELIG_CACHE_DIR: 'off' }, record);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out.split('\n')[1]!).verdict).toBe('ineligible');
    const r = await check(escaped, { ELIG_CACHE_DIR: 'off' }, record);
    expect(r.code).toBe(2);
    expect(r.err).toContain('criteria/import-not-found');
  });

  it('the built CLI keys its entries by its build id, so a rebuild of the same version never reads another build\'s entries', () => {
    expect(BUILD_ID).toBe('source');
    execFileSync(process.execPath, ['bin/elig.js', 'check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '-f', 'ndjson', '--fail-on', 'none', 'fixtures/patients/p01-adult-eligible.yaml'], {
      env: { ...process.env, ELIG_CACHE_DIR: cache },
      stdio: 'pipe',
    });
    const names = entries();
    expect(names).toHaveLength(1);
    const text = readFileSync('criteria/nct06691152.yaml', 'utf8');
    // the same text, elig version and vocabulary: only the build id differs from the source's key
    expect(names[0]).not.toBe(`criteria-${cacheKey(text).key.slice(0, 32)}.json`);
    const entry = JSON.parse(readFileSync(join(cache, names[0]!), 'utf8'));
    expect(entry.sha256).toBe(cacheKey(text).textSha);
  });
});
