/** elig init's building blocks: the eligibility-text splitter on real-world list shapes, ids, ages, study records. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { idFromText, loadCriteria, scaffoldFromStudy, splitEligibility } from '../../src/index.js';
import { registryAge } from '../../src/language/scaffold.js';

type Row = [string, string, [string, string][], string[]?];

// [name, eligibilityCriteria text, expected items as [kind, text], expected lead-ins]
const SHAPES: Row[] = [
  ['bulleted under both headings', 'Inclusion Criteria:\n\n* Age ≥ 18 years\n* Signed consent\n\nExclusion Criteria:\n\n* Pregnancy',
    [['inclusion', 'Age ≥ 18 years'], ['inclusion', 'Signed consent'], ['exclusion', 'Pregnancy']]],
  ['numbered, "Key" headings, wrapped lines', 'Key Inclusion Criteria:\n1. Adults aged 18 to 75\n   years at screening\n2) BMI ≤ 35 kg/m²\n\nKey Exclusion Criteria:\n1. Prior biologic therapy',
    [['inclusion', 'Adults aged 18 to 75 years at screening'], ['inclusion', 'BMI ≤ 35 kg/m²'], ['exclusion', 'Prior biologic therapy']]],
  ['sub-bullets stay with their item (indented, and a new marker after a colon)', 'Inclusion Criteria:\n* Adequate organ function:\n  * eGFR ≥ 30\n  * AST ≤ 3 × ULN\n* Consent\n\nExclusion Criteria:\n1. Infection, any of:\na. HIV\nb. hepatitis B\n2. Malignancy',
    [['inclusion', 'Adequate organ function:\n- eGFR ≥ 30\n- AST ≤ 3 × ULN'], ['inclusion', 'Consent'], ['exclusion', 'Infection, any of:\n- HIV\n- hepatitis B'], ['exclusion', 'Malignancy']]],
  ['run-on paragraph with inline bullets and both headings', 'Inclusion Criteria: * Age 16 to 55 years * SLEDAI-2K ≥ 8 Exclusion Criteria: * Pregnant * Active TB',
    [['inclusion', 'Age 16 to 55 years'], ['inclusion', 'SLEDAI-2K ≥ 8'], ['exclusion', 'Pregnant'], ['exclusion', 'Active TB']]],
  ['run-on numbering on one line', 'Inclusion Criteria: 1. aged ≥ 5 years; 2. SLE by 2019 EULAR/ACR; 3. written consent',
    [['inclusion', 'aged ≥ 5 years'], ['inclusion', 'SLE by 2019 EULAR/ACR'], ['inclusion', 'written consent']]],
  ['a paragraph listing clauses with semicolons', 'Exclusion Criteria:\nHaemoglobin < 8 g/dL; platelets < 50 × 10⁹/L (or < 30 if on dialysis; any cause); neutrophils < 1.0 × 10⁹/L',
    [['exclusion', 'Haemoglobin < 8 g/dL'], ['exclusion', 'platelets < 50 × 10⁹/L (or < 30 if on dialysis; any cause)'], ['exclusion', 'neutrophils < 1.0 × 10⁹/L']]],
  ['a paragraph of prose stays whole', 'Inclusion Criteria:\n\nPatients with refractory disease. Must be able to attend visits.',
    [['inclusion', 'Patients with refractory disease. Must be able to attend visits.']]],
  ['lead-in lines are kept apart', 'Inclusion Criteria:\nParticipants must meet all of the following:\n- Age ≥ 18\n- Consent',
    [['inclusion', 'Age ≥ 18'], ['inclusion', 'Consent']], ['Participants must meet all of the following:']],
  ['CommonMark escapes, bold headings, bullets •, ≥ ≤ × kept', '**Inclusion Criteria**\n\n• Platelets \\> 75 × 10⁹/L\n• Creatinine ≤ 1.5 \\* ULN\n\n**Exclusion Criteria**\n\n• QTc \\>= 470 ms',
    [['inclusion', 'Platelets > 75 × 10⁹/L'], ['inclusion', 'Creatinine ≤ 1.5 * ULN'], ['exclusion', 'QTc >= 470 ms']]],
  ['no headings: everything is inclusion; CRLF line ends', '- Age ≥ 5 years\r\n- Consent\r\n',
    [['inclusion', 'Age ≥ 5 years'], ['inclusion', 'Consent']]],
  ['numbering as Chinese registrations write it (1、 and （1）); a decimal is not a bullet', 'Inclusion Criteria:\n1、Age ≥ 5 years\n2、SLEDAI-2K ≥ 8\nExclusion Criteria:\n（1）Pregnancy\n1.5 mg/kg dose taken before',
    [['inclusion', 'Age ≥ 5 years'], ['inclusion', 'SLEDAI-2K ≥ 8'], ['exclusion', 'Pregnancy 1.5 mg/kg dose taken before']]],
  ['"inclusion criteria" inside a sentence is not a heading', 'Inclusion Criteria:\n* Meets the inclusion criteria of study ABC-1\n* Consent',
    [['inclusion', 'Meets the inclusion criteria of study ABC-1'], ['inclusion', 'Consent']]],
];

describe('splitEligibility', () => {
  it.each(SHAPES)('%s', (_name, text, items, leadIns = []) => {
    const r = splitEligibility(text);
    expect(r.items.map((x) => [x.kind, x.text])).toEqual(items);
    expect(r.leadIns.map((x) => x.text)).toEqual(leadIns);
  });
});

describe('idFromText', () => {
  it.each([
    ['Age ≥ 18 years', 'age-18-years'],
    ['Patients with a diagnosis of systemic lupus erythematosus according to the 2019 criteria', 'diagnosis-systemic-lupus-erythematosus'],
    ['Sjögren’s syndrome', 'sjogren-s-syndrome'],
    ['≥ ≤ ×', 'criterion'],
    ['Adequate organ function:\n- eGFR ≥ 30', 'adequate-organ-function'],
  ])('%j → %s', (text, id) => {
    expect(idFromText(text)).toBe(id);
    expect(id).toMatch(/^[a-z0-9][a-z0-9._/-]*$/);
  });
});

describe('registryAge', () => {
  it.each([
    ['5 Years', { threshold: '5 a', text: '5 Years' }],
    ['6 Months', { threshold: '6 mo', text: '6 Months' }],
    ['1 Year', { threshold: '1 a', text: '1 Year' }],
    ['28 Days', { text: '28 Days' }],
    ['N/A', {}],
    [undefined, {}],
  ] as const)('%j', (s, out) => expect(registryAge(s)).toEqual(out));
});

const study = (eligibilityModule: object, extra: object = {}) => ({
  protocolSection: { identificationModule: { nctId: 'NCT90000009', briefTitle: 'T' }, eligibilityModule, ...extra },
});

describe('scaffoldFromStudy', () => {
  it('the seed trial: age rule from minimumAge, every free-text item a to-do criterion with its verbatim text', () => {
    const rec = JSON.parse(readFileSync('fixtures/registry/nct06691152.json', 'utf8')) as { protocolSection: { eligibilityModule: { eligibilityCriteria: string } } };
    const s = scaffoldFromStudy(rec, 'nct06691152.json');
    if (!('criteria' in s)) throw new Error('not scaffolded');
    const loaded = loadCriteria('nct06691152.yaml', s.criteria);
    expect(loaded.diagnostics).toEqual([]);
    const doc = loaded.criteria!.doc;
    expect(doc.inclusion[0]).toMatchObject({ id: 'age', rule: { fact: 'age', min: '5 a' } });
    expect(doc.registry).toMatchObject({ id: 'NCT06691152', sex: 'all', minimumAge: '5 Years', healthyVolunteers: false, versionDate: '2024-11-13' });
    const texts = splitEligibility(rec.protocolSection.eligibilityModule.eligibilityCriteria).items.map((x) => x.text);
    expect([...doc.inclusion.slice(1), ...doc.exclusion].map((c) => c.text)).toEqual(texts);
    expect([...doc.inclusion.slice(1), ...doc.exclusion].every((c) => 'todo' in c.rule)).toBe(true);
    expect(s.counts).toEqual({ inclusion: 12, exclusion: 11, todo: 22 });
  });

  it('sex FEMALE and MALE become rules; ALL does not', () => {
    for (const [sex, rule] of [['FEMALE', { fact: 'sex', is: 'female' }], ['MALE', { fact: 'sex', is: 'male' }]] as const) {
      const s = scaffoldFromStudy(study({ sex, eligibilityCriteria: '* x' }), 's.json');
      expect('criteria' in s && loadCriteria('s.yaml', s.criteria).criteria!.doc.inclusion.find((c) => c.id === 'sex')?.rule).toEqual(rule);
    }
    const all = scaffoldFromStudy(study({ sex: 'ALL', eligibilityCriteria: '* x' }), 's.json');
    expect('criteria' in all && loadCriteria('s.yaml', all.criteria).criteria!.doc.inclusion.map((c) => c.id)).toEqual(['x']);
  });

  it('an age limit in days cannot be a rule in years or months: a to-do', () => {
    const s = scaffoldFromStudy(study({ minimumAge: '28 Days', eligibilityCriteria: '* x' }), 's.json');
    expect('criteria' in s && loadCriteria('s.yaml', s.criteria).criteria!.doc.inclusion[0]).toMatchObject({ id: 'age', rule: { todo: expect.stringContaining('28 Days') } });
  });

  it('a search answer with one study is read; no criteria text is a warning; duplicate ids get suffixes', () => {
    const s = scaffoldFromStudy({ studies: [study({ minimumAge: '18 Years' })] }, 's.json');
    expect('criteria' in s && s.diagnostics.map((d) => d.code)).toEqual(['registry/no-criteria']);
    const d = scaffoldFromStudy(study({ eligibilityCriteria: '* Consent\n* Consent\n* Consent' }), 's.json');
    expect('criteria' in d && loadCriteria('s.yaml', d.criteria).criteria!.doc.inclusion.map((c) => c.id)).toEqual(['consent', 'consent-2', 'consent-3']);
  });

  it('a record with neither age/sex limits nor criteria text still gives a file that loads, with one criterion to write', () => {
    const s = scaffoldFromStudy(study({ sex: 'ALL' }), 's.json');
    if (!('criteria' in s)) throw new Error('not scaffolded');
    const r = loadCriteria('s.yaml', s.criteria);
    expect(r.diagnostics).toEqual([]);
    expect(r.criteria!.doc.inclusion).toHaveLength(1);
    expect(r.criteria!.doc.inclusion[0]!.rule).toHaveProperty('todo');
  });

  it.each([
    ['not an object', 42],
    ['no protocolSection', { foo: 1 }],
    ['no nctId', { protocolSection: { identificationModule: {} } }],
    ['a search answer with two studies', { studies: [study({}), study({})] }],
  ])('%s: registry/invalid-study', (_n, value) => {
    const s = scaffoldFromStudy(value, 's.json');
    expect('criteria' in s).toBe(false);
    expect(s.diagnostics.map((d) => d.code)).toEqual(['registry/invalid-study']);
  });

  it('hostile text stays text: quotes, newlines, YAML syntax in an item', () => {
    const s = scaffoldFromStudy(study({ eligibilityCriteria: '* "quoted": {not: yaml} # no comment\n* - [ ] &anchor *alias' }), 's.json');
    if (!('criteria' in s)) throw new Error('not scaffolded');
    const doc = loadCriteria('s.yaml', s.criteria).criteria!.doc;
    expect(doc.inclusion.map((c) => c.text)).toEqual(['"quoted": {not: yaml} # no comment', '- [ ] &anchor *alias']);
  });
});
