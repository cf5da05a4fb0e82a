/**
 * Number formatting and detail joining in reason texts (src/engine/reasons.ts): remembered formatting
 * (fmtNum keeps a bounded memo) prints exactly what the plain formula prints, before and after the
 * memo is cleared, and detail words join as the former regex `/^[\s:;,.)]/` decided.
 */
import { describe, expect, it } from 'vitest';
import { fmtNum, reason } from '../../src/engine/reasons.js';

/** The formula fmtNum applies, without the memo. */
const plain = (v: number): string => {
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return String(Number(v.toFixed(a >= 100 ? 1 : a >= 1 ? 2 : 3)));
};

describe('fmtNum', () => {
  it.each([
    [0, '0'], [-0, '0'], [42, '42'], [1.005, '1'], [1.25, '1.25'], [0.12345, '0.123'], [123.456, '123.5'],
    [-2.345, '-2.35'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [1e21 + 0.5, '1e+21'],
  ])('%s prints %s, twice the same', (v, s) => {
    expect(fmtNum(v)).toBe(s);
    expect(fmtNum(v)).toBe(s);
  });

  it('agrees with the plain formula over more distinct values than the memo holds', () => {
    // 10,000 distinct fractions: the memo (4,096 entries) is cleared on the way, and read again after
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < 10_000; i++) {
        const v = i / 7 - 300;
        expect(fmtNum(v)).toBe(plain(v));
      }
    }
  });
});

describe('detail words', () => {
  it.each([
    [': 3 of 4', 'SLEDAI-2K: 3 of 4'], ['; current', 'SLEDAI-2K; current'], [', ever', 'SLEDAI-2K, ever'],
    ['. Done', 'SLEDAI-2K. Done'], [') x', 'SLEDAI-2K) x'], [' spaced', 'SLEDAI-2K spaced'], ['\tx', 'SLEDAI-2K\tx'],
    ['\u00a0nbsp', 'SLEDAI-2K\u00a0nbsp'], ['within 30 days', 'SLEDAI-2K within 30 days'], ['(note)', 'SLEDAI-2K (note)'],
    ['≥ 4', 'SLEDAI-2K ≥ 4'], ['é', 'SLEDAI-2K é'],
  ])('%j', (detail, text) => {
    expect(reason('condition', 'pass', { subject: 'SLEDAI-2K', detail }).text).toBe(text);
  });
});
