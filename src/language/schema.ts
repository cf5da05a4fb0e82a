/**
 * The criteria language, version `elig/criteria@1`, defined in zod.
 *
 * A rule is an object whose *head* key names its operator (`all`, `measurement`, `medication`, …).
 * The node schemas are built from a child-rule schema so that the same definitions serve two uses:
 * validation (children are checked one node at a time by the loader, for precise locations) and
 * JSON Schema generation (children are the recursive union).
 */
import { z } from 'zod';
import { conceptSchema, type Concept } from '../vocabulary/schema.js';

export const CRITERIA_SCHEMA_VERSION = 'elig/criteria@1';
export const SUPPORTED_SCHEMAS = [CRITERIA_SCHEMA_VERSION] as const;

const Id = z.string().regex(/^[a-z0-9][a-z0-9._/-]*$/, 'ids are lower-case kebab-case: letters, digits, . _ / -');
const Code = z.string().min(1);
/** "30 mL/min/{1.73_m2}", "5 a", "3 x ULN", 8, or { value, unit } */
const ThresholdValue = z.union([
  z.number(),
  z.string().min(1),
  z.strictObject({ value: z.number(), unit: z.string() }),
]);
/** "28 d", "3 mo", "4 wk", "1 a" */
const DurationValue = z.string().regex(/^\s*\d+(\.\d+)?\s*[a-zA-Z]+\s*$/, 'a duration such as "28 d", "4 wk", "3 mo" or "1 a"');
const Qualitative = z.union([z.string(), z.number(), z.boolean()]);
const IsValue = z.union([Qualitative, z.array(Qualitative).min(1)]);

export const MissingPolicy = z.enum(['unknown', 'fail', 'pass']);
export const UNMAPPED_POLICIES = ['warn', 'unknown', 'error'] as const;
export const UnmappedPolicy = z.enum(UNMAPPED_POLICIES);
export type UnmappedPolicyName = (typeof UNMAPPED_POLICIES)[number];

export const FACTS = ['age', 'sex', 'childbearing-potential', 'deceased'] as const;
export const OCCURRENCES = ['first', 'last'] as const;
/** A name from the file's `anchors:`: the window ends at that event's date instead of the as-of date. */
const AnchorRef = Id.describe('An anchor named in `anchors:`: the window (and "current", and age) are read at its date instead of the as-of date.');
const Codes = z.union([Code, z.array(Code).min(1)]);

/** An anchor: a dated event in the record, or a date given to the run or carried by the record. */
export const AnchorDef = z
  .strictObject({
    attestation: Code.optional().describe('A recorded statement (e.g. informed-consent): its date.'),
    procedure: Codes.optional().describe('A procedure in the record (e.g. leukapheresis): its date.'),
    medication: Codes.optional().describe("A drug or class: the first dose (a course's start) or the last dose (a course's end)."),
    condition: Codes.optional().describe('A diagnosis: its onset date.'),
    given: z.literal(true).optional().describe('A date given to the run (--anchor name=YYYY-MM-DD) or carried by the record (anchors: { name: date }).'),
    occurrence: z.enum(OCCURRENCES).optional()
      .describe('Which event when there are several: first or last (default: last for attestation, procedure and medication, i.e. the last dose; first for condition, i.e. the diagnosis).'),
  })
  .describe('A dated event windows can be anchored to (exactly one of attestation, procedure, medication, condition, given).');
export type AnchorDefNode = z.infer<typeof AnchorDef>;
export const ANCHOR_SOURCES = ['attestation', 'procedure', 'medication', 'condition', 'given'] as const;
export const SCORES = ['sledai-2k', 'eular-acr-2019', 'bilag-2004'] as const;
export const BILAG_GRADE_VALUES = ['A', 'B', 'C', 'D', 'E'] as const;
/** Which value a `change` rule measures from (besides a value at an anchor). */
export const CHANGE_BASELINES = ['earliest', 'lowest', 'highest'] as const;
export const SUBSTANCE_STATUS_VALUES = ['current', 'former', 'never'] as const;

