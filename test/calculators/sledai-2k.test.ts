import { describe, expect, it } from 'vitest';
import { SLEDAI_2K_DESCRIPTORS, SLEDAI_2K_WEIGHTS, sledai2kCalculator } from '../../src/calculators/sledai-2k.js';

describe('sledai-2k', () => {
  it('has the 24 descriptors of §B.2 summing to 105, alopecia 2 (§H.2)', () => {
    expect(SLEDAI_2K_DESCRIPTORS).toHaveLength(24);
    expect(Object.values(SLEDAI_2K_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(105);
    expect(SLEDAI_2K_WEIGHTS['alopecia']).toBe(2);
    expect(SLEDAI_2K_WEIGHTS['low_complement']).toBe(2);
  });

  it('all 24 present → 105', () => {
    const r = sledai2kCalculator.compute({ present: [...SLEDAI_2K_DESCRIPTORS], complete: true });
    expect(r.value).toBe(105);
    expect(r.missing).toEqual([]);
  });

  it.each([
    [['arthritis', 'rash', 'low_complement'], 8],
    [['arthritis', 'arthritis'], 4], // listed twice counts once (§J)
    [['rash', 'Rash', 'rash '], 2],
    [['seizure', 'fever', 'thrombocytopenia', 'leukopenia'], 11],
    [['alopecia', 'mucosal_ulcers', 'increased_dna_binding', 'low_complement'], 8],
    [['proteinuria', 'hematuria'], 8],
    [[], 0],
  ])('complete %j → %s', (present, total) => {
    const r = sledai2kCalculator.compute({ present, complete: true });
    expect(r.value).toBe(total);
    expect(r.lower).toBeUndefined();
    expect(r.unit).toBe('{score}');
  });

  it('an unknown descriptor id is a warning and is not counted', () => {
    const r = sledai2kCalculator.compute({ present: ['arthritis', 'rash', 'hair_loss'], complete: true });
    expect(r.value).toBe(6);
    expect(r.warnings).toEqual(["unknown SLEDAI-2K descriptor 'hair_loss' not counted"]);
  });

  it.each([
    // [present, absent, lower, upper]
    [['arthritis', 'rash'], [], 6, 105],
    [['arthritis', 'rash'], SLEDAI_2K_DESCRIPTORS.filter((d) => !['arthritis', 'rash', 'fever'].includes(d)), 6, 7],
    [[], SLEDAI_2K_DESCRIPTORS.filter((d) => d !== 'seizure'), 0, 8],
  ])('incomplete: present %j → bounds [%s, %s]', (present, absent, lower, upper) => {
    const r = sledai2kCalculator.compute({ present, absent });
    expect(r.value).toBeUndefined();
    expect(r.lower).toBe(lower);
    expect(r.upper).toBe(upper);
    expect(r.missing.length).toBe(24 - present.length - absent.length);
  });

  it('all recorded (present + absent) gives a value without complete', () => {
    const r = sledai2kCalculator.compute({ present: ['vasculitis'], absent: SLEDAI_2K_DESCRIPTORS.filter((d) => d !== 'vasculitis') });
    expect(r.value).toBe(8);
    expect(r.missing).toEqual([]);
  });

  it('carries provenance of present descriptors and reports weights', () => {
    const r = sledai2kCalculator.compute({ present: [{ value: 'rash', date: '2026-11-20', source: 'findings[3]' }], complete: true });
    expect(r.inputs).toEqual([{ item: 'rash', value: true, date: '2026-11-20', source: 'findings[3]' }]);
    const descriptors = r.details['descriptors'] as { id: string; weight: number; status: string }[];
    expect(descriptors).toHaveLength(24);
    expect(descriptors.find((d) => d.id === 'rash')).toEqual({ id: 'rash', weight: 2, status: 'present' });
  });

  it('a descriptor both present and absent is unrecorded, with a warning', () => {
    const r = sledai2kCalculator.compute({ present: ['rash'], absent: ['rash'], complete: true });
    expect(r.lower).toBe(0);
    expect(r.upper).toBe(2);
    expect(r.warnings?.[0]).toMatch(/both present and absent/);
  });

  it('never throws', () => {
    expect(() => sledai2kCalculator.compute(undefined as never)).not.toThrow();
    expect(sledai2kCalculator.compute({ present: [3, null] as never, complete: true }).value).toBe(0);
  });
});
