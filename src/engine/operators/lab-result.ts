/**
 * Results the way laboratories report them: titres (1:320, <1:40), the laboratory's reference
 * range (LLN and ULN, `referenceRange.low/high`), a stated cut-off for a qualitative status derived
 * from a number, and the interpretation flag (H, L, A, N, POS, NEG) when only that is recorded.
 * Pure helpers of the measurement operator (measurement.ts); each returns a tri-state with reasons.
 */
import type { Comparator, Evidence, MissingItem, Reason } from '../../model.js';
import type { Obs, Quantity } from '../../record.js';
import { parseTitre } from '../../language/quantity.js';
import { roundRatio } from '../../calculators/units.js';
import { test, type Bound, type Converted } from '../compare.js';

/** Unit conversion for this measurement (assay-aware where it has no canonical unit). */
export type Conv = (value: number, unit: string, target: string) => Converted;
import { fmtNum, missing, reason, unitText } from '../reasons.js';
import { and, type NodeResult, type Tri } from '../tri.js';

/** What a laboratory flag says about the value and its reference range. */
export type Flag = 'high' | 'low' | 'abnormal' | 'normal' | 'positive' | 'negative';

/**
 * FHIR v3 ObservationInterpretation codes (and the words records use) folded to what they say.
 * HH/LL (critical) and HU/LU (significantly) are still above/below the range.
 */
const FLAGS: Readonly<Record<string, Flag>> = {
  h: 'high', hh: 'high', hu: 'high', '>': 'high', high: 'high', above: 'high',
  l: 'low', ll: 'low', lu: 'low', '<': 'low', low: 'low', below: 'low',
  a: 'abnormal', aa: 'abnormal', abnormal: 'abnormal',
  n: 'normal', normal: 'normal', 'within normal limits': 'normal', wnl: 'normal',
  pos: 'positive', positive: 'positive', det: 'positive', detected: 'positive', reactive: 'positive',
  neg: 'negative', negative: 'negative', nd: 'negative', 'not detected': 'negative', 'non-reactive': 'negative', nonreactive: 'negative',
};

export function flagOf(interpretation: string | undefined): Flag | undefined {
  if (interpretation === undefined) return undefined;
  return FLAGS[interpretation.normalize('NFKC').trim().toLowerCase()];
}

const FLAG_TEXT: Record<Flag, string> = {
  high: 'above the reference range', low: 'below the reference range', abnormal: 'outside the reference range',
  normal: 'within the reference range', positive: 'positive', negative: 'negative',
};

/** The interval a recorded titre stands for: "1:320" → [320, 320], "<1:40" → below 40, ">1:1280" → above 1280. */
export interface TitreRange {
  lo: number;
  hi: number;
  text: string;
}

