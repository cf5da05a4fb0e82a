import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { check, compile, oneRule, statusOf } from '../../helpers.js';

const mtx = (start: string, end: string | undefined, dose: string, extra: Record<string, unknown> = {}) => ({ name: 'methotrexate', dose, frequency: 'weekly', start, ...(end ? { end } : {}), status: end ? 'completed' : 'active', ...extra });

describe('medication stableFor: unchanged daily dose up to asOf (2026-11-25)', () => {
  const c = oneRule('{ medication: methotrexate, stableFor: 4 wk }');
  it.each([
    [[mtx('2026-10-28', undefined, '15 mg')], 'pass'], // exactly 4 weeks (10-28 … 11-25)
    [[mtx('2026-10-29', undefined, '15 mg')], 'fail'], // one day short
    [[mtx('2026-06-01', '2026-10-31', '10 mg'), mtx('2026-11-01', undefined, '15 mg')], 'fail'], // dose raised 11-01
    [[mtx('2026-06-01', '2026-10-31', '15 mg'), mtx('2026-11-01', undefined, '15 mg')], 'pass'], // same dose, new prescription
    [[mtx('2026-06-01', '2026-10-20', '15 mg'), mtx('2026-11-01', undefined, '15 mg')], 'fail'], // a gap
    [[mtx('2026-06-01', '2026-11-20', '15 mg')], 'fail'], // not taken at asOf
    [[mtx('2026-06-01', undefined, '15 mg', { frequency: undefined })], 'unknown'], // no frequency: daily dose unknown
    [[{ name: 'methotrexate', status: 'active' }], 'unknown'], // no start date
  ])('%j → %s', (medications, want) => {
    expect(statusOf(c, { medications })).toBe(want);
  });
  it('the reason names the dose and the period', () => {
    const r = check(c, { medications: [mtx('2026-06-01', undefined, '15 mg')] });
    expect(r.criteria[0]!.reasons[0]!.text).toBe('methotrexate: 2.14 mg/day since 2026-06-01; stable for at least 4 weeks (from 2026-10-28)');
  });
});

describe('medication washout: n half-lives or a minimum, whichever is longer', () => {
  // belimumab: half-life 19.4 d (vocabulary) → 5 half-lives = 97 days → window from 2026-08-21
  const c = oneRule('{ medication: belimumab, washout: { halfLives: 5, min: 4 wk } }');
  const bel = (end: string | undefined, status = 'completed') => ({ medications: [{ name: 'belimumab', start: '2025-01-01', ...(end ? { end } : {}), status }] });
  it.each([
    [bel('2026-08-21'), 'pass'], // the first day of 97 days
    [bel('2026-08-20'), 'fail'],
    [bel(undefined, 'active'), 'pass'],
    [bel(undefined, 'stopped'), 'unknown'], // no end date
    [{ medications: [] }, 'fail'],
  ])('%j → %s', (record, want) => {
    expect(statusOf(c, record)).toBe(want);
  });
  it('the reason shows the arithmetic', () => {
    const r = check(c, bel('2026-08-21'));
    expect(r.criteria[0]!.reasons[1]!.text).toContain('5 half-lives (5 × 19.4 days = 97 days) or 4 weeks, whichever is longer: from 2026-08-21');
  });
  it.each([
    // a drug without a half-life: a dose inside min still holds, an older one is unknown with the half-life missing
    ['2026-10-28', 'pass'],
    ['2026-10-27', 'unknown'],
  ])('no half-life known: last dose %s → %s', (end, want) => {
    const r = check(oneRule('{ medication: hydroxychloroquine, washout: { halfLives: 5, min: 4 wk } }'), { medications: [{ name: 'hydroxychloroquine', start: '2025-01-01', end, status: 'completed' }] });
    expect(r.criteria[0]!.status).toBe(want);
    if (want === 'unknown') expect(r.criteria[0]!.missing?.[0]!.item).toBe('half-life:hydroxychloroquine');
  });
  it('a criteria file gives an investigational drug its half-life (hours)', () => {
    const c2 = compile(`concepts:
  - { id: study-drug-x, kind: drug, display: study drug X, synonyms: [abc-123], halfLife: 36 h }
inclusion:
  - id: c
    text: t
    rule: { medication: study-drug-x, washout: { halfLives: 5, min: 4 d } }
`);
    // 5 × 36 h = 7.5 days → 8 days: from 2026-11-18
    expect(statusOf(c2, { medications: [{ name: 'abc-123', start: '2026-11-01', end: '2026-11-18', status: 'completed' }] })).toBe('pass');
    expect(statusOf(c2, { medications: [{ name: 'abc-123', start: '2026-11-01', end: '2026-11-17', status: 'completed' }] })).toBe('fail');
  });
  it.each([
    ['{ medication: belimumab, washout: { halfLives: 5 }, within: 4 wk }', 'criteria/invalid-value'],
    ['{ medication: belimumab, washout: {} }', 'criteria/invalid-value'],
    ['{ medication: belimumab, washout: { min: 4 weeks of } }', 'criteria/invalid-value'],
    ['{ medication: belimumab, stableFor: 4 wk, dose: { min: 10 mg/d } }', 'criteria/invalid-value'],
  ])('%s is a located load error', (rule, code) => {
    const d = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;
    expect(d.find((x) => x.code === code)?.location?.line, JSON.stringify(d)).toBe(7);
  });
});

describe('medication lines: lines of therapy', () => {
  const c = oneRule('{ medication: [rituximab, cyclophosphamide, methotrexate, belimumab], lines: 2 }');
  const course = (name: string, start: string | undefined, end?: string) => ({ name, ...(start ? { start } : {}), ...(end ? { end } : {}), status: end ? 'completed' : 'active' });
  it.each([
    // two drugs started together are one line
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('cyclophosphamide', '2025-01-20', '2025-03-01')], 'fail'],
    // a drug started 28 days after the line began is a switch: a second line
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('cyclophosphamide', '2025-01-29', '2025-03-01')], 'pass'],
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('cyclophosphamide', '2025-01-28', '2025-03-01')], 'fail'], // day 27: same regimen
    // the same drug again after 120 days without exposure: re-treatment, a new line
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('rituximab', '2025-06-30')], 'pass'],
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('rituximab', '2025-06-29')], 'fail'], // 120 days: continues
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('belimumab', undefined)], 'unknown'], // an undated course could be a second line
    [[course('rituximab', '2025-01-01', '2025-03-01'), course('methotrexate', '2027-01-01')], 'fail'], // after asOf
    [[], 'fail'],
  ])('%j → %s', (medications, want) => {
    expect(statusOf(c, { medications })).toBe(want);
  });
  it('the reason lists the lines', () => {
    const r = check(c, { medications: [course('rituximab', '2025-01-01', '2025-03-01'), course('cyclophosphamide', '2025-01-10', '2025-03-01'), course('belimumab', '2025-08-01')] });
    expect(r.criteria[0]!.reasons[0]!.text).toBe('rituximab, cyclophosphamide, methotrexate, belimumab: 2 lines of therapy (line 1 from 2025-01-01: rituximab + cyclophosphamide; line 2 from 2025-08-01: belimumab); at least 2 required');
  });
  it('lines with for is a located load error', () => {
    const d = loadCriteria('x.yaml', 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: { medication: rituximab, lines: 2, for: 3 mo }\n').diagnostics;
    expect(d[0]).toMatchObject({ code: 'criteria/invalid-value', location: { line: 7 } });
  });
});
