/**
 * medication: exposure to a drug or a drug class — ever, within a window, current, for a minimum
 * continuous duration, at a minimum dose (optionally as an equivalent of another drug), or at least
 * n distinct drugs of a list. Courses stopped for intolerance count where `acceptIntolerance` says so.
 *
 * Duration reading: "for 3 mo" means one continuous course (overlapping or adjacent courses of the
 * same drug merged) of at least 3 calendar months. A course with no end date that is active counts
 * up to the as-of date; a stopped or completed course without an end date has an unknown length.
 * The end date is the last day of the course (inclusive).
 *
 * "Ever taken" (no `for`, `within`, `current` or `dose`) needs no start date: a course on the history
 * without one counts as taken unless it ends after the as-of date (then it may not have begun yet).
 */
import { getCalculator } from '../../calculators/index.js';
import { frequencyToDosesPerDay } from '../../calculators/prednisone-equivalent.js';
import { addDuration, fromDay } from '../../dates.js';
import { formatDuration, isQuantity, parseDuration, parseThreshold, type Duration, internationalUnits } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { Evidence, MissingItem, Reason } from '../../model.js';
import type { Med } from '../../record.js';
import { absenceCovers, codeMatches, conceptsCoded, criteriaTerm, drugsOfClass, entryById, isDrugClass, recordCodeText, resolve, type CriteriaTerm } from '../../vocabulary/index.js';
import { localConcepts, localLookup, localMatcher, localMembersOfBuiltin, matchesLocal, matchesLocalByConcept, type LocalMatcher } from '../../vocabulary/local.js';
import { windowStart, type CompileEnv, type EvalContext, type Evaluator } from '../context.js';
import { nearest } from '../derive.js';
import { test, toUnit, type Bound } from '../compare.js';
import { fmtAgainst, fmtNum, missing, reason } from '../reasons.js';
import { allMissing, allReasons, atLeast as atLeastTri, or, type NodeResult, type Tri } from '../tri.js';
import { normaliseUnit } from '../../calculators/units.js';
import { halfLifeFrom, linesOfTherapyResult, stableDoseResult, washoutResult, type WashoutSpec } from './medication-history.js';

type MedicationNode = Extract<RuleNode, { medication: unknown }>;

const ENDED = new Set(['stopped', 'completed']);
const WEIGHT_MAX_DAYS = 180;

interface Interval {
  start: number;
  end: number;
}

/** Longest run of merged intervals (gaps of ≤ 1 day are bridged). */
function longestRun(xs: Interval[]): Interval | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a.start - b.start);
  let best = { ...s[0]! };
  let cur = { ...s[0]! };
  for (const x of s.slice(1)) {
    if (x.start <= cur.end + 1) cur.end = Math.max(cur.end, x.end);
    else cur = { ...x };
    if (cur.end - cur.start > best.end - best.start) best = { ...cur };
  }
  if (cur.end - cur.start > best.end - best.start) best = { ...cur };
  return best;
}

/** The merged run (gaps of ≤ 1 day bridged) that contains `day`, if any. */
function runAt(xs: Interval[], day: number): Interval | undefined {
  const s = [...xs].sort((a, b) => a.start - b.start);
  let cur: Interval | undefined;
  for (const x of s) {
    if (cur && x.start <= cur.end + 1) cur.end = Math.max(cur.end, x.end);
    else {
      if (cur && cur.start <= day && cur.end >= day) return cur;
      cur = { ...x };
    }
  }
  return cur && cur.start <= day && cur.end >= day ? cur : undefined;
}

/**
 * Days are inclusive at both ends (FHIR `Period.end` is the last day taken): a course 1 Aug → 31 Oct
 * covers up to the start of 1 Nov, which is three calendar months.
 */
function covers(run: Interval | undefined, dur: Duration): boolean {
  return run !== undefined && addDuration(run.start, dur) <= run.end + 1;
}

