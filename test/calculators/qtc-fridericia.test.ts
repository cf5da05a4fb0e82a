import { describe, expect, it } from 'vitest';
import { qtcFridericiaCalculator } from '../../src/calculators/qtc-fridericia.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('qtc-fridericia (Fridericia 1920): QT / ∛RR', () => {
  it.each([
    [{ qt: q(400, 'ms'), heartRate: q(60, '/min') }, 400], // RR 1 s: no correction
    [{ qt: q(400, 'ms'), heartRate: q(75, '/min') }, 430.9], // RR 0.8 s
    [{ qt: q(400, 'ms'), rr: q(800, 'ms') }, 430.9],
    [{ qt: q(0.36, 's'), heartRate: q(100, '/min') }, 426.8], // RR 0.6 s: 360 / 0.8434
  ])('%j → %s ms', (input, want) => {
    expect(qtcFridericiaCalculator.compute(input).value).toBeCloseTo(want, 1);
  });
  it('without heart rate or RR: missing', () => {
    expect(qtcFridericiaCalculator.compute({ qt: q(400, 'ms') }).missing.map((m) => m.name)).toEqual(['heartRate']);
  });
});
