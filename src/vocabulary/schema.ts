/**
 * The vocabulary data format, version `elig/vocabulary@1` (vocabulary/*.yaml, concept files a
 * criteria file imports), defined in zod. `elig schema vocabulary` prints it as JSON Schema.
 */
import { z } from 'zod';
import { CODE_SYSTEMS } from './codes.js';

export const VOCABULARY_SCHEMA_VERSION = 'elig/vocabulary@1';

export { CONCEPT_KINDS, domainOf, type ConceptKind, type Domain } from './kinds.js';
import { CONCEPT_KINDS } from './kinds.js';

/** Fields that only a measurement may carry. */
export const MEASUREMENT_FIELDS = ['unit', 'plausible', 'molarMass', 'qualitative', 'values', 'calculator', 'assayUnits'] as const;

const systems = CODE_SYSTEMS.join('|');
const CodeRef = z.string().regex(new RegExp(`^(${systems}):\\S+$`), `a coded form system:code, system one of ${CODE_SYSTEMS.join(', ')}`);
const ConceptId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'concept ids are lower-case kebab-case: letters, digits and -');

export const conceptSchema = z.strictObject({
  id: ConceptId.describe('Unique across the vocabulary (built-in, imported and local concepts).'),
  kind: z.enum(CONCEPT_KINDS).describe('What records call it: a measurement, a drug or vaccine (medications), a condition, …'),
  display: z.string().min(1).describe('The name reports show.'),
  description: z.string().optional(),
  codes: z.array(CodeRef).optional().describe('Codes that mean exactly this concept (matched exactly).'),
  descendants: z.array(CodeRef).optional()
    .describe('ICD-10 / ICD-10-CM / ATC codes (or ICD-10 blocks such as icd10:C00-C97) whose structural descendants also mean this concept.'),
  exclude: z.array(CodeRef).optional().describe('Codes (and their descendants) that never mean this concept, even under a descendants rule.'),
  synonyms: z.array(z.string().min(1)).optional().describe('Names as records write them: brand names, salts and esters, other languages.'),
  parents: z.array(ConceptId).optional().describe('Groups/classes this concept belongs to (concepts of the same kind).'),
  unit: z.string().min(1).optional().describe('Measurement: the canonical UCUM unit values are compared in.'),
  plausible: z.strictObject({ min: z.number(), max: z.number() }).optional().describe('Measurement: the physiologically plausible range, in `unit`.'),
  molarMass: z.number().positive().optional().describe('Measurement: g/mol, for mass ↔ molar unit conversion.'),
  qualitative: z.boolean().optional().describe('Measurement: results are text (positive/negative, titres) rather than quantities.'),
  values: z.array(z.string().min(1)).min(1).optional().describe('Measurement: the closed set of qualitative results.'),
  calculator: z.string().min(1).optional().describe('Measurement: the calculator that derives it from raw inputs.'),
  assayUnits: z.boolean().optional()
    .describe('Measurement: no canonical unit, each assay reports in its own ([IU]/mL, U/mL, {index}); thresholds carry their unit and are compared only with values in a commensurable unit of the same scale, never converted across assays.'),
  halfLife: z.string().regex(/^\s*\d+(\.\d+)?\s*(h|d|wk)\s*$/, 'a half-life such as "19 d", "36 h" or "3 wk"').optional()
    .describe('Drug: elimination half-life (e.g. "19 d"), for washout windows counted in half-lives.'),
  unverified: z.array(CodeRef).optional().describe('Codes not verified against the code system\'s published release.'),
  source: z.string().optional().describe('Where the codes were checked (free text: release, index, page).'),
});

export type Concept = z.infer<typeof conceptSchema>;

export const vocabularyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  schema: z.literal(VOCABULARY_SCHEMA_VERSION),
  version: z.string().optional().describe('The version of an imported concept file (the built-in vocabulary is versioned in vocabulary/VERSION).'),
  description: z.string().optional(),
  concepts: z.array(conceptSchema),
});

/** The built-in vocabulary as the build compiles it (scripts/vocabulary.mjs). */
export interface VocabularyData {
  version: string;
  /** sha256 over the files, in name order: sha256 of the lines `<name> <sha256 of its text>`. */
  sha256: string;
  files: { file: string; sha256: string }[];
  concepts: Concept[];
}
