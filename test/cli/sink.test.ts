import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Sink } from '../../src/cli/sink.js';

/** A target like a Node Writable: write() says false past its high-water mark and emits `drain` later. */
class SlowTarget extends EventEmitter {
  readonly chunks: Uint8Array[] = [];
  readonly buffers = new Set<ArrayBufferLike>();
  pending = 0;
  constructor(private readonly callbacks: boolean) {
    super();
  }
  write(chunk: string | Uint8Array, written?: (e?: Error | null) => void): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    // copy now (what the OS would receive), then hand the chunk back a little later
    this.chunks.push(Uint8Array.from(bytes));
    this.buffers.add(bytes.buffer);
    this.pending++;
    setImmediate(() => {
      this.pending--;
      if (this.callbacks) written?.(null);
      if (this.pending === 0) this.emit('drain');
    });
    return false;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const line = (i: number) => `${JSON.stringify({ i, pad: 'x≥'.repeat(2000) })}\n`;

/** Push n lines (settling every `settleEvery`), flush, and return what should have been written. */
async function pump(sink: Sink, n: number, settleEvery: number): Promise<string> {
  let expected = '';
  for (let i = 0; i < n; i++) {
    sink.push(line(i));
    expected += line(i);
    if (i % settleEvery === 0) await sink.settle();
  }
  await sink.flush();
  return expected;
}

describe('Sink', () => {
  it('does not miss a drain emitted while the caller awaited other I/O (was a hang with -o)', async () => {
    const target = new SlowTarget(true);
    const sink = new Sink(target);
    let expected = '';
    for (let i = 0; i < 600; i++) {
      sink.push(line(i));
      expected += line(i);
      // the caller reads its next input chunk: the event loop turns and the target drains meanwhile
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 2));
      if (i % 256 === 0) await sink.settle();
    }
    await sink.flush();
    expect(target.text()).toBe(expected);
  });

  it('reuses written chunks when the target says they were written, without corrupting output', async () => {
    const target = new SlowTarget(true);
    const expected = await pump(new Sink(target), 3000, 100);
    expect(target.text()).toBe(expected);
    // ~12 MB went through 1 MiB chunks, but only a handful of distinct buffers were ever allocated
    expect(target.chunks.length).toBeGreaterThan(10);
    expect(target.buffers.size).toBeLessThanOrEqual(5);
  });

  it('allocates fresh chunks for a target without write callbacks', async () => {
    const target = new SlowTarget(false);
    const expected = await pump(new Sink(target), 1000, 100);
    expect(target.text()).toBe(expected);
    expect(target.buffers.size).toBe(target.chunks.length);
  });
});
