#!/usr/bin/env node
/**
 * elig beside the reference evaluators of ../shared/anchors, on the same records, in one run:
 *   npm run bench -- --peers ../shared/anchors [--size 100k|1m] [--runs 3] [--only name,name]
 * (bench/run.mjs passes --peers here.) The anchors folder is read-only: it is copied to bench/.peers/
 * (git-ignored), where `npm ci`, gen.mjs, translate-cql.mjs and elig/convert.mjs run once and are reused.
 *
 * Two groups of rows:
 *  - the anchors' 11 criteria (elig/anchor11.yaml) on the generator's records: the read-and-parse floor on
 *    both record formats, hand-written booleans (b_hand), hand-written with reasons (c_report),
 *    json-rules-engine writing reports (e_jre report), CQL on cql-execution (g_cql), elig at default
 *    depth, elig --details (when --details changes the NDJSON line; otherwise the row is skipped with a
 *    message), elig --jobs 2;
 *  - the seed trial (criteria/nct06691152.yaml, 22 criteria) on bench/generate.mjs records: floor, elig
 *    --jobs 1, elig --details (when it changes the line), elig --jobs 2.
 * Each command runs `--runs` times, the commands alternating (A B C A B C …, the order rotated each round)
 * so that a burst of load from elsewhere spreads over all of them; wall time, CPU time (user + sys) and
 * peak RSS come from /usr/bin/time. The table gives medians with the range, records/s, the ratio to
 * hand-written-with-reasons and to the floor of the same input, and the load average before and after.
 * Then the differential (bench/differential.mjs) checks elig against the hand-written evaluator criterion
 * by criterion: zero unexplained disagreements, or the run exits 1.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : def;
};
const SIZES = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const size = arg('size', '100k').toLowerCase();
const runs = Number(arg('runs', '3'));
const only = arg('only', '') ? new Set(arg('only', '').split(',')) : undefined;
const anchors = resolve(arg('peers', join(root, '../shared/anchors')));
if (!SIZES[size]) {
  console.error(`bench: --size ${size}: use ${Object.keys(SIZES).join(', ')}`);
  process.exit(2);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs is a whole number ≥ 1');
  process.exit(2);
}
if (!existsSync(join(anchors, 'hand.mjs'))) {
  console.log(`bench: no reference evaluators at ${anchors} (hand.mjs not found): the peers benchmark is skipped`);
  process.exit(0);
}
if (!existsSync(join(root, 'dist/bundle/elig.js')) || !existsSync(join(root, 'dist/index.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error('bench: /usr/bin/time is needed for CPU time and peak RSS (Debian package "time")');
  process.exit(2);
}

const say = (s) => process.stderr.write(`bench: ${s}\n`);
const sh = (cmd, args, cwd) => {
  say(`${relative(root, cwd) || '.'}$ ${[cmd === process.execPath ? 'node' : cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`bench: that failed (exit ${r.status ?? r.signal})`);
    process.exit(2);
  }
};

// 1. the scratch copy of the anchors (their code and data are never committed)
const peers = join(root, 'bench/.peers');
const copyTree = (from, to) => {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'data' || e.name === 'results') continue;
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory()) copyTree(a, b);
    else if (!existsSync(b) || !readFileSync(a).equals(readFileSync(b))) {
      if (existsSync(b)) rmSync(b);
      copyFileSync(a, b);
    }
  }
};
copyTree(anchors, peers);
if (!existsSync(join(peers, 'node_modules/json-rules-engine'))) sh('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], peers);
const anchorData = join(peers, `data/patients-${size}.ndjson`);
if (!existsSync(anchorData)) sh(process.execPath, ['gen.mjs', 'data'], peers);
if (!existsSync(join(peers, 'sle-eligibility.elm.json'))) sh(process.execPath, ['translate-cql.mjs'], peers);

// "per kg" on the current weight: the anchors divide the glucocorticoid dose by their one (current) weight.
// elig's per-kg dose reads the weight nearest the course start unless the criteria say `weight: current`;
// the anchors' elig criteria file predates that option, so the bench runs a copy of it that says it (the
// one line changed is printed) on records converted as they are (no --weight-at-gc-start).
const PER_KG = 'dose: { min: 1 mg/kg/d, as: prednisone }';
const anchorText = readFileSync(join(peers, 'elig/anchor11.yaml'), 'utf8');
if (!anchorText.includes(PER_KG)) {
  console.error(`bench: ${join(anchors, 'elig/anchor11.yaml')} no longer says "${PER_KG}": update bench/peers.mjs`);
  process.exit(2);
}
const anchorCriteria = join(peers, 'elig/anchor11-current-weight.yaml');
writeFileSync(anchorCriteria, anchorText.replace(PER_KG, 'dose: { min: 1 mg/kg/d, as: prednisone, weight: current }'));
say(`per kg: the anchors divide by the current weight; elig runs elig/anchor11.yaml with "${PER_KG}" → "weight: current" added (${relative(root, anchorCriteria)})`);
const eligData = join(peers, `data/elig-${size}.ndjson`);
if (!existsSync(eligData)) sh(process.execPath, ['elig/convert.mjs', anchorData, eligData], peers);

mkdirSync(join(root, 'bench/out'), { recursive: true });
const seedData = join(root, `bench/out/patients-${size}.ndjson`);
if (!existsSync(seedData)) sh(process.execPath, [join(root, 'bench/generate.mjs'), String(SIZES[size]), seedData, '42'], root);
const seedCriteria = join(root, 'criteria/nct06691152.yaml');

const elig = join(root, 'bin/elig.js');
const eligArgs = (criteria, asOf, file, extra) => [elig, 'check', '--criteria', criteria, '--as-of', asOf, '--format', 'ndjson', '--fail-on', 'none', '--quiet', ...extra, file];

// --details: a row only when it changes the NDJSON line (the option is the report engineer's; before it
// reaches NDJSON it only changes the human format)
const probeFile = join(root, 'bench/out/.probe.ndjson');
/** The first `lines` lines of a file (read from its start, not whole). */
const readHead = (file, lines) => {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  const got = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return `${buf.toString('utf8', 0, got).split('\n').slice(0, lines).join('\n')}\n`;
};
let detailsRow = false;
{
  // the first 20 records of each set: --details gets a row when it changes the seed trial's NDJSON line
  // (the option exists and reaches NDJSON); whether it changes the anchors' lines is said beside it
  const seedProbe = join(root, 'bench/out/.probe-seed.ndjson');
  writeFileSync(probeFile, readHead(eligData, 20));
  writeFileSync(seedProbe, readHead(seedData, 20));
  const probe = (criteria, asOf, file, extra) => spawnSync(process.execPath, eligArgs(criteria, asOf, file, extra), { maxBuffer: 1 << 28 }).stdout.toString('utf8');
  detailsRow = probe(seedCriteria, '2026-11-25', seedProbe, []) !== probe(seedCriteria, '2026-11-25', seedProbe, ['--details']);
  if (!detailsRow) say('elig --details does not change the NDJSON report in this version: the --details row is skipped');
  else if (probe(anchorCriteria, '2025-07-01', probeFile, []) === probe(anchorCriteria, '2025-07-01', probeFile, ['--details'])) {
    say('elig --details writes the same NDJSON as the default depth for the 11 anchor criteria (nothing of theirs is left out by default): its row measures the option, not a longer line');
  }
}

