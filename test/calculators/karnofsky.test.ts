import { describe, expect, it } from 'vitest';
import { karnofskyCalculator } from '../../src/calculators/karnofsky.js';

describe('karnofsky range from ECOG (Oken 1982 table)', () => {
  it.each([
    [0, 90, 100], [1, 70, 80], [2, 50, 60], [3, 30, 40], [4, 10, 20],
  ])('ECOG %s → Karnofsky %s–%s', (e, lo, hi) => {
    const r = karnofskyCalculator.compute({ ecog: { value: e } });
    expect([r.lower, r.upper]).toEqual([lo, hi]);
  });
  it('ECOG 5 is Karnofsky 0; a fraction is not a grade', () => {
    expect(karnofskyCalculator.compute({ ecog: { value: 5 } }).value).toBe(0);
    expect(karnofskyCalculator.compute({ ecog: { value: 1.5 } }).missing[0]!.name).toBe('ecog');
  });
});
