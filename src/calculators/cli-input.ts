/**
 * `elig calc` input: converts the user-facing input objects (from JSON or `key=value` arguments)
 * into the calculator inputs. Pure: no I/O. Malformed values are errors here; absent inputs are left
 * to the calculator, which reports them as `missing`.
 *
 * The fields of each calculator are in CALC_FIELDS (also what `elig calc --list` shows).
 * Quantities are `"0.8 mg/dL"` or `{ value, unit }`; `asOf` may be given as a field or an argument.
 */
import { ageCalculator } from './age.js';
import { isRecord } from './common.js';
import { parseSex } from './egfr.js';
import { frequencyToDosesPerDay } from './prednisone-equivalent.js';
import type { CalcInputValue, Quantity } from './types.js';
import { convert, parseQuantity } from './units.js';
import { resolve } from '../vocabulary/index.js';
import { CALCULATOR_NAMES } from './index.js';
import { BILAG_SYSTEMS } from './bilag-2004.js';
import { hasOwn, own, setOwn } from '../own.js';

/** Keys whose `key=value` argument is a comma-separated list. */
const LIST_KEYS = new Set(['descriptors', 'items', 'excluded', 'ana']);

/** Reserved key collecting arguments that are not `key=value` or repeat a key; reported by buildCalcInput. */
export const INVALID_ARGS_KEY = '_invalid';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parse `key=value` command-line arguments. Numbers become numbers; `descriptors`, `items`,
 * `excluded` and `ana` are comma lists (repeating the key appends). Anything else that cannot be
 * read goes to `_invalid` (reported as an error by `buildCalcInput`).
 */
export function parseKeyValues(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq).trim() : '';
    if (key === '' || key === INVALID_ARGS_KEY || key === '__proto__') {
      invalid.push(`unexpected argument '${arg}' (expected key=value)`);
      continue;
    }
    const text = arg.slice(eq + 1).trim();
    if (LIST_KEYS.has(key)) {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...(prev as string[]), ...items] : items;
      continue;
    }
    if (hasOwn(out, key)) {
      invalid.push(`${key} is given twice`);
      continue;
    }
    setOwn(out, key, NUMBER.test(text) ? Number(text) : text);
  }
  if (invalid.length > 0) out[INVALID_ARGS_KEY] = invalid;
  return out;
}

/** A field `elig calc <name>` accepts. */
export interface CalcField {
  name: string;
  description: string;
  /** Needed for a value (else the result lists it as missing, or the call is refused). */
  required: boolean;
}

const field = (name: string, required: boolean, description: string): CalcField => ({ name, required, description });

/**
 * The fields of each calculator as `elig calc` takes them: the one table that both refuses unknown
 * fields (buildCalcInput) and is shown by `elig calc --list`, so the list cannot offer a field the
 * command refuses, or omit one it accepts.
 */
