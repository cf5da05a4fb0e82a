/**
 * Closed value sets of the criteria language and the record, with the synonyms that are clinically
 * the same thing. A value outside a set is a located diagnostic with a did-you-mean (criteria) or a
 * record warning, never a silent mismatch. Pure.
 */
import { own } from '../own.js';

/** `fact: sex, is: …` (the record's `sex`, as FHIR Patient.gender). */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

/** Who an attestation is recorded by (`by:` in criteria and records). */
export const ATTESTERS = ['patient', 'guardian', 'clinician'] as const;
export type Attester = (typeof ATTESTERS)[number];

/**
 * Other words for the same attester. A legal guardian, a parent with parental responsibility and a
 * legally authorised representative give consent on the patient's behalf (ICH E6(R3) "legally
 * acceptable representative"): all are the guardian's consent.
 */
const ATTESTER_SYNONYMS: Readonly<Record<string, Attester>> = {
  patient: 'patient', self: 'patient', subject: 'patient', participant: 'patient',
  guardian: 'guardian', 'legal guardian': 'guardian', parent: 'guardian', parents: 'guardian',
  'legally authorised representative': 'guardian', 'legally authorized representative': 'guardian',
  'legally acceptable representative': 'guardian', lar: 'guardian', 'legal representative': 'guardian',
  relatedperson: 'guardian', 'related person': 'guardian',
  clinician: 'clinician', physician: 'clinician', doctor: 'clinician', investigator: 'clinician', practitioner: 'clinician',
};

function fold(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** The attester a word means, or undefined when it is none of them. */
export function attesterOf(text: string): Attester | undefined {
  return own(ATTESTER_SYNONYMS, fold(text));
}

/** Words for a positive and a negative qualitative result (the same on both sides). */
export const NEGATIVE_WORDS: readonly string[] = ['negative', 'neg', 'not detected', 'nondetected', 'non-reactive', 'nonreactive', '-', 'absent', 'no'];
export const POSITIVE_WORDS: readonly string[] = ['positive', 'pos', 'detected', 'reactive', '+', 'present', 'yes'];
const NEGATIVE = new Set(NEGATIVE_WORDS);
const POSITIVE = new Set(POSITIVE_WORDS);

/** A qualitative result folded to `positive` / `negative` when it is a word for one, else folded as it is. */
export function qualitativeClass(s: string): string {
  const f = s.normalize('NFKC').replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim().toLowerCase();
  if (NEGATIVE.has(f)) return 'negative';
  if (POSITIVE.has(f)) return 'positive';
  return f;
}
