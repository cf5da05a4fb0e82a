/**
 * Buffered output with backpressure: small writes are gathered into ~64 KiB chunks; when the
 * target says it is full, the caller awaits `drain`. A closed pipe (`| head`) marks the sink
 * broken so the run stops quietly instead of failing with EPIPE.
 */
import type { OutStream } from './io.js';

const CHUNK = 64 * 1024;

export class Sink {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  broken: Error | undefined;

  constructor(private readonly target: Omit<OutStream, 'write'> & { write(chunk: string | Uint8Array): boolean | void } & { on?(event: 'error', cb: (e: Error) => void): unknown }) {
    target.on?.('error', (e: Error) => {
      this.broken = e;
    });
  }

  /** Queue text or UTF-8 bytes; resolves after a flush when the buffer is full. */
  async write(s: string | Uint8Array): Promise<void> {
    if (!s.length || this.broken) return;
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.parts.length || this.broken) return;
    const parts = this.parts;
    const text = parts.every((p) => typeof p === 'string')
      ? (parts as string[]).join('')
      : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    this.parts = [];
    this.size = 0;
    let ok: boolean | void;
    try {
      ok = this.target.write(text);
    } catch (e) {
      this.broken = e as Error;
      return;
    }
    if (ok === false && this.target.once) {
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
    }
  }
}
