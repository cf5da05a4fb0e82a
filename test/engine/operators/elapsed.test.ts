import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';
import { ANCHORS, consent } from './anchor-fixture.js';

describe('elapsed: time from an anchor', () => {
  const since = oneRule('{ elapsed: rtx-last, min: 12 mo }', ANCHORS);
  const rtx = (m: Record<string, unknown>) => ({ medications: [{ name: 'rituximab', ...m }] });
  it.each([
    [rtx({ start: '2025-01-01', end: '2025-11-25', status: 'completed' }), 'pass'], // exactly 12 months
    [rtx({ start: '2025-01-01', end: '2025-11-26', status: 'completed' }), 'fail'],
    [rtx({ start: '2025-01-01', status: 'active' }), 'fail'], // ongoing: last dose is the as-of date
    [rtx({ start: '2025-01-01', status: 'stopped' }), 'unknown'], // stopped without an end date
    [{ medications: [] }, 'unknown'], // never taken: the anchor does not exist
    [{}, 'unknown'],
  ])('%j → %s', (record, want) => {
    expect(statusOf(since, record)).toBe(want);
  });
  it('first dose, and max', () => {
    const c = oneRule('{ elapsed: rtx-first, max: 6 mo }', ANCHORS);
    expect(statusOf(c, rtx({ start: '2026-05-25', end: '2026-06-01' }))).toBe('pass');
    expect(statusOf(c, rtx({ start: '2026-05-24', end: '2026-06-01' }))).toBe('fail');
  });
  const dx = oneRule('{ elapsed: sle-onset, min: 6 mo }', ANCHORS);
  it.each([
    [[{ code: 'sle', onset: '2026-05-25' }], 'pass'],
    [[{ code: 'sle', onset: '2026-05-26' }], 'fail'],
    [[{ code: 'sle', onset: '2026-08-01' }, { code: 'sle', onset: '2020-01-01' }], 'pass'], // the first onset
    [[{ code: 'sle' }], 'unknown'],
    [[], 'unknown'],
  ])('diagnosed ≥ 6 months: %j → %s', (conditions, want) => {
    expect(statusOf(dx, { conditions })).toBe(want);
  });
  it('until another anchor', () => {
    const c = oneRule('{ elapsed: consent, until: leukapheresis, max: 4 wk }', ANCHORS);
    expect(statusOf(c, { ...consent('2026-09-01'), procedures: [{ code: 'leukapheresis', date: '2026-09-29' }] })).toBe('pass');
    expect(statusOf(c, { ...consent('2026-09-01'), procedures: [{ code: 'leukapheresis', date: '2026-09-30' }] })).toBe('fail');
    const r = check(c, { ...consent('2026-09-01') });
    expect(r.criteria[0]!.missing?.[0]!.item).toBe('anchor:leukapheresis');
  });
});

