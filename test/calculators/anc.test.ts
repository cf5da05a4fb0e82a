import { describe, expect, it } from 'vitest';
import { ancCalculator } from '../../src/calculators/anc.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('anc: WBC × (neutrophils % + bands %) / 100', () => {
  it.each([
    [q(5.0, '10*9/L'), q(60, '%'), undefined, 3.0],
    [q(5.0, '10*9/L'), q(60, '%'), q(5, '%'), 3.25], // bands counted when reported
    [q(2800, '/uL'), q(50, '%'), undefined, 1.4], // 2800/µL = 2.8 × 10⁹/L
    [q(4.0, '10*3/uL'), q(0, '%'), undefined, 0], // no neutrophils: 0, not missing
  ])('%j × %j (+ %j) → %s × 10⁹/L', (wbc, neutrophils, bands, want) => {
    const r = ancCalculator.compute({ wbc, neutrophils, ...(bands ? { bands } : {}) });
    expect(r.value).toBeCloseTo(want, 6);
  });
  it('a neutrophil count given as a fraction unit it cannot read is missing, named', () => {
    const r = ancCalculator.compute({ wbc: q(5, '10*9/L'), neutrophils: q(3, 'mg') });
    expect(r.value).toBeUndefined();
    expect(r.missing[0]!.name).toBe('neutrophils');
  });
});
