/**
 * Two readings of a drug's history used by `medication` options, each over the courses of the drugs a
 * rule names (its pool):
 *
 * - `stableFor: 4 wk` — "on a stable dose for at least 4 weeks": the pool is taken at asOf (a course
 *   active then) and its daily dose (dose × administrations per day, summed over concurrent courses,
 *   converted to mg where the unit allows) has not changed and not stopped for at least the duration
 *   up to asOf. A dose change or a gap of more than a day starts a new period. A course inside the
 *   period without a dose, frequency or start date → unknown (the stable period cannot be measured).
 *
 * - `washout: { halfLives: 5, min: 4 wk }` — "within 5 half-lives or 4 weeks, whichever is longer":
 *   the rule holds when a course of a drug of the pool was taken within max(5 × that drug's half-life,
 *   4 weeks) before asOf. Half-lives are concept data (`halfLife:` of a vocabulary or criteria-file
 *   drug concept). A drug without a half-life: a dose within `min` still holds; a later last dose is
 *   unknown (the half-life is named in missing). A stopped course without an end date → unknown.
 */
import { frequencyToDosesPerDay } from '../../calculators/prednisone-equivalent.js';
import { addDuration, fromDay } from '../../dates.js';
import { formatDuration, type Duration } from '../../language/quantity.js';
import type { MissingItem, Reason } from '../../model.js';
import type { Med } from '../../record.js';
import { entryById } from '../../vocabulary/index.js';
import { toUnit } from '../compare.js';
import { fmtNum, missing, reason } from '../reasons.js';
import type { NodeResult, Tri } from '../tri.js';

const ENDED = new Set(['stopped', 'completed']);

/** Daily dose of a course in mg (or in its own unit when not a mass), or why not. */
function dailyDose(m: Med): { value: number; unit: string } | undefined {
  const perDay = m.perDay ?? (m.frequency ? frequencyToDosesPerDay(m.frequency) : undefined);
  if (!m.dose || perDay === undefined) return undefined;
  const mg = toUnit(m.dose.value, m.dose.unit, 'mg');
  return mg.ok ? { value: mg.value * perDay, unit: 'mg' } : { value: m.dose.value * perDay, unit: m.dose.unit };
}

export function stableDoseResult(courses: readonly Med[], asOfDay: number, dur: Duration, display: string): NodeResult {
  const active = courses.filter((m) => m.startDay !== undefined && m.startDay <= asOfDay && (m.endDay === undefined ? !(m.status && ENDED.has(m.status)) : m.endDay >= asOfDay)
    && !(m.status && ENDED.has(m.status) && m.endDay === undefined));
  if (!active.length) {
    const undatedActive = courses.find((m) => m.startDay === undefined && !(m.status && ENDED.has(m.status)) && (m.endDay === undefined || m.endDay >= asOfDay));
    if (undatedActive) {
      return { status: 'unknown', reasons: [reason('medication', 'unknown', { subject: display, detail: `: ${undatedActive.label} has no start date, so the stable period cannot be measured` })], missing: [missing(`medication-dates:${undatedActive.drugId ?? undatedActive.label}`, `start date of ${undatedActive.label} (${undatedActive.path})`)] };
    }
    return { status: 'fail', reasons: [reason('medication', 'fail', { subject: display, detail: ` not taken on ${fromDay(asOfDay)}, so not on a stable dose` })], missing: [] };
  }
  const need = addDuration(asOfDay, dur, -1); // the period must start on or before this day
  const miss: MissingItem[] = [];
  const reasons: Reason[] = [];
  // courses that touch the period [need - 1, asOf]: their doses must be known
  const relevant = courses.filter((m) => m.startDay === undefined || (m.startDay <= asOfDay && (m.endDay === undefined || m.endDay >= need - 1)));
  const placed: { start: number; end: number; dose: { value: number; unit: string } }[] = [];
  for (const m of relevant) {
    const d = dailyDose(m);
    if (m.startDay === undefined) miss.push(missing(`medication-dates:${m.drugId ?? m.label}`, `start date of ${m.label} (${m.path})`));
    else if (!d) miss.push(missing(`medication-dose:${m.drugId ?? m.label}`, `dose and frequency of ${m.label} (${m.path})`));
    else if (m.endDay === undefined && m.status && ENDED.has(m.status)) miss.push(missing(`medication-dates:${m.drugId ?? m.label}`, `end date of ${m.label} (${m.path})`));
    else placed.push({ start: m.startDay, end: Math.min(m.endDay ?? asOfDay, asOfDay), dose: d });
  }
  if (miss.length) {
    return { status: 'unknown', reasons: [reason('medication', 'unknown', { subject: display, detail: ': the dose history around the stable period is incomplete' })], missing: miss };
  }
  // walk back day by day from asOf while the summed daily dose is the same and not zero
  const doseOn = (day: number): string => {
    const on = placed.filter((p) => p.start <= day && p.end >= day);
    if (!on.length) return '';
    const units = new Set(on.map((p) => p.dose.unit));
    if (units.size > 1) return `mixed:${[...units].join('+')}`;
    return `${fmtNum(on.reduce((s, p) => s + p.dose.value, 0))} ${[...units][0]}`;
  };
  const today = doseOn(asOfDay);
  let start = asOfDay;
  while (start > need - 1 && doseOn(start - 1) === today) start--;
  // keep walking to show the whole stable period (bounded by the earliest course start)
  const earliest = Math.min(...placed.map((p) => p.start));
  while (start > earliest && doseOn(start - 1) === today) start--;
  const status: Tri = today.startsWith('mixed') ? 'unknown' : start <= need ? 'pass' : 'fail';
  reasons.push(reason('medication', status, {
    subject: display,
    detail: `: ${today.startsWith('mixed') ? 'doses in units that cannot be added' : `${today}/day`} since ${fromDay(start)}; ${status === 'pass' ? 'stable for at least' : status === 'fail' ? 'not yet stable for' : 'cannot tell whether stable for'} ${formatDuration(dur)} (from ${fromDay(need)})`,
  }));
  for (const m of relevant) reasons.push(reason('medication-course', status, { subject: m.label, detail: ` ${m.start ?? '?'} → ${m.end ?? 'ongoing'}`, observed: { item: display, value: m.label, source: m.path, ...(m.start ? { date: m.start } : {}) } }));
  return { status, reasons, missing: status === 'unknown' ? [missing(`medication-dose:${display}`, `doses of ${display} in one unit`)] : [] };
}

