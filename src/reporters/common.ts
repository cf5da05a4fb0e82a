/** Small helpers shared by the reporters: source labels, the stamp, deciding reasons, summary views. */
import type { CriterionResult, PatientResult, RecordSource, ReportMeta, ReportSummary, Status, UnmappedEntry } from '../model.js';

/** `file`, `file#3` (third record of a batch file) or `file:12` (line of an NDJSON file). */
export function sourceLabel(s: RecordSource): string {
  return `${s.file}${s.record !== undefined && s.record > 1 ? `#${s.record}` : ''}${s.line ? `:${s.line}` : ''}`;
}

/** The report stamp on one line: tool version, criteria id, version, sha256, vocabulary version, sha256 and asOf. */
export function stampLine(meta: ReportMeta, shaChars = 64): string {
  return `elig ${meta.tool.version} · ${meta.criteria.id} v${meta.criteria.version} (sha256 ${meta.criteria.sha256.slice(0, shaChars)}) · vocabulary v${meta.vocabulary.version} (sha256 ${meta.vocabulary.sha256.slice(0, shaChars)}) · as of ${meta.asOf}`;
}

/** The reasons that carry the criterion's own status (the deciding ones); all of them when none does. */
export function decidingReasons(c: CriterionResult): string[] {
  const own = c.reasons.filter((r) => r.status === c.status);
  return (own.length ? own : c.reasons).map((r) => r.text);
}

/** Ids of the patient's criteria with the given status, in protocol order. */
export function idsWith(p: PatientResult, status: Status): string[] {
  return p.criteria.filter((c) => c.status === status).map((c) => c.id);
}

/** Status counts of one patient. */
export function countStatuses(p: PatientResult): Record<Status, number> {
  const n: Record<Status, number> = { pass: 0, fail: 0, unknown: 0, not_applicable: 0 };
  for (const c of p.criteria) n[c.status]++;
  return n;
}

/** The summary as reported: funnel, worklist and the unmapped tally only when the screening summary was asked for. */
export function summaryView(s: ReportSummary, screening: boolean): ReportSummary {
  if (screening) return s;
  return { patients: s.patients, verdicts: s.verdicts, criteria: s.criteria };
}

/** One unmapped entry in a line: `medication "x" (name) at medications[2] ×3`. */
export function unmappedText(u: UnmappedEntry): string {
  return `${u.domain} "${u.code}"${u.name ? ` (${u.name})` : ''} at ${u.source}${u.count && u.count > 1 ? ` ×${u.count}` : ''}`;
}

/** Patients that were checked (every verdict but `error`): where the funnel starts. */
export function checkedPatients(s: ReportSummary): number {
  return s.patients - s.verdicts.error;
}
