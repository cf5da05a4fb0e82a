/**
 * The only place elig touches the outside world: files, stdin/stdout/stderr, environment, clock.
 * Everything else takes an `Io` and stays testable (tests pass an in-memory Io).
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { availableParallelism } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface OutStream {
  /** `written`, when the stream supports it, is called once the chunk has been handed on (then it may be reused). */
  write(chunk: string | Uint8Array, written?: (e?: Error | null) => void): boolean | void;
  isTTY?: boolean;
  columns?: number;
  /** Resolves when buffered output has drained (for backpressure); optional. */
  once?(event: 'drain', cb: () => void): unknown;
}

/** Scratch files for grouping inputs larger than memory (FHIR Bulk Data); removed by `dispose`. */
export interface Scratch {
  append(name: string, data: string): Promise<void>;
  lines(name: string): AsyncIterable<string>;
  dispose(): Promise<void>;
}

/** A writable file or stream target: write (false = wait for drain), end when done. */
export interface WriteTarget extends OutStream {
  end(): Promise<void>;
  on?(event: 'error', cb: (e: Error) => void): unknown;
}

export interface Io {
  readFile(path: string): Promise<Buffer>;
  /** A stream of the file's bytes (for large inputs). */
  openRead(path: string): Readable;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number }>;
  readdir(path: string): Promise<string[]>;
  writeFile(path: string, data: string): Promise<void>;
  /** Open a file for streamed writing (reports too large to hold in memory). */
  openWrite(path: string): WriteTarget;
  /** Call `cb` on Ctrl-C (SIGINT); returns a function that removes the handler. */
  onInterrupt(cb: () => void): () => void;
  /** Number of CPUs, for the default --jobs. */
  cpus(): number;
  stdin: Readable;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** Today's date as YYYY-MM-DD (UTC); the default for --as-of. */
  today(): string;
  cwd(): string;
  /** A scratch directory under the system temp dir (optional: without it, scratch stays in memory). */
  scratch?(): Promise<Scratch>;
}

export function nodeIo(): Io {
  return {
    readFile: (p) => fsp.readFile(p),
    openRead: (p) => createReadStream(p, { highWaterMark: 16 * 1024 }),
    stat: (p) => fsp.stat(p),
    readdir: (p) => fsp.readdir(p),
    writeFile: (p, d) => fsp.writeFile(p, d, 'utf8'),
    openWrite: (p) => {
      const ws = createWriteStream(p);
      return {
        write: (s: string | Uint8Array, written?: (e?: Error | null) => void) => (written ? ws.write(s, written) : ws.write(s)),
        once: (ev: 'drain', cb: () => void) => ws.once(ev, cb),
        on: (ev: 'error', cb: (e: Error) => void) => ws.on(ev, cb),
        end: () => new Promise<void>((resolve, reject) => {
          ws.once('error', reject);
          ws.end(resolve);
        }),
      };
    },
    onInterrupt: (cb) => {
      process.on('SIGINT', cb);
      return () => void process.off('SIGINT', cb);
    },
    cpus: () => availableParallelism(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    today: () => new Date().toISOString().slice(0, 10),
    cwd: () => process.cwd(),
    scratch: async () => {
      const dir = await fsp.mkdtemp(join(tmpdir(), 'elig-'));
      const path = (name: string) => join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
      return {
        append: (name, data) => fsp.appendFile(path(name), data, 'utf8'),
        lines: (name) => createInterface({ input: createReadStream(path(name), { encoding: 'utf8' }), crlfDelay: Infinity }),
        dispose: () => fsp.rm(dir, { recursive: true, force: true }),
      };
    },
  };
}
