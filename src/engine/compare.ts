/** Threshold comparison with units; the unit seam is calculators/units.ts (UCUM). */
import { convert, normaliseUnit, roundRatio } from '../calculators/units.js';
import type { Comparator, Threshold } from '../model.js';
import type { Tri } from './tri.js';

export interface Bound {
  op: Comparator;
  value: number;
  /** UCUM unit, '' for unitless. */
  unit: string;
}

export function test(v: number, b: Bound | { op: Comparator; value: number }): boolean {
  // compare after rounding to 6 decimals: 126 U/L over 0.70 µkat/L is 3.0, not 3.0000000000000004
  const x = roundRatio(v);
  const t = b.value;
  switch (b.op) {
    case '>=': return x >= t;
    case '>': return x > t;
    case '<=': return x <= t;
    case '<': return x < t;
    case '=': return x === t;
    case '!=': return x !== t;
  }
}

export function toThreshold(b: Bound): Threshold {
  const t: Threshold = { op: b.op, value: b.value };
  if (b.unit) t.unit = b.unit;
  return t;
}

export type Converted = { ok: true; value: number; unit: string } | { ok: false; reason: string };

/** Convert a value to the bound's unit (identity when units match or the bound is unitless and so is the value). */
export function toUnit(value: number, unit: string, target: string, molarMass?: number): Converted {
  const from = normaliseUnit(unit);
  const to = normaliseUnit(target);
  if (from === to) return { ok: true, value, unit: to };
  if (!from) return { ok: false, reason: `no unit recorded (expected ${to})` };
  if (!to) return { ok: false, reason: `unit ${from} where a unitless value was expected` };
  const r = convert({ value, unit: from }, to, molarMass !== undefined ? { molarMass } : {});
  return r.ok ? { ok: true, value: r.value, unit: to } : { ok: false, reason: r.reason };
}

export function triOf(b: boolean): Tri {
  return b ? 'pass' : 'fail';
}
