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
  // compare after rounding to 6 decimals: 126 U/L over 0.70 µkat/L is 3.0, not 3.0000000000000004 (§E.4)
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

/** Curly-brace annotations of a unit ({index}, {ratio}): they name a scale, and differ across assays. */
function annotations(u: string): string {
  return (u.match(/\{[^}]*\}/g) ?? []).map((a) => a.toLowerCase()).sort().join(' ');
}

/**
 * Convert between the units of assay-specific results (anti-dsDNA [IU]/mL, ELISA U/mL, {index}):
 * only within one scale. [IU]/mL ↔ [IU]/L is a change of volume; [IU] ↔ U, or {index} ↔ {ratio},
 * are different assays and are never converted.
 */
export function toAssayUnit(value: number, unit: string, target: string): Converted {
  const from = normaliseUnit(unit);
  const to = normaliseUnit(target);
  if (from === to) return { ok: true, value, unit: to };
  if (annotations(from) !== annotations(to)) {
    return { ok: false, reason: `${from || 'no unit'} and ${to} are scales of different assays; arbitrary units are not converted across assays` };
  }
  const iuFrom = from.includes('[IU]');
  if (iuFrom !== to.includes('[IU]')) {
    return { ok: false, reason: `${from || 'no unit'} and ${to}: international units ([IU]) and assay units are not converted into one another` };
  }
  if (iuFrom) {
    // UCUM refuses to scale arbitrary units; [IU]/mL → [IU]/L is the same unit over another volume
    const r = toUnit(value, from.replaceAll('[IU]', 'mol'), to.replaceAll('[IU]', 'mol'));
    return r.ok ? { ok: true, value: r.value, unit: to } : { ok: false, reason: r.reason.replaceAll('mol', '[IU]') };
  }
  return toUnit(value, from, to);
}

export function triOf(b: boolean): Tri {
  return b ? 'pass' : 'fail';
}
