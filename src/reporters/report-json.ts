/**
 * The report@2 contract (docs/reports.md), shared by the json and ndjson reporters: what is the
 * same for every patient (the protocol's criteria: id, kind, text) is written once in the meta;
 * per patient only what depends on the patient. Two depths: by default each reason carries its
 * code, status, text and deciding evidence (observed value, threshold); `--details` adds the full
 * derivation (calculator inputs, score bounds, every medication course examined).
 */
import { REPORT_SCHEMA_ID, type CriterionReport, type CriterionResult, type PatientReport, type PatientResult, type ProtocolCriterion, type Reason, type ReportMeta, type WrittenMeta } from '../model.js';

/** The meta of a report@2: `schema` first, then the stamp, with the protocol's criteria in `criteria.protocol`. */
export function writtenMeta(meta: ReportMeta, protocol: readonly ProtocolCriterion[]): WrittenMeta {
  return {
    schema: REPORT_SCHEMA_ID,
    tool: meta.tool,
    criteria: { ...meta.criteria, protocol: protocol.map((c) => ({ id: c.id, kind: c.kind, text: c.text })) },
    vocabulary: meta.vocabulary,
    asOf: meta.asOf,
  };
}

/** A reason at the default depth: without `derivation` and `bounds` (the same object when it has neither). */
function shallow(r: Reason): Reason {
  if (r.derivation === undefined && r.bounds === undefined) return r;
  const out: Reason = { code: r.code, status: r.status, text: r.text };
  if (r.observed) out.observed = r.observed;
  if (r.threshold) out.threshold = r.threshold;
  return out;
}

/**
 * The reasons written at the default depth. Every reason is kept but a medication's courses that
 * did not decide it: a course (`medication-course`) is kept when it carries the status of the
 * medication reason it belongs to (the reason before it that is not a course), or when that reason
 * failed (then every course examined is why none qualified). Derivations and bounds are left out.
 */
export function reportReasons(reasons: readonly Reason[]): Reason[] {
  const out: Reason[] = [];
  let head: Reason | undefined;
  for (const r of reasons) {
    if (r.code !== 'medication-course') head = r;
    else if (head !== undefined && head.status !== 'fail' && r.status !== head.status) continue;
    out.push(shallow(r));
  }
  return out;
}

/** One criterion's result as written: id, status, reasons, and the missing data of an unknown. */
export function criterionReport(c: CriterionResult, details: boolean): CriterionReport {
  const out: CriterionReport = { id: c.id, status: c.status, reasons: details ? c.reasons : reportReasons(c.reasons) };
  if (c.missing) out.missing = c.missing;
  return out;
}

/** One patient as written (the JSON report's patient object; the NDJSON patient line without its `type`). */
export function patientReport(p: PatientResult, details: boolean): PatientReport {
  const out: PatientReport = { id: p.id, source: p.source, verdict: p.verdict, criteria: p.criteria.map((c) => criterionReport(c, details)) };
  if (p.diagnostics) out.diagnostics = p.diagnostics;
  if (p.unmapped) out.unmapped = p.unmapped;
  return out;
}
