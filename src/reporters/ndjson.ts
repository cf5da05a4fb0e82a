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
import { patientJsonWriter } from './patient-json.js';
import { writtenMeta } from './report-json.js';
import type { Reporter, ReporterOptions } from './types.js';

/** `{"type":"<type>", …fields of o}` on one line, without copying o. */
function tagged(type: string, o: object): string {
  const json = JSON.stringify(o);
  return json === '{}' ? `{"type":"${type}"}\n` : `{"type":"${type}",${json.slice(1)}\n`;
}

export function ndjsonReporter(opts: Pick<ReporterOptions, 'summary' | 'details' | 'criteria'>): Reporter {
  const patient = patientJsonWriter(opts.details);
  return {
    begin: (meta) => tagged('meta', writtenMeta(meta, opts.criteria)),
    // the JSON text of `{ type: 'patient', ...patientReport(p) }`, written without building that object
    // (patient-json.ts; docs/development.md "Third pass: the report line"); its newline is the terminator
    patient,
    terminator: '\n',
    end: (summary) => tagged('summary', summaryView(summary, opts.summary)),
  };
}
