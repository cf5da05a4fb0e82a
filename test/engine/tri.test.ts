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

import { addMonths, fromDay, toDay } from '../../src/dates.js';

describe('calendar arithmetic', () => {
  it.each([
    ['1970-01-01', 0], ['2026-11-25', 20782], ['2000-02-29', 11016], ['1900-03-01', -25508], ['2026-11-25T10:00:00Z', 20782],
  ])('toDay(%s) = %i, and back', (iso, day) => {
    expect(toDay(iso)).toBe(day);
    expect(fromDay(day)).toBe(iso.slice(0, 10));
  });
  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-01', 'abcd-ef-gh', '2026'])('toDay(%s) is undefined', (iso) => {
    expect(toDay(iso)).toBeUndefined();
  });
  it('agrees with Date.UTC over 200 years', () => {
    for (let t = Date.UTC(1900, 0, 1); t < Date.UTC(2100, 0, 1); t += 86_400_000 * 13) {
      const iso = new Date(t).toISOString().slice(0, 10);
      expect(toDay(iso)).toBe(t / 86_400_000);
    }
  });
  it('adds calendar months, clamping to the month end', () => {
    expect(fromDay(addMonths(toDay('2026-01-31')!, 1))).toBe('2026-02-28');
    expect(fromDay(addMonths(toDay('2026-03-01')!, 3))).toBe('2026-06-01');
    expect(fromDay(addMonths(toDay('2026-11-25')!, -3))).toBe('2026-08-25');
  });
});
