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

/** Sniff stdin content: `{`/`[` first → JSON (or NDJSON when several top-level lines), else YAML. */
export function sniffFormat(text: string): InputFormat {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    const lines = t.split('\n').filter((l) => l.trim());
    if (lines.length > 1 && lines.every((l) => l.trim().startsWith('{') && l.trim().endsWith('}'))) return 'ndjson';
    return 'json';
  }
  if (t.startsWith('[')) return 'json';
  return 'yaml';
}

export const TEXT_PARSERS: Record<'json' | 'yaml' | 'fhir', (file: string, text: string) => InputItem[]> = {
  json: parseJsonRecords,
  yaml: parseYamlRecords,
  fhir: parseFhirRecords,
};

export type { InputFormat, InputItem } from './types.js';
export { parseNdjsonLine } from './ndjson.js';
export { jsonErrorLocation } from './json.js';
export { JsonArraySplitter, type JsonPiece } from './json-stream.js';
export { YamlSplitter, type YamlPiece } from './yaml-stream.js';
export { parseYamlPiece } from './yaml.js';
export { planCsv, type CsvMapping, type CsvPlan } from './csv.js';
export { INPUT_FORMATS } from './types.js';
