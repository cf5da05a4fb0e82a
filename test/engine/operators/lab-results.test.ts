import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';
import { loadCriteria } from '../../../src/language/load.js';

const m = (code: string, value: unknown, unit: string | undefined, date: string, extra: object = {}) =>
  ({ code, ...(value === undefined ? {} : { value }), ...(unit ? { unit } : {}), date, ...extra });
const D = '2026-11-20';

describe('titres compared as numbers', () => {
  const min80 = oneRule('{ measurement: ana, min: "1:80" }', 'defaults: { lookback: 1 a }\n');
  it.each([
    ['1:40', 'fail'], // the example: below the cut-off is fail, not unknown
    ['1:80', 'pass'], // boundary ≥
    ['1:320', 'pass'],
    ['1 : 160', 'pass'],
    ['<1:40', 'fail'], // every titre it allows is below 1:80
    ['<1:160', 'unknown'], // could be 1:80 or below
    ['>1:1280', 'pass'],
    ['negative', 'fail'], // below the screening dilution
    ['speckled', 'unknown'], // a pattern, not a titre
  ])('ANA %s vs min 1:80 → %s', (value, want) => {
    expect(statusOf(min80, { measurements: [m('ana', value, undefined, D)] })).toBe(want);
  });
  it('max: a negative ANA meets a maximum titre; 1:160 does not', () => {
    const max = oneRule('{ measurement: ana, below: "1:160" }', 'defaults: { lookback: 1 a }\n');
    expect(statusOf(max, { measurements: [m('ana', 'negative', undefined, D)] })).toBe('pass');
    expect(statusOf(max, { measurements: [m('ana', '1:160', undefined, D)] })).toBe('fail');
    expect(statusOf(max, { measurements: [m('ana', '1:80', undefined, D)] })).toBe('pass');
  });
  it('the reason shows the titre and the threshold', () => {
    const r = check(min80, { measurements: [m('ana', '1:40', undefined, D)] }).criteria[0]!;
    expect(r.reasons[0]).toMatchObject({ code: 'titre', status: 'fail', observed: { value: '1:40' }, threshold: { op: '>=', value: '1:80' } });
    expect(r.reasons[0]!.text).toContain('ANA 1:40 < 1:80');
  });
  it('a titre threshold on a quantitative measurement is a located load error', () => {
    const { diagnostics } = loadCriteria('x.yaml', file('{ measurement: creatinine, max: "1:80" }'));
    expect(diagnostics.map((d) => d.code)).toContain('criteria/titre-not-applicable');
    const d = diagnostics.find((x) => x.code === 'criteria/titre-not-applicable')!;
    expect(d.location?.line).toBe(8);
  });
});