export function nodeSchemas(child: z.ZodType) {
  const children = z.array(child).min(1);
  return {
    all: z.strictObject({ all: children }).describe('Every child passes (Kleene AND).'),
    any: z.strictObject({ any: children }).describe('At least one child passes (Kleene OR).'),
    not: z.strictObject({ not: child }).describe('Swaps pass and fail.'),
    atLeast: z
      .strictObject({ atLeast: z.int().min(1), of: children })
      .describe('At least n children pass.'),
    ref: z.strictObject({ ref: Id }).describe('A named definition from `definitions`.'),
    fact: z
      .strictObject({
        fact: z.enum(FACTS),
        min: ThresholdValue.optional(),
        max: ThresholdValue.optional(),
        is: IsValue.optional(),
        anchor: AnchorRef.optional().describe('age only: age at the anchor date'),
      })
      .describe('A demographic fact: age (completed years at asOf), sex, childbearing-potential, deceased.'),
    measurement: z
      .strictObject({
        measurement: Code,
        min: ThresholdValue.optional(),
        max: ThresholdValue.optional(),
        above: ThresholdValue.optional(),
        below: ThresholdValue.optional(),
        is: IsValue.optional(),
        cutoff: ThresholdValue.optional()
          .describe("With is: positive/negative, the value at or above which a numeric result is positive (e.g. \"30 [IU]/mL\", \"1:80\"); without it, above the lab's reference range is positive."),
        normal: z.boolean().optional()
          .describe("true: the value lies within the laboratory's reference range (both limits); false: outside it."),
        within: DurationValue.optional(),
        ever: z.boolean().optional(),
        prefer: z.enum(['recorded', 'derived']).optional(),
        context: z.string().optional(),
        anchor: AnchorRef.optional(),
      })
      .describe('The most recent value of a measurement inside the window, compared with a threshold.'),
    score: z
      .strictObject({
        score: z.enum(SCORES),
        min: z.number().optional(),
        max: z.number().optional(),
        classified: z.boolean().optional(),
        within: DurationValue.optional(),
        grade: z.union([z.enum(BILAG_GRADE_VALUES), z.array(z.enum(BILAG_GRADE_VALUES)).min(1)]).optional()
          .describe('bilag-2004: count the organ systems graded so; min/max bound that count ("A in ≥ 1 system": grade: A, min: 1).'),
        excluding: z.array(z.string().min(1)).min(1).optional()
          .describe('SLEDAI-2K descriptors left out of a partial score ("clinical SLEDAI-2K, not counting serology…"), bounded like the full score.'),
      })
      .describe('A weighted score: recorded total, or computed from its items with lower/upper bounds.'),
    condition: z
      .strictObject({
        condition: z.union([Code, z.array(Code).min(1)]),
        active: z.boolean().optional(),
        within: DurationValue.optional(),
        anchor: AnchorRef.optional(),
        noProblemList: z.enum(['unknown', 'pass']).optional()
          .describe('What a record without a problem list gives (default unknown); pass leaves the decision to the rules beside it.'),
      })
      .describe('A diagnosis on the problem list.'),
    medication: z
      .strictObject({
        medication: z.union([Code, z.array(Code).min(1)]),
        atLeast: z.int().min(1).optional(),
        for: DurationValue.optional(),
        within: DurationValue.optional(),
        dose: z
          .strictObject({
            min: ThresholdValue.optional(), max: ThresholdValue.optional(), as: Code.optional(),
            weight: z.enum(['start', 'current']).optional()
              .describe('A per-kg bound divides by the weight recorded nearest the course start (start, the default) or by the current weight, the newest on or before the as-of date (current).'),
          })
          .optional(),
        acceptIntolerance: z.boolean().optional(),
        current: z.boolean().optional(),
        anchor: AnchorRef.optional(),
        lines: z.int().min(1).optional().describe('At least n lines of therapy with the listed drugs (docs/language.md: a regimen is the drugs started within 28 days; a new drug or a restart after 120 days is a new line).'),
        stableFor: DurationValue.optional().describe('Taken at asOf at an unchanged daily dose for at least this long.'),
        washout: z.strictObject({
          halfLives: z.number().positive().optional().describe('n half-lives of each drug (its concept\'s halfLife).'),
          min: DurationValue.optional().describe('At least this long (whichever is longer).'),
        }).optional().describe('Taken within the washout period before asOf: the longer of n half-lives and min.'),
      })
      .describe('Exposure to a drug or drug class (synonyms and codes via the vocabulary).'),
    finding: z
      .strictObject({
        finding: Code,
        is: z.enum(['present', 'absent']).optional(),
        within: DurationValue.optional(),
        anchor: AnchorRef.optional(),
      })
      .describe('A clinician-coded finding (ECG, imaging, score item).'),
    attestation: z
      .strictObject({
        attestation: Code,
        within: DurationValue.optional(),
        by: z.array(z.string()).optional(),
        anchor: AnchorRef.optional(),
      })
      .describe('A recorded statement (consent, clinician judgement); unknown until recorded.'),
    todo: z
      .strictObject({ todo: z.string().min(1) })
      .describe('A placeholder for a rule not written yet (elig init): always unknown, never pass; elig validate lists it (lint/todo-rule).'),
    procedure: z
      .strictObject({
        procedure: Codes,
        within: DurationValue.optional(),
        anchor: AnchorRef.optional(),
        noProcedures: z.enum(['unknown', 'fail']).optional()
          .describe('What a record without a procedures list gives (default unknown); fail reads a missing list as none done.'),
      })
      .describe('A procedure done (surgery, dialysis, transplant, transfusion, radiotherapy, leukapheresis), ever or within a window.'),
    elapsed: z
      .strictObject({
        elapsed: AnchorRef,
        min: DurationValue.optional(),
        max: DurationValue.optional(),
        until: AnchorRef.optional().describe('Measure to this anchor instead of the as-of date.'),
      })
      .describe('Time from an anchor event to the as-of date (or to another anchor): "at least 12 months after the last dose".'),
    count: z
      .strictObject({
        count: z.record(z.string(), z.unknown()).describe('The event rule: a measurement (with min/max/above/below/is), condition, procedure or finding rule.'),
        atLeast: z.int().min(1),
        within: DurationValue.optional(),
        anchor: AnchorRef.optional(),
        apart: DurationValue.optional().describe('Counted events are at least this far apart.'),
        consecutive: z.boolean().optional().describe('measurement: the counted values are successive results (none in between failing the rule).'),
      })
      .describe('At least n dated events or values matching a rule within a window, optionally spaced or consecutive.'),
    change: z
      .strictObject({
        change: Code.describe('A measurement concept with a unit (creatinine, egfr, weight).'),
        min: ThresholdValue.optional(),
        max: ThresholdValue.optional(),
        above: ThresholdValue.optional(),
        below: ThresholdValue.optional(),
        within: DurationValue.optional(),
        anchor: AnchorRef.optional(),
        baseline: z.union([
          z.enum(CHANGE_BASELINES),
          z.strictObject({ anchor: AnchorRef, within: DurationValue.describe('How long before the anchor (inclusive) the baseline value may be.') }),
        ]).optional().describe('earliest (default) or lowest/highest value in the window before the newest, or the value at an anchor ({ anchor, within }).'),
        relative: z.boolean().optional().describe('Bounds in % are relative (100 × change ÷ baseline), except for measurements in % (give relative: true or false).'),
      })
      .describe('The change of a measurement from a baseline value to the newest value in the window: signed, relative (%) or absolute (in a unit).'),
    device: z
      .strictObject({
        device: Codes,
        current: z.boolean().optional().describe('In use at the as-of date (or the anchor): started, not ended, not stopped.'),
        for: DurationValue.optional().describe('In use at the as-of date, since at least this long.'),
        within: DurationValue.optional().describe('Started (implanted) within this window.'),
        anchor: AnchorRef.optional(),
        noDevices: z.enum(['unknown', 'fail']).optional()
          .describe('What a record without a devices list gives (default unknown); fail reads a missing list as no device.'),
      })
      .describe('A device used or implanted (insulin pump, CRT-D, a model such as minimed-670g): ever, in use now, for a duration, or started within a window.'),
    allergy: z
      .strictObject({
        allergy: Codes,
        type: z.enum(['allergy', 'intolerance']).optional().describe('Only allergies, or only intolerances (default: both).'),
        active: z.boolean().optional().describe('Only entries not inactive or resolved.'),
        noAllergies: z.enum(['unknown', 'fail']).optional()
          .describe('What a record without an allergies list gives (default unknown); fail reads a missing list as none known.'),
      })
      .describe('An allergy or intolerance to a drug, a drug class (via the drug vocabulary) or another substance; refuted and entered-in-error entries never count.'),
    familyHistory: z
      .strictObject({
        familyHistory: Codes,
        relationship: Codes.optional().describe('The relatives that count: relationship concepts or groups (first-degree-relative, mother, sibling); default any relative.'),
        noFamilyHistory: z.enum(['unknown', 'fail']).optional()
          .describe('What a record without a familyHistory list gives (default unknown); fail reads a missing list as none known.'),
      })
      .describe("A condition in a relative (family history), optionally only in given relatives (first-degree-relative)."),
    substanceUse: z
      .strictObject({
        substanceUse: Codes,
        status: z.union([z.enum(SUBSTANCE_STATUS_VALUES), z.array(z.enum(SUBSTANCE_STATUS_VALUES)).min(1)]).optional()
          .describe('The newest recorded status is one of these (current, former, never).'),
        within: DurationValue.optional().describe('Used at any time within this window (a current status, or a quit date inside it).'),
        anchor: AnchorRef.optional(),
        packYears: z.strictObject({ min: z.number().nonnegative().optional(), max: z.number().nonnegative().optional() }).optional()
          .describe('The newest recorded pack-years lies within these bounds (a never-smoker has 0).'),
        noSubstanceUse: z.enum(['unknown', 'fail']).optional()
          .describe('What a record with no entry for the substance gives (default unknown); fail reads it as never used.'),
      })
      .describe('Tobacco, alcohol or other substance use: ever used, the current status, use within a window, or pack-years.'),
  } as const;
}

