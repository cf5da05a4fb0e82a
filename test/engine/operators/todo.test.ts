/** todo: a rule not written yet is unknown for every patient — never a pass, whatever surrounds it. */
import { describe, expect, it } from 'vitest';
import { check, compile, oneRule } from '../../helpers.js';

const ADULT = { id: 'A', birthDate: '1990-01-01', sex: 'female' };

describe('todo', () => {
  it('is unknown, says the rule is not written yet, and lists the rule as what would decide it', () => {
    const r = check(oneRule('{ todo: "eGFR threshold from the protocol" }'), ADULT);
    expect(r.verdict).toBe('indeterminate');
    expect(r.criteria[0]).toMatchObject({
      status: 'unknown',
      reasons: [{ code: 'todo', status: 'unknown', text: 'rule not written yet (to do: eGFR threshold from the protocol)' }],
      missing: [{ item: 'rule:todo' }],
    });
  });

  it.each([
    ['missing: pass policy', '{ todo: x }', 'missing: pass\n', 'unknown'],
    ['missing: fail policy', '{ todo: x }', 'missing: fail\n', 'unknown'],
    ['not', '{ not: { todo: x } }', '', 'unknown'],
    ['all with a passing sibling', '{ all: [{ todo: x }, { fact: age, min: 18 a }] }', '', 'unknown'],
    ['all with a failing sibling', '{ all: [{ todo: x }, { fact: age, min: 60 a }] }', '', 'fail'],
    ['any with a passing sibling (the written rule decides)', '{ any: [{ todo: x }, { fact: age, min: 18 a }] }', '', 'pass'],
  ])('%s: %s → %s', (_name, rule, extra, status) => {
    const c = compile(`inclusion:\n  - id: c\n    text: test\n    rule: ${rule}\n${extra ? `    ${extra}` : ''}`);
    expect(check(c, ADULT).criteria[0]!.status).toBe(status);
  });

  it('an exclusion still to be written is unknown too, never a pass', () => {
    const c = compile('exclusion:\n  - id: x\n    text: test\n    rule: { todo: x }\n');
    expect(check(c, ADULT).criteria[0]!.status).toBe('unknown');
  });
});
