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

/** A multiple of the laboratory's lower limit of normal ("1 x LLN"): referenceRange.low. */
export interface LlnMultiple {
  llnFactor: number;
}

/** A titre (dilution) "1:80", compared by its denominator: 1:40 is below 1:80. */
export interface TitreLiteral {
  titre: number;
}

export type ThresholdLiteral = ParsedQuantity | UlnMultiple | LlnMultiple | TitreLiteral;

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const ULN_RE = new RegExp(String.raw`^\s*(${NUM})\s*(?:x|×|\*)\s*ULN\s*$`, 'i');
const LLN_RE = new RegExp(String.raw`^\s*(${NUM})\s*(?:x|×|\*)\s*LLN\s*$`, 'i');
const TITRE_RE = /^\s*1\s*:\s*(\d+(?:\.\d+)?)\s*$/;

/** The denominator of a titre written 1:N (N > 0), else undefined. */
export function parseTitre(input: unknown): number | undefined {
  if (typeof input !== 'string') return undefined;
  const m = TITRE_RE.exec(input);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
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
  const l = LLN_RE.exec(input);
  if (l) return { llnFactor: Number(l[1]) };
  const titre = parseTitre(input);
  if (titre !== undefined) return { titre };
  if (/^\s*1\s*:/.test(input)) return undefined; // a malformed titre is not a quantity with unit ":…"
  const q = QTY_RE.exec(input);
  if (!q) return undefined;
  const value = Number(q[1]);
  if (!Number.isFinite(value)) return undefined;
  return { value, unit: q[2] ?? '' };
}

export function isUlnMultiple(t: ThresholdLiteral): t is UlnMultiple {
  return 'ulnFactor' in t;
}

export function isLlnMultiple(t: ThresholdLiteral): t is LlnMultiple {
  return 'llnFactor' in t;
}

export function isTitre(t: ThresholdLiteral): t is TitreLiteral {
  return 'titre' in t;
}

/** A plain quantity (number with an optional unit), not a limit multiple or a titre. */
export function isQuantity(t: ThresholdLiteral): t is ParsedQuantity {
  return 'value' in t;
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

/**
 * International units in a dose: UCUM `[iU]` and `[IU]`, and the prescription spellings `IU`, `U`,
 * `unit(s)` (insulin and heparin are prescribed in units; UCUM's `U` is the enzyme unit, which no
 * prescription means). `perDay`: the unit is a daily dose (`[iU]/d`, `U/kg/d`); else a single dose
 * (`20 U`). Returns whether it is weight-based, or undefined when the unit is not international units.
 */
export function internationalUnits(unit: string | undefined, perDay: boolean): { perKg: boolean } | undefined {
  if (!unit) return undefined;
  const m = /^\s*(\[iu\]|iu|u|units?)\s*(\/\s*kg)?\s*(\/\s*(d|day))?\s*$/i.exec(unit);
  if (!m || Boolean(m[3]) !== perDay) return undefined;
  return { perKg: Boolean(m[2]) };
}