export type NodeKind = keyof ReturnType<typeof nodeSchemas>;
export const NODE_KINDS = Object.keys(nodeSchemas(z.unknown())) as NodeKind[];

/** The recursive rule union, for types and JSON Schema. */
export const Rule: z.ZodType<RuleNode> = z.lazy(() => {
  const n = nodeSchemas(Rule);
  return z.union([n.all, n.any, n.not, n.atLeast, n.ref, n.fact, n.measurement, n.score, n.condition, n.medication, n.finding, n.attestation, n.procedure, n.elapsed, n.count, n.change, n.device, n.allergy, n.familyHistory, n.substanceUse, n.todo]);
}) as unknown as z.ZodType<RuleNode>;

type Threshold = number | string | { value: number; unit: string };
type Is = string | number | boolean | (string | number | boolean)[];
export type RuleNode =
  | { all: RuleNode[] }
  | { any: RuleNode[] }
  | { not: RuleNode }
  | { atLeast: number; of: RuleNode[] }
  | { ref: string }
  | { fact: (typeof FACTS)[number]; min?: Threshold; max?: Threshold; is?: Is; anchor?: string }
  | {
      measurement: string; min?: Threshold; max?: Threshold; above?: Threshold; below?: Threshold; is?: Is;
      cutoff?: Threshold; normal?: boolean; within?: string; ever?: boolean; prefer?: 'recorded' | 'derived'; context?: string; anchor?: string;
    }
  | { score: (typeof SCORES)[number]; min?: number; max?: number; classified?: boolean; within?: string; excluding?: string[]; grade?: (typeof BILAG_GRADE_VALUES)[number] | (typeof BILAG_GRADE_VALUES)[number][] }
  | { condition: string | string[]; active?: boolean; within?: string; anchor?: string; noProblemList?: 'unknown' | 'pass' }
  | {
      medication: string | string[]; atLeast?: number; for?: string; within?: string;
      dose?: { min?: Threshold; max?: Threshold; as?: string; weight?: 'start' | 'current' }; acceptIntolerance?: boolean; current?: boolean; anchor?: string;
      stableFor?: string; washout?: { halfLives?: number; min?: string }; lines?: number;
    }
  | { finding: string; is?: 'present' | 'absent'; within?: string; anchor?: string }
  | { attestation: string; within?: string; by?: string[]; anchor?: string }
  | { procedure: string | string[]; within?: string; anchor?: string; noProcedures?: 'unknown' | 'fail' }
  | { elapsed: string; min?: string; max?: string; until?: string }
  | { count: Record<string, unknown>; atLeast: number; within?: string; anchor?: string; apart?: string; consecutive?: boolean }
  | {
      change: string; min?: Threshold; max?: Threshold; above?: Threshold; below?: Threshold; within?: string; anchor?: string;
      baseline?: (typeof CHANGE_BASELINES)[number] | { anchor: string; within: string }; relative?: boolean;
    }
  | { device: string | string[]; current?: boolean; for?: string; within?: string; anchor?: string; noDevices?: 'unknown' | 'fail' }
  | { allergy: string | string[]; type?: 'allergy' | 'intolerance'; active?: boolean; noAllergies?: 'unknown' | 'fail' }
  | { familyHistory: string | string[]; relationship?: string | string[]; noFamilyHistory?: 'unknown' | 'fail' }
  | {
      substanceUse: string | string[]; status?: SubstanceStatus | SubstanceStatus[]; within?: string; anchor?: string;
      packYears?: { min?: number; max?: number }; noSubstanceUse?: 'unknown' | 'fail';
    }
  | { todo: string };
