import { describe, expect, it } from 'vitest';
import { qtcBazettCalculator } from '../../src/calculators/qtc-bazett.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('qtc-bazett (Bazett 1920): QT / √RR', () => {
  it.each([
    [{ qt: q(400, 'ms'), heartRate: q(60, '/min') }, 400],
    [{ qt: q(400, 'ms'), heartRate: q(75, '/min') }, 447.2], // 400 / √0.8
    [{ qt: q(360, 'ms'), rr: q(0.6, 's') }, 464.8], // Bazett over-corrects at high rates
  ])('%j → %s ms', (input, want) => {
    expect(qtcBazettCalculator.compute(input).value).toBeCloseTo(want, 1);
  });
  it('missing QT', () => {
    expect(qtcBazettCalculator.compute({ heartRate: q(70, '/min') }).missing.map((m) => m.name)).toEqual(['qt']);
  });
});
