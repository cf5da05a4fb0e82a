/** Input format detection and the registry of whole-text parsers. */
import type { InputFormat, InputItem } from './types.js';
import { parseJsonRecords } from './json.js';
import { parseYamlRecords } from './yaml.js';
import { parseFhirRecords } from './fhir/index.js';

export function detectFormat(path: string): InputFormat | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.ndjson') || p.endsWith('.jsonl')) return 'ndjson';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.yaml') || p.endsWith('.yml')) return 'yaml';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.tsv') || p.endsWith('.tab')) return 'tsv';
  return undefined;
}

/** Tell the format from a file's first bytes (stdin, or an unknown extension). */
export function sniffFormat(first: string): InputFormat {
  const t = first.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('[')) return 'json';
  if (t.startsWith('{')) {
    const nl = t.indexOf('\n');
    const firstLine = nl >= 0 ? t.slice(0, nl).trim() : t.trim();
    // a complete object on the first line followed by another line: NDJSON
    if (nl >= 0 && firstLine.endsWith('}') && t.slice(nl + 1).trimStart().startsWith('{')) {
      try {
        JSON.parse(firstLine);
        return 'ndjson';
      } catch {
        return 'json';
      }
    }
    return 'json';
  }
  const firstLine = (t.split('\n')[0] ?? '').replace(/\r$/, '');
  // YAML: a document marker, a list item, a comment, or a `key: value` / `key:` mapping line
  if (/^(---|\.\.\.|%|#|- |-$)/.test(firstLine) || /^[^,\t"]+:(\s|$)/.test(firstLine)) return 'yaml';
  // a header row: CSV headers may hold colons without a space (finding:ecg-abnormality)
  if (firstLine.includes('\t')) return 'tsv';
  if (firstLine.includes(',')) return 'csv';
  return 'yaml';
}

export const TEXT_PARSERS: Record<'json' | 'yaml' | 'fhir', (file: string, text: string) => InputItem[]> = {
  json: parseJsonRecords,
  yaml: parseYamlRecords,
  fhir: parseFhirRecords,
};

export type { InputFormat, InputItem } from './types.js';
export { parseNdjsonLine } from './ndjson.js';
export { jsonErrorLocation, jsonErrorMessage, parseJsonRecord } from './json.js';
export { JsonArraySplitter, type JsonPiece } from './json-stream.js';
export { YamlSplitter, type YamlPiece } from './yaml-stream.js';
export { parseYamlPiece } from './yaml.js';
export { planCsv, type CsvMapping, type CsvPlan } from './csv.js';
export { recordsToCsv, csvText, type CsvExport, type CsvExportLoss } from './csv-export.js';
export { INPUT_FORMATS } from './types.js';
