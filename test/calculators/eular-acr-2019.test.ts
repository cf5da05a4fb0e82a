import { describe, expect, it } from 'vitest';
import { EULAR_ACR_2019_ITEMS, eularAcr2019Calculator, readAna } from '../../src/calculators/eular-acr-2019.js';

const score = (ana: string | string[] | undefined, items: string[], extra: Record<string, unknown> = { complete: true }) =>
  eularAcr2019Calculator.compute({ ana, items, ...extra });

describe('eular-acr-2019: scoring (§A.2, §A.3)', () => {
  it('has the 24 items of §A.2 with a maximum of 51', () => {
    expect(Object.keys(EULAR_ACR_2019_ITEMS)).toHaveLength(24);
    const all = score('1:160', Object.keys(EULAR_ACR_2019_ITEMS));
    expect(all.value).toBe(51);
  });

  it.each([
    // [label, items, total, classified]
    ['class III/IV nephritis + ANA alone classifies', ['renal_biopsy_class_iii_or_iv_lupus_nephritis'], 10, true],
    ['class II/V nephritis alone does not', ['renal_biopsy_class_ii_or_v_lupus_nephritis'], 8, false],
    ['two items in one domain: highest only (6, not 6 + 2)', ['acute_cutaneous_lupus', 'oral_ulcers'], 6, false],
    ['hematologic: thrombocytopenia + leukopenia = 4', ['thrombocytopenia', 'leukopenia', 'autoimmune_hemolysis'], 4, false],
    ['renal: all three = 10', ['proteinuria_gt_0_5_g_per_24h', 'renal_biopsy_class_ii_or_v_lupus_nephritis', 'renal_biopsy_class_iii_or_iv_lupus_nephritis'], 10, true],
    ['low C3 alone = 3', ['low_c3'], 3, false],
    ['low C4 alone = 3', ['low_c4'], 3, false],
    ['low C3 + low C4 = 4, not 6', ['low_c3', 'low_c4'], 4, false],
    ['immunologic only does not classify (12 points)', ['anti_dsdna', 'anti_smith', 'low_c3', 'low_c4', 'lupus_anticoagulant', 'anti_beta2_glycoprotein_i'], 12, false],
    ['antiphospholipid: one domain, 2 points', ['anticardiolipin_medium_high_titer', 'lupus_anticoagulant'], 2, false],
    ['joint involvement + anti-dsDNA = 12', ['joint_involvement', 'anti_dsdna'], 12, true],
    ['fever + anti-dsDNA + C3/C4 = 12', ['fever', 'anti_dsdna', 'low_c3', 'low_c4'], 12, true],
    ['exactly 10: pleural effusion 5 + seizure 5', ['pleural_or_pericardial_effusion', 'seizure'], 10, true],
    ['9 points does not classify', ['psychosis', 'acute_cutaneous_lupus'], 9, false],
    ['item listed twice counts once', ['joint_involvement', 'joint_involvement'], 6, false],
  ])('%s', (_l, items, total, classified) => {
    const r = score('1:160', items);
    expect(r.value).toBe(total);
    expect(r.unit).toBe('{score}');
    expect(r.details['classified']).toBe(classified);
    expect(r.details['entryCriterionMet']).toBe(true);
  });

  it('excluded items (another cause) are not counted', () => {
    const r = score('1:160', ['fever', 'joint_involvement', 'anti_dsdna'], { excluded: ['joint_involvement'], complete: true });
    expect(r.value).toBe(8);
    expect(r.details['classified']).toBe(false);
    expect(r.inputs).toContainEqual({ item: 'joint_involvement', value: 'excluded' });
  });

  it('an unknown item id is a warning and is not counted', () => {
    const r = score('1:160', ['joint_involvement', 'malar_rash']);
    expect(r.value).toBe(6);
    expect(r.warnings).toEqual(["unknown EULAR/ACR item 'malar_rash' not counted"]);
  });

  it('reports per-domain scores', () => {
    const r = score('1:160', ['low_c3', 'low_c4', 'oral_ulcers', 'acute_cutaneous_lupus']);
    const domains = r.details['domains'] as { domain: string; lower: number; upper: number }[];
    expect(domains.find((d) => d.domain === 'complement_proteins')).toMatchObject({ lower: 4, upper: 4 });
    expect(domains.find((d) => d.domain === 'mucocutaneous')).toMatchObject({ lower: 6, upper: 6 });
    expect(domains).toHaveLength(10);
  });
});

