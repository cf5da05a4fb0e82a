import { describe, expect, it } from 'vitest';
import { check, compile, oneRule, statusOf } from '../../helpers.js';
import { lintCriteria, loadCriteria } from '../../../src/index.js';

const weight = (value: number, date: string) => ({ code: 'weight', value, unit: 'kg', date });

describe('medication: classes, synonyms and codes', () => {
  const mmf = oneRule('{ medication: mycophenolate }');
  it.each([
    ['MMF'], ['mycophenolate mofetil'], ['Mycophenolic acid'], ['CellCept 500 mg tablet'], ['atc:L04AA06'], ['rxnorm:68149'], ['吗替麦考酚酯'],
  ])('%s is mycophenolate', (name) => {
    expect(statusOf(mmf, { medications: [{ name, start: '2025-01-01' }] })).toBe('pass');
  });
  it('cyclosporin = ciclosporin; Beliumab = belimumab', () => {
    expect(statusOf(oneRule('{ medication: ciclosporin }'), { medications: [{ name: 'cyclosporin', start: '2025-01-01' }] })).toBe('pass');
    expect(statusOf(oneRule('{ medication: belimumab }'), { medications: [{ name: 'Beliumab', start: '2025-01-01' }] })).toBe('pass');
  });
  it('no medication history → unknown; a history without the drug → fail', () => {
    expect(statusOf(mmf, {})).toBe('unknown');
    expect(statusOf(mmf, { medications: [] })).toBe('fail');
    expect(statusOf(mmf, { medications: [{ name: 'azathioprine', start: '2025-01-01' }] })).toBe('fail');
  });
});

describe('medication: atLeast n distinct drugs', () => {
  const c = oneRule('{ medication: [cyclophosphamide, mycophenolate, azathioprine, tacrolimus], atLeast: 2 }');
  it.each([
    [['MMF', 'azathioprine'], 'pass'],
    [['MMF', 'mycophenolic acid'], 'fail'], // one drug, two names
    [['MMF'], 'fail'],
    [['MMF', 'prednisone'], 'fail'],
  ])('%j → %s', (names, want) => {
    expect(statusOf(c, { medications: names.map((name) => ({ name, start: '2025-01-01' })) })).toBe(want);
  });
  it('a course with no start date counts as ever taken; one ending after the as-of date is unknown', () => {
    expect(statusOf(c, { medications: [{ name: 'MMF', start: '2025-01-01' }, { name: 'tacrolimus' }] })).toBe('pass');
    expect(statusOf(c, { medications: [{ name: 'MMF', start: '2025-01-01' }, { name: 'tacrolimus', end: '2027-03-01' }] })).toBe('unknown');
  });
});

