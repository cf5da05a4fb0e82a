/**
 * The one vocabulary table. Short canonical codes (`egfr`, `ast`, `hydroxychloroquine`) and coded
 * forms (`loinc:33914-3`, `atc:P01BA02`, `rxnorm:5521`, `snomed:55464009`, `icd10:M32.14`) resolve to
 * the same entry here, so a hand-written record and an EHR export mean the same thing.
 * Codes from ../shared/reference/clinical.md §G (LOINC G.1, diagnoses G.2, drugs G.3).
 */
import { memoString } from './memo.js';
import { own } from './own.js';

export type VocabularyKind = 'measurement' | 'drug' | 'condition' | 'finding' | 'attestation';

export interface VocabularyEntry {
  id: string;
  kind: VocabularyKind;
  display: string;
  /** Coded forms `system:code` (lower-case system). */
  codes?: readonly string[];
  /** Other spellings (matched case-insensitively, whitespace folded). */
  synonyms?: readonly string[];
  /** Measurements: the canonical unit (UCUM) values are compared in. */
  unit?: string;
  /** Measurements: the molar mass (g/mol) for mass ↔ molar unit conversion. */
  molarMass?: number;
  /** Measurements: the calculator that can derive the value from raw inputs. */
  derivedBy?: string;
  /** Measurements: values are qualitative (positive/negative, titres) rather than quantities. */
  qualitative?: boolean;
  /** Drugs: the classes the drug belongs to. */
  classes?: readonly string[];
  /** Condition codes matched by prefix (ICD-10 M32 matches M32.14). */
  codePrefixes?: readonly string[];
  /** Condition codes that must not match even though the prefix does (drug-induced lupus M32.0). */
  excludedCodes?: readonly string[];
}

const M = (e: Omit<VocabularyEntry, 'kind'>): VocabularyEntry => ({ kind: 'measurement', ...e });
const D = (e: Omit<VocabularyEntry, 'kind'>): VocabularyEntry => ({ kind: 'drug', ...e });
const C = (e: Omit<VocabularyEntry, 'kind'>): VocabularyEntry => ({ kind: 'condition', ...e });

