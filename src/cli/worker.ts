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

export interface WorkerResult {
  id: string;
  out: string;
  summary: ReturnType<typeof summaryRecord>;
  diagnostics: string[];
}

const init = workerData as WorkerInit;
const loaded = loadCriteria(init.criteriaFile, init.criteriaText);
if (!loaded.criteria) throw new Error('criteria did not load in the worker');
const compiled = compileCriteria(loaded.criteria);
const reporter = REPORTERS[init.format](init.reporter);

parentPort!.on('message', (msg: { seq: number; items: WorkItem[] }) => {
  const results: WorkerResult[] = msg.items.map((item) => {
    const p = evaluateItem(compiled, init.asOf, item);
    return { id: p.id, out: reporter.patient(p), summary: summaryRecord(p), diagnostics: (p.diagnostics ?? []).map(formatDiagnosticLine) };
  });
  parentPort!.postMessage({ seq: msg.seq, results });
});
