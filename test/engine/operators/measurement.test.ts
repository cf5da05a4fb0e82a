import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';

const m = (code: string, value: unknown, unit: string | undefined, date: string, extra: object = {}) => ({ code, value, ...(unit ? { unit } : {}), date, ...extra });

describe('measurement: threshold with units, newest value inside the window', () => {
  const c = oneRule('{ measurement: egfr, min: "30 mL/min/{1.73_m2}", within: 28 d }');
  it.each([
    [[m('egfr', 30, 'mL/min/{1.73_m2}', '2026-11-20')], 'pass'], // boundary ≥
    [[m('egfr', 29.9, 'mL/min/1.73m2', '2026-11-20')], 'fail'], // export spelling
    [[m('loinc:33914-3', 45, 'mL/min/{1.73_m2}', '2026-11-20')], 'pass'], // coded form
    [[m('egfr', 45, 'mL/min/{1.73_m2}', '2026-10-01')], 'unknown'], // stale
    [[m('egfr', 45, 'mL/min/{1.73_m2}', '2026-11-20'), m('egfr', 20, 'mL/min/{1.73_m2}', '2026-11-24')], 'fail'], // newest wins
    [[m('egfr', 20, 'mL/min/{1.73_m2}', '2026-11-20'), m('egfr', 45, 'mL/min/{1.73_m2}', '2026-11-30')], 'fail'], // after asOf ignored
    [[m('egfr', 45, 'mL/min', '2026-11-20')], 'unknown'], // not normalised to 1.73 m²: never silently compared
    [[m('egfr', 'high', undefined, '2026-11-20')], 'unknown'], // unparseable
    [[], 'unknown'],
  ])('%j → %s', (measurements, want) => {
    expect(statusOf(c, { measurements })).toBe(want);
  });

  it('a stale value names its date and the window in the reason; missing names the data', () => {
    const r = check(c, { measurements: [m('egfr', 45, 'mL/min/{1.73_m2}', '2026-10-01')] }).criteria[0]!;
    expect(r.reasons.map((x) => x.code)).toContain('stale');
    expect(r.reasons.find((x) => x.code === 'stale')!.observed).toMatchObject({ value: 45, date: '2026-10-01', source: 'measurements[0]' });
    expect(r.missing![0]!.item).toBe('measurement:egfr');
  });

  it('every passing reason carries observed value, unit, date, source and threshold', () => {
    const r = check(c, { measurements: [m('egfr', 45, 'mL/min/{1.73_m2}', '2026-11-20')] }).criteria[0]!;
    expect(r.reasons[0]).toMatchObject({
      code: 'compare', status: 'pass',
      observed: { value: 45, unit: 'mL/min/{1.73_m2}', date: '2026-11-20', source: 'measurements[0]' },
      threshold: { op: '>=', value: 30, unit: 'mL/min/{1.73_m2}' },
    });
  });

  it('converts units: creatinine µmol/L against a mg/dL threshold', () => {
    const cr = oneRule('{ measurement: creatinine, max: 1.5 mg/dL }');
    expect(statusOf(cr, { measurements: [m('creatinine', 123.76, 'µmol/L', '2026-11-20')] })).toBe('pass'); // 1.4 mg/dL
    expect(statusOf(cr, { measurements: [m('creatinine', 140, 'umol/L', '2026-11-20')] })).toBe('fail'); // 1.58 mg/dL
  });
});

