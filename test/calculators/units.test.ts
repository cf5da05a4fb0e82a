import { describe, expect, it, vi } from 'vitest';
import { commensurable, convert, normaliseUnit, parseQuantity, roundRatio, roundTo, ucumLoaded } from '../../src/calculators/units.js';

// Must stay the first test of this file: the module state is fresh per test file.
describe('lazy loading', () => {
  it('does not load ucum-lhc for normalisation, parsing or identical units', () => {
    normaliseUnit('µmol/L');
    parseQuantity('0.8 mg/dL');
    expect(convert({ value: 1.4, unit: 'mg/dl' }, 'mg/dL')).toEqual({ ok: true, value: 1.4, unit: 'mg/dL' });
    expect(ucumLoaded()).toBe(false);
    convert({ value: 1, unit: 'g' }, 'mg');
    expect(ucumLoaded()).toBe(true);
  });
});

describe('normaliseUnit', () => {
  it.each([
    ['umol/L', 'umol/L'], ['µmol/L', 'umol/L'], ['μmol/L', 'umol/L'], ['umol/l', 'umol/L'], ['µmol / L', 'umol/L'],
    ['mmol/l', 'mmol/L'],
    ['mL/min/1.73m2', 'mL/min/{1.73_m2}'], ['ml/min/1.73 m²', 'mL/min/{1.73_m2}'], ['mL/min/{1.73_m2}', 'mL/min/{1.73_m2}'],
    ['mL/min/1.73m^2', 'mL/min/{1.73_m2}'], ['ml/min', 'mL/min'],
    ['IU/L', 'U/L'], ['U/L', 'U/L'], ['u/l', 'U/L'], ['iu/l', 'U/L'],
    ['µkat/L', 'ukat/L'], ['μkat/L', 'ukat/L'],
    ['%', '%'], ['mg/dl', 'mg/dL'], ['mg/dL', 'mg/dL'],
    ['kg', 'kg'], ['lb', '[lb_av]'], ['lbs', '[lb_av]'], ['in', '[in_i]'], ['cm', 'cm'], ['m', 'm'],
    ['mg/kg/d', 'mg/kg/d'], ['mg/kg/day', 'mg/kg/d'], ['mg/day', 'mg/d'],
    ['years', 'a'], ['yr', 'a'], ['y', 'a'], ['months', 'mo'], ['mo', 'mo'], ['days', 'd'],
    ['x10^9/L', '10*9/L'], ['10^9/L', '10*9/L'], ['10*9/L', '10*9/L'], ['×10^9/L', '10*9/L'],
    ['mcg', 'ug'], ['µg', 'ug'], ['mmHg', 'mm[Hg]'],
  ])('%s → %s', (spelling, ucum) => {
    expect(normaliseUnit(spelling)).toBe(ucum);
  });

  it('passes unknown spellings through unchanged (micro sign written u)', () => {
    expect(normaliseUnit('furlongs/fortnight')).toBe('furlongs/fortnight');
    expect(normaliseUnit('µg/mL')).toBe('ug/mL');
  });
});

