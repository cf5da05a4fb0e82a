/**
 * Code systems elig knows, their `system:code` form, and what can be checked offline: LOINC's
 * mod-10 check digit, SNOMED CT's Verhoeff check digit (and partition identifier), the shapes of
 * ICD-10 (WHO), ICD-10-CM, ATC, RxNorm and CVX codes. Pure.
 *
 * Sources: LOINC Users' Guide, "Calculating Mod 10 Check Digits" (Regenstrief Institute);
 * SNOMED CT Technical Implementation Guide §6.7 / "Check-digit computation" (Verhoeff, 1969,
 * SNOMED International); WHO ICD-10 Volume 2 (code structure: letter, two digits, optional
 * fourth character after a dot); CMS/NCHS ICD-10-CM Official Guidelines (3–7 characters, the
 * fourth to seventh alphanumeric, placeholder X); WHO Collaborating Centre for Drug Statistics
 * Methodology, "ATC structure and principles" (five levels: A, A10, A10B, A10BA, A10BA02);
 * CMS ICD-10-PCS Official Guidelines for Coding and Reporting (seven characters, each a digit or a
 * letter other than I and O, each character an axis: 0210 is Medical and Surgical, Heart and Great
 * Vessels, Bypass, Coronary Artery One Artery); AMA CPT code set (Category I five digits, Category II
 * four digits and F, Category III four digits and T, PLA four digits and U).
 */
import { own } from '../own.js';

export const CODE_SYSTEMS = ['loinc', 'snomed', 'icd10', 'icd10cm', 'icd10pcs', 'cpt', 'atc', 'rxnorm', 'cvx'] as const;
export type CodeSystem = (typeof CODE_SYSTEMS)[number];

/** FHIR system URIs of each code system. */
export const SYSTEM_URIS: Readonly<Record<string, CodeSystem>> = {
  'http://loinc.org': 'loinc',
  'http://snomed.info/sct': 'snomed',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10cm',
  'http://hl7.org/fhir/sid/icd-10': 'icd10',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'rxnorm',
  'http://www.whocc.no/atc': 'atc',
  'http://hl7.org/fhir/sid/cvx': 'cvx',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'icd10pcs',
  'http://www.ama-assn.org/go/cpt': 'cpt',
};

/** Other spellings of system prefixes, folded to the canonical one. */
const SYSTEM_ALIASES: Readonly<Record<string, CodeSystem>> = {
  loinc: 'loinc', snomed: 'snomed', sct: 'snomed', snomedct: 'snomed', icd10: 'icd10', icd10who: 'icd10',
  icd10cm: 'icd10cm', atc: 'atc', rxnorm: 'rxnorm', cvx: 'cvx', icd10pcs: 'icd10pcs', pcs: 'icd10pcs', cpt: 'cpt', cpt4: 'cpt',
};

/** The canonical system of a prefix or FHIR URI (`LOINC`, `SNOMED-CT`, `http://loinc.org`), if elig knows it. */
export function systemOf(prefixOrUri: string): CodeSystem | undefined {
  return own(SYSTEM_URIS, prefixOrUri) ?? own(SYSTEM_ALIASES, prefixOrUri.toLowerCase().replace(/[-_ ]/g, ''));
}

/** Hierarchical by code structure: a code's descendants are the codes it prefixes (M32 → M32.1 → M32.14; ICD-10-PCS 0210 → 021009W). */
export function isStructural(system: CodeSystem): boolean {
  return system === 'icd10' || system === 'icd10cm' || system === 'atc' || system === 'icd10pcs';
}

/** ICD-10-PCS: seven characters, digits and letters other than I and O (a prefix of 1–6 for descendants). */
const ICD10PCS = /^[0-9A-HJ-NP-Z]{7}$/;
const ICD10PCS_PREFIX = /^[0-9A-HJ-NP-Z]{1,7}$/;

