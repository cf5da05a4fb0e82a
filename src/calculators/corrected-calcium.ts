/**
 * Albumin-corrected calcium, Payne: calcium (mmol/L) + 0.02 × (40 − albumin g/L). Payne RB,
 * Little AJ, Williams RB, Milner JR. Interpretation of serum calcium in patients with abnormal serum
 * proteins. Br Med J 1973;4:643–646. (In mg/dL: calcium + 0.8 × (4 − albumin g/dL).)
 */
import type { CalcInputValue, CalcResult, Calculator, Quantity } from './types.js';
import { isRecord, readQuantity } from './common.js';
import { formulaResult } from './formula.js';
import { convert } from './units.js';

export type CorrectedCalciumInput = { calcium?: CalcInputValue<Quantity>; albumin?: CalcInputValue<Quantity> };

/** g/mol, for calcium mg/dL ↔ mmol/L. */
const CALCIUM_MOLAR_MASS = 40.078;

export const correctedCalciumCalculator: Calculator<CorrectedCalciumInput> = {
  name: 'corrected-calcium',
  title: 'Albumin-corrected calcium (Payne)',
  source: 'Payne RB, Little AJ, Williams RB, Milner JR. Interpretation of serum calcium in patients with abnormal serum proteins. Br Med J 1973;4:643–646',
  unit: 'mg/dL',
  inputs: [
    { name: 'calcium', description: 'total serum calcium (e.g. 2.10 mmol/L or 8.4 mg/dL)', required: true },
    { name: 'albumin', description: 'serum albumin (e.g. 30 g/L)', required: true },
  ],
  compute(input: CorrectedCalciumInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const r = formulaResult({ calculator: 'corrected-calcium', unit: 'mmol/L', method: 'calcium (mmol/L) + 0.02 × (40 − albumin g/L) (Payne 1973)' },
      [readQuantity('calcium', raw['calcium'], 'mmol/L', 'total calcium', { molarMass: CALCIUM_MOLAR_MASS }), readQuantity('albumin', raw['albumin'], 'g/L', 'albumin')],
      ([ca, alb]) => ca! + 0.02 * (40 - alb!));
    if (r.value === undefined) return { ...r, unit: 'mg/dL' };
    // reported in the vocabulary's unit for calcium (mg/dL), the mmol/L value kept in details
    const mg = convert({ value: r.value, unit: 'mmol/L' }, 'mg/dL', { molarMass: CALCIUM_MOLAR_MASS });
    return { ...r, unit: 'mg/dL', value: mg.ok ? Math.round(mg.value * 1e6) / 1e6 : r.value, details: { mmolPerL: r.value } };
  },
};
