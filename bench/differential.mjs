#!/usr/bin/env node
/**
 * The differential: the anchors' hand-written evaluator (hand.mjs `evaluate`, booleans, missing data =
 * not met) on the generator's records against elig's engine on the same records converted to elig's
 * format (elig/convert.mjs), record by record and criterion by criterion.
 *   node bench/differential.mjs <peers dir> <anchor.ndjson> <elig-format.ndjson> <anchor11.yaml> [--weight-at-gc-start]
 * (bench/peers.mjs gives it a copy of anchor11.yaml whose per-kg dose says `weight: current`, as the anchors
 * mean, and records converted without --weight-at-gc-start.)
 * elig's side runs in process through the library (dist/index.js): the engine's results, whatever the
 * report format writes. elig "met" = pass or not_applicable. Every disagreement is either explained (a
 * known difference of meaning, printed with its reason and count) or unexplained (exit code 1, with
 * example ids). Prints a table on stdout; `--json` prints the figures as JSON instead.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileCriteria, evaluateRecord, loadCriteria } from '../dist/index.js';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const [peers, anchorFile, eligFile, criteriaFile] = args.filter((a) => !a.startsWith('--'));
if (!criteriaFile) {
  console.error('usage: node bench/differential.mjs <peers dir> <anchor.ndjson> <elig-format.ndjson> <anchor11.yaml> [--weight-at-gc-start] [--json]');
  process.exit(2);
}
const { evaluate } = await import(pathToFileURL(resolve(join(peers, 'hand.mjs'))).href);
const { CRITERIA, AS_OF, GC_START_CUTOFF } = await import(pathToFileURL(resolve(join(peers, 'criteria.mjs'))).href);
const weightAtStart = flags.has('--weight-at-gc-start');
const criteriaText = readFileSync(criteriaFile, 'utf8');
// criteria whose per-kg dose reads the current weight (`weight: current`) mean what the anchors mean
const currentWeight = /weight:\s*current\b/.test(criteriaText);

const loaded = loadCriteria(criteriaFile, criteriaText);
if (!loaded.criteria) {
  console.error(loaded.diagnostics.map((d) => d.message).join('\n'));
  process.exit(2);
}
const compiled = compileCriteria(loaded.criteria);
if (compiled.criteria.length !== CRITERIA.length) {
  console.error(`differential: ${criteriaFile} has ${compiled.criteria.length} criteria, the anchors ${CRITERIA.length}`);
  process.exit(2);
}

/** The anchors' refractory criterion with the course moved to this start date (nothing else changed). */
const metWithStart = (p, start) => evaluate({ ...p, glucocorticoid: { ...p.glucocorticoid, startDate: start } })[3] === true;
const dayAfter = (iso) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Known differences of meaning, each with the condition that recognises it. Anything else is unexplained.
 * A rule returns its reason when the disagreement (anchor met?, elig result) is that difference.
 */
const EXPLAINED = {
  egfr: [
    // the anchors read the recorded eGFR whoever it is for; elig recomputes a child's adult-equation eGFR with
    // bedside Schwartz (Schwartz GJ et al., J Am Soc Nephrol 2009), which needs creatinine and height
    (anchorMet, r) => anchorMet && r.reasons.some((x) => x.code === 'recorded-vs-derived' && x.status === 'unknown')
      ? "a child's eGFR from an adult equation: elig recomputes it with bedside Schwartz 2009, and these records have no creatinine and height"
      : undefined,
  ],
  refractory: [
    // `for: 3 mo` counts the days taken, the as-of day included (2025-04-02 → 2025-07-01 is 3 calendar months of
    // days); the anchors' cut-off asks for a start on or before as-of minus 3 months (2025-04-01): one day apart
    (anchorMet, r, p) => !anchorMet && r.status === 'pass' && p.glucocorticoid?.startDate === dayAfter(GC_START_CUTOFF) && metWithStart(p, GC_START_CUTOFF)
      ? `for 3 months: a course started ${dayAfter(GC_START_CUTOFF)} has 3 calendar months of days by the as-of date, the as-of day counted (elig); the anchors' cut-off is a start on or before ${GC_START_CUTOFF}`
      : undefined,
    // the generator records the agent's daily dose rounded to 0.01 mg (dexamethasone 11.62 mg for 11.625) but gives
    // the anchors the unrounded prednisone equivalent (77.5 mg): a dose that sits on 1 mg/kg/d to within that rounding
    // passes the anchors and, recomputed from the recorded dose (77.47 mg), fails in elig
    (anchorMet, r, p) => anchorMet && r.status === 'fail' && p.glucocorticoid && p.weightKg > 0
      && Math.abs(p.glucocorticoid.prednisoneEqMgPerDay / p.weightKg - 1) < 0.005
      && r.reasons.some((x) => x.code === 'medication-course' && x.status === 'fail' && /mg\/kg\/d prednisone-equivalent < 1 mg\/kg\/d/.test(x.text))
      ? 'a dose on 1 mg/kg/d to within the generator\'s rounding: the agent dose is recorded to 0.01 mg and elig recomputes its prednisone equivalent from it (just below 1 mg/kg/d); the anchors compare the unrounded equivalent'
      : undefined,
    // the anchors divide the dose by the one (current) weight; elig's `per kg` uses a weight dated near the course
    // start, which the generator does not have unless convert.mjs --weight-at-gc-start dates it there too
    (anchorMet, r) => anchorMet && !weightAtStart && !currentWeight && r.missing?.some((m) => /weight/.test(m.item))
      ? 'per kg: the anchors divide by the current weight; elig by a weight within 180 days of the course start, which these records lack (convert.mjs --weight-at-gc-start)'
      : undefined,
  ],
};

