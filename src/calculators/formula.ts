/**
 * Shared shape of the formula calculators (BMI, BSA, ANC, corrected calcium, QTc, UPCR,
 * Cockcroft–Gault): read each input in the unit the formula needs, report every missing one,
 * and compute only when all are there.
 */
import type { Read } from './common.js';
import type { CalcResult } from './types.js';

export function formulaResult(
  head: { calculator: string; unit: string; method: string },
  reads: readonly Read<number>[],
  f: (values: number[]) => number,
  details: Record<string, unknown> = {},
): CalcResult {
  const result: CalcResult = { ...head, inputs: [], details, missing: [] };
  for (const r of reads) {
    if (r.ok) result.inputs.push(r.evidence);
    else result.missing.push(r.missing);
  }
  if (result.missing.length > 0) return result;
  const v = f(reads.map((r) => (r.ok ? r.value : NaN)));
  if (Number.isFinite(v)) result.value = Math.round(v * 1e6) / 1e6;
  else result.missing.push({ name: head.calculator, description: 'the inputs give no finite value' });
  return result;
}
