/**
 * Medication-course fixes (issue 12, therapy semantics): a summed dose over a max with `current`,
 * `current` at an anchor after the as-of date, and a per-kg dose of the current weight (issue 14).
 * Each table row fails on the code before the fix.
 */
import { describe, expect, it } from 'vitest';
import { explainCriteria, loadCriteria } from '../../../src/index.js';
import { check, oneRule, statusOf } from '../../helpers.js';

const course = (name: string, start: string, end: string | undefined, status: string, dose: string) => ({ name, dose, perDay: 1, start, ...(end ? { end } : {}), status });

describe('current + dose max: concurrent courses add up (asOf 2026-11-25)', () => {
  const twoActive = [course('metformin', '2026-01-01', undefined, 'active', '1000 mg'), course('metformin', '2026-06-01', undefined, 'active', '1000 mg')];
  it.each([
    // 1000 + 1000 mg today: over 1500 (was unknown: "exposure cannot be established")
    ['{ medication: metformin, dose: { max: 1500 mg/d }, current: true }', twoActive, 'fail'],
    ['{ medication: metformin, dose: { max: 2000 mg/d }, current: true }', twoActive, 'pass'], // boundary: 2000 ≤ 2000
    ['{ medication: metformin, dose: { max: 1999 mg/d }, current: true }', twoActive, 'fail'],
    ['{ medication: metformin, dose: { max: 1500 mg/d }, current: true, within: 3 mo }', twoActive, 'fail'],
    // within a window, not current: summed over the window only (was unknown)
    ['{ medication: metformin, dose: { max: 1500 mg/d }, within: 3 mo }', twoActive, 'fail'],
    // ever: Jan–May at 1000 mg/d met the max
    ['{ medication: metformin, dose: { max: 1500 mg/d } }', twoActive, 'pass'],
    // the second course ended yesterday: 1000 mg today
    ['{ medication: metformin, dose: { max: 1500 mg/d }, current: true }', [twoActive[0]!, course('metformin', '2026-06-01', '2026-11-24', 'completed', '1000 mg')], 'pass'],
    // one course's dose unknown: the sum may exceed the max or not → unknown
    ['{ medication: metformin, dose: { max: 1500 mg/d }, current: true }', [twoActive[0]!, { name: 'metformin', start: '2026-06-01', status: 'active' }], 'unknown'],
    // a known part of the sum already over the max decides
    ['{ medication: metformin, dose: { max: 1500 mg/d }, current: true }', [course('metformin', '2026-01-01', undefined, 'active', '2000 mg'), { name: 'metformin', start: '2026-06-01', status: 'active' }], 'fail'],
    // for + current: the run under the max ends when the second course starts
    ['{ medication: metformin, dose: { max: 1500 mg/d }, for: 3 mo, current: true }', twoActive, 'fail'],
  ])('%s with %j → %s', (rule, medications, want) => {
    expect(statusOf(oneRule(rule), { medications })).toBe(want);
  });

  it('the failing reason says it is not taken currently at the required dose', () => {
    const r = check(oneRule('{ medication: metformin, dose: { max: 1500 mg/d }, current: true }'), { medications: twoActive });
    expect(r.criteria[0]!.reasons[0]!.text).toBe('metformin not taken currently at the required dose');
  });
});