describe('qualitative status from a number: cut-off, reference range, flag; units per assay', () => {
  const stated = oneRule('{ measurement: anti-dsdna, is: positive, cutoff: "30 [IU]/mL" }', 'defaults: { lookback: 1 a }\n');
  it.each([
    [[m('anti-dsdna', 45, 'IU/mL', D)], 'pass'], // IU/mL is read as [IU]/mL
    [[m('anti-dsdna', 30, '[IU]/mL', D)], 'pass'], // at the cut-off is positive
    [[m('anti-dsdna', 29.9, '[IU]/mL', D)], 'fail'],
    [[m('anti-dsdna', 30000, '[IU]/L', D)], 'pass'], // same assay scale, another volume
    [[m('anti-dsdna', 45, 'U/mL', D)], 'unknown'], // ELISA units: another assay, never converted
    [[m('anti-dsdna', 2.1, '{index}', D)], 'unknown'],
    [[m('anti-dsdna', 'positive', undefined, D)], 'pass'], // the lab's own word
    [[m('anti-dsdna', 12, '[IU]/mL', D, { interpretation: 'POS' })], 'fail'], // the protocol's cut-off decides over the flag
  ])('%j → %s', (measurements, want) => {
    expect(statusOf(stated, { measurements })).toBe(want);
  });
  it('a titre cut-off: ANA positive at 1:160 or more (is: negative the other way round)', () => {
    const pos = oneRule('{ measurement: ana, is: positive, cutoff: "1:160" }', 'defaults: { lookback: 1 a }\n');
    const neg = oneRule('{ measurement: ana, is: negative, cutoff: "1:160" }', 'defaults: { lookback: 1 a }\n');
    expect(statusOf(pos, { measurements: [m('ana', '1:160', undefined, D)] })).toBe('pass');
    expect(statusOf(pos, { measurements: [m('ana', '1:80', undefined, D)] })).toBe('fail');
    expect(statusOf(neg, { measurements: [m('ana', '1:80', undefined, D)] })).toBe('pass');
    expect(statusOf(pos, { measurements: [m('ana', '<1:320', undefined, D)] })).toBe('unknown'); // 1:160 or below
    expect(statusOf(pos, { measurements: [m('ana', 'negative', undefined, D)] })).toBe('fail');
  });
  it('without a stated cut-off: the lab flag, else above the upper reference limit is positive', () => {
    const byLab = oneRule('{ measurement: anti-dsdna, is: positive }', 'defaults: { lookback: 1 a }\n');
    expect(statusOf(byLab, { measurements: [m('anti-dsdna', 45, 'U/mL', D, { referenceRange: { high: 25 } })] })).toBe('pass');
    expect(statusOf(byLab, { measurements: [m('anti-dsdna', 25, 'U/mL', D, { referenceRange: { high: 25 } })] })).toBe('fail');
    expect(statusOf(byLab, { measurements: [m('anti-dsdna', 20, 'U/mL', D, { interpretation: 'H' })] })).toBe('pass');
    const none = check(byLab, { measurements: [m('anti-dsdna', 45, 'U/mL', D)] }).criteria[0]!;
    expect(none.status).toBe('unknown');
    expect(none.missing![0]!.item).toBe('uln:anti-dsdna');
  });
  it('the reason names the cut-off and the evidence', () => {
    const r = check(stated, { measurements: [m('anti-dsdna', 45, '[IU]/mL', D)] }).criteria[0]!;
    expect(r.reasons.map((x) => x.code)).toEqual(['cutoff', 'qualitative']);
    expect(r.reasons[0]!.text).toContain('≥ the cut-off 30 [IU]/mL');
  });
  it('cutoff without is, and cutoff as a ULN multiple, are load errors', () => {
    const a = loadCriteria('x.yaml', file('{ measurement: anti-dsdna, cutoff: "30 [IU]/mL" }')).diagnostics.map((d) => d.code);
    expect(a).toContain('criteria/conflicting-keys');
    const b = loadCriteria('x.yaml', file('{ measurement: anti-dsdna, is: positive, cutoff: "1 x ULN" }')).diagnostics.map((d) => d.code);
    expect(b).toContain('criteria/invalid-threshold');
  });
});