export const VOCABULARY: readonly VocabularyEntry[] = [
  // ---- measurements (§G.1) ----
  M({ id: 'egfr', display: 'eGFR', unit: 'mL/min/{1.73_m2}', derivedBy: 'egfr',
    codes: ['loinc:98979-8', 'loinc:62238-1', 'loinc:88294-4', 'loinc:88293-6', 'loinc:33914-3', 'loinc:77147-7',
      'loinc:48642-3', 'loinc:48643-1', 'loinc:50044-7', 'loinc:70969-1', 'loinc:50384-7'],
    synonyms: ['estimated gfr', 'gfr'] }),
  M({ id: 'creatinine', display: 'creatinine', unit: 'mg/dL', molarMass: 113.12,
    codes: ['loinc:2160-0', 'loinc:14682-9', 'loinc:38483-4'], synonyms: ['serum creatinine', 'scr', 'creat'] }),
  M({ id: 'ast', display: 'AST', unit: 'U/L', codes: ['loinc:1920-8', 'loinc:30239-8'],
    synonyms: ['aspartate aminotransferase', 'sgot', 'got'] }),
  M({ id: 'alt', display: 'ALT', unit: 'U/L', codes: ['loinc:1742-6', 'loinc:1744-2', 'loinc:1743-4'],
    synonyms: ['alanine aminotransferase', 'sgpt', 'gpt'] }),
  // Bilirubin: 1 mg/dL = 17.1 µmol/L, molar mass 584.66 g/mol (§E.4).
  M({ id: 'bilirubin-total', display: 'total bilirubin', unit: 'mg/dL', molarMass: 584.66,
    codes: ['loinc:1975-2', 'loinc:14631-6', 'loinc:42719-5'], synonyms: ['bilirubin', 'tbil', 'total bilirubin'] }),
  M({ id: 'spo2', display: 'SpO2', unit: '%', codes: ['loinc:59408-5', 'loinc:2708-6'],
    synonyms: ['oxygen saturation', 'sao2', 'pulse oximetry'] }),
  M({ id: 'inhaled-o2', display: 'inhaled oxygen', codes: ['loinc:3150-0', 'loinc:3151-8'], synonyms: ['fio2', 'oxygen flow'] }),
  M({ id: 'lvef', display: 'LVEF', unit: '%', codes: ['loinc:10230-1', 'loinc:8806-2', 'loinc:18043-0', 'loinc:79991-4'],
    synonyms: ['left ventricular ejection fraction', 'ejection fraction', 'ef'] }),
  M({ id: 'weight', display: 'body weight', unit: 'kg', codes: ['loinc:29463-7', 'loinc:3141-9'], synonyms: ['body weight', 'wt'] }),
  M({ id: 'height', display: 'body height', unit: 'cm', codes: ['loinc:8302-2', 'loinc:8306-3'], synonyms: ['body height', 'length', 'ht'] }),
  M({ id: 'hcg', display: 'hCG (pregnancy test)', qualitative: true,
    codes: ['loinc:2106-3', 'loinc:2118-8', 'loinc:2112-1', 'loinc:2110-5', 'loinc:21198-7', 'loinc:19080-1'],
    synonyms: ['pregnancy test', 'beta-hcg', 'b-hcg', 'serum hcg', 'urine hcg'] }),
  M({ id: 'ana', display: 'ANA', qualitative: true, codes: ['loinc:5048-4', 'loinc:29953-7', 'loinc:8061-4'],
    synonyms: ['antinuclear antibodies', 'antinuclear antibody'] }),
  M({ id: 'anti-dsdna', display: 'anti-dsDNA', codes: ['loinc:5130-0'], synonyms: ['dsdna', 'anti-double-stranded dna'] }),
  M({ id: 'c3', display: 'complement C3', unit: 'mg/dL', codes: ['loinc:4485-9'] }),
  M({ id: 'c4', display: 'complement C4', unit: 'mg/dL', codes: ['loinc:4498-2'] }),
  M({ id: 'urine-protein-24h', display: 'urine protein (24 h)', unit: 'g/(24.h)', codes: ['loinc:2889-4', 'loinc:2890-2'] }),
  M({ id: 'platelets', display: 'platelets', unit: '10*9/L', codes: ['loinc:777-3'] }),
  M({ id: 'wbc', display: 'white cell count', unit: '10*9/L', codes: ['loinc:6690-2'], synonyms: ['leukocytes'] }),
  M({ id: 'age-at-menarche', display: 'age at menarche', unit: 'a', codes: ['loinc:63888-2'] }),
  M({ id: 'last-menstrual-period', display: 'last menstrual period', qualitative: true, codes: ['loinc:8665-2'] }),
  M({ id: 'sledai-2k', display: 'SLEDAI-2K total', unit: '{score}', derivedBy: 'sledai-2k', synonyms: ['sledai', 'sledai2k'] }),
  M({ id: 'eular-acr-2019', display: '2019 EULAR/ACR total', unit: '{score}', derivedBy: 'eular-acr-2019' }),
  // Screening serology for the infection exclusions. Codes [R] (recalled, verify before relying on them);
  // tests without a code we could vouch for carry names only.
  M({ id: 'hbsag', display: 'HBsAg', qualitative: true, codes: ['loinc:5196-1', 'loinc:5195-3'],
    synonyms: ['hepatitis b surface antigen', 'hbs ag', 'hbs-ag'] }),
  M({ id: 'hbv-dna', display: 'HBV DNA', qualitative: true, synonyms: ['hepatitis b virus dna', 'hbv viral load'] }),
  M({ id: 'anti-hcv', display: 'anti-HCV', qualitative: true, codes: ['loinc:16128-1'],
    synonyms: ['hepatitis c antibody', 'hcv antibody', 'hcv ab'] }),
  M({ id: 'hcv-rna', display: 'HCV RNA', qualitative: true, synonyms: ['hepatitis c virus rna', 'hcv viral load'] }),
  M({ id: 'hiv-test', display: 'HIV-1/2 antigen/antibody', qualitative: true, codes: ['loinc:56888-1'],
    synonyms: ['hiv', 'hiv antibody', 'hiv ag/ab', 'hiv screen'] }),
  M({ id: 'syphilis-serology', display: 'syphilis serology (RPR/TPPA)', qualitative: true, codes: ['loinc:20507-0'],
    synonyms: ['rpr', 'tppa', 'treponema pallidum antibody', 'syphilis'] }),
  M({ id: 'cmv-dna', display: 'CMV DNA', qualitative: true, synonyms: ['cytomegalovirus dna', 'cmv pcr', 'cmv viral load'] }),

  // ---- drugs (§G.3): ATC (old and new codes), RxNorm ingredient, English and Chinese names ----
  D({ id: 'hydroxychloroquine', display: 'hydroxychloroquine', classes: ['antimalarial'],
    codes: ['atc:P01BA02', 'rxnorm:5521'], synonyms: ['hcq', 'plaquenil', '羟氯喹', '硫酸羟氯喹'] }),
  D({ id: 'cyclophosphamide', display: 'cyclophosphamide', classes: ['immunosuppressant'],
    codes: ['atc:L01AA01', 'rxnorm:3002'], synonyms: ['cyc', 'cytoxan', 'endoxan', '环磷酰胺'] }),
  D({ id: 'mycophenolate', display: 'mycophenolate (MMF / mycophenolic acid)', classes: ['immunosuppressant'],
    codes: ['atc:L04AA06', 'rxnorm:68149', 'rxnorm:7145'],
    synonyms: ['mmf', 'mycophenolate mofetil', 'mycophenolic acid', 'mpa', 'cellcept', '吗替麦考酚酯', '霉酚酸酯', '麦考酚酸'] }),
  // Mycophenolate sodium is kept distinct: whether it counts as "MMF" is an open sponsor question (§D.4 item 4).
  D({ id: 'mycophenolate-sodium', display: 'mycophenolate sodium', classes: ['immunosuppressant-other'],
    synonyms: ['myfortic', 'enteric-coated mycophenolate sodium', '麦考酚钠'] }),
  D({ id: 'azathioprine', display: 'azathioprine', classes: ['immunosuppressant'],
    codes: ['atc:L04AX01', 'rxnorm:1256'], synonyms: ['aza', 'imuran', '硫唑嘌呤'] }),
  D({ id: 'methotrexate', display: 'methotrexate', classes: ['immunosuppressant'],
    codes: ['atc:L04AX03', 'atc:L01BA01', 'rxnorm:6851'], synonyms: ['mtx', '甲氨蝶呤'] }),
  D({ id: 'ciclosporin', display: 'ciclosporin', classes: ['immunosuppressant'],
    codes: ['atc:L04AD01', 'rxnorm:3008'], synonyms: ['cyclosporin', 'cyclosporine', 'cyclosporin a', 'csa', 'neoral', 'sandimmune', '环孢素'] }),
  D({ id: 'voclosporin', display: 'voclosporin', classes: ['immunosuppressant-other'], synonyms: ['lupkynis'] }),
  D({ id: 'tacrolimus', display: 'tacrolimus', classes: ['immunosuppressant'],
    codes: ['atc:L04AD02', 'rxnorm:42316'], synonyms: ['fk506', 'prograf', '他克莫司'] }),
  D({ id: 'sirolimus', display: 'sirolimus', classes: ['immunosuppressant'],
    codes: ['atc:L04AH01', 'atc:L04AA10', 'rxnorm:35302'], synonyms: ['rapamycin', 'rapamune', '西罗莫司'] }),
  D({ id: 'leflunomide', display: 'leflunomide', classes: ['immunosuppressant'],
    codes: ['atc:L04AK01', 'atc:L04AA13', 'rxnorm:27169'], synonyms: ['arava', '来氟米特'] }),
  D({ id: 'telitacicept', display: 'telitacicept', classes: ['immunosuppressant'],
    synonyms: ['rc18', 'tai ai', '泰它西普', '泰爱'] }),
  // "Beliumab" is the registry listing's misspelling of belimumab.
  D({ id: 'belimumab', display: 'belimumab', classes: ['immunosuppressant'],
    codes: ['atc:L04AG04', 'atc:L04AA26'], synonyms: ['beliumab', 'benlysta', '贝利尤单抗'] }),
  D({ id: 'rituximab', display: 'rituximab', classes: ['immunosuppressant'],
    codes: ['atc:L01FA01', 'atc:L01XC02', 'rxnorm:121191'], synonyms: ['rtx', 'mabthera', 'rituxan', '利妥昔单抗'] }),
  // Systemic glucocorticoids (§D.1); equivalences live in calculators/prednisone-equivalent.ts.
  D({ id: 'prednisone', display: 'prednisone', classes: ['glucocorticoid'], codes: ['atc:H02AB07', 'rxnorm:8640'], synonyms: ['泼尼松', '强的松'] }),
  D({ id: 'prednisolone', display: 'prednisolone', classes: ['glucocorticoid'], codes: ['atc:H02AB06', 'rxnorm:8638'], synonyms: ['泼尼松龙', '强的松龙'] }),
  D({ id: 'methylprednisolone', display: 'methylprednisolone', classes: ['glucocorticoid'], codes: ['atc:H02AB04', 'rxnorm:6902'],
    synonyms: ['mp', 'medrol', 'solu-medrol', '甲泼尼龙', '甲基强的松龙'] }),
  D({ id: 'dexamethasone', display: 'dexamethasone', classes: ['glucocorticoid'], codes: ['atc:H02AB02', 'rxnorm:3264'], synonyms: ['地塞米松'] }),
  D({ id: 'hydrocortisone', display: 'hydrocortisone', classes: ['glucocorticoid'], codes: ['atc:H02AB09', 'rxnorm:5492'], synonyms: ['cortisol', '氢化可的松'] }),
  D({ id: 'cortisone', display: 'cortisone', classes: ['glucocorticoid'], codes: ['atc:H02AB10', 'rxnorm:2878'], synonyms: ['cortisone acetate', '可的松'] }),
  D({ id: 'triamcinolone', display: 'triamcinolone', classes: ['glucocorticoid'], codes: ['atc:H02AB08', 'rxnorm:10759'], synonyms: ['曲安西龙'] }),
  D({ id: 'betamethasone', display: 'betamethasone', classes: ['glucocorticoid'], codes: ['atc:H02AB01', 'rxnorm:1514'], synonyms: ['倍他米松'] }),
  D({ id: 'deflazacort', display: 'deflazacort', classes: ['glucocorticoid'], codes: ['atc:H02AB13'], synonyms: ['地夫可特'] }),
  D({ id: 'cd19-car-t', display: 'CD19 CAR-T cell therapy', classes: ['car-t'],
    synonyms: ['car-t', 'car t', 'tisagenlecleucel', 'axicabtagene ciloleucel', 'lisocabtagene maraleucel', 'brexucabtagene autoleucel'] }),
  // Live attenuated vaccines (exclusion: live vaccine within 4 weeks). ATC codes [R]; CVX (CDC vaccine codes, FHIR
  // Immunization.vaccineCode) [R], 03/21/119 as seen in the Synthea sample data.
  D({ id: 'mmr-vaccine', display: 'measles-mumps-rubella vaccine (live)', classes: ['live-vaccine'], codes: ['atc:J07BD52', 'cvx:03', 'cvx:94'],
    synonyms: ['mmr', 'mmr vaccine', 'measles mumps rubella vaccine', 'mmrv', 'measles vaccine', '麻腮风疫苗'] }),
  D({ id: 'varicella-vaccine', display: 'varicella vaccine (live)', classes: ['live-vaccine'], codes: ['atc:J07BK01', 'cvx:21'],
    synonyms: ['varicella vaccine', 'varivax', 'chickenpox vaccine', 'varicella zoster vaccine live', '水痘疫苗'] }),
  D({ id: 'zoster-vaccine-live', display: 'zoster vaccine live', classes: ['live-vaccine'], codes: ['atc:J07BK02', 'cvx:121'], synonyms: ['zoster vaccine live', 'zostavax'] }),
  D({ id: 'bcg-vaccine', display: 'BCG vaccine', classes: ['live-vaccine'], codes: ['atc:J07AN01', 'cvx:19'], synonyms: ['bcg', 'bcg vaccine', '卡介苗'] }),
  D({ id: 'yellow-fever-vaccine', display: 'yellow fever vaccine', classes: ['live-vaccine'], codes: ['atc:J07BL01', 'cvx:37'], synonyms: ['yellow fever vaccine', 'stamaril', 'yf-vax'] }),
  D({ id: 'influenza-vaccine-live', display: 'live attenuated influenza vaccine', classes: ['live-vaccine'], codes: ['cvx:111', 'cvx:149'], synonyms: ['laiv', 'flumist', 'fluenz'] }),
  D({ id: 'oral-polio-vaccine', display: 'oral poliovirus vaccine', classes: ['live-vaccine'], codes: ['cvx:02'], synonyms: ['oral polio vaccine', 'opv', 'sabin vaccine'] }),
  D({ id: 'rotavirus-vaccine', display: 'rotavirus vaccine', classes: ['live-vaccine'], codes: ['cvx:116', 'cvx:119', 'cvx:122'], synonyms: ['rotavirus vaccine', 'rotateq', 'rotarix'] }),

  // ---- conditions (§G.2) ----
  C({ id: 'sle', display: 'systemic lupus erythematosus', codes: ['snomed:55464009', 'snomed:68815009'],
    codePrefixes: ['icd10:M32', 'icd10cm:M32'], excludedCodes: ['icd10:M32.0', 'icd10cm:M32.0'],
    synonyms: ['systemic lupus erythematosus', 'lupus', 'lupus nephritis', '系统性红斑狼疮'] }),
  C({ id: 'gilbert-syndrome', display: 'Gilbert syndrome', codes: ['snomed:27503000', 'icd10:E80.4'] }),
  // Conditions of the nct06691152 exclusions. SNOMED CT concept ids and ICD-10 blocks are [R] (recalled
  // domain knowledge, not re-read in the primary source: verify before relying on them). ICD-10 is
  // matched by prefix, WHO and CM alike.
  C({ id: 'neuropsychiatric-lupus', display: 'neuropsychiatric (CNS) lupus',
    synonyms: ['npsle', 'cns lupus', 'neuropsychiatric sle', 'neuropsychiatric systemic lupus erythematosus', 'lupus cerebritis', 'cerebral lupus', '神经精神狼疮'] }),
  C({ id: 'tuberculosis', display: 'tuberculosis', codes: ['snomed:56717001'],
    codePrefixes: ['icd10:A15', 'icd10:A16', 'icd10:A17', 'icd10:A18', 'icd10:A19', 'icd10cm:A15', 'icd10cm:A16', 'icd10cm:A17', 'icd10cm:A18', 'icd10cm:A19'],
    synonyms: ['tb', 'active tuberculosis', 'pulmonary tuberculosis', '结核', '肺结核'] }),
  // SNOMED CT has no hierarchy here: common descendants are listed (88805009 is Synthea's "Chronic
  // congestive heart failure", seen in the shared sample data) [R — verify against the release]
  C({ id: 'heart-failure', display: 'heart failure', codes: ['snomed:84114007', 'snomed:42343007', 'snomed:88805009', 'snomed:10633002', 'snomed:56675007', 'snomed:48447003'],
    codePrefixes: ['icd10:I50', 'icd10cm:I50'],
    synonyms: ['congestive heart failure', 'chf', 'cardiac failure', '心力衰竭'] }),
  C({ id: 'myocardial-infarction', display: 'myocardial infarction', codes: ['snomed:22298006', 'snomed:57054005', 'snomed:401303003', 'snomed:401314000'],
    codePrefixes: ['icd10:I21', 'icd10:I22', 'icd10cm:I21', 'icd10cm:I22'], synonyms: ['mi', 'heart attack', 'acute myocardial infarction', '心肌梗死'] }),
  C({ id: 'unstable-angina', display: 'unstable angina', codes: ['snomed:4557003', 'icd10:I20.0', 'icd10cm:I20.0'], synonyms: ['不稳定型心绞痛'] }),
  C({ id: 'cardiomyopathy', display: 'cardiomyopathy', codes: ['snomed:85898001'], codePrefixes: ['icd10:I42', 'icd10cm:I42'],
    synonyms: ['心肌病'] }),
  C({ id: 'transplant-recipient', display: 'organ or stem-cell transplant recipient',
    codePrefixes: ['icd10:Z94', 'icd10cm:Z94', 'icd10:T86', 'icd10cm:T86'],
    synonyms: ['organ transplant', 'kidney transplant', 'stem cell transplant', 'bone marrow transplant', 'hsct', 'allogeneic hsct', '器官移植', '干细胞移植'] }),
  C({ id: 'gvhd', display: 'graft-versus-host disease', codes: ['snomed:234646005'], codePrefixes: ['icd10cm:D89.81'],
    synonyms: ['graft versus host disease', 'graft-vs-host disease', '移植物抗宿主病'] }),
  C({ id: 'hepatitis-b', display: 'hepatitis B infection', codes: ['snomed:66071002', 'icd10:B18.0', 'icd10:B18.1', 'icd10cm:B18.0', 'icd10cm:B18.1', 'icd10cm:B19.1', 'icd10cm:Z22.51'],
    codePrefixes: ['icd10:B16', 'icd10cm:B16'], synonyms: ['hbv', 'chronic hepatitis b', 'hepatitis b', '乙肝', '乙型肝炎'] }),
  C({ id: 'hepatitis-c', display: 'hepatitis C infection', codes: ['snomed:50711007', 'icd10:B17.1', 'icd10:B18.2', 'icd10cm:B17.1', 'icd10cm:B18.2', 'icd10cm:B19.2'],
    synonyms: ['hcv', 'chronic hepatitis c', 'hepatitis c', '丙肝', '丙型肝炎'] }),
  C({ id: 'hiv', display: 'HIV infection', codes: ['snomed:86406008', 'icd10:Z21', 'icd10cm:Z21'],
    codePrefixes: ['icd10:B20', 'icd10:B21', 'icd10:B22', 'icd10:B23', 'icd10:B24', 'icd10cm:B20'],
    synonyms: ['hiv infection', 'human immunodeficiency virus infection', 'aids', '艾滋病'] }),
  C({ id: 'syphilis', display: 'syphilis', codes: ['snomed:76272004'],
    codePrefixes: ['icd10:A50', 'icd10:A51', 'icd10:A52', 'icd10:A53', 'icd10cm:A50', 'icd10cm:A51', 'icd10cm:A52', 'icd10cm:A53'], synonyms: ['梅毒'] }),
  C({ id: 'cmv-infection', display: 'cytomegalovirus infection', codes: ['snomed:28944009'], codePrefixes: ['icd10:B25', 'icd10cm:B25'],
    synonyms: ['cmv', 'cmv infection', 'cytomegalovirus', 'cmv viremia', '巨细胞病毒感染'] }),
  C({ id: 'pregnancy', display: 'pregnancy', codes: ['snomed:77386006', 'icd10:Z33.1', 'icd10cm:Z33.1'], codePrefixes: ['icd10:Z34', 'icd10cm:Z34'],
    synonyms: ['pregnant', 'currently pregnant', '妊娠', '怀孕'] }),
  C({ id: 'breastfeeding', display: 'breastfeeding', codes: ['snomed:169750002', 'icd10:Z39.1', 'icd10cm:Z39.1'],
    synonyms: ['breast-feeding', 'lactating', 'lactation', '哺乳期'] }),
  C({ id: 'malignancy', display: 'malignant neoplasm', codes: ['snomed:363346000'], codePrefixes: ['icd10:C', 'icd10cm:C'],
    synonyms: ['cancer', 'malignancy', 'malignant tumour', 'malignant tumor', '恶性肿瘤'] }),
];

