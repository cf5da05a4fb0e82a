#!/usr/bin/env node
/**
 * Start-up, measured piece by piece: a short `elig check` is paid by scripts and CI on every call.
 *   npm run build && node bench/startup.mjs [--runs 10] [--records 1000]
 * Rows (alternating runs; median wall and CPU time, user + sys, from /usr/bin/time):
 *   node itself; the module graph of `check` (its bundle chunks imported, nothing run); `check` of
 *   an empty file (modules + criteria: YAML with positions, zod, lint, compile) without and with
 *   the loaded-criteria cache; `check` of N seed-trial patients (bench/generate.mjs) with V8's default
 *   interrupt budget, then as shipped (bin/elig.js raises it), then as shipped with the cache.
 * The cache lives in a scratch directory (ELIG_CACHE_DIR) made for the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const runs = Number(arg('runs', '10'));
const records = Number(arg('records', '1000'));
if (!existsSync(join(root, 'dist/bundle/elig.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const patients = join(root, `bench/out/patients-start-${records}.ndjson`);
mkdirSync(join(root, 'bench/out'), { recursive: true });
if (!existsSync(patients)) spawnSync(process.execPath, [join(root, 'bench/generate.mjs'), String(records), patients, '42'], { stdio: 'inherit' });
const empty = join(root, 'bench/out/empty.ndjson');
writeFileSync(empty, '');
const scratch = mkdtempSync(join(tmpdir(), 'elig-startup-'));
const cacheOn = { ELIG_CACHE_DIR: join(scratch, 'cache') };
const cacheOff = { ELIG_CACHE_DIR: 'off' };
const chunks = readdirSync(join(root, 'dist/bundle')).filter((f) => /^check-.*\.js$/.test(f)).map((f) => join(root, 'dist/bundle', f));
const elig = join(root, 'bin/elig.js');
const check = (file) => [elig, 'check', '--criteria', join(root, 'criteria/nct06691152.yaml'), '--as-of', '2026-11-25', '--format', 'ndjson', '--fail-on', 'none', '--quiet', '--jobs', '1', file];
const node = process.execPath;
const rows = [
  { name: 'node -e "" (Node itself)', args: ['-e', ''] },
  { name: 'module graph of check (import, nothing run)', args: ['--input-type=module', '-e', `await import(${JSON.stringify(join(root, 'dist/bundle/elig.js'))}); ${chunks.map((c) => `await import(${JSON.stringify(c)});`).join(' ')}`] },
  { name: 'check, no records, no cache', args: check(empty), env: cacheOff },
  { name: 'check, no records, cached criteria', args: check(empty), env: cacheOn },
  { name: `check ${records} records, V8 default budget, no cache`, args: ['--interrupt-budget=67584', ...check(patients)], env: cacheOff },
  { name: `check ${records} records, as shipped, no cache`, args: check(patients), env: cacheOff },
  { name: `check ${records} records, as shipped, cached criteria`, args: check(patients), env: cacheOn },
];
// the cache entry exists before the first timed run
spawnSync(node, check(empty), { env: { ...process.env, ...cacheOn } });

const timeFile = join(scratch, 'time');
const before = loadavg();
for (const r of rows) r.runs = [];
for (let i = 0; i < runs; i++) {
  for (const r of rows) {
    const p = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, node, ...r.args], { env: { ...process.env, ...(r.env ?? {}) }, stdio: ['ignore', 'ignore', 'pipe'] });
    if (p.status !== 0) {
      console.error(`bench: ${r.name} failed: ${p.stderr}`);
      process.exit(2);
    }
    const [wall, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
    r.runs.push({ wall, cpu: user + sys });
  }
}
const after = loadavg();
rmSync(scratch, { recursive: true, force: true });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`elig start-up · ${new Date().toISOString().slice(0, 16)}Z · node ${process.version} · ${runs} runs each, alternating · load average ${before.map((x) => x.toFixed(2)).join(' ')} before, ${after.map((x) => x.toFixed(2)).join(' ')} after`);
console.log(`${'run'.padEnd(52)} ${'wall s'.padStart(8)} ${'range'.padStart(11)} ${'CPU s'.padStart(7)}`);
for (const r of rows) {
  const w = r.runs.map((x) => x.wall);
  console.log(`${r.name.padEnd(52)} ${median(w).toFixed(2).padStart(8)} ${`${Math.min(...w).toFixed(2)}–${Math.max(...w).toFixed(2)}`.padStart(11)} ${median(r.runs.map((x) => x.cpu)).toFixed(2).padStart(7)}`);
}
