/**
 * Shared types of elig: statuses, verdicts, reasons, results and the report.
 * These shapes are the public, documented contract of the JSON report (see README "Report").
 */

/** Per-criterion status, in the direction of eligibility (same meaning for inclusion and exclusion). */
export type Status = 'pass' | 'fail' | 'unknown' | 'not_applicable';
export const STATUSES: readonly Status[] = ['pass', 'fail', 'unknown', 'not_applicable'];

/** Per-patient verdict. `error`: the record could not be read or validated. */
export type Verdict = 'eligible' | 'ineligible' | 'indeterminate' | 'error';
export const VERDICTS: readonly Verdict[] = ['eligible', 'ineligible', 'indeterminate', 'error'];

export type CriterionKind = 'inclusion' | 'exclusion';

/** A value taken from the record (or derived from it), with where it came from. */
export interface Evidence {
  /** What the value is, e.g. `egfr`, `weight`, `prednisone`. */
  item: string;
  value: number | string | boolean | null;
  unit?: string;
  /** ISO date (YYYY-MM-DD) of the observation, when known. */
  date?: string;
  /** Record path (`measurements[3]`), FHIR reference, or `calculator:<name>`. */
  source?: string;
}

/** How a value was derived by a calculator. */
export interface Derivation {
  calculator: string;
  method: string;
  inputs: Evidence[];
}

export type Comparator = '>=' | '>' | '<=' | '<' | '=' | '!=';

export interface Threshold {
  op: Comparator;
  value: number | string | boolean;
  unit?: string;
  /** For thresholds relative to the upper limit of normal: `3 x ULN` has factor 3. */
  ulnFactor?: number;
  /** For thresholds relative to the lower limit of normal: `1 x LLN` has factor 1. */
  llnFactor?: number;
}

/**
 * One reason behind a result. `code` is stable and machine-readable; `text` is rendered from
 * code + data in engine/reasons.ts, the only place reason prose is written.
 */
export interface Reason {
  code: string;
  status: Status;
  text: string;
  observed?: Evidence;
  threshold?: Threshold;
  derivation?: Derivation;
  /** For score bounds: the lowest and highest total the record allows. */
  bounds?: { lower: number; upper: number };
}

/** A data item that would decide an `unknown`. */
export interface MissingItem {
  /** Canonical item, e.g. `measurement:egfr`, `attestation:informed-consent`, `finding:sledai-2k/rash`. */
  item: string;
  /** Human description, e.g. "eGFR (or serum creatinine + height) within 28 days before 2026-11-25". */
  description: string;
}

export interface CriterionResult {
  id: string;
  kind: CriterionKind;
  status: Status;
  text: string;
  reasons: Reason[];
  missing?: MissingItem[];
}

/** A diagnostic is a problem in a user file or record. Never thrown; collected and reported. */
export type Severity = 'error' | 'warning' | 'info';

export interface SourceLocation {
  file?: string;
  /** 1-based line and column. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** 1-based record number in a batch input. */
  record?: number;
  /** Path inside the document, e.g. `inclusion[2].rule.min` or `measurements[0].value`. */
  path?: string;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  location?: SourceLocation;
  hint?: string;
  /** A few lines of the source around the location, with a caret (human output only). */
  frame?: string;
}

export interface RecordSource {
  file: string;
  /** 1-based index of the record within its file. */
  record?: number;
  line?: number;
}

export interface PatientResult {
  id: string;
  source: RecordSource;
  verdict: Verdict;
  criteria: CriterionResult[];
  /** For `error` verdicts: why the record could not be checked. */
  diagnostics?: Diagnostic[];
  /** Record entries that map to nothing elig can read (see UnmappedEntry). */
  unmapped?: UnmappedEntry[];
}

/** The record domains an entry can fail to map in. */
export type UnmappedDomain = 'measurement' | 'medication' | 'condition' | 'finding' | 'attestation' | 'procedure' | 'device' | 'allergy' | 'family-history' | 'substance-use';

/**
 * A record entry that maps to no concept of the vocabulary and to nothing the criteria name:
 * elig cannot read it, so it is reported instead of ignored (one line per distinct entry, with
 * where it first occurs and how often).
 */
