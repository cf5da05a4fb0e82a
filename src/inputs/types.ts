/** What an input adapter yields: a raw record with its source, or a located diagnostic. Pure, no fs. */
import type { Diagnostic, RecordSource } from '../model.js';

export type InputItem =
  | { kind: 'record'; raw: unknown; source: RecordSource }
  | { kind: 'error'; source: RecordSource; diagnostic: Diagnostic; id?: string };

export type InputFormat = 'json' | 'yaml' | 'ndjson';
export const INPUT_FORMATS: readonly InputFormat[] = ['json', 'yaml', 'ndjson'];
