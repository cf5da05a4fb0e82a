/** NDJSON / JSON Lines: one record per line; a bad line is an error item and the rest go on. */
import { diag } from '../diagnostics.js';
import { jsonErrorLocation, jsonErrorMessage, parseJsonRecord } from './json.js';
import type { InputItem } from './types.js';

export function parseNdjsonLine(file: string, lineNo: number, recordNo: number, line: string): InputItem | undefined {
  if (!line.trim()) return undefined;
  const r = parseJsonRecord(line);
  if ('value' in r) return { kind: 'record', raw: r.value, source: { file, record: recordNo, line: lineNo } };
  if (r.duplicate) {
    return { kind: 'error', source: { file, record: recordNo, line: lineNo }, diagnostic: diag('syntax/duplicate-key', r.error.message, { file, line: lineNo, column: r.duplicate.column, record: recordNo }) };
  }
  const pos = jsonErrorLocation(line, r.error);
  return {
    kind: 'error',
    source: { file, record: recordNo, line: lineNo },
    diagnostic: diag('syntax/json', jsonErrorMessage(r.error), { file, line: lineNo, column: pos?.column ?? 1, record: recordNo }),
  };
}
