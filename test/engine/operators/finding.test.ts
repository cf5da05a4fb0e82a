import { describe, expect, it } from 'vitest';
import { oneRule, statusOf } from '../../helpers.js';

describe('finding', () => {
  const absent = oneRule('{ finding: ecg-abnormality, is: absent, within: 28 d }');
  const present = oneRule('{ finding: ECG-Abnormality }');
  it.each([
    [[{ code: 'ecg-abnormality', present: false, date: '2026-11-10' }], 'pass', 'fail'],
    [[{ code: 'ecg-abnormality', present: true, date: '2026-11-10' }], 'fail', 'pass'],
    [[{ code: 'ecg-abnormality', present: false, date: '2026-01-10' }], 'unknown', 'fail'], // stale for the windowed rule
    [[], 'unknown', 'unknown'], // never recorded: unknown, not absent
    [[{ code: 'ecg-abnormality', present: true, date: '2026-11-10' }, { code: 'ecg-abnormality', present: false, date: '2026-11-20' }], 'pass', 'fail'], // newest wins
  ])('%j → absent rule %s, present rule %s', (findings, wantAbsent, wantPresent) => {
    expect(statusOf(absent, { findings })).toBe(wantAbsent);
    expect(statusOf(present, { findings })).toBe(wantPresent);
  });
});
