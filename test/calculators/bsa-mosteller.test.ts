import { describe, expect, it } from 'vitest';
import { bsaMostellerCalculator } from '../../src/calculators/bsa-mosteller.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('bsa-mosteller (Mosteller 1987): √(cm × kg / 3600)', () => {
  it.each([
    [180, 80, 2.0], // √(14400/3600) = 2
    [170, 70, 1.818], // √(11900/3600)
    [100, 16, 0.667], // child: √(1600/3600)
  ])('%s cm, %s kg → %s m²', (h, w, want) => {
    const r = bsaMostellerCalculator.compute({ height: q(h, 'cm'), weight: q(w, 'kg') });
    expect(r.value).toBeCloseTo(want, 3);
  });
  it('height in m is converted; missing weight is named', () => {
    expect(bsaMostellerCalculator.compute({ height: q(1.8, 'm'), weight: q(80, 'kg') }).value).toBeCloseTo(2, 6);
    expect(bsaMostellerCalculator.compute({ height: q(180, 'cm') }).missing.map((m) => m.name)).toEqual(['weight']);
  });
});
