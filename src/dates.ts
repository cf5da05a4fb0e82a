/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC days. No clock: every "now" is an argument.
 */
import type { Duration } from './language/quantity.js';


const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 for an ISO date or date-time; undefined when unparseable. */
export function toDay(iso: string): number | undefined {
  // fast path for the common YYYY-MM-DD prefix, without a regex or Date objects
  if (iso.length < 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) {
    return undefined;
  }
  const y = digits(iso, 0, 4);
  const mo = digits(iso, 5, 7);
  const d = digits(iso, 8, 10);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1]!;
  if (d > max) return undefined; // 2026-02-30
  return daysFromCivil(y, mo, d);
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export function fromDay(day: number): string {
  // H. Hinnant's civil_from_days for years 1000–9999, without a Date object; Date beyond
  if (!Number.isInteger(day) || day < -354_285 || day > 2_932_896) return new Date(day * 86_400_000).toISOString().slice(0, 10);
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && toDay(s) !== undefined;
}

/** Add calendar months, clamping to the month's last day (2026-01-31 + 1 mo = 2026-02-28). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetY = y + Math.floor(m / 12);
  const targetM = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(targetY, targetM, Math.min(d.getUTCDate(), last)) / 86_400_000);
}

/** `day + duration` (duration may be fractional only for days/weeks). */
export function addDuration(day: number, dur: Duration, sign: 1 | -1 = 1): number {
  switch (dur.unit) {
    case 'd':
      return day + sign * Math.round(dur.n);
    case 'wk':
      return day + sign * Math.round(dur.n * 7);
    case 'mo':
      return addMonths(day, sign * Math.round(dur.n));
    case 'a':
      return addMonths(day, sign * Math.round(dur.n * 12));
  }
}

/** Completed years between two days (age arithmetic). */
export function completedYears(fromDayN: number, toDayN: number): number {
  const a = new Date(fromDayN * 86_400_000);
  const b = new Date(toDayN * 86_400_000);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  if (b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate())) years--;
  return years;
}
