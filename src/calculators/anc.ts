/**
 * Absolute neutrophil count: WBC × (segmented neutrophils % + band forms %) / 100, the arithmetic
 * definition of an absolute count from the differential (bands counted when reported, as in the
 * "segs + bands" convention of NCI CTCAE v5.0 "neutrophil count decreased").
 */
import type { CalcInputValue, CalcResult, Calculator, Quantity } from './types.js';
import { inputOf, isRecord, readQuantity, type Read } from './common.js';
import { formulaResult } from './formula.js';

export type AncInput = { wbc?: CalcInputValue<Quantity>; neutrophils?: CalcInputValue<Quantity>; bands?: CalcInputValue<Quantity> };

export const ancCalculator: Calculator<AncInput> = {
  name: 'anc',
  title: 'Absolute neutrophil count from WBC and differential',
  source: 'WBC × (neutrophils % + bands %) / 100 (arithmetic definition; NCI CTCAE v5.0 neutrophil count)',
  unit: '10*9/L',
  inputs: [
    { name: 'wbc', description: 'white-cell count (e.g. 5.0 10*9/L)', required: true },
    { name: 'neutrophils', description: 'neutrophils (segmented) as % of white cells (e.g. 60 %)', required: true },
    { name: 'bands', description: 'band forms as % of white cells, when reported', required: false },
  ],
  compute(input: AncInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const reads: Read<number>[] = [
      readQuantity('wbc', raw['wbc'], '10*9/L', 'white-cell count'),
      readQuantity('neutrophils', raw['neutrophils'], '%', 'neutrophil percentage', { allowZero: true }),
    ];
    const hasBands = inputOf(raw['bands']) !== undefined;
    if (hasBands) reads.push(readQuantity('bands', raw['bands'], '%', 'band percentage', { allowZero: true }));
    return formulaResult({ calculator: 'anc', unit: '10*9/L', method: hasBands ? 'WBC × (neutrophils % + bands %) / 100' : 'WBC × neutrophils % / 100' },
      reads, ([w, n, b]) => (w! * (n! + (b ?? 0))) / 100);
  },
};
