/**
 * Inline `ref`s into a rule (for comparisons in lint and diff: a criterion that changed only through a
 * definition compares as changed, and structurally equal rules compare equal). The expansion is
 * bounded: definitions that refer to others several times grow exponentially when inlined, so past
 * `budget` nodes the remaining refs are left as they are (compared by name).
 */
import { own } from '../own.js';
import type { RuleNode } from './schema.js';

export function expandRefs(rule: unknown, defs: Record<string, RuleNode>, budget = 10_000): unknown {
  let left = budget;
  const go = (x: unknown, depth: number): unknown => {
    if (x === null || typeof x !== 'object' || depth > 64 || left <= 0) return x;
    left--;
    if (Array.isArray(x)) return x.map((y) => go(y, depth + 1));
    const r = x as Record<string, unknown>;
    if (typeof r.ref === 'string' && own(defs, r.ref)) return go(own(defs, r.ref), depth + 1);
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, go(v, depth + 1)]));
  };
  return go(rule, 0);
}
