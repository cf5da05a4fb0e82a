import { describe, expect, it } from 'vitest';
import { oneSpaceBeforeParen } from '../../src/engine/reasons.js';

// oneSpaceBeforeParen replaces the per-reason regex `s.replace(/\s+\(/, ' (')`: it must give the same string
const regex = (s: string) => s.replace(/\s+\(/, ' (');

describe('oneSpaceBeforeParen: the same as replace(/\\s+\\(/, " (")', () => {
  const cases: string[] = [
    '',
    '(',
    ' (',
    '  (',
    'eGFR 107.6 mL/min ≥ 30 (2026-11-10, measurements[1])',
    'eGFR 107.6 mL/min  (2026-11-10)',
    'SLEDAI-2K 12 ≥ 8 \t\n(2026-11-17) (calculator)',
    'a(b) c  (d)',
    'a(b)c(d)',
    'no paren at all',
    'x\u00a0(y)',
    'x \u00a0 \u2009(y)',
    'x\u3000\u3000(y) (z)',
    'trailing  ',
    '(leading) x  (y)',
    'x\ufeff(y)',
    'x\u200b(y)', // zero-width space is not white space
    'x \ud83d\ude00 (y)',
    'ends with (',
    '  (  (',
  ];
  it.each(cases)('%j', (s) => {
    expect(oneSpaceBeforeParen(s)).toBe(regex(s));
  });
  it('every white space character JavaScript knows, alone and in runs', () => {
    // every code unit up to U+3100 (the white space characters end at U+3000) and U+FEFF
    for (let c = 0; c <= 0x3100 || c === 0xfeff; c = c === 0x3100 ? 0xfeff : c + 1) {
      const ch = String.fromCharCode(c);
      for (const s of [`(a${ch}(b)`, `a ${ch}(b)`, `a${ch} (b) ${ch}(c)`]) {
        if (oneSpaceBeforeParen(s) !== regex(s)) expect(oneSpaceBeforeParen(s)).toBe(regex(s));
      }
    }
  });
});
