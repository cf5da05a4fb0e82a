import { describe, expect, it } from 'vitest';
import { ageCalculator } from '../../src/calculators/age.js';

const age = (birthDate: string | undefined, asOf: string) =>
  ageCalculator.compute({ birthDate: birthDate === undefined ? undefined : { value: birthDate, source: 'birthDate', date: birthDate }, asOf });

describe('age', () => {
  it.each([
    ['2021-11-25', '2026-11-25', 5], // birthday today
    ['2021-11-26', '2026-11-25', 4], // birthday tomorrow
    ['2008-02-29', '2026-02-28', 17], // leap-day birthday reached on 1 March in common years
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2024-02-29', 16],
    ['1960-01-01', '2026-11-25', 66],
    ['2026-11-25', '2026-11-25', 0],
    ['2021-11-25T08:30:00Z', '2026-11-25', 5],
  ])('born %s, at %s → %s', (bd, asOf, expected) => {
    const r = age(bd, asOf);
    expect(r.value).toBe(expected);
    expect(r.unit).toBe('a');
    expect(r.missing).toEqual([]);
    expect(r.inputs[0]).toMatchObject({ item: 'birthDate', value: bd, source: 'birthDate', date: bd });
  });

  it.each([
    // partial dates → bounds (youngest and oldest possible age)
    ['2021', '2026-11-25', 4, 5],
    ['2021-11', '2026-11-25', 4, 5],
    ['2021-12', '2026-11-25', 4, 4],
    ['2021-10', '2026-11-25', 5, 5],
    ['2021', '2026-12-31', 5, 5],
    ['2026', '2026-06-01', 0, 0],
  ])('partial birth date %s at %s → [%s, %s]', (bd, asOf, lower, upper) => {
    const r = age(bd, asOf);
    if (lower === upper) {
      expect(r.value).toBe(lower);
      expect(r.lower).toBeUndefined();
    } else {
      expect(r.value).toBeUndefined();
      expect(r.lower).toBe(lower);
      expect(r.upper).toBe(upper);
      expect(r.missing.map((m) => m.name)).toEqual(['birthDate']);
    }
  });

  it.each([
    [undefined, '2026-11-25', 'birthDate'],
    ['2021-02-30', '2026-11-25', 'birthDate'],
    ['25/11/2021', '2026-11-25', 'birthDate'],
    ['2027-01-01', '2026-11-25', 'birthDate'],
    ['2021-11-25', 'today', 'asOf'],
  ])('invalid input %s at %s → missing %s, never a throw', (bd, asOf, name) => {
    const r = age(bd, asOf);
    expect(r.value).toBeUndefined();
    expect(r.missing.map((m) => m.name)).toContain(name);
  });

  it('does not throw on garbage', () => {
    expect(() => ageCalculator.compute(null as never)).not.toThrow();
    expect(ageCalculator.compute({ birthDate: { value: 42 as unknown as string }, asOf: '2026-01-01' }).missing[0]?.name).toBe('birthDate');
  });
});
