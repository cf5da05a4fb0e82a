/**
 * Quantity handling for elig: every conversion goes through UCUM (`@lhncbc/ucum-lhc`).
 *
 * - `normaliseUnit` maps the spellings seen in real exports to UCUM codes (one table, below).
 * - `convert` converts a quantity, with mass ↔ molar conversion through a molar mass.
 * - ucum-lhc is CommonJS and takes ~40 ms to load: it is required lazily on the first conversion that
 *   needs it, and the conversion (scale, offset) per (from, to, molar mass) is cached, so a hot loop
 *   calls ucum-lhc once per distinct unit pair.
 *
 * Decisions (documented in the calculators' README section of the report):
 * - Mass ↔ molar for the two analytes in the vocabulary uses the conventional clinical factors, not the
 *   raw molar mass: creatinine 1 mg/dL = 88.4 µmol/L (clinical.md §C.4) and bilirubin
 *   1 mg/dL = 17.1 µmol/L (clinical.md §E.4). From the molar mass 584.66 g/mol bilirubin would be
 *   17.104; labs and the reference use 17.1, so a value converted by a lab round-trips here. Pass
 *   `exactMolarMass: true` to use the molar mass as given.
 * - UCUM treats curly-brace annotations as 1, so ucum-lhc would silently convert mL/min into
 *   mL/min/{1.73_m2}. They are different quantities (absolute vs BSA-normalised GFR): `convert`
 *   refuses unless `allowUnnormalisedEgfr` is set. Other annotation mismatches are refused too, except
 *   an annotation-only unit (`{ratio}`, `{score}`) against a unit with no annotation (`1`, `%`).
 */
import { createRequire } from 'node:module';
import type { Quantity } from './types.js';

export interface ConvertOptions {
  /** Molar mass in g/mol, for mass ↔ molar conversion (creatinine 113.12, bilirubin 584.66). */
  molarMass?: number;
  /** Use `molarMass` exactly instead of the conventional clinical factor for known analytes. */
  exactMolarMass?: boolean;
  /** Treat mL/min and mL/min/{1.73_m2} as interchangeable (numerically 1:1). Off by default. */
  allowUnnormalisedEgfr?: boolean;
}

export type ConvertResult = { ok: true; value: number; unit: string } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------
// Unit spellings

/** Keys are folded (see foldUnitKey): lower case, µ/μ → u, ² → 2, no spaces. Values are UCUM codes. */
const UNIT_SPELLINGS: Readonly<Record<string, string>> = (() => {
  const t: Record<string, string> = {};
  const add = (ucum: string, ...spellings: string[]): void => {
    for (const s of [ucum, ...spellings]) t[foldUnitKey(s)] = ucum;
  };
  // substance and mass concentration
  add('umol/L', 'umol/l', 'micromol/L', 'µmol/L', 'μmol/L');
  add('mmol/L', 'mmol/l', 'mM');
  add('nmol/L');
  add('mol/L');
  add('mg/dL', 'mg/dl', 'mg%');
  add('g/dL', 'g/dl');
  add('mg/L', 'mg/l');
  add('g/L', 'g/l');
  add('ug/L', 'mcg/L');
  add('ng/mL', 'ng/ml');
  // eGFR
  add('mL/min/{1.73_m2}', 'mL/min/1.73m2', 'ml/min/1.73m2', 'mL/min/1.73 m2', 'ml/min/1.73 m²', 'mL/min/1.73m²',
    'mL/min/1.73m^2', 'mL/min/1.73_m2', 'mL/min/(1.73_m2)', 'mL/min per 1.73 m2', 'mL/min/1.73 m^2', 'mL/min/BSA');
  add('mL/min', 'ml/min', 'ml/mn');
  // enzymes
  add('U/L', 'IU/L', 'u/l', 'iu/l', 'U/l', 'IU/l', 'units/L');
  // international units of immunoassays (anti-dsDNA WHO standard): never the enzyme unit U
  add('[IU]/mL', 'IU/mL', 'iu/ml', 'IU/ml');
  add('U/mL', 'u/ml', 'U/ml', 'units/mL');
  add('ukat/L', 'µkat/L', 'μkat/L', 'ukat/l');
  add('nkat/L');
  // dimensionless
  add('%', 'percent', 'pct');
  add('1', 'ratio');
  add('{ratio}', 'x ULN', '×ULN', 'xULN', '{xULN}');
  add('{score}', 'score', 'points', 'pts');
  // mass, length
  add('kg', 'kgs', 'kilogram', 'kilograms');
  add('g', 'gram', 'grams', 'gm');
  add('mg', 'milligram', 'milligrams');
  add('ug', 'mcg', 'µg', 'μg', 'microgram', 'micrograms');
  add('[lb_av]', 'lb', 'lbs', 'pound', 'pounds');
  add('[in_i]', 'in', 'inch', 'inches', '"');
  add('cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres');
  add('m', 'meter', 'metre', 'meters', 'metres');
  add('mm');
  // dose rates
  add('mg/kg/d', 'mg/kg/day', 'mg/kg/24h', 'mg/(kg.d)', 'mg/kg per day');
  add('mg/d', 'mg/day', 'mg/24h', 'mg/24 h', 'mg/(24.h)');
  add('ug/d', 'mcg/day', 'ug/day');
  add('g/d', 'g/day');
  add('g/(24.h)', 'g/24h', 'g/24 h', 'g/24hr', 'g/24hrs');
  // time
  add('a', 'y', 'yr', 'yrs', 'year', 'years', 'a_j');
  add('mo', 'month', 'months', 'mos', 'mth', 'mths');
  add('wk', 'w', 'week', 'weeks', 'wks');
  add('d', 'day', 'days');
  add('h', 'hr', 'hrs', 'hour', 'hours');
  add('min', 'mins', 'minute', 'minutes');
  // counts
  add('10*9/L', 'x10^9/L', '10^9/L', '10*9/l', 'x10*9/L', '×10^9/L', '×10⁹/L', '10⁹/L', 'x 10^9/L', 'e9/L', 'x10E9/L', '10E9/L', 'Giga/L');
  add('10*12/L', 'x10^12/L', '10^12/L', '×10^12/L', '10E12/L', 'x10E12/L');
  add('10*3/uL', 'x10^3/uL', '10^3/uL', '10^3/µL', 'x10^3/µL', 'K/uL', 'K/µL', 'thou/uL');
  add('/mm3', '/mm^3', 'cells/mm3', '/cumm');
  add('/[HPF]', '/hpf', 'per hpf', '/HPF');
  // pressure, temperature, volume
  add('mm[Hg]', 'mmHg', 'mm Hg');
  add('Cel', '°C', 'degC', 'C');
  add('[degF]', '°F', 'degF', 'F');
  add('mL', 'ml', 'cc');
  add('L', 'l', 'litre', 'liter');
  return t;
})();