export function titreOfResult(text: string): TitreRange | undefined {
  const m = /^\s*(<=|>=|≤|≥|<|>)?\s*(1\s*:\s*\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return undefined;
  const n = parseTitre(m[2]);
  if (n === undefined) return undefined;
  switch (m[1]) {
    case '<': return { lo: 0, hi: n * (1 - 1e-9), text };
    case '<=': case '≤': return { lo: 0, hi: n, text };
    case '>': return { lo: n * (1 + 1e-9), hi: Infinity, text };
    case '>=': case '≥': return { lo: n, hi: Infinity, text };
    default: return { lo: n, hi: n, text };
  }
}

/** A titre compared with `op 1:N`: pass when every titre the result allows holds, fail when none does. */
function titreTri(r: TitreRange, op: Comparator, n: number): Tri {
  const atLo = test(r.lo, { op, value: n });
  const atHi = r.hi === Infinity ? test(Number.MAX_SAFE_INTEGER, { op, value: n }) : test(r.hi, { op, value: n });
  return atLo && atHi ? 'pass' : !atLo && !atHi ? 'fail' : 'unknown';
}

export interface TitreBound {
  op: Comparator;
  titre: number;
}

/**
 * Titre thresholds (`min: "1:80"`). A negative result is below every titre the laboratory tests
 * (its screening dilution), so it fails a minimum and meets a maximum.
 */
export function compareTitres(o: Obs, bounds: readonly TitreBound[], subject: string, observed: Evidence, windowText: string, id: string): NodeResult {
  const text = o.text ?? (o.num === undefined ? o.interpretation : undefined);
  const range = text === undefined ? undefined : titreOfResult(text);
  const flag = range ? undefined : flagOf(text) ?? flagOf(o.interpretation);
  if (!range && flag !== 'negative') {
    return {
      status: 'unknown',
      reasons: [reason('unparseable', 'unknown', { subject, observed, detail: '; expected a titre such as 1:320 (or negative)' })],
      missing: [missing(`measurement:${id}`, `a ${subject} titre (1:N) ${windowText}`)],
    };
  }
  const statuses: Tri[] = [];
  const reasons: Reason[] = [];
  for (const b of bounds) {
    const st: Tri = range ? titreTri(range, b.op, b.titre) : b.op === '>=' || b.op === '>' || b.op === '=' ? 'fail' : 'pass';
    statuses.push(st);
    reasons.push(reason('titre', st, {
      subject, observed, threshold: { op: b.op, value: `1:${fmtNum(b.titre)}` },
      ...(range ? {} : { detail: '(negative: below the screening dilution)' }),
    }));
  }
  const status = and(statuses);
  return { status, reasons, missing: status === 'unknown' ? [missing(`measurement:${id}`, `an exact ${subject} titre ${windowText}`)] : [] };
}

/** The qualitative status of a numeric result: against the stated cut-off, else the reference range, else the flag. */
export function classifyNumeric(
  o: Obs, cutoff: Bound | TitreBound | undefined, subject: string, observed: Evidence, conv: Conv,
): { cls?: 'positive' | 'negative'; reasons: Reason[]; missing: MissingItem[] } {
  if (cutoff && 'titre' in cutoff) {
    const range = o.text === undefined ? undefined : titreOfResult(o.text);
    if (!range) return { reasons: [], missing: [] };
    const st = titreTri(range, '>=', cutoff.titre);
    if (st === 'unknown') {
      return { reasons: [reason('cutoff', 'unknown', { subject, observed, detail: `: cannot tell whether it reaches the cut-off 1:${fmtNum(cutoff.titre)}` })], missing: [] };
    }
    const cls = st === 'pass' ? 'positive' : 'negative';
    return { cls, reasons: [reason('cutoff', 'pass', { subject, observed, detail: `${st === 'pass' ? '≥' : '<'} the cut-off 1:${fmtNum(cutoff.titre)} stated in the criteria: ${cls}` })], missing: [] };
  }
  if (o.num === undefined) return { reasons: [], missing: [] };
  if (cutoff) {
    // units per assay: IU/mL, U/mL and index values are never converted into one another (conv refuses)
    const c = conv(o.num, o.unit, cutoff.unit);
    if (!c.ok) {
      return {
        reasons: [reason('unit', 'unknown', { subject, observed, detail: `with the cut-off ${fmtNum(cutoff.value)}${unitText(cutoff.unit)}: ${c.reason} (arbitrary units of different assays are not converted)` })],
        missing: [],
      };
    }
    const pos = roundRatio(c.value) >= cutoff.value;
    return {
      cls: pos ? 'positive' : 'negative',
      reasons: [reason('cutoff', 'pass', { subject, observed, detail: `${pos ? '≥' : '<'} the cut-off ${fmtNum(cutoff.value)}${unitText(cutoff.unit)} stated in the criteria: ${pos ? 'positive' : 'negative'}` })],
      missing: [],
    };
  }
  if (o.uln) {
    const c = conv(o.num, o.unit, o.uln.unit);
    if (c.ok) {
      const pos = roundRatio(c.value) > o.uln.value;
      return {
        cls: pos ? 'positive' : 'negative',
        reasons: [reason('cutoff', 'pass', { subject, observed, detail: `${pos ? '>' : '≤'} the laboratory's upper reference limit ${fmtNum(o.uln.value)}${unitText(o.uln.unit)} [${o.path}.referenceRange.high]: ${pos ? 'positive' : 'negative'}` })],
        missing: [],
      };
    }
  }
  return { reasons: [], missing: [] };
}

/** The qualitative status a flag implies (H/A above the range is positive, N/L negative), if any. */
export function classOfFlag(flag: Flag | undefined): 'positive' | 'negative' | undefined {
  if (flag === 'positive' || flag === 'high' || flag === 'abnormal') return 'positive';
  if (flag === 'negative' || flag === 'normal' || flag === 'low') return 'negative';
  return undefined;
}

export interface LimitBound {
  op: Comparator;
  factor: number;
  limit: 'ULN' | 'LLN';
}

/**
 * A value compared with multiples of the lower limit of normal (`min: 1 x LLN`, referenceRange.low).
 * No fallback: without the laboratory's LLN the comparison is unknown.
 */
export function compareLln(o: Obs, bounds: readonly LimitBound[], subject: string, observed: Evidence, id: string, conv: Conv): NodeResult {
  if (!o.lln) {
    return {
      status: 'unknown',
      reasons: [reason('no-lln', 'unknown', { subject, observed })],
      missing: [missing(`lln:${id}`, `the laboratory's lower limit of normal for ${subject} (referenceRange.low)`)],
    };
  }
  const lln = o.lln;
  const ev: Evidence = { item: 'LLN', value: lln.value, unit: lln.unit, source: `${o.path}.referenceRange.low` };
  const c = conv(o.num!, o.unit, lln.unit);
  if (!c.ok) {
    return { status: 'unknown', reasons: [reason('unit', 'unknown', { subject, observed, detail: `with the LLN in ${lln.unit}: ${c.reason}` })], missing: [missing(`measurement:${id}`, `${subject} in a unit comparable with its LLN`)] };
  }
  const ratio = roundRatio(c.value / lln.value);
  const statuses: Tri[] = [];
  const reasons: Reason[] = [];
  for (const b of bounds) {
    const st: Tri = test(ratio, { op: b.op, value: b.factor }) ? 'pass' : 'fail';
    statuses.push(st);
    reasons.push(reason('lln', st, { subject, observed, ratio, uln: ev, threshold: { op: b.op, value: b.factor, llnFactor: b.factor } }));
  }
  return { status: and(statuses), reasons, missing: [] };
}

function rangeText(o: Obs): string {
  const lo = o.lln ? `${fmtNum(o.lln.value)}${unitText(o.lln.unit)}` : '?';
  const hi = o.uln ? `${fmtNum(o.uln.value)}${unitText(o.uln.unit)}` : '?';
  return `${lo} – ${hi} [${o.path}.referenceRange]`;
}

/** Where a value lies against one limit: -1 below, 0 inside on that side, 1 above; undefined when not comparable. */
function side(o: Obs, q: Quantity, conv: Conv): number | undefined {
  const c = conv(o.num!, o.unit, q.unit);
  if (!c.ok) return undefined;
  const v = roundRatio(c.value);
  return v < q.value ? -1 : v > q.value ? 1 : 0;
}

/**
 * `normal: true`: LLN ≤ value ≤ ULN (both limits of the laboratory's reference range). A value
 * outside either recorded limit decides (fail); inside one limit with the other not recorded is unknown.
 */
export function compareNormal(o: Obs, want: boolean, subject: string, observed: Evidence, id: string, conv: Conv): NodeResult {
  const below = o.lln ? side(o, o.lln, conv) : undefined;
  const above = o.uln ? side(o, o.uln, conv) : undefined;
  let inside: Tri;
  if (below === -1 || above === 1) inside = 'fail';
  else if (below !== undefined && above !== undefined) inside = 'pass';
  else inside = 'unknown';
  const st: Tri = inside === 'unknown' ? 'unknown' : (inside === 'pass') === want ? 'pass' : 'fail';
  const where = inside === 'pass' ? 'within' : inside === 'fail' ? 'outside' : 'not placed in';
  const miss: MissingItem[] = [];
  if (st === 'unknown') {
    if (!o.lln) miss.push(missing(`lln:${id}`, `the laboratory's lower limit of normal for ${subject} (referenceRange.low)`));
    if (!o.uln) miss.push(missing(`uln:${id}`, `the laboratory's upper limit of normal for ${subject} (referenceRange.high)`));
    if (o.lln && o.uln) miss.push(missing(`measurement:${id}`, `${subject} in a unit comparable with its reference range`));
  }
  return {
    status: st,
    reasons: [reason('reference-range', st, { subject, observed, detail: `is ${where} the reference range ${rangeText(o)}${want ? '' : ' (outside required)'}` })],
    missing: miss,
  };
}

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

/** Ratio to the limit that each flag allows: N is LLN ≤ v ≤ ULN, H is v > ULN, L is v < LLN (< ULN). */
const FLAG_INTERVAL: Record<'ULN' | 'LLN', Partial<Record<Flag, Interval>>> = {
  ULN: {
    normal: { lo: 0, loOpen: false, hi: 1, hiOpen: false },
    high: { lo: 1, loOpen: true, hi: Infinity, hiOpen: true },
    low: { lo: 0, loOpen: false, hi: 1, hiOpen: true },
  },
  LLN: {
    normal: { lo: 1, loOpen: false, hi: Infinity, hiOpen: true },
    high: { lo: 1, loOpen: true, hi: Infinity, hiOpen: true },
    low: { lo: 0, loOpen: false, hi: 1, hiOpen: true },
  },
};

/** pass when every value of the interval meets `op f`, fail when none does, else unknown. */
export function intervalTri(iv: Interval, op: Comparator, f: number): Tri {
  let all: boolean;
  let none: boolean;
  switch (op) {
    case '>=': all = iv.lo >= f; none = iv.hi < f || (iv.hi === f && iv.hiOpen); break;
    case '>': all = iv.lo > f || (iv.lo === f && iv.loOpen); none = iv.hi <= f; break;
    case '<=': all = iv.hi <= f; none = iv.lo > f || (iv.lo === f && iv.loOpen); break;
    case '<': all = iv.hi < f || (iv.hi === f && iv.hiOpen); none = iv.lo >= f; break;
    default: return 'unknown';
  }
  return all ? 'pass' : none ? 'fail' : 'unknown';
}

/**
 * Only a flag is recorded (no usable number): what it says about limit-relative rules.
 * N: LLN ≤ v ≤ ULN; H: v > ULN; L: v < LLN; A: outside the range. Anything the flag does not settle is unknown.
 */
export function fromFlag(
  flag: Flag, limits: readonly LimitBound[], normal: boolean | undefined, subject: string, observed: Evidence, id: string,
): NodeResult {
  // the values the flag allows, as a ratio to the ULN or the LLN (supersets where the other limit is unknown)
  const statuses: Tri[] = [];
  for (const b of limits) {
    const iv = FLAG_INTERVAL[b.limit][flag];
    statuses.push(iv ? intervalTri(iv, b.op, b.factor) : 'unknown');
  }
  if (normal !== undefined) {
    const inside: Tri = flag === 'normal' ? 'pass' : flag === 'high' || flag === 'low' || flag === 'abnormal' ? 'fail' : 'unknown';
    statuses.push(inside === 'unknown' ? 'unknown' : (inside === 'pass') === normal ? 'pass' : 'fail');
  }
  const status = statuses.length ? and(statuses) : 'unknown';
  const what = [...limits.map((b) => `${b.op} ${fmtNum(b.factor)} × ${b.limit}`), ...(normal === undefined ? [] : [normal ? 'within the reference range' : 'outside the reference range'])].join(', ');
  return {
    status,
    reasons: [reason('interpretation', status, { subject, observed, detail: `flagged ${FLAG_TEXT[flag]} by the laboratory (no value recorded); required ${what}` })],
    missing: status === 'unknown' ? [missing(`measurement:${id}`, `the ${subject} value (the flag alone does not decide ${what})`)] : [],
  };
}
