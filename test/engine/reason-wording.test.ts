/**
 * Reasons never contradict themselves (issue 11 item 12), fixed where the text is made
 * (src/engine/reasons.ts): "ANA value 160 cannot be read as a number", "HBsAg positive is positive",
 * "childbearing potential true … no: post-menopausal".
 */
import { describe, expect, it } from 'vitest';
import { check, oneRule } from '../helpers.js';

const textsOf = (rule: string, record: unknown): string[] => check(oneRule(rule), record).criteria[0]!.reasons.map((r) => r.text);

describe('reason wording', () => {
  it('a number where a qualitative result is expected: not "cannot be read as a number"', () => {
    const [text] = textsOf('{ measurement: ana, is: positive }', { id: 'A', measurements: [{ code: 'ana', value: 160, date: '2026-11-20' }] });
    expect(text).not.toMatch(/cannot be read as a number/);
    expect(text).toMatch(/^ANA value "?160"? \(2026-11-20, measurements\[0\]\) is not a result elig can read as positive$/);
  });

  it('a text where a number is expected still says so', () => {
    const [text] = textsOf('{ measurement: egfr, min: 30 }', { id: 'A', measurements: [{ code: 'egfr', value: 'high', date: '2026-11-20' }] });
    expect(text).toMatch(/cannot be read as a number/);
  });

  it.each([
    ['positive', 'pass', /^HBsAg positive \(2026-11-20, measurements\[0\]\)$/],
    ['reactive', 'pass', /^HBsAg reactive \(positive\) \(2026-11-20, measurements\[0\]\)$/],
    ['negative', 'fail', /^HBsAg negative, not positive \(2026-11-20, measurements\[0\]\)$/],
  ])('qualitative %s: %s, without "positive is positive"', (value, status, text) => {
    const r = check(oneRule('{ measurement: hbsag, is: positive }'), { id: 'A', measurements: [{ code: 'hbsag', value, date: '2026-11-20' }] });
    expect(r.criteria[0]!.status).toBe(status);
    const [t] = r.criteria[0]!.reasons.map((x) => x.text);
    expect(t).toMatch(text);
    expect(t).not.toMatch(/positive is positive|is not positive/);
  });

  it.each([
    [{ sex: 'female', findings: [{ code: 'postmenopausal', date: '2026-01-10' }] }, /^childbearing potential \(2026-01-10, findings\[0\]\): no, post-menopausal \(≥ 12 months amenorrhoea\)$/],
    [{ sex: 'male' }, /^childbearing potential: no, male$/],
    [{ sex: 'female', findings: [{ code: 'menarche', date: '2020-01-10' }] }, /^childbearing potential \(findings\[0\]\): yes, female after menarche/],
  ])('childbearing potential: the value shown is never the evidence item\'s (%j)', (record, text) => {
    const [t] = textsOf('{ fact: childbearing-potential }', { id: 'A', ...record });
    expect(t).toMatch(text);
    expect(t).not.toMatch(/\btrue\b/);
  });
});
