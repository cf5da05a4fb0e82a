import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkConcepts, compileVocabulary, loadVocabularyFile, type LoadedVocabularyFile } from '../../src/vocabulary/load.js';
import { BUILTIN } from '../../src/vocabulary/builtin.gen.js';
import { formatDiagnosticLine } from '../../src/diagnostics.js';

const DIR = new URL('../../vocabulary/', import.meta.url);
const head = 'schema: elig/vocabulary@1\nconcepts:\n';

function load(body: string) {
  return loadVocabularyFile('v.yaml', head + body);
}
function lines(body: string): string[] {
  return load(body).diagnostics.map(formatDiagnosticLine);
}

describe('the built-in vocabulary (vocabulary/*.yaml)', () => {
  it('every file loads without a diagnostic and the set is consistent', () => {
    const names = readdirSync(DIR).filter((n) => n.endsWith('.yaml')).sort();
    expect(names.length).toBeGreaterThanOrEqual(4);
    const files = names.map((n) => ({ file: `vocabulary/${n}`, text: readFileSync(new URL(n, DIR), 'utf8') }));
    const r = compileVocabulary(files, 'x');
    expect(r.diagnostics.map(formatDiagnosticLine)).toEqual([]);
    // the compiled module the engine imports is the one these files give (the build regenerates it)
    expect(r.data!.sha256).toBe(BUILTIN.sha256);
    expect(r.data!.concepts.length).toBe(BUILTIN.concepts.length);
  });
  it('the stamp sha256 is over the files in name order, independent of the order given', () => {
    const a = { file: 'a.yaml', text: `${head}  - { id: a, kind: finding, display: a }\n` };
    const b = { file: 'b.yaml', text: `${head}  - { id: b, kind: finding, display: b }\n` };
    expect(compileVocabulary([a, b], '1').data!.sha256).toBe(compileVocabulary([b, a], '1').data!.sha256);
    expect(compileVocabulary([a, b], '1').data!.sha256).not.toBe(compileVocabulary([a, { ...b, text: `${b.text}# changed\n` }], '1').data!.sha256);
  });
});

describe('loadVocabularyFile: located diagnostics', () => {
  it.each([
    ['unknown key with did-you-mean', '  - { id: a, kind: drug, display: a, synonym: [x] }\n', 'v.yaml:3:38: error vocabulary/unknown-key: unknown key "synonym" (at concepts[0].synonym) — did you mean "synonyms"?'],
    ['missing display', '  - { id: a, kind: drug }\n', 'v.yaml:3:5: error vocabulary/missing-key: "display" is required (string) (at concepts[0])'],
    ['bad kind', '  - { id: a, kind: drugs, display: a }\n', 'v.yaml:3:20: error vocabulary/invalid-value'],
    ['LOINC check digit', '  - { id: a, kind: measurement, display: a, codes: [loinc:718-6] }\n', 'v.yaml:3:53: error code/malformed: LOINC 718-6: the check digit is 6, but 718 gives 7 (at concepts[0].codes[0]) — did you mean loinc:718-7?'],
    ['SNOMED Verhoeff', '  - { id: a, kind: condition, display: a, codes: [snomed:55464008] }\n', 'v.yaml:3:51: error code/malformed: SNOMED CT 55464008: the Verhoeff check digit is 8, but 5546400 gives 9 (at concepts[0].codes[0]) — did you mean snomed:55464009?'],
    ['descendants of a flat system', '  - { id: a, kind: condition, display: a, descendants: [snomed:55464009] }\n', 'v.yaml:3:57: error vocabulary/invalid-value: snomed:55464009: snomed codes have no structure'],
    ['a star in codes', '  - { id: a, kind: condition, display: a, codes: ["icd10:M32.1*"] }\n', 'error code/malformed: icd10:M32.1*: write the code without *'],
    ['unit on a drug', '  - { id: a, kind: drug, display: a, unit: mg }\n', 'v.yaml:3:44: error vocabulary/misplaced-field: "unit" applies to measurements only, not to a drug (at concepts[0].unit)'],
    ['unknown schema', null, 'error vocabulary/unknown-schema'],
  ])('%s', (_name, body, expected) => {
    const out = body === null ? loadVocabularyFile('v.yaml', 'schema: elig/vocabulary@9\nconcepts: []\n').diagnostics.map(formatDiagnosticLine) : lines(body);
    expect(out.length).toBeGreaterThan(0);
    expect(out[0]).toContain(expected);
  });
  it('codes are normalised (ICD and ATC upper-case) and blocks are allowed under descendants', () => {
    const r = load('  - { id: a, kind: condition, display: a, codes: [icd10:m32.14], descendants: [icd10:C00-C97] }\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.loaded!.concepts[0]).toMatchObject({ codes: ['icd10:M32.14'], descendants: ['icd10:C00-C97'] });
  });
});

describe('checkConcepts: across files', () => {
  const file = (name: string, body: string): LoadedVocabularyFile => loadVocabularyFile(name, head + body).loaded!;
  it.each([
    ['duplicate id', [file('a.yaml', '  - { id: x, kind: drug, display: x }\n'), file('b.yaml', '  - { id: x, kind: drug, display: y }\n')], 'b.yaml:3:11: error vocabulary/duplicate-id: concept "x" is already defined at a.yaml:3'],
    ['one code, two concepts', [file('a.yaml', '  - { id: x, kind: drug, display: x, codes: [atc:L04AA06] }\n  - { id: y, kind: drug, display: y, codes: [atc:L04AA06] }\n')], 'a.yaml:4:46: error vocabulary/duplicate-code: atc:L04AA06 already means "x"'],
    ['unknown parent with did-you-mean', [file('a.yaml', '  - { id: car-t, kind: drug, display: x }\n  - { id: y, kind: drug, display: y, parents: [car-tt] }\n')], 'a.yaml:4:48: error vocabulary/unknown-parent: parent "car-tt" is not a concept (at concepts[1].parents[0]) — did you mean "car-t"?'],
    ['parent of another kind', [file('a.yaml', '  - { id: g, kind: condition, display: g }\n  - { id: y, kind: drug, display: y, parents: [g] }\n')], 'error vocabulary/parent-kind: "y" is a drug but its parent "g" is a condition'],
    ['cycle', [file('a.yaml', '  - { id: a, kind: drug, display: a, parents: [b] }\n  - { id: b, kind: drug, display: b, parents: [a] }\n')], 'error vocabulary/parent-cycle: "a" is its own ancestor'],
  ])('%s', (_name, files, expected) => {
    const out = checkConcepts(files).map(formatDiagnosticLine);
    expect(out[0]).toContain(expected);
  });
  it('a vaccine may belong to a drug group (both are medications)', () => {
    const f = file('a.yaml', '  - { id: g, kind: drug, display: g }\n  - { id: v, kind: vaccine, display: v, parents: [g] }\n');
    expect(checkConcepts([f])).toEqual([]);
  });
});