describe('medication: duration and dose (prednisone-equivalent mg/kg/d)', () => {
  const c = oneRule('{ medication: glucocorticoid, dose: { min: 1 mg/kg/d, as: prednisone }, for: 3 mo }');
  it.each([
    // methylprednisolone 40 mg/d in 50 kg = 50 mg prednisone/d = 1.0 mg/kg/d, 4 months
    ['methylprednisolone 40 mg/d, 50 kg, 4 months', [{ name: 'methylprednisolone', dose: '40 mg', perDay: 1, start: '2026-03-01', end: '2026-07-01' }], [weight(50, '2026-03-01')], 'pass'],
    ['same, 2 months', [{ name: 'methylprednisolone', dose: '40 mg', perDay: 1, start: '2026-03-01', end: '2026-05-01' }], [weight(50, '2026-03-01')], 'fail'],
    ['exactly 3 calendar months', [{ name: 'prednisone', dose: '60 mg', frequency: 'qd', start: '2026-03-01', end: '2026-06-01' }], [weight(60, '2026-03-01')], 'pass'],
    ['60 mg/d in 70 kg is 0.86 mg/kg/d', [{ name: 'prednisone', dose: '60 mg', frequency: 'daily', start: '2026-01-01', end: '2026-07-01' }], [weight(70, '2026-01-01')], 'fail'],
    ['two adjacent courses merge', [
      { name: 'prednisone', dose: '50 mg', perDay: 1, start: '2026-01-01', end: '2026-02-15' },
      { name: 'prednisolone', dose: '25 mg', frequency: 'bid', start: '2026-02-16', end: '2026-04-15' },
    ], [weight(50, '2026-01-01')], 'pass'],
    ['no weight: unknown', [{ name: 'prednisone', dose: '60 mg', perDay: 1, start: '2026-01-01', end: '2026-07-01' }], [], 'unknown'],
    ['no frequency: unknown', [{ name: 'prednisone', dose: '60 mg', start: '2026-01-01', end: '2026-07-01' }], [weight(50, '2026-01-01')], 'unknown'],
    ['ongoing course counts to asOf', [{ name: 'prednisone', dose: '60 mg', perDay: 1, start: '2026-07-01', status: 'active' }], [weight(55, '2026-07-01')], 'pass'],
    ['stopped without end date: length unknown', [{ name: 'prednisone', dose: '60 mg', perDay: 1, start: '2026-07-01', status: 'stopped' }], [weight(55, '2026-07-01')], 'unknown'],
    ['dexamethasone 9 mg/d in 60 kg = 60 mg prednisone = 1.0', [{ name: 'dexamethasone', dose: '9 mg', perDay: 1, start: '2026-01-01', end: '2026-05-01' }], [weight(60, '2026-01-01')], 'pass'],
    ['q48h halves the daily dose', [{ name: 'prednisone', dose: '100 mg', frequency: 'q48h', start: '2026-01-01', end: '2026-05-01' }], [weight(60, '2026-01-01')], 'fail'],
  ])('%s → %s', (_n, medications, measurements, want) => {
    expect(statusOf(c, { medications, measurements })).toBe(want);
  });

  it.each([
    // prednisone 30 mg/d + methylprednisolone 16 mg/d (= 20 mg prednisone) at 50 kg = 1.0 mg/kg/d, together for 4 months
    ['concurrent courses add up', [
      { name: 'prednisone', dose: '30 mg', perDay: 1, start: '2026-03-01', end: '2026-07-01' },
      { name: 'methylprednisolone', dose: '16 mg', perDay: 1, start: '2026-03-01', end: '2026-07-01' },
    ], 'pass'],
    // overlapping only for 1 month: the sum meets the dose for 1 month, neither course alone does
    ['only the overlap counts', [
      { name: 'prednisone', dose: '30 mg', perDay: 1, start: '2026-03-01', end: '2026-07-01' },
      { name: 'methylprednisolone', dose: '16 mg', perDay: 1, start: '2026-06-01', end: '2026-07-01' },
    ], 'fail'],
    // a course of unknown dose beside one that is too low: could add up → unknown
    ['an unknown dose beside a low one', [
      { name: 'prednisone', dose: '30 mg', perDay: 1, start: '2026-03-01', end: '2026-07-01' },
      { name: 'methylprednisolone', start: '2026-03-01', end: '2026-07-01' },
    ], 'unknown'],
  ])('%s → %s', (_n, medications, want) => {
    expect(statusOf(c, { medications, measurements: [weight(50, '2026-03-01')] })).toBe(want);
  });

  it('the reason shows the equivalence arithmetic and the weight used', () => {
    const r = check(c, { medications: [{ name: 'methylprednisolone', dose: '40 mg', perDay: 1, start: '2026-03-01', end: '2026-07-01' }], measurements: [weight(50, '2026-03-01')] }).criteria[0]!;
    const course = r.reasons.find((x) => x.code === 'medication-course')!;
    expect(course.text).toMatch(/40 mg\/d methylprednisolone = 50 mg\/d prednisone-equivalent/);
    expect(course.text).toMatch(/weight 50 kg on 2026-03-01/);
  });
});

