/**
 * eGFR from serum creatinine: bedside Schwartz 2009 under 18 years, CKD-EPI 2021 (race-free) from
 * 18 years (the cut-point is explicit and tested: the equations disagree at 18). `value` keeps full precision; `details.rounded` is the 1-decimal
 * display figure. A lab-reported eGFR (`recorded`) is only compared, never preferred: the engine decides.
 */
import type { CalcInputValue, CalcResult, Calculator, MissingInput, Quantity } from './types.js';
import { evidence, inputOf, isRecord, readQuantity } from './common.js';
import { convert, roundTo } from './units.js';

export type Sex = 'female' | 'male';

export type EgfrInput = {
  age: CalcInputValue<number> | undefined;
  sex?: CalcInputValue<Sex> | undefined;
  height?: CalcInputValue<Quantity> | undefined;
  creatinine: CalcInputValue<Quantity> | undefined;
  recorded?: CalcInputValue<Quantity> | undefined;
};

export const EGFR_UNIT = 'mL/min/{1.73_m2}';
const CREATININE_MOLAR_MASS = 113.12; // g/mol; 1 mg/dL = 88.4 µmol/L

/** Bedside Schwartz: Schwartz GJ et al. J Am Soc Nephrol 2009;20:629–637. */
export function bedsideSchwartz(heightCm: number, scrMgDl: number): number {
  return (0.413 * heightCm) / scrMgDl; // eGFR = 0.413 × height(cm) / Scr(mg/dL), Schwartz 2009
}

/** CKD-EPI 2021 creatinine: Inker LA et al. N Engl J Med 2021;385:1737–1749. */
export function ckdEpi2021(scrMgDl: number, ageYears: number, sex: Sex): number {
  const kappa = sex === 'female' ? 0.7 : 0.9; // κ 0.7 F / 0.9 M (Inker 2021) — some public code wrongly uses 0.7 for men
  const alpha = sex === 'female' ? -0.241 : -0.302; // α −0.241 F / −0.302 M, Inker 2021
  const r = scrMgDl / kappa;
  // 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 [female], Inker 2021
  return 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** ageYears * (sex === 'female' ? 1.012 : 1);
}

export function parseSex(v: unknown): Sex | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'female' || s === 'f') return 'female';
  if (s === 'male' || s === 'm') return 'male';
  return undefined;
}

function readAge(raw: unknown): { ok: true; years: number; input: CalcInputValue } | { ok: false; missing: MissingInput } {
  const civ = inputOf(raw);
  if (civ === undefined) return { ok: false, missing: { name: 'age', description: 'age in years is not recorded' } };
  let years: number | undefined;
  if (typeof civ.value === 'number' && Number.isFinite(civ.value)) {
    if (civ.unit === undefined || civ.unit === '' || civ.unit === 'a') years = civ.value;
    else {
      const c = convert({ value: civ.value, unit: civ.unit }, 'a');
      if (!c.ok) return { ok: false, missing: { name: 'age', description: `age: ${c.reason}` } };
      years = c.value;
    }
  }
  if (years === undefined || years < 0 || years > 150) {
    return { ok: false, missing: { name: 'age', description: `age ${JSON.stringify(civ.value)} is not an age in years` } };
  }
  return { ok: true, years, input: civ };
}

export const egfrCalculator: Calculator<EgfrInput> = {
  name: 'egfr',
  title: 'Estimated GFR (bedside Schwartz < 18 y, CKD-EPI 2021 ≥ 18 y)',
  source: 'Schwartz GJ et al. J Am Soc Nephrol 2009;20:629–637; Inker LA et al. N Engl J Med 2021;385:1737–1749',
  unit: EGFR_UNIT,
  inputs: [
    { name: 'age', description: 'age in years (decides the equation)', required: true },
    { name: 'sex', description: 'female or male (CKD-EPI 2021, age ≥ 18)', required: false },
    { name: 'height', description: 'body height (bedside Schwartz, age < 18)', required: false },
    { name: 'creatinine', description: 'serum creatinine (mg/dL, µmol/L or mmol/L; IDMS-traceable)', required: true },
    { name: 'recorded', description: 'lab-reported eGFR, for comparison only', required: false },
  ],
  compute(input: EgfrInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'egfr', unit: EGFR_UNIT, method: '', inputs: [], details: {}, missing: [] };
    const missing: MissingInput[] = [];
    const age = readAge(raw['age']);
    const scr = readQuantity('creatinine', raw['creatinine'], 'mg/dL', 'serum creatinine', { molarMass: CREATININE_MOLAR_MASS });
    if (!age.ok) missing.push(age.missing);
    if (!scr.ok) missing.push(scr.missing);
    const child = age.ok ? age.years < 18 : undefined;
    result.method = child === true ? 'bedside Schwartz 2009' : child === false ? 'CKD-EPI 2021 creatinine' : 'bedside Schwartz 2009 (< 18 y) or CKD-EPI 2021 creatinine (≥ 18 y)';

    let height: ReturnType<typeof readQuantity> | undefined;
    if (child !== false) {
      height = readQuantity('height', raw['height'], 'cm', 'body height');
      if (!height.ok) {
        missing.push({ name: 'height', description: `${height.missing.description}${child === undefined ? ' (needed if age < 18)' : ' (needed for bedside Schwartz, age < 18)'}` });
      }
    }
    let sex: Sex | undefined;
    const sexCiv = inputOf(raw['sex']);
    if (child !== true) {
      sex = parseSex(sexCiv?.value);
      if (sex === undefined) {
        const what = sexCiv === undefined ? 'sex is not recorded' : `sex ${JSON.stringify(sexCiv.value)} is not female or male`;
        missing.push({ name: 'sex', description: `${what}${child === undefined ? ' (needed if age ≥ 18)' : ' (needed for CKD-EPI 2021, age ≥ 18)'}` });
      }
    }
    if (missing.length > 0 || !age.ok || !scr.ok) {
      result.missing = missing;
      return result;
    }

    result.inputs.push(evidence('age', age.input, age.input.value as number, typeof age.input.unit === 'string' ? age.input.unit : 'a'));
    result.inputs.push(scr.evidence);
    let value: number;
    const details: Record<string, unknown> = { creatinineMgPerDl: roundTo(scr.value, 6) };
    if (child === true && height?.ok === true) {
      value = bedsideSchwartz(height.value, scr.value);
      result.inputs.push(height.evidence);
      details['heightCm'] = roundTo(height.value, 6);
      details['equation'] = 'bedside-schwartz-2009';
      if (age.years < 1) result.warnings = ['bedside Schwartz was derived in children aged 1–16 years'];
    } else if (sex !== undefined) {
      value = ckdEpi2021(scr.value, age.years, sex);
      result.inputs.push(evidence('sex', sexCiv, sex));
      details['sex'] = sex;
      details['equation'] = 'ckd-epi-2021-creatinine';
    } else {
      result.missing = missing;
      return result;
    }
    details['rounded'] = roundTo(value, 1);

    const recCiv = inputOf(raw['recorded']);
    if (recCiv !== undefined) {
      const rec = readQuantity('recorded', recCiv, EGFR_UNIT, 'recorded eGFR', { allowZero: true });
      if (rec.ok) {
        details['recorded'] = rec.value;
        details['recordedEvidence'] = rec.evidence;
        details['difference'] = roundTo(rec.value - value, 1);
      } else {
        (result.warnings ??= []).push(`recorded eGFR not compared: ${rec.missing.description}`);
      }
    }
    result.value = value;
    result.details = details;
    return result;
  },
};
