import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';
import { loadCriteria } from '../../../src/language/load.js';

const f = (code: string, date = '2026-11-20', extra: object = {}) => ({ code, date, ...extra });
const total = (value: number) => ({ measurements: [{ code: 'sledai-2k', value, date: '2026-11-20' }] });

// "clinical SLEDAI-2K ≥ 4, not counting serology, alopecia, mucosal ulcers and fever": 2 + 2 + 2 + 2 + 1 = 9 points left out (Gladman 2002 weights)
const RULE = '{ score: sledai-2k, min: 4, excluding: [low_complement, increased_dna_binding, alopecia, mucosal_ulcers, fever], within: 10 d }';

describe('partial instrument: clinical SLEDAI-2K without serology, alopecia, ulcers and fever', () => {
  const c = oneRule(RULE);
  it.each([
    ['arthritis (4) decides alone', { findings: [f('sledai-2k/arthritis')] }, 'pass'],
    ['low complement + anti-dsDNA + alopecia (6) do not count: complete assessment', { findings: [f('sledai-2k'), f('sledai-2k/low_complement'), f('sledai-2k/increased_dna_binding'), f('sledai-2k/alopecia')] }, 'fail'],
    ['rash (2) with the rest unrecorded: bounded 2–…', { findings: [f('sledai-2k/rash')] }, 'unknown'],
    ['rash + pleurisy (4) meets the bound', { findings: [f('sledai-2k/rash'), f('sledai-2k/pleurisy')] }, 'pass'],
    ['recorded full total 12: at least 12 − 9 = 3, not decisive without items', total(12), 'unknown'],
    ['recorded full total 14: at least 14 − 9 = 5', total(14), 'pass'],
    ['recorded full total 3: at most 3', total(3), 'fail'],
  ])('%s → %s', (_name, rec, want) => {
    expect(statusOf(c, rec)).toBe(want);
  });
  it('excluded descriptors are never named as missing; the subject names the partial score', () => {
    const r = check(c, { findings: [f('sledai-2k/rash')] }).criteria[0]!;
    const text = JSON.stringify(r.missing);
    expect(text).not.toContain('low_complement');
    expect(text).not.toContain('fever');
    expect(r.reasons[0]!.text).toContain('SLEDAI-2K without low_complement');
  });
  it('an unknown descriptor in excluding is a located error with a did-you-mean', () => {
    const text = ['schema: elig/criteria@1', 'id: t', 'version: 1.0.0', 'inclusion:', '  - id: i1', '    text: t', '    rule:',
      '      { score: sledai-2k, min: 4, excluding: [low_complemnt] }', ''].join('\n');
    const d = loadCriteria('x.yaml', text).diagnostics.find((x) => x.code === 'criteria/invalid-value')!;
    expect(d.message).toContain('low_complemnt');
    expect(d.hint).toBe('did you mean "low_complement"?');
    expect(d.location?.line).toBe(8);
  });
});