function foldUnitKey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[µμ]/g, 'u')
    .replace(/²/g, '2')
    .replace(/³/g, '3')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/**
 * Map a real-export unit spelling to its UCUM code (`µmol/L` → `umol/L`, `ml/min/1.73 m²` →
 * `mL/min/{1.73_m2}`, `lbs` → `[lb_av]`). Unknown spellings pass through unchanged, except that the
 * micro sign (µ U+00B5, μ U+03BC) is written `u` as UCUM requires.
 */
export function normaliseUnit(unit: string): string {
  const memo = normaliseMemo.get(unit);
  if (memo !== undefined) return memo;
  const hit = UNIT_SPELLINGS[foldUnitKey(unit)];
  const out = hit ?? (/[µμ]/.test(unit) ? unit.replace(/[µμ]/g, 'u') : unit);
  if (normaliseMemo.size < 4096) normaliseMemo.set(unit, out); // bounded: unit spellings are few
  return out;
}

const normaliseMemo = new Map<string, string>();

// ---------------------------------------------------------------------------------------------
// Conventional mass ↔ molar factors

/** µmol/L per mg/dL, keyed by the molar mass used in vocabulary.ts. */
const CONVENTIONAL_UMOL_PER_MG_DL: ReadonlyMap<number, number> = new Map([
  [113.12, 88.4], // creatinine: 1 mg/dL = 88.4 µmol/L (clinical.md §C.4)
  [584.66, 17.1], // bilirubin: 1 mg/dL = 17.1 µmol/L (clinical.md §E.4)
]);

/** The molar mass actually handed to UCUM: 1 mg/dL = 10 000 / M µmol/L, so M = 10 000 / factor. */
function effectiveMolarMass(molarMass: number, exact: boolean): number {
  if (exact) return molarMass;
  const f = CONVENTIONAL_UMOL_PER_MG_DL.get(molarMass);
  return f === undefined ? molarMass : 10000 / f;
}

// ---------------------------------------------------------------------------------------------
// ucum-lhc, loaded lazily

interface UcumConvertResult {
  status: string;
  toVal: number | null;
  msg: string[];
}
interface UcumUtils {
  convertUnitTo(from: string, value: number, to: string, options?: { molecularWeight?: number }): UcumConvertResult;
  validateUnitString(unit: string): { status: string; msg: string[] };
}

