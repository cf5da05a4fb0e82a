#!/usr/bin/env node
/**
 * The repository follows its own version-bump rule (issue 11 item 11); `npm test` runs this, so CI does.
 *
 *   node scripts/check-criteria-history.mjs [criteria-dir] [--require-history] [--exceptions <file>]
 *
 * For the criteria in <criteria-dir> (default `criteria`), against their git history:
 *
 *   frozen   criteria/<id>/<version>.yaml, a released version kept for `elig diff` and old reports:
 *            its `id` and `version` are those of its path; it never changed after the commit that
 *            added it (no later modifying commit, no uncommitted change); and it is byte-identical to
 *            the content criteria/<id>.yaml had at a commit where that file carried the same version
 *            (so its sha256 is the one stamped on the reports of that release).
 *   (History is read along the first-parent line, so a merged branch is one release.)
 *   current  criteria/<id>.yaml: its version is not below any frozen version of the same id (equal
 *            only with identical bytes); and its content may only change with a version bump:
 *            the lint of `elig validate --since <c>` against the most recent commit c whose *content* differs from
 *            the working tree (comments and layout are not content, so a comment-only commit after a
 *            silent change does not hide it; with uncommitted edits c may be HEAD) must not report
 *            lint/version-not-bumped.
 *
 * Without git history it degrades loudly: outside a git checkout (an npm tarball) it says the check
 * cannot run; in a shallow clone it says which comparisons lack history. `--require-history` turns
 * both into failures (for CI with `fetch-depth: 0`). Known past violations that a later version fixes
 * can be listed in the exceptions file (JSON: [{ file, version, since, reason }]: the file at `version`
 * changed since commit `since` without a bump): it applies to that exact comparison only (a newer
 * change, or a bump, leaves it unused, and the run says to remove it), and says so when it is used.
 * Exit 0: the rule holds; 1: it does not (each problem on stderr); 2: the check itself failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse } from 'yaml';

// the built library (npm test builds before it runs this): the same lint as `elig validate --since`
const { loadCriteria, lintCriteria } = await import(new URL('../dist/index.js', import.meta.url).href);
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const argv = process.argv.slice(2);
const requireHistory = argv.includes('--require-history');
const exIdx = argv.indexOf('--exceptions');
const exceptionsFile = exIdx >= 0 ? argv[exIdx + 1] : new URL('./criteria-history.exceptions.json', import.meta.url).pathname;
const dir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--exceptions') ?? 'criteria';

const say = (s) => process.stdout.write(`criteria history: ${s}\n`);
const problems = [];
const problem = (s) => problems.push(s);

function git(...args) {
  const r = spawnSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim().split('\n')[0] ?? '' };
}
const gitPath = (f) => `./${relative(process.cwd(), f).split('\\').join('/')}`;
/** Git blob id of a file's bytes in the working tree. */
const workBlob = (f) => git('hash-object', '--', f).out;
/** Blob id of `f` at commit `c`, or undefined when the file is not in that commit. */
const blobAt = (c, f) => {
  const r = git('rev-parse', '--verify', '--quiet', `${c}:${gitPath(f)}`);
  return r.ok ? r.out : undefined;
};
const showAt = (c, f) => git('show', `${c}:${gitPath(f)}`).out;
/**
 * Commits that touched `f`, newest first, along the first-parent line: on main each landing is one
 * step (a merged branch counts once, as what it released), so a branch may revise a version it has
 * not released yet over several of its own commits; on a branch, each of its commits is a step.
 */