/** Class memberships: a class id resolves to its member drug ids. */
export function drugsOfClass(cls: string): string[] {
  return VOCABULARY.filter((e) => e.kind === 'drug' && e.classes?.includes(cls)).map((e) => e.id);
}

/** Fold a free-text name or code for lookup: lower-case, NFKC, zero-width characters removed, spaces folded. */
export function foldKey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();
}

interface Index {
  byKey: Map<string, VocabularyEntry>;
  prefixes: { prefix: string; entry: VocabularyEntry }[];
  /** kind → id → entry (entryById without building a key string). */
  byKindId: Map<string, Map<string, VocabularyEntry>>;
  classes: Set<string>;
}

function buildIndex(): Index {
  const byKey = new Map<string, VocabularyEntry>();
  const byKindId = new Map<string, Map<string, VocabularyEntry>>();
  const prefixes: Index['prefixes'] = [];
  const classes = new Set<string>();
  for (const e of VOCABULARY) {
    let ids = byKindId.get(e.kind);
    if (!ids) byKindId.set(e.kind, (ids = new Map()));
    ids.set(e.id, e);
    const keys = [e.id, e.display, ...(e.codes ?? []), ...(e.synonyms ?? [])];
    for (const k of keys) {
      const f = foldKey(k);
      const key = `${e.kind}|${f}`;
      if (!byKey.has(key)) byKey.set(key, e);
    }
    for (const p of e.codePrefixes ?? []) prefixes.push({ prefix: foldKey(p), entry: e });
    for (const c of e.classes ?? []) classes.add(c);
  }
  return { byKey, prefixes, byKindId, classes };
}