function isIntolerance(m: Med): boolean {
  return m.stopReason !== undefined && /intoleran|adverse|side.?effect|toxicit|allerg/.test(m.stopReason);
}

/**
 * Days on which the summed daily dose of concurrent courses meets every bound: `sure` where every
 * course's dose is known and the sum meets the bounds, `maybe` where it could (a course's dose unknown).
 */
function summedDoseIntervals(
  placed: readonly { iv: Interval; values: (number | undefined)[] | undefined; status: Tri }[],
  bounds: readonly Bound[],
): { sure: Interval[]; maybe: Interval[] } {
  const cuts = new Set<number>();
  for (const p of placed) {
    cuts.add(p.iv.start);
    cuts.add(p.iv.end + 1);
  }
  const days = [...cuts].sort((a, b) => a - b);
  const sure: Interval[] = [];
  const maybe: Interval[] = [];
  for (let i = 0; i + 1 < days.length; i++) {
    const seg = { start: days[i]!, end: days[i + 1]! - 1 };
    const on = placed.filter((p) => p.iv.start <= seg.start && p.iv.end >= seg.end);
    if (!on.length) continue;
    let unknown = false;
    const sums = bounds.map((_, k) => {
      let sum = 0;
      for (const p of on) {
        const v = p.values?.[k];
        if (v === undefined) unknown = true;
        else sum += v;
      }
      return sum;
    });
    const meets = bounds.every((b, k) => test(sums[k]!, b));
    // a known partial sum that already fails an upper bound fails whatever the unknown doses are
    const cannot = bounds.some((b, k) => (b.op === '<=' || b.op === '<') && !test(sums[k]!, b));
    if (!unknown && meets) sure.push(seg);
    if (meets || (unknown && !cannot)) maybe.push(seg);
  }
  return { sure, maybe };
}