let ucum: UcumUtils | undefined;
function ucumUtils(): UcumUtils {
  if (ucum === undefined) {
    const require = createRequire(import.meta.url);
    const pkg = require('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): UcumUtils } };
    ucum = pkg.UcumLhcUtils.getInstance();
  }
  return ucum;
}

/** True once ucum-lhc has been loaded (for start-up tests). */
export function ucumLoaded(): boolean {
  return ucum !== undefined;
}

type Conversion = { ok: true; scale: number; offset: number; affine: boolean } | { ok: false; reason: string };

const conversionCache = new Map<string, Conversion>();
const validityCache = new Map<string, boolean>();

function isValidUcum(unit: string): boolean {
  let v = validityCache.get(unit);
  if (v === undefined) {
    // UCUM codes never contain white space, and ucum-lhc writes to the console (stdout) when asked
    // to parse such a string: refuse it here so nothing leaks into a machine-readable report
    v = unit.trim() !== '' && !/\s/.test(unit) && ucumUtils().validateUnitString(unit).status === 'valid';
    validityCache.set(unit, v);
  }
  return v;
}

const ANNOTATION = /\{[^}]*\}/g;

function annotations(unit: string): string[] {
  return (unit.match(ANNOTATION) ?? []).sort();
}

const BSA = '{1.73_m2}';

/** Annotation rule (see module comment). Returns a reason when the units must not be converted. */
function annotationMismatch(from: string, to: string, opts: ConvertOptions): string | undefined {
  const a = annotations(from);
  const b = annotations(to);
  if (a.join('') === b.join('')) return undefined;
  const aBsa = a.includes(BSA);
  const bBsa = b.includes(BSA);
  if (aBsa !== bBsa) {
    if (opts.allowUnnormalisedEgfr === true) {
      const a2 = a.filter((x) => x !== BSA).join('');
      const b2 = b.filter((x) => x !== BSA).join('');
      if (a2 === b2) return undefined;
    } else {
      return `${from} and ${to} differ in normalisation to 1.73 m² body surface area; an absolute clearance (mL/min) ` +
        'is not a BSA-normalised eGFR (mL/min/{1.73_m2}) and is not converted without body surface area';
    }
  }
  const annotationOnly = (u: string): boolean => u.replace(ANNOTATION, '') === '';
  if ((annotationOnly(from) && b.length === 0) || (annotationOnly(to) && a.length === 0)) return undefined;
  return `${from} and ${to} carry different annotations (${a.join('') || 'none'} vs ${b.join('') || 'none'}) and are not interchangeable`;
}

/**
 * `%` and an amount ratio such as `mmol/mol` are both dimensionless to UCUM, but a laboratory
 * result in one is not a multiple of the other: HbA1c in % (NGSP/DCCT) and in mmol/mol (IFCC) are
 * related by a regression (the IFCC–NGSP master equation: Hoelzel et al., Clin Chem 2004), so
 * 64 mmol/mol is about 8.0 %, not 6.4 %. Such a pair is refused rather than converted by factor.
 */
function ratioMismatch(from: string, to: string): string | undefined {
  const amountRatio = (u: string) => /mol\/[a-zA-Z]*mol$/.test(u);
  const percent = (u: string) => u === '%' || u === '1';
  if ((percent(from) && amountRatio(to)) || (amountRatio(from) && percent(to))) {
    return `${from} and ${to} are different scales (e.g. HbA1c % NGSP and mmol/mol IFCC), not a unit conversion`;
  }
  return undefined;
}

function computeConversion(from: string, to: string, opts: ConvertOptions): Conversion {
  const mismatch = annotationMismatch(from, to, opts) ?? ratioMismatch(from, to);
  if (mismatch !== undefined) return { ok: false, reason: mismatch };
  const u = ucumUtils();
  if (!isValidUcum(from)) return { ok: false, reason: `unknown unit '${from}' (not a UCUM code or a known spelling)` };
  if (!isValidUcum(to)) return { ok: false, reason: `unknown unit '${to}' (not a UCUM code or a known spelling)` };
  const o = opts.molarMass !== undefined
    ? { molecularWeight: effectiveMolarMass(opts.molarMass, opts.exactMolarMass === true) }
    : {};
  const at = (x: number): UcumConvertResult => u.convertUnitTo(from, x, to, o);
  const r1 = at(1);
  if (r1.status !== 'succeeded' || typeof r1.toVal !== 'number' || !Number.isFinite(r1.toVal)) {
    const needsMolar = r1.msg.some((m) => /molecular weight/i.test(m));
    return {
      ok: false,
      reason: needsMolar
        ? `${from} cannot be converted to ${to} without the analyte's molar mass (mass ↔ molar conversion)`
        : `${from} cannot be converted to ${to}: incompatible dimensions`,
    };
  }
  const r0 = at(0);
  const offset = r0.status === 'succeeded' && typeof r0.toVal === 'number' ? r0.toVal : 0;
  const scale = r1.toVal - offset;
  // Special (non-affine) units such as [pH]: do not cache a factor, call ucum-lhc each time.
  const r100 = at(100);
  const affine = r100.status === 'succeeded' && typeof r100.toVal === 'number' &&
    Math.abs(r100.toVal - (offset + 100 * scale)) <= 1e-9 * Math.max(1, Math.abs(r100.toVal));
  return { ok: true, scale, offset, affine };
}

