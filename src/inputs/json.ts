/** JSON input: one record (an object) or a list of records (an array). */
import { diag } from '../diagnostics.js';
import type { InputItem } from './types.js';
import { fhirItems, isFhirResource } from './fhir/bundle.js';

/** Map a JSON.parse error position to line:column. */
export function jsonErrorLocation(text: string, err: Error): { line: number; column: number } | undefined {
  const m = /position (\d+)/.exec(err.message) ?? /at (\d+)/.exec(err.message);
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  if (!m) return undefined;
  const pos = Number(m[1]);
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** JSON.parse's message without the position it names (the diagnostic carries line:col instead). */
export function jsonErrorMessage(e: unknown): string {
  return (e as Error).message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
}

/** A whole file as one JSON value, or the located `syntax/json` error item that stands for it. */
export function parseJsonDocument(file: string, text: string): { value: unknown } | { error: InputItem } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const pos = jsonErrorLocation(text, e as Error);
    return { error: { kind: 'error', source: { file, record: 1, ...(pos ? { line: pos.line } : {}) }, diagnostic: diag('syntax/json', jsonErrorMessage(e), { file, ...(pos ?? {}) }) } };
  }
}

export function parseJsonRecords(file: string, text: string): InputItem[] {
  const doc = parseJsonDocument(file, text);
  if ('error' in doc) return [doc.error];
  const value = doc.value;
  // FHIR R4 (a Bundle or a Patient) is detected by content: src/inputs/fhir/
  if (isFhirResource(value)) return fhirItems(file, value);
  return recordsOf(file, value);
}

/** One value → records: an array is a list of records, anything else one record. */
export function recordsOf(file: string, value: unknown, startRecord = 1, line?: number): InputItem[] {
  if (Array.isArray(value)) {
    return value.map((raw, i) => ({ kind: 'record', raw, source: { file, record: startRecord + i } }));
  }
  return [{ kind: 'record', raw: value, source: { file, record: startRecord, ...(line !== undefined ? { line } : {}) } }];
}
