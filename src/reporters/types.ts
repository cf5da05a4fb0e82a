/**
 * One reporter interface for every format: begin with the report stamp, one chunk per patient
 * (so large batches stream), end with the summary. Reporters are pure: data in, strings out.
 */
import type { PatientResult, ProtocolCriterion, ReportMeta, ReportSummary } from '../model.js';

/** A criterion as the reporters know it before any patient: for headers and columns. */
export type { ProtocolCriterion } from '../model.js';

export interface ReporterOptions {
  /** The criteria in protocol order (inclusion, then exclusion). */
  criteria: readonly ProtocolCriterion[];
  /** The report stamp, also given to `begin`: formats that stamp every patient (csv, junit) take it from here. */
  meta: ReportMeta;
  color: boolean;
  /** Terminal width for wrapping human output. */
  width: number;
  /**
   * Human output: cut the one-line-per-patient view to `width` (an error message ends in `…`, unknown
   * criteria beyond the width are counted `+N`). Only for a terminal: piped or written to a file, every
   * detail is kept (default true).
   */
  fit?: boolean;
  /**
   * Human output: every criterion with its protocol text and reasons (else one line per patient).
   * JSON/NDJSON: the full derivation of every reason (calculator inputs, bounds, every medication
   * course examined); else the deciding evidence only.
   */
  details: boolean;
  /** Include the screening summary (funnel and worklist) in the report's summary. */
  summary: boolean;
}

export interface Reporter {
  begin(meta: ReportMeta): string;
  /**
   * One patient's output. Must not depend on the patients before it, so patients can be rendered
   * in worker threads (`--jobs`); what goes between two patients is `separator`.
   */
  patient(p: PatientResult): string;
  end(summary: ReportSummary): string;
  /** Written between two consecutive patients' outputs (e.g. `,` in a JSON array). */
  separator?: string;
  /**
   * Written after every patient's output (the newline of an NDJSON line): kept out of `patient` so a
   * large patient text is encoded as it is, not first copied to append one character.
   */
  terminator?: string;
}
