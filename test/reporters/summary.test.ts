/** The screening summary: per-criterion counts, attrition funnel and worklist, from hand-made results. */
import { describe, expect, it } from 'vitest';
import { SummaryBuilder, type CriterionResult, type PatientResult, type Status } from '../../src/index.js';
import { compile } from '../helpers.js';

// three inclusion criteria and one exclusion, in protocol order a, b, c, x
const compiled = compile(`inclusion:
  - { id: a, text: a, rule: { fact: age, min: 5 a } }
  - { id: b, text: b, rule: { measurement: egfr, min: 30 } }
  - { id: c, text: c, rule: { attestation: informed-consent } }
exclusion:
  - { id: x, text: x, rule: { condition: sle } }
`);
const IDS = ['a', 'b', 'c', 'x'] as const;

/** A patient from a status string such as "pu-n" (p pass, f fail, u unknown, n n/a, - absent) and the items each unknown needs. */
function patient(id: string, statuses: string, missing: Record<string, string[]> = {}): PatientResult {
  const code: Record<string, Status> = { p: 'pass', f: 'fail', u: 'unknown', n: 'not_applicable' };
  const criteria: CriterionResult[] = [];
  [...statuses].forEach((ch, i) => {
    const cid = IDS[i]!;
    const status = code[ch];
    if (!status) return;
    const r: CriterionResult = { id: cid, kind: cid === 'x' ? 'exclusion' : 'inclusion', status, text: cid, reasons: [] };
    if (status === 'unknown' && missing[cid]) r.missing = missing[cid].map((item) => ({ item, description: item }));
    criteria.push(r);
  });
  const verdict = criteria.some((c) => c.status === 'fail') ? 'ineligible' : criteria.some((c) => c.status !== 'pass' && c.status !== 'not_applicable') ? 'indeterminate' : 'eligible';
  return { id, source: { file: 't' }, verdict, criteria };
}

function build(ps: PatientResult[]) {
  const b = new SummaryBuilder(compiled);
  for (const p of ps) b.add(p);
  return b.build();
}

describe('SummaryBuilder: funnel', () => {
  it.each([
    // statuses per patient → [possibly, surely] after a, b, c, x
    ['all pass', ['pppp'], [[1, 1], [1, 1], [1, 1], [1, 1]]],
    ['fail at b', ['pfpp'], [[1, 1], [0, 0], [0, 0], [0, 0]]],
    ['unknown at a, fail at c', ['upfp'], [[1, 0], [1, 0], [0, 0], [0, 0]]],
    ['n/a counts as not standing in the way', ['pnpp'], [[1, 1], [1, 1], [1, 1], [1, 1]]],
    ['fail at the exclusion', ['pppf'], [[1, 1], [1, 1], [1, 1], [0, 0]]],
    ['an absent criterion is undecided', ['p-pp'], [[1, 1], [1, 0], [1, 0], [1, 0]]],
    ['mixed batch', ['pppp', 'pfpp', 'pupp', 'fppp'], [[3, 3], [2, 1], [2, 1], [2, 1]]],
  ])('%s', (_name, rows, expected) => {
    const s = build(rows.map((r, i) => patient(`P${i}`, r)));
    expect(s.funnel!.map((f) => [f.possiblyEligible, f.surelyEligible])).toEqual(expected);
    expect(s.funnel!.map((f) => `${f.id}:${f.kind}`)).toEqual(['a:inclusion', 'b:inclusion', 'c:inclusion', 'x:exclusion']);
  });

  it('the last step is eligible + indeterminate (possibly) and eligible (surely); errors are not in the funnel', () => {
    const err: PatientResult = { id: 'E', source: { file: 't' }, verdict: 'error', criteria: [] };
    const s = build([patient('A', 'pppp'), patient('B', 'pupp', { b: ['m:egfr'] }), patient('C', 'ffpp'), err]);
    const last = s.funnel!.at(-1)!;
    expect(last.possiblyEligible).toBe(s.verdicts.eligible + s.verdicts.indeterminate);
    expect(last.surelyEligible).toBe(s.verdicts.eligible);
    expect(s.funnel![0]!.possiblyEligible).toBeLessThanOrEqual(s.patients - s.verdicts.error);
    expect(s.criteria.map((c) => c.pass + c.fail + c.unknown + c.not_applicable)).toEqual([3, 3, 3, 3]);
  });
});

