/** Criteria files define concepts for themselves (concepts:): condition, drug and vaccine concept sets. */
import { describe, expect, it } from 'vitest';
import { lintCriteria, loadCriteria } from '../../src/index.js';
import { check, compile, statusOf } from '../helpers.js';

const CONCEPTS = `concepts:
  - id: pancreatitis
    kind: condition
    display: pancreatitis
    descendants: [icd10:K85, icd10cm:K85]
    codes: [icd10:K86.0, icd10cm:K86.0]
    synonyms: [acute pancreatitis, alcohol-induced chronic pancreatitis]
  - id: relma-cel
    kind: drug
    display: relmacabtagene autoleucel
    synonyms: [relma-cel, 瑞基奥仑赛]
    parents: [car-t]
  - id: my-insulins
    kind: drug
    display: insulins
    descendants: [atc:A10A]
`;
const c = compile(`${CONCEPTS}exclusion:\n  - id: p\n    text: x\n    rule: { condition: pancreatitis }\n  - id: cart\n    text: y\n    rule: { medication: car-t }\n  - id: ins\n    text: z\n    rule: { medication: my-insulins, within: 90 d }\n`);
const status = (id: string, rec: Record<string, unknown>) => check(c, { id: 'x', ...rec }).criteria.find((x) => x.id === id)!.status;

describe('concepts: of a criteria file', () => {
  it.each([
    [{ conditions: [{ code: 'icd10:K85.1' }] }, 'fail'], // the exclusion holds: descendant of K85
    [{ conditions: [{ code: 'icd10cm:K85.91' }] }, 'fail'],
    [{ conditions: [{ code: 'icd10:K86.0' }] }, 'fail'],
    [{ conditions: [{ code: 'icd10:K86.1' }] }, 'pass'], // not listed: exact codes match exactly
    [{ conditions: [{ code: 'x', name: 'Acute pancreatitis' }] }, 'fail'],
    [{ conditions: [{ code: 'snomed:44054006' }] }, 'pass'],
  ])('condition pancreatitis, record %j → exclusion %s', (rec, want) => {
    expect(status('p', rec)).toBe(want);
  });
  it('a local drug under a built-in group counts for the group, and is not unmapped', () => {
    const r = check(c, { id: 'x', medications: [{ name: 'relmacabtagene autoleucel', start: '2025-03-01', end: '2025-03-01', status: 'completed' }] });
    expect(r.criteria.find((x) => x.id === 'cart')!.status).toBe('fail');
    expect(r.unmapped).toBeUndefined();
    expect(status('cart', { medications: [{ name: '瑞基奥仑赛', start: '2025-03-01' }] })).toBe('fail');
    expect(status('cart', { medications: [{ name: 'tisagenlecleucel', start: '2025-03-01' }] })).toBe('fail'); // the built-in members still count
  });
  it('a local drug set by ATC descendants', () => {
    expect(status('ins', { medications: [{ code: 'atc:A10AE04', start: '2026-10-01', status: 'active' }] })).toBe('fail');
    expect(status('ins', { medications: [{ code: 'atc:A10BA02', start: '2026-10-01', status: 'active' }] })).toBe('pass');
  });
  it('a local set by ATC descendants covers a course recorded by name only, through the built-in concept the name maps to', () => {
    // insulin glargine (built-in, ATC A10AE04) named without a code is under my-insulins (A10A); metformin (A10BA02) is not
    expect(status('ins', { medications: [{ name: 'insulin glargine', start: '2026-10-01', status: 'active' }] })).toBe('fail');
    expect(status('ins', { medications: [{ name: 'Lantus', start: '2026-10-01', status: 'active' }] })).toBe('fail');
    expect(status('ins', { medications: [{ name: 'metformin', start: '2026-10-01', status: 'active' }] })).toBe('pass');
  });
  it('a local condition set by ICD-10 descendants covers an entry recorded by a name the built-in vocabulary maps', () => {
    const d = compile('concepts:\n  - { id: my-diabetes, kind: condition, display: diabetes (E11), descendants: [icd10:E11] }\nexclusion:\n  - id: d\n    text: x\n    rule: { condition: my-diabetes }\n');
    expect(statusOf(d, { conditions: [{ code: 'snomed:44054006', name: 'type 2 diabetes mellitus' }] })).toBe('fail');
    expect(statusOf(d, { conditions: [{ code: 'snomed:38341003', name: 'hypertensive disorder' }] })).toBe('pass');
    // a local set holding only the exact code E11 does not hold the built-in E11 subtree; a broader built-in concept is not covered
    const exactOnly = compile('concepts:\n  - { id: e11-only, kind: condition, display: E11 exactly, codes: [icd10:E11] }\nexclusion:\n  - id: d\n    text: x\n    rule: { condition: e11-only }\n');
    expect(statusOf(exactOnly, { conditions: [{ code: 'snomed:44054006', name: 'type 2 diabetes mellitus' }] })).toBe('pass');
  });
  it('other criteria files do not see them', () => {
    // (pancreatitis is also a built-in concept since the content of issue 10; my-insulins is local only)
    expect(() => compile('exclusion:\n  - id: p\n    text: x\n    rule: { medication: my-insulins }\n')).toThrow(/criteria\/unknown-code medication "my-insulins"/);
    expect(statusOf(compile('exclusion:\n  - id: p\n    text: x\n    rule: { condition: "icd10:K85*" }\n'), { conditions: [{ code: 'icd10:K85.1' }] })).toBe('fail');
  });
});

