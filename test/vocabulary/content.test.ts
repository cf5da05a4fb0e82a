/**
 * The built-in vocabulary's content (vocabulary/*.yaml): what records say maps to the concept a
 * criteria author expects, groups hold their members, and nothing that is not live counts as a live
 * vaccine. Table-driven; each row is a name or code as records write it.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN } from '../../src/vocabulary/builtin.gen.js';
import { conceptIdsOf, drugsOfClass, membersOf, resolve } from '../../src/vocabulary/index.js';
import { check, oneRule, statusOf } from '../helpers.js';

const drugGroups = (nameOrCode: string): string[] => {
  const e = resolve('drug', nameOrCode);
  return e ? [e.id, ...e.ancestors] : [];
};

describe('drugs and vaccines: names, brands, Chinese names and codes resolve into their groups', () => {
  it.each([
    ['relmacabtagene autoleucel', 'car-t'], ['倍诺达', 'car-t'], ['纳基奥仑赛注射液', 'car-t'], ['inaticabtagene autoleucel', 'car-t'],
    ['equecabtagene autoleucel', 'bcma-car-t'], ['福可苏', 'car-t'], ['Carvykti', 'bcma-car-t'], ['atc:L01XL07', 'bcma-car-t'],
    ['Kymriah', 'cd19-car-t'], ['atc:L01XL04', 'cd19-car-t'], ['CAR T-cell therapy', 'car-t'], ['CAR-T', 'car-t'],
    ['Myfortic', 'mycophenolate'], ['mycophenolate sodium', 'mycophenolate'], ['麦考酚钠', 'mycophenolate'],
    ['rituximab', 'anti-cd20'], ['Ocrevus', 'anti-cd20'], ['atc:L01FA03', 'anti-cd20'],
    ['belimumab', 'anti-baff'], ['telitacicept', 'anti-baff'],
    ['tofacitinib', 'jak-inhibitor'], ['atc:L04AF03', 'jak-inhibitor'], ['ruxolitinib', 'jak-inhibitor'],
    ['tacrolimus', 'calcineurin-inhibitor'], ['voclosporin', 'calcineurin-inhibitor'], ['atc:L04AD03', 'calcineurin-inhibitor'],
    ['Eliquis', 'anticoagulant'], ['warfarin', 'anticoagulant'], ['atc:B01AF01', 'anticoagulant'],
    ['ibuprofen 400 mg tablet', 'nsaid'], ['Lantus', 'insulin'], ['insulin glargine', 'insulin'], ['atc:A10AE04', 'insulin'],
    ['metformin', 'metformin'], ['rxnorm:6809', 'metformin'],
    ['zoster vaccine, live', 'live-vaccine'], ['cvx:121', 'live-vaccine'], ['cvx:25', 'live-vaccine'], ['cvx:94', 'live-vaccine'],
    ['measles, mumps and rubella virus vaccine', 'live-vaccine'], ['FluMist', 'live-vaccine'], ['甲肝减毒活疫苗', 'live-vaccine'],
  ])('%s → %s', (text, group) => {
    expect(drugGroups(text)).toContain(group);
  });
  it.each([['Shingrix'], ['recombinant zoster vaccine']])('%s is a known vaccine but not live', (text) => {
    const groups = drugGroups(text);
    expect(groups).toContain('zoster-vaccine-recombinant');
    expect(groups).not.toContain('live-vaccine');
  });
  it('MMF and Myfortic are one drug, so "at least 2 immunosuppressants" needs another', () => {
    const c = oneRule('{ medication: [cyclophosphamide, mycophenolate, azathioprine, tacrolimus], atLeast: 2 }');
    expect(statusOf(c, { medications: [{ name: 'MMF', start: '2025-01-01' }, { name: 'Myfortic', start: '2025-06-01' }] })).toBe('fail');
    expect(statusOf(c, { medications: [{ name: 'Myfortic', start: '2025-06-01' }, { name: 'tacrolimus', start: '2025-01-01' }] })).toBe('pass');
  });
  it('car-t holds every product of both targets', () => {
    const all = drugsOfClass('car-t');
    for (const id of ['tisagenlecleucel', 'axicabtagene-ciloleucel', 'relmacabtagene-autoleucel', 'inaticabtagene-autoleucel', 'equecabtagene-autoleucel', 'idecabtagene-vicleucel', 'ciltacabtagene-autoleucel']) {
      expect(all).toContain(id);
    }
  });
});

describe('measurements: codes and names', () => {
  it.each([
    ['loinc:13955-0', 'anti-hcv'], ['loinc:16128-1', 'anti-hcv'], ['loinc:11259-9', 'hcv-rna'], ['loinc:29615-2', 'hbv-dna'],
    ['loinc:16933-4', 'anti-hbc'], ['loinc:718-7', 'haemoglobin'], ['Hb', 'haemoglobin'], ['loinc:751-8', 'anc'],
    ['loinc:6301-6', 'inr'], ['loinc:4548-4', 'hba1c'], ['HbA1c', 'hba1c'], ['loinc:2890-2', 'upcr'], ['loinc:2889-4', 'urine-protein-24h'],
    ['loinc:9318-7', 'uacr'], ['loinc:89247-1', 'ecog'], ['loinc:39156-5', 'bmi'], ['loinc:8636-3', 'qtc'], ['loinc:33762-6', 'nt-probnp'],
  ])('%s → %s', (text, id) => {
    expect(resolve('measurement', text)?.id).toBe(id);
  });
});

describe('conditions: a record entry means every concept its code, name and groups say', () => {
  it.each([
    ['icd10cm:C79.31', undefined, ['brain-metastases', 'malignancy']],
    ['icd10:C79.3', undefined, ['brain-metastases', 'malignancy']],
    ['icd10:C34.1', undefined, ['lung-cancer', 'malignancy']],
    ['icd10cm:M32.19', undefined, ['sle-other-organ-involvement', 'sle']],
    ['icd10cm:M32.19', 'lupus cerebritis', ['sle-other-organ-involvement', 'sle', 'neuropsychiatric-lupus']],
    ['icd10:M32.14', 'NPSLE', ['sle', 'neuropsychiatric-lupus']],
    ['icd10:I48.0', undefined, ['atrial-fibrillation', 'arrhythmia']],
    ['icd10:K85.1', undefined, ['pancreatitis']],
    ['icd10:I26.9', undefined, ['pulmonary-embolism', 'venous-thromboembolism']],
    ['icd10:Z99.2', undefined, ['dialysis-dependence']],
  ])('%s (%s) → %j', (code, name, ids) => {
    expect(conceptIdsOf('condition', code, name)).toEqual(expect.arrayContaining(ids));
  });
  it.each([
    ['icd10:C78.7', 'brain-metastases'], // a sibling metastasis site is not brain metastases
    ['icd10:C79.4', 'brain-metastases'],
    ['icd10cm:M32.14', 'neuropsychiatric-lupus'],
    ['icd10:M32.0', 'sle'], // drug-induced lupus stays excluded
  ])('%s does not mean %s', (code, id) => {
    expect(conceptIdsOf('condition', code, undefined)).not.toContain(id);
  });
  it('condition rules see the groups: brain metastases coded C79.31 is both a malignancy and brain metastases', () => {
    const rec = { conditions: [{ code: 'icd10cm:C79.31', onset: '2026-09-01', clinicalStatus: 'active' }] };
    expect(statusOf(oneRule('{ condition: brain-metastases, active: true }'), rec)).toBe('pass');
    expect(statusOf(oneRule('{ condition: malignancy, active: true }'), rec)).toBe('pass');
    expect(check(oneRule('{ condition: lung-cancer }'), rec).criteria[0]!.status).toBe('fail');
  });
  it('neuropsychiatric lupus and M32.19 are members of sle (a lupus inclusion still sees them)', () => {
    expect(membersOf('sle')).toEqual(expect.arrayContaining(['neuropsychiatric-lupus', 'sle-other-organ-involvement']));
  });
});

describe('provenance: every code is either verified with a source or listed as unverified', () => {
  it('a concept with codes either names where they were checked or lists them as unverified', () => {
    const undocumented = BUILTIN.concepts
      .filter((c) => (c.codes?.length || c.descendants?.length) && !c.source)
      .filter((c) => [...(c.codes ?? []), ...(c.descendants ?? [])].some((k) => !(c.unverified ?? []).includes(k)))
      .map((c) => c.id);
    // the carried-over entries of elig 0.1.0 were checked against the sources named in each file's header
    const carriedOver = new Set(['sle', 'gilbert-syndrome', 'egfr', 'creatinine', 'ast', 'alt', 'bilirubin-total', 'spo2', 'inhaled-o2', 'lvef', 'weight', 'height', 'hcg', 'ana', 'anti-dsdna', 'c3', 'c4', 'urine-protein-24h', 'platelets', 'wbc', 'age-at-menarche', 'last-menstrual-period',
      'hydroxychloroquine', 'cyclophosphamide', 'mycophenolate', 'azathioprine', 'methotrexate', 'ciclosporin', 'tacrolimus', 'sirolimus', 'leflunomide', 'belimumab', 'rituximab', 'prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone', 'cortisone', 'triamcinolone', 'betamethasone', 'deflazacort']);
    expect(undocumented.filter((id) => !carriedOver.has(id))).toEqual([]);
  });
});