describe('measurement: eGFR derived from creatinine when not recorded', () => {
  const c = oneRule('{ measurement: egfr, min: "30 mL/min/{1.73_m2}" }', 'defaults: { lookback: 28 d }\n');
  it('child: bedside Schwartz from creatinine and height', () => {
    // 0.413 × 120 / 2.02 = 24.5 → fail
    const r = check(c, { birthDate: '2016-01-01', sex: 'male', measurements: [m('creatinine', 2.02, 'mg/dL', '2026-11-02'), m('height', 120, 'cm', '2026-09-01')] }).criteria[0]!;
    expect(r.status).toBe('fail');
    expect(r.reasons[0]!.derivation?.method).toMatch(/Schwartz/);
    expect(r.reasons[0]!.observed?.value).toBeCloseTo(24.53, 1);
  });
  it('child without height: unknown, needs height', () => {
    const r = check(c, { birthDate: '2016-01-01', sex: 'male', measurements: [m('creatinine', 0.5, 'mg/dL', '2026-11-02')] }).criteria[0]!;
    expect(r.status).toBe('unknown');
    expect(r.missing!.map((x) => x.item)).toContain('measurement:height');
  });
  it('adult: CKD-EPI 2021 (1.4 mg/dL, 60-year-old man → 57.5)', () => {
    const r = check(c, { birthDate: '1966-11-01', sex: 'male', measurements: [m('creatinine', 1.4, 'mg/dL', '2026-11-02')] }).criteria[0]!;
    expect(r.status).toBe('pass');
    expect(r.reasons[0]!.observed?.value).toBeCloseTo(57.54, 1);
  });
  it('a child\'s adult-equation eGFR is recomputed with Schwartz, and the reason says so', () => {
    const r = check(c, {
      birthDate: '2016-01-01', sex: 'female',
      measurements: [m('loinc:62238-1', 90, 'mL/min/{1.73_m2}', '2026-11-02'), m('creatinine', 2.02, 'mg/dL', '2026-11-02'), m('height', 120, 'cm', '2026-11-02')],
    }).criteria[0]!;
    expect(r.status).toBe('fail');
    expect(r.reasons.map((x) => x.code)).toContain('recorded-vs-derived');
  });
  it('an adult\'s recorded eGFR is used as recorded (criteria prefer recorded)', () => {
    const r = check(c, { birthDate: '1980-01-01', sex: 'female', measurements: [m('egfr', 25, 'mL/min/{1.73_m2}', '2026-11-02'), m('creatinine', 0.7, 'mg/dL', '2026-11-02')] }).criteria[0]!;
    expect(r.status).toBe('fail');
  });
  it.each([
    [25, 0.7, 'fail', true], // recorded fails, creatinine (≈ 100) passes: the recorded value decides, and the reason says so
    [84, 3.24, 'pass', true], // recorded passes, creatinine (≈ 17.6) fails
    [84, 0.7, 'pass', false], // both pass: no note
  ])('recorded eGFR %s vs creatinine %s → %s; recorded-vs-derived note: %s', (egfr, creat, want, note) => {
    const r = check(c, { birthDate: '1980-01-01', sex: 'female', measurements: [m('egfr', egfr, 'mL/min/{1.73_m2}', '2026-11-02'), m('creatinine', creat, 'mg/dL', '2026-11-02')] }).criteria[0]!;
    expect(r.status).toBe(want);
    expect(r.reasons[0]!.observed?.source).toBe('measurements[0]');
    expect(r.reasons.some((x) => x.code === 'recorded-vs-derived')).toBe(note);
  });
});

describe('measurement: multiples of the upper limit of normal', () => {
  const c = oneRule('{ measurement: ast, max: 3 x ULN }');
  it.each([
    [m('ast', 120, 'U/L', '2026-11-20', { referenceRange: { high: 40 } }), 'pass'], // exactly 3.0
    [m('ast', 121, 'U/L', '2026-11-20', { referenceRange: { high: 40 } }), 'fail'],
    [m('ast', 126, 'U/L', '2026-11-20', { referenceRange: { high: '0.70 ukat/L' } }), 'pass'], // 3.0 across units (float trap §E.4)
    [m('ast', 62, 'IU/L', '2026-11-20'), 'unknown'], // no ULN, no fallback
  ])('%j → %s', (meas, want) => {
    expect(statusOf(c, { measurements: [meas] })).toBe(want);
  });

  it('fallback ULN range: pass if both pass, fail if both fail, else unknown', () => {
    const f = oneRule('{ measurement: ast, max: 3 x ULN }', 'defaults: { uln: { ast: [30 U/L, 50 U/L] } }\n');
    expect(statusOf(f, { measurements: [m('ast', 85, 'U/L', '2026-11-20')] })).toBe('pass'); // 2.83 / 1.7
    expect(statusOf(f, { measurements: [m('ast', 160, 'U/L', '2026-11-20')] })).toBe('fail'); // 5.3 / 3.2
    expect(statusOf(f, { measurements: [m('ast', 120, 'U/L', '2026-11-20')] })).toBe('unknown'); // 4.0 / 2.4
    // a ULN on the record wins over the fallback
    expect(statusOf(f, { measurements: [m('ast', 120, 'U/L', '2026-11-20', { referenceRange: { high: 50 } })] })).toBe('pass');
  });

  it('bilirubin µmol/L value against a mg/dL ULN', () => {
    const b = oneRule('{ measurement: bilirubin-total, max: 2 x ULN }');
    expect(statusOf(b, { measurements: [m('bilirubin-total', 34.2, 'umol/L', '2026-11-20', { referenceRange: { high: '1.0 mg/dL' } })] })).toBe('pass'); // exactly 2.0
    expect(statusOf(b, { measurements: [m('bilirubin-total', 35, 'umol/L', '2026-11-20', { referenceRange: { high: '1.0 mg/dL' } })] })).toBe('fail');
  });
});

