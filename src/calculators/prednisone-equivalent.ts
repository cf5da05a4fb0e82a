/**
 * Prednisone-equivalent daily dose per kg body weight. The equivalence table of the British National
 * Formulary ("Glucocorticoid therapy", Joint Formulary Committee) by default, overridable per call.
 * Values are rounded to 6 decimals (compare after rounding).
 */
import type { CalcInputValue, CalcResult, Calculator, MissingInput, Quantity } from './types.js';
import { evidence, inputOf, isRecord, readQuantity } from './common.js';
import { convert, parseQuantity, roundRatio } from './units.js';
import { resolve } from '../vocabulary/index.js';
import { own } from '../own.js';

export type PrednisoneEquivalentInput = {
  drug: CalcInputValue<string> | undefined;
  /** Dose per administration (µg, mg, g), or a daily dose (mg/d) with `dosesPerDay` omitted. */
  dose: CalcInputValue<Quantity> | undefined;
  dosesPerDay?: CalcInputValue<number> | undefined;
  weight: CalcInputValue<Quantity> | undefined;
  /** Override table: mg of each drug (by vocabulary id) equivalent to 5 mg prednisone. */
  equivalence?: Record<string, number> | undefined;
};

/** mg equivalent to 5 mg prednisone — BNF "Glucocorticoid therapy"; Meikle AW, Tyler FH. Am J Med 1977;63:200–207. */
export const BNF_EQUIVALENCE: Readonly<Record<string, number>> = {
  prednisone: 5,
  prednisolone: 5,
  methylprednisolone: 4,
  triamcinolone: 4,
  hydrocortisone: 20,
  cortisone: 25,
  dexamethasone: 0.75,
  betamethasone: 0.75,
  deflazacort: 6,
};

/** Contested factors: the alternative a minority of tables use (Chrousos GP in Katzung, Basic & Clinical Pharmacology). */
export const CONTESTED_ALTERNATIVE: Readonly<Record<string, number>> = {
  betamethasone: 0.6, // Goodman & Gilman / Katzung / Lexicomp-style
  deflazacort: 7.5,
};

const HIGH_DOSE_MG_PER_KG = 1; // prednisone ≥ 1 mg/kg/d, the seed trial's threshold (NCT06691152)
const CONTESTED_BAND = 0.25; // ±25 % of the threshold: where the choice of table can change the answer (a declared choice)

/**
 * Administrations per day from a frequency: `qd`/`od`/`daily` 1, `bid` 2, `tid` 3, `qid` 4, `qNh`
 * 24/N, `qod`/`every other day`/`q48h` 0.5, `weekly` 1/7, `once` 1, plain numbers, `2x/day`,
 * `3 times daily`. Unknown → undefined.
 */
