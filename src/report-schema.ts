/**
 * The JSON report (`elig check -f json`) in zod, for `elig schema report`. The TypeScript types in
 * model.ts are the source of truth: test/report-schema.test.ts proves at compile time that every
 * `Report` fits this schema and at run time that real reports parse. Objects are strict, so a field
 * added to model.ts without a line here fails that test.
 */
import { z } from 'zod';
import { REPORT_SCHEMA_ID, STATUSES, VERDICTS, type Status, type Verdict } from './model.js';

const Status = z.enum(STATUSES as unknown as [Status, ...Status[]]);
const Verdict = z.enum(VERDICTS as unknown as [Verdict, ...Verdict[]]);
const Kind = z.enum(['inclusion', 'exclusion']);
const Count = z.int().min(0);

const Evidence = z.strictObject({
  item: z.string(),
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  unit: z.string().optional(),
  date: z.string().optional().describe('YYYY-MM-DD'),
  source: z.string().optional().describe('record path (measurements[3]), FHIR reference, or calculator:<name>'),
});

const Reason = z.strictObject({
  code: z.string().describe('stable reason code (compare, uln, missing, stale, …)'),
  status: Status,
  text: z.string(),
  observed: Evidence.optional(),
  threshold: z.strictObject({
    op: z.enum(['>=', '>', '<=', '<', '=', '!=']),
    value: z.union([z.number(), z.string(), z.boolean()]),
    unit: z.string().optional(),
    ulnFactor: z.number().optional(),
    llnFactor: z.number().optional(),
  }).optional(),
  derivation: z.strictObject({ calculator: z.string(), method: z.string(), inputs: z.array(Evidence) }).optional()
    .describe('how a calculator derived the value (every input with its source): with --details; at the default depth only on a reason with no observed value (a classification, score bounds)'),
  bounds: z.strictObject({ lower: z.number(), upper: z.number() }).optional().describe('--details only: the lowest and highest score total the record allows'),
});

const CriterionResult = z.strictObject({
  id: z.string().describe('the criterion (its kind and protocol text: meta.criteria.protocol)'),
  status: Status,
  reasons: z.array(Reason).describe('default depth: the deciding reasons and evidence; --details: every reason with its derivation'),
  missing: z.array(z.strictObject({ item: z.string(), description: z.string() })).optional().describe('unknown only: the data that would decide it'),
});

const SourceLocation = z.strictObject({
  file: z.string().optional(),
  line: z.int().optional(),
  column: z.int().optional(),
  endLine: z.int().optional(),
  endColumn: z.int().optional(),
  record: z.int().optional(),
  path: z.string().optional(),
});

export const DiagnosticSchema = z.strictObject({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  location: SourceLocation.optional(),
  hint: z.string().optional(),
  frame: z.string().optional(),
});

const UnmappedDomain = z.enum(['measurement', 'medication', 'condition', 'finding', 'attestation', 'procedure', 'device', 'allergy', 'family-history', 'substance-use']);

const PatientResult = z.strictObject({
  id: z.string(),
  source: z.strictObject({ file: z.string(), record: z.int().optional(), line: z.int().optional() }),
  verdict: Verdict,
  criteria: z.array(CriterionResult),
  diagnostics: z.array(DiagnosticSchema).optional(),
  unmapped: z.array(z.strictObject({
    domain: UnmappedDomain, code: z.string(), name: z.string().optional(), source: z.string(), count: z.int().min(2).optional(),
  })).optional().describe('Record entries that map to no concept and that no criterion names (never ignored silently).'),
});

export const ReportSchema = z.strictObject({
  meta: z.strictObject({
    schema: z.literal(REPORT_SCHEMA_ID).describe('the version of this contract'),
    tool: z.strictObject({ name: z.literal('elig'), version: z.string() }),
    criteria: z.strictObject({
      id: z.string(), version: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), title: z.string().optional(), file: z.string().optional(),
      imports: z.array(z.strictObject({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).optional()
        .describe('Concept files the criteria import: a change in one can change a result.'),
      protocol: z.array(z.strictObject({ id: z.string(), kind: Kind, text: z.string() }))
        .describe('The criteria in protocol order (inclusion, then exclusion), said once for every patient.'),
    }),
    vocabulary: z.strictObject({
      version: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }).describe('The built-in vocabulary (vocabulary/*.yaml) the record codes were read with.'),
    asOf: z.string().describe('YYYY-MM-DD'),
  }),
  patients: z.array(PatientResult),
  summary: z.strictObject({
    patients: Count,
    verdicts: z.strictObject({ eligible: Count, ineligible: Count, indeterminate: Count, error: Count }),
    criteria: z.array(z.strictObject({ id: z.string(), kind: Kind, pass: Count, fail: Count, unknown: Count, not_applicable: Count })),
    funnel: z.array(z.strictObject({ id: z.string(), kind: Kind, possiblyEligible: Count, surelyEligible: Count })).optional(),
    worklist: z.array(z.strictObject({ item: z.string(), criteria: z.array(z.string()), patients: Count, unblocks: Count })).optional(),
    unmapped: z.array(z.strictObject({ domain: UnmappedDomain, code: z.string(), name: z.string().optional(), patients: Count, entries: Count })).optional(),
  }),
}).describe('The JSON report of elig check (--format json), contract elig/report@2; an NDJSON line is its meta, one patient or its summary with a type field first.');