type SubstanceStatus = (typeof SUBSTANCE_STATUS_VALUES)[number];

export function criterionSchema(rule: z.ZodType) {
  return z.strictObject({
    id: Id,
    text: z.string().min(1).describe("The protocol's own words, shown beside every result."),
    rule,
    when: rule.optional().describe('Applicability: when this does not hold, the criterion is not_applicable.'),
    missing: MissingPolicy.optional().describe('What an unknown result becomes (default unknown).'),
    note: z.string().optional().describe('How the text was read, where it is ambiguous.'),
  });
}

export function criteriaFileSchema(rule: z.ZodType, criterion: z.ZodType) {
  return z.strictObject({
    $schema: z.string().optional(),
    schema: z.string().describe(`Language version, e.g. ${CRITERIA_SCHEMA_VERSION}`),
    id: Id,
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.0.0'),
    title: z.string().optional(),
    registry: z
      .strictObject({
        id: z.string(),
        title: z.string().optional(),
        phase: z.string().optional(),
        sex: z.enum(['all', 'female', 'male']).optional(),
        minimumAge: z.string().optional(),
        maximumAge: z.string().optional(),
        healthyVolunteers: z.boolean().optional(),
        url: z.string().optional(),
        versionDate: z.string().optional().describe('Date of the registry record version the criteria were written from (elig init --from).'),
      })
      .optional(),
    defaults: z
      .strictObject({
        lookback: DurationValue.optional().describe('How old a measurement may be, unless a rule says otherwise.'),
        uln: z
          .record(z.string(), z.union([ThresholdValue, z.array(ThresholdValue).min(1).max(2)]))
          .optional()
          .describe('Fallback ULN per measurement when the record has none: one value, or [low, high] plausible range.'),
        egfr: z.strictObject({ prefer: z.enum(['recorded', 'derived']).optional() }).optional(),
        glucocorticoidEquivalence: z.record(z.string(), z.number().positive()).optional()
          .describe('mg of each glucocorticoid equal to 5 mg prednisone (overrides the BNF table).'),
        unmapped: UnmappedPolicy.optional()
          .describe('Record entries that map to nothing: warn (report them; the default), unknown (exclusions over that domain cannot pass while any exist), error (the record is an error).'),
      })
      .optional(),
    anchors: z.record(Id, AnchorDef).optional()
      .describe('Named dated events that windows, ages and elapsed times can be anchored to (rule option anchor: name).'),
    imports: z.array(z.union([
      z.string().min(1),
      z.strictObject({
        path: z.string().min(1),
        as: Id.optional().describe('The concept id a FHIR ValueSet or ATLAS concept set becomes.'),
        kind: z.enum(['condition', 'drug', 'vaccine']).optional().describe('The kind of concept a ValueSet or ATLAS concept set is.'),
        display: z.string().optional(),
      }),
    ])).optional()
      .describe('Concept files, by path relative to this file: elig vocabulary files, FHIR R4 ValueSets, OHDSI ATLAS concept set expressions (hashed into the report stamp).'),
    concepts: z.array(conceptSchema).optional()
      .describe('Concepts this file defines (elig/vocabulary@1 concepts of kind condition, drug or vaccine), named by id in its rules.'),
    definitions: z.record(Id, rule).optional(),
    inclusion: z.array(criterion).default([]),
    exclusion: z.array(criterion).default([]),
  });
}

export const Criterion = criterionSchema(Rule);
export const CriteriaFile = criteriaFileSchema(Rule, Criterion);

export interface CriterionDef {
  id: string;
  text: string;
  rule: RuleNode;
  when?: RuleNode;
  missing?: 'unknown' | 'fail' | 'pass';
  note?: string;
}

export interface CriteriaDoc {
  schema: string;
  id: string;
  version: string;
  title?: string;
  registry?: {
    id: string; title?: string; phase?: string; sex?: 'all' | 'female' | 'male'; minimumAge?: string;
    maximumAge?: string; healthyVolunteers?: boolean; url?: string; versionDate?: string;
  };
  defaults?: {
    lookback?: string;
    uln?: Record<string, Threshold | Threshold[]>;
    egfr?: { prefer?: 'recorded' | 'derived' };
    glucocorticoidEquivalence?: Record<string, number>;
    unmapped?: UnmappedPolicyName;
  };
  anchors?: Record<string, AnchorDefNode>;
  imports?: (string | { path: string; as?: string; kind?: 'condition' | 'drug' | 'vaccine'; display?: string })[];
  concepts?: Concept[];
  definitions?: Record<string, RuleNode>;
  inclusion: CriterionDef[];
  exclusion: CriterionDef[];
}
