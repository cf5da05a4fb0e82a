import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../src/index.js';
import { codeProblem, loincCheckDigit, parseCode, verhoeffCheckDigit } from '../../src/vocabulary/codes.js';
import { oneRule, statusOf } from '../helpers.js';

describe('offline code validation (real codes)', () => {
  it.each([
    // LOINC: mod-10 check digit
    ['loinc:718-7', undefined], // haemoglobin
    ['loinc:4548-4', undefined], // HbA1c
    ['loinc:2160-0', undefined], // creatinine
    ['loinc:13955-0', undefined], // anti-HCV
    ['loinc:718-6', 'loinc:718-7'],
    ['loinc:45484', 'loinc:4548-4'], // the dash left out
    // SNOMED CT: Verhoeff check digit, partition
    ['snomed:55464009', undefined], // SLE
    ['snomed:44054006', undefined], // type 2 diabetes
    ['snomed:38341003', undefined], // hypertension
    ['snomed:55464008', 'snomed:55464009'],
    ['snomed:12345', undefined, 'not a SNOMED CT identifier'],
    // ICD-10 (WHO) and ICD-10-CM shapes
    ['icd10:M32.1', undefined],
    ['icd10:C78.7', undefined],
    ['icd10:M3214', 'icd10:M32.14'],
    ['icd10cm:E11.65', undefined],
    ['icd10cm:S72.001A', undefined], // seven characters in CM
    ['icd10:S72.001A', undefined, 'not an ICD-10 code'], // …but not in WHO ICD-10
    ['icd10cm:e1165', 'icd10cm:E11.65'],
    // ATC levels
    ['atc:A10BA02', undefined], // metformin
    ['atc:A10A', undefined],
    ['atc:L04AA06', undefined],
    ['atc:A10BA2', undefined, 'not an ATC code'],
    // RxNorm, CVX
    ['rxnorm:6809', undefined],
    ['rxnorm:abc', undefined, 'not an RxNorm concept id'],
    ['cvx:21', undefined],
    ['cvx:2100', undefined, 'not a CVX code'],
    // ICD-10-PCS: seven characters, no I or O; a prefix only as descendants
    ['icd10pcs:02703DZ', undefined], // dilation of one coronary artery, percutaneous, intraluminal device
    ['icd10pcs:021009C', undefined], // CABG, one artery
    ['icd10pcs:0210*', undefined],
    ['icd10pcs:0210', undefined, 'not an ICD-10-PCS code'],
    ['icd10pcs:02I03DZ', undefined, 'not an ICD-10-PCS code'], // I is not a PCS character
    // CPT: five digits, or four and F/T/U
    ['cpt:92928', undefined],
    ['cpt:0075T', undefined],
    ['cpt:9292', undefined, 'not a CPT code'],
  ])('%s → %s', (text, suggestion, message?: string) => {
    const p = parseCode(text)!;
    expect(p).toBeDefined();
    if (suggestion === undefined && message === undefined) expect(p.problem).toBeUndefined();
    if (suggestion !== undefined) expect(p.problem?.suggestion).toBe(suggestion);
    if (message !== undefined) expect(p.problem?.message).toContain(message);
  });
  it('check digit functions', () => {
    expect(loincCheckDigit('4548')).toBe(4);
    expect(verhoeffCheckDigit('5546400')).toBe(9);
    expect(verhoeffCheckDigit('236')).toBe(3); // the textbook example
  });
  it('a star is for structural systems only', () => {
    expect(parseCode('snomed:55464009*')!.problem?.message).toMatch(/no hierarchy/);
    expect(parseCode('icd10:C00-C97*')!.problem).toBeUndefined();
    expect(codeProblem('icd10', 'C00-C97')).toBeDefined(); // a block is not a code
  });
  it('not a coded form: no system prefix, or one elig does not know', () => {
    expect(parseCode('egfr')).toBeUndefined();
    expect(parseCode('local:X1')).toBeUndefined();
  });
});