describe('lower limit of normal and the normal range', () => {
  const lln = oneRule('{ measurement: haemoglobin, min: 1 x LLN }', 'defaults: { lookback: 1 a }\n');
  const rr = { low: 12, high: 16 };
  it.each([
    [[m('haemoglobin', 12, 'g/dL', D, { referenceRange: rr })], 'pass'], // = LLN
    [[m('haemoglobin', 11.9, 'g/dL', D, { referenceRange: rr })], 'fail'],
    [[m('haemoglobin', 120, 'g/L', D, { referenceRange: { low: { value: 12, unit: 'g/dL' } } })], 'pass'], // 120 g/L = 12 g/dL = 1 × LLN
    [[m('haemoglobin', 13, 'g/dL', D, { referenceRange: { high: 16 } })], 'unknown'], // no LLN
  ])('min 1 x LLN %j → %s', (measurements, want) => {
    expect(statusOf(lln, { measurements })).toBe(want);
  });
  it('no LLN names referenceRange.low in missing', () => {
    const r = check(lln, { measurements: [m('haemoglobin', 13, 'g/dL', D)] }).criteria[0]!;
    expect(r.missing![0]!.item).toBe('lln:haemoglobin');
    expect(r.reasons[0]!.code).toBe('no-lln');
  });
  const normal = oneRule('{ measurement: haemoglobin, normal: true }', 'defaults: { lookback: 1 a }\n');
  it.each([
    [{ low: 12, high: 16 }, 12, 'pass'],
    [{ low: 12, high: 16 }, 16, 'pass'],
    [{ low: 12, high: 16 }, 16.1, 'fail'],
    [{ low: 12, high: 16 }, 11.9, 'fail'],
    [{ high: 16 }, 17, 'fail'], // outside the one recorded limit decides
    [{ high: 16 }, 14, 'unknown'], // inside one limit, the other not recorded
    [undefined, 14, 'unknown'],
  ])('normal: true, range %j, value %s → %s', (range, value, want) => {
    expect(statusOf(normal, { measurements: [m('haemoglobin', value, 'g/dL', D, range ? { referenceRange: range } : {})] })).toBe(want);
  });
  it('normal: false is outside the range', () => {
    const outside = oneRule('{ measurement: haemoglobin, normal: false }', 'defaults: { lookback: 1 a }\n');
    expect(statusOf(outside, { measurements: [m('haemoglobin', 18, 'g/dL', D, { referenceRange: { low: 12, high: 16 } })] })).toBe('pass');
    expect(statusOf(outside, { measurements: [m('haemoglobin', 14, 'g/dL', D, { referenceRange: { low: 12, high: 16 } })] })).toBe('fail');
  });
  it('normal with is is a load error', () => {
    const d = loadCriteria('x.yaml', file('{ measurement: anti-dsdna, normal: true, is: positive }')).diagnostics.map((x) => x.code);
    expect(d).toContain('criteria/conflicting-keys');
  });
});

describe('only the interpretation flag recorded (H, L, A, N)', () => {
  const flag = (f: string) => ({ measurements: [m('alt', undefined, undefined, D, { interpretation: f })] });
  it.each([
    ['{ measurement: alt, max: 1 x ULN }', 'N', 'pass'],
    ['{ measurement: alt, max: 1 x ULN }', 'H', 'fail'],
    ['{ measurement: alt, max: 3 x ULN }', 'H', 'unknown'], // above the ULN, not how far
    ['{ measurement: alt, max: 3 x ULN }', 'N', 'pass'],
    ['{ measurement: alt, max: 3 x ULN }', 'L', 'pass'],
    ['{ measurement: alt, normal: true }', 'N', 'pass'],
    ['{ measurement: alt, normal: true }', 'A', 'fail'],
    ['{ measurement: alt, normal: true }', 'HH', 'fail'],
    ['{ measurement: alt, normal: false }', 'L', 'pass'],
    ['{ measurement: alt, min: 1 x LLN }', 'L', 'fail'],
    ['{ measurement: alt, min: 1 x LLN }', 'N', 'pass'],
    ['{ measurement: alt, min: 1 x LLN }', 'A', 'unknown'],
    ['{ measurement: alt, max: "40 U/L" }', 'N', 'unknown'], // a plain threshold needs the value
  ])('%s with flag %s → %s', (rule, f, want) => {
    expect(statusOf(oneRule(rule, 'defaults: { lookback: 1 a }\n'), flag(f))).toBe(want);
  });
  it('the reason says only the flag was recorded', () => {
    const r = check(oneRule('{ measurement: alt, max: 1 x ULN }', 'defaults: { lookback: 1 a }\n'), flag('H')).criteria[0]!;
    expect(r.reasons[0]!.code).toBe('interpretation');
    expect(r.reasons[0]!.text).toContain('flagged above the reference range by the laboratory');
  });
});

function file(rule: string): string {
  return ['schema: elig/criteria@1', 'id: t', 'version: 1.0.0', 'inclusion:', '  - id: i1', '    text: t', '    rule:', `      ${rule}`, ''].join('\n');
}
