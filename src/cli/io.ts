/**
 * The only place elig touches the outside world: files, stdin/stdout/stderr, environment, clock.
 * Everything else takes an `Io` and stays testable (tests pass an in-memory Io).
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { Readable } from 'node:stream';

export interface OutStream {
  write(chunk: string): boolean | void;
  isTTY?: boolean;
  columns?: number;
  /** Resolves when buffered output has drained (for backpressure); optional. */
  once?(event: 'drain', cb: () => void): unknown;
}

export interface Io {
  readFile(path: string): Promise<Buffer>;
  /** A stream of the file's bytes (for large inputs). */
  openRead(path: string): Readable;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number }>;
  readdir(path: string): Promise<string[]>;
  writeFile(path: string, data: string): Promise<void>;
  stdin: Readable;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** Today's date as YYYY-MM-DD (UTC); the default for --as-of. */
  today(): string;
  cwd(): string;
}

export function nodeIo(): Io {
  return {
    readFile: (p) => fsp.readFile(p),
    openRead: (p) => createReadStream(p),
    stat: (p) => fsp.stat(p),
    readdir: (p) => fsp.readdir(p),
    writeFile: (p, d) => fsp.writeFile(p, d, 'utf8'),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    today: () => new Date().toISOString().slice(0, 10),
    cwd: () => process.cwd(),
  };
}