export interface WashoutSpec {
  halfLives?: number;
  min?: Duration;
}

/** The washout window of one drug in days before asOf: the longer of n half-lives and min; undefined half-life → only min is known. */
export function washoutResult(courses: readonly Med[], asOfDay: number, spec: WashoutSpec, halfLifeOf: (m: Med) => HalfLife | undefined, display: string): NodeResult {
  const reasons: Reason[] = [];
  const miss: MissingItem[] = [];
  let status: Tri = 'fail';
  for (const m of courses) {
    if (m.startDay !== undefined && m.startDay > asOfDay) continue;
    const ongoing = m.endDay === undefined && !(m.status && ENDED.has(m.status));
    const last = m.endDay !== undefined ? Math.min(m.endDay, asOfDay) : ongoing ? asOfDay : undefined;
    const hl = halfLifeOf(m);
    const minStart = spec.min ? addDuration(asOfDay, spec.min, -1) : Infinity;
    // n half-lives in whole days, rounded up (a partial day still counts)
    const hlDays = hl && spec.halfLives ? Math.ceil(spec.halfLives * hl.days - 1e-9) : undefined;
    const hlStart = hlDays !== undefined ? asOfDay - hlDays + 1 : undefined;
    const from = hlStart !== undefined ? Math.min(hlStart, minStart) : minStart;
    const windowText = `${hlDays !== undefined ? `${fmtNum(spec.halfLives!)} half-lives (${fmtNum(spec.halfLives!)} × ${hl!.text} = ${hlDays} days)` : ''}${hlDays !== undefined && spec.min ? ' or ' : ''}${spec.min ? formatDuration(spec.min) : ''}${hlDays !== undefined && spec.min ? ', whichever is longer' : ''}: from ${Number.isFinite(from) ? fromDay(from) : '?'}`;
    const observed = { item: display, value: m.label, source: m.path, ...(m.end ? { date: m.end } : m.start ? { date: m.start } : {}) };
    if (last === undefined) {
      status = status === 'pass' ? 'pass' : 'unknown';
      miss.push(missing(`medication-dates:${m.drugId ?? m.label}`, `end date of ${m.label} (${m.path})`));
      reasons.push(reason('medication-course', 'unknown', { subject: m.label, detail: ` stopped without an end date; washout ${windowText}`, observed }));
      continue;
    }
    const inside = last >= from;
    if (inside) {
      status = 'pass';
      reasons.push(reason('medication-course', 'pass', { subject: m.label, detail: ` last taken ${fromDay(last)}${ongoing ? ' (ongoing)' : ''}, within the washout (${windowText})`, observed }));
    } else if (hlDays === undefined && spec.halfLives) {
      if (status !== 'pass') status = 'unknown';
      miss.push(missing(`half-life:${m.drugId ?? m.label}`, `the half-life of ${m.label} (halfLife: of its concept)`));
      reasons.push(reason('medication-course', 'unknown', { subject: m.label, detail: ` last taken ${fromDay(last)}, before ${spec.min ? formatDuration(spec.min) : 'the window'}; its half-life is not known, so ${fmtNum(spec.halfLives)} half-lives cannot be placed`, observed }));
    } else {
      reasons.push(reason('medication-course', 'fail', { subject: m.label, detail: ` last taken ${fromDay(last)}, before the washout (${windowText})`, observed }));
    }
  }
  reasons.unshift(reason('medication', status, { subject: display, detail: status === 'pass' ? ' taken within the washout period' : status === 'fail' ? (courses.length ? ' last taken before the washout period' : ' not in the medication history') : ': whether it was taken within the washout period is unknown' }));
  return { status, reasons, missing: status === 'unknown' ? miss : [] };
}