export function frequencyToDosesPerDay(freq: string | number): number | undefined {
  if (typeof freq === 'number') return Number.isFinite(freq) && freq > 0 ? freq : undefined;
  const s = freq.normalize('NFKC').trim().toLowerCase().replace(/(?<!\d)\.|\.(?!\d)/g, '').replace(/\s+/g, ' ');
  if (s === '') return undefined;
  const named: Record<string, number> = {
    qd: 1, od: 1, daily: 1, 'once daily': 1, 'once a day': 1, 'every day': 1, 'each day': 1, 'per day': 1,
    qam: 1, qpm: 1, qhs: 1, hs: 1, qn: 1, mane: 1, nocte: 1, once: 1, stat: 1, 'single dose': 1, 'once only': 1,
    bid: 2, bd: 2, 'twice daily': 2, 'twice a day': 2,
    tid: 3, tds: 3, 'three times daily': 3, 'three times a day': 3, 'thrice daily': 3,
    qid: 4, qds: 4, 'four times daily': 4, 'four times a day': 4,
    qod: 0.5, eod: 0.5, 'every other day': 0.5, 'alternate days': 0.5, 'on alternate days': 0.5, 'alternate day': 0.5,
    weekly: 1 / 7, 'once weekly': 1 / 7, 'once a week': 1 / 7, 'every week': 1 / 7, qw: 1 / 7, qwk: 1 / 7,
    biw: 2 / 7, 'twice weekly': 2 / 7, tiw: 3 / 7, 'three times weekly': 3 / 7,
  };
  const hit = own(named, s);
  if (hit !== undefined) return hit;
  let m = /^q ?(\d+(?:\.\d+)?) ?(h|hr|hrs|hour|hours)$/.exec(s) ?? /^every (\d+(?:\.\d+)?) ?(h|hr|hrs|hour|hours)$/.exec(s);
  if (m?.[1] !== undefined) {
    const h = Number(m[1]);
    return h > 0 ? 24 / h : undefined;
  }
  m = /^q ?(\d+) ?(d|day|days)$/.exec(s) ?? /^every (\d+) ?(d|day|days)$/.exec(s);
  if (m?.[1] !== undefined) {
    const d = Number(m[1]);
    return d > 0 ? 1 / d : undefined;
  }
  m = /^(\d+(?:\.\d+)?)(?: ?(?:x|times|×))?(?: ?(?:\/ ?|per |a )?(?:d|day|daily))?$/.exec(s);
  if (m?.[1] !== undefined) {
    const n = Number(m[1]);
    return n > 0 && Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** BNF_EQUIVALENCE as a map, built once (compute reads it per course). */
const BNF_TABLE: ReadonlyMap<string, number> = new Map(Object.entries(BNF_EQUIVALENCE));

export const prednisoneEquivalentCalculator: Calculator<PrednisoneEquivalentInput> = {
  name: 'prednisone-equivalent',
  title: 'Prednisone-equivalent dose per kg per day',
  source: 'British National Formulary, "Glucocorticoid therapy": equivalent anti-inflammatory doses (Joint Formulary Committee); Meikle AW, Tyler FH. Am J Med 1977;63:200–207',
  unit: 'mg/kg/d',
  inputs: [
    { name: 'drug', description: 'systemic glucocorticoid (name, synonym or code)', required: true },
    { name: 'dose', description: 'dose per administration (µg, mg, g) or daily dose (mg/d)', required: true },
    { name: 'dosesPerDay', description: 'administrations per day (q6h = 4, q12h = 2, q48h = 0.5)', required: true },
    { name: 'weight', description: 'body weight (kg or lb)', required: true },
    { name: 'equivalence', description: 'override table: mg equivalent to 5 mg prednisone, by drug id', required: false },
  ],
  compute(input: PrednisoneEquivalentInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = {
      calculator: 'prednisone-equivalent', unit: 'mg/kg/d', method: 'prednisone-equivalent (BNF table)', inputs: [], details: {}, missing: [],
    };
    const missing: MissingInput[] = [];
    const warnings: string[] = [];

    // Equivalence table (override entries by drug id or resolvable name).
    // the BNF table is shared (built once); an override gets a copy of its own
    let table: ReadonlyMap<string, number> = BNF_TABLE;
    const override = raw['equivalence'];
    let overridden = false;
    if (isRecord(override)) {
      const configured = new Map<string, number>(BNF_TABLE);
      for (const [k, v] of Object.entries(override)) {
        const id = resolve('drug', k)?.id ?? k;
        if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
          configured.set(id, v);
          overridden = true;
        } else warnings.push(`equivalence override for ${k} ignored: ${JSON.stringify(v)} is not a positive number of mg`);
      }
      table = configured;
      if (overridden) result.method = 'prednisone-equivalent (configured table)';
    }

    const drugCiv = inputOf(raw['drug']);
    let drugId: string | undefined;
    if (drugCiv === undefined) missing.push({ name: 'drug', description: 'glucocorticoid is not recorded' });
    else if (typeof drugCiv.value !== 'string') missing.push({ name: 'drug', description: `drug ${JSON.stringify(drugCiv.value)} is not a name` });
    else {
      const entry = resolve('drug', drugCiv.value);
      if (entry === undefined) missing.push({ name: 'drug', description: `drug '${drugCiv.value}' is not a known systemic glucocorticoid` });
      else if (!entry.ancestors.includes('glucocorticoid')) {
        missing.push({ name: 'drug', description: `drug '${drugCiv.value}' (${entry.id}) is not a glucocorticoid` });
      } else if (!table.has(entry.id)) {
        missing.push({ name: 'drug', description: `no prednisone equivalence for ${entry.id}` });
      } else drugId = entry.id;
    }

    // Dose: a mass per administration, or a mass per day.
    const doseCiv = inputOf(raw['dose']);
    let mgPerAdministration: number | undefined;
    let mgPerDayDirect: number | undefined;
    let doseEvidence;
    if (doseCiv === undefined) missing.push({ name: 'dose', description: 'dose is not recorded' });
    else {
      const dq = typeof doseCiv.value === 'number' && typeof doseCiv.unit === 'string'
        ? parseQuantity({ value: doseCiv.value, unit: doseCiv.unit }) : parseQuantity(doseCiv.value);
      if (dq === undefined || dq.unit === '1') {
        missing.push({ name: 'dose', description: `dose ${JSON.stringify(doseCiv.value)} is not a quantity with a mass unit (µg, mg, g)` });
      } else {
        const asMass = convert(dq, 'mg');
        const asRate = asMass.ok ? undefined : convert(dq, 'mg/d');
        if (asMass.ok && asMass.value > 0) mgPerAdministration = asMass.value;
        else if (asRate?.ok === true && asRate.value > 0) mgPerDayDirect = asRate.value;
        else missing.push({ name: 'dose', description: `dose ${dq.value} ${dq.unit} is not a positive mass (µg, mg, g) or mass per day` });
        doseEvidence = evidence('dose', doseCiv, dq.value, dq.unit);
      }
    }

    const dpdCiv = inputOf(raw['dosesPerDay']);
    let dosesPerDay: number | undefined;
    if (mgPerDayDirect !== undefined) {
      const dv = dpdCiv?.value;
      if (dpdCiv !== undefined && !((typeof dv === 'number' || typeof dv === 'string') && frequencyToDosesPerDay(dv) === 1)) {
        missing.push({ name: 'dosesPerDay', description: 'dose is already a daily dose; dosesPerDay must be omitted (or 1)' });
      }
    } else if (dpdCiv === undefined) {
      missing.push({ name: 'dosesPerDay', description: 'administrations per day are not recorded (q6h = 4, q12h = 2, q48h = 0.5)' });
    } else {
      const v = dpdCiv.value;
      dosesPerDay = typeof v === 'number' || typeof v === 'string' ? frequencyToDosesPerDay(v) : undefined;
      if (dosesPerDay === undefined) missing.push({ name: 'dosesPerDay', description: `frequency ${JSON.stringify(v)} is not a number of administrations per day` });
    }

    const weight = readQuantity('weight', raw['weight'], 'kg', 'body weight');
    if (!weight.ok) missing.push(weight.missing);

    if (missing.length > 0 || drugId === undefined || !weight.ok || doseEvidence === undefined) {
      result.missing = missing;
      if (warnings.length > 0) result.warnings = warnings;
      return result;
    }
    const factor = table.get(drugId)!;
    const mgPerDay = mgPerDayDirect ?? (mgPerAdministration as number) * (dosesPerDay as number); // dose × administrations/day
    const prednisoneMgPerDay = (mgPerDay * 5) / factor; // × 5 / equivalent mg
    const value = roundRatio(prednisoneMgPerDay / weight.value); // ÷ body weight (kg)

    result.inputs.push(evidence('drug', drugCiv, drugId));
    result.inputs.push(doseEvidence);
    if (dosesPerDay !== undefined) result.inputs.push(evidence('dosesPerDay', dpdCiv, dosesPerDay, '/d'));
    result.inputs.push(weight.evidence);
    result.value = value;
    result.details = {
      drug: drugId,
      factor,
      mgPerDay: roundRatio(mgPerDay),
      prednisoneMgPerDay: roundRatio(prednisoneMgPerDay),
      weightKg: roundRatio(weight.value),
      table: overridden ? 'configured' : 'BNF',
    };
    const alt = CONTESTED_ALTERNATIVE[drugId];
    if (alt !== undefined) {
      const altValue = roundRatio((mgPerDay * 5) / alt / weight.value);
      result.details['alternativeFactor'] = alt;
      result.details['alternativeValue'] = altValue;
      if (Math.abs(value - HIGH_DOSE_MG_PER_KG) <= CONTESTED_BAND * HIGH_DOSE_MG_PER_KG) {
        result.details['contestedEquivalence'] = true;
        warnings.push(`contested equivalence: ${drugId} ${factor} mg ≡ prednisone 5 mg gives ${value} mg/kg/d; ` +
          `with ${alt} mg (Katzung, Basic & Clinical Pharmacology) it is ${altValue} mg/kg/d`);
      }
    }
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  },
};