const H = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: a\n    text: x\n';
const diags = (rule: string) => loadCriteria('c.yaml', `${H}    rule: ${rule}\n`).diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.code}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`);

describe('criteria accept codes without a vocabulary entry', () => {
  it.each([
    ['{ measurement: "loinc:4548-4", min: 7 %, max: 10 % }', []],
    ['{ condition: "icd10:E11*" }', []],
    ['{ medication: "atc:A10A*" }', []],
    ['{ medication: "rxnorm:6809" }', []],
    ['{ measurement: "loinc:4548-5", min: 7 % }', ['7:26 code/malformed: LOINC 4548-5: the check digit is 5, but 4548 gives 4 — did you mean loinc:4548-4?']],
    // loinc:2093-3 (total cholesterol) is not in the vocabulary; loinc:4548-4 is (hba1c, measured in %)
    ['{ measurement: "loinc:2093-3", min: 7 }', ['7:47 criteria/incompatible-unit: loinc:2093-3 is not in the vocabulary, so elig does not know its unit: give the threshold a UCUM unit (e.g. "7 %", "9 g/dL")']],
    ['{ measurement: "loinc:2093-3", min: 7 %, max: 10 mg }', ['7:57 criteria/incompatible-unit: "mg" cannot be compared with "%" (min) for the same measurement']],
    ['{ measurement: "loinc:4548-4", min: 7 }', []],
    ['{ measurement: "loinc:4548-4", min: 7 %, max: 10 mg }', ['7:57 criteria/incompatible-unit: "mg" cannot be compared with HbA1c (measured in %)']],
    ['{ condition: "icd10:E1165" }', ['7:24 code/malformed: "E1165" is not an ICD-10 code (a letter, two characters, optionally a dot and one or two more: M32.1, M32.14) — did you mean icd10:E11.65?']],
    ['{ condition: "snomed:44054007" }', ['7:24 code/malformed: SNOMED CT 44054007: the Verhoeff check digit is 7, but 4405400 gives 6 — did you mean snomed:44054006?']],
    ['{ medication: "atc:a10ba02" }', []], // case folded: ATC is upper-case
    ['{ medication: hydroxychloroqine }', ['7:25 criteria/unknown-code: medication "hydroxychloroqine" is neither a drug nor a drug class in the vocabulary (or a coded form such as atc:L04AA06, atc:A10A*, rxnorm:6809) — did you mean "hydroxychloroquine"?']],
  ])('%s', (rule, want) => {
    expect(diags(rule)).toEqual(want);
  });
});

describe('a measurement by code', () => {
  const r = oneRule('{ measurement: "loinc:4548-4", min: 7 %, max: 10 %, within: 90 d }');
  it.each([
    [{ code: 'loinc:4548-4', value: 8.1, unit: '%' }, 'pass'],
    [{ code: 'LOINC:4548-4', value: 6.5, unit: '%' }, 'fail'],
    [{ code: 'http://loinc.org|4548-4', value: 10.5, unit: '%' }, 'fail'],
    [{ code: 'loinc:4548-4', value: 64, unit: 'mmol/mol' }, 'unknown'], // IFCC units: not convertible without the master equation
    [{ code: 'loinc:17856-6', value: 8.1, unit: '%' }, 'pass'], // another code of the same concept (hba1c)
  ])('%j → %s', (m, want) => {
    expect(statusOf(r, { measurements: [{ ...m, date: '2026-11-01' }] })).toBe(want);
  });
  it('a code outside the vocabulary matches that code only', () => {
    const chol = oneRule('{ measurement: "loinc:2093-3", max: 200 mg/dL, within: 90 d }');
    expect(statusOf(chol, { measurements: [{ code: 'loinc:2093-3', value: 180, unit: 'mg/dL', date: '2026-11-01' }] })).toBe('pass');
    expect(statusOf(chol, { measurements: [{ code: 'loinc:2085-9', value: 40, unit: 'mg/dL', date: '2026-11-01' }] })).toBe('unknown');
  });
});
