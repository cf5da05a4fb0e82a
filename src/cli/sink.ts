/**
 * Buffered output with backpressure: text is UTF-8 encoded straight into ~1 MiB byte chunks (no
 * joining of large strings); a full chunk goes to the target, and when the target says it is full,
 * the caller awaits `drain`. A closed pipe (`| head`) marks the sink broken so the run stops quietly
 * instead of failing with EPIPE.
 */
import type { OutStream } from './io.js';

const CHUNK = 1024 * 1024;

export class Sink {
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  private off = 0;
  /** The target asked us to wait (write returned false). */
  private full = false;
  broken: Error | undefined;

  constructor(private readonly target: Omit<OutStream, 'write'> & { write(chunk: string | Uint8Array): boolean | void } & { on?(event: 'error', cb: (e: Error) => void): unknown }) {
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
    if (this.full) await this.drain();
  }

  async flush(): Promise<void> {
    this.emit();
    await this.settle();
  }

  /** Hand the filled part of the chunk to the target and start a new chunk (the target may keep the old one). */
  private emit(): void {
    if (!this.off) return;
    const out = this.buf.subarray(0, this.off);
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.off = 0;
    this.send(out);
  }

  private send(bytes: Uint8Array): void {
    if (this.broken) return;
    try {
      if (this.target.write(bytes) === false && this.target.once) this.full = true;
    } catch (e) {
      this.broken = e as Error;
    }
  }

  private async drain(): Promise<void> {
    // a broken pipe never drains: the error listener set in the constructor marks the sink broken
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          clearInterval(poll);
          resolve();
        }
      };
      this.target.once!('drain', finish);
      const poll = setInterval(() => {
        if (this.broken) finish();
      }, 50);
    });
    this.full = false;
  }
}
