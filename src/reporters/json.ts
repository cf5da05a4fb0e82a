/**
 * The JSON report: the documented, stable machine format.
 * { meta: { tool, criteria: { id, version, sha256 }, vocabulary: { version, sha256 }, asOf }, patients: [...], summary }
 * The summary's funnel and worklist are included with the screening summary (`--summary`).
 * Streamed: patients are written as they are done, and the whole is one valid JSON document.
 */
import { summaryView } from './common.js';
import type { Reporter, ReporterOptions } from './types.js';

function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s.split('\n').map((l) => pad + l).join('\n');
}

export function jsonReporter(opts: Pick<ReporterOptions, 'summary'> = { summary: false }): Reporter {
  return {
    separator: ',',
    begin(meta) {
      return `{\n  "meta": ${indent(JSON.stringify(meta, null, 2), 2).trimStart()},\n  "patients": [`;
    },
    patient(p) {
      return `\n${indent(JSON.stringify(p, null, 2), 4)}`;
    },
    end(summary) {
      return `\n  ],\n  "summary": ${indent(JSON.stringify(summaryView(summary, opts.summary), null, 2), 2).trimStart()}\n}\n`;
    },
  };
}