describe('convert', () => {
  const CREAT = 113.12;
  const BILI = 584.66;
  it.each([
    // [value, from, to, molarMass, expected]
    [1, 'mg/dL', 'umol/L', CREAT, 88.4], // conventional factor
    [123.76, 'µmol/L', 'mg/dL', CREAT, 1.4],
    [0.12376, 'mmol/L', 'mg/dL', CREAT, 1.4],
    [1, 'mg/dL', 'µmol/L', BILI, 17.1], // conventional factor
    [34.2, 'µmol/L', 'mg/dL', BILI, 2.0],
    [1, 'µkat/L', 'U/L', undefined, 60],
    [126, 'IU/L', 'ukat/L', undefined, 2.1],
    [70, 'in', 'cm', undefined, 177.8],
    [154, 'lb', 'kg', undefined, 69.85322498],
    [750, 'µg', 'mg', undefined, 0.75],
    [1, 'g', 'mg', undefined, 1000],
    [50, '%', '1', undefined, 0.5],
    [18, 'months', 'years', undefined, 1.5],
    [5, '10^9/L', '10*3/uL', undefined, 5],
  ])('%s %s → %s', (value, from, to, molarMass, expected) => {
    const r = convert({ value, unit: from }, to, molarMass !== undefined ? { molarMass } : {});
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toBeCloseTo(expected, 9);
      expect(r.unit).toBe(normaliseUnit(to));
    }
  });

  it('uses the exact molar mass on request (bilirubin 17.104)', () => {
    const r = convert({ value: 1, unit: 'mg/dL' }, 'umol/L', { molarMass: BILI, exactMolarMass: true });
    expect(r.ok && r.value).toBeCloseTo(17.104, 3);
  });

  it('short-circuits identical units, after normalisation', () => {
    expect(convert({ value: 3.3, unit: 'IU/L' }, 'U/L')).toEqual({ ok: true, value: 3.3, unit: 'U/L' });
  });

  it.each([
    ['kg', 'cm', {}, /incompatible/],
    ['mg/dL', 'umol/L', {}, /molar mass/],
    ['mL/min', 'mL/min/{1.73_m2}', {}, /body surface area/],
    ['mL/min/1.73m2', 'mL/min', {}, /body surface area/],
    ['U/L', 'mg/dL', {}, /incompatible/],
    ['furlongs', 'kg', {}, /unknown unit/],
    ['{score}', '{ratio}', {}, /annotations/],
    ['mg', 'mg/d', {}, /incompatible/],
  ])('%s → %s is refused', (from, to, opts, reason) => {
    const r = convert({ value: 1, unit: from }, to, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('converts mL/min to mL/min/{1.73_m2} only when the caller opts in', () => {
    expect(convert({ value: 40, unit: 'mL/min' }, 'mL/min/{1.73_m2}', { allowUnnormalisedEgfr: true })).toEqual({ ok: true, value: 40, unit: 'mL/min/{1.73_m2}' });
  });

  it('refuses a non-finite value', () => {
    expect(convert({ value: Number.NaN, unit: 'kg' }, 'g').ok).toBe(false);
  });

  it('handles offset units (temperature)', () => {
    const r = convert({ value: 37, unit: '°C' }, '[degF]');
    expect(r.ok && r.value).toBeCloseTo(98.6, 6);
  });

  it('gives the same answer from the cache', () => {
    const a = convert({ value: 2, unit: 'mg/dL' }, 'umol/L', { molarMass: CREAT });
    const b = convert({ value: 2, unit: 'mg/dL' }, 'umol/L', { molarMass: CREAT });
    expect(a).toEqual(b);
    expect(a.ok && a.value).toBeCloseTo(176.8, 9);
  });
});

describe('commensurable', () => {
  it.each([
    ['mg/dL', 'umol/L', { molarMass: 113.12 }, true],
    ['mg/dL', 'umol/L', {}, false],
    ['U/L', 'ukat/L', {}, true],
    ['mL/min', 'mL/min/{1.73_m2}', {}, false],
    ['kg', 'lb', {}, true],
    ['kg', 'cm', {}, false],
    ['{ratio}', '1', {}, true],
    ['%', '%', {}, true],
    ['furlongs', 'kg', {}, undefined],
  ])('%s ~ %s', (a, b, opts, expected) => {
    expect(commensurable(a, b, opts)).toBe(expected);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['0.8 mg/dL', { value: 0.8, unit: 'mg/dL' }],
    ['0.8mg/dl', { value: 0.8, unit: 'mg/dL' }],
    ['30 mL/min/{1.73_m2}', { value: 30, unit: 'mL/min/{1.73_m2}' }],
    ['123.76 µmol/L', { value: 123.76, unit: 'umol/L' }],
    ['.5 mg', { value: 0.5, unit: 'mg' }],
    ['1e3 ug', { value: 1000, unit: 'ug' }],
    [{ value: 32, unit: 'kg' }, { value: 32, unit: 'kg' }],
    [{ value: '32', unit: 'lbs' }, { value: 32, unit: '[lb_av]' }],
    [7, { value: 7, unit: '1' }],
    ['7', { value: 7, unit: '1' }],
  ])('%j', (input, expected) => {
    expect(parseQuantity(input)).toEqual(expected);
  });

  it.each([['<0.5 mg/dL'], ['1,4 mg/dL'], ['abc'], [''], [Number.NaN], [{ value: 'x', unit: 'kg' }], [null], [{ unit: 'kg' }]])('%j is not a quantity', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });
});

describe('roundRatio', () => {
  it.each([
    [(126 / 60) / 0.7, 3], // the float trap: 3.0000000000000004 unrounded
    [2.0000004, 2],
    [2.0000005, 2.000001],
    [1 / 3, 0.333333],
    [-0.0000001, 0],
  ])('%s → %s', (x, r) => {
    expect(roundRatio(x)).toBe(r);
  });
  it('roundTo rounds to the given decimals', () => {
    expect(roundTo(26.5500001, 2)).toBe(26.55);
    expect(roundTo(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('units: nothing reaches the console', () => {
  it.each(['-5 kg', 'mg /dL', ' ', '3 x ULN', 'a b'])('an invalid unit with white space (%j) is refused without ucum-lhc logging', (unit) => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(convert({ value: 1, unit }, 'mg').ok).toBe(false);
      expect(commensurable(unit, 'kg')).not.toBe(true);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
