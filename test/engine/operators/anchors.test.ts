import { describe, expect, it } from 'vitest';
import { compileCriteria, evaluateRecord, loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';
import { ANCHORS, consent } from './anchor-fixture.js';

describe('anchors: a rule read at an event instead of the as-of date', () => {
  const hb = oneRule('{ measurement: haemoglobin, min: 9 g/dL, within: 2 mo, anchor: leukapheresis }', ANCHORS);
  const rec = (procDate: string | undefined, hbDate: string, value = 10) => ({
    ...(procDate === undefined ? {} : { procedures: [{ code: 'leukapheresis', date: procDate }] }),
    measurements: [{ code: 'haemoglobin', value, unit: 'g/dL', date: hbDate }],
  });
  it.each([
    ['2026-10-01', '2026-08-01', 10, 'pass'], // 2 months before leukapheresis: first day of the window
    ['2026-10-01', '2026-07-31', 10, 'unknown'], // one day too early
    ['2026-10-01', '2026-09-15', 8, 'fail'],
    ['2026-10-01', '2026-11-20', 10, 'unknown'], // after leukapheresis: not "before" it, not read
    [undefined, '2026-11-20', 10, 'unknown'], // no procedures list: anchor unknown
    ['2026-12-01', '2026-11-20', 10, 'unknown'], // leukapheresis after asOf is not an event yet
  ])('leukapheresis %s, Hb on %s = %s → %s', (proc, date, v, want) => {
    expect(statusOf(hb, rec(proc, date, v))).toBe(want);
  });
  it('an unknown anchor is named in missing', () => {
    const r = check(hb, rec(undefined, '2026-11-20'));
    expect(r.criteria[0]!.missing?.map((m) => m.item)).toEqual(['anchor:leukapheresis']);
    expect(r.criteria[0]!.reasons[0]!.text).toMatch(/anchor leukapheresis: no procedures list/);
  });
  it('the reason names the anchor date and source', () => {
    const r = check(hb, rec('2026-10-01', '2026-09-15'));
    expect(r.criteria[0]!.reasons[0]).toMatchObject({ code: 'anchor', observed: { date: '2026-10-01', source: 'procedures[0]' } });
    expect(r.criteria[0]!.reasons[0]!.text).toContain('2026-10-01');
  });

  const age = oneRule('{ fact: age, min: 18 a, anchor: consent }', ANCHORS);
  it.each([
    ['2026-06-01', 'fail'], // 17 at consent, 18 at asOf
    ['2026-07-01', 'pass'], // 18th birthday
  ])('age at consent %s → %s', (date, want) => {
    expect(statusOf(age, { birthDate: '2008-07-01', ...consent(date) })).toBe(want);
  });
  it('age at consent without a consent date is unknown', () => {
    expect(statusOf(age, { birthDate: '2008-07-01', attestations: [{ code: 'informed-consent' }] })).toBe('unknown');
  });

  it.each([
    // a given anchor: the record's own date wins over the run's
    [{ anchors: { 'first-dose': '2026-12-10' } }, new Map([['first-dose', '2026-12-30']]), '2026-11-13', 'pass'],
    [{}, new Map([['first-dose', '2026-12-10']]), '2026-11-13', 'pass'], // 4 weeks before 12-10 starts 11-12
    [{}, new Map([['first-dose', '2026-12-10']]), '2026-11-11', 'unknown'],
    [{}, new Map<string, string>(), '2026-11-20', 'unknown'],
  ])('given anchor first-dose: record %j, run %j, value on %s → %s', (extra, run, date, want) => {
    const loaded = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\n${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { measurement: platelets, min: 100, within: 4 wk, anchor: first-dose }\n`);
    const c = compileCriteria(loaded.criteria!, { anchors: run });
    const r = evaluateRecord(c, { ...extra, measurements: [{ code: 'platelets', value: 150, unit: '10*9/L', date }] }, '2026-11-25', { file: 't' });
    expect(r.criteria[0]!.status).toBe(want);
  });
  it('a future anchor reads no data after the as-of date', () => {
    const loaded = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\n${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { measurement: platelets, min: 100, within: 4 wk, anchor: first-dose }\n`);
    const c = compileCriteria(loaded.criteria!, { anchors: new Map([['first-dose', '2026-12-10']]) });
    const r = evaluateRecord(c, { measurements: [{ code: 'platelets', value: 150, unit: '10*9/L', date: '2026-12-01' }] }, '2026-11-25', { file: 't' });
    expect(r.criteria[0]!.status).toBe('unknown');
  });
});

describe('anchors: load-time errors', () => {
  const load = (body: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\n${body}`).diagnostics;
  it.each([
    [`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { measurement: egfr, min: 30, anchor: concent }\n`, 'criteria/unknown-anchor', 'did you mean "consent"?', 14],
    [`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { elapsed: rtx-lst, min: 12 mo }\n`, 'criteria/unknown-anchor', 'did you mean "rtx-last"?', 14],
    [`anchors:\n  x: { attestation: consent, procedure: dialysis }\ninclusion:\n  - id: c\n    text: t\n    rule: { elapsed: x, min: 1 d }\n`, 'criteria/invalid-anchor', undefined, 5],
    [`anchors:\n  x: { procedure: dialisys }\ninclusion:\n  - id: c\n    text: t\n    rule: { elapsed: x, min: 1 d }\n`, 'criteria/unknown-code', 'did you mean "dialysis"?', 5],
    [`anchors:\n  x: { given: true, occurrence: first }\ninclusion:\n  - id: c\n    text: t\n    rule: { elapsed: x, min: 1 d }\n`, 'criteria/invalid-anchor', undefined, 5],
    [`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { elapsed: consent }\n`, 'criteria/invalid-value', undefined, 14],
    [`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { fact: sex, is: female, anchor: consent }\n`, 'criteria/invalid-value', undefined, 14],
  ])('%#: %s', (body, code, hint, line) => {
    const d = load(body).find((x) => x.code === code);
    expect(d, JSON.stringify(load(body))).toBeDefined();
    expect(d!.location?.line).toBe(line);
    if (hint) expect(d!.hint).toBe(hint);
  });
});

