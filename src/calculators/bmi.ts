/**
 * Body-mass index, weight / height² (kg/m²): Keys A, Fidanza F, Karvonen MJ, Kimura N, Taylor HL.
 * Indices of relative weight and obesity. J Chronic Dis 1972;25:329–343.
 */
import type { CalcInputValue, CalcResult, Calculator, Quantity } from './types.js';
import { isRecord, readQuantity } from './common.js';
import { formulaResult } from './formula.js';

export type BmiInput = { weight?: CalcInputValue<Quantity>; height?: CalcInputValue<Quantity> };

export const bmiCalculator: Calculator<BmiInput> = {
  name: 'bmi',
  title: 'Body-mass index',
  source: 'Keys A, Fidanza F, Karvonen MJ, et al. Indices of relative weight and obesity. J Chronic Dis 1972;25:329–343 (weight/height²)',
  unit: 'kg/m2',
  inputs: [
    { name: 'weight', description: 'body weight (e.g. 68 kg)', required: true },
    { name: 'height', description: 'height (e.g. 165 cm)', required: true },
  ],
  compute(input: BmiInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    return formulaResult({ calculator: 'bmi', unit: 'kg/m2', method: 'weight (kg) / height (m)²' },
      [readQuantity('weight', raw['weight'], 'kg', 'body weight'), readQuantity('height', raw['height'], 'm', 'height')],
      ([w, h]) => w! / (h! * h!));
  },
};