function apply(c: { scale: number; offset: number }, value: number): number {
  return c.offset === 0 ? value * c.scale : value * c.scale + c.offset;
}

/**
 * Convert `q` to `toUnit`. Never a wrong answer: incompatible dimensions, unknown units, a missing
 * molar mass or a BSA-normalisation mismatch give `{ ok: false, reason }`.
 */
export function convert(q: Quantity, toUnit: string, opts: ConvertOptions = {}): ConvertResult {
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    return { ok: false, reason: `value ${String(q.value)} is not a finite number` };
  }
  const from = normaliseUnit(q.unit);
  const to = normaliseUnit(toUnit);
  if (from === to) return { ok: true, value: q.value, unit: to };
  const key = `${from}\u0000${to}\u0000${opts.molarMass ?? ''}\u0000${opts.exactMolarMass === true ? 1 : 0}\u0000${opts.allowUnnormalisedEgfr === true ? 1 : 0}`;
  let c = conversionCache.get(key);
  if (c === undefined) {
    c = computeConversion(from, to, opts);
    conversionCache.set(key, c);
  }
  if (!c.ok) return { ok: false, reason: c.reason };
  if (!c.affine) {
    const o = opts.molarMass !== undefined
      ? { molecularWeight: effectiveMolarMass(opts.molarMass, opts.exactMolarMass === true) }
      : {};
    const r = ucumUtils().convertUnitTo(from, q.value, to, o);
    if (r.status !== 'succeeded' || typeof r.toVal !== 'number' || !Number.isFinite(r.toVal)) {
      return { ok: false, reason: `${q.value} ${from} cannot be expressed in ${to}` };
    }
    return { ok: true, value: r.toVal, unit: to };
  }
  return { ok: true, value: apply(c, q.value), unit: to };
}

/**
 * Can a value in unit `a` be compared with a threshold in unit `b`? `undefined` when either unit is
 * not a UCUM code (after normalisation). For load-time checks of criteria thresholds.
 */
export function commensurable(a: string, b: string, opts: ConvertOptions = {}): boolean | undefined {
  const from = normaliseUnit(a);
  const to = normaliseUnit(b);
  if (from === to) return true;
  if (!isValidUcum(from) || !isValidUcum(to)) return undefined;
  return convert({ value: 1, unit: from }, to, opts).ok;
}

// ---------------------------------------------------------------------------------------------
// Parsing and rounding

const NUMBER_UNIT = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$/;

/**
 * Parse `"0.8 mg/dL"`, `"30 mL/min/{1.73_m2}"`, `"70kg"`, `{ value: 32, unit: "kg" }` or a bare number
 * (unit `1`). The unit is normalised. Comparators (`<0.5`), ranges and decimal commas are refused
 * (`undefined`): they are not quantities.
 */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? { value: input, unit: '1' } : undefined;
  if (typeof input === 'string') {
    const m = NUMBER_UNIT.exec(input);
    if (!m || m[1] === undefined) return undefined;
    const value = Number(m[1]);
    const unitText = m[2] ?? '';
    if (!Number.isFinite(value) || /^[,\d]/.test(unitText)) return undefined;
    return { value, unit: unitText === '' ? '1' : normaliseUnit(unitText) };
  }
  if (typeof input === 'object' && input !== null && 'value' in input) {
    const o = input as { value: unknown; unit?: unknown };
    const value = typeof o.value === 'number' ? o.value
      : typeof o.value === 'string' && /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(o.value) ? Number(o.value)
      : NaN;
    if (!Number.isFinite(value)) return undefined;
    if (o.unit === undefined || o.unit === null || o.unit === '') return { value, unit: '1' };
    if (typeof o.unit !== 'string') return undefined;
    return { value, unit: normaliseUnit(o.unit.trim()) };
  }
  return undefined;
}

/** Round to 6 decimals before comparing derived ratios with thresholds (clinical.md §E.4 float trap). */
export function roundRatio(x: number): number {
  return roundTo(x, 6);
}

/** Round half away from zero to `dp` decimals; -0 becomes 0; non-finite values pass through. */
export function roundTo(x: number, dp: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** dp;
  const r = Math.sign(x) * Math.round(Math.abs(x) * f) / f;
  return r === 0 ? 0 : r;
}
