/**
 * A worker thread for `check --jobs n`: compiles the criteria once, then evaluates and renders
 * batches of records in the order given. Messages: init (workerData), { seq, items } → { seq, batch }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileCriteria, loadCriteria, REPORTERS, type ReportFormat, type ReporterOptions, type UnmappedPolicyName } from '../index.js';
import type { WorkItem } from './evaluate-item.js';
import { BatchRenderer } from './render-batch.js';

export interface WorkerInit {
  criteriaFile: string;
  criteriaText: string;
  /** The imported concept files' texts, by path as written. */
  importTexts: Record<string, string>;
  asOf: string;
  format: ReportFormat;
  reporter: ReporterOptions;
  /** The unmapped policy in force (the file's default or --unmapped). */
  unmapped: UnmappedPolicyName;
  /** Anchor dates given to the run (--anchor name=date). */
  anchors: [string, string][];
}

const init = workerData as WorkerInit;
const loaded = loadCriteria(init.criteriaFile, init.criteriaText, { imports: init.importTexts });
if (!loaded.criteria) throw new Error('criteria did not load in the worker');
const renderer = new BatchRenderer(compileCriteria(loaded.criteria, { unmapped: init.unmapped, anchors: new Map(init.anchors) }), init.asOf, REPORTERS[init.format](init.reporter));

parentPort!.on('message', (msg: { seq: number; items: WorkItem[] }) => {
  const batch = renderer.render(msg.items);
  parentPort!.postMessage({ seq: msg.seq, batch }, [batch.bytes.buffer]);
});