export interface ParsedCode {
  system: CodeSystem;
  /** The code as written in its system's canonical case (ICD and ATC upper-case). */
  code: string;
  /** `icd10:M32.1*`: the code and its structural descendants. */
  descendants: boolean;
}

/** A malformed code: what is wrong and, where one exists, the code the author probably meant. */
export interface CodeProblem {
  message: string;
  suggestion?: string;
}

/** LOINC mod-10 check digit of the digits before the dash. */
export function loincCheckDigit(body: string): number {
  // from the right: odd positions doubled, the digits of every product summed
  let sum = 0;
  const digits = body.split('').reverse();
  digits.forEach((ch, i) => {
    const d = Number(ch);
    if (i % 2 === 0) {
      const x = d * 2;
      sum += Math.floor(x / 10) + (x % 10);
    } else sum += d;
  });
  return (10 - (sum % 10)) % 10;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** Verhoeff check digit of a digit string (without its check digit). */
export function verhoeffCheckDigit(body: string): number {
  let c = 0;
  const digits = body.split('').reverse();
  digits.forEach((ch, i) => {
    c = VERHOEFF_D[c]![VERHOEFF_P[(i + 1) % 8]![Number(ch)]!]!;
  });
  return VERHOEFF_INV[c]!;
}

const ICD10 = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,2})?$/;
const ICD10CM = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const ATC = /^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$/;

/** Check one code of a known system; undefined when it is well-formed. */
export function codeProblem(system: CodeSystem, code: string, descendants = false): CodeProblem | undefined {
  switch (system) {
    case 'loinc': {
      const m = /^(\d{1,7})-(\d)$/.exec(code);
      if (!m) {
        const digits = code.replace(/\D/g, '');
        const suggestion = /^\d{2,8}$/.test(digits) && !code.includes('-') ? `${digits.slice(0, -1)}-${digits.slice(-1)}` : undefined;
        return { message: `"${code}" is not a LOINC code (digits, a dash and a check digit, e.g. 718-7)`, ...(suggestion && loincCheckDigit(suggestion.split('-')[0]!) === Number(suggestion.slice(-1)) ? { suggestion: `loinc:${suggestion}` } : {}) };
      }
      const want = loincCheckDigit(m[1]!);
      if (want !== Number(m[2])) return { message: `LOINC ${code}: the check digit is ${m[2]}, but ${m[1]} gives ${want}`, suggestion: `loinc:${m[1]}-${want}` };
      return undefined;
    }
    case 'snomed': {
      if (!/^\d{6,18}$/.test(code)) return { message: `"${code}" is not a SNOMED CT identifier (6 to 18 digits)` };
      const body = code.slice(0, -1);
      const want = verhoeffCheckDigit(body);
      if (want !== Number(code.slice(-1))) return { message: `SNOMED CT ${code}: the Verhoeff check digit is ${code.slice(-1)}, but ${body} gives ${want}`, suggestion: `snomed:${body}${want}` };
      const partition = code.slice(-3, -1);
      if (!['00', '01', '02', '10', '11', '12'].includes(partition)) return { message: `SNOMED CT ${code}: partition identifier ${partition} is not a concept, description or relationship` };
      if (partition !== '00' && partition !== '10') return { message: `SNOMED CT ${code} is a ${partition.endsWith('1') ? 'description' : 'relationship'} identifier, not a concept id` };
      return undefined;
    }
    case 'icd10':
    case 'icd10cm': {
      const shape = system === 'icd10' ? ICD10 : ICD10CM;
      if (shape.test(code)) return undefined;
      const up = code.toUpperCase().replace(/\s/g, '');
      const dotted = /^[A-Z][0-9][0-9A-Z][0-9A-Z]+$/.test(up) ? `${up.slice(0, 3)}.${up.slice(3)}` : up;
      const suggestion = shape.test(dotted) && dotted !== code ? `${system}:${dotted}` : undefined;
      const what = system === 'icd10' ? 'an ICD-10 code (a letter, two characters, optionally a dot and one or two more: M32.1, M32.14)' : 'an ICD-10-CM code (a letter, two characters, optionally a dot and up to four more: M32.14)';
      return { message: `"${code}"${descendants ? '*' : ''} is not ${what}`, ...(suggestion ? { suggestion: `${suggestion}${descendants ? '*' : ''}` } : {}) };
    }
    case 'atc': {
      if (ATC.test(code)) return undefined;
      const up = code.toUpperCase().replace(/\s/g, '');
      return { message: `"${code}" is not an ATC code (A, A10, A10B, A10BA or A10BA02)`, ...(ATC.test(up) ? { suggestion: `atc:${up}${descendants ? '*' : ''}` } : {}) };
    }
    case 'icd10pcs':
      if ((descendants ? ICD10PCS_PREFIX : ICD10PCS).test(code)) return undefined;
      return { message: `"${code}"${descendants ? '*' : ''} is not ${descendants ? 'the start of ' : ''}an ICD-10-PCS code (seven characters, digits and letters other than I and O: 02100Z9${descendants ? '; a prefix such as 0210' : ''})` };
    case 'cpt':
      return /^\d{4}[0-9FTU]$/.test(code) ? undefined : { message: `"${code}" is not a CPT code (five digits, or four digits and F, T or U: 92928, 0075T)` };
    case 'rxnorm':
      return /^\d{1,9}$/.test(code) ? undefined : { message: `"${code}" is not an RxNorm concept id (RXCUI: digits)` };
    case 'cvx':
      return /^\d{1,3}$/.test(code) ? undefined : { message: `"${code}" is not a CVX code (one to three digits)` };
  }
}

