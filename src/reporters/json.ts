/**
 * The JSON report: the documented, stable machine format.
 * { meta: { tool, criteria: { id, version, sha256 }, asOf }, patients: [...], summary }
 * Streamed: patients are written as they are done, and the whole is one valid JSON document.
 */
import type { Reporter } from './types.js';

function indent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s.split('\n').map((l) => pad + l).join('\n');
}

export function jsonReporter(): Reporter {
  let first = true;
  return {
    begin(meta) {
      return `{\n  "meta": ${indent(JSON.stringify(meta, null, 2), 2).trimStart()},\n  "patients": [`;
    },
    patient(p) {
      const s = `${first ? '\n' : ',\n'}${indent(JSON.stringify(p, null, 2), 4)}`;
      first = false;
      return s;
    },
    end(summary) {
      return `${first ? '' : '\n  '}],\n  "summary": ${indent(JSON.stringify(summary, null, 2), 2).trimStart()}\n}\n`;
    },
  };
}
