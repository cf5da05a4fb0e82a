import { describe, expect, it } from 'vitest';
import { bedsideSchwartz, ckdEpi2021, egfrCalculator, type Sex } from '../../src/calculators/egfr.js';

const q = (value: number, unit: string) => ({ value: { value, unit } });

function egfr(age: number | undefined, sex: Sex | undefined, heightCm: number | undefined, scr: { value: number; unit: string } | undefined) {
  return egfrCalculator.compute({
    age: age === undefined ? undefined : { value: age, unit: 'a', source: 'birthDate' },
    sex: sex === undefined ? undefined : { value: sex, source: 'sex' },
    height: heightCm === undefined ? undefined : { ...q(heightCm, 'cm'), date: '2026-11-01', source: 'measurements[1]' },
    creatinine: scr === undefined ? undefined : { value: scr, date: '2026-11-20', source: 'measurements[0]' },
  });
}

describe('egfr: published worked examples', () => {
  it.each([
    // [label, age, sex, height cm, Scr, unit, expected (1 dp / 2 dp), equation]
    ['Schwartz 1.4 mg/dL, 90 cm (kidney.epi)', 10, 'male', 90, 1.4, 'mg/dL', 26.55, 'bedside-schwartz-2009'],
    ['CKD-EPI 2021 1.4 mg/dL, 60-y man (kidney.epi)', 60, 'male', undefined, 1.4, 'mg/dL', 57.54, 'ckd-epi-2021-creatinine'],
    ['µmol/L input: 123.76 µmol/L ≡ 1.4 mg/dL', 60, 'male', undefined, 123.76, 'µmol/L', 57.54, 'ckd-epi-2021-creatinine'],
    ['mmol/L input: 0.12376 mmol/L ≡ 1.4 mg/dL', 60, 'male', undefined, 0.12376, 'mmol/L', 57.54, 'ckd-epi-2021-creatinine'],
    ['Schwartz with µmol/L', 10, 'female', 90, 123.76, 'umol/L', 26.55, 'bedside-schwartz-2009'],
  ] as const)('%s', (_label, age, sex, h, scr, unit, expected, equation) => {
    const r = egfr(age, sex, h, { value: scr, unit });
    expect(r.value).toBeCloseTo(expected, 2);
    expect(r.unit).toBe('mL/min/{1.73_m2}');
    expect(r.details['equation']).toBe(equation);
    expect(r.missing).toEqual([]);
  });

  it.each([
    // the discontinuity at 18 (Schwartz 2009 below, CKD-EPI 2021 from 18)
    ['female 160 cm Scr 0.9 at 17 y', 17, 'female', 73.4],
    ['female 160 cm Scr 0.9 at 18 y', 18, 'female', 95.0],
  ] as const)('%s → %s', (_l, age, sex, expected) => {
    const r = egfr(age, sex, 160, { value: 0.9, unit: 'mg/dL' });
    expect(r.details['rounded']).toBe(expected);
  });

  it.each([
    ['male 175 cm Scr 1.0 at 17 y', 17, 72.3],
    ['male 175 cm Scr 1.0 at 18 y', 18, 111.9],
  ] as const)('%s → %s', (_l, age, expected) => {
    const r = egfr(age, 'male', 175, { value: 1.0, unit: 'mg/dL' });
    expect(r.details['rounded']).toBe(expected);
  });
});

