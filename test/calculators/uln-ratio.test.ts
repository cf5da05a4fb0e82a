import { describe, expect, it } from 'vitest';
import { ulnRatioCalculator } from '../../src/calculators/uln-ratio.js';

const ratio = (value: string, uln: string, molarMass?: number) =>
  ulnRatioCalculator.compute({
    value: { value: value as never, date: '2026-11-20', source: 'measurements[5]' },
    uln: { value: uln as never, source: 'measurements[5].referenceRange.high' },
    ...(molarMass !== undefined ? { molarMass } : {}),
  });

const BILI = 584.66;

describe('uln-ratio', () => {
  it.each([
    ['126 U/L', '0.70 µkat/L', undefined, 3.0], // exactly 3.0 across unit systems
    ['2.1 µkat/L', '42 U/L', undefined, 3.0],
    ['126 IU/L', '42 U/L', undefined, 3.0],
    ['120 U/L', '40 U/L', undefined, 3.0],
    ['121 U/L', '40 U/L', undefined, 3.025],
    ['34.2 µmol/L', '1.0 mg/dL', BILI, 2.0], // bilirubin µmol/L vs mg/dL (1 mg/dL = 17.1 µmol/L)
    ['2.0 mg/dL', '17.1 µmol/L', BILI, 2.0],
    ['2.4 mg/dL', '1.2 mg/dL', undefined, 2.0],
    ['41 µmol/L', '20.5 µmol/L', undefined, 2.0],
    ['41.04 umol/L', '1.2 mg/dL', BILI, 2.0],
    ['0 U/L', '40 U/L', undefined, 0],
  ])('%s / %s → %s', (value, uln, mm, expected) => {
    const r = ratio(value, uln, mm);
    expect(r.missing).toEqual([]);
    expect(r.value).toBe(expected);
    expect(r.unit).toBe('{ratio}');
  });

  it('carries provenance', () => {
    const r = ratio('126 U/L', '0.70 µkat/L');
    expect(r.inputs).toEqual([
      { item: 'value', value: 126, unit: 'U/L', date: '2026-11-20', source: 'measurements[5]' },
      { item: 'uln', value: 0.7, unit: 'ukat/L', source: 'measurements[5].referenceRange.high' },
    ]);
    expect(r.details['valueInUlnUnit']).toBe(2.1);
  });

  it.each([
    ['34.2 µmol/L', '1.0 mg/dL', undefined, 'value', /molar mass/],
    ['126 U/L', '1.0 mg/dL', undefined, 'value', /incompatible/],
    ['126', '40 U/L', undefined, 'value', /unit/],
    ['126 U/L', '0 U/L', undefined, 'uln', /not positive/],
    ['126 U/L', 'high', undefined, 'uln', /not a quantity/],
  ])('%s / %s → missing %s', (value, uln, mm, name, desc) => {
    const r = ratio(value, uln, mm);
    expect(r.value).toBeUndefined();
    expect(r.missing[0]?.name).toBe(name);
    expect(r.missing[0]?.description).toMatch(desc);
  });

  it('reports both missing inputs, never throws', () => {
    expect(ulnRatioCalculator.compute({} as never).missing.map((m) => m.name)).toEqual(['value', 'uln']);
    expect(() => ulnRatioCalculator.compute(null as never)).not.toThrow();
  });
});
