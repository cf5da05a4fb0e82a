/**
 * Gathering calculator inputs from a record, with record paths and dates. The calculators are pure
 * functions of plain inputs (src/calculators); this module is the bridge from a PatientView.
 */
import { getCalculator } from '../calculators/index.js';
import type { CalcResult } from '../calculators/types.js';
import { completedYears, fromDay, toDay } from '../dates.js';
import type { Evidence, MissingItem } from '../model.js';
import type { Obs } from '../record.js';
import { memo, type EvalContext } from './context.js';
import { missing } from './reasons.js';

export interface AgeResult {
  /** Exact completed years, when known. */
  value?: number;
  lower?: number;
  upper?: number;
  evidence?: Evidence;
  method: string;
  missing: MissingItem[];
}

/** Age in completed years at a given day (default asOf), from the birth date or a recorded age. */
export function ageAt(ctx: EvalContext, day: number = ctx.asOfDay): AgeResult {
  return memo(ctx, `age@${day}`, () => {
    const v = ctx.view;
    if (v.birthDate) {
      const r = getCalculator('age').compute({ birthDate: { value: v.birthDate, source: 'birthDate' }, asOf: fromDay(day) });
      const out: AgeResult = {
        method: 'completed years from birth date',
        evidence: { item: 'birthDate', value: v.birthDate, source: 'birthDate' },
        missing: [],
      };
      if (r.value !== undefined) out.value = r.value;
      if (r.lower !== undefined) out.lower = r.lower;
      if (r.upper !== undefined) out.upper = r.upper;
      if (r.value === undefined && r.lower === undefined) {
        out.missing.push(missing('birthDate', `a valid birth date (${r.missing.map((m) => m.description).join('; ')})`));
      }
      return out;
    }
    if (v.recordedAge) {
      const a = v.recordedAge;
      const ev: Evidence = { item: 'age', value: a.value, unit: 'a', source: a.path, ...(a.date ? { date: a.date } : {}) };
      if (a.date) {
        const d = toDay(a.date);
        if (d !== undefined) {
          // age a on date d: at `day`, at least a + completed years since d, and less than one more
          const plus = completedYears(d, day);
          return { lower: a.value + plus, upper: a.value + plus + 1, evidence: ev, method: `recorded age ${a.value} on ${a.date}`, missing: [] };
        }
      }
      return { value: a.value, evidence: ev, method: 'recorded age (no date)', missing: [] };
    }
    return { method: 'none', missing: [missing('birthDate', 'date of birth (or age)')] };
  });
}

/** The newest observation of a measurement inside [from, to], ignoring undated ones. */
export function newestIn(list: readonly Obs[] | undefined, from: number, to: number): Obs | undefined {
  if (!list) return undefined;
  for (const o of list) {
    if (o.day === undefined) continue;
    if (o.day > to) continue;
    if (o.day >= from) return o;
    return undefined; // list is newest-first: the rest are older
  }
  return undefined;
}

/** The observation nearest in time to a day (either side), within maxDays. */
export function nearest(list: readonly Obs[] | undefined, day: number, maxDays: number, notAfter?: number): Obs | undefined {
  if (!list) return undefined;
  let best: Obs | undefined;
  let bestD = Infinity;
  for (const o of list) {
    if (o.day === undefined || o.num === undefined) continue;
    if (notAfter !== undefined && o.day > notAfter) continue;
    const dd = Math.abs(o.day - day);
    if (dd < bestD && dd <= maxDays) {
      best = o;
      bestD = dd;
    }
  }
  return best;
}

export function obsEvidence(item: string, o: Obs): Evidence {
  const e: Evidence = { item, value: o.num ?? o.text ?? (o.interpretation !== undefined ? `(flag ${o.interpretation})` : null), source: o.path };
  if (o.unit) e.unit = o.unit;
  if (o.date) e.date = o.date;
  return e;
}

export interface Derived {
  result?: CalcResult;
  /** Date the derived value stands for (date of its main input). */
  date?: string;
  day?: number;
  missing: MissingItem[];
  why?: string;
}

/** Height is used when measured within a year of the creatinine (children grow). */
const HEIGHT_MAX_DAYS = 365;