describe('egfr: formula details', () => {
  it('uses κ = 0.9 for men with Scr ≤ 0.9 (not the MedCalc-Bench κ = 0.7 bug, §H.1)', () => {
    // At Scr = κ both terms are 1: 142 × 0.9938^40
    expect(ckdEpi2021(0.9, 40, 'male')).toBeCloseTo(142 * 0.9938 ** 40, 10);
    expect(ckdEpi2021(0.7, 40, 'female')).toBeCloseTo(142 * 0.9938 ** 40 * 1.012, 10);
    // the buggy κ = 0.7 would give (0.8/0.7)^-1.2 × …, i.e. a lower value; the correct one uses (0.8/0.9)^-0.302
    expect(ckdEpi2021(0.8, 40, 'male')).toBeCloseTo(142 * (0.8 / 0.9) ** -0.302 * 0.9938 ** 40, 10);
  });

  it('keeps full precision in value and a 1-decimal figure in details.rounded', () => {
    const r = egfr(10, undefined, 90, { value: 1.4, unit: 'mg/dL' });
    expect(r.value).toBe(bedsideSchwartz(90, 1.4));
    expect(r.details['rounded']).toBe(26.6);
  });

  it('converts inches for Schwartz', () => {
    const r = egfrCalculator.compute({ age: { value: 10 }, creatinine: q(1.4, 'mg/dL'), height: q(90 / 2.54, 'in') });
    expect(r.value).toBeCloseTo(26.55, 2);
    expect(r.inputs.find((e) => e.item === 'height')).toMatchObject({ unit: '[in_i]' });
  });

  it('carries provenance into inputs', () => {
    const r = egfr(10, 'female', 90, { value: 1.4, unit: 'mg/dL' });
    expect(r.inputs).toEqual(expect.arrayContaining([
      { item: 'creatinine', value: 1.4, unit: 'mg/dL', date: '2026-11-20', source: 'measurements[0]' },
      { item: 'height', value: 90, unit: 'cm', date: '2026-11-01', source: 'measurements[1]' },
      { item: 'age', value: 10, unit: 'a', source: 'birthDate' },
    ]));
  });

  it('accepts age in months', () => {
    const r = egfrCalculator.compute({ age: { value: 216, unit: 'mo' }, sex: { value: 'female' }, creatinine: q(0.9, 'mg/dL') });
    expect(r.details['rounded']).toBe(95.0);
  });

  it('compares a recorded eGFR without preferring it', () => {
    const r = egfrCalculator.compute({
      age: { value: 60 }, sex: { value: 'male' }, creatinine: q(1.4, 'mg/dL'),
      recorded: { value: { value: 55, unit: 'mL/min/1.73m2' }, source: 'measurements[4]' },
    });
    expect(r.value).toBeCloseTo(57.54, 2);
    expect(r.details['recorded']).toBe(55);
    expect(r.details['difference']).toBe(-2.5);
  });

  it('does not treat an mL/min clearance as a recorded eGFR', () => {
    const r = egfrCalculator.compute({ age: { value: 60 }, sex: { value: 'male' }, creatinine: q(1.4, 'mg/dL'), recorded: q(55, 'mL/min') });
    expect(r.details['recorded']).toBeUndefined();
    expect(r.warnings?.[0]).toMatch(/body surface area/);
  });
});

describe('egfr: missing and invalid inputs', () => {
  it.each([
    ['child without height', 10, 'male', undefined, { value: 1, unit: 'mg/dL' }, ['height']],
    ['adult without sex', 40, undefined, undefined, { value: 1, unit: 'mg/dL' }, ['sex']],
    ['no creatinine', 40, 'male', undefined, undefined, ['creatinine']],
    ['no age', undefined, 'male', undefined, { value: 1, unit: 'mg/dL' }, ['age', 'height']],
    ['creatinine without molar-compatible unit', 40, 'male', undefined, { value: 1, unit: 'U/L' }, ['creatinine']],
    ['creatinine without unit', 40, 'male', undefined, { value: 1, unit: '' }, ['creatinine']],
    ['zero creatinine', 40, 'male', undefined, { value: 0, unit: 'mg/dL' }, ['creatinine']],
    ['negative age', -1, 'male', 100, { value: 1, unit: 'mg/dL' }, ['age']],
  ] as const)('%s', (_l, age, sex, h, scr, names) => {
    const r = egfr(age, sex, h, scr);
    expect(r.value).toBeUndefined();
    expect(r.missing.map((m) => m.name)).toEqual(names);
    for (const m of r.missing) expect(m.description.length).toBeGreaterThan(5);
  });

  it('Schwartz does not need sex', () => {
    expect(egfr(10, undefined, 90, { value: 1.4, unit: 'mg/dL' }).value).toBeCloseTo(26.55, 2);
  });

  it('rejects an unknown sex value', () => {
    const r = egfrCalculator.compute({ age: { value: 40 }, sex: { value: 'x' as Sex }, creatinine: q(1, 'mg/dL') });
    expect(r.missing[0]?.description).toMatch(/not female or male/);
  });

  it('never throws', () => {
    expect(() => egfrCalculator.compute(undefined as never)).not.toThrow();
    expect(() => egfrCalculator.compute({ age: 'x', creatinine: 7 } as never)).not.toThrow();
  });
});
