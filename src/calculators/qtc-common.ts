/** QT and the RR interval (from RR, or from the heart rate as 60/HR s), shared by the QTc corrections. */
import type { CalcResult } from './types.js';
import { inputOf, readQuantity, type Read } from './common.js';
import { formulaResult } from './formula.js';

export type QtcInput = { qt?: unknown; rr?: unknown; heartRate?: unknown };

export const QTC_INPUTS = [
  { name: 'qt', description: 'measured QT interval (e.g. 400 ms)', required: true },
  { name: 'heartRate', description: 'heart rate (e.g. 75 /min), or give rr', required: false },
  { name: 'rr', description: 'RR interval (e.g. 800 ms), instead of the heart rate', required: false },
];

export function qtc(name: string, method: string, raw: Record<string, unknown>, correct: (qtMs: number, rrS: number) => number): CalcResult {
  const qt = readQuantity('qt', raw['qt'], 'ms', 'QT interval');
  let rr: Read<number>;
  if (inputOf(raw['rr']) !== undefined) rr = readQuantity('rr', raw['rr'], 's', 'RR interval');
  else {
    const hr = readQuantity('heartRate', raw['heartRate'], '/min', 'heart rate (or the RR interval)');
    rr = hr.ok ? { ...hr, value: 60 / hr.value } : hr;
  }
  return formulaResult({ calculator: name, unit: 'ms', method }, [qt, rr], ([q, r]) => correct(q!, r!));
}
