import { describe, expect, it } from 'vitest';
import { bmiCalculator } from '../../src/calculators/bmi.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('bmi (Keys 1972): weight / height²', () => {
  it.each([
    // CDC "Adult BMI" worked example: 68 kg, 165 cm → 68 / 1.65² = 24.98
    [q(68, 'kg'), q(165, 'cm'), 24.98],
    [q(150, '[lb_av]'), q(65, '[in_i]'), 24.96], // 150 lb, 5 ft 5 in (CDC: 703 × 150 / 65² = 24.96)
    [q(70, 'kg'), q(1.75, 'm'), 22.86],
  ])('%j, %j → %s kg/m²', (weight, height, want) => {
    const r = bmiCalculator.compute({ weight, height });
    expect(r.value).toBeCloseTo(want, 2);
    expect(r.unit).toBe('kg/m2');
    expect(r.inputs.map((i) => i.item)).toEqual(['weight', 'height']);
  });
  it('a missing or unitless input is named, with no value', () => {
    const r = bmiCalculator.compute({ weight: q(70, 'kg') });
    expect(r.value).toBeUndefined();
    expect(r.missing.map((m) => m.name)).toEqual(['height']);
    expect(bmiCalculator.compute({ weight: { value: 70 } as never, height: q(170, 'cm') }).missing[0]!.name).toBe('weight');
  });
});
