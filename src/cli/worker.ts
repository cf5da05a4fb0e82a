/**
 * A worker thread for `check --jobs n`: compiles the criteria once, then evaluates and renders
 * batches of records in the order given. Messages: init (workerData), { seq, items } → { seq, results }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileCriteria, formatDiagnosticLine, loadCriteria, REPORTERS, type ReportFormat, type ReporterOptions } from '../index.js';
import { evaluateItem, summaryRecord, type WorkItem } from './evaluate-item.js';

export interface WorkerInit {
  criteriaFile: string;
  criteriaText: string;
  asOf: string;
  format: ReportFormat;
  reporter: ReporterOptions;
}

/** Per record: what the main thread needs besides the rendered output. */
export interface WorkerRecord {
  id: string;
  summary: ReturnType<typeof summaryRecord>;
  diagnostics: string[];
}

/**
 * A batch's results: the rendered patients already joined (with the reporter's separator between
 * them) and UTF-8 encoded, sent as a transferred buffer so the main thread only writes bytes.
 */
export interface WorkerBatch {
  bytes: Uint8Array;
  records: WorkerRecord[];
}

const init = workerData as WorkerInit;
const loaded = loadCriteria(init.criteriaFile, init.criteriaText);
if (!loaded.criteria) throw new Error('criteria did not load in the worker');
const compiled = compileCriteria(loaded.criteria);
const reporter = REPORTERS[init.format](init.reporter);

const encoder = new TextEncoder();
const separator = reporter.separator ?? '';

parentPort!.on('message', (msg: { seq: number; items: WorkItem[] }) => {
  const outs: string[] = [];
  const records: WorkerRecord[] = msg.items.map((item) => {
    const p = evaluateItem(compiled, init.asOf, item);
    outs.push(reporter.patient(p));
    return { id: p.id, summary: summaryRecord(p), diagnostics: (p.diagnostics ?? []).map(formatDiagnosticLine) };
  });
  const bytes = encoder.encode(outs.join(separator));
  const batch: WorkerBatch = { bytes, records };
  parentPort!.postMessage({ seq: msg.seq, batch }, [bytes.buffer]);
});
