/**
 * Parsing of the literal forms used in criteria files: quantities ("30 mL/min/{1.73_m2}", "5 a"),
 * thresholds relative to the upper limit of normal ("3 x ULN") and durations ("3 mo", "28 d").
 */

export interface ParsedQuantity {
  value: number;
  /** UCUM unit as written; empty string for a bare number. */
  unit: string;
}

export interface UlnMultiple {
  ulnFactor: number;
}

export type ThresholdLiteral = ParsedQuantity | UlnMultiple;

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const ULN_RE = new RegExp(String.raw`^\s*(${NUM})\s*(?:x|×|\*)\s*ULN\s*$`, 'i');
const QTY_RE = new RegExp(String.raw`^\s*(${NUM})\s*(.*?)\s*$`);

export function parseThreshold(input: unknown): ThresholdLiteral | undefined {
  if (typeof input === 'number' && Number.isFinite(input)) return { value: input, unit: '' };
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const o = input as Record<string, unknown>;
    if (typeof o.value === 'number' && Number.isFinite(o.value) && (o.unit === undefined || typeof o.unit === 'string')) {
      return { value: o.value, unit: (o.unit as string | undefined) ?? '' };
    }
    return undefined;
  }
  if (typeof input !== 'string') return undefined;
  const u = ULN_RE.exec(input);
  if (u) return { ulnFactor: Number(u[1]) };
  const q = QTY_RE.exec(input);
  if (!q) return undefined;
  const value = Number(q[1]);
  if (!Number.isFinite(value)) return undefined;
  return { value, unit: q[2] ?? '' };
}

export function isUlnMultiple(t: ThresholdLiteral): t is UlnMultiple {
  return 'ulnFactor' in t;
}

export type DurationUnit = 'd' | 'wk' | 'mo' | 'a';

export interface Duration {
  n: number;
  unit: DurationUnit;
}

const DURATION_UNITS: Record<string, DurationUnit> = {
  d: 'd', day: 'd', days: 'd',
  w: 'wk', wk: 'wk', week: 'wk', weeks: 'wk',
  mo: 'mo', month: 'mo', months: 'mo',
  a: 'a', y: 'a', yr: 'a', year: 'a', years: 'a',
};

const DUR_RE = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/;

export function parseDuration(input: unknown): Duration | undefined {
  if (typeof input !== 'string') return undefined;
  const m = DUR_RE.exec(input);
  if (!m) return undefined;
  const unit = DURATION_UNITS[(m[2] ?? '').toLowerCase()];
  const n = Number(m[1]);
  if (!unit || !Number.isFinite(n)) return undefined;
  return { n, unit };
}

export function formatDuration(d: Duration): string {
  const names: Record<DurationUnit, [string, string]> = {
    d: ['day', 'days'], wk: ['week', 'weeks'], mo: ['month', 'months'], a: ['year', 'years'],
  };
  const [one, many] = names[d.unit];
  return `${d.n} ${d.n === 1 ? one : many}`;
}
