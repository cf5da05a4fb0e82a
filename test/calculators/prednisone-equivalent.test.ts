import { describe, expect, it } from 'vitest';
import { BNF_EQUIVALENCE, frequencyToDosesPerDay, prednisoneEquivalentCalculator } from '../../src/calculators/prednisone-equivalent.js';

const calc = (drug: string, dose: string | { value: number; unit: string }, dosesPerDay: number | string | undefined, weight: string, extra: Record<string, unknown> = {}) =>
  prednisoneEquivalentCalculator.compute({
    drug: { value: drug, source: 'medications[0]', date: '2026-09-01' },
    dose: { value: dose as never, source: 'medications[0].dose' },
    dosesPerDay: dosesPerDay === undefined ? undefined : { value: dosesPerDay as number },
    weight: { value: weight as never, source: 'measurements[2]', date: '2026-09-02' },
    ...extra,
  });

describe('prednisone-equivalent', () => {
  it.each([
    // [drug, dose, doses/day, weight, mg/kg/d, prednisone mg/day]
    ['methylprednisolone', '40 mg', 1, '50 kg', 1.0, 50], // exactly 1.0, boundary (40 × 5/4 = 50 mg prednisone, 50 kg)
    ['Medrol', '40 mg', 1, '50 kg', 1.0, 50], // synonym through the vocabulary
    ['甲泼尼龙', '20 mg', 2, '50 kg', 1.0, 50],
    ['prednisone', '60 mg', 1, '70 kg', 0.857143, 60], // §D.4 item 2: 0.86 fails a literal reading
    ['prednisolone', '30 mg', 2, '60 kg', 1.0, 60],
    ['hydrocortisone', '50 mg', 4, '50 kg', 1.0, 50], // q6h
    ['cortisone', '125 mg', 2, '50 kg', 1.0, 50],
    ['dexamethasone', '3.75 mg', 2, '50 kg', 1.0, 50],
    ['dexamethasone', '750 µg', 1, '5 kg', 1.0, 5], // µg dose
    ['dexamethasone', '750 mcg', 1, '5 kg', 1.0, 5],
    ['triamcinolone', '0.032 g', 1, '40 kg', 1.0, 40], // g dose
    ['prednisone', '100 mg', 0.5, '50 kg', 1.0, 50], // q48h
    ['prednisone', '100 mg', 'q48h', '50 kg', 1.0, 50],
    ['prednisone', '25 mg', 'bid', '110.231131 lb', 1.0, 50], // lb weight
    ['methylprednisolone', '500 mg', 1, '50 kg', 12.5, 625], // §D.4 item 3 pulse
    ['prednisone 5 mg oral tablet', '5 mg', 'tid', '15 kg', 1.0, 15],
  ] as const)('%s %s × %s, %s → %s mg/kg/d', (drug, dose, dpd, weight, expected, predMg) => {
    const r = calc(drug, dose, dpd, weight);
    expect(r.missing).toEqual([]);
    expect(r.value).toBe(expected);
    expect(r.unit).toBe('mg/kg/d');
    expect(r.details['prednisoneMgPerDay']).toBeCloseTo(predMg, 6);
  });

  it('reports the daily drug dose, the factor and the provenance', () => {
    const r = calc('Medrol', '40 mg', 1, '50 kg');
    expect(r.details).toMatchObject({ drug: 'methylprednisolone', factor: 4, mgPerDay: 40, prednisoneMgPerDay: 50, weightKg: 50, table: 'BNF' });
    expect(r.inputs).toEqual([
      { item: 'drug', value: 'methylprednisolone', source: 'medications[0]', date: '2026-09-01' },
      { item: 'dose', value: 40, unit: 'mg', source: 'medications[0].dose' },
      { item: 'dosesPerDay', value: 1, unit: '/d' },
      { item: 'weight', value: 50, unit: 'kg', source: 'measurements[2]', date: '2026-09-02' },
    ]);
    expect(r.warnings).toBeUndefined();
  });

  it('accepts a daily dose (mg/d) without dosesPerDay', () => {
    const r = calc('methylprednisolone', '40 mg/day', undefined, '50 kg');
    expect(r.value).toBe(1);
  });

  it('has the BNF table (§D.1)', () => {
    expect(BNF_EQUIVALENCE).toEqual({
      prednisone: 5, prednisolone: 5, methylprednisolone: 4, triamcinolone: 4, hydrocortisone: 20, cortisone: 25,
      dexamethasone: 0.75, betamethasone: 0.75, deflazacort: 6,
    });
  });

  it.each([
    ['betamethasone', '0.75 mg', 1, '5 kg', 1.0, true],
    ['betamethasone', '0.6 mg', 1, '5 kg', 0.8, true],
    ['betamethasone', '6 mg', 1, '5 kg', 8, false],
    ['deflazacort', '6 mg', 1, '5 kg', 1.0, true],
    ['deflazacort', '60 mg', 1, '70 kg', 0.714286, false],
    ['prednisone', '50 mg', 1, '50 kg', 1.0, false],
  ] as const)('contested equivalence: %s %s/d in %s', (drug, dose, dpd, weight, value, warned) => {
    const r = calc(drug, dose, dpd, weight);
    expect(r.value).toBe(value);
    expect(r.warnings?.some((w) => w.startsWith('contested equivalence')) ?? false).toBe(warned);
  });

  it('gives the alternative value for betamethasone (0.6 mg)', () => {
    const r = calc('betamethasone', '0.6 mg', 1, '5 kg');
    expect(r.details['alternativeValue']).toBe(1);
  });

  it('applies an override table', () => {
    const r = calc('betamethasone', '0.6 mg', 1, '5 kg', { equivalence: { betamethasone: 0.6 } });
    expect(r.value).toBe(1);
    expect(r.details['table']).toBe('configured');
    expect(r.method).toMatch(/configured/);
  });

  it('an override applies to its own call only (the BNF table is shared between calls)', () => {
    const before = calc('betamethasone', '0.6 mg', 1, '5 kg');
    calc('betamethasone', '0.6 mg', 1, '5 kg', { equivalence: { betamethasone: 0.6 } });
    const after = calc('betamethasone', '0.6 mg', 1, '5 kg');
    expect(after.value).toBe(before.value);
    expect(after.details['factor']).toBe(BNF_EQUIVALENCE['betamethasone']);
    expect(after.details['table']).toBe('BNF');
  });

  it.each([
    ['hydroxychloroquine', '200 mg', 2, '50 kg', 'drug', /not a glucocorticoid/],
    ['unobtainium', '200 mg', 2, '50 kg', 'drug', /not a known/],
    ['prednisone', '200', 2, '50 kg', 'dose', /mass unit/],
    ['prednisone', '200 mL', 2, '50 kg', 'dose', /positive mass/],
    ['prednisone', '20 mg', 'sometimes', '50 kg', 'dosesPerDay', /not a number/],
    ['prednisone', '20 mg', undefined, '50 kg', 'dosesPerDay', /not recorded/],
    ['prednisone', '20 mg', 1, '170 cm', 'weight', /incompatible/],
    ['prednisone', '20 mg', 1, '0 kg', 'weight', /not a positive/],
    ['prednisone', '40 mg/d', 2, '50 kg', 'dosesPerDay', /already a daily dose/],
  ] as const)('%s %s × %s, %s → missing %s', (drug, dose, dpd, weight, name, desc) => {
    const r = calc(drug, dose, dpd, weight);
    expect(r.value).toBeUndefined();
    expect(r.missing.map((m) => m.name)).toEqual([name]);
    expect(r.missing[0]?.description).toMatch(desc);
  });

  it('never throws', () => {
    expect(() => prednisoneEquivalentCalculator.compute({} as never)).not.toThrow();
    expect(prednisoneEquivalentCalculator.compute({} as never).missing.map((m) => m.name)).toEqual(['drug', 'dose', 'dosesPerDay', 'weight']);
  });
});

describe('frequencyToDosesPerDay', () => {
  it.each([
    ['qd', 1], ['od', 1], ['OD', 1], ['daily', 1], ['once daily', 1], ['q.d.', 1], ['q24h', 1], ['once', 1],
    ['bid', 2], ['b.i.d.', 2], ['BID', 2], ['twice daily', 2], ['q12h', 2],
    ['tid', 3], ['q8h', 3], ['qid', 4], ['q6h', 4], ['q4h', 6], ['every 6 hours', 4],
    ['q48h', 0.5], ['qod', 0.5], ['every other day', 0.5], ['q2d', 0.5],
    ['weekly', 1 / 7], ['once weekly', 1 / 7],
    ['2', 2], ['0.5', 0.5], [3, 3], ['2x/day', 2], ['3 times daily', 3], ['2 per day', 2],
  ] as const)('%s → %s', (freq, n) => {
    expect(frequencyToDosesPerDay(freq)).toBeCloseTo(n, 12);
  });
  it.each([['prn'], ['sometimes'], [''], ['0'], [-1], ['q0h']] as const)('%s → undefined', (freq) => {
    expect(frequencyToDosesPerDay(freq)).toBeUndefined();
  });
});
