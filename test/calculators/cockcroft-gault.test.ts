import { describe, expect, it } from 'vitest';
import { cockcroftGaultCalculator } from '../../src/calculators/cockcroft-gault.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });
const n = <T,>(value: T) => ({ value });

describe('cockcroft-gault (Cockcroft & Gault 1976): (140 − age) × kg / (72 × Scr) × 0.85 ♀', () => {
  it.each([
    [60, 'male', 72, q(1.0, 'mg/dL'), 80],
    [60, 'female', 72, q(1.0, 'mg/dL'), 68],
    [40, 'male', 80, q(88.4, 'umol/L'), 111.1], // 88.4 µmol/L = 1.0 mg/dL
    [80, 'female', 50, q(1.2, 'mg/dL'), 29.5],
  ])('%s y %s %s kg creatinine %j → %s mL/min', (age, sex, kg, creatinine, want) => {
    const r = cockcroftGaultCalculator.compute({ age: n(age), sex: n(sex), weight: q(kg, 'kg'), creatinine });
    expect(r.value).toBeCloseTo(want, 0);
    expect(r.unit).toBe('mL/min');
  });
  it('each missing input is named', () => {
    const r = cockcroftGaultCalculator.compute({ age: n(60), sex: n('x'), creatinine: q(1, 'mg/dL') });
    expect(r.value).toBeUndefined();
    expect(r.missing.map((m) => m.name)).toEqual(['sex', 'weight']);
  });
});
