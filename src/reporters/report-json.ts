/**
 * The report@2 contract (docs/reports.md), shared by the json and ndjson reporters: what is the
 * same for every patient (the protocol's criteria: id, kind, text) is written once in the meta;
 * per patient only what depends on the patient. Two depths: by default each reason carries its
 * code, status, text and deciding evidence (observed value, threshold, and the derivation of a
 * derived value: its calculator inputs with their record sources); `--details` adds score bounds
 * and every medication course examined. The ndjson reporter serializes these objects; the json
 * reporter writes the same text without building them (patient-json.ts, tested against these).
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

/**
 * A reason at the default depth: without `bounds` (the text states them). Its `derivation` is kept:
 * the inputs of a derived value (the creatinine behind an eGFR, the items behind a score) carry
 * their record `source`, and a reader must see where a deciding value came from, not only what it
 * was. The same object when nothing is left out; any other field is kept, so a new kind of
 * evidence is never dropped here.
 */
function shallow(r: Reason): Reason {
  if (r.bounds === undefined) return r;
  const { bounds: _bounds, ...rest } = r;
  return rest;
}

/**
 * The reasons written at the default depth. Every reason is kept but a medication's courses that
 * did not decide it: a course (`medication-course`) is kept when it carries the status of the
 * medication reason it belongs to (the reason before it that is not a course), or when that reason
 * failed (then every course examined is why none qualified). Bounds are left out (see shallow).
 * The same array when nothing is left out (most criteria).
 */
export function reportReasons(reasons: readonly Reason[]): Reason[] {
  let out: Reason[] | undefined;
  let head: Reason | undefined;
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i]!;
    let keep: Reason | undefined = r;
    if (r.code !== 'medication-course') head = r;
    else if (head !== undefined && head.status !== 'fail' && r.status !== head.status) keep = undefined;
    if (keep !== undefined) keep = shallow(keep);
    if (out === undefined) {
      if (keep === r) continue;
      out = reasons.slice(0, i);
    }
    if (keep !== undefined) out.push(keep);
  }
  return out ?? (reasons as Reason[]);
}

/**
 * One criterion's result as written: every field of the result but its kind and protocol text
 * (id, status, reasons, missing for an unknown), the reasons at the chosen depth.
 */
export function criterionReport(c: CriterionResult, details: boolean): CriterionReport {
  const { kind: _kind, text: _text, ...rest } = c;
  if (!details) rest.reasons = reportReasons(c.reasons);
  return rest;
}

/** One patient as written (the JSON report's patient object; the NDJSON patient line without its `type`). */
export function patientReport(p: PatientResult, details: boolean): PatientReport {
  return { ...p, criteria: criteriaReport(p.criteria, details) };
}

/** The criteria of one patient as written (a plain loop: this runs once per patient line). */
export function criteriaReport(criteria: readonly CriterionResult[], details: boolean): CriterionReport[] {
  const out = new Array<CriterionReport>(criteria.length);
  for (let i = 0; i < criteria.length; i++) out[i] = criterionReport(criteria[i]!, details);
  return out;
}

