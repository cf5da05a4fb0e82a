/**
 * Urine protein-to-creatinine ratio from a spot urine, protein / creatinine (mg/g). Ginsberg JM,
 * Chang BS, Matarese RA, Garella S. Use of single voided urine samples to estimate quantitative
 * proteinuria. N Engl J Med 1983;309:1543–1546.
 */
import type { CalcInputValue, CalcResult, Calculator, Quantity } from './types.js';
import { isRecord, readQuantity } from './common.js';
import { formulaResult } from './formula.js';

export type UpcrInput = { protein?: CalcInputValue<Quantity>; creatinine?: CalcInputValue<Quantity> };

/** g/mol, for urine creatinine mmol/L ↔ mg/dL. */
const CREATININE_MOLAR_MASS = 113.12;

export const upcrCalculator: Calculator<UpcrInput> = {
  name: 'upcr',
  title: 'Urine protein-to-creatinine ratio',
  source: 'Ginsberg JM, Chang BS, Matarese RA, Garella S. Use of single voided urine samples to estimate quantitative proteinuria. N Engl J Med 1983;309:1543–1546',
  unit: 'mg/g',
  inputs: [
    { name: 'protein', description: 'spot urine protein (e.g. 50 mg/dL)', required: true },
    { name: 'creatinine', description: 'spot urine creatinine (e.g. 100 mg/dL or 8.84 mmol/L)', required: true },
  ],
  compute(input: UpcrInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    return formulaResult({ calculator: 'upcr', unit: 'mg/g', method: 'urine protein / urine creatinine (same volume)' },
      [readQuantity('protein', raw['protein'], 'mg/dL', 'urine protein', { allowZero: true }),
        readQuantity('creatinine', raw['creatinine'], 'g/dL', 'urine creatinine', { molarMass: CREATININE_MOLAR_MASS })],
      ([p, c]) => p! / c!);
  },
};
