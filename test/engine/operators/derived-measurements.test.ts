import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';

const m = (code: string, value: number, unit: string | undefined, date: string) => ({ code, value, ...(unit ? { unit } : {}), date });
const LB = 'defaults: { lookback: 90 d }\n';

describe('measurements derived by their calculator when not recorded', () => {
  it.each([
    // BMI from weight and height (68 kg, 165 cm → 24.98)
    ['{ measurement: bmi, max: "25 kg/m2" }', [m('weight', 68, 'kg', '2026-11-20'), m('height', 165, 'cm', '2026-06-01')], 'pass'],
    ['{ measurement: bmi, max: "24.9 kg/m2" }', [m('weight', 68, 'kg', '2026-11-20'), m('height', 165, 'cm', '2026-06-01')], 'fail'],
    ['{ measurement: bmi, max: "25 kg/m2" }', [m('weight', 68, 'kg', '2026-11-20'), m('height', 165, 'cm', '2024-01-01')], 'unknown'], // height over a year apart
    // BSA (Mosteller) 180 cm, 80 kg → 2.0 m²
    ['{ measurement: bsa, min: "2 m2" }', [m('weight', 80, 'kg', '2026-11-20'), m('height', 180, 'cm', '2026-11-20')], 'pass'],
    // ANC from WBC × neutrophil % of the same day
    ['{ measurement: anc, min: "1.5 10*9/L" }', [m('wbc', 3.0, '10*9/L', '2026-11-20'), m('neutrophils-percent', 50, '%', '2026-11-20')], 'pass'],
    ['{ measurement: anc, min: "1.5 10*9/L" }', [m('wbc', 3.0, '10*9/L', '2026-11-20'), m('neutrophils-percent', 49, '%', '2026-11-20')], 'fail'],
    ['{ measurement: anc, min: "1.5 10*9/L" }', [m('wbc', 3.0, '10*9/L', '2026-11-20'), m('neutrophils-percent', 50, '%', '2026-11-19')], 'unknown'], // another sample
    // corrected calcium: 2.1 mmol/L with albumin 30 g/L → 2.3 mmol/L = 9.22 mg/dL
    ['{ measurement: corrected-calcium, max: "2.5 mmol/L" }', [m('calcium', 2.1, 'mmol/L', '2026-11-20'), m('albumin', 30, 'g/L', '2026-11-20')], 'pass'],
    ['{ measurement: corrected-calcium, max: "2.25 mmol/L" }', [m('calcium', 2.1, 'mmol/L', '2026-11-20'), m('albumin', 30, 'g/L', '2026-11-20')], 'fail'],
    // QTcF from QT and heart rate of the same ECG: 400 ms at 75/min → 430.9 ms
    ['{ measurement: qtcf, max: "450 ms" }', [m('qt', 400, 'ms', '2026-11-20'), m('heart-rate', 75, '/min', '2026-11-20')], 'pass'],
    ['{ measurement: qtcb, max: "440 ms" }', [m('qt', 400, 'ms', '2026-11-20'), m('heart-rate', 75, '/min', '2026-11-20')], 'fail'], // Bazett 447.2
    // UPCR from spot protein and creatinine
    ['{ measurement: upcr, max: "500 mg/g" }', [m('urine-protein', 50, 'mg/dL', '2026-11-20'), m('urine-creatinine', 100, 'mg/dL', '2026-11-20')], 'pass'],
    ['{ measurement: upcr, max: "499 mg/g" }', [m('urine-protein', 50, 'mg/dL', '2026-11-20'), m('urine-creatinine', 100, 'mg/dL', '2026-11-20')], 'fail'],
  ])('%s %j → %s', (rule, measurements, want) => {
    expect(statusOf(oneRule(rule, LB), { birthDate: '1966-11-01', sex: 'male', measurements })).toBe(want);
  });

  it('Cockcroft–Gault creatinine clearance uses age and sex of the record (60 y man, 72 kg, 1.0 mg/dL → 80 mL/min)', () => {
    const c = oneRule('{ measurement: crcl, min: "80 mL/min" }', LB);
    const rec = (sex: string) => ({ birthDate: '1966-11-01', sex, measurements: [m('creatinine', 1.0, 'mg/dL', '2026-11-20'), m('weight', 72, 'kg', '2026-11-01')] });
    expect(statusOf(c, rec('male'))).toBe('pass');
    expect(statusOf(c, rec('female'))).toBe('fail'); // 68
    const r = check(c, { birthDate: '1966-11-01', measurements: rec('male').measurements }).criteria[0]!;
    expect(r.status).toBe('unknown');
    expect(r.missing!.map((x) => x.item)).toContain('sex');
  });

  it('the reason shows the derivation and its inputs with their sources', () => {
    const r = check(oneRule('{ measurement: bmi, max: "25 kg/m2" }', LB), { measurements: [m('weight', 68, 'kg', '2026-11-20'), m('height', 165, 'cm', '2026-06-01')] }).criteria[0]!;
    expect(r.reasons[0]!.derivation).toMatchObject({ calculator: 'bmi', inputs: [{ item: 'weight', value: 68, source: 'measurements[0]' }, { item: 'height', value: 165, source: 'measurements[1]' }] });
    expect(r.reasons[0]!.text).toContain('body mass index 24.98 kg/m2 ≤ 25 kg/m2');
  });

  it('a recorded value is used as recorded', () => {
    expect(statusOf(oneRule('{ measurement: bmi, max: "25 kg/m2" }', LB), { measurements: [m('bmi', 26, 'kg/m2', '2026-11-20'), m('weight', 68, 'kg', '2026-11-20'), m('height', 165, 'cm', '2026-11-20')] })).toBe('fail');
  });

  it('missing inputs are named', () => {
    const r = check(oneRule('{ measurement: anc, min: "1.5 10*9/L" }', LB), { measurements: [m('wbc', 3.0, '10*9/L', '2026-11-20')] }).criteria[0]!;
    expect(r.status).toBe('unknown');
    expect(r.missing!.map((x) => x.item)).toEqual(expect.arrayContaining(['measurement:anc', 'measurement:neutrophils-percent']));
  });
});

describe('performance status: ECOG ↔ Karnofsky (Oken 1982 table) when the asked-for scale is not recorded', () => {
  const ecog01 = oneRule('{ measurement: ecog, max: 1 }', LB);
  it.each([
    [m('karnofsky', 70, undefined, '2026-11-20'), 'pass'], // ECOG 1
    [m('karnofsky', 60, undefined, '2026-11-20'), 'fail'], // ECOG 2
    [m('karnofsky', 65, undefined, '2026-11-20'), 'unknown'], // between steps: ECOG 1–2
    [m('lansky', 80, undefined, '2026-11-20'), 'pass'],
    [m('ecog', 2, undefined, '2026-11-20'), 'fail'], // recorded ECOG used as it is
  ])('ECOG ≤ 1 with %j → %s', (rec, want) => {
    expect(statusOf(ecog01, { measurements: [rec] })).toBe(want);
  });
  it.each([
    [1, '{ measurement: karnofsky, min: 70 }', 'pass'], // ECOG 1 is Karnofsky 70–80
    [1, '{ measurement: karnofsky, min: 80 }', 'unknown'],
    [2, '{ measurement: karnofsky, min: 70 }', 'fail'],
  ])('ECOG %s against %s → %s', (e, rule, want) => {
    expect(statusOf(oneRule(rule, LB), { measurements: [m('ecog', e, undefined, '2026-11-20')] })).toBe(want);
  });
});