export const CALC_FIELDS: Readonly<Record<string, readonly CalcField[]>> = {
  age: [
    field('birthDate', true, 'birth date YYYY-MM-DD (YYYY-MM or YYYY when partial)'),
    field('asOf', true, 'reference date YYYY-MM-DD (or --as-of)'),
  ],
  egfr: [
    field('age', false, 'age in years, or a quantity such as "216 mo" (age or birthDate is needed)'),
    field('birthDate', false, 'birth date YYYY-MM-DD, with asOf (instead of age)'),
    field('asOf', false, 'reference date for birthDate (or --as-of)'),
    field('sex', false, 'female or male (CKD-EPI 2021, age ≥ 18)'),
    field('height', false, 'body height (bedside Schwartz, age < 18)'),
    field('creatinine', true, 'serum creatinine (mg/dL, µmol/L or mmol/L; IDMS-traceable)'),
    field('recorded', false, 'lab-reported eGFR, for comparison only'),
  ],
  'prednisone-equivalent': [
    field('drug', true, 'systemic glucocorticoid (name, synonym or code)'),
    field('dose', true, 'dose per administration (µg, mg, g) or daily dose (mg/d)'),
    field('dosesPerDay', true, 'administrations per day: a number or a frequency (qd, bid, q6h = 4, q48h = 0.5)'),
    field('weight', true, 'body weight (kg or lb)'),
    field('equivalence', false, 'override table (JSON input): mg equivalent to 5 mg prednisone, by drug id'),
  ],
  'sledai-2k': [
    field('descriptors', false, 'descriptor ids present in the window (comma list); every other descriptor is absent'),
  ],
  'eular-acr-2019': [
    field('ana', true, 'ANA results ever (comma list): titre 1:N, or positive / negative (solid phase)'),
    field('items', false, 'item ids present at least once (comma list); every other item is absent'),
    field('excluded', false, 'item ids attributed to a more likely cause than SLE (not counted)'),
  ],
  'uln-ratio': [
    field('value', true, 'the lab value (quantity with unit)'),
    field('uln', true, "the laboratory's upper limit of normal for that value"),
    field('molarMass', false, 'molar mass (g/mol) when value and ULN differ in mass vs molar units'),
    field('analyte', false, 'instead of molarMass: a measurement id (e.g. bilirubin) whose molar mass is used'),
  ],
  bmi: [field('weight', true, 'body weight (e.g. 68 kg)'), field('height', true, 'height (e.g. 165 cm)')],
  'bsa-mosteller': [field('weight', true, 'body weight (e.g. 80 kg)'), field('height', true, 'height (e.g. 180 cm)')],
  anc: [
    field('wbc', true, 'white-cell count (e.g. 5000 /uL)'),
    field('neutrophils', true, 'neutrophils as % of white cells (e.g. 60 %)'),
    field('bands', false, 'band forms as % of white cells, when reported'),
  ],
  'corrected-calcium': [field('calcium', true, 'total serum calcium (e.g. 2.10 mmol/L)'), field('albumin', true, 'serum albumin (e.g. 30 g/L)')],
  'qtc-fridericia': [
    field('qt', true, 'measured QT interval (e.g. 400 ms)'),
    field('heartRate', false, 'heart rate (e.g. 75 /min); heartRate or rr is needed'),
    field('rr', false, 'RR interval (e.g. 800 ms), instead of the heart rate'),
  ],
  'qtc-bazett': [
    field('qt', true, 'measured QT interval (e.g. 400 ms)'),
    field('heartRate', false, 'heart rate (e.g. 75 /min); heartRate or rr is needed'),
    field('rr', false, 'RR interval (e.g. 800 ms), instead of the heart rate'),
  ],
  upcr: [field('protein', true, 'spot urine protein (e.g. 50 mg/dL)'), field('creatinine', true, 'spot urine creatinine (e.g. 100 mg/dL)')],
  'cockcroft-gault': [
    field('age', false, 'age in years (age or birthDate is needed)'),
    field('birthDate', false, 'birth date YYYY-MM-DD, with asOf (instead of age)'),
    field('asOf', false, 'reference date for birthDate (or --as-of)'),
    field('sex', true, 'female or male'),
    field('weight', true, 'body weight (e.g. 72 kg)'),
    field('creatinine', true, 'serum creatinine (e.g. 1.0 mg/dL or 88 umol/L)'),
  ],
  ecog: [field('karnofsky', false, 'Karnofsky performance status 0–100 (karnofsky or lansky is needed)'), field('lansky', false, 'Lansky play-performance score 0–100')],
  karnofsky: [field('ecog', true, 'ECOG performance status 0–5')],
  'bilag-2004': BILAG_SYSTEMS.map((sys) => field(sys, false, `BILAG-2004 grade A–E of the ${sys} system (unlisted systems are D/E)`)),
};

const FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(Object.entries(CALC_FIELDS).map(([k, fs]) => [k, fs.map((f) => f.name)]));

/** Examples of the quantity fields of the formula calculators (shown when a value cannot be read). */
const QUANTITY_EXAMPLES: Readonly<Record<string, string>> = {
  weight: '70 kg', height: '170 cm', wbc: '5000 /uL', neutrophils: '60 %', bands: '5 %', calcium: '2.10 mmol/L',
  albumin: '30 g/L', qt: '400 ms', heartRate: '75 /min', rr: '800 ms', protein: '50 mg/dL', creatinine: '1.0 mg/dL',
};
const SCORE_FIELDS = new Set(['karnofsky', 'lansky', 'ecog']);

const src = (field: string): string => `input:${field}`;

class Builder {
  readonly errors: string[] = [];
  constructor(readonly raw: Record<string, unknown>) {}

  has(field: string): boolean {
    return this.raw[field] !== undefined && this.raw[field] !== null && this.raw[field] !== '';
  }

