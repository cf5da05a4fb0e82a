/**
 * Reading inputs: expand files, directories, globs and `-`, and yield each record (or a located
 * error) with its source, streaming: NDJSON line by line, JSON arrays element by element, YAML
 * document by document (and a top-level list item by item), CSV/TSV row by row; `.gz` (or gzip
 * magic bytes on stdin) is decompressed on the fly. Memory stays bounded by the largest record.
 */
import { createInterface } from 'node:readline';
import { dirname, basename, join, resolve as resolvePath, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseCsvStream } from 'csv-parse';
import {
  detectFormat, sniffFormat, diag, parseNdjsonLine, jsonErrorLocation, jsonErrorMessage, JsonArraySplitter, YamlSplitter, parseYamlPiece, planCsv,
  type CsvMapping, type Diagnostic, type InputFormat, type InputItem,
} from '../index.js';
import type { Io } from './io.js';
import type { WorkItem } from './evaluate-item.js';
import { expandFhir, fhirBulkItems, isFhirBulkDir, isFhirBulkListing } from './fhir-bulk.js';

/** One record may not exceed this many characters (JSON element, YAML document or item). */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

export interface ReadOptions {
  format?: InputFormat;
  mapping?: CsvMapping;
  /** NDJSON: yield unparsed lines (parsed later, e.g. in worker threads). */
  rawLines?: boolean;
  /** Called with the size of each chunk read (for progress). */
  onBytes?: (n: number) => void;
}

