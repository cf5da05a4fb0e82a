import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { compile, oneRule, statusOf } from '../../helpers.js';
import { ANCHORS } from './anchor-fixture.js';

describe('procedure', () => {
  const c = oneRule('{ procedure: dialysis, within: 3 mo }');
  it.each([
    [[{ code: 'haemodialysis', date: '2026-09-01' }], 'pass'], // a member of dialysis
    [[{ code: 'snomed:302497006', date: '2026-08-25' }], 'pass'], // the first day of the window
    [[{ code: 'snomed:302497006', date: '2026-08-24' }], 'fail'],
    [[{ code: 'hemodialysis', date: '2026-09-01', status: 'not-done' }], 'fail'],
    [[{ code: 'dialysis' }], 'unknown'], // no date: cannot be placed in the window
    [[{ code: 'kidney-transplant', date: '2026-09-01' }], 'fail'],
    [[], 'fail'],
    [undefined, 'unknown'],
  ])('%j → %s', (procedures, want) => {
    expect(statusOf(c, procedures === undefined ? {} : { procedures })).toBe(want);
  });
  it('ever, and noProcedures: fail', () => {
    expect(statusOf(oneRule('{ procedure: kidney-transplant }'), { procedures: [{ code: 'renal transplant' }] })).toBe('pass');
    expect(statusOf(oneRule('{ procedure: kidney-transplant, noProcedures: fail }'), {})).toBe('fail');
  });
  it('an unknown procedure is a located load error with a did-you-mean', () => {
    const d = loadCriteria('x.yaml', 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: { procedure: radiothrapy }\n').diagnostics;
    expect(d[0]).toMatchObject({ code: 'criteria/unknown-code', hint: 'did you mean "radiotherapy"?', location: { line: 7 } });
  });
  it('compile() accepts anchored procedures', () => {
    expect(() => compile(`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { procedure: transfusion, within: 4 wk, anchor: consent }\n`)).not.toThrow();
  });
});
