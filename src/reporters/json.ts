/**
 * The JSON report (report@2, docs/reports.md): the documented, stable machine format.
 * { meta: { schema: "elig/report@2", tool, criteria: { id, version, sha256, …, protocol: [{ id, kind, text }] },
 *   vocabulary: { version, sha256 }, asOf }, patients: [...], summary }
 * Each patient's criteria carry only what depends on the patient (report-json.ts); `--details` adds
 * the full derivations. The summary's funnel and worklist are included with `--summary`.
 * Streamed: patients are written as they are done, and the whole is one valid JSON document.
 */
import { summaryView } from './common.js';
import { patientJsonWriter } from './patient-json.js';
import { writtenMeta } from './report-json.js';
import type { Reporter, ReporterOptions } from './types.js';

function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s.split('\n').map((l) => pad + l).join('\n');
}

export function jsonReporter(opts: Pick<ReporterOptions, 'summary' | 'details' | 'criteria'>): Reporter {
  // each patient is JSON.stringify(patientReport(p), null, 2) indented by 4 spaces, written without building the object
  const patient = patientJsonWriter(opts.details, 4);
  return {
    separator: ',',
    begin(meta) {
      return `{\n  "meta": ${indent(JSON.stringify(writtenMeta(meta, opts.criteria), null, 2), 2).trimStart()},\n  "patients": [`;
    },
    patient(p) {
      return `\n    ${patient(p)}`;
    },
    end(summary) {
      return `\n  ],\n  "summary": ${indent(JSON.stringify(summaryView(summary, opts.summary), null, 2), 2).trimStart()}\n}\n`;
    },
  };
}
