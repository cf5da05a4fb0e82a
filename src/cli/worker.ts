/**
 * A worker thread for `check --jobs n`: compiles the criteria once, then evaluates and renders
 * batches of records in the order given. Messages: init (workerData), { seq, items } → { seq, results }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileCriteria, formatDiagnosticLine, loadCriteria, REPORTERS, SummaryBuilder, type ReportFormat, type ReporterOptions, type SummaryState } from '../index.js';
import { evaluateItem, type WorkItem } from './evaluate-item.js';

export interface WorkerInit {
  criteriaFile: string;
  criteriaText: string;
  asOf: string;
  format: ReportFormat;
  reporter: ReporterOptions;
}

/**
 * A batch's results: the rendered patients already joined (with the reporter's separator between
 * them) and UTF-8 encoded, sent as a transferred buffer so the main thread only writes bytes; the
 * batch's summary counts as plain numbers (merged by the main thread); per record only its id and
 * its diagnostic lines (most records have none).
 */
export interface WorkerBatch {
  bytes: Uint8Array;
  ids: string[];
  /** Record index in the batch → its diagnostics, formatted for stderr. */
  diagnostics: [number, string[]][];
  summary: SummaryState;
}

const init = workerData as WorkerInit;
const loaded = loadCriteria(init.criteriaFile, init.criteriaText);
if (!loaded.criteria) throw new Error('criteria did not load in the worker');
const compiled = compileCriteria(loaded.criteria);
const reporter = REPORTERS[init.format](init.reporter);
const summary = new SummaryBuilder(compiled);

const separator = reporter.separator ?? '';
/**
 * One buffer per worker, kept for the whole run (grown when a batch needs more): encoding into fresh
 * memory for every batch cost more than encoding into warm pages and sending an exact-size copy.
 */
let buf = Buffer.allocUnsafeSlow(4 * 1024 * 1024);

parentPort!.on('message', (msg: { seq: number; items: WorkItem[] }) => {
  // each patient's text is UTF-8 encoded straight into the buffer: no joining of large strings
  let off = 0;
  const put = (s: string) => {
    const max = s.length * 3;
    if (off + max > buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, off + max));
      buf.copy(bigger, 0, 0, off);
      buf = bigger;
    }
    off += buf.write(s, off, 'utf8');
  };
  const ids: string[] = new Array(msg.items.length);
  const diagnostics: [number, string[]][] = [];
  summary.reset();
  for (let i = 0; i < msg.items.length; i++) {
    const p = evaluateItem(compiled, init.asOf, msg.items[i]!);
    if (i > 0 && separator) put(separator);
    put(reporter.patient(p));
    ids[i] = p.id;
    if (p.diagnostics?.length) diagnostics.push([i, p.diagnostics.map(formatDiagnosticLine)]);
    summary.add(p);
  }
  // Uint8Array#slice copies into its own ArrayBuffer of exactly this size, which is then transferred
  const bytes = Uint8Array.prototype.slice.call(buf, 0, off);
  const batch: WorkerBatch = { bytes, ids, diagnostics, summary: summary.state() };
  parentPort!.postMessage({ seq: msg.seq, batch }, [bytes.buffer]);
});
