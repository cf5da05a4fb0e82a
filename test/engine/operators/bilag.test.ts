import { describe, expect, it } from 'vitest';
import { check, compile, statusOf } from '../../helpers.js';
import { loadCriteria } from '../../../src/language/load.js';

const g = (system: string, value: string, date = '2026-11-20') => ({ code: `bilag-2004/${system}`, value, date });
const done = (date = '2026-11-20') => ({ code: 'bilag-2004', date });

// "BILAG-2004 A in ≥ 1 organ system or B in ≥ 2"
const c = compile(`inclusion:
  - id: c
    text: BILAG A in at least one system or B in at least two
    rule:
      any:
        - { score: bilag-2004, grade: A, min: 1 }
        - { score: bilag-2004, grade: B, min: 2 }
`);

describe('BILAG-2004 graded per organ system', () => {
  it.each([
    ['renal A', [g('renal', 'A')], 'pass'],
    ['mucocutaneous B + musculoskeletal B', [g('mucocutaneous', 'B'), g('musculoskeletal', 'B')], 'pass'],
    ['one B, assessment complete', [done(), g('mucocutaneous', 'B'), g('renal', 'C')], 'fail'],
    ['one B, other systems not recorded', [g('mucocutaneous', 'B')], 'unknown'],
    ['all C, complete', [done(), g('renal', 'C'), g('haematological', 'C')], 'fail'],
    ['renal A outside the month', [g('renal', 'A', '2026-09-01')], 'unknown'],
    ['nothing recorded', [], 'unknown'],
  ])('%s → %s', (_n, findings, want) => {
    expect(statusOf(c, { findings })).toBe(want);
  });
  it('the reason counts the systems and names the unrecorded ones in missing', () => {
    const r = check(c, { findings: [g('mucocutaneous', 'B')] }).criteria[0]!;
    expect(r.missing!.map((m) => m.item)).toContain('score:bilag-2004');
    expect(r.missing![0]!.description).toContain('renal');
    const p = check(c, { findings: [done(), g('renal', 'A')] }).criteria[0]!;
    expect(p.reasons[0]!.text).toContain('BILAG-2004 systems graded A 1 ≥ 1');
  });
  it.each([
    ['{ score: bilag-2004, min: 1 }', 'criteria/missing-key'],
    ['{ score: bilag-2004, grade: A, min: 12 }', 'criteria/invalid-value'],
    ['{ score: sledai-2k, grade: A, min: 4 }', 'criteria/invalid-value'],
    ['{ score: bilag-2004, grade: F, min: 1 }', 'criteria/invalid-value'],
  ])('%s is a load error (%s)', (rule, code) => {
    const text = ['schema: elig/criteria@1', 'id: t', 'version: 1.0.0', 'inclusion:', '  - id: i1', '    text: t', '    rule:', `      ${rule}`, ''].join('\n');
    expect(loadCriteria('x.yaml', text).diagnostics.map((d) => d.code)).toContain(code);
  });
});