const node = process.execPath;
const A = 'anchors, 11 criteria';
const S = 'seed trial, 22 criteria';
const commands = [
  { group: A, name: 'floor, generator records (a_read readline-parse)', id: 'floor-gen', input: anchorData, args: [join(peers, 'a_read.mjs'), 'readline-parse', anchorData], floor: true },
  { group: A, name: 'floor, elig records (a_read readline-parse)', id: 'floor-elig', input: eligData, args: [join(peers, 'a_read.mjs'), 'readline-parse', eligData], floor: true },
  { group: A, name: 'hand-written, booleans (b_hand)', id: 'b_hand', input: anchorData, args: [join(peers, 'b_hand.mjs'), anchorData] },
  { group: A, name: 'hand-written with reasons (c_report)', id: 'c_report', input: anchorData, args: [join(peers, 'c_report.mjs'), anchorData], yardstick: true },
  { group: A, name: 'json-rules-engine, reports (e_jre)', id: 'e_jre', input: anchorData, args: [join(peers, 'e_jre.mjs'), anchorData, 'report'] },
  { group: A, name: 'CQL, cql-execution (g_cql)', id: 'g_cql', input: anchorData, args: [join(peers, 'g_cql.mjs'), anchorData] },
  { group: A, name: 'elig check --jobs 1', id: 'elig', input: eligData, args: eligArgs(anchorCriteria, '2025-07-01', eligData, ['--jobs', '1']) },
  ...(detailsRow ? [{ group: A, name: 'elig check --jobs 1 --details', id: 'elig-details', input: eligData, args: eligArgs(anchorCriteria, '2025-07-01', eligData, ['--jobs', '1', '--details']) }] : []),
  { group: A, name: 'elig check --jobs 2', id: 'elig-j2', input: eligData, args: eligArgs(anchorCriteria, '2025-07-01', eligData, ['--jobs', '2']) },
  { group: S, name: 'floor (bench/floor.mjs readline + JSON.parse)', id: 'seed-floor', input: seedData, args: [join(root, 'bench/floor.mjs'), seedData], floor: true },
  { group: S, name: 'elig check --jobs 1', id: 'seed-elig', input: seedData, args: eligArgs(seedCriteria, '2026-11-25', seedData, ['--jobs', '1']) },
  ...(detailsRow ? [{ group: S, name: 'elig check --jobs 1 --details', id: 'seed-elig-details', input: seedData, args: eligArgs(seedCriteria, '2026-11-25', seedData, ['--jobs', '1', '--details']) }] : []),
  { group: S, name: 'elig check --jobs 2', id: 'seed-elig-j2', input: seedData, args: eligArgs(seedCriteria, '2026-11-25', seedData, ['--jobs', '2']) },
].filter((c) => !only || only.has(c.id) || c.floor || c.yardstick);

