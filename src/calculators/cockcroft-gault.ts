/**
 * Creatinine clearance, Cockcroft–Gault: (140 − age) × weight (kg) / (72 × serum creatinine mg/dL),
 * × 0.85 for women. Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum
 * creatinine. Nephron 1976;16:31–41. Uses the weight given (actual body weight unless the protocol
 * says otherwise); the result is mL/min, not normalised to 1.73 m².
 */
import type { CalcInputValue, CalcResult, Calculator, Quantity } from './types.js';
import { evidence, inputOf, isRecord, readQuantity, type Read } from './common.js';
import { parseSex } from './egfr.js';
import { formulaResult } from './formula.js';

export type CockcroftGaultInput = {
  age?: CalcInputValue<number>;
  sex?: CalcInputValue<string>;
  weight?: CalcInputValue<Quantity>;
  creatinine?: CalcInputValue<Quantity>;
};

const CREATININE_MOLAR_MASS = 113.12;

export const cockcroftGaultCalculator: Calculator<CockcroftGaultInput> = {
  name: 'cockcroft-gault',
  title: 'Creatinine clearance (Cockcroft–Gault)',
  source: 'Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16:31–41',
  unit: 'mL/min',
  inputs: [
    { name: 'age', description: 'age in years', required: true },
    { name: 'sex', description: 'female or male', required: true },
    { name: 'weight', description: 'body weight (e.g. 72 kg)', required: true },
    { name: 'creatinine', description: 'serum creatinine (e.g. 1.0 mg/dL or 88 umol/L)', required: true },
  ],
  compute(input: CockcroftGaultInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const ageIn = inputOf(raw['age']);
    const age: Read<number> = ageIn && typeof ageIn.value === 'number' && ageIn.value >= 0 && ageIn.value < 140
      ? { ok: true, value: ageIn.value, input: ageIn, evidence: evidence('age', ageIn, ageIn.value, 'a') }
      : { ok: false, missing: { name: 'age', description: ageIn ? `age ${JSON.stringify(ageIn.value)} is not a number of years below 140` : 'age is not recorded' } };
    const sexIn = inputOf(raw['sex']);
    const sexV = sexIn ? parseSex(sexIn.value) : undefined;
    const sex: Read<number> = sexIn && sexV
      ? { ok: true, value: sexV === 'female' ? 0.85 : 1, input: sexIn, evidence: evidence('sex', sexIn, sexV) }
      : { ok: false, missing: { name: 'sex', description: sexIn ? `sex ${JSON.stringify(sexIn.value)} is not female or male` : 'sex (female or male) is not recorded' } };
    return formulaResult({ calculator: 'cockcroft-gault', unit: 'mL/min', method: '(140 − age) × weight / (72 × creatinine mg/dL) × 0.85 if female (Cockcroft–Gault 1976)' },
      [age, sex, readQuantity('weight', raw['weight'], 'kg', 'body weight'),
        readQuantity('creatinine', raw['creatinine'], 'mg/dL', 'serum creatinine', { molarMass: CREATININE_MOLAR_MASS })],
      ([a, f, w, scr]) => ((140 - a!) * w! * f!) / (72 * scr!));
  },
};
