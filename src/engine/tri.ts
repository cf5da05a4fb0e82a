/**
 * Three-valued (Kleene) logic over rule results. `not_applicable` only exists at criterion level.
 */
import type { MissingItem, Reason } from '../model.js';

export type Tri = 'pass' | 'fail' | 'unknown';

export interface NodeResult {
  status: Tri;
  reasons: Reason[];
  missing: MissingItem[];
}

export function and(xs: readonly Tri[]): Tri {
  let unknown = false;
  for (const x of xs) {
    if (x === 'fail') return 'fail';
    if (x === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'pass';
}

export function or(xs: readonly Tri[]): Tri {
  let unknown = false;
  for (const x of xs) {
    if (x === 'pass') return 'pass';
    if (x === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'fail';
}

export function not(x: Tri): Tri {
  return x === 'pass' ? 'fail' : x === 'fail' ? 'pass' : 'unknown';
}

/** pass if passes ≥ n; fail if passes + unknowns < n; else unknown. */
export function atLeast(n: number, xs: readonly Tri[]): Tri {
  let pass = 0;
  let unknown = 0;
  for (const x of xs) {
    if (x === 'pass') pass++;
    else if (x === 'unknown') unknown++;
  }
  if (pass >= n) return 'pass';
  if (pass + unknown < n) return 'fail';
  return 'unknown';
}

/** Scores with unrecorded items: pass if the lower bound meets the threshold, fail if the upper cannot. */
export function bounded(lower: number, upper: number, test: (v: number) => boolean): Tri {
  if (test(lower) && test(upper)) return 'pass';
  if (!test(lower) && !test(upper)) return 'fail';
  return 'unknown';
}

export function mergeMissing(lists: readonly MissingItem[][]): MissingItem[] {
  const seen = new Set<string>();
  const out: MissingItem[] = [];
  for (const l of lists) {
    for (const m of l) {
      if (!seen.has(m.item)) {
        seen.add(m.item);
        out.push(m);
      }
    }
  }
  return out;
}

/** Every result's reasons, in order, in one new array (a loop: `flatMap` costs a callback and a spread per result). */
export function allReasons(results: readonly NodeResult[]): Reason[] {
  const out: Reason[] = [];
  for (let i = 0; i < results.length; i++) {
    const rs = results[i]!.reasons;
    for (let j = 0; j < rs.length; j++) out.push(rs[j]!);
  }
  return out;
}

/** Every result's missing items (only the unknown results' with `unknownOnly`), in order, in one new array. */
export function allMissing(results: readonly NodeResult[], unknownOnly = false): MissingItem[] {
  const out: MissingItem[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (unknownOnly && r.status !== 'unknown') continue;
    for (let j = 0; j < r.missing.length; j++) out.push(r.missing[j]!);
  }
  return out;
}
