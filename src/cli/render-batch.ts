/**
 * Evaluate and render one batch of records into UTF-8 bytes, with the batch's summary counts: the
 * same code in worker threads and in the main thread (which takes its share of the batches with
 * `--jobs n`), so the output does not depend on where a batch was done.
 */
import { formatDiagnosticLine, SummaryBuilder, type CompiledCriteria, type Reporter, type SummaryState } from '../index.js';
import { evaluateItem, type WorkItem } from './evaluate-item.js';

/**
 * A batch's results: the rendered patients already joined (with the reporter's separator between
 * them) and UTF-8 encoded, in an ArrayBuffer of its own (a worker transfers it, so the main thread
 * only writes bytes); the batch's summary counts as plain numbers (merged by the main thread); per
 * record only its id and its diagnostic lines (most records have none).
 */
export interface RenderedBatch {
  bytes: Uint8Array<ArrayBuffer>;
  ids: string[];
  /** Record index in the batch → its diagnostics, formatted for stderr. */
  diagnostics: [number, string[]][];
  summary: SummaryState;
}

export class BatchRenderer {
  private readonly summary: SummaryBuilder;
  private readonly separator: string;
  private readonly terminator: string;
  /**
   * One buffer, kept for the whole run (grown when a batch needs more): encoding into fresh memory
   * for every batch cost more than encoding into warm pages and copying out an exact-size result.
   */
  private buf = Buffer.allocUnsafeSlow(4 * 1024 * 1024);

  constructor(
    private readonly compiled: CompiledCriteria,
    private readonly asOf: string,
    private readonly reporter: Reporter,
  ) {
    this.summary = new SummaryBuilder(compiled);
    this.separator = reporter.separator ?? '';
    this.terminator = reporter.terminator ?? '';
  }

  render(items: readonly WorkItem[]): RenderedBatch {
    // each patient's text is UTF-8 encoded straight into the buffer: no joining of large strings
    let off = 0;
    const put = (s: string) => {
      const max = s.length * 3;
      if (off + max > this.buf.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, off + max));
        this.buf.copy(bigger, 0, 0, off);
        this.buf = bigger;
      }
      off += this.buf.write(s, off, 'utf8');
    };
    const ids: string[] = new Array(items.length);
    const diagnostics: [number, string[]][] = [];
    this.summary.reset();
    for (let i = 0; i < items.length; i++) {
      const p = evaluateItem(this.compiled, this.asOf, items[i]!);
      if (i > 0 && this.separator) put(this.separator);
      put(this.reporter.patient(p));
      if (this.terminator) put(this.terminator);
      ids[i] = p.id;
      if (p.diagnostics?.length) diagnostics.push([i, p.diagnostics.map(formatDiagnosticLine)]);
      this.summary.add(p);
    }
    // Uint8Array#slice copies into its own ArrayBuffer of exactly this size (transferable)
    const bytes = Uint8Array.prototype.slice.call(this.buf, 0, off);
    return { bytes, ids, diagnostics, summary: this.summary.state() };
  }
}