const H = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\n';
const diags = (body: string) => loadCriteria('c.yaml', `${H}${body}inclusion:\n  - id: a\n    text: x\n    rule: { fact: age, min: 5 a }\n`).diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.code}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`);

describe('concepts: located diagnostics', () => {
  it.each([
    ['concepts:\n  - { id: x, kind: drug, display: x, parents: [car-tt] }\n', '5:48 vocabulary/unknown-parent: parent "car-tt" is neither a concept of this file nor of the vocabulary — did you mean "car-t"?'],
    ['concepts:\n  - { id: x, kind: measurement, display: x, codes: [loinc:4548-4] }\n', '5:20 criteria/invalid-value: a criteria file defines concepts of kind condition, drug, vaccine; name a measurement by its code (e.g. loinc:4548-4) or add it to the vocabulary'],
    ['concepts:\n  - { id: x, kind: condition, display: x, codes: [snomed:75694007] }\n', '5:51 code/malformed: SNOMED CT 75694007: the Verhoeff check digit is 7, but 7569400 gives 6 — did you mean snomed:75694006?'],
    ['concepts:\n  - { id: x, kind: condition, display: x }\n  - { id: x, kind: condition, display: y }\n', '6:11 vocabulary/duplicate-id: concept "x" is already defined at concepts[0]'],
    ['concepts:\n  - { id: x, kind: condition, display: x, synonym: [y] }\n', '5:43 criteria/unknown-key: unknown key "synonym"'],
  ])('%s', (body, want) => {
    expect(diags(body)[0]).toBe(want);
  });
  it('a concept that hides a built-in one is a lint warning', () => {
    const text = `${H}concepts:\n  - { id: sle, kind: condition, display: my lupus, synonyms: [lupus] }\ninclusion:\n  - id: a\n    text: x\n    rule: { condition: sle }\n`;
    const r = loadCriteria('c.yaml', text);
    expect(r.diagnostics).toEqual([]);
    const w = lintCriteria(r.criteria!, text).filter((d) => d.code === 'lint/shadowed-concept').map((d) => d.message);
    expect(w).toEqual([
      '"sle" of the file\'s concept "sle" hides the built-in concept "sle" (systemic lupus erythematosus) in this file\'s rules',
      '"lupus" of the file\'s concept "sle" hides the built-in concept "sle" (systemic lupus erythematosus) in this file\'s rules',
    ]);
  });
});
