/**
 * One input item → one patient result, the same in the main thread and in worker threads.
 * NDJSON lines may arrive unparsed (`line` items) so that parsing happens in the workers too.
 */
import { diag, evaluateRecord, parseNdjsonLine, type CompiledCriteria, type InputItem, type PatientResult, type RecordSource } from '../index.js';

export type WorkItem = InputItem | { kind: 'line'; text: string; source: RecordSource };

export function evaluateItem(compiled: CompiledCriteria, asOf: string, work: WorkItem): PatientResult {
  let item: InputItem | undefined;
  if (work.kind === 'line') {
    item = parseNdjsonLine(work.source.file, work.source.line ?? 1, work.source.record ?? 1, work.text);
    if (!item) throw new Error('empty line dispatched');
  } else item = work;
  if (item.kind === 'error') {
    return { id: item.id ?? `${item.source.file}#${item.source.record ?? 1}`, source: item.source, verdict: 'error', criteria: [], diagnostics: [item.diagnostic] };
  }
  let result: PatientResult;
  try {
    result = evaluateRecord(compiled, item.raw, asOf, item.source);
  } catch (e) {
    // a bug must cost one record, loudly (an error result naming it), not the whole run
    const d = diag('internal/record', `internal error while evaluating this record: ${(e as Error).message} (please report it)`, { file: item.source.file, ...(item.source.record !== undefined ? { record: item.source.record } : {}) });
    return { id: `${item.source.file}#${item.source.record ?? 1}`, source: item.source, verdict: 'error', criteria: [], diagnostics: [d] };
  }
  // FHIR mapping warnings (unknown unit, unresolved reference) travel with the record
  if (item.diagnostics?.length) result.diagnostics = [...item.diagnostics, ...(result.diagnostics ?? [])];
  return result;
}

