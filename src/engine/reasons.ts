/**
 * The only place reason prose is written. A reason is built from a stable code plus data; its text
 * is rendered here so every reporter shows the same words and tests can assert codes, not sentences.
 */
import { roundRatio } from '../calculators/units.js';
import type { Comparator, Derivation, Evidence, MissingItem, Reason, Status, Threshold } from '../model.js';
import { own } from '../own.js';

export const REASON_CODES = [
  'compare', // a value compared with a threshold
  'uln', // a value compared with a multiple of the upper limit of normal
  'qualitative', // a qualitative result compared with expected values
  'missing', // no value on record
  'stale', // values exist but none inside the window
  'future', // values dated after asOf were ignored
  'undated', // values without a date cannot be placed in the window
  'unit', // value cannot be converted to the threshold's unit
  'no-uln', // no upper limit of normal on record or declared
  'uln-fallback', // the declared fallback ULN range was used
  'context', // value measured in a context that is not comparable (e.g. on oxygen)
  'unparseable', // value cannot be read as a number
  'derived', // value derived by a calculator (derivation attached)
  'derive-missing', // could not derive: inputs missing
  'recorded-vs-derived', // both a recorded and a derived value exist; which was used
  'score', // score total (recorded or computed) vs threshold
  'score-bounds', // score with unrecorded items: bounds vs threshold
  'classification', // classification criteria met / not met
  'fact', // demographic fact
  'condition', // condition present/absent
  'no-conditions', // no problem list on record
  'medication', // medication exposure met / not met
  'medication-course', // one course (dose/duration) described
  'intolerance', // documented intolerance
  'no-medications', // no medication history on record
  'finding', // finding present/absent
  'attestation', // attestation recorded / declined
  'todo', // the criterion's rule has not been written yet
  'not-applicable', // the `when` condition does not hold
  'applicability-unknown', // the `when` condition is unknown
  'policy', // missing-data policy turned unknown into pass/fail
  'exclusion', // an exclusion criterion's condition is met / not met
  'record-warning', // the record carried something that was ignored
  'unmapped', // record entries that map to no concept (policy unmapped: unknown)
  'titre', // a titre (1:320) compared with a titre threshold (1:80)
  'cutoff', // a qualitative status derived from a number and a cut-off or the reference range
  'lln', // a value compared with a multiple of the lower limit of normal
  'no-lln', // no lower limit of normal on record
  'reference-range', // a value within / outside the laboratory's reference range (both limits)
  'interpretation', // only the laboratory's flag (H, L, A, N) is recorded
  'anchor', // the anchor event a rule's window is read against (date and source), or why it is unknown
  'elapsed', // time from an anchor to the as-of date (or another anchor) vs bounds
  'procedure', // a procedure done / not done
  'no-procedures', // no procedures list on record
  'count', // how many events/values match, vs the required number
  'count-event', // one counted event (value, date, source)
  'change', // a measurement's change from a baseline value to the newest, vs bounds
  'device', // a device used / implanted, in use or not
  'no-devices', // no devices list on record
  'allergy', // an allergy or intolerance on record / none
  'no-allergies', // no allergies list on record
  'family-history', // a condition in a relative / none
  'no-family-history', // no family history on record
  'substance-use', // tobacco or other substance use: status, dates, pack-years
  'no-substance-use', // no statement about the substance's use on record
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * Formatted fractional numbers, remembered: a batch prints the same values (thresholds, scores, lab
 * results of a few digits) over and over, and `toFixed` + `Number` + `String` costs more than a Map
 * lookup. Bounded: cleared when full, so memory stays flat whatever the input. Module state, but a
 * pure function's memo: the answer never depends on what was cached.
 */
const FMT_CACHE = new Map<number, string>();
const FMT_CACHE_MAX = 4096;

export function fmtNum(v: number): string {
  // a whole number prints as itself (toFixed would add and then drop zeros)
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  let s = FMT_CACHE.get(v);
  if (s !== undefined) return s;
  const a = Math.abs(v);
  const digits = a >= 100 ? 1 : a >= 1 ? 2 : 3;
  s = String(Number(v.toFixed(digits)));
  if (FMT_CACHE.size >= FMT_CACHE_MAX) FMT_CACHE.clear();
  FMT_CACHE.set(v, s);
  return s;
}

/**
 * A value printed beside the threshold it was compared with: when the usual digits would show the
 * threshold itself ("0.9998 mg/kg/d" as "1 < 1"), more digits are shown, up to the 6 decimals the
 * comparison uses (compare.ts), so a reason never contradicts itself.
 */
export function fmtAgainst(v: number, t: number | undefined): string {
  const s = fmtNum(v);
  if (t === undefined || !Number.isFinite(v) || Number(s) !== t || roundRatio(v) === t) return s;
  for (let d = 3; d <= 6; d++) {
    const x = String(Number(v.toFixed(d)));
    if (Number(x) !== t) return x;
  }
  return String(roundRatio(v));
}

const OP_TEXT: Record<Comparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=', '!=': '≠' };
const NEGATE: Record<Comparator, Comparator> = { '>=': '<', '>': '<=', '<=': '>', '<': '>=', '=': '!=', '!=': '=' };

const UNIT_WORDS: Readonly<Record<string, string>> = { a: 'years', mo: 'months', d: 'days', wk: 'weeks' };

export function unitText(u: string | undefined): string {
  if (!u || u === '1' || u === '{score}' || u === '{ratio}') return '';
  if (u === '%') return '%';
  return ` ${own(UNIT_WORDS, u) ?? u}`;
}

function evidenceSuffix(e: Evidence | undefined): string {
  if (!e) return '';
  if (e.date) return e.source ? ` (${e.date}, ${e.source})` : ` (${e.date})`;
  return e.source ? ` (${e.source})` : '';
}

export function evidenceText(e: Evidence): string {
  const v = typeof e.value === 'number' ? fmtNum(e.value) : String(e.value);
  return `${e.item} ${v}${unitText(e.unit)}${e.date ? ` on ${e.date}` : ''}${e.source ? ` [${e.source}]` : ''}`;
}

function derivationSuffix(d: Derivation | undefined): string {
  if (!d) return '';
  const inputs = d.inputs.map((i) => {
    const v = typeof i.value === 'number' ? fmtNum(i.value) : String(i.value);
    return `${i.item} ${v}${unitText(i.unit)}${i.date ? ` on ${i.date}` : ''}`;
  });
  return ` (${d.method}${inputs.length ? `: ${inputs.join(', ')}` : ''})`;
}

/** The relation that holds: `≥ 30` on pass, `< 30` on fail; an undecided result names the threshold. */
function thresholdText(t: Threshold, status: Status | boolean): string {
  if (status === 'unknown' || status === 'not_applicable') return `(threshold ${thresholdText(t, true)})`;
  const holds = status === true || status === 'pass';
  const op = OP_TEXT[holds ? t.op : NEGATE[t.op]];
  if (t.ulnFactor !== undefined) return `${op} ${fmtNum(t.ulnFactor)} × ULN`;
  if (t.llnFactor !== undefined) return `${op} ${fmtNum(t.llnFactor)} × LLN`;
  const v = typeof t.value === 'number' ? fmtNum(t.value) : String(t.value);
  return `${op} ${v}${unitText(t.unit)}`;
}

export interface ReasonInput {
  /** What is being talked about, e.g. "eGFR", "hydroxychloroquine", "SLEDAI-2K". */
  subject: string;
  observed?: Evidence;
  threshold?: Threshold;
  derivation?: Derivation;
  bounds?: { lower: number; upper: number };
  /** Free detail words for codes whose sentence needs them (window, dates, counts). */
  detail?: string;
  /** For comparisons: the observed value in the threshold's unit, when converted. */
  compared?: { value: number; unit: string };
  /** For ULN comparisons: the ratio and the ULN used. */
  ratio?: number;
  uln?: Evidence;
  /** Pre-rendered ratio and ULN (for a ULN range). */
  ratioText?: string;
  ulnText?: string;
}

/** Build a reason: structured fields plus its rendered text. */
export function reason(code: ReasonCode, status: Status, r: ReasonInput): Reason {
  const out: Reason = { code, status, text: render(code, status, r) };
  if (r.observed) out.observed = r.observed;
  if (r.threshold) out.threshold = r.threshold;
  if (r.derivation) out.derivation = r.derivation;
  if (r.bounds) out.bounds = r.bounds;
  return out;
}

function observedValue(r: ReasonInput): string {
  const o = r.observed;
  if (!o) return '';
  const t = typeof r.threshold?.value === 'number' && r.threshold.ulnFactor === undefined && r.threshold.llnFactor === undefined ? r.threshold.value : undefined;
  const converted = r.compared !== undefined && r.compared.unit !== (o.unit ?? '');
  const v = typeof o.value === 'number' ? (converted ? fmtNum(o.value) : fmtAgainst(o.value, t)) : String(o.value);
  let s = `${v}${unitText(o.unit)}`;
  if (converted) s += ` (= ${fmtAgainst(r.compared!.value, t)}${unitText(r.compared!.unit)})`;
  return s;
}

/** Whether detail words start with white space or punctuation (`/^[\s:;,.)]/`, without a regex per reason). */
function joinsBare(detail: string): boolean {
  const c = detail.charCodeAt(0);
  // : ; , . )
  if (c === 58 || c === 59 || c === 44 || c === 46 || c === 41) return true;
  // ASCII letters, digits and the other printable ASCII characters are not white space
  if (c > 32 && c < 127) return false;
  return /^\s/.test(detail);
}

/** JavaScript's `\s` for one character code (ASCII by comparison; beyond, the regex on that character). */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(String.fromCharCode(c));
}

