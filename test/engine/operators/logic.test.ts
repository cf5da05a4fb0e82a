import { describe, expect, it } from 'vitest';
import { oneRule, statusOf, check } from '../../helpers.js';

// attestation a / b: pass when recorded true, fail when recorded false, unknown when absent
const rec = (a?: boolean, b?: boolean) => ({
  id: 'x',
  attestations: [
    ...(a === undefined ? [] : [{ code: 'a', value: a }]),
    ...(b === undefined ? [] : [{ code: 'b', value: b }]),
  ],
});

describe('logic operators', () => {
  const all = oneRule('{ all: [ { attestation: a }, { attestation: b } ] }');
  const any = oneRule('{ any: [ { attestation: a }, { attestation: b } ] }');
  const notA = oneRule('{ not: { attestation: a } }');
  const atl = oneRule('{ atLeast: 2, of: [ { attestation: a }, { attestation: b }, { attestation: c } ] }');

  it.each([
    [true, true, 'pass', 'pass'], [true, false, 'fail', 'pass'], [true, undefined, 'unknown', 'pass'],
    [false, undefined, 'fail', 'unknown'], [undefined, undefined, 'unknown', 'unknown'], [false, false, 'fail', 'fail'],
  ] as const)('a=%s b=%s: all → %s, any → %s', (a, b, wantAll, wantAny) => {
    expect(statusOf(all, rec(a, b))).toBe(wantAll);
    expect(statusOf(any, rec(a, b))).toBe(wantAny);
  });

  it.each([[true, 'fail'], [false, 'pass'], [undefined, 'unknown']] as const)('not: a=%s → %s', (a, want) => {
    expect(statusOf(notA, rec(a))).toBe(want);
  });

  it.each([
    [true, true, 'pass'], [true, false, 'unknown'], [false, false, 'fail'], [true, undefined, 'unknown'],
  ] as const)('atLeast 2 of a, b, c (c unrecorded): a=%s b=%s → %s', (a, b, want) => {
    expect(statusOf(atl, rec(a, b))).toBe(want);
  });

  it('ref resolves a named definition, declared in any order', () => {
    const c = oneRule('{ ref: both }', 'definitions:\n  both: { all: [ { ref: one }, { attestation: b } ] }\n  one: { attestation: a }\n');
    expect(statusOf(c, rec(true, true))).toBe('pass');
    expect(statusOf(c, rec(true, false))).toBe('fail');
  });

  it('unknown results list the data that would decide them', () => {
    const r = check(all, rec(true, undefined));
    expect(r.criteria[0]!.missing).toEqual([{ item: 'attestation:b', description: expect.stringContaining('b') }]);
  });
});

describe('criterion level: when, exclusion, missing-data policy, verdict', () => {
  it('when false → not_applicable; when unknown → pass stands, otherwise unknown', () => {
    const c = oneRule('{ attestation: a }\n    when: { attestation: w }');
    expect(statusOf(c, { attestations: [{ code: 'w', value: false }, { code: 'a', value: true }] })).toBe('not_applicable');
    expect(statusOf(c, { attestations: [{ code: 'w', value: true }, { code: 'a', value: false }] })).toBe('fail');
    expect(statusOf(c, { attestations: [{ code: 'a', value: true }] })).toBe('pass');
    expect(statusOf(c, { attestations: [{ code: 'a', value: false }] })).toBe('unknown');
  });

  it('an exclusion fails when its rule holds, passes when it does not, stays unknown otherwise', () => {
    const body = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\nexclusion:\n  - id: e\n    text: prior CAR-T\n    rule: { attestation: prior-car-t }\n';
    return import('../../../src/index.js').then(({ loadCriteria, compileCriteria, evaluateRecord }) => {
      const c = compileCriteria(loadCriteria('x.yaml', body).criteria!);
      const st = (v?: boolean) => evaluateRecord(c, { attestations: v === undefined ? [] : [{ code: 'prior-car-t', value: v }] }, '2026-11-25', { file: 't' }).criteria[0]!.status;
      expect(st(true)).toBe('fail');
      expect(st(false)).toBe('pass');
      expect(st(undefined)).toBe('unknown');
    });
  });

  it('missing: fail turns unknown into fail, with a policy reason', () => {
    const c = oneRule('{ attestation: a }\n    missing: fail');
    const r = check(c, { attestations: [] });
    expect(r.criteria[0]!.status).toBe('fail');
    expect(r.criteria[0]!.reasons[0]!.code).toBe('policy');
    expect(r.verdict).toBe('ineligible');
  });

  it('verdicts: any fail → ineligible; else any unknown → indeterminate; else eligible; unreadable → error', () => {
    const c = oneRule('{ attestation: a }');
    expect(check(c, rec(true)).verdict).toBe('eligible');
    expect(check(c, rec(false)).verdict).toBe('ineligible');
    expect(check(c, rec()).verdict).toBe('indeterminate');
    expect(check(c, { id: 'x', birthDate: 12345 }).verdict).toBe('error');
    expect(check(c, [1, 2]).verdict).toBe('error');
  });
});