export interface UnmappedEntry {
  domain: UnmappedDomain;
  /** The code as the record gives it (a name when the entry has no code). */
  code: string;
  name?: string;
  /** The record path (or FHIR resource element) of its first occurrence. */
  source: string;
  /** Occurrences in the record, when more than one. */
  count?: number;
}

export interface ReportMeta {
  tool: { name: 'elig'; version: string };
  criteria: { id: string; version: string; sha256: string; title?: string; file?: string; imports?: { path: string; sha256: string }[] };
  /** The vocabulary the codes were read with: a vocabulary change can change a result. */
  vocabulary: { version: string; sha256: string };
  asOf: string;
}

export interface CriterionSummary {
  id: string;
  kind: CriterionKind;
  pass: number;
  fail: number;
  unknown: number;
  not_applicable: number;
}

/**
 * One step of the attrition funnel: after this criterion (protocol order, inclusion then exclusion),
 * how many checked patients (verdict not `error`) are still possibly eligible (no `fail` among the
 * criteria so far) and how many are surely eligible so far (every criterion so far `pass` or
 * `not_applicable`).
 */
export interface FunnelStep {
  id: string;
  kind: CriterionKind;
  possiblyEligible: number;
  surelyEligible: number;
}

/**
 * One row of the screening worklist, over `indeterminate` patients only: a data item named in
 * `missing[].item` of their unknown criteria. `patients`: indeterminate patients whose unknown
 * criteria list the item. `unblocks`: indeterminate patients for whom it is the only missing item
 * (every unknown criterion lists it and nothing else), so recording it decides their verdict.
 */
export interface WorklistItem {
  item: string;
  /** Criteria that list the item, in protocol order. */
  criteria: string[];
  patients: number;
  unblocks: number;
}

export interface ReportSummary {
  patients: number;
  verdicts: Record<Verdict, number>;
  criteria: CriterionSummary[];
  /** Screening summary (`--summary`): the attrition funnel, one step per criterion in protocol order. */
  funnel?: FunnelStep[];
  /** Screening summary (`--summary`): items that would decide indeterminate patients, most unblocking first. */
  worklist?: WorklistItem[];
  /** Record entries that mapped to no concept, most patients first: what to add to the vocabulary. */
  unmapped?: UnmappedSummaryItem[];
}

export interface UnmappedSummaryItem {
  domain: UnmappedDomain;
  code: string;
  name?: string;
  /** Patients with the entry. */
  patients: number;
  /** Entries in all (a patient may have it more than once). */
  entries: number;
}

/** The version of the JSON/NDJSON report contract, written as `meta.schema` (docs/reports.md). */
export const REPORT_SCHEMA_ID = 'elig/report@2';

/** A criterion as the protocol states it: the same for every patient, so said once (report@2 `meta.criteria.protocol`). */
export interface ProtocolCriterion {
  id: string;
  kind: CriterionKind;
  /** The protocol's wording of the criterion. */
  text: string;
}

/** The JSON report's `meta` (the NDJSON meta line): the stamp, the contract version and the protocol's criteria. */
export interface WrittenMeta extends Omit<ReportMeta, 'criteria'> {
  schema: typeof REPORT_SCHEMA_ID;
  criteria: ReportMeta['criteria'] & { protocol: ProtocolCriterion[] };
}

/**
 * One criterion's result as report@2 writes it per patient: only what depends on the patient (its
 * kind and protocol text are in `meta.criteria.protocol`). At the default depth the reasons carry no
 * `derivation` or `bounds` and a medication's non-deciding courses are left out; `--details` writes
 * them all (see reportReasons in reporters/report-json.ts).
 */
export type CriterionReport = Omit<CriterionResult, 'kind' | 'text'>;

/** One patient as report@2 writes it (the NDJSON patient line without its `type`). */
export interface PatientReport extends Omit<PatientResult, 'criteria'> {
  criteria: CriterionReport[];
}

/** The JSON report (report@2): what `elig check -f json` writes. */
export interface Report {
  meta: WrittenMeta;
  patients: PatientReport[];
  summary: ReportSummary;
}
