/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC days. No clock: every "now" is an argument.
 */
import type { Duration } from './language/quantity.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days since 1970-01-01 for an ISO date or date-time; undefined when unparseable. */
export function toDay(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return undefined; // 2026-02-30
  return Math.floor(t / 86_400_000);
}

export function fromDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
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
