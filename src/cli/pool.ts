/** A small pool of worker threads with results returned in submission order. */
import { Worker } from 'node:worker_threads';
import type { WorkItem } from './evaluate-item.js';
import type { WorkerInit } from './worker.js';
import type { RenderedBatch } from './render-batch.js';

export class WorkerPool {
  /** Started on first use: a run with one batch starts one worker, however large n is. */
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (r: RenderedBatch) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private failed: Error | undefined;

  constructor(private readonly n: number, private readonly init: WorkerInit) {}

  private worker(i: number): Worker {
    const existing = this.workers[i];
    if (existing) return existing;
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: this.init });
    w.on('message', (m: { seq: number; batch: RenderedBatch }) => {
      const p = this.waiting.get(m.seq);
      this.waiting.delete(m.seq);
      p?.resolve(m.batch);
    });
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`worker exited with code ${code}`));
    });
    this.workers[i] = w;
    return w;
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  /** Evaluate a batch on the next worker (round robin); each worker keeps its queue in order. */
  run(items: WorkItem[]): Promise<RenderedBatch> {
    if (this.failed) return Promise.reject(this.failed);
    const seq = this.seq++;
    const w = this.worker(seq % this.n);
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      w.postMessage({ seq, items });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
