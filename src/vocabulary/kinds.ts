/** Concept kinds and the record domain each is read in (no zod: the engine imports this at start-up). */
export const CONCEPT_KINDS = ['measurement', 'drug', 'condition', 'procedure', 'vaccine', 'finding', 'attestation', 'device', 'relationship', 'substance'] as const;
export type ConceptKind = (typeof CONCEPT_KINDS)[number];

/** The record domain a kind is looked up in: a medication entry may be a drug or a vaccine. */
export type Domain = 'measurement' | 'drug' | 'condition' | 'procedure' | 'finding' | 'attestation' | 'device' | 'relationship' | 'substance';
export function domainOf(kind: ConceptKind): Domain {
  return kind === 'vaccine' ? 'drug' : kind;
}

