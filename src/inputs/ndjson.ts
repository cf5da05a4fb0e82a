/** NDJSON / JSON Lines: one record per line; a bad line is an error item and the rest go on. */
import { diag } from '../diagnostics.js';
import { jsonErrorLocation, jsonErrorMessage } from './json.js';
import type { InputItem } from './types.js';

export function parseNdjsonLine(file: string, lineNo: number, recordNo: number, line: string): InputItem | undefined {
  if (!line.trim()) return undefined;
  try {
    return { kind: 'record', raw: JSON.parse(line), source: { file, record: recordNo, line: lineNo } };
  } catch (e) {
    const pos = jsonErrorLocation(line, e as Error);
    return {
      kind: 'error',
      source: { file, record: recordNo, line: lineNo },
      diagnostic: diag('syntax/json', jsonErrorMessage(e), { file, line: lineNo, column: pos?.column ?? 1, record: recordNo }),
    };
  }
}