describe('medication: only systemic therapy counts', () => {
  it.each([
    [{ name: 'hydrocortisone 1% cream', start: '2026-01-01' }, 'fail'],
    [{ name: 'budesonide', route: 'inhalation', start: '2026-01-01' }, 'fail'],
    [{ name: 'prednisolone', route: 'ophthalmic', start: '2026-01-01' }, 'fail'],
    [{ name: 'prednisolone', route: 'oral', start: '2026-01-01' }, 'pass'],
  ])('%j → %s', (med, want) => {
    expect(statusOf(oneRule('{ medication: glucocorticoid }'), { medications: [med] })).toBe(want);
  });
});

describe('medication: intolerance, windows, current', () => {
  it('acceptIntolerance: a drug stopped for intolerance counts as tried', () => {
    const c = oneRule('{ medication: [mycophenolate, azathioprine, tacrolimus], atLeast: 2, acceptIntolerance: true }');
    expect(statusOf(c, { medications: [{ name: 'MMF', start: '2024-01-01' }, { name: 'tacrolimus', start: '2025-01-01', end: '2025-02-01', stopReason: 'intolerance (tremor)' }] })).toBe('pass');
  });
  it('within: exposure overlapping the last 4 weeks', () => {
    const c = oneRule('{ medication: rituximab, within: 4 wk }');
    expect(statusOf(c, { medications: [{ name: 'rituximab', start: '2026-11-10', end: '2026-11-10' }] })).toBe('pass');
    expect(statusOf(c, { medications: [{ name: 'rituximab', start: '2026-06-01', end: '2026-06-01' }] })).toBe('fail');
  });
  it('current: active at asOf', () => {
    const c = oneRule('{ medication: hydroxychloroquine, current: true }');
    expect(statusOf(c, { medications: [{ name: 'HCQ', start: '2024-01-01' }] })).toBe('pass');
    expect(statusOf(c, { medications: [{ name: 'HCQ', start: '2024-01-01', end: '2025-01-01' }] })).toBe('fail');
  });
});

describe('medication: a course end date is inclusive (FHIR Period.end)', () => {
  const c = oneRule('{ medication: glucocorticoid, dose: { min: 1 mg/kg/d, as: prednisone }, for: 3 mo }');
  it.each([
    ['1 Aug → 31 Oct is three months', '2026-08-01', '2026-10-31', 'pass'],
    ['1 Aug → 30 Oct is not', '2026-08-01', '2026-10-30', 'fail'],
    ['15 Jan → 14 Apr is three months', '2026-01-15', '2026-04-14', 'pass'],
  ])('%s', (_n, start, end, want) => {
    expect(statusOf(c, { medications: [{ name: 'prednisone', dose: '60 mg', perDay: 1, start, end }], measurements: [weight(60, start)] })).toBe(want);
  });
  it('the reason shows the deciding digits: 0.9998 mg/kg/d is not "1 < 1"', () => {
    // 59.988 mg/d over 60 kg = 0.9998 mg/kg/d
    const r = check(c, { medications: [{ name: 'prednisone', dose: '59.988 mg', perDay: 1, start: '2026-01-01', end: '2026-06-01' }], measurements: [weight(60, '2026-01-01')] }).criteria[0]!;
    expect(r.status).toBe('fail');
    const text = r.reasons.map((x) => x.text).join('\n');
    expect(text).toContain('0.9998 mg/kg/d prednisone-equivalent < 1 mg/kg/d');
    expect(text).not.toMatch(/\b1 mg\/kg\/d prednisone-equivalent < 1 mg\/kg\/d/);
  });
});