/** eGFR from the newest creatinine in the window (bedside Schwartz < 18 y, CKD-EPI 2021 ≥ 18 y). */
export function deriveEgfr(ctx: EvalContext, from: number): Derived {
  return memo(ctx, `egfr-derived@${from}`, () => {
    const v = ctx.view;
    const scr = newestIn(v.measurements.get('creatinine'), from, ctx.asOfDay);
    const miss: MissingItem[] = [];
    if (!scr || scr.num === undefined) {
      miss.push(missing('measurement:creatinine', 'serum creatinine inside the window'));
      return { missing: miss, why: 'no creatinine inside the window' };
    }
    const age = ageAt(ctx, scr.day);
    // a partial birth date whose latest possible age is under 18 still means a child: bedside
    // Schwartz needs no age beyond that (the equation is chosen, its inputs are height and creatinine)
    const certainChild = age.value === undefined && age.upper !== undefined && age.upper < 18;
    const ageYears = age.value ?? (age.lower !== undefined && age.lower === age.upper ? age.lower : certainChild ? age.upper : undefined);
    const child = ageYears !== undefined && ageYears < 18;
    if (!child && (!v.sex || (v.sex !== 'female' && v.sex !== 'male'))) miss.push(missing('sex', 'sex (female or male) for the eGFR equation'));
    if (ageYears === undefined) {
      // bounds that sit on one side of 18 still select the equation, but the equations need the age itself
      miss.push(...(age.missing.length ? age.missing : [missing('birthDate', 'exact date of birth for the eGFR equation')]));
    }
    const height = scr.day !== undefined ? nearest(v.measurements.get('height'), scr.day, HEIGHT_MAX_DAYS, ctx.asOfDay) : undefined;
    if (ageYears !== undefined && ageYears < 18 && !height) miss.push(missing('measurement:height', 'height within a year of the creatinine (bedside Schwartz, age < 18)'));
    if (miss.length) return { missing: miss, why: 'inputs missing' };
    const input: Record<string, unknown> = {
      age: { value: ageYears, unit: 'a', source: certainChild ? `${age.evidence?.source ?? 'birthDate'} (partial: age ${age.lower}–${age.upper})` : age.evidence?.source ?? 'birthDate' },
      ...(v.sex ? { sex: { value: v.sex, source: 'sex' } } : {}),
      creatinine: { value: { value: scr.num, unit: scr.unit }, ...(scr.date ? { date: scr.date } : {}), source: scr.path },
    };
    if (height && height.num !== undefined) {
      input.height = { value: { value: height.num, unit: height.unit }, ...(height.date ? { date: height.date } : {}), source: height.path };
    }
    const result = getCalculator('egfr').compute(input);
    if (result.value === undefined) {
      return { missing: result.missing.map((m) => missing(`egfr-input:${m.name}`, m.description)), why: result.missing.map((m) => m.description).join('; ') };
    }
    const out: Derived = { result, missing: [] };
    if (scr.date) out.date = scr.date;
    if (scr.day !== undefined) out.day = scr.day;
    return out;
  });
}

/**
 * How a measurement the vocabulary derives with a calculator (`calculator:` on the concept) is
 * gathered from a record: the newest `primary` value inside the window, the other inputs measured
 * within `maxDays` of it (0: the same day, i.e. the same sample or ECG), and the facts it needs.
 * The alternatives of an input (`karnofsky` or `lansky`) are tried in order.
 */
interface DerivedInput {
  name: string;
  measurements: readonly string[];
  maxDays: number;
  optional?: boolean;
}
interface DerivationSpec {
  primary: { name: string; measurements: readonly string[] };
  inputs: readonly DerivedInput[];
  facts?: readonly ('age' | 'sex')[];
}