export function compileMedication(node: MedicationNode, env: CompileEnv): Evaluator {
  const names = Array.isArray(node.medication) ? node.medication : [node.medication];
  const drugIds: string[] = [];
  // coded forms the vocabulary does not hold (atc:A10A*, rxnorm:6809): the concepts coded so, and record codes
  const codeTerms: Extract<CriteriaTerm, { kind: 'code' }>[] = [];
  const drugIdSet = new Set<string>();
  const add = (id: string) => {
    if (!drugIdSet.has(id)) {
      drugIdSet.add(id);
      drugIds.push(id);
    }
  };
  const local = localConcepts(env.doc.concepts);
  const locals: LocalMatcher[] = [];
  for (const n of names) {
    const l = localLookup(local, 'drug', n);
    if (l) {
      const m = localMatcher(local, l);
      locals.push(m);
      add(m.id);
      continue;
    }
    const t = criteriaTerm('drug', n);
    if (t.kind === 'concept') {
      (isDrugClass(n) ? drugsOfClass(n) : [t.entry.id]).forEach(add);
      for (const m of localMembersOfBuiltin(local, t.entry.id)) {
        locals.push(m);
        add(m.id);
      }
    }
    else if (t.kind === 'code') {
      codeTerms.push(t);
      conceptsCoded(t).forEach(add);
    }
  }
  /**
   * The drug a course counts as: its concept when the rule names it; else a local concept set of the
   * criteria file that covers it (a local set by ATC descendants also covers drugs the built-in
   * vocabulary knows: glargine under a local A10A set, by the record's code or, for a course recorded by
   * name only, by the codes of the concept the name maps to); else its concept; else its own code (an
   * unmapped coded course matched by a code term).
   */
  const keyOf = (m: Med): string | undefined => (m.drugId !== undefined && drugIdSet.has(m.drugId) ? m.drugId : undefined)
    ?? locals.find((l) => matchesLocal(l, m.code, m.label) || (m.drugId !== undefined && matchesLocalByConcept(l, [m.drugId])))?.id
    ?? m.drugId
    ?? (m.code !== undefined && codeTerms.some((t) => codeMatches(t, m.code!)) ? recordCodeText(m.code) : undefined);
  const label = names.join(', ');
  const forDur = node.for ? parseDuration(node.for) : undefined;
  const within = node.within ? parseDuration(node.within) : undefined;
  const doseBounds: Bound[] = [];
  if (node.dose) {
    for (const [op, raw] of [['>=', node.dose.min], ['<=', node.dose.max]] as const) {
      if (raw === undefined) continue;
      const t = parseThreshold(raw);
      if (!t || !isQuantity(t)) continue;
      // a dose in international units (insulin, heparin): compared in [iU]/d or [iU]/kg/d with courses dosed in units
      const iu = internationalUnits(t.unit, true);
      if (iu) {
        doseBounds.push({ op, value: t.value, unit: iu.perKg ? '[iU]/kg/d' : '[iU]/d' });
        continue;
      }
      // the course's daily dose is computed in mg/d (or mg/kg/d): a bound in g/d or µg/kg/d is converted to that unit first
      const unit = normaliseUnit(t.unit);
      const base = unit.includes('/kg') ? 'mg/kg/d' : 'mg/d';
      const c = unit ? toUnit(t.value, unit, base) : undefined;
      doseBounds.push(c?.ok ? { op, value: c.value, unit: base } : { op, value: t.value, unit });
    }
  }
  const asDrug = node.dose?.as ? resolve('drug', node.dose.as)?.id : undefined;
  const equivalent = asDrug ? getCalculator('prednisone-equivalent') : undefined;
  const needsWeight = doseBounds.some((b) => b.unit.includes('/kg'));
  /** The calculator's method in the course's words ("prednisone-equivalent (BNF …)" → "BNF …"), per distinct method text. */
  const methodWords = new Map<string, string>();
  const methodText = (method: string): string => {
    let w = methodWords.get(method);
    if (w === undefined) {
      w = method.replace(/^prednisone-equivalent \(?/, '').replace(/\)$/, '');
      if (methodWords.size < 64) methodWords.set(method, w);
    }
    return w;
  };
  const currentWeight = node.dose?.weight === 'current';
  const n = node.atLeast;
  /** Plain "ever taken": no duration, window, currency or dose to place a course in time for. */
  const everOnly = !forDur && !within && !node.current && !doseBounds.length;

  /** Does one course meet the dose requirement? */
  /** One course's daily dose against the bounds; `values` are in each bound's unit (for summing concurrent courses). */
  const courseDose = (ctx: EvalContext, m: Med): { status: Tri; text: string; missing: MissingItem[]; inputs?: Evidence[]; values?: (number | undefined)[] } => {
    if (!doseBounds.length) return { status: 'pass', text: '', missing: [] };
    const perDay = m.perDay ?? (m.frequency ? frequencyToDosesPerDay(m.frequency) : undefined);
    const miss: MissingItem[] = [];
    if (!m.dose) miss.push(missing(`medication-dose:${m.drugId}`, `dose of ${m.label} (${m.path})`));
    if (perDay === undefined) miss.push(missing(`medication-frequency:${m.drugId}`, `frequency of ${m.label} (${m.path})`));
    // per kg of the weight at the course start (default), or of the current weight (`weight: current`)
    const wDay = currentWeight ? ctx.asOfDay : m.startDay ?? ctx.asOfDay;
    const weight = needsWeight ? nearest(ctx.view.measurements.get('weight'), wDay, WEIGHT_MAX_DAYS, ctx.asOfDay) : undefined;
    if (needsWeight && !weight) {
      miss.push(missing('measurement:weight', currentWeight ? `current body weight (within ${WEIGHT_MAX_DAYS} days before ${ctx.asOf})` : `body weight within ${WEIGHT_MAX_DAYS} days of ${m.start ?? 'the course'}`));
    }
    if (miss.length) return { status: 'unknown', text: `dose cannot be assessed: needs ${miss.map((x) => x.description).join('; ')}`, missing: miss };
    let perKgDay: number | undefined;
    let mgDay: number | undefined;
    let method = '';
    let inputs: Evidence[] = [];
    if (asDrug) {
      const input: Record<string, unknown> = {
        drug: { value: m.drugId ?? m.label, source: m.path },
        dose: { value: m.dose, source: m.path, ...(m.start ? { date: m.start } : {}) },
        dosesPerDay: { value: perDay, source: m.path },
        weight: { value: { value: weight?.num ?? 1, unit: weight?.unit ?? 'kg' }, source: weight?.path ?? 'none', ...(weight?.date ? { date: weight.date } : {}) },
      };
      if (env.equivalence) input.equivalence = env.equivalence;
      const r = equivalent!.compute(input);
      if (r.value === undefined) {
        return { status: 'unknown', text: r.missing.map((x) => x.description).join('; '), missing: r.missing.map((x) => missing(`medication-${x.name}:${m.drugId}`, x.description)) };
      }
      perKgDay = r.value;
      mgDay = r.details.prednisoneMgPerDay as number | undefined;
      const drugMg = r.details.mgPerDay as number | undefined;
      const w = r.inputs.find((x) => x.item === 'weight');
      method = `${drugMg !== undefined ? `${fmtNum(drugMg)} mg/d ${m.drugId ?? m.label}` : m.label} = ${fmtNum(mgDay ?? NaN)} mg/d ${asDrug}-equivalent (${methodText(r.method)})`
        + `${w ? ` ÷ ${currentWeight ? 'current ' : ''}weight ${fmtNum(Number(w.value))} ${w.unit ?? 'kg'}${w.date ? ` on ${w.date}` : ''}` : ''}`;
      inputs = r.inputs;
      if (r.warnings?.length) method += `; ${r.warnings.join('; ')}`;
    } else {
      // the amount per administration in the bounds' numerator: mg, or international units
      const inUnits = doseBounds[0]!.unit.startsWith('[iU]');
      const mg: { ok: true; value: number } | { ok: false; reason: string } = inUnits
        ? (internationalUnits(m.dose!.unit, false) ? { ok: true, value: m.dose!.value } : { ok: false, reason: `${m.dose!.unit || 'no unit'} is not in international units (U, IU, [iU])` })
        : toUnit(m.dose!.value, m.dose!.unit, 'mg');
      if (!mg.ok) return { status: 'unknown', text: `dose unit: ${mg.reason}`, missing: [missing(`medication-dose:${m.drugId}`, `dose of ${m.label} in ${inUnits ? 'international units' : 'mass units'}`)] };
      mgDay = mg.value * perDay!;
      if (weight?.num !== undefined) {
        const kg = toUnit(weight.num, weight.unit, 'kg');
        if (kg.ok) perKgDay = mgDay / kg.value;
      }
      method = `${fmtNum(mg.value)} ${inUnits ? 'U' : 'mg'} × ${fmtNum(perDay!)}/day`
        + (currentWeight && weight?.num !== undefined ? ` ÷ current weight ${fmtNum(weight.num)} ${weight.unit ?? 'kg'}${weight.date ? ` on ${weight.date}` : ''}` : '');
    }
    const sts: Tri[] = [];
    const parts: string[] = [];
    const values = doseBounds.map((b) => (b.unit.includes('/kg') ? perKgDay : mgDay));
    for (const b of doseBounds) {
      const v = b.unit.includes('/kg') ? perKgDay : mgDay;
      if (v === undefined) {
        sts.push('unknown');
        continue;
      }
      const ok = test(v, b);
      sts.push(ok ? 'pass' : 'fail');
      parts.push(`${fmtAgainst(v, b.value)} ${b.unit}${asDrug ? ` ${asDrug}-equivalent` : ''} ${ok ? (b.op === '>=' ? '≥' : '≤') : b.op === '>=' ? '<' : '>'} ${fmtNum(b.value)} ${b.unit}`);
    }
    const status: Tri = sts.includes('fail') ? 'fail' : sts.includes('unknown') ? 'unknown' : 'pass';
    return { status, text: `${parts.join(', ')} (${method})`, missing: [], inputs, values };
  };

  /** Exposure to one drug, or to a pool of drugs (a class): courses of the pool merge into one run. */
  const drugResult = (ctx: EvalContext, pool: readonly string[], meds: readonly Med[], keys: readonly (string | undefined)[]): NodeResult => {
    const drugId = pool.length === 1 ? pool[0]! : label;
    const display = pool.length === 1 ? entryById('drug', drugId)?.display ?? drugId : label;
    const courses: Med[] = [];
    for (let i = 0; i < meds.length; i++) {
      const m = meds[i]!;
      const k = keys[i];
      if (k !== undefined && pool.includes(k) && (m.startDay === undefined || m.startDay <= ctx.asOfDay)) courses.push(m);
    }
    if (!courses.length) {
      return { status: 'fail', reasons: [reason('medication', 'fail', { subject: display, detail: ' not in the medication history' })], missing: [] };
    }
    if (node.acceptIntolerance) {
      const intol = courses.find(isIntolerance);
      if (intol) {
        return {
          status: 'pass',
          reasons: [reason('intolerance', 'pass', { subject: display, detail: ` stopped for ${intol.stopReason} (documented intolerance${intol.end ? `, ${intol.end}` : ''})`, observed: { item: display, value: intol.label, source: intol.path } })],
          missing: [],
        };
      }
    }
    const from = windowStart(ctx, within);
    // the day `current` is judged on: the as-of date, or an anchor after it (a planned first dose), to
    // which the courses on record are projected: one ongoing at asOf without an end continues, one with
    // an end date stops there (no course starting after asOf is read)
    const nowDay = node.current && ctx.anchorDay !== undefined && ctx.anchorDay > ctx.asOfDay ? ctx.anchorDay : ctx.asOfDay;
    const reasons: Reason[] = [];
    const miss: MissingItem[] = [];
    const sure: Interval[] = [];
    const maybe: Interval[] = [];
    let unplaced = false;
    let anyPass = false;
    let anyUnknown = false;
    // a course of the pool active at asOf (surely; or possibly: a stopped course without an end date is not)
    let activeSure = false;
    let activeMaybe = false;
    // with a dose requirement, concurrent courses add up (every systemic glucocorticoid taken that day,
    // as prednisone equivalents: docs/clinical.md): courses are placed first,
    // then the days where the summed dose meets every bound are found
    const placed: { iv: Interval; values: (number | undefined)[] | undefined; status: Tri }[] = [];
    for (const m of courses) {
      const dose = courseDose(ctx, m);
      const endUnknown = m.endDay === undefined && m.status !== undefined && ENDED.has(m.status);
      if (dose.status === 'fail' && (!doseBounds.length || m.startDay === undefined || endUnknown)) {
        reasons.push(reason('medication-course', 'fail', { subject: `${m.label}`, detail: `: ${dose.text}`, observed: { item: display, value: m.label, source: m.path, ...(m.start ? { date: m.start } : {}) } }));
        continue;
      }
      if (dose.status === 'unknown') miss.push(...dose.missing);
      const endKnown = m.endDay !== undefined ? m.endDay : m.status && ENDED.has(m.status) ? undefined : nowDay;
      const end = endKnown === undefined ? undefined : Math.min(endKnown, nowDay);
      if (m.startDay === undefined && everOnly && (m.endDay === undefined || m.endDay <= ctx.asOfDay)) {
        // "ever taken" needs no start date: the history says the drug was taken
        anyPass = true;
      } else if (m.startDay === undefined) {
        unplaced = true;
        miss.push(missing(`medication-dates:${drugId}`, `start date of ${m.label} (${m.path})`));
      } else {
        const ivSure = end !== undefined ? { start: m.startDay, end } : { start: m.startDay, end: m.startDay };
        const ivMaybe = { start: m.startDay, end: end ?? nowDay };
        if (end === undefined) miss.push(missing(`medication-dates:${drugId}`, `end date of ${m.label} (${m.status ?? 'stopped'} without an end date, ${m.path})`));
        // window: the course must overlap [from, asOf]; `current` is decided over the pool below
        // (a course stopped before asOf still merges with the current one and adds its dose)
        const inWin = (iv: Interval) => iv.end >= from;
        // active on nowDay: not stopped/completed, or (at an anchor before asOf) its recorded end is later
        const active = !(m.status && ENDED.has(m.status)) || (m.endDay !== undefined && m.endDay > nowDay);
        if (active && ivSure.end >= nowDay) activeSure = true;
        if (active && end === undefined) activeMaybe = true;
        if (active && ivMaybe.end >= nowDay) activeMaybe = true;
        const okSure = inWin(ivSure);
        const okMaybe = inWin(ivMaybe);
        // a dated course under a dose bound is placed: its days count only through the summed dose of the
        // pool (its own dose may meet a max that the sum exceeds), so it adds no interval of its own
        const isPlaced = doseBounds.length > 0 && end !== undefined && okSure;
        if (isPlaced) {
          placed.push({ iv: ivSure, values: dose.values, status: dose.status });
        } else if (dose.status === 'pass' && okSure) {
          sure.push(ivSure);
          if (!node.current) anyPass = true;
        }
        if (!isPlaced && dose.status !== 'fail' && okMaybe) {
          maybe.push(ivMaybe);
          if (dose.status === 'unknown' || end === undefined) anyUnknown = true;
        }
      }
      const span = m.start === undefined && m.end === undefined && !m.status
        ? 'no dates recorded'
        : `${m.start ?? '?'} → ${m.end ?? (m.status && ENDED.has(m.status) ? '? (stopped, no end date)' : 'ongoing')}`;
      reasons.push(reason('medication-course', dose.status, {
        subject: m.label, detail: ` ${span}${dose.text ? `; ${dose.text}` : ''}`,
        observed: { item: display, value: m.label, source: m.path, ...(m.start ? { date: m.start } : {}) },
      }));
    }
    if (placed.length) {
      // the summed dose counts only on days inside the window
      const summed = summedDoseIntervals(placed, doseBounds);
      summed.sure = summed.sure.filter((x) => x.end >= from);
      summed.maybe = summed.maybe.filter((x) => x.end >= from);
      sure.push(...summed.sure);
      maybe.push(...summed.maybe);
      if (summed.sure.length && !node.current) anyPass = true;
      if (summed.maybe.length > summed.sure.length) anyUnknown = true;
    }
    // within + for: the continuous exposure must lie inside the window (runs are clipped to it)
    const clip = (xs: Interval[]) => (within ? xs.filter((x) => x.end >= from).map((x) => ({ start: Math.max(x.start, from), end: x.end })) : xs);
    // current: the exposure that qualifies is the run (merged courses, summed doses) on asOf itself
    const pick = (xs: Interval[]) => (node.current ? runAt(clip(xs), nowDay) : longestRun(clip(xs)));
    if (node.current && !forDur) {
      if (runAt(sure, nowDay) && activeSure) anyPass = true;
      else if ((runAt(maybe, nowDay) || unplaced) && activeMaybe) anyUnknown = true;
      else anyUnknown = false;
    }
    let status: Tri;
    if (forDur) {
      const runSure = node.current && !activeSure ? undefined : pick(sure);
      const runMaybe = node.current && !activeMaybe ? undefined : pick(maybe);
      if (covers(runSure, forDur)) status = 'pass';
      else if ((unplaced && (!node.current || activeMaybe)) || covers(runMaybe, forDur)) status = 'unknown';
      else status = 'fail';
      const runTxt = runSure ? `${fromDay(runSure.start)} → ${fromDay(runSure.end)}` : 'none';
      reasons.unshift(reason('medication', status, {
        subject: display,
        detail: `: ${node.current ? 'current' : 'longest'} qualifying continuous course${within ? ` inside the window (from ${fromDay(from)})` : ''} ${runTxt}; ${status === 'pass' ? 'meets' : status === 'fail' ? 'does not meet' : 'may meet'} ${formatDuration(forDur)}${doseBounds.length ? ' at the required dose' : ''}`,
      }));
    } else {
      status = anyPass ? 'pass' : anyUnknown || unplaced ? 'unknown' : 'fail';
      reasons.unshift(reason('medication', status, {
        subject: display,
        detail: status === 'pass' ? ` taken${within ? ` within ${formatDuration(within)}` : ''}${node.current ? ' (current)' : ''}${doseBounds.length ? ' at the required dose' : ''}`
          : status === 'fail' ? ` not taken${within ? ` within ${formatDuration(within)}` : ''}${node.current ? ' currently' : ''}${doseBounds.length ? ' at the required dose' : ''}` : ': exposure cannot be established',
      }));
    }
    return { status, reasons, missing: status === 'unknown' ? miss : [] };
  };

  const stableFor = node.stableFor ? parseDuration(node.stableFor) : undefined;
  const washout: WashoutSpec = {
    ...(node.washout?.halfLives !== undefined ? { halfLives: node.washout.halfLives } : {}),
    ...(node.washout?.min ? { min: parseDuration(node.washout.min)! } : {}),
  };
  const halfLifeOf = halfLifeFrom(new Map((env.doc.concepts ?? []).filter((c) => c.halfLife).map((c) => [c.id, c.halfLife!])));

  /*
   * A partial list (a CSV sheet's medication:<name> columns, no medications column) says only what it
   * mentions. Per name asked: `taken(keys)` when a course on it is that drug (a single drug, by concept or
   * code; a class is never covered by its members' courses), `notTaken(entry)` when an entry recorded as
   * not taken is that drug or one of its classes (a code, exactly); local concept sets are never covered.
   * Anything else is unknown: a pass stands, any other result is unknown with the history in `missing`.
   */
  const mentions = names.map((n): { taken: (keys: readonly string[], meds: readonly Med[]) => boolean; notTaken: (a: { ids: readonly string[]; code?: string }) => boolean; many: boolean } => {
    if (localLookup(local, 'drug', n)) return { taken: () => false, notTaken: () => false, many: true };
    const covered = absenceCovers('drug', n);
    const notTaken = (a: { ids: readonly string[]; code?: string }) => covered(a.ids, a.code);
    const t = criteriaTerm('drug', n);
    if (t.kind === 'concept') {
      const single = !isDrugClass(n);
      return { taken: (keys) => single && keys.includes(t.entry.id), notTaken, many: !single };
    }
    if (t.kind === 'code') {
      const exact = !t.descendants;
      return { taken: (_k, meds) => exact && meds.some((m) => m.code !== undefined && codeMatches(t, m.code)), notTaken, many: !exact };
    }
    return { taken: () => false, notTaken: () => false, many: true };
  });
  const partialMissing = missing('medications', 'the medication history');
  const unmentioned = (ctx: EvalContext, keys: readonly string[], meds: readonly Med[]) =>
    mentions.filter((x) => !x.taken(keys, meds) && !(ctx.view.medicationsNotTaken ?? []).some(x.notTaken));
  const partialReason = (open: number) => reason('medication', 'unknown', {
    subject: label,
    detail: `: the medication list on record is partial and does not mention ${open === names.length ? (names.length > 1 ? 'these drugs' : 'this drug') : `${open} of them`}`,
  });
  const partial = (ctx: EvalContext, r: NodeResult, keys: readonly string[], meds: readonly Med[]): NodeResult => {
    if (r.status === 'pass' || !ctx.view.medicationsPartial) return r;
    const open = unmentioned(ctx, keys, meds).length;
    if (!open) return r;
    return { status: 'unknown', reasons: [partialReason(open), ...r.reasons], missing: [...r.missing, partialMissing] };
  };

  return (ctx) => {
    const meds = ctx.view.medications;
    if (!meds) {
      return { status: 'unknown', reasons: [reason('no-medications', 'unknown', { subject: label })], missing: [missing('medications', 'the medication history')] };
    }
    // each course's key computed once per record (keyOf reads the local concept sets and code terms)
    const relevant: Med[] = [];
    const keys: string[] = [];
    for (const m of meds) {
      const k = keyOf(m);
      if (k !== undefined && (drugIdSet.has(k) || (m.code !== undefined && codeTerms.some((t) => codeMatches(t, m.code!))))) {
        relevant.push(m);
        keys.push(k);
      }
    }
    // at an anchor after asOf (a planned first dose) the courses on record are projected to it, as for `current`
    const stableDay = ctx.anchorDay !== undefined && ctx.anchorDay > ctx.asOfDay ? ctx.anchorDay : ctx.asOfDay;
    if (stableFor) return partial(ctx, stableDoseResult(relevant.filter((m) => m.startDay === undefined || m.startDay <= ctx.asOfDay), stableDay, stableFor, label), keys, relevant);
    if (node.lines !== undefined) return partial(ctx, linesOfTherapyResult(relevant, ctx.asOfDay, node.lines, (m) => keyOf(m) ?? m.label, label), keys, relevant);
    if (node.washout) return partial(ctx, washoutResult(relevant, ctx.asOfDay, washout, (m) => halfLifeOf(keyOf(m)), label), keys, relevant);
    const taken: string[] = [];
    if (keys.length) {
      for (const id of drugIds) if (keys.includes(id)) taken.push(id);
      for (const k of keys) if (!taken.includes(k)) taken.push(k);
    }
    // atLeast n counts distinct drugs; otherwise the drugs (e.g. a class) are one pool of courses
    const results = n !== undefined ? taken.map((id) => drugResult(ctx, [id], relevant, keys)) : taken.length ? [drugResult(ctx, taken, relevant, keys)] : [];
    const statuses = results.map((r) => r.status);
    // atLeast on a partial list: a drug asked and not mentioned is unknown (a class not mentioned: up to n drugs)
    const open = n !== undefined && ctx.view.medicationsPartial ? unmentioned(ctx, keys, relevant) : [];
    let status: Tri;
    if (n !== undefined) status = atLeastTri(n, [...statuses, ...open.flatMap((x) => Array<Tri>(x.many ? n : 1).fill('unknown'))]);
    else status = or(statuses);
    const reasons = allReasons(results);
    if (n !== undefined) {
      const passing = taken.filter((_, i) => statuses[i] === 'pass');
      reasons.unshift(reason('medication', status, {
        subject: `${passing.length} of ${label}`,
        detail: ` qualify (${passing.join(', ') || 'none'}); at least ${n} required`,
      }));
    } else if (!taken.length) {
      reasons.push(reason('medication', 'fail', { subject: label, detail: ' not in the medication history' }));
    }
    if (n !== undefined) {
      if (status === 'unknown' && open.length) reasons.unshift(partialReason(open.length));
      return { status, reasons, missing: status === 'unknown' ? [...allMissing(results, true), ...(open.length ? [partialMissing] : [])] : [] };
    }
    return partial(ctx, { status, reasons, missing: status === 'unknown' ? allMissing(results, true) : [] }, keys, relevant);
  };
}