const INDEX = buildIndex();

/** Normalise coded forms: `LOINC:1920-8`, `http://loinc.org|1920-8` → `loinc:1920-8`. */
const SYSTEM_URIS: Record<string, string> = {
  'http://loinc.org': 'loinc',
  'http://snomed.info/sct': 'snomed',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10cm',
  'http://hl7.org/fhir/sid/icd-10': 'icd10',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'rxnorm',
  'http://www.whocc.no/atc': 'atc',
  'http://hl7.org/fhir/sid/cvx': 'cvx',
};

export function canonicalCodeKey(system: string, code: string): string {
  const sys = own(SYSTEM_URIS, system) ?? system.toLowerCase().replace(/[-_ ]/g, '');
  const s = sys === 'icd10cm' || sys === 'icd10' ? sys : sys;
  return `${s}:${code.trim()}`;
}

function foldCoded(s: string): string {
  const bar = s.indexOf('|');
  if (bar > 0 && s.startsWith('http')) return foldKey(canonicalCodeKey(s.slice(0, bar), s.slice(bar + 1)));
  const colon = s.indexOf(':');
  if (colon > 0) {
    const sys = s.slice(0, colon).toLowerCase().replace(/[-_ ]/g, '');
    const norm = sys === 'sct' || sys === 'snomedct' ? 'snomed' : sys === 'icd10' || sys === 'icd10who' ? 'icd10' : sys;
    return foldKey(`${norm}:${s.slice(colon + 1)}`);
  }
  return foldKey(s);
}