describe('medication: "ever taken" needs no start date', () => {
  const ever = oneRule('{ medication: tacrolimus }');
  it.each([
    [{ name: 'tacrolimus' }, 'pass'], // CSV "yes": only the exposure is known
    [{ name: 'tacrolimus', status: 'active' }, 'pass'],
    [{ name: 'tacrolimus', status: 'stopped' }, 'pass'],
    [{ name: 'tacrolimus', end: '2025-06-30' }, 'pass'], // ended before the as-of date
    [{ name: 'tacrolimus', end: '2027-01-31' }, 'unknown'], // ends after the as-of date: may not have begun
    [{ name: 'tacrolimus', status: 'intended' }, 'fail'], // never given
  ])('%j → %s', (med, want) => {
    expect(statusOf(ever, { medications: [med] })).toBe(want);
  });
  it('an excluding drug without a start date excludes', () => {
    const ex = compile('exclusion:\n  - id: x\n    text: prior rituximab\n    rule: { medication: rituximab }\n');
    expect(check(ex, { medications: [{ name: 'rituximab', status: 'completed' }] }).verdict).toBe('ineligible');
  });
  it.each([
    ['{ medication: tacrolimus, within: 4 wk }'],
    ['{ medication: tacrolimus, current: true }'],
    ['{ medication: tacrolimus, for: 3 mo }'],
  ])('%s still needs the dates', (rule) => {
    expect(statusOf(oneRule(rule), { medications: [{ name: 'tacrolimus', status: 'completed' }] })).toBe('unknown');
  });
});

describe('medication: codes directly, ATC descendants only when explicit', () => {
  it.each([
    ['"atc:L04AA06"', { code: 'atc:L04AA06' }, 'pass'], // mycophenolate's own code: the concept
    ['"atc:L04AA06"', { code: 'x', name: 'mycophenolate mofetil' }, 'pass'],
    ['"atc:L04AA06"', { code: 'atc:L04AA10' }, 'fail'], // a sibling (sirolimus, old code)
    ['"atc:L04A"', { code: 'atc:L04AA06' }, 'fail'], // an exact class code is not its members
    ['"atc:L04A*"', { code: 'atc:L04AA06' }, 'pass'],
    ['"atc:L04A*"', { code: 'x', name: 'azathioprine' }, 'pass'], // through the concept's code L04AX01
    ['"atc:L04A*"', { code: 'atc:L01AA01' }, 'fail'], // cyclophosphamide is L01
    ['"atc:A10A*"', { code: 'atc:A10AB01', name: 'insulin human' }, 'pass'], // not in the vocabulary: the record code
    ['"atc:A10A*"', { code: 'http://www.whocc.no/atc|A10AE04' }, 'pass'],
    ['"atc:A10A*"', { code: 'atc:A10BA02', name: 'metformin' }, 'fail'],
    ['"rxnorm:6809"', { code: 'rxnorm:6809', name: 'metformin' }, 'pass'],
    ['"rxnorm:6809"', { code: 'rxnorm:68090' }, 'fail'],
  ])('medication %s, record %j → %s', (term, med, want) => {
    expect(statusOf(oneRule(`{ medication: ${term} }`), { medications: [{ ...med, start: '2026-01-01', status: 'active' }] })).toBe(want);
  });
  it('atLeast counts distinct drugs matched by code, mapped or not', () => {
    const r = oneRule('{ medication: ["atc:A10A*"], atLeast: 2 }');
    expect(statusOf(r, { medications: [{ code: 'atc:A10AB01', start: '2026-01-01' }, { code: 'atc:A10AE04', start: '2026-01-01' }] })).toBe('pass');
    expect(statusOf(r, { medications: [{ code: 'atc:A10AB01', start: '2026-01-01' }, { code: 'atc:A10AB01', start: '2026-02-01' }] })).toBe('fail');
  });
});