/**
 * `s.replace(/\s+\(/, ' (')` without a regex per reason: the first "(" preceded by white space has the
 * whole run of white space before it written as one space (the leftmost match of the regex).
 */
export function oneSpaceBeforeParen(s: string): string {
  for (let j = s.indexOf('('); j >= 0; j = s.indexOf('(', j + 1)) {
    if (j === 0 || !isSpace(s.charCodeAt(j - 1))) continue;
    let i = j - 1;
    while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
    if (i === j - 1 && s.charCodeAt(i) === 32) return s;
    return `${s.slice(0, i)} ${s.slice(j)}`;
  }
  return s;
}

function render(code: ReasonCode, status: Status, r: ReasonInput): string {
  const holds: Status = status;
  // detail words join with a space unless they start with punctuation
  const d = r.detail ? (joinsBare(r.detail) ? r.detail : ` ${r.detail}`) : '';
  switch (code) {
    case 'compare':
    case 'score':
      return oneSpaceBeforeParen(`${r.subject} ${observedValue(r)} ${r.threshold ? thresholdText(r.threshold, holds) : ''}${evidenceSuffix(r.observed)}${derivationSuffix(r.derivation)}${d}`).trim();
    case 'uln': {
      const ulnTxt = r.ulnText ?? (r.uln ? `ULN ${fmtNum(Number(r.uln.value))}${unitText(r.uln.unit)}${r.uln.source ? ` [${r.uln.source}]` : ''}` : 'ULN');
      return `${r.subject} ${observedValue(r)} = ${r.ratioText ?? fmtAgainst(r.ratio ?? NaN, r.threshold?.ulnFactor)} × ${ulnTxt} ${r.threshold ? thresholdText(r.threshold, holds) : ''}${evidenceSuffix(r.observed)}${d}`.trim();
    }
    case 'lln': {
      const llnTxt = r.uln ? `LLN ${fmtNum(Number(r.uln.value))}${unitText(r.uln.unit)}${r.uln.source ? ` [${r.uln.source}]` : ''}` : 'LLN';
      return `${r.subject} ${observedValue(r)} = ${fmtAgainst(r.ratio ?? NaN, r.threshold?.llnFactor)} × ${llnTxt} ${r.threshold ? thresholdText(r.threshold, holds) : ''}${evidenceSuffix(r.observed)}${d}`.trim();
    }
    case 'titre':
      return `${r.subject} ${observedValue(r)} ${r.threshold ? thresholdText(r.threshold, holds) : ''}${evidenceSuffix(r.observed)}${d}`.trim();
    case 'cutoff':
    case 'reference-range':
      return `${r.subject} ${observedValue(r)}${evidenceSuffix(r.observed)}${d}`;
    case 'interpretation':
      return `${r.subject}${evidenceSuffix(r.observed)}: ${r.detail ?? ''}`;
    case 'no-lln':
      return `${r.subject} ${observedValue(r)}${evidenceSuffix(r.observed)}: no lower limit of normal recorded${d}`;
    case 'qualitative': {
      // "HBsAg positive", "HBsAg reactive (positive)", "HBsAg negative, not positive" — never "positive is positive"
      const shown = observedValue(r);
      const want = r.threshold ? String(r.threshold.value) : undefined;
      const verdict = want === undefined ? ''
        : holds === 'pass' ? (shown.trim().toLowerCase() === want.toLowerCase() ? '' : ` (${want})`)
          : holds === 'fail' ? `, not ${want}` : ` (expected ${want})`;
      return `${r.subject} ${shown}${verdict}${evidenceSuffix(r.observed)}${d}`;
    }
    case 'missing':
      return `no ${r.subject} on record${d}`;
    case 'stale':
      return `${r.subject}: latest value ${observedValue(r)}${evidenceSuffix(r.observed)} is outside the window${d}`;
    case 'future':
      return `${r.subject}: values dated after the as-of date were ignored${d}`;
    case 'undated':
      return `${r.subject} ${observedValue(r)} has no date, so its freshness cannot be checked${evidenceSuffix(r.observed)}${d}`;
    case 'unit':
      return `${r.subject} ${observedValue(r)}${evidenceSuffix(r.observed)} cannot be compared${d}`;
    case 'no-uln':
      return `${r.subject} ${observedValue(r)}${evidenceSuffix(r.observed)}: no upper limit of normal recorded and no fallback declared${d}`;
    case 'uln-fallback':
      return `${r.subject}: no ULN on record; used the criteria file's fallback${d}`;
    case 'context':
      return `${r.subject} ${observedValue(r)}${evidenceSuffix(r.observed)} is not comparable${d}`;
    case 'unparseable':
      // a qualitative criterion (threshold = the results it expects) reads results, not numbers
      return r.threshold
        ? `${r.subject} value ${JSON.stringify(r.observed?.value ?? '')}${evidenceSuffix(r.observed)} is not a result elig can read as ${String(r.threshold.value)}${d}`
        : `${r.subject} value ${JSON.stringify(r.observed?.value ?? '')}${evidenceSuffix(r.observed)} cannot be read as a number${d}`;
    case 'derived':
      return `${r.subject} ${observedValue(r)} derived${derivationSuffix(r.derivation)}${d}`;
    case 'derive-missing':
      return `${r.subject} cannot be derived${d}`;
    case 'recorded-vs-derived':
      return `${r.subject}:${d}`;
    case 'score-bounds':
      return `${r.subject} between ${fmtNum(r.bounds?.lower ?? NaN)} and ${fmtNum(r.bounds?.upper ?? NaN)} (items not recorded)${r.threshold ? `; threshold ${thresholdText(r.threshold, true)}` : ''}${d}`;
    case 'classification':
      return `${r.subject}${r.detail ? `: ${r.detail.replace(/^[:\s]+/, '')}` : ''}`;
    case 'fact':
      // the observed value is shown only when it is the subject's own (age 26 years), not the item it was
      // decided from ("childbearing potential true … no: post-menopausal" contradicted itself)
      return `${r.subject}${r.observed && (r.observed.item === undefined || r.observed.item === r.subject) ? ` ${observedValue(r)}` : ''}${r.threshold ? ` ${thresholdText(r.threshold, holds)}` : ''}${evidenceSuffix(r.observed)}${derivationSuffix(r.derivation)}${d}`;
    case 'condition':
    case 'medication':
    case 'medication-course':
    case 'intolerance':
    case 'finding':
    case 'attestation':
    case 'exclusion':
    case 'record-warning':
    case 'unmapped':
    case 'anchor':
    case 'elapsed':
    case 'procedure':
    case 'count':
    case 'count-event':
    case 'change':
    case 'device':
    case 'allergy':
    case 'family-history':
    case 'substance-use':
      return `${r.subject}${d}${evidenceSuffix(r.observed)}`;
    case 'no-devices':
      return `no device list on record${d}`;
    case 'no-allergies':
      return `no allergy list on record${d}`;
    case 'no-family-history':
      return `no family history on record${d}`;
    case 'no-substance-use':
      return `no ${r.subject} use recorded (current, former or never)${d}`;
    case 'todo':
      return `rule not written yet (to do: ${r.subject})${d}`;
    case 'no-procedures':
      return `no procedures list on record${d}`;
    case 'no-conditions':
      return `no problem list (conditions) on record${d}`;
    case 'no-medications':
      return `no medication history on record${d}`;
    case 'not-applicable':
      return `not applicable: ${r.subject}${d}`;
    case 'applicability-unknown':
      return `whether this applies is unknown (${r.subject})${d}`;
    case 'policy':
      return `missing data counted as ${status} by the criterion's policy${d}`;
  }
}

export function missing(item: string, description: string): MissingItem {
  return { item, description };
}

/**
 * A reason that depends on nothing in the record (e.g. "informed-consent not recorded within 28
 * days"), built once when the criteria are compiled and shared by every result: frozen, so that no
 * later step can change it for all patients at once.
 */
export function fixedReason(code: ReasonCode, status: Status, r: ReasonInput): Readonly<Reason> {
  return Object.freeze(reason(code, status, r));
}

/** Data items that would decide an unknown, fixed at compile time (frozen, shared). */
export function fixedMissing(...items: MissingItem[]): MissingItem[] {
  return Object.freeze(items.map((m) => Object.freeze(m))) as MissingItem[];
}
