/**
 * NDJSON report (report@2, docs/reports.md): one JSON object per line, each tagged with `type`,
 * written as soon as it is known.
 *   {"type":"meta","schema":"elig/report@2", tool, criteria (with protocol), vocabulary, asOf}   first line
 *   {"type":"patient", id, source, verdict, criteria, …}   one line per input record, in input order
 *   {"type":"summary", patients, verdicts, …}       last line (funnel and worklist with --summary)
 * Patient lines are the JSON report's patient objects with `type` first; nothing else is added,
 * so `select(.type == "patient")` gives exactly one line per input record.
 */
import { summaryView } from './common.js';
import { criteriaReport, writtenMeta } from './report-json.js';
import type { Reporter, ReporterOptions } from './types.js';

/** `{"type":"<type>", …fields of o}` on one line, without copying o. */
function tagged(type: string, o: object): string {
  const json = JSON.stringify(o);
  return json === '{}' ? `{"type":"${type}"}\n` : `{"type":"${type}",${json.slice(1)}\n`;
}

export function ndjsonReporter(opts: Pick<ReporterOptions, 'summary' | 'details' | 'criteria'>): Reporter {
  return {
    begin: (meta) => tagged('meta', writtenMeta(meta, opts.criteria)),
    // one JSON.stringify of the report object: a serializer written field by field (JSON.stringify
    // per field, the shared reasons cached) measured 1.6x slower per line (docs/reports.md), and the
    // writer of the JSON text itself (patient-json.ts, which the JSON document uses) no faster for a
    // line once it is UTF-8 encoded (docs/development.md "Third pass: the report line"); its newline is the terminator
    // built in one object literal (`type` first, then the patient's fields in their order), not a copy of patientReport's copy
    patient: (p) => JSON.stringify({ type: 'patient', ...p, criteria: criteriaReport(p.criteria, opts.details) }),
    terminator: '\n',
    end: (summary) => tagged('summary', summaryView(summary, opts.summary)),
  };
}
