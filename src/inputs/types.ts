/** What an input adapter yields: a raw record with its source, or a located diagnostic. Pure, no fs. */
import type { Diagnostic, RecordSource } from '../model.js';

export type InputItem =
  | {
      kind: 'record'; raw: unknown; source: RecordSource;
      /** FHIR: located warnings from the mapping (unknown unit, unresolved reference), reported with the record. */
      diagnostics?: Diagnostic[];
      /** FHIR: resources the mapping did not use, and why (listed by `check --verbose`). */
      unmapped?: { ref: string; why: string }[];
    }
  | { kind: 'error'; source: RecordSource; diagnostic: Diagnostic; id?: string };

export type InputFormat = 'json' | 'yaml' | 'ndjson' | 'csv' | 'tsv' | 'fhir';
export const INPUT_FORMATS: readonly InputFormat[] = ['json', 'yaml', 'ndjson', 'csv', 'tsv', 'fhir'];
