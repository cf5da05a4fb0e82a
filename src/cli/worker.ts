/**
 * A worker thread for `check --jobs n`: compiles the criteria once, then evaluates and renders
 * batches of records in the order given. Messages: init (workerData), { seq, items } → { seq, batch }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileCriteria, REPORTERS, type LoadedCriteria, type ReportFormat, type ReporterOptions, type UnmappedPolicyName } from '../index.js';
import type { WorkItem } from './evaluate-item.js';
import { BatchRenderer } from './render-batch.js';

export interface WorkerInit {
  /**
   * The criteria as the main thread loaded and validated them (plain data, copied exactly by the
   * structured clone): a worker compiles them without parsing the YAML and validating it again.
   */
  loaded: LoadedCriteria;
  asOf: string;
  format: ReportFormat;
  reporter: ReporterOptions;
  /** The unmapped policy in force (the file's default or --unmapped). */
  unmapped: UnmappedPolicyName;
  /** Anchor dates given to the run (--anchor name=date). */
  anchors: [string, string][];
}

const init = workerData as WorkerInit;
const renderer = new BatchRenderer(compileCriteria(init.loaded, { unmapped: init.unmapped, anchors: new Map(init.anchors) }), init.asOf, REPORTERS[init.format](init.reporter));

parentPort!.on('message', (msg: { seq: number; items: WorkItem[] }) => {
  const batch = renderer.render(msg.items);
  parentPort!.postMessage({ seq: msg.seq, batch }, [batch.bytes.buffer]);
});
