import { describe, expect, it } from 'vitest';
import { correctedCalciumCalculator } from '../../src/calculators/corrected-calcium.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('corrected-calcium (Payne 1973): Ca + 0.02 × (40 − albumin g/L)', () => {
  it.each([
    [q(2.1, 'mmol/L'), q(30, 'g/L'), 2.3], // low albumin raises the corrected value
    [q(2.4, 'mmol/L'), q(40, 'g/L'), 2.4], // albumin 40 g/L: no correction
    [q(2.5, 'mmol/L'), q(45, 'g/L'), 2.4],
    [q(8.0, 'mg/dL'), q(2.0, 'g/dL'), 2.396], // 8.0 mg/dL = 1.996 mmol/L; + 0.02 × (40 − 20 g/L) = 2.396
  ])('%j with albumin %j → %s mmol/L', (calcium, albumin, want) => {
    const r = correctedCalciumCalculator.compute({ calcium, albumin });
    expect(r.details['mmolPerL']).toBeCloseTo(want, 2);
    expect(r.unit).toBe('mg/dL');
    expect(r.value).toBeCloseTo(want * 4.0078, 2);
  });
  it('missing albumin', () => {
    expect(correctedCalciumCalculator.compute({ calcium: q(2.1, 'mmol/L') }).missing.map((m) => m.name)).toEqual(['albumin']);
  });
});
