import { describe, expect, it } from 'vitest';
import { upcrCalculator } from '../../src/calculators/upcr.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

describe('upcr (Ginsberg 1983): spot urine protein / creatinine', () => {
  it.each([
    [q(50, 'mg/dL'), q(100, 'mg/dL'), 500], // 0.5 mg/mg = 500 mg/g
    [q(0.5, 'g/L'), q(100, 'mg/dL'), 500],
    [q(30, 'mg/dL'), q(8.84, 'mmol/L'), 300], // 8.84 mmol/L ≈ 100 mg/dL
    [q(0, 'mg/dL'), q(100, 'mg/dL'), 0],
  ])('%j / %j → %s mg/g', (protein, creatinine, want) => {
    expect(upcrCalculator.compute({ protein, creatinine }).value).toBeCloseTo(want, 0);
  });
  it('zero creatinine is not a value', () => {
    const r = upcrCalculator.compute({ protein: q(30, 'mg/dL'), creatinine: q(0, 'mg/dL') });
    expect(r.value).toBeUndefined();
    expect(r.missing[0]!.name).toBe('creatinine');
  });
});