export interface HalfLife {
  days: number;
  text: string;
}

const HALF_LIFE_RE = /^\s*(\d+(?:\.\d+)?)\s*(h|d|wk)\s*$/;

/** "36 h" → 1.5 days; "19 d"; "3 wk". */
export function parseHalfLife(raw: string): HalfLife | undefined {
  const m = HALF_LIFE_RE.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  return { days: m[2] === 'h' ? n / 24 : m[2] === 'wk' ? n * 7 : n, text: `${m[1]} ${m[2] === 'h' ? 'hours' : m[2] === 'wk' ? 'weeks' : 'days'}` };
}

/** A drug concept's half-life (the criteria file's concepts first, then the vocabulary). */
export function halfLifeFrom(localHalfLives: ReadonlyMap<string, string>): (drugId: string | undefined) => HalfLife | undefined {
  return (id) => {
    if (id === undefined) return undefined;
    const raw = localHalfLives.get(id) ?? entryById('drug', id)?.halfLife;
    return raw ? parseHalfLife(raw) : undefined;
  };
}

/**
 * Lines of therapy — "≥ 2 prior lines of systemic therapy" — counted over the courses of the listed
 * drugs (a class counts every member) started on or before asOf, with the rule most real-world
 * oncology data sets use:
 * - a line starts with the first course not yet part of a line; its regimen is every drug started in
 *   the 28 days from that start (drugs given together are one line);
 * - a later course of a drug outside the regimen starts a new line (adding or switching a drug);
 * - a course of a regimen drug continues the line, unless it starts more than 120 days after the
 *   line's last exposure ended (re-treatment after a break is a new line).
 * Unknown: a course without a start date (it cannot be placed) while the sure count is below n.
 */
export const LINE_REGIMEN_DAYS = 28;
export const LINE_GAP_DAYS = 120;

export function linesOfTherapyResult(courses: readonly Med[], asOfDay: number, n: number, idOf: (m: Med) => string, display: string): NodeResult {
  const dated = courses.filter((m) => m.startDay !== undefined && m.startDay <= asOfDay).sort((a, b) => a.startDay! - b.startDay!);
  const undated = courses.filter((m) => m.startDay === undefined);
  const lines: { start: number; regimen: Set<string>; lastEnd: number; labels: string[] }[] = [];
  for (const m of dated) {
    const id = idOf(m);
    const end = Math.min(m.endDay ?? asOfDay, asOfDay);
    const cur = lines[lines.length - 1];
    const inRegimenWindow = cur !== undefined && m.startDay! < cur.start + LINE_REGIMEN_DAYS;
    const continues = cur !== undefined && (inRegimenWindow || (cur.regimen.has(id) && m.startDay! <= cur.lastEnd + LINE_GAP_DAYS));
    if (cur && continues) {
      if (inRegimenWindow) cur.regimen.add(id);
      if (!cur.labels.includes(m.label)) cur.labels.push(m.label);
      cur.lastEnd = Math.max(cur.lastEnd, end);
    } else {
      lines.push({ start: m.startDay!, regimen: new Set([id]), lastEnd: end, labels: [m.label] });
    }
  }
  const status: Tri = lines.length >= n ? 'pass' : undated.length ? 'unknown' : 'fail';
  const reasons: Reason[] = [reason('medication', status, {
    subject: display,
    detail: `: ${lines.length} line${lines.length === 1 ? '' : 's'} of therapy${lines.length ? ` (${lines.map((l, i) => `line ${i + 1} from ${fromDay(l.start)}: ${l.labels.join(' + ')}`).join('; ')})` : ''}; at least ${n} required${undated.length && status === 'unknown' ? `; ${undated.length} course${undated.length === 1 ? '' : 's'} without a start date` : ''}`,
  })];
  for (const m of status === 'unknown' ? undated : []) {
    reasons.push(reason('medication-course', 'unknown', { subject: m.label, detail: ' has no start date, so it cannot be placed in a line', observed: { item: display, value: m.label, source: m.path } }));
  }
  return {
    status, reasons,
    missing: status === 'unknown' ? undated.map((m) => missing(`medication-dates:${idOf(m)}`, `start date of ${m.label} (${m.path})`)) : [],
  };
}
