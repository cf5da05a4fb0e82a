import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { check, compile, oneRule, statusOf } from '../../helpers.js';
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
  it.each([
    // cardiovascular procedure groups (vocabulary/procedures.yaml): SNOMED CT exact, ICD-10-PCS by prefix, CPT exact, names
    ['pci', { code: 'icd10pcs:02703DZ' }, 'pass'], // dilation, one coronary artery, percutaneous
    ['pci', { code: 'icd10pcs:02700ZZ' }, 'fail'], // open approach: not percutaneous
    ['pci', { code: 'snomed:415070008' }, 'pass'],
    ['pci', { code: 'cpt:92928' }, 'pass'],
    ['pci', { code: 'PTCA' }, 'pass'],
    ['cabg', { code: 'icd10pcs:021209W' }, 'pass'],
    ['cardiac-surgery', { code: 'icd10pcs:021009C' }, 'pass'], // CABG is cardiac surgery
    ['cardiac-surgery', { code: 'mitral valve repair' }, 'pass'],
    ['surgery', { code: 'snomed:232717009' }, 'pass'], // …and surgery
    ['major-cardiovascular-procedure', { code: 'cpt:92928' }, 'pass'],
    ['major-cardiovascular-procedure', { code: 'carotid endarterectomy' }, 'pass'],
    ['major-cardiovascular-procedure', { code: 'icd10pcs:037K3DZ' }, 'pass'], // carotid stenting
    ['major-cardiovascular-procedure', { code: 'aortic aneurysm repair' }, 'pass'],
    ['major-cardiovascular-procedure', { code: 'kidney-transplant' }, 'fail'],
    ['surgery', { code: 'cpt:92928' }, 'fail'], // PCI is not surgery
  ])('%s with %j (2026-10-01) → %s', (concept, p, want) => {
    expect(statusOf(oneRule(`{ procedure: ${concept}, within: 3 mo }`), { procedures: [{ ...p, date: '2026-10-01' }] })).toBe(want);
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

describe('procedures that map to nothing are reported, not ignored', () => {
  it.each([
    // [rule, procedure code, reported unmapped]
    ['{ procedure: dialysis }', 'ecmo', true],
    ['{ procedure: dialysis }', 'haemodialysis', false], // a concept
    ['{ procedure: [dialysis, local:ecmo] }', 'LOCAL:ECMO', false], // a free code a rule names (folded)
    ['{ procedure: [dialysis, snomed:233573008] }', 'SNOMED:233573008', false], // a code a rule names
  ])('%s with %s → unmapped %s', (rule, code, reported) => {
    const r = check(oneRule(rule), { procedures: [{ code, date: '2026-11-01' }] });
    expect(r.unmapped?.some((u) => u.domain === 'procedure' && u.code === code) ?? false).toBe(reported);
  });
});