describe('eular-acr-2019: ANA entry criterion (§A.1, §H.7)', () => {
  it.each([
    ['1:40', false],
    ['1:80', true],
    ['1:160', true],
    ['1:1280', true], // a higher titre is a smaller fraction: compare N, never 1/N
    ['1 : 320', true],
    ['1/640', true],
    ['positive', true],
    ['Positive', true],
    ['negative', false],
  ])('ANA %s → entry met %s', (ana, met) => {
    const r = score(ana, ['renal_biopsy_class_iii_or_iv_lupus_nephritis']);
    expect(r.details['entryCriterionMet']).toBe(met);
    expect(r.details['classified']).toBe(met);
    expect(r.value).toBe(10); // points are reported regardless of the entry criterion
  });

  it.each([
    [['1:40', '1:160', 'negative'], true], // at least once, ever
    [['1:40', '1:40'], false],
    [['negative', '1:20'], false],
    [['1:40', 'weakly reactive'], undefined], // unreadable result: cannot fail
    [[], undefined],
  ])('ANA history %j → entry met %s', (ana, met) => {
    const r = score(ana, ['renal_biopsy_class_iii_or_iv_lupus_nephritis']);
    expect(r.details['entryCriterionMet']).toBe(met);
    expect(r.details['classified']).toBe(met);
  });

  it('ANA unknown → classified undefined and ana missing', () => {
    const r = score(undefined, ['renal_biopsy_class_iii_or_iv_lupus_nephritis']);
    expect(r.details['classified']).toBeUndefined();
    expect(r.missing.map((m) => m.name)).toEqual(['ana']);
  });

  it('ANA unknown but too few points → not classified', () => {
    expect(score(undefined, ['fever']).details['classified']).toBe(false);
  });

  it('readAna never compares fractions', () => {
    expect(readAna('1:1280')).toEqual({ kind: 'titre', denominator: 1280 });
    expect(readAna('0.0125')).toEqual({ kind: 'invalid' });
  });

  it('carries ANA provenance', () => {
    const r = eularAcr2019Calculator.compute({ ana: [{ value: '1:160', date: '2024-03-01', source: 'measurements[7]' }], items: ['fever'], complete: true });
    expect(r.inputs[0]).toEqual({ item: 'ana', value: '1:160', date: '2024-03-01', source: 'measurements[7]' });
    expect(r.details['highestAnaTitre']).toBe('1:160');
  });
});

describe('eular-acr-2019: bounds with unrecorded items (§0)', () => {
  it('incomplete record → lower = present only, upper = present + unrecorded', () => {
    const r = score('1:160', ['joint_involvement'], {});
    expect(r.value).toBeUndefined();
    expect(r.lower).toBe(6);
    expect(r.upper).toBe(51);
    expect(r.details['classified']).toBeUndefined();
  });

  it('lower bound ≥ 10 with a clinical item classifies although incomplete', () => {
    const r = score('1:160', ['joint_involvement', 'anti_dsdna'], {});
    expect(r.lower).toBe(12);
    expect(r.details['classified']).toBe(true);
  });

  it('upper bound < 10 fails although incomplete', () => {
    const absent = Object.keys(EULAR_ACR_2019_ITEMS).filter((id) => !['fever', 'oral_ulcers', 'low_c3'].includes(id));
    const r = score('1:160', ['fever'], { absent });
    expect(r.lower).toBe(2);
    expect(r.upper).toBe(7);
    expect(r.details['classified']).toBe(false);
    expect(r.missing.map((m) => m.name).sort()).toEqual(['low_c3', 'oral_ulcers']);
  });

  it('low C3 present, low C4 unrecorded → complement 3..4 and low_c4 listed as missing', () => {
    const absent = Object.keys(EULAR_ACR_2019_ITEMS).filter((id) => !['low_c3', 'low_c4', 'fever'].includes(id));
    const r = score('1:160', ['fever', 'low_c3'], { absent });
    expect([r.lower, r.upper]).toEqual([5, 6]);
    expect(r.missing.map((m) => m.name)).toEqual(['low_c4']);
  });

  it('only unrecorded items that could raise their domain are missing', () => {
    const r = score('1:160', ['renal_biopsy_class_iii_or_iv_lupus_nephritis'], {});
    expect(r.missing.map((m) => m.name)).not.toContain('proteinuria_gt_0_5_g_per_24h');
  });

  it('immunologic items only, clinical all absent → not classified', () => {
    const clinical = Object.entries(EULAR_ACR_2019_ITEMS).filter(([, it]) => it.clinical).map(([id]) => id);
    const r = score('1:160', ['anti_dsdna', 'low_c3', 'low_c4'], { absent: clinical });
    expect(r.details['clinicalItemPresent']).toBe(false);
    expect(r.details['classified']).toBe(false);
  });

  it('never throws', () => {
    expect(() => eularAcr2019Calculator.compute(undefined as never)).not.toThrow();
    expect(() => eularAcr2019Calculator.compute({ ana: 7, items: 'fever' } as never)).not.toThrow();
  });
});