export const DERIVATIONS: Readonly<Record<string, DerivationSpec>> = {
  bmi: { primary: { name: 'weight', measurements: ['weight'] }, inputs: [{ name: 'height', measurements: ['height'], maxDays: HEIGHT_MAX_DAYS }] },
  'bsa-mosteller': { primary: { name: 'weight', measurements: ['weight'] }, inputs: [{ name: 'height', measurements: ['height'], maxDays: HEIGHT_MAX_DAYS }] },
  anc: {
    primary: { name: 'wbc', measurements: ['wbc'] },
    inputs: [{ name: 'neutrophils', measurements: ['neutrophils-percent'], maxDays: 0 }, { name: 'bands', measurements: ['bands-percent'], maxDays: 0, optional: true }],
  },
  'corrected-calcium': { primary: { name: 'calcium', measurements: ['calcium'] }, inputs: [{ name: 'albumin', measurements: ['albumin'], maxDays: 0 }] },
  'qtc-fridericia': { primary: { name: 'qt', measurements: ['qt'] }, inputs: [{ name: 'heartRate', measurements: ['heart-rate'], maxDays: 0 }] },
  'qtc-bazett': { primary: { name: 'qt', measurements: ['qt'] }, inputs: [{ name: 'heartRate', measurements: ['heart-rate'], maxDays: 0 }] },
  upcr: { primary: { name: 'protein', measurements: ['urine-protein'] }, inputs: [{ name: 'creatinine', measurements: ['urine-creatinine'], maxDays: 0 }] },
  'cockcroft-gault': {
    primary: { name: 'creatinine', measurements: ['creatinine'] },
    inputs: [{ name: 'weight', measurements: ['weight'], maxDays: 90 }],
    facts: ['age', 'sex'],
  },
  ecog: { primary: { name: 'karnofsky', measurements: ['karnofsky', 'lansky'] }, inputs: [] },
  karnofsky: { primary: { name: 'ecog', measurements: ['ecog'] }, inputs: [] },
};

function civOf(o: Obs): Record<string, unknown> {
  return { value: o.unit ? { value: o.num, unit: o.unit } : o.num, ...(o.unit ? { unit: o.unit } : {}), ...(o.date ? { date: o.date } : {}), source: o.path };
}

/** A measurement derived by its calculator from the record's raw inputs (see DERIVATIONS). */
export function deriveWith(ctx: EvalContext, calculator: string, from: number): Derived {
  return memo(ctx, `derived:${calculator}@${from}`, () => {
    const spec = DERIVATIONS[calculator];
    if (!spec) return { missing: [], why: `no derivation for ${calculator}` };
    const v = ctx.view;
    let primary: Obs | undefined;
    let primaryName = spec.primary.name;
    for (const id of spec.primary.measurements) {
      const o = newestIn(v.measurements.get(id), from, ctx.asOfDay);
      if (o && o.num !== undefined) {
        primary = o;
        primaryName = id === 'lansky' ? 'lansky' : spec.primary.name;
        break;
      }
    }
    if (!primary || primary.day === undefined) {
      const what = spec.primary.measurements.join(' or ');
      return { missing: [missing(`measurement:${spec.primary.measurements[0]}`, `${what} inside the window (to derive it)`)], why: `no ${what} inside the window` };
    }
    const input: Record<string, unknown> = { [primaryName]: civOf(primary) };
    const miss: MissingItem[] = [];
    for (const i of spec.inputs) {
      const o = i.measurements.map((id) => nearest(v.measurements.get(id), primary.day!, i.maxDays, ctx.asOfDay)).find((x) => x !== undefined);
      if (o) input[i.name] = civOf(o);
      else if (!i.optional) {
        miss.push(missing(`measurement:${i.measurements[0]}`, `${i.measurements.join(' or ')} ${i.maxDays === 0 ? 'on the same day as' : `within ${i.maxDays} days of`} the ${primaryName} of ${primary.date}`));
      }
    }
    for (const f of spec.facts ?? []) {
      if (f === 'sex') {
        if (v.sex === 'female' || v.sex === 'male') input['sex'] = { value: v.sex, source: 'sex' };
        else miss.push(missing('sex', 'sex (female or male)'));
      } else {
        const age = ageAt(ctx, primary.day);
        if (age.value !== undefined) input['age'] = { value: age.value, unit: 'a', source: age.evidence?.source ?? 'birthDate' };
        else miss.push(...(age.missing.length ? age.missing : [missing('birthDate', `exact date of birth (age on ${primary.date})`)]));
      }
    }
    if (miss.length) return { missing: miss, why: 'inputs missing' };
    const result = getCalculator(calculator)?.compute(input);
    if (!result || (result.value === undefined && result.lower === undefined)) {
      const m = result?.missing ?? [];
      return { missing: m.map((x) => missing(`${calculator}-input:${x.name}`, x.description)), why: m.map((x) => x.description).join('; ') || 'not computable' };
    }
    const out: Derived = { result, missing: [] };
    if (primary.date) out.date = primary.date;
    out.day = primary.day;
    return out;
  });
}