describe('measurement: qualitative results and context', () => {
  const hcg = oneRule('{ measurement: hcg, is: negative, within: 7 d }');
  it.each([
    ['negative', 'pass'], ['Negative', 'pass'], ['not detected', 'pass'], ['positive', 'fail'], ['equivocal', 'unknown'],
  ])('hCG %s → %s', (value, want) => {
    expect(statusOf(hcg, { measurements: [m('hcg', value, undefined, '2026-11-20')] })).toBe(want);
  });
  it('a numeric hCG is read through its interpretation only', () => {
    expect(statusOf(hcg, { measurements: [m('hcg', 2, 'IU/L', '2026-11-20')] })).toBe('unknown');
    expect(statusOf(hcg, { measurements: [m('hcg', 2, 'IU/L', '2026-11-20', { interpretation: 'negative' })] })).toBe('pass');
  });
  it('SpO2 on supplemental oxygen is not comparable', () => {
    const s = oneRule('{ measurement: spo2, min: 92 %, context: room-air }');
    expect(statusOf(s, { measurements: [m('spo2', 95, '%', '2026-11-20', { context: 'supplemental-oxygen' })] })).toBe('unknown');
    expect(statusOf(s, { measurements: [m('spo2', 95, '%', '2026-11-20', { context: 'room-air' })] })).toBe('pass');
    expect(statusOf(s, { measurements: [m('loinc:59408-5', 78, '%', '2026-11-20')] })).toBe('fail');
    expect(statusOf(s, { measurements: [m('spo2', 95, '%', '2026-11-20', { context: 'Room air' })] })).toBe('pass');
  });
  it('an undecided comparison names the threshold instead of a relation that does not hold', () => {
    const f = oneRule('{ measurement: alt, max: 3 x ULN }', 'defaults: { uln: { alt: [22 U/L, 56 U/L] } }\n');
    const r = check(f, { measurements: [m('alt', 95, 'U/L', '2026-11-20')] }).criteria[0]!;
    expect(r.status).toBe('unknown');
    expect(r.reasons[0]!.text).toContain('(threshold ≤ 3 × ULN)');
    expect(r.reasons[0]!.text).not.toContain('> 3 × ULN');
  });
});

describe('measurement: eGFR in children (item-9 and differential findings)', () => {
  const c = oneRule('{ measurement: egfr, min: "30 mL/min/{1.73_m2}" }', 'defaults: { lookback: 28 d }\n');
  it.each([
    // birth year only: at 2026-11-02 the age is 10 or 11, certainly < 18 → bedside Schwartz (0.413 × 142 / 0.55 = 106.6)
    ['2016', 'pass'],
    ['2016-03', 'pass'],
    // born 2008 or 2009-…: 17 or 18 at the creatinine date → the equation cannot be chosen
    ['2008', 'unknown'],
  ])('partial birth date %s with creatinine and height → %s', (birthDate, want) => {
    const r = check(c, { birthDate, measurements: [m('creatinine', 0.55, 'mg/dL', '2026-11-02'), m('height', 142, 'cm', '2026-11-02')] }).criteria[0]!;
    expect(r.status).toBe(want);
    if (want === 'pass') {
      expect(r.reasons[0]!.derivation?.method).toMatch(/Schwartz/);
      expect(r.reasons[0]!.observed?.value).toBeCloseTo(106.64, 1);
    }
  });
  it('a child needs no sex for bedside Schwartz', () => {
    expect(statusOf(c, { birthDate: '2016-01-01', measurements: [m('creatinine', 0.55, 'mg/dL', '2026-11-02'), m('height', 142, 'cm', '2026-11-02')] })).toBe('pass');
  });
  it('a child\'s adult-equation eGFR with no creatinine to recompute it is unknown, never used as it is', () => {
    const r = check(c, { age: 11, sex: 'female', measurements: [m('egfr', 95, 'mL/min/{1.73_m2}', '2026-11-02')] }).criteria[0]!;
    expect(r.status).toBe('unknown');
    expect(r.reasons[0]!.code).toBe('recorded-vs-derived');
    expect(r.reasons[0]!.text).toMatch(/adult equation.*under 18/);
    expect(r.missing!.map((x) => x.item)).toContain('measurement:creatinine');
  });
  it('an adult\'s recorded eGFR without creatinine is still used', () => {
    expect(statusOf(c, { age: 40, sex: 'female', measurements: [m('egfr', 95, 'mL/min/{1.73_m2}', '2026-11-02')] })).toBe('pass');
  });
  it('a paediatric-equation eGFR (LOINC 50384-7) of a child is used as recorded', () => {
    expect(statusOf(c, { age: 11, sex: 'female', measurements: [m('loinc:50384-7', 95, 'mL/min/{1.73_m2}', '2026-11-02')] })).toBe('pass');
  });
});

describe('measurement: reason texts show the deciding digits', () => {
  it.each([
    ['{ measurement: egfr, min: "30 mL/min/{1.73_m2}" }', 29.9996, 'eGFR 29.9996 mL/min/{1.73_m2} < 30'],
    ['{ measurement: egfr, min: "30 mL/min/{1.73_m2}" }', 29.99, 'eGFR 29.99 mL/min/{1.73_m2} < 30'],
    ['{ measurement: egfr, max: "30 mL/min/{1.73_m2}" }', 30.0004, 'eGFR 30.0004 mL/min/{1.73_m2} > 30'],
  ])('%s with %s → "%s"', (rule, value, text) => {
    const r = check(oneRule(rule), { measurements: [m('egfr', value, 'mL/min/{1.73_m2}', '2026-11-20')] }).criteria[0]!;
    expect(r.status).toBe('fail');
    expect(r.reasons[0]!.text).toContain(text);
  });
});
