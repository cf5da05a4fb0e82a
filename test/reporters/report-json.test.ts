/** report@2 per patient (report-json.ts): what the default depth keeps, what --details adds. */
import { describe, expect, it } from 'vitest';
import type { CriterionResult, PatientResult, Reason, Status } from '../../src/model.js';
import { criterionReport, patientReport, reportReasons } from '../../src/reporters/report-json.js';

const r = (code: string, status: Status, extra: Partial<Reason> = {}): Reason => ({ code, status, text: `${code} ${status}`, ...extra });
const derivation = { calculator: 'egfr', method: 'CKD-EPI 2021 creatinine', inputs: [{ item: 'creatinine', value: 0.9, unit: 'mg/dL', source: 'measurements[0]' }] };
const observed = { item: 'eGFR', value: 86, unit: 'mL/min/{1.73_m2}', source: 'calculator:egfr' };
const threshold = { op: '>=' as const, value: 30, unit: 'mL/min/{1.73_m2}' };

describe('reportReasons (the default depth)', () => {
  it.each<[string, Reason[], [string, Status][]]>([
    ['a medication that passed keeps its passing courses only',
      [r('medication', 'pass'), r('medication-course', 'pass'), r('medication-course', 'fail'), r('medication-course', 'unknown')],
      [['medication', 'pass'], ['medication-course', 'pass']]],
    ['a medication that failed keeps every course examined (why none qualified)',
      [r('medication', 'fail'), r('medication-course', 'pass'), r('medication-course', 'fail')],
      [['medication', 'fail'], ['medication-course', 'pass'], ['medication-course', 'fail']]],
    ['an unknown medication keeps the courses that left it unknown',
      [r('medication', 'unknown'), r('medication-course', 'unknown'), r('medication-course', 'fail')],
      [['medication', 'unknown'], ['medication-course', 'unknown']]],
    ['courses belong to the medication reason before them',
      [r('medication', 'pass'), r('medication-course', 'fail'), r('medication', 'fail'), r('medication-course', 'fail')],
      [['medication', 'pass'], ['medication', 'fail'], ['medication-course', 'fail']]],
    ['a course with no medication reason before it is kept',
      [r('medication-course', 'fail'), r('compare', 'pass')],
      [['medication-course', 'fail'], ['compare', 'pass']]],
    ['every other reason is kept, in order',
      [r('exclusion', 'pass'), r('condition', 'fail'), r('missing', 'unknown'), r('count', 'pass'), r('count-event', 'pass')],
      [['exclusion', 'pass'], ['condition', 'fail'], ['missing', 'unknown'], ['count', 'pass'], ['count-event', 'pass']]],
  ])('%s', (_name, reasons, kept) => {
    expect(reportReasons(reasons).map((x) => [x.code, x.status])).toEqual(kept);
  });

  it('keeps the deciding evidence (text, observed value with its source, threshold, the derivation with its inputs\' sources) and leaves out bounds', () => {
    const [out] = reportReasons([r('compare', 'pass', { observed, threshold, derivation, bounds: { lower: 1, upper: 2 } })]);
    expect(out).toEqual({ code: 'compare', status: 'pass', text: 'compare pass', observed, threshold, derivation });
    // a derived value's inputs keep their record source: where the creatinine behind an eGFR came from
    expect(out!.derivation!.inputs[0]!.source).toBe('measurements[0]');
  });

  it('a reason with no observed value (a classification, score bounds) keeps its derivation too', () => {
    const [out] = reportReasons([r('score-bounds', 'unknown', { threshold, derivation, bounds: { lower: 8, upper: 105 } })]);
    expect(out).toEqual({ code: 'score-bounds', status: 'unknown', text: 'score-bounds unknown', threshold, derivation });
    const classification = r('classification', 'pass', { derivation });
    expect(reportReasons([classification])[0]).toBe(classification);
  });

  it('a reason with nothing to leave out is written as it is (no copy)', () => {
    const plain = r('fact', 'pass', { observed, threshold });
    expect(reportReasons([plain])[0]).toBe(plain);
  });
});

describe('criterionReport', () => {
  const c: CriterionResult = {
    id: 'renal-function', kind: 'inclusion', status: 'pass', text: 'eGFR ≥ 30 mL/min/1.73 m².',
    reasons: [r('compare', 'pass', { observed, threshold, derivation }), r('medication', 'pass'), r('medication-course', 'fail')],
  };

  it('carries only what depends on the patient: no kind, no protocol text', () => {
    expect(Object.keys(criterionReport(c, false))).toEqual(['id', 'status', 'reasons']);
    expect(Object.keys(criterionReport({ ...c, status: 'unknown', missing: [{ item: 'measurement:egfr', description: 'eGFR' }] }, false))).toEqual(['id', 'status', 'reasons', 'missing']);
  });

  it('--details writes every reason as the engine gave it', () => {
    expect(criterionReport(c, true).reasons).toEqual(c.reasons);
    expect(criterionReport(c, false).reasons).toEqual([{ code: 'compare', status: 'pass', text: 'compare pass', observed, threshold, derivation }, r('medication', 'pass')]);
  });
});

describe('patientReport', () => {
  const c: CriterionResult = { id: 'age', kind: 'inclusion', status: 'pass', text: 'Age ≥ 5 years.', reasons: [r('fact', 'pass', { observed, derivation })] };
  const p: PatientResult = {
    id: 'P-1', source: { file: 'a.json', record: 1 }, verdict: 'eligible', criteria: [c],
    unmapped: [{ domain: 'medication', code: 'x', source: 'medications[0]' }],
  };

  it('keeps every patient field in its order, the criteria at the chosen depth', () => {
    const out = patientReport(p, false);
    expect(Object.keys(out)).toEqual(['id', 'source', 'verdict', 'criteria', 'unmapped']);
    expect(out.criteria).toEqual([{ id: 'age', status: 'pass', reasons: [{ code: 'fact', status: 'pass', text: 'fact pass', observed, derivation }] }]);
    expect(patientReport(p, true).criteria[0]!.reasons[0]).toBe(c.reasons[0]);
  });

  it('a field the results gain (another domain\'s evidence) reaches the report without a line in the writer', () => {
    const extra = { ...p, criteria: [{ ...c, trend: 'rising', reasons: [{ ...r('compare', 'pass', { observed, derivation }), change: { from: 1, to: 2 } }] }], notes: ['n'] } as unknown as PatientResult;
    const out = patientReport(extra, false) as unknown as { notes: string[]; criteria: { trend: string; reasons: { change: unknown; derivation?: unknown }[] }[] };
    expect(out.notes).toEqual(['n']);
    expect(out.criteria[0]!.trend).toBe('rising');
    expect(out.criteria[0]!.reasons[0]).toEqual({ code: 'compare', status: 'pass', text: 'compare pass', observed, derivation, change: { from: 1, to: 2 } });
  });
});
