/**
 * One reporter interface for every format: begin with the report stamp, one chunk per patient
 * (so large batches stream), end with the summary. Reporters are pure: data in, strings out.
 */
import type { PatientResult, ReportMeta, ReportSummary } from '../model.js';

export interface ReporterOptions {
  color: boolean;
  /** Terminal width for wrapping human output. */
  width: number;
  details: boolean;
}

export interface Reporter {
  begin(meta: ReportMeta): string;
  patient(p: PatientResult): string;
  end(summary: ReportSummary): string;
}