  quantity(field: string, example: string): CalcInputValue<Quantity> | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    const q = parseQuantity(v);
    if (q === undefined) {
      this.errors.push(`${field}: ${JSON.stringify(v)} is not a quantity (e.g. ${example})`);
      return undefined;
    }
    if (q.unit === '1') {
      this.errors.push(`${field}: ${JSON.stringify(v)} needs a unit (e.g. ${example})`);
      return undefined;
    }
    return { value: q, unit: q.unit, source: src(field) };
  }

  text(field: string): CalcInputValue<string> | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    if (typeof v !== 'string') {
      this.errors.push(`${field}: ${JSON.stringify(v)} is not text`);
      return undefined;
    }
    return { value: v.trim(), source: src(field) };
  }

  list(field: string): string[] | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw[field];
    const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : undefined;
    if (items === undefined || !items.every((x): x is string => typeof x === 'string')) {
      this.errors.push(`${field}: expected a list of ids (e.g. ${field}=a,b or ["a","b"])`);
      return undefined;
    }
    return items.map((s) => s.trim()).filter((s) => s !== '');
  }

  asOf(param: string | undefined): string | undefined {
    const field = this.raw['asOf'];
    if (field !== undefined && typeof field !== 'string') {
      this.errors.push(`asOf: ${JSON.stringify(field)} is not a date YYYY-MM-DD`);
      return undefined;
    }
    if (field !== undefined && param !== undefined && field !== param) {
      this.errors.push(`asOf is given twice (${field} and ${param})`);
      return undefined;
    }
    return field ?? param;
  }

  /** Age in years from `age` or `birthDate` + asOf. */
  ageYears(asOfParam: string | undefined): CalcInputValue<number> | undefined {
    if (this.has('age') && this.has('birthDate')) {
      this.errors.push('give age or birthDate, not both');
      return undefined;
    }
    if (this.has('age')) {
      const v = this.raw['age'];
      const q = parseQuantity(v);
      if (q === undefined) {
        this.errors.push(`age: ${JSON.stringify(v)} is not an age (years, or a quantity such as 216 mo)`);
        return undefined;
      }
      if (q.unit === '1' || q.unit === 'a') return { value: q.value, unit: 'a', source: src('age') };
      const c = convert(q, 'a');
      if (!c.ok) {
        this.errors.push(`age: ${c.reason}`);
        return undefined;
      }
      return { value: c.value, unit: 'a', source: src('age') };
    }
    if (this.has('birthDate')) {
      const birthDate = this.text('birthDate');
      const asOf = this.asOf(asOfParam);
      if (birthDate === undefined) return undefined;
      if (asOf === undefined) {
        this.errors.push('birthDate needs a reference date (asOf)');
        return undefined;
      }
      const r = ageCalculator.compute({ birthDate, asOf });
      if (r.value === undefined) {
        this.errors.push(...r.missing.map((m) => `${m.name}: ${m.description}${r.lower !== undefined ? ' (give age instead)' : ''}`));
        return undefined;
      }
      return { value: r.value, unit: 'a', source: src('birthDate') };
    }
    return undefined;
  }
}

/** Set `key` only when the value is defined (exactOptionalPropertyTypes-friendly). */
function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (v !== undefined) setOwn(o, key, v);
}

/**
 * Convert a user-facing `elig calc` input object into the calculator's input. `asOf` (YYYY-MM-DD) is
 * the reference date for `birthDate`.
 */
