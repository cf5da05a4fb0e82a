/**
 * Reading inputs: expand files, directories and `-`, and yield each record (or a located error)
 * with its source. Format by extension, `--input-format`, or sniffed from the content.
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { detectFormat, diag, parseNdjsonLine, sniffFormat, TEXT_PARSERS, type Diagnostic, type InputFormat, type InputItem } from '../index.js';
import type { Io } from './io.js';

/** Whole-file inputs (JSON, YAML) are read into memory up to this size; NDJSON is streamed. */
const MAX_WHOLE_FILE = 256 * 1024 * 1024;

/** Expand inputs: files, directories (recursively, supported extensions, sorted), `-` for stdin. */
export async function expandInputs(io: Io, inputs: string[], problems: Diagnostic[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const names = (await io.readdir(dir)).sort();
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = join(dir, n);
      const st = await io.stat(p);
      if (st.isDirectory()) await walk(p);
      else if (detectFormat(p)) out.push(p);
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
      continue;
    }
    try {
      const st = await io.stat(input);
      if (st.isDirectory()) await walk(input);
      else out.push(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(diag(code === 'ENOENT' ? 'file/not-found' : 'file/unreadable', `cannot read input ${input}${code && code !== 'ENOENT' ? ` (${code})` : ''}`, { file: input }));
    }
  }
  return out;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Yield the items of one input (streamed for NDJSON). */
export async function* itemsOf(io: Io, file: string, forced: InputFormat | undefined, problems: Diagnostic[]): AsyncGenerator<InputItem> {
  const label = file === '-' ? '<stdin>' : file;
  let format = forced ?? (file === '-' ? undefined : detectFormat(file));
  if (format === 'ndjson') {
    const stream = file === '-' ? io.stdin : io.openRead(file);
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNo = 0;
    let record = 0;
    try {
      for await (const line of rl) {
        lineNo++;
        if (!line.trim()) continue;
        record++;
        const item = parseNdjsonLine(label, lineNo, record, line);
        if (item) yield item;
      }
    } catch (e) {
      problems.push(diag('file/unreadable', `cannot read ${label}: ${(e as Error).message}`, { file: label }));
    }
    return;
  }
  let text: string;
  try {
    if (file === '-') text = await readAll(io.stdin);
    else {
      const st = await io.stat(file);
      if (st.size > MAX_WHOLE_FILE) {
        problems.push(diag('file/too-large', `${file} is larger than ${MAX_WHOLE_FILE} bytes; use NDJSON for large batches`, { file }));
        return;
      }
      text = (await io.readFile(file)).toString('utf8');
    }
  } catch (e) {
    problems.push(diag('file/unreadable', `cannot read ${label}: ${(e as Error).message}`, { file: label }));
    return;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  format ??= sniffFormat(text);
  if (format === 'ndjson') {
    let record = 0;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.trim()) continue;
      record++;
      const item = parseNdjsonLine(label, i + 1, record, lines[i]!);
      if (item) yield item;
    }
    return;
  }
  if (!format) {
    problems.push(diag('input/unsupported-format', `cannot tell the format of ${label}; use --input-format`, { file: label }));
    return;
  }
  yield* TEXT_PARSERS[format](label, text);
}