describe('SummaryBuilder: worklist', () => {
  it.each([
    ['one item, one criterion: unblocks', [patient('A', 'pupp', { b: ['m:egfr'] })], [['m:egfr', ['b'], 1, 1]]],
    ['the same item on two criteria still unblocks, counted once', [patient('A', 'puup', { b: ['m:egfr'], c: ['m:egfr'] })], [['m:egfr', ['b', 'c'], 1, 1]]],
    ['two items: neither unblocks alone', [patient('A', 'pupp', { b: ['m:egfr', 'm:creatinine'] })], [['m:creatinine', ['b'], 1, 0], ['m:egfr', ['b'], 1, 0]]],
    ['an unknown without a named item: nothing unblocks', [patient('A', 'puup', { b: ['m:egfr'] })], [['m:egfr', ['b'], 1, 0]]],
    ['ineligible patients are not on the worklist', [patient('A', 'fupp', { b: ['m:egfr'] })], []],
    ['sorted by unblocks, then patients, then item', [
      patient('A', 'pupp', { b: ['m:egfr'] }), patient('B', 'ppup', { c: ['att:consent'] }), patient('C', 'ppup', { c: ['att:consent'] }),
      patient('D', 'puup', { b: ['m:egfr'], c: ['att:consent'] }), patient('E', 'pupp', { b: ['m:ast'] }),
    ], [['att:consent', ['c'], 3, 2], ['m:egfr', ['b'], 2, 1], ['m:ast', ['b'], 1, 1]]],
  ] as const)('%s', (_name, ps, expected) => {
    const s = build([...ps]);
    expect(s.worklist!.map((w) => [w.item, w.criteria, w.patients, w.unblocks])).toEqual(expected);
  });

  it('memory does not grow with patients: 10,000 results keep one tally per item', () => {
    const b = new SummaryBuilder(compiled);
    for (let i = 0; i < 10_000; i++) b.add(patient(`P${i}`, i % 2 ? 'pupp' : 'pppp', { b: ['m:egfr'] }));
    const s = b.build();
    expect(s.worklist).toEqual([{ item: 'm:egfr', criteria: ['b'], patients: 5000, unblocks: 5000 }]);
    expect(JSON.stringify(s)).not.toMatch(/P\d/); // aggregates carry no patient ids
  });
});

describe('SummaryBuilder: state and merge (worker threads send each batch as counts)', () => {
  it('merging the states of batches gives the same summary as adding every patient to one builder', () => {
    const ps = [
      patient('A', 'pupp', { b: ['m:egfr'] }), patient('B', 'ppup', { c: ['att:consent'] }), patient('C', 'fupp', { b: ['m:egfr'] }),
      patient('D', 'puup', { b: ['m:egfr'], c: ['att:consent'] }), patient('E', 'pupp', { b: ['m:ast'] }), patient('F', 'pppp'),
      { id: 'G', source: { file: 't' }, verdict: 'error', criteria: [] } as PatientResult, patient('H', 'pnpf'),
    ];
    const part = new SummaryBuilder(compiled);
    const whole = new SummaryBuilder(compiled);
    // batches in another order than the input: every count is a sum, the worklist is sorted
    for (const batch of [ps.slice(5), ps.slice(0, 2), ps.slice(2, 5)]) {
      part.reset();
      for (const p of batch) part.add(p);
      whole.merge(JSON.parse(JSON.stringify(part.state())));
    }
    expect(whole.build()).toEqual(build(ps));
  });
});
