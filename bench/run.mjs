#!/usr/bin/env node
/**
 * npm run bench [-- --sizes 1k,100k,1m] [--jobs 1,2] [--csv 1g] [--criteria file]
 *
 * Generates seeded synthetic patients (bench/generate.mjs) as NDJSON, then times
 * `elig check --format ndjson` to /dev/null against the floor measured in the same run on the same
 * file (bench/floor.mjs: read every line and JSON.parse it). Prints records/s, the ratio to the
 * floor and peak RSS (Linux /proc VmHWM, sampled every 20 ms). Not a test: figures go in notes.
 * `--csv 100m|1g` also checks the same kind of patients as a CSV export of about that size (the
 * floor is then reading it and parsing every row with csv-parse): the memory figure for large CSV.
 * `--peers <anchors dir> [--size 100k|1m] [--runs N]` runs bench/peers.mjs instead: elig beside the
 * reference evaluators (floor, hand-written, json-rules-engine, CQL) in one table, and the differential.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--peers')) {
  const r = spawnSync(process.execPath, [join(root, 'bench/peers.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 2);
}
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const SIZES = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
// CSV sizes in bytes, as rows of this generator's export (≈ 600 bytes a row)
const CSV_SIZES = { '10m': 17_500, '100m': 175_000, '1g': 1_750_000 };
const sizes = arg('sizes', '1k,100k,1m').toLowerCase().split(',').filter(Boolean);
const csvSizes = (arg('csv', '') ?? '').toLowerCase().split(',').filter(Boolean);
const jobsList = arg('jobs', '1,2').split(',').map(Number);
const criteria = arg('criteria', join(root, 'criteria/nct06691152.yaml'));
const outDir = join(root, 'bench/out');
mkdirSync(outDir, { recursive: true });
if (!existsSync(join(root, 'dist/bundle/elig.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const devnull = openSync('/dev/null', 'w');
    const child = spawn(cmd, args, { stdio: ['ignore', devnull, 'pipe'] });
    let peakKb = 0;
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch { /* exited, or not Linux */ }
    };
    const timer = setInterval(sample, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve({ code, secs, peakMb: peakKb ? peakKb / 1024 : NaN, err });
    });
  });
}

const rows = [];
const cases = [
  ...sizes.map((s) => ({ s, n: SIZES[s], ext: 'ndjson', known: Object.keys(SIZES) })),
  ...csvSizes.map((s) => ({ s, n: CSV_SIZES[s], ext: 'csv', known: Object.keys(CSV_SIZES) })),
];
for (const { s, n, ext, known } of cases) {
  if (!n) {
    console.error(`bench: unknown ${ext} size ${s} (use ${known.join(', ')})`);
    process.exit(2);
  }
  const file = join(outDir, `patients-${s}.${ext}`);
  if (!existsSync(file)) {
    process.stderr.write(`bench: generating ${n.toLocaleString('en-US')} patients → ${file}\n`);
    spawnSync(process.execPath, [join(root, 'bench/generate.mjs'), String(n), file, '42'], { stdio: 'inherit' });
  }
  const mb = statSync(file).size / 1024 / 1024;
  const floor = await run(process.execPath, [join(root, 'bench/floor.mjs'), file]);
  rows.push({ size: s, what: ext === 'csv' ? 'csv floor (read + csv-parse)' : 'floor (read + JSON.parse)', n, secs: floor.secs, peakMb: floor.peakMb, ratio: 1, mb });
  for (const jobs of jobsList) {
    const r = await run(process.execPath, [join(root, 'bin/elig.js'), 'check', '--criteria', criteria, '--as-of', '2026-11-25',
      '--format', 'ndjson', '--fail-on', 'none', '--quiet', '--jobs', String(jobs), file]);
    if (r.code !== 0) console.error(`bench: elig exited ${r.code}: ${r.err.slice(0, 500)}`);
    rows.push({ size: s, what: `${ext === 'csv' ? 'csv ' : ''}elig check --jobs ${jobs}`, n, secs: r.secs, peakMb: r.peakMb, ratio: r.secs / floor.secs, mb });
  }
}

const pad = (x, w) => String(x).padStart(w);
console.log(`\nelig benchmark · ${new Date().toISOString().slice(0, 10)} · node ${process.version} · criteria ${criteria.replace(`${root}/`, '')}`);
console.log(`${'size'.padEnd(5)} ${'run'.padEnd(28)} ${pad('records', 9)} ${pad('MB', 7)} ${pad('seconds', 8)} ${pad('records/s', 10)} ${pad('× floor', 8)} ${pad('peak RSS', 9)}`);
for (const r of rows) {
  console.log(`${r.size.padEnd(5)} ${r.what.padEnd(28)} ${pad(r.n.toLocaleString('en-US'), 9)} ${pad(r.mb.toFixed(0), 7)} ${pad(r.secs.toFixed(2), 8)} ${pad(Math.round(r.n / r.secs).toLocaleString('en-US'), 10)} ${pad(r.ratio.toFixed(2), 8)} ${pad(Number.isNaN(r.peakMb) ? 'n/a' : `${r.peakMb.toFixed(0)} MiB`, 9)}`);
}