/** One run under /usr/bin/time: wall s, CPU s (user + sys), peak RSS MiB. Output to /dev/null. */
function timed(c) {
  const out = join(root, 'bench/out/.time');
  const r = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', out, node, ...c.args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.error(`bench: ${c.name} exited ${r.status}: ${r.stderr.toString('utf8').slice(-800)}`);
    process.exit(2);
  }
  const [wall, user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  return { wall, cpu: user + sys, rss: kb / 1024 };
}

const n = SIZES[size];
const loadBefore = loadavg();
const started = new Date();
for (const c of commands) c.runs = [];
for (let round = 0; round < runs; round++) {
  for (let k = 0; k < commands.length; k++) {
    const c = commands[(k + round) % commands.length];
    say(`round ${round + 1}/${runs}: ${c.group}: ${c.name}`);
    c.runs.push(timed(c));
  }
}
const loadAfter = loadavg();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
for (const c of commands) {
  const walls = c.runs.map((r) => r.wall);
  c.wall = median(walls);
  c.min = Math.min(...walls);
  c.max = Math.max(...walls);
  c.cpu = median(c.runs.map((r) => r.cpu));
  c.rss = Math.max(...c.runs.map((r) => r.rss));
}
const floorOf = (c) => commands.find((f) => f.floor && f.group === c.group && f.input === c.input);
const yard = commands.find((c) => c.yardstick);

const pad = (x, w) => String(x).padStart(w);
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
const lines = [];
lines.push(`elig peers benchmark · ${started.toISOString().slice(0, 16)}Z · node ${process.version} · ${n.toLocaleString('en-US')} records · ${runs} run${runs === 1 ? '' : 's'} each, alternating · load average ${load(loadBefore)} before, ${load(loadAfter)} after`);
lines.push(`${'run'.padEnd(52)} ${pad('wall s (median)', 15)} ${pad('range', 13)} ${pad('CPU s', 7)} ${pad('records/s', 10)} ${pad('peak RSS', 9)} ${pad('× c_report', 10)} ${pad('CPU × c_rep', 11)} ${pad('× floor', 8)} ${pad('CPU × floor', 11)}`);
let group;
for (const c of commands) {
  if (c.group !== group) {
    group = c.group;
    lines.push(`— ${group}${group === A ? ` (${relative(root, anchorCriteria)}, --as-of 2025-07-01)` : ` (criteria/nct06691152.yaml, --as-of 2026-11-25)`}`);
  }
  const f = floorOf(c);
  const y = c.group === A && yard;
  lines.push(`${c.name.padEnd(52)} ${pad(fmt(c.wall), 15)} ${pad(`${fmt(c.min)}–${fmt(c.max)}`, 13)} ${pad(fmt(c.cpu, 1), 7)} ${pad(Math.round(n / c.wall).toLocaleString('en-US'), 10)} ${pad(`${c.rss.toFixed(0)} MiB`, 9)} ${pad(y ? fmt(c.wall / yard.wall) : '', 10)} ${pad(y ? fmt(c.cpu / yard.cpu) : '', 11)} ${pad(f ? fmt(c.wall / f.wall) : '', 8)} ${pad(f ? fmt(c.cpu / f.cpu) : '', 11)}`);
}
lines.push('wall and CPU times (user + sys, all threads) are whole processes, start-up included; × floor divides by the floor read on the same input file; peak RSS is the largest of the runs.');
lines.push('On a machine shared with other work, wall times and their ratios follow the load; CPU-time ratios of single-threaded runs move much less.');
const j1 = commands.find((c) => c.id === 'seed-elig');
const j2 = commands.find((c) => c.id === 'seed-elig-j2');
if (j1 && j2) lines.push(`seed trial: --jobs 2 / --jobs 1 wall time = ${fmt(j2.wall / j1.wall)}`);
console.log(`\n${lines.join('\n')}\n`);

// 2. the differential on the same records
say('differential: the hand-written evaluator against elig, criterion by criterion');
const d = spawnSync(node, [join(root, 'bench/differential.mjs'), peers, anchorData, eligData, anchorCriteria], { stdio: ['ignore', 'pipe', 'inherit'] });
const diffText = d.stdout.toString('utf8');
console.log(diffText);
const stamp = started.toISOString().slice(0, 19).replace(/[:T]/g, '-');
const report = join(root, `bench/out/peers-${size}-${stamp}.txt`);
writeFileSync(report, `${lines.join('\n')}\n\n${diffText}`);
writeFileSync(report.replace(/\.txt$/, '.json'), JSON.stringify({ size, runs, node: process.version, started, loadBefore, loadAfter, commands: commands.map(({ args, ...c }) => ({ ...c, input: relative(root, c.input) })) }, null, 1));
say(`written to ${relative(root, report)} (and .json)`);
process.exitCode = d.status === 0 ? 0 : 1;