const GLOB_CHARS = /[*?[]/;

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close > i) {
        re += glob.slice(i, close + 1);
        i = close;
      } else re += '\\[';
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Expand inputs: files, directories (recursively, supported extensions, sorted), globs, `-` for stdin. */
export async function expandInputs(io: Io, inputs: string[], problems: Diagnostic[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, accept: (p: string) => boolean): Promise<void> => {
    const names = (await io.readdir(dir)).sort();
    // FHIR Bulk Data: a directory with Patient.ndjson is one input, joined by fhir-bulk.ts
    if (isFhirBulkListing(names)) {
      out.push(dir);
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = dir === '.' ? n : join(dir, n);
      const st = await io.stat(p);
      if (st.isDirectory()) await walk(p, accept);
      else if (accept(p)) out.push(p);
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
      continue;
    }
    try {
      const st = await io.stat(input);
      if (st.isDirectory()) await walk(input, (p) => detectFormat(p) !== undefined);
      else out.push(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && GLOB_CHARS.test(input)) {
        // a glob: walk from the longest literal directory prefix
        const parts = input.split('/');
        const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
        const base = parts.slice(0, firstGlob).join('/') || '.';
        const re = globToRegExp(input.replace(/^\.\//, ''));
        const before = out.length;
        try {
          await walk(base, (p) => re.test(p.replace(/^\.\//, '')) && detectFormat(p) !== undefined);
        } catch {
          /* base directory missing: reported below */
        }
        if (out.length === before) problems.push(diag('file/not-found', `no input matches ${input}`, { file: input }));
        continue;
      }
      problems.push(diag(code === 'ENOENT' ? 'file/not-found' : 'file/unreadable', `cannot read input ${input}${code && code !== 'ENOENT' ? ` (${code})` : ''}`, { file: input }));
    }
  }
  return out;
}

/**
 * `-o` must never name an input, nor lie inside an input directory or match an input glob: the
 * report would empty its input before it is read, or be read back as patient records. Checked
 * before anything is opened for writing; returns the located problem, or undefined.
 */
export async function outputConflict(io: Io, output: string, inputs: readonly string[], files: readonly string[]): Promise<Diagnostic | undefined> {
  const real = async (p: string): Promise<string> => {
    const abs = resolvePath(io.cwd(), p);
    if (!io.realpath) return abs;
    try {
      return await io.realpath(abs);
    } catch {
      // not there yet: its directory's real path and its name
      try {
        return join(await io.realpath(dirname(abs)), basename(abs));
      } catch {
        return abs;
      }
    }
  };
  const out = await real(output);
  const conflict = (why: string) => diag('usage/invalid-option', `-o ${output} ${why}; the report would overwrite or be read as its own input`, { file: output },
    { hint: 'write the report outside the inputs' });
  for (const f of files) {
    if (f === '-') continue;
    if ((await real(f)) === out) return conflict(`is the input ${f}`);
  }
  for (const input of inputs) {
    if (input === '-') continue;
    let isDir = false;
    try {
      isDir = (await io.stat(input)).isDirectory();
    } catch {
      if (GLOB_CHARS.test(input) && globToRegExp(input.replace(/^\.\//, '')).test(output.replace(/^\.\//, ''))) return conflict(`matches the input pattern ${input}`);
      continue;
    }
    if (isDir) {
      const dir = await real(input);
      if (out.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return conflict(`is inside the input directory ${input}`);
    }
  }
  return undefined;
}

/** The byte stream of an input, gunzipped when it is gzip (by extension or magic bytes). */
async function openStream(io: Io, file: string, onBytes?: (n: number) => void): Promise<{ stream: Readable; first: string }> {
  const raw: Readable = file === '-' ? io.stdin : io.openRead(file);
  const it = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head = await it.next();
  const firstBuf = head.done ? Buffer.alloc(0) : typeof head.value === 'string' ? Buffer.from(head.value) : head.value;
  async function* rest(): AsyncGenerator<Buffer> {
    if (firstBuf.length) {
      onBytes?.(firstBuf.length);
      yield firstBuf;
    }
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      const b = typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
      onBytes?.(b.length);
      yield b;
    }
  }
  const gz = firstBuf.length >= 2 && firstBuf[0] === 0x1f && firstBuf[1] === 0x8b;
  const stream = Readable.from(rest());
  if (!gz) return { stream, first: firstBuf.subarray(0, 512).toString('utf8') };
  // gzip: peek at the decompressed text too, to sniff its format
  return peek(stream.pipe(createGunzip()));
}

async function peek(stream: Readable): Promise<{ stream: Readable; first: string }> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await it.next();
  const firstBuf = head.done ? Buffer.alloc(0) : head.value;
  async function* rest(): AsyncGenerator<Buffer> {
    if (firstBuf.length) yield firstBuf;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  return { stream: Readable.from(rest()), first: firstBuf.subarray(0, 512).toString('utf8') };
}


async function* lines(stream: Readable): AsyncGenerator<string> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const l of rl) yield l;
}

/** Yield the items of one input. Read errors become located diagnostics in `problems`. */
export async function* itemsOf(io: Io, file: string, opts: ReadOptions, problems: Diagnostic[]): AsyncGenerator<WorkItem> {
  const label = file === '-' ? '<stdin>' : file;
  if (file !== '-' && (await isFhirBulkDir(io, file))) {
    yield* fhirBulkItems(io, file, problems);
    return;
  }
  // FHIR resources (a Bundle, a Patient) are detected by content and mapped: src/inputs/fhir/
  // (unparsed NDJSON lines pass through untouched: a line holding a FHIR resource is parsed here)
  yield* expandFhir(itemsOfFormat(io, file, label, opts, problems) as AsyncIterable<InputItem>) as AsyncGenerator<WorkItem>;
}

async function* itemsOfFormat(io: Io, file: string, label: string, opts: ReadOptions, problems: Diagnostic[]): AsyncGenerator<WorkItem> {
  let opened: { stream: Readable; first: string };
  try {
    opened = await openStream(io, file, opts.onBytes);
  } catch (e) {
    problems.push(diag('file/unreadable', `cannot read ${label}: ${(e as Error).message}`, { file: label }));
    return;
  }
  let format = opts.format ?? (file === '-' ? undefined : detectFormat(file));
  if (!format) {
    if (!opened.first && file !== '-') {
      // gzip with an unknown inner extension, or an empty file
      problems.push(diag('input/unsupported-format', `cannot tell the format of ${label}; use --input-format`, { file: label }));
      return;
    }
    format = sniffFormat(opened.first);
  }
  try {
    switch (format) {
      case 'ndjson':
        yield* ndjsonItems(label, opened.stream, opts.rawLines === true);
        break;
      case 'fhir': // a Bundle or Patient as JSON; mapped by expandFhir
      case 'json':
        yield* jsonItems(label, opened.stream);
        break;
      case 'yaml':
        yield* yamlItems(label, opened.stream);
        break;
      case 'csv':
      case 'tsv':
        yield* csvItems(label, opened.stream, format, opts.mapping ?? {}, problems);
        break;
      default:
        problems.push(diag('input/unsupported-format', `input format ${format} is not supported here`, { file: label }));
    }
  } catch (e) {
    problems.push(diag('file/unreadable', `cannot read ${label}: ${(e as Error).message}`, { file: label }));
  }
}

async function* ndjsonItems(label: string, stream: Readable, raw: boolean): AsyncGenerator<WorkItem> {
  let lineNo = 0;
  let record = 0;
  for await (const line of lines(stream)) {
    lineNo++;
    if (!line.trim()) continue;
    record++;
    if (raw && !line.includes('"resourceType"')) {
      yield { kind: 'line', text: line, source: { file: label, record, line: lineNo } };
      continue;
    }
    const item = parseNdjsonLine(label, lineNo, record, line);
    if (item) yield item;
  }
}

function jsonPieceItem(label: string, text: string, line: number, index: number): InputItem {
  if (text.length > MAX_RECORD_CHARS) {
    return { kind: 'error', source: { file: label, record: index, line }, diagnostic: diag('file/too-large', `record ${index} is larger than ${MAX_RECORD_CHARS} characters`, { file: label, line, record: index }) };
  }
  try {
    return { kind: 'record', raw: JSON.parse(text), source: { file: label, record: index, line } };
  } catch (e) {
    // locate the error inside the (possibly multi-line) element
    const pos = jsonErrorLocation(text, e as Error);
    const at = pos ? { line: line + pos.line - 1, column: pos.column } : { line };
    return { kind: 'error', source: { file: label, record: index, line }, diagnostic: diag('syntax/json', jsonErrorMessage(e), { file: label, ...at, record: index }) };
  }
}

async function* jsonItems(label: string, stream: Readable): AsyncGenerator<InputItem> {
  const splitter = new JsonArraySplitter();
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    for (const p of splitter.push(chunk)) yield jsonPieceItem(label, p.text, p.line, p.index);
  }
  const end = splitter.end();
  if (end.unfinished) {
    yield { kind: 'error', source: { file: label, record: end.unfinished.index, line: end.unfinished.line }, diagnostic: diag('syntax/json', 'unexpected end of input: the record is not closed', { file: label, line: end.unfinished.line, record: end.unfinished.index }) };
  } else if (end.unclosedArray) {
    yield { kind: 'error', source: { file: label }, diagnostic: diag('syntax/json', 'unexpected end of input: the list of records is not closed with ]', { file: label }) };
  } else if (splitter.trailing.trim()) {
    yield { kind: 'error', source: { file: label }, diagnostic: diag('syntax/json', `unexpected text after the JSON value: ${JSON.stringify(splitter.trailing.slice(0, 40))}`, { file: label }) };
  }
}

async function* yamlItems(label: string, stream: Readable): AsyncGenerator<InputItem> {
  const splitter = new YamlSplitter();
  let record = 0;
  const emit = function* (pieces: ReturnType<YamlSplitter['line']>): Generator<InputItem> {
    for (const p of pieces) {
      if (p.text.length > MAX_RECORD_CHARS) {
        record++;
        yield { kind: 'error', source: { file: label, record, line: p.line }, diagnostic: diag('file/too-large', `record ${record} is larger than ${MAX_RECORD_CHARS} characters`, { file: label, line: p.line, record }) };
        continue;
      }
      for (const item of parseYamlPiece(label, p, record + 1)) {
        record++;
        yield item;
      }
    }
  };
  for await (const l of lines(stream)) yield* emit(splitter.line(l));
  yield* emit(splitter.end());
}

async function* csvItems(label: string, stream: Readable, format: 'csv' | 'tsv', mapping: CsvMapping, problems: Diagnostic[]): AsyncGenerator<InputItem> {
  const parser = stream.pipe(parseCsvStream({
    delimiter: format === 'tsv' ? '\t' : ',',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    trim: false,
    // a malformed row is reported and skipped; the rows after it are still read
    skip_records_with_error: true,
  }));
  const skipped: { message: string; line?: number }[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => skipped.push({ message: err.message, ...(err.lines !== undefined ? { line: err.lines } : {}) }));
  let plan: ReturnType<typeof planCsv> | undefined;
  let header: string[] = [];
  let record = 0;
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length) {
        const sk = skipped.shift()!;
        record++;
        yield { kind: 'error', source: { file: label, record, ...(sk.line !== undefined ? { line: sk.line } : {}) }, diagnostic: diag('syntax/csv', sk.message, { file: label, ...(sk.line !== undefined ? { line: sk.line } : {}), record }) };
      }
      const line = row.info.lines;
      if (!plan) {
        header = row.record;
        plan = planCsv(label, header, mapping);
        for (const d of plan.diagnostics) problems.push({ ...d, severity: 'warning' });
        continue;
      }
      record++;
      if (row.record.length !== header.length) {
        yield { kind: 'error', source: { file: label, record, line }, diagnostic: diag('record/invalid', `row has ${row.record.length} cells, the header has ${header.length}`, { file: label, line, record }) };
        continue;
      }
      const { record: raw, problems: ps } = plan.row(row.record);
      if (ps.length) {
        yield { kind: 'error', source: { file: label, record, line }, diagnostic: diag('record/invalid', ps.join('; '), { file: label, line, record }) };
        continue;
      }
      if (raw.id === undefined) raw.id = `${label}:${line}`;
      yield { kind: 'record', raw, source: { file: label, record, line } };
    }
    for (const sk of skipped) {
      record++;
      yield { kind: 'error', source: { file: label, record, ...(sk.line !== undefined ? { line: sk.line } : {}) }, diagnostic: diag('syntax/csv', sk.message, { file: label, ...(sk.line !== undefined ? { line: sk.line } : {}), record }) };
    }
  } catch (e) {
    const m = /line (\d+)/.exec((e as Error).message);
    yield { kind: 'error', source: { file: label, record: record + 1 }, diagnostic: diag('syntax/csv', (e as Error).message, { file: label, ...(m ? { line: Number(m[1]) } : {}) }) };
  }
}