const per = compiled.criteria.map((c, i) => ({ id: c.id, anchorId: CRITERIA[i].id, anchorMet: 0, eligMet: 0, statuses: {}, explained: {}, unexplained: {}, examples: {} }));
const lines = (f) => createInterface({ input: createReadStream(f), crlfDelay: Infinity })[Symbol.asyncIterator]();
const A = lines(anchorFile);
const E = lines(eligFile);
let n = 0;
let anchorEligible = 0;
let eligEligible = 0;
let unexplainedTotal = 0;
const nextLine = async (it) => {
  for (;;) {
    const r = await it.next();
    if (r.done) return undefined;
    if (r.value) return r.value;
  }
};
for (;;) {
  const a = await nextLine(A);
  const e = await nextLine(E);
  if (a === undefined || e === undefined) {
    if (a !== e) {
      console.error(`differential: the files differ in length after ${n} records`);
      process.exit(2);
    }
    break;
  }
  n++;
  const p = JSON.parse(a);
  const result = evaluateRecord(compiled, JSON.parse(e), AS_OF, { file: eligFile, record: n });
  if (result.id !== p.id) {
    console.error(`differential: record ${n}: ids differ (${p.id} vs ${result.id})`);
    process.exit(2);
  }
  const bools = evaluate(p);
  if (bools.every(Boolean)) anchorEligible++;
  if (result.verdict === 'eligible') eligEligible++;
  for (let i = 0; i < per.length; i++) {
    const s = per[i];
    const r = result.criteria[i];
    const policy = r.reasons[0]?.code === 'policy';
    const st = policy ? `${r.status} (missing-data policy)` : r.status;
    s.statuses[st] = (s.statuses[st] ?? 0) + 1;
    const eligMet = r.status === 'pass' || r.status === 'not_applicable';
    if (bools[i]) s.anchorMet++;
    if (eligMet) s.eligMet++;
    if (eligMet === bools[i]) continue;
    const why = (EXPLAINED[s.id] ?? []).map((f) => f(bools[i], r, p)).find(Boolean);
    const cell = `anchor ${bools[i] ? 'met' : 'not met'} / elig ${st}`;
    if (why) s.explained[why] = (s.explained[why] ?? 0) + 1;
    else {
      unexplainedTotal++;
      s.unexplained[cell] = (s.unexplained[cell] ?? 0) + 1;
      const ex = (s.examples[cell] ??= []);
      if (ex.length < 5) ex.push(p.id);
    }
  }
}

const out = { records: n, anchorEligible, eligEligible, weightAtGcStart: weightAtStart, unexplained: unexplainedTotal, criteria: per };
if (flags.has('--json')) {
  console.log(JSON.stringify(out));
} else {
  console.log(`differential: ${n.toLocaleString('en-US')} records; eligible: anchors ${anchorEligible}, elig ${eligEligible}; ${unexplainedTotal} unexplained disagreement${unexplainedTotal === 1 ? '' : 's'}`);
  console.log(`${'criterion'.padEnd(14)} ${'anchor met'.padStart(10)} ${'elig met'.padStart(10)}  disagreements`);
  for (const s of per) {
    const parts = [
      ...Object.entries(s.unexplained).map(([k, v]) => `UNEXPLAINED ${k}: ${v} (e.g. ${s.examples[k].join(', ')})`),
      ...Object.entries(s.explained).map(([k, v]) => `explained ${v}: ${k}`),
    ];
    console.log(`${s.id.padEnd(14)} ${String(s.anchorMet).padStart(10)} ${String(s.eligMet).padStart(10)}  ${parts.join('; ') || 'none'}`);
  }
}
process.exitCode = unexplainedTotal ? 1 : 0;