/**
 * Read a coded form `system:code` (or `system:code*` for structural descendants). Returns undefined
 * when the text is not a coded form at all (no `:`, or an unknown system); `problem` when it is one
 * but malformed.
 */
export function parseCode(text: string): { parsed: ParsedCode; problem?: CodeProblem } | undefined {
  const t = text.trim();
  const colon = t.indexOf(':');
  if (colon <= 0) return undefined;
  const system = systemOf(t.slice(0, colon));
  if (!system) return undefined;
  let code = t.slice(colon + 1).trim();
  const descendants = code.endsWith('*');
  if (descendants) code = code.slice(0, -1).trim();
  if (isStructural(system)) code = code.toUpperCase();
  const parsed: ParsedCode = { system, code, descendants };
  if (descendants && !isStructural(system)) {
    return { parsed, problem: { message: `${system} codes have no hierarchy elig can follow offline: list the codes instead of ${system}:${code}*` } };
  }
  const problem = descendants && isIcdBlock(system, code) ? undefined : codeProblem(system, code, descendants);
  return problem ? { parsed, problem } : { parsed };
}

/** `system:code` with the code in its canonical case (the form concepts and records are indexed by). */
export function codeKey(system: CodeSystem, code: string): string {
  return `${system}:${isStructural(system) ? code.toUpperCase() : code}`;
}

/**
 * Whether `code` is `ancestor` or one of its structural descendants (ICD-10: M32 → M32.1 → M32.14;
 * ATC: L04 → L04A → L04AA). An ICD-10 ancestor may be a block of categories, `C00-C97`.
 */
export function isStructuralDescendant(code: string, ancestor: string): boolean {
  const dash = ancestor.indexOf('-');
  if (dash > 0) {
    const cat = code.slice(0, 3);
    return cat.length === 3 && cat >= ancestor.slice(0, dash) && cat <= ancestor.slice(dash + 1);
  }
  return code.startsWith(ancestor);
}

const ICD_BLOCK = /^([A-Z][0-9]{2})-([A-Z][0-9]{2})$/;

/** A block of ICD-10 categories (`C00-C97`), allowed where descendants are declared. */
export function isIcdBlock(system: CodeSystem, code: string): boolean {
  const m = (system === 'icd10' || system === 'icd10cm') ? ICD_BLOCK.exec(code) : null;
  return m !== null && m[1]! <= m[2]!;
}
