import { describe, expect, it } from 'vitest';
import { bilag2004Calculator } from '../../src/calculators/bilag-2004.js';

describe('bilag-2004 (Isenberg 2005; numerical scoring Yee 2010: A=12, B=8, C=1, D=E=0)', () => {
  it.each([
    [{ renal: 'A', mucocutaneous: 'B' }, true, 20, { A: 1, B: 1 }],
    [{ renal: 'C', musculoskeletal: 'grade b', haematological: 'C' }, true, 10, { B: 1, C: 2 }],
    [{}, true, 0, {}],
  ])('%j (complete) → %s', (grades, complete, want, counts) => {
    const r = bilag2004Calculator.compute({ grades, complete });
    expect(r.value).toBe(want);
    expect(r.details['counts']).toMatchObject(counts);
  });
  it('unrecorded systems bound the total and are named', () => {
    const r = bilag2004Calculator.compute({ grades: { renal: 'B' } });
    expect([r.lower, r.upper]).toEqual([8, 8 + 8 * 12]);
    expect(r.missing.map((m) => m.name)).toHaveLength(8);
  });
  it('an unknown system or grade is a warning, not counted', () => {
    const r = bilag2004Calculator.compute({ grades: { kidney: 'A', renal: 'F' }, complete: true });
    expect(r.value).toBe(0);
    expect(r.warnings).toHaveLength(2);
  });
});
