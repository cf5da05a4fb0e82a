import { describe, expect, it } from 'vitest';
import { ecogCalculator } from '../../src/calculators/ecog.js';

describe('ecog from Karnofsky/Lansky (Oken 1982 table)', () => {
  it.each([
    [100, 0], [90, 0], [80, 1], [70, 1], [60, 2], [50, 2], [40, 3], [30, 3], [20, 4], [10, 4], [0, 5],
  ])('Karnofsky %s → ECOG %s', (k, want) => {
    expect(ecogCalculator.compute({ karnofsky: { value: k } }).value).toBe(want);
  });
  it('between steps: bounds (Karnofsky 85 → ECOG 0–1)', () => {
    const r = ecogCalculator.compute({ karnofsky: { value: 85 } });
    expect(r.value).toBeUndefined();
    expect([r.lower, r.upper]).toEqual([0, 1]);
  });
  it('Lansky is read on the Karnofsky scale; out-of-range scores are missing', () => {
    expect(ecogCalculator.compute({ lansky: { value: 60 } }).value).toBe(2);
    expect(ecogCalculator.compute({ karnofsky: { value: 120 } }).missing[0]!.name).toBe('karnofsky');
    expect(ecogCalculator.compute({}).missing[0]!.name).toBe('karnofsky');
  });
});
