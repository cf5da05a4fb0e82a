import { describe, expect, it } from 'vitest';
import { and, atLeast, bounded, not, or, type Tri } from '../../src/engine/tri.js';

const P: Tri = 'pass';
const F: Tri = 'fail';
const U: Tri = 'unknown';

describe('Kleene three-valued logic (DESIGN.md contracts)', () => {
  it.each([
    [[P, P], P], [[P, F], F], [[P, U], U], [[F, U], F], [[U, U], U], [[], P], [[F, F], F],
  ] as [Tri[], Tri][])('all %j → %s', (xs, want) => expect(and(xs)).toBe(want));

  it.each([
    [[P, P], P], [[P, F], P], [[P, U], P], [[F, U], U], [[U, U], U], [[F, F], F], [[], F],
  ] as [Tri[], Tri][])('any %j → %s', (xs, want) => expect(or(xs)).toBe(want));

  it.each([[P, F], [F, P], [U, U]] as [Tri, Tri][])('not %s → %s', (x, want) => expect(not(x)).toBe(want));

  it.each([
    [2, [P, P, F], P], [2, [P, U, F], U], [2, [P, F, F], F], [2, [U, U, F], U], [1, [F, F], F], [3, [P, P, U], U], [3, [P, P, P], P],
  ] as [number, Tri[], Tri][])('atLeast %i of %j → %s', (n, xs, want) => expect(atLeast(n, xs)).toBe(want));

  it.each([
    [8, 10, P], [5, 7, F], [6, 9, U], [8, 8, P], [7, 7, F],
  ] as [number, number, Tri][])('bounds [%i, %i] against ≥ 8 → %s', (lo, hi, want) => expect(bounded(lo, hi, (v) => v >= 8)).toBe(want));
});
