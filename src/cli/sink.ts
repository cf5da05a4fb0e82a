/**
 * Buffered output with backpressure: text is UTF-8 encoded straight into ~1 MiB byte chunks (no
 * joining of large strings); a full chunk goes to the target, and when the target says it is full,
 * the caller awaits `drain`. A closed pipe (`| head`) marks the sink broken so the run stops quietly
 * instead of failing with EPIPE.
 */
import type { OutStream } from './io.js';

const CHUNK = 1024 * 1024;
/** Written chunks kept for reuse. */
const SPARE = 3;

export class Sink {
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  private readonly spare: Buffer[] = [];
  private off = 0;
  /**
   * Set when the target asks us to wait (write returned false): resolves on its next `drain`. The
   * listener is attached at once, not when someone settles: the caller may await other I/O (reading
   * the next input chunk) in between, and a `drain` emitted then must not be missed.
   */
  private drained: Promise<void> | undefined;
  broken: Error | undefined;

  constructor(private readonly target: Omit<OutStream, 'write'> & { write(chunk: string | Uint8Array, written?: (e?: Error | null) => void): boolean | void } & { on?(event: 'error', cb: (e: Error) => void): unknown }) {
    target.on?.('error', (e: Error) => {
      this.broken = e;
    });
  }

  /**
   * Queue text or UTF-8 bytes without waiting; the caller awaits `settle()` now and then (e.g. once
   * per batch) to honour backpressure.
   */
  push(s: string | Uint8Array): void {
    if (!s.length || this.broken) return;
    if (typeof s === 'string') {
      // a UTF-16 code unit is at most 3 UTF-8 bytes
      const max = s.length * 3;
      if (max > CHUNK - this.off) {
        this.emit();
        if (max > CHUNK) {
          this.send(Buffer.from(s, 'utf8'));
          return;
        }
      }
      this.off += this.buf.write(s, this.off, 'utf8');
    } else {
      if (s.length > CHUNK - this.off) {
        this.emit();
        if (s.length > CHUNK) {
          this.send(s);
          return;
        }
      }
      this.buf.set(s, this.off);
      this.off += s.length;
    }
  }

  /** Queue and wait for the target when it is full. */
  async write(s: string | Uint8Array): Promise<void> {
    this.push(s);
    await this.settle();
  }

  /** Resolves when the target can take more (at once unless it said it was full). */
  async settle(): Promise<void> {
    if (this.drained) await this.waitDrained(this.drained);
  }

  async flush(): Promise<void> {
    this.emit();
    await this.settle();
  }

  /**
   * Hand the filled part of the chunk to the target and go on in another chunk. The target may keep
   * the chunk until it is written; a chunk comes back for reuse when the target's write callback says
   * so (a target without callbacks simply keeps its chunks). Reusing a few chunks instead of
   * allocating a fresh MiB every ~70 patients keeps megabytes of dead buffers from piling up between
   * garbage collections.
   */
  private emit(): void {
    if (!this.off) return;
    const chunk = this.buf;
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK);
    const out = chunk.subarray(0, this.off);
    this.off = 0;
    this.send(out, () => {
      if (this.spare.length < SPARE) this.spare.push(chunk);
    });
  }

  private send(bytes: Uint8Array, written?: () => void): void {
    if (this.broken) return;
    try {
      const ok = written ? this.target.write(bytes, (e) => (e ? undefined : written())) : this.target.write(bytes);
      if (ok === false && this.target.once && !this.drained) {
        this.drained = new Promise<void>((resolve) => {
          this.target.once!('drain', () => {
            this.drained = undefined;
            resolve();
          });
        });
      }
    } catch (e) {
      this.broken = e as Error;
    }
  }

  private async waitDrained(drained: Promise<void>): Promise<void> {
    // a broken pipe never drains: the error listener set in the constructor marks the sink broken
    let poll: ReturnType<typeof setInterval> | undefined;
    const broken = new Promise<void>((resolve) => {
      poll = setInterval(() => {
        if (this.broken) resolve();
      }, 50);
    });
    try {
      await Promise.race([drained, broken]);
    } finally {
      clearInterval(poll);
    }
  }
}