const commitsOf = (f) => git('log', '--first-parent', '--format=%H', '--', f).out.split('\n').filter(Boolean);
const short = (c) => c.slice(0, 12);
function docOf(text) {
  try {
    const v = parse(text);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
/** The document without `version` and `$schema`, keys sorted: what the version stamps. */
function content(doc) {
  const sorted = (v) => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
  const { version: _v, $schema: _s, ...rest } = doc;
  return JSON.stringify(sorted(rest));
}
function compareSemver(a, b) {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return 0;
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
  return 0;
}

function loadExceptions() {
  if (!existsSync(exceptionsFile)) return [];
  let list;
  try {
    list = JSON.parse(readFileSync(exceptionsFile, 'utf8'));
  } catch (e) {
    console.error(`criteria history: ${exceptionsFile}: ${e.message}`);
    process.exit(2);
  }
  const ok = Array.isArray(list) && list.every((x) => x && typeof x.file === 'string' && typeof x.version === 'string' && /^[0-9a-f]{40}$/.test(x.since) && typeof x.reason === 'string' && x.reason.trim());
  if (!ok) {
    console.error(`criteria history: ${exceptionsFile} must be a JSON array of { file, version, since (a full commit hash), reason }`);
    process.exit(2);
  }
  return list;
}

// --- where are we --------------------------------------------------------------------------
if (!existsSync(dir) || !statSync(dir).isDirectory()) {
  console.error(`criteria history: no directory ${dir}`);
  process.exit(2);
}
const top = git('rev-parse', '--show-toplevel');
if (!top.ok) {
  const msg = `NOT CHECKED: ${dir} is not in a git checkout (${top.err}); the version-bump rule needs the history`;
  if (requireHistory) {
    console.error(`criteria history: ${msg}`);
    process.exit(1);
  }
  say(msg);
  process.exit(0);
}
const shallow = git('rev-parse', '--is-shallow-repository').out === 'true';
if (shallow) {
  const msg = 'WARNING: shallow clone: commits before the clone\'s depth are missing, so a change is compared only with what the clone holds (fetch the history: git fetch --unshallow, or actions/checkout with fetch-depth: 0)';
  if (requireHistory) problem(msg);
  else say(msg);
}
const exceptions = loadExceptions();
const usedExceptions = new Set();

// --- the files ----------------------------------------------------------------------------
const currents = [];
const frozen = new Map(); // id → [{ file, version }]
for (const name of readdirSync(dir).sort()) {
  const p = join(dir, name);
  if (statSync(p).isDirectory()) {
    for (const v of readdirSync(p).sort()) {
      const m = /^(.+)\.ya?ml$/.exec(v);
      if (!m || !SEMVER.test(m[1])) continue;
      if (!frozen.has(name)) frozen.set(name, []);
      frozen.get(name).push({ file: join(p, v), version: m[1] });
    }
  } else if (/\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name)) {
    currents.push(p);
  }
}

// --- frozen versions ----------------------------------------------------------------------
for (const [id, list] of frozen) {
  const current = [join(dir, `${id}.yaml`), join(dir, `${id}.yml`)].find((f) => existsSync(f) || commitsOf(f).length);
  for (const { file, version } of list) {
    const doc = docOf(readFileSync(file, 'utf8'));
    if (doc.version !== version) problem(`${file}: version ${JSON.stringify(doc.version)} is not ${version}, the version of its path`);
    if (doc.id !== id) problem(`${file}: id ${JSON.stringify(doc.id)} is not ${id}, the directory it is frozen in`);
    const tracked = git('ls-files', '--error-unmatch', '--', file).ok;
    if (!tracked) {
      problem(`${file}: not committed: a frozen version must be in the history`);
      continue;
    }
    for (const line of git('log', '--first-parent', '--format=%h %s', '--diff-filter=M', '--', file).out.split('\n').filter(Boolean)) {
      problem(`${file}: changed after it was frozen, in ${line.slice(0, 100)}`);
    }
    if (!git('diff', '--quiet', 'HEAD', '--', file).ok) problem(`${file}: has uncommitted changes; a frozen version never changes (bump the current file instead)`);
    // byte-identical to the current file as it was at that version
    const blob = workBlob(file);
    const released = current ? commitsOf(current).filter((c) => docOf(showAt(c, current)).version === version) : [];
    if (!released.length) {
      say(`${file}: ${current ?? `${id}.yaml`} never carried version ${version} in the history available here: identity with the release not checked`);
    } else if (!released.some((c) => blobAt(c, current) === blob)) {
      problem(`${file}: differs from every ${id} ${version} released as ${current} (${released.map(short).join(', ')}): a frozen copy must be byte-identical to the release`);
    } else {
      say(`✓ ${file}: frozen, byte-identical to ${current} at ${short(released.find((c) => blobAt(c, current) === blob))}`);
    }
  }
}

// --- current versions ---------------------------------------------------------------------
for (const file of currents) {
  const text = readFileSync(file, 'utf8');
  const doc = docOf(text);
  const id = typeof doc.id === 'string' ? doc.id : basename(file).replace(/\.ya?ml$/, '');
  const version = String(doc.version);
  for (const f of frozen.get(id) ?? []) {
    const cmp = compareSemver(version, f.version);
    if (cmp < 0) problem(`${file}: version ${version} is below the frozen ${f.file}`);
    else if (cmp === 0 && workBlob(file) !== workBlob(f.file)) problem(`${file}: version ${version} is frozen as ${f.file} with different content: bump the version`);
  }
  const now = content(doc);
  const previous = commitsOf(file).find((c) => content(docOf(showAt(c, file))) !== now);
  if (!previous) {
    say(`✓ ${file} (${version}): no earlier content in the history available here: nothing to compare${shallow ? ' (shallow clone)' : ''}`);
    continue;
  }
  // the lint of `elig validate --since <previous>`, run in this process (the built library)
  const loaded = loadCriteria(file, text);
  if (!loaded.criteria) {
    problem(`${file}: does not load (run elig validate on it): ${loaded.diagnostics[0]?.message ?? ''}`);
    continue;
  }
  const previousText = showAt(previous, file);
  const found = lintCriteria(loaded.criteria, text, { previous: { label: `${short(previous)}:${file}`, text: previousText } }).filter((d) => d.code === 'lint/version-not-bumped');
  const before = docOf(previousText).version;
  if (!found.length) {
    say(`✓ ${file}: ${before} at ${short(previous)} → ${version} now`);
    continue;
  }
  const key = relative(top.out, join(process.cwd(), file)).split('\\').join('/');
  const ex = exceptions.find((x) => x.file === key && x.version === version && x.since === previous);
  if (ex) {
    usedExceptions.add(ex);
    say(`EXCEPTION ${file}: changed since ${short(previous)} without a bump (still ${version}); allowed for this comparison only: ${ex.reason}`);
    continue;
  }
  problem(`${file}: the content changed since ${short(previous)} but the version is still ${version}: bump it (semver), reports are stamped with it`);
}

for (const ex of exceptions) {
  if (!usedExceptions.has(ex)) say(`note: the exception for ${ex.file} ${ex.version} since ${short(ex.since)} no longer applies: remove it from ${relative(process.cwd(), exceptionsFile)}`);
}
if (problems.length) {
  for (const p of problems) process.stderr.write(`criteria history: ✗ ${p}\n`);
  process.stderr.write(`criteria history: ${problems.length} problem${problems.length === 1 ? '' : 's'}: criteria files must follow the version-bump rule (docs/development.md)\n`);
  process.exit(1);
}
say('the version-bump rule holds');
