/**
 * Age in completed years at a reference date. Partial birth dates (YYYY-MM, YYYY) give bounds (the
 * youngest and oldest age the date allows).
 */
import type { CalcInputValue, CalcResult, Calculator, MissingInput } from './types.js';
import { evidence, inputOf, isRecord } from './common.js';

export type AgeInput = {
  birthDate: CalcInputValue<string> | undefined;
  asOf: string;
};

interface YMD { y: number; m: number; d: number }

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Parse an ISO date (a time part after `T` is ignored); month and day may be missing. */
export function parsePartialDate(s: string): { y: number; m?: number; d?: number } | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$/.exec(s.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  if (m[2] === undefined) return { y };
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  if (m[3] === undefined) return { y, m: mo };
  const d = Number(m[3]);
  if (d < 1 || d > daysInMonth(y, mo)) return undefined;
  return { y, m: mo, d };
}

function cmp(a: YMD, b: YMD): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/**
 * Completed years from `birth` to `at`: the year difference, minus one if the birthday (month, day)
 * has not been reached. A 29 February birthday is reached on 1 March in common years.
 */
export function completedYears(birth: YMD, at: YMD): number {
  const beforeBirthday = at.m < birth.m || (at.m === birth.m && at.d < birth.d);
  return at.y - birth.y - (beforeBirthday ? 1 : 0);
}

export const ageCalculator: Calculator<AgeInput> = {
  name: 'age',
  title: 'Age in completed years',
  source: 'Completed years between birth date and reference date (calendar arithmetic; a partial birth date gives the youngest and oldest possible age)',
  unit: 'a',
  inputs: [
    { name: 'birthDate', description: 'birth date YYYY-MM-DD (YYYY-MM or YYYY when partial)', required: true },
    { name: 'asOf', description: 'reference date YYYY-MM-DD', required: true },
  ],
  compute(input: AgeInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'age', unit: 'a', method: 'completed years', inputs: [], details: {}, missing: [] };
    const missing: MissingInput[] = [];
    const asOfRaw = raw['asOf'];
    const asOf = typeof asOfRaw === 'string' ? parsePartialDate(asOfRaw) : undefined;
    if (asOf === undefined || asOf.m === undefined || asOf.d === undefined) {
      missing.push({ name: 'asOf', description: `reference date ${asOfRaw === undefined ? 'is not given' : `${JSON.stringify(asOfRaw)} is not a date YYYY-MM-DD`}` });
    }
    const civ = inputOf(raw['birthDate']);
    const bd = civ !== undefined && typeof civ.value === 'string' ? parsePartialDate(civ.value) : undefined;
    if (civ === undefined) missing.push({ name: 'birthDate', description: 'birth date is not recorded' });
    else if (bd === undefined) missing.push({ name: 'birthDate', description: `birth date ${JSON.stringify(civ.value)} is not a date YYYY-MM-DD, YYYY-MM or YYYY` });
    if (missing.length > 0 || bd === undefined || asOf === undefined || asOf.m === undefined || asOf.d === undefined) {
      result.missing = missing;
      return result;
    }
    const at: YMD = { y: asOf.y, m: asOf.m, d: asOf.d };
    result.inputs.push(evidence('birthDate', civ, String(civ?.value)));
    // Earliest and latest birth dates the (partial) date allows; a person is born by the reference date.
    const earliest: YMD = { y: bd.y, m: bd.m ?? 1, d: bd.d ?? 1 };
    const lm = bd.m ?? 12;
    let latest: YMD = { y: bd.y, m: lm, d: bd.d ?? daysInMonth(bd.y, lm) };
    if (cmp(earliest, at) > 0) {
      result.missing = [{ name: 'birthDate', description: `birth date ${String(civ?.value)} is after the reference date ${String(asOfRaw)}` }];
      result.inputs = [];
      return result;
    }
    if (cmp(latest, at) > 0) latest = at;
    const upper = completedYears(earliest, at);
    const lower = completedYears(latest, at);
    result.details = { asOf: asOfRaw, partial: bd.d === undefined, precision: bd.d !== undefined ? 'day' : bd.m !== undefined ? 'month' : 'year' };
    if (lower === upper) {
      result.value = lower;
    } else {
      result.lower = lower;
      result.upper = upper;
      result.missing = [{ name: 'birthDate', description: `birth date ${String(civ?.value)} is partial: age is ${lower} or ${upper}; the full date decides` }];
    }
    return result;
  },
};