describe('medication: dose bounds in another mass unit are converted (g/d, µg/kg/d)', () => {
  const met = (dose: string) => ({ medications: [{ name: 'metformin', dose, frequency: 'bid', start: '2026-01-01', status: 'active' }] });
  it.each([
    ['{ medication: metformin, current: true, dose: { max: 2 g/d } }', '1000 mg', 'pass'], // 2000 mg/d ≤ 2 g/d (was compared as 2000 ≤ 2)
    ['{ medication: metformin, current: true, dose: { max: 2 g/d } }', '1250 mg', 'fail'],
    ['{ medication: metformin, current: true, dose: { min: 1.5 g/d } }', '500 mg', 'fail'], // 1000 mg/d < 1.5 g/d (was 1000 ≥ 1.5)
    ['{ medication: metformin, current: true, dose: { min: 1.5 g/d } }', '1 g', 'pass'],
    ['{ medication: metformin, current: true, dose: { min: 1500 mg/d } }', '750 mg', 'pass'],
  ])('%s with %s twice daily → %s', (rule, dose, want) => {
    expect(statusOf(oneRule(rule), met(dose))).toBe(want);
  });
  it('a weight-based bound in µg/kg/d', () => {
    const r = oneRule('{ medication: prednisone, current: true, dose: { min: 500 ug/kg/d } }');
    const rec = (mg: number) => ({ medications: [{ name: 'prednisone', dose: `${mg} mg`, perDay: 1, start: '2026-11-01', status: 'active' }], measurements: [weight(60, '2026-11-01')] });
    expect(statusOf(r, rec(30))).toBe('pass'); // 0.5 mg/kg/d
    expect(statusOf(r, rec(20))).toBe('fail'); // 0.33 mg/kg/d
  });
});

describe('medication: doses in international units (insulin, heparin)', () => {
  const tdd = oneRule('{ medication: insulin, current: true, dose: { min: 0.5 U/kg/d, max: 40 U/d } }');
  const rec = (meds: Record<string, unknown>[], kg = 50) => ({ medications: meds.map((m) => ({ start: '2026-01-01', status: 'active', ...m })), measurements: [weight(kg, '2026-01-01')] });
  it.each([
    ['30 U once daily, 50 kg (0.6 U/kg/d)', [{ name: 'insulin lispro', dose: '30 U', perDay: 1 }], 50, 'pass'],
    ['glargine 10 U + aspart 8 units tid = 34 U/d (concurrent courses add up)', [{ name: 'insulin glargine', dose: '10 U', perDay: 1 }, { name: 'insulin aspart', dose: '8 units', frequency: 'tid' }], 50, 'pass'],
    ['44 IU/d is above 40 U/d', [{ name: 'insulin lispro', dose: '44 IU', perDay: 1 }], 100, 'fail'],
    ['20 [iU]/d, 50 kg is 0.4 U/kg/d', [{ name: 'insulin lispro', dose: '20 [iU]', perDay: 1 }], 50, 'fail'],
    ['a dose in mg cannot be read as units', [{ name: 'insulin lispro', dose: '30 mg', perDay: 1 }], 50, 'unknown'],
  ])('%s → %s', (_n, meds, kg, want) => {
    expect(statusOf(tdd, rec(meds, kg))).toBe(want);
  });
});

describe('medication: dose units at load (elig validate)', () => {
  const H = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\n';
  const lint = (rule: string) => {
    const text = `${H}inclusion:\n  - id: a\n    text: x\n    rule: ${rule}\n`;
    return lintCriteria(loadCriteria('c.yaml', text).criteria!, text)
      .filter((d) => d.code === 'criteria/incompatible-unit')
      .map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`);
  };
  it.each([
    ['{ medication: insulin, dose: { min: 0.5 U/kg/d, max: 40 U/d } }', []],
    ['{ medication: insulin, dose: { min: "8 [iU]/d" } }', []],
    ['{ medication: insulin, dose: { min: 8 U/d, max: 40 mg/d } }', ['7:40 dose bounds mix mass (mg) and international units: give both in one of them']],
    ['{ medication: insulin, dose: { min: 8 U/d, as: prednisone } }', ['7:47 dose threshold "8 U/d" is in international units; "as" converts mass doses only']],
    ['{ medication: metformin, dose: { min: 20 mg/dL } }', ['7:49 dose threshold "20 mg/dL" is not a daily dose (mg/d) or a weight-based daily dose (mg/kg/d)']],
  ])('%s', (rule, want) => {
    expect(lint(rule)).toEqual(want);
  });
});
