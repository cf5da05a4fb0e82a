/**
 * Byte-level decoding of inputs with bounds: gzip (every member, with its CRC and length checked, a
 * bound on the decompression ratio, and what was decoded before a truncation, corruption or trailing
 * garbage kept), and lines of bounded length. Problems are reported through `onProblem` as text; the
 * caller turns them into located diagnostics. Memory stays bounded by the record limit.
 */
import { constants, crc32, createInflateRaw } from 'node:zlib';

export interface DecodeLimits {
  /** Largest record (line, JSON element, YAML document, CSV row), in characters. */
  maxRecordChars: number;
  /** Largest decompressed/compressed ratio (checked once the output passes RATIO_FLOOR bytes). */
  maxRatio: number;
}

/** Default limits (documented in docs/records.md): 32 MiB per record, 200:1 for gzip. */
export const DEFAULT_LIMITS: DecodeLimits = { maxRecordChars: 32 * 1024 * 1024, maxRatio: 200 };

/** Below this many decompressed bytes the ratio is not checked (small files compress very well). */
const RATIO_FLOOR = 16 * 1024 * 1024;

export type DecodeProblem = { kind: 'corrupt' | 'too-large'; message: string };

/** Reads a byte source one chunk at a time, with unread bytes pushed back. */
class ByteReader {
  private pending: Buffer[] = [];
  private readonly it: AsyncIterator<Buffer | string>;
  done = false;
  constructor(source: AsyncIterable<Buffer | string>) {
    this.it = source[Symbol.asyncIterator]();
  }
  async next(): Promise<Buffer | undefined> {
    if (this.pending.length) return this.pending.shift();
    if (this.done) return undefined;
    const n = await this.it.next();
    if (n.done) {
      this.done = true;
      return undefined;
    }
    return typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
  }
  unshift(b: Buffer): void {
    if (b.length) this.pending.unshift(b);
  }
  /** At least `n` bytes (fewer only at the end of the input). */
  async take(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const b = await this.next();
      if (!b) break;
      parts.push(b);
      have += b.length;
    }
    return Buffer.concat(parts);
  }
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** Length of a gzip member header at the start of `b`, 0 when it is not one, -1 when `b` is too short to tell. */
function gzipHeaderLength(b: Buffer): number {
  if (b.length < 10) return b.length >= 2 && (b[0] !== 0x1f || b[1] !== 0x8b) ? 0 : -1;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return 0;
  const flags = b[3]!;
  let p = 10;
  if (flags & 4) {
    if (b.length < p + 2) return -1;
    p += 2 + b.readUInt16LE(p);
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const z = b.indexOf(0, p);
      if (z < 0) return -1;
      p = z + 1;
    }
  }
  if (flags & 2) p += 2;
  return p > b.length ? -1 : p;
}

/**
 * Decompress a gzip byte source (one or more members). Ends early, after yielding everything decoded
 * so far, on a truncated or corrupt member, on trailing bytes that are not another member (zero
 * padding is allowed), or when the output grows past `maxRatio` times the input read.
 */
