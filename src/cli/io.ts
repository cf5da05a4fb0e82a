/**
 * The only place elig touches the outside world: files, stdin/stdout/stderr, environment, clock.
 * Everything else takes an `Io` and stays testable (tests pass an in-memory Io).
 */
import { createReadStream, createWriteStream, promises as fsp, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { EXIT, isClosedPipe } from './exit-code.js';

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

/**
 * A writable file or stream target: write (false = wait for drain), end when done. A regular file is
 * written under a temporary name beside it and renamed by `end`, so an interrupted or failed run never
 * leaves a half-written report under the final name; `abort` removes the temporary file.
 */
export interface WriteTarget extends OutStream {
  end(): Promise<void>;
  abort?(): Promise<void>;
  on?(event: 'error', cb: (e: Error) => void): unknown;
}

export interface Io {
  readFile(path: string): Promise<Buffer>;
  /** A stream of the file's bytes (for large inputs). */
  openRead(path: string): Readable;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number }>;
  /** The canonical path (symbolic links resolved); optional (tests): then the path itself. */
  realpath?(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  writeFile(path: string, data: string): Promise<void>;
  /**
   * Called (repeatedly) once a check has done more than a couple of thousand records: bin/elig.js starts
   * V8 with a large interrupt budget so that a short check does not spend its time optimising code it
   * will hardly run; a long run gets V8's default back (optional).
   */
  longRun?(): void;
  /** Create a directory and its parents (optional: without it, nothing that needs one is written). */
  mkdir?(path: string): Promise<void>;
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
  /**
   * The error stdout failed with, if it did (optional): EPIPE when its reader went away (`| head`),
   * else a failure to write (ENOSPC). Set by a listener, so a failed write never crashes the process.
   */
  stdoutError?(): Error | undefined;
}

let stdoutError: Error | undefined;
let stdoutErrorSeen = false;
let stdioGuarded = false;

/**
 * Without an 'error' listener, a write to a closed pipe (`elig check --help | head -1`) is an
 * unhandled EPIPE: a crash with a stack trace. Listened to once per process: a closed stdout makes
 * the exit code 141 (as `cat` killed by SIGPIPE), even when the error arrives after the command has
 * returned its code; commands see it through `Io.stdoutError` and stop. A closed stderr leaves
 * nothing to tell.
 */
function guardStdio(): void {
  if (stdioGuarded) return;
  stdioGuarded = true;
  process.stdout.on('error', (e: Error) => {
    stdoutError ??= e;
    process.exitCode = isClosedPipe(e) ? EXIT.outputClosed : EXIT.cannotRun;
  });
  process.stderr.on('error', () => undefined);
  // a write error that arrived after the command returned (nobody read Io.stdoutError) is still said
  process.once('exit', () => {
    if (stdoutError && !stdoutErrorSeen && !isClosedPipe(stdoutError)) process.stderr.write(`elig: cannot write to stdout: ${(stdoutError as NodeJS.ErrnoException).code ?? stdoutError.message}\n`);
  });
}

/** V8's own interrupt budget in Node 20 (node --v8-options), which bin/elig.js raises for short runs. */
const V8_DEFAULT_INTERRUPT_BUDGET = 67584;
let longRun = false;

export function nodeIo(): Io {
  guardStdio();
  return {
    readFile: (p) => fsp.readFile(p),
    // 16 KiB reads: 64 KiB reads saved ≈ 5 µs of CPU per seed-trial record but cost ≈ 15 MiB of peak
    // RSS (docs/development.md, "Third pass: the pipeline"), and CSV holds fewer parsed rows at once
    openRead: (p) => createReadStream(p, { highWaterMark: 16 * 1024 }),
    stat: (p) => fsp.stat(p),
    realpath: (p) => fsp.realpath(p),
    readdir: (p) => fsp.readdir(p),
    writeFile: async (p, d) => {
      const tmp = tempBesideSync(p);
      if (tmp === undefined) return fsp.writeFile(p, d, 'utf8');
      try {
        await fsp.writeFile(tmp, d, 'utf8');
        await fsp.rename(tmp, p);
      } catch (e) {
        await fsp.rm(tmp, { force: true });
        throw e;
      }
    },
    longRun: () => {
      if (longRun) return;
      longRun = true;
      setFlagsFromString(`--interrupt-budget=${V8_DEFAULT_INTERRUPT_BUDGET}`);
    },
    mkdir: async (p) => {
      await fsp.mkdir(p, { recursive: true });
    },
    openWrite: (p) => {
      // the temporary name is chosen synchronously: a regular file (or a new one) gets one, a
      // device or FIFO (/dev/stdout, /dev/full, a named pipe) is written in place
      const tmp = tempBesideSync(p);
      const ws = createWriteStream(tmp ?? p);
      let failed = false;
      ws.on('error', () => {
        failed = true;
      });
      const remove = async () => {
        if (tmp !== undefined) await fsp.rm(tmp, { force: true });
      };
      return {
        write: (s: string | Uint8Array, written?: (e?: Error | null) => void) => (written ? ws.write(s, written) : ws.write(s)),
        once: (ev: 'drain', cb: () => void) => ws.once(ev, cb),
        on: (ev: 'error', cb: (e: Error) => void) => ws.on(ev, cb),
        end: async () => {
          try {
            await new Promise<void>((resolve, reject) => {
              if (failed || ws.destroyed) {
                reject(ws.errored ?? new Error('write failed'));
                return;
              }
              ws.once('error', reject);
              ws.end(resolve);
            });
            if (tmp !== undefined) await fsp.rename(tmp, p);
          } catch (e) {
            await remove();
            throw e;
          }
        },
        abort: async () => {
          ws.destroy();
          await remove();
        },
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
    stdoutError: () => {
      if (stdoutError) stdoutErrorSeen = true;
      return stdoutError;
    },
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

/** A temporary name beside `path` when it is (or will be) a regular file; undefined for devices and FIFOs. */
function tempBesideSync(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    /* a new file */
  }
  return join(dirname(path), `.${basename(path)}.elig-${process.pid}-${Date.now().toString(36)}.tmp`);
}
