/**
 * FHIR R4 coding helpers: code systems, CodeableConcept access, display clean-up. Codes are always
 * matched on system + code, never on display text (displays may contain zero-width characters).
 */
import { own } from '../../own.js';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const ATC = 'http://www.whocc.no/atc';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const CVX = 'http://hl7.org/fhir/sid/cvx';
export const ICD10PCS = 'http://www.cms.gov/Medicare/Coding/ICD10';
export const CPT = 'http://www.ama-assn.org/go/cpt';

/**
 * elig's own code system for clinician-coded items that have no standard code: SLEDAI-2K
 * descriptors (`sledai-2k/<descriptor>`), 2019 EULAR/ACR items (`eular-acr-2019/<item>`), the
 * complete-assessment markers (`sledai-2k`, `eular-acr-2019`), and free findings such as
 * `ecg-abnormality`, `serious-lung-lesion`, `menarche`, `hysterectomy` (README "FHIR input").
 */
export const ELIG_FINDINGS = 'https://elig.dev/fhir/CodeSystem/findings';
/**
 * elig's code system for measurements that have no LOINC code elig can vouch for: the vocabulary's
 * measurement ids (`cmv-dna`, `hcv-rna`, `sledai-2k` and `eular-acr-2019` recorded totals).
 */
export const ELIG_MEASUREMENTS = 'https://elig.dev/fhir/CodeSystem/measurements';
/** elig's code system for attestations: `informed-consent`, `contraception-first-year`, … */
export const ELIG_ATTESTATIONS = 'https://elig.dev/fhir/CodeSystem/attestations';
/** Extension on an elig finding Observation naming another cause of the item (EULAR/ACR: not counted). */
export const ELIG_ATTRIBUTED_TO = 'https://elig.dev/fhir/StructureDefinition/attributed-to';

/** Short system prefixes for the record's coded forms (`loinc:2160-0`), as vocabulary.ts reads them. */
export const SYSTEM_PREFIX: Readonly<Record<string, string>> = {
  [LOINC]: 'loinc',
  [SNOMED]: 'snomed',
  [RXNORM]: 'rxnorm',
  [ATC]: 'atc',
  [ICD10]: 'icd10',
  [ICD10CM]: 'icd10cm',
  [CVX]: 'cvx',
  [ICD10PCS]: 'icd10pcs',
  [CPT]: 'cpt',
  'http://hl7.org/fhir/sid/icd-10-cn': 'icd10',
};

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

const ZW = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Display text without zero-width characters, whitespace folded. */
export function clean(s: string): string {
  return s.replace(ZW, '').replace(/\s+/g, ' ').trim();
}

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

/** The codings of a CodeableConcept that have both a system and a code (system and code trimmed). */
export function codings(cc: unknown): Coding[] {
  if (!isObj(cc)) return [];
  const out: Coding[] = [];
  for (const c of arr(cc.coding)) {
    if (!isObj(c)) continue;
    const system = str(c.system);
    const code = str(c.code);
    if (!system || !code) continue;
    const d = str(c.display);
    out.push({ system: system.trim(), code: code.trim(), ...(d ? { display: clean(d) } : {}) });
  }
  return out;
}

/** Human label of a CodeableConcept: its text, else the first display, else the first code. */
export function conceptText(cc: unknown): string | undefined {
  if (!isObj(cc)) return undefined;
  const t = str(cc.text);
  if (t) return clean(t);
  for (const c of arr(cc.coding)) {
    if (isObj(c)) {
      const d = str(c.display);
      if (d) return clean(d);
    }
  }
  for (const c of arr(cc.coding)) {
    if (isObj(c) && str(c.code)) return String(c.code);
  }
  return undefined;
}

/**
 * The first code of a CodeableConcept in one system; without a system, the first code at all (status
 * concepts such as clinicalStatus, interpretation or Consent.scope are often sent without one).
 */
export function codeIn(cc: unknown, system?: string): string | undefined {
  if (system !== undefined) {
    for (const c of codings(cc)) if (c.system === system) return c.code;
    return undefined;
  }
  if (!isObj(cc)) return undefined;
  for (const c of arr(cc.coding)) {
    const code = isObj(c) ? str(c.code) : undefined;
    if (code) return code.trim();
  }
  return undefined;
}

/** `loinc:2160-0` from a coding, or undefined for systems elig does not map. */
export function coded(c: Coding): string | undefined {
  const p = own(SYSTEM_PREFIX, c.system);
  return p ? `${p}:${c.code}` : undefined;
}

/** FHIR dateTime/date/instant → the record's date string (YYYY, YYYY-MM, YYYY-MM-DD or with time). */
export function fhirDate(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  return /^\d{4}(-\d{2}(-\d{2})?)?/.test(s) ? s.slice(0, 10) : undefined;
}

/** A reference string (`Patient/x`, `urn:uuid:x`, `https://…/Patient/x`, `#contained`). */
export function refOf(v: unknown): string | undefined {
  return isObj(v) ? str(v.reference)?.trim() : undefined;
}