export function buildCalcInput(name: string, raw: unknown, asOf?: string): { input: unknown } | { errors: string[] } {
  const fields = own(FIELDS, name);
  if (fields === undefined) {
    return { errors: [`unknown calculator '${name}' (known: ${CALCULATOR_NAMES.join(', ')})`] };
  }
  if (!isRecord(raw)) return { errors: [`input for ${name} must be an object of fields (${fields.join(', ')})`] };
  const b = new Builder(raw);
  const invalid = raw[INVALID_ARGS_KEY];
  if (Array.isArray(invalid)) b.errors.push(...invalid.map(String));
  for (const key of Object.keys(raw)) {
    if (key !== INVALID_ARGS_KEY && !fields.includes(key)) b.errors.push(`unknown field '${key}' for ${name} (fields: ${fields.join(', ')})`);
  }
  const input: Record<string, unknown> = {};

  switch (name) {
    case 'egfr': {
      put(input, 'age', b.ageYears(asOf));
      if (b.has('sex')) {
        const sex = parseSex(raw['sex']);
        if (sex === undefined) b.errors.push(`sex: ${JSON.stringify(raw['sex'])} is not female or male`);
        else input['sex'] = { value: sex, source: src('sex') };
      }
      put(input, 'height', b.quantity('height', '140 cm'));
      put(input, 'creatinine', b.quantity('creatinine', '0.8 mg/dL or 70 umol/L'));
      put(input, 'recorded', b.quantity('recorded', '85 mL/min/{1.73_m2}'));
      break;
    }
    case 'prednisone-equivalent': {
      put(input, 'drug', b.text('drug'));
      put(input, 'dose', b.quantity('dose', '40 mg'));
      if (b.has('dosesPerDay')) {
        const v = raw['dosesPerDay'];
        const n = typeof v === 'number' || typeof v === 'string' ? frequencyToDosesPerDay(v) : undefined;
        if (n === undefined) b.errors.push(`dosesPerDay: ${JSON.stringify(v)} is not a number of doses per day or a frequency (qd, bid, q6h, q48h …)`);
        else input['dosesPerDay'] = { value: n, source: src('dosesPerDay') };
      }
      put(input, 'weight', b.quantity('weight', '50 kg'));
      if (b.has('equivalence')) {
        const e = raw['equivalence'];
        if (!isRecord(e) || !Object.values(e).every((x) => typeof x === 'number' && x > 0)) {
          b.errors.push('equivalence: expected an object of drug → mg equivalent to 5 mg prednisone, e.g. {"betamethasone": 0.6}');
        } else input['equivalence'] = e;
      }
      break;
    }
    case 'sledai-2k': {
      input['present'] = (b.list('descriptors') ?? []).map((id) => ({ value: id, source: src('descriptors') }));
      input['complete'] = true;
      break;
    }
    case 'eular-acr-2019': {
      const ana = b.list('ana');
      if (ana !== undefined) input['ana'] = ana.map((a) => ({ value: a, source: src('ana') }));
      input['items'] = (b.list('items') ?? []).map((id) => ({ value: id, source: src('items') }));
      input['excluded'] = (b.list('excluded') ?? []).map((id) => ({ value: id, source: src('excluded') }));
      input['complete'] = true;
      break;
    }
    case 'uln-ratio': {
      put(input, 'value', b.quantity('value', '126 U/L'));
      put(input, 'uln', b.quantity('uln', '40 U/L'));
      if (b.has('molarMass') && b.has('analyte')) b.errors.push('give molarMass or analyte, not both');
      else if (b.has('molarMass')) {
        const m = raw['molarMass'];
        if (typeof m === 'number' && Number.isFinite(m) && m > 0) input['molarMass'] = m;
        else b.errors.push(`molarMass: ${JSON.stringify(m)} is not a positive number (g/mol)`);
      } else if (b.has('analyte')) {
        const a = b.text('analyte');
        if (a !== undefined) {
          const entry = resolve('measurement', a.value);
          if (entry === undefined) b.errors.push(`analyte: '${a.value}' is not a known measurement`);
          else if (entry.molarMass !== undefined) input['molarMass'] = entry.molarMass;
        }
      }
      break;
    }
    case 'bmi': case 'bsa-mosteller': case 'anc': case 'corrected-calcium': case 'qtc-fridericia': case 'qtc-bazett':
    case 'upcr': case 'cockcroft-gault': case 'ecog': case 'karnofsky': {
      for (const f of fields) {
        if (f === 'birthDate' || f === 'asOf') continue;
        if (f === 'age') put(input, 'age', b.ageYears(asOf));
        else if (f === 'sex') {
          if (!b.has('sex')) continue;
          const sex = parseSex(raw['sex']);
          if (sex === undefined) b.errors.push(`sex: ${JSON.stringify(raw['sex'])} is not female or male`);
          else input['sex'] = { value: sex, source: src('sex') };
        } else if (SCORE_FIELDS.has(f)) {
          if (!b.has(f)) continue;
          const v = raw[f];
          if (typeof v === 'number') input[f] = { value: v, source: src(f) };
          else b.errors.push(`${f}: ${JSON.stringify(v)} is not a number`);
        } else put(input, f, b.quantity(f, QUANTITY_EXAMPLES[f] ?? '1 unit'));
      }
      break;
    }
    case 'bilag-2004': {
      const grades: Record<string, unknown> = {};
      for (const s of BILAG_SYSTEMS) {
        const t = b.text(s);
        if (t !== undefined) grades[s] = t;
      }
      input['grades'] = grades;
      input['complete'] = true;
      break;
    }
    case 'age': {
      put(input, 'birthDate', b.text('birthDate'));
      const d = b.asOf(asOf);
      if (d === undefined && raw['asOf'] === undefined) b.errors.push('age needs a reference date (asOf)');
      if (d !== undefined) input['asOf'] = d;
      break;
    }
  }
  return b.errors.length > 0 ? { errors: b.errors } : { input };
}