export async function* gunzip(source: AsyncIterable<Buffer | string>, limits: DecodeLimits, onProblem: (p: DecodeProblem) => void): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  let inBytes = 0;
  let outBytes = 0;
  let member = 0;
  try {
    for (;;) {
      // the header of the next member (or the end of the input)
      let head = await reader.take(10);
      let hl = gzipHeaderLength(head);
      while (hl < 0 && !reader.done) {
        head = Buffer.concat([head, await reader.take(head.length + 1024)]);
        hl = gzipHeaderLength(head);
      }
      if (head.length === 0) return;
      if (hl <= 0) {
        if (member > 0 && head.every((x) => x === 0)) {
          // zero padding after the last member is common and harmless; anything else is reported
          let rest: Buffer | undefined;
          while ((rest = await reader.next())) {
            if (!rest.every((x) => x === 0)) break;
          }
          if (!rest) return;
        }
        onProblem({ kind: 'corrupt', message: member > 0 ? `unexpected data after the end of the gzip stream (at byte ${inBytes + 1}); it is not read` : 'not gzip data' });
        return;
      }
      member++;
      inBytes += hl;
      reader.unshift(head.subarray(hl));
      // the deflate data: fed one chunk at a time; the member ends where the inflater stops consuming
      const inf = createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH });
      const out: Buffer[] = [];
      let error: Error | undefined;
      let crc = 0;
      let size = 0;
      inf.on('data', (d: Buffer) => {
        out.push(d);
        crc = crc32(d, crc);
        size += d.length;
      });
      inf.on('error', (e) => {
        error = e;
      });
      let fed = 0;
      let ended = false;
      for (;;) {
        const chunk = await reader.next();
        if (!chunk) break;
        await new Promise<void>((resolve) => inf.write(chunk, () => resolve()));
        await new Promise<void>((resolve) => setImmediate(resolve));
        fed += chunk.length;
        for (const d of out) {
          outBytes += d.length;
          yield d;
        }
        out.length = 0;
        if (outBytes > RATIO_FLOOR && outBytes > limits.maxRatio * (inBytes + fed)) {
          onProblem({ kind: 'too-large', message: `decompresses to more than ${limits.maxRatio} times its size (a decompression bomb?); reading stopped after ${outBytes} bytes (raise the bound with --max-ratio)` });
          inf.destroy();
          return;
        }
        if (error) break;
        if (inf.bytesWritten < fed) {
          // the member ended inside this chunk: the rest is its trailer and what follows
          ended = true;
          reader.unshift(chunk.subarray(chunk.length - (fed - inf.bytesWritten)));
          break;
        }
      }
      if (!ended && !error) {
        // the input ended inside the member: keep what was decoded
        await new Promise<void>((resolve) => inf.end(() => resolve()));
        await new Promise<void>((resolve) => setImmediate(resolve));
        for (const d of out) yield d;
        out.length = 0;
        if (inf.bytesWritten >= fed) {
          onProblem({ kind: 'corrupt', message: `the gzip data is truncated (it ends after ${inBytes + fed} bytes, inside member ${member})` });
          return;
        }
      }
      if (error) {
        onProblem({ kind: 'corrupt', message: `the gzip data is corrupt (${error.message}) after ${inBytes + fed} bytes` });
        inf.destroy();
        return;
      }
      inBytes += inf.bytesWritten;
      inf.destroy();
      const trailer = await reader.take(8);
      if (trailer.length < 8) {
        onProblem({ kind: 'corrupt', message: `the gzip data is truncated (member ${member} has no complete trailer)` });
        return;
      }
      reader.unshift(trailer.subarray(8));
      inBytes += 8;
      if (trailer.readUInt32LE(0) !== crc >>> 0 || trailer.readUInt32LE(4) !== size % 2 ** 32) {
        onProblem({ kind: 'corrupt', message: `the gzip data is corrupt (member ${member} fails its CRC or length check)` });
        return;
      }
    }
  } finally {
    await reader.close();
  }
}

export type BoundedLine = { text: string; line: number } | { tooLong: true; line: number };

/** The whole lines one input chunk completed: `texts[i]` is line `first + i`. */
export interface LineBatch {
  texts: string[];
  first: number;
  /** On the last batch: this line is longer than the bound, and the reading stops there. */
  tooLong?: number;
}

/** A line's text without its `\r` (of `\r\n`). */
const lineText = (b: Buffer, start: number, end: number): string => b.toString('utf8', start, end > start && b[end - 1] === 13 ? end - 1 : end);

/**
 * Lines of text (without their `\n` or `\r\n`) from a byte or string source, each at most
 * `maxBytes` long, a batch per input chunk (the lines it completed): a longer line ends the last
 * batch with `tooLong` and the reading stops there (a line that never ends, such as /dev/zero, would
 * otherwise be read forever). Lines are cut at the byte level (a newline byte never occurs inside a
 * UTF-8 sequence) and held as bytes until whole, outside the JS heap; a line within one chunk is
 * decoded straight from it. A UTF-8 byte order mark at the start is skipped. One batch per chunk,
 * not one item per line: a consumer pays the asynchronous hand-over once per chunk.
 */
export async function* lineBatches(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<LineBatch> {
  let parts: Buffer[] = [];
  let len = 0;
  let line = 0;
  let first = true;
  for await (const chunk of source) {
    let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (first && b.length) {
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
      first = false;
    }
    const batch: LineBatch = { texts: [], first: line + 1 };
    let start = 0;
    for (;;) {
      const nl = b.indexOf(10, start);
      const end = nl < 0 ? b.length : nl;
      if (len + (end - start) > maxBytes) {
        batch.tooLong = line + 1;
        yield batch;
        return;
      }
      if (nl < 0) {
        if (end > start) {
          parts.push(b.subarray(start));
          len += end - start;
        }
        break;
      }
      line++;
      if (len === 0) batch.texts.push(lineText(b, start, nl));
      else {
        parts.push(b.subarray(start, nl));
        const all = Buffer.concat(parts);
        parts = [];
        len = 0;
        batch.texts.push(lineText(all, 0, all.length));
      }
      start = nl + 1;
    }
    if (batch.texts.length) yield batch;
  }
  if (len > 0) {
    const all = Buffer.concat(parts);
    yield { texts: [lineText(all, 0, all.length)], first: line + 1 };
  }
}

/** The lines of `lineBatches` one at a time (for readers that take a line at a time, such as YAML). */
export async function* boundedLines(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<BoundedLine> {
  for await (const b of lineBatches(source, maxBytes)) {
    for (let i = 0; i < b.texts.length; i++) yield { text: b.texts[i]!, line: b.first + i };
    if (b.tooLong !== undefined) yield { tooLong: true, line: b.tooLong };
  }
}
