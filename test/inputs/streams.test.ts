import { describe, expect, it } from 'vitest';
import { JsonArraySplitter, YamlSplitter, planCsv } from '../../src/index.js';

function splitJson(chunks: string[]) {
  const s = new JsonArraySplitter();
  const out = chunks.flatMap((c) => s.push(c));
  return { out, end: s.end(), trailing: s.trailing };
}

describe('JsonArraySplitter', () => {
  it.each([
    ['an array split anywhere', ['[{"id":"a","x":"]}{,"}', ',\n {"id":', '"b"}\n]'], ['{"id":"a","x":"]}{,"}', '{"id":"b"}'], [1, 2]],
    ['a single object', ['  {"id":"a",', '"n":[1,2]}\n'], ['{"id":"a","n":[1,2]}'], [1]],
    ['escaped quotes in strings', ['[{"s":"a\\"}"}', ']'], ['{"s":"a\\"}"}'], [1]],
    ['scalars are pieces too (reported by the caller)', ['[1, {"id":"x"}, "s"]'], ['1', '{"id":"x"}', '"s"'], [1, 1, 1]],
    ['lines are counted', ['[\n{"id":"a"},\n\n{"id":"b"}\n]'], ['{"id":"a"}', '{"id":"b"}'], [2, 4]],
  ])('%s', (_n, chunks, texts, lines) => {
    const { out } = splitJson(chunks);
    expect(out.map((p) => p.text)).toEqual(texts);
    if (lines.length === texts.length && lines.some((l) => l > 1)) expect(out.map((p) => p.line)).toEqual(lines);
  });
  it('an unclosed record or list is reported at the end', () => {
    expect(splitJson(['[{"id":"a"}, {"id":']).end.unfinished?.index).toBe(2);
    expect(splitJson(['[{"id":"a"}']).end.unclosedArray).toBe(true);
    expect(splitJson(['{"a":1} x']).trailing).toBe('x');
  });
});

function splitYaml(text: string) {
  const s = new YamlSplitter();
  return [...text.split('\n').flatMap((l) => s.line(l)), ...s.end()];
}

describe('YamlSplitter', () => {
  it('splits a top-level list into items, keeping lines', () => {
    const ps = splitYaml('# patients\n- id: a\n  sex: female\n\n- id: b\n  measurements:\n    - { code: ast, value: 3 }\n');
    expect(ps.map((p) => [p.line, p.item])).toEqual([[2, true], [5, true]]);
    expect(ps[1]!.text).toContain('    - { code: ast');
  });
  it('splits a multi-document stream', () => {
    const ps = splitYaml('id: a\n---\nid: b\n...\n--- \nid: c\n');
    expect(ps.map((p) => [p.line, p.item, p.text.trim()])).toEqual([[1, false, 'id: a'], [3, false, 'id: b'], [6, false, 'id: c']]);
  });
  it('a document that is a mapping is one piece', () => {
    const ps = splitYaml('id: a\nmeasurements:\n- { code: ast, value: 3 }\n- { code: alt, value: 3 }\n');
    expect(ps).toHaveLength(1);
  });
});

describe('CSV header convention', () => {
  const header = ['id', 'birthDate', 'sex', 'date', 'egfr', 'egfr.unit', 'ast', 'ast.uln', 'finding:ecg-abnormality', 'attestation:informed-consent', 'attestation:informed-consent.by', 'medication:MMF', 'medication:MMF.start', 'conditions', 'bogus'];
  const plan = planCsv('x.csv', header);
  it('maps columns to the record, with a default date and ULN', () => {
    const { record, problems } = plan.row(['P1', '2000-01-01', 'F', '2026-11-01', '45', 'mL/min/{1.73_m2}', '80', '40', 'no', 'yes', 'guardian', '1 g', '2025-01-01', 'snomed:55464009; icd10:M32.14', 'zzz']);
    expect(problems).toEqual([]);
    expect(record).toEqual({
      id: 'P1', birthDate: '2000-01-01', sex: 'female',
      measurements: [
        { code: 'egfr', value: 45, unit: 'mL/min/{1.73_m2}', date: '2026-11-01' },
        { code: 'ast', value: 80, referenceRange: { high: 40 }, date: '2026-11-01' },
      ],
      findings: [{ code: 'ecg-abnormality', present: false, date: '2026-11-01' }],
      attestations: [{ code: 'informed-consent', value: true, by: 'guardian' }],
      medications: [{ name: 'MMF', dose: '1 g', start: '2025-01-01' }],
      conditions: [{ code: 'snomed:55464009' }, { code: 'icd10:M32.14' }],
      partial: ['medications'], // a medication: column without the medications column: the sheet names some drugs only
    });
  });
  it('empty cells are not recorded; an unknown column is one warning with its column', () => {
    const { record } = plan.row(['P2', '', '', '', '', '', '', '', '', '', '', '', '', '', '']);
    expect(record).toEqual({ id: 'P2' });
    expect(plan.diagnostics.map((d) => [d.code, d.location?.column])).toEqual([['record/unknown-key', 15]]);
  });
  it('a yes/no cell that is neither is a problem for that row', () => {
    expect(plan.row(['P3', '', '', '', '', '', '', '', 'maybe', '', '', '', '', '', '']).problems).toHaveLength(1);
  });
  it('a mapping renames columns and fixes units', () => {
    const p = planCsv('s.csv', ['Patient ID', 'Creat (umol/L)', 'Lab date'], { columns: { 'Patient ID': 'id', 'Creat (umol/L)': { to: 'creatinine', unit: 'umol/L' }, 'Lab date': 'date' } });
    expect(p.row(['S', '70', '2026-11-10']).record).toEqual({ id: 'S', measurements: [{ code: 'creatinine', value: 70, unit: 'umol/L', date: '2026-11-10' }] });
  });
});