describe('current at an anchor after the as-of date (asOf 2026-11-25, first dose 2026-12-10)', () => {
  const A = 'anchors:\n  first-dose: { given: true }\n';
  const rec = (medications: unknown[]) => ({ medications, anchors: { 'first-dose': '2026-12-10' } });
  it.each([
    // a course planned to end before the first dose is not current at it (was pass: judged at asOf)
    ['{ medication: prednisone, current: true, anchor: first-dose }', [course('prednisone', '2026-01-01', '2026-12-05', 'active', '20 mg')], 'fail'],
    ['{ medication: prednisone, current: true, anchor: first-dose }', [course('prednisone', '2026-01-01', '2026-12-10', 'active', '20 mg')], 'pass'], // ends on the anchor day
    ['{ medication: prednisone, current: true, anchor: first-dose }', [course('prednisone', '2026-01-01', undefined, 'active', '20 mg')], 'pass'], // ongoing: continues
    ['{ medication: prednisone, current: true, anchor: first-dose }', [course('prednisone', '2026-01-01', '2026-11-20', 'completed', '20 mg')], 'fail'],
    // for + current: the run is measured up to the anchor (was: up to asOf, 4 wk 5 d)
    ['{ medication: prednisone, for: 6 wk, current: true, anchor: first-dose }', [course('prednisone', '2026-10-25', undefined, 'active', '20 mg')], 'pass'],
    ['{ medication: prednisone, for: 8 wk, current: true, anchor: first-dose }', [course('prednisone', '2026-10-25', undefined, 'active', '20 mg')], 'fail'],
    // summed doses at the anchor: the second course ends before it
    ['{ medication: prednisone, dose: { min: 30 mg/d }, current: true, anchor: first-dose }',
      [course('prednisone', '2026-11-01', undefined, 'active', '20 mg'), course('prednisone', '2026-11-01', '2026-12-01', 'active', '10 mg')], 'fail'],
    ['{ medication: prednisone, dose: { min: 30 mg/d }, current: true, anchor: first-dose }',
      [course('prednisone', '2026-11-01', undefined, 'active', '20 mg'), course('prednisone', '2026-11-01', undefined, 'active', '10 mg')], 'pass'],
  ])('%s with %j → %s', (rule, medications, want) => {
    expect(statusOf(oneRule(rule, A), rec(medications))).toBe(want);
  });

  it.each([
    // stableFor at the anchor: the stable period is projected to it (was: measured up to asOf)
    ['{ medication: prednisone, stableFor: 6 wk, anchor: first-dose }', [course('prednisone', '2026-10-25', undefined, 'active', '20 mg')], 'pass'], // 10-25 → 12-10
    ['{ medication: prednisone, stableFor: 8 wk, anchor: first-dose }', [course('prednisone', '2026-10-25', undefined, 'active', '20 mg')], 'fail'],
    ['{ medication: prednisone, stableFor: 4 wk, anchor: first-dose }', [course('prednisone', '2026-01-01', '2026-12-05', 'active', '20 mg')], 'fail'], // ends before the anchor
  ])('%s with %j → %s', (rule, medications, want) => {
    expect(statusOf(oneRule(rule, A), rec(medications))).toBe(want);
  });

  it('explain says stableFor is judged at the anchor', () => {
    const loaded = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\n${A}inclusion:\n  - id: c\n    text: t\n    rule: { medication: prednisone, stableFor: 4 wk, anchor: first-dose }\n`);
    expect(JSON.stringify(explainCriteria(loaded.criteria!.doc))).toContain('taking prednisone at first-dose (the date given for first-dose) at an unchanged daily dose');
  });

  it('an anchor before the as-of date still reads the record as of the anchor', () => {
    const meds = [course('prednisone', '2026-01-01', '2026-11-01', 'completed', '20 mg')];
    expect(statusOf(oneRule('{ medication: prednisone, current: true, anchor: first-dose }', A), { medications: meds, anchors: { 'first-dose': '2026-10-01' } })).toBe('pass');
  });
});

describe('dose per kg of the current weight (dose.weight: current)', () => {
  // prednisone 60 mg/d since 2024; the only weight is 55 kg, recorded 2026-11-20
  const rec = { medications: [course('prednisone', '2024-01-01', undefined, 'active', '60 mg')], measurements: [{ code: 'weight', value: 55, unit: 'kg', date: '2026-11-20' }] };
  it.each([
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d }, for: 3 mo }', rec, 'unknown'], // no weight near the course start
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: current }, for: 3 mo }', rec, 'pass'], // 60 / 55 = 1.09
    ['{ medication: prednisone, dose: { min: 1.1 mg/kg/d, weight: current }, for: 3 mo }', rec, 'fail'],
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, as: prednisone, weight: current }, for: 3 mo }', rec, 'pass'],
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: start }, for: 3 mo }', rec, 'unknown'],
    // a current weight older than 180 days is not current
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: current } }', { ...rec, measurements: [{ code: 'weight', value: 55, unit: 'kg', date: '2026-05-20' }] }, 'unknown'],
    // boundary: 60 mg / 60 kg = 1 mg/kg/d
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: current } }', { ...rec, measurements: [{ code: 'weight', value: 60, unit: 'kg', date: '2026-11-20' }] }, 'pass'],
  ])('%s → %s', (rule, record, want) => {
    expect(statusOf(oneRule(rule), record)).toBe(want);
  });

  it('the reason shows the current weight, and missing names it', () => {
    const r = check(oneRule('{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: current }, for: 3 mo }'), rec);
    expect(r.criteria[0]!.reasons.map((x) => x.text).join('\n')).toContain('÷ current weight 55 kg on 2026-11-20');
    const u = check(oneRule('{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: current } }'), { medications: rec.medications });
    expect((u.criteria[0]!.missing ?? []).map((m) => m.description)).toContain('current body weight (within 180 days before 2026-11-25)');
  });

  it.each([
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: current } }', 'per kg of the current weight'],
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d } }', 'per kg of the weight at the course start'],
  ])('explain %s says which weight', (rule, words) => {
    const loaded = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`);
    expect(JSON.stringify(explainCriteria(loaded.criteria!.doc))).toContain(words);
  });

  it.each([
    ['{ medication: prednisone, dose: { min: 10 mg/d, weight: current } }', 'criteria/invalid-value', 7, 59],
    ['{ medication: prednisone, dose: { min: 1 mg/kg/d, weight: now } }', 'criteria/invalid-value', 7, 69],
  ])('load error: %s', (rule, code, line, column) => {
    const loaded = loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`);
    expect(loaded.criteria).toBeUndefined();
    const d = loaded.diagnostics.find((x) => x.code === code)!;
    expect(d).toBeDefined();
    expect([d.location?.line, d.location?.column]).toEqual([line, column]);
  });
});
