/**
 * Body-surface area, Mosteller: √(height cm × weight kg / 3600) m². Mosteller RD. Simplified
 * calculation of body-surface area. N Engl J Med 1987;317:1098.
 */
import type { CalcInputValue, CalcResult, Calculator, Quantity } from './types.js';
import { isRecord, readQuantity } from './common.js';
import { formulaResult } from './formula.js';

export type BsaInput = { weight?: CalcInputValue<Quantity>; height?: CalcInputValue<Quantity> };

export const bsaMostellerCalculator: Calculator<BsaInput> = {
  name: 'bsa-mosteller',
  title: 'Body-surface area (Mosteller)',
  source: 'Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098',
  unit: 'm2',
  inputs: [
    { name: 'weight', description: 'body weight (e.g. 80 kg)', required: true },
    { name: 'height', description: 'height (e.g. 180 cm)', required: true },
  ],
  compute(input: BsaInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    return formulaResult({ calculator: 'bsa-mosteller', unit: 'm2', method: '√(height cm × weight kg / 3600)' },
      [readQuantity('height', raw['height'], 'cm', 'height'), readQuantity('weight', raw['weight'], 'kg', 'body weight')],
      ([h, w]) => Math.sqrt((h! * w!) / 3600));
  },
};