/** Resolve a name or code of the given kind to its vocabulary entry, or undefined (memoised per kind). */
export function resolve(kind: VocabularyKind, nameOrCode: string): VocabularyEntry | undefined {
  let r = RESOLVERS.get(kind);
  if (!r) RESOLVERS.set(kind, (r = memoString((s) => resolveUncached(kind, s))));
  return r(nameOrCode);
}

const RESOLVERS = new Map<VocabularyKind, (s: string) => VocabularyEntry | undefined>();

function resolveUncached(kind: VocabularyKind, nameOrCode: string): VocabularyEntry | undefined {
  const f = foldCoded(nameOrCode);
  const hit = INDEX.byKey.get(`${kind}|${f}`);
  if (hit) return hit;
  if (kind === 'condition') {
    for (const { prefix, entry } of INDEX.prefixes) {
      if (f.startsWith(prefix) && !(entry.excludedCodes ?? []).some((x) => f.startsWith(foldKey(x)))) return entry;
    }
  }
  if (kind === 'drug') {
    // Drug names in exports often carry strength and form: "prednisone 5 mg oral tablet".
    const first = f.split(/[\s(,/]+/)[0];
    if (first && first !== f) {
      const h = INDEX.byKey.get(`drug|${first}`);
      if (h) return h;
      const two = f.split(/[\s(,/]+/).slice(0, 2).join(' ');
      const h2 = INDEX.byKey.get(`drug|${two}`);
      if (h2) return h2;
    }
  }
  return undefined;
}

export function entryById(kind: VocabularyKind, id: string): VocabularyEntry | undefined {
  return INDEX.byKindId.get(kind)?.get(id);
}

export function isDrugClass(name: string): boolean {
  return INDEX.classes.has(name);
}

/** Canonical id for an item of a kind that has no fixed vocabulary (findings, attestations): folded, dash-joined. */
export function canonicalFreeId(code: string): string {
  return foldKey(code).replace(/ /g, '-');
}

/**
 * Topical, inhaled, nasal, ophthalmic, otic and rectal products are not systemic therapy: they do not
 * count as glucocorticoid (or other) exposure (clinical.md §D.2: ATC D07, R03BA, S01BA, A07EA, not H02AB).
 */
const NON_SYSTEMIC = /\b(topical|cream|ointment|lotion|gel|shampoo|inhaler|inhalation|inhal|inhaled|actuat|nasal|ophthalmic|otic|eye drops?|ear drops?|enema|rectal foam|intra-?articular|cutaneous|transdermal)\b/i;

export function isNonSystemic(name: string | undefined, route: string | undefined): boolean {
  return (name !== undefined && NON_SYSTEMIC.test(name)) || (route !== undefined && NON_SYSTEMIC.test(route));
}
