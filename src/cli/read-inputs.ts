/**
 * Reading inputs: expand files, directories, globs and `-`, and yield each record (or a located
 * error) with its source, streaming: NDJSON line by line, JSON arrays element by element, YAML
 * document by document (and a top-level list item by item), CSV/TSV row by row; `.gz` (or gzip
 * magic bytes on stdin) is decompressed on the fly. Memory stays bounded by the largest record.
 */
import { dirname, basename, join, resolve as resolvePath, sep } from 'node:path';
import { Readable } from 'node:stream';
import { parse as parseCsvStream } from 'csv-parse';
import {
  detectFormat, sniffFormat, diag, parseNdjsonLine, parseJsonRecord, jsonErrorLocation, jsonErrorMessage, JsonArraySplitter, YamlSplitter, parseYamlPiece, planCsv,
  type CsvMapping, type Diagnostic, type InputFormat, type InputItem,
} from '../index.js';
import type { Io } from './io.js';
import type { WorkItem } from './evaluate-item.js';
import { boundedLines, DEFAULT_LIMITS, gunzip, lineBatches, type DecodeLimits, type DecodeProblem } from './decode.js';
import { expandFhir, fhirBulkItems, isFhirBulkDir, isFhirBulkListing } from './fhir-bulk.js';

export interface ReadOptions {
  format?: InputFormat;
  mapping?: CsvMapping;
  /** Called with the size of each chunk read (for progress). */
  onBytes?: (n: number) => void;
  /** Record size and decompression bounds (default DEFAULT_LIMITS). */
  limits?: DecodeLimits;
}

const GLOB_CHARS = /[*?[]/;

/**
 * A glob as a regular expression: `*` within a path segment, `**` then a slash: any number of directories (a run
 * of them counts once: ten of them must not backtrack exponentially), `?` one character, `[...]` a class
 * (`[!...]` negated; a class that is not a valid range, such as `[z-a]`, is taken literally). Every
 * other character is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // a run of ** and **/: one "any directories" (and a trailing ** matches the rest)
        let j = i;
        if (glob.startsWith('**/', j)) {
          while (glob.startsWith('**/', j)) j += 3;
          re += '(?:[^/]*/)*';
        } else {
          while (glob[j] === '*') j++;
          re += '.*';
        }
        i = j - 1;
      } else {
        while (glob[i + 1] === '*') i++;
        re += '[^/]*';
      }
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      let cls = close > i ? glob.slice(i + 1, close) : '';
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      const source = `[${cls.replace(/\\/g, '\\\\')}]`;
      let ok = close > i && cls !== '' && cls !== '^';
      if (ok) {
        try {
          new RegExp(source);
        } catch {
          ok = false;
        }
      }
      if (ok) {
        re += source;
        i = close;
      } else re += '\\[';
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Expand inputs: files, directories (recursively, supported extensions, sorted), globs, `-` for stdin. */
export async function expandInputs(io: Io, inputs: string[], problems: Diagnostic[]): Promise<string[]> {
  const out: string[] = [];
  /** Directories walked (by real path): a symbolic link loop is walked once. */
  const walked = new Set<string>();
  const walk = async (dir: string, accept: (p: string) => boolean): Promise<void> => {
    const real = io.realpath ? await io.realpath(dir).catch(() => dir) : dir;
    if (walked.has(real)) return;
    walked.add(real);
    const names = (await io.readdir(dir)).sort();
    // FHIR Bulk Data: a directory with Patient.ndjson is one input, joined by fhir-bulk.ts
    if (isFhirBulkListing(names)) {
      out.push(dir);
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = dir === '.' ? n : join(dir, n);
      let st: Awaited<ReturnType<Io['stat']>>;
      try {
        st = await io.stat(p);
      } catch (e) {
        // a dangling symbolic link or an entry that vanished: reported, the walk goes on
        if (accept(p)) problems.push(diag('file/not-found', `cannot read ${p} (${(e as NodeJS.ErrnoException).code ?? 'error'}: a dangling link?)`, { file: p }));
        continue;
      }
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

/** Read at most this much of an input to tell its format (the first whole line, unless it is longer). */
const SNIFF_MAX = 1024 * 1024;

interface Opened {
  /** The input's bytes, decompressed when it is gzip. */
  chunks: AsyncIterable<Buffer>;
  /** Its first whole line or lines (at most SNIFF_MAX bytes), for sniffing the format. */
  first: string;
}

/** Replay the peeked chunks, then the rest of the iterator. */
async function* replay(peeked: Buffer[], it: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer> {
  for (const b of peeked) yield b;
  peeked.length = 0;
  for (;;) {
    const n = await it.next();
    if (n.done) return;
    yield typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
  }
}

/** Read chunks until the first two lines with content are whole (or SNIFF_MAX bytes, or the end). */
async function peekLines(source: AsyncIterable<Buffer | string>): Promise<Opened> {
  const it = source[Symbol.asyncIterator]();
  const peeked: Buffer[] = [];
  let size = 0;
  for (;;) {
    const text = Buffer.concat(peeked).toString('utf8');
    const lines = text.split('\n');
    const whole = lines.slice(0, -1).filter((l) => l.trim() !== '').length;
    if (whole >= 2 || size >= SNIFF_MAX) break;
    const n = await it.next();
    if (n.done) break;
    const b = typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
    peeked.push(b);
    size += b.length;
  }
  const first = Buffer.concat(peeked).subarray(0, SNIFF_MAX).toString('utf8');
  return { chunks: replay(peeked, it), first };
}

/** Where reading has got to in one input (for locating decoder errors). */
interface Reached {
  record: number;
  line?: number;
}

/** The bytes of an input, gunzipped (with bounds) when it is gzip (by its magic bytes). */
async function openInput(io: Io, file: string, label: string, limits: DecodeLimits, reached: Reached, problems: Diagnostic[], onBytes?: (n: number) => void): Promise<Opened> {
  const raw: Readable = file === '-' ? io.stdin : io.openRead(file);
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const c of raw as AsyncIterable<Buffer | string>) {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      onBytes?.(b.length);
      yield b;
    }
  }
  const it = counted()[Symbol.asyncIterator]();
  const head = await it.next();
  const firstChunk = head.done ? [] : [head.value];
  const bytes = replay(firstChunk, it);
  const gz = !head.done && head.value.length >= 2 && head.value[0] === 0x1f && head.value[1] === 0x8b;
  if (!gz) return peekLines(bytes);
  const located = (p: DecodeProblem) => {
    const at = reached.line !== undefined ? { line: reached.line } : {};
    problems.push(diag(p.kind === 'too-large' ? 'file/too-large' : 'file/corrupt', `${p.message}; the ${reached.record} record${reached.record === 1 ? '' : 's'} before it ${reached.record === 1 ? 'was' : 'were'} checked`, { file: label, ...at }));
  };
  return peekLines(gunzip(bytes, limits, located));
}

/**
 * Yield the items of one input, in input order, in batches (an NDJSON batch is the lines of one read
 * chunk; other formats yield an item at a time): the reading loop pays its asynchronous hand-over once
 * per batch, not once per record. NDJSON lines are yielded unparsed (`line` items, parsed where they
 * are evaluated, in this thread or a worker), except a line holding a FHIR resource, which is parsed
 * here to be mapped. Read errors become located diagnostics in `problems`.
 */
export async function* itemsOf(io: Io, file: string, opts: ReadOptions, problems: Diagnostic[]): AsyncGenerator<WorkItem[]> {
  const label = file === '-' ? '<stdin>' : file;
  if (file !== '-' && (await isFhirBulkDir(io, file))) {
    for await (const item of fhirBulkItems(io, file, problems)) yield [item];
    return;
  }
  // FHIR resources (a Bundle, a Patient) are detected by content and mapped: src/inputs/fhir/
  // (unparsed NDJSON lines pass through untouched: a line holding a FHIR resource is parsed here)
  yield* expandFhir(itemsOfFormat(io, file, label, opts, problems) as AsyncIterable<InputItem[]>) as AsyncGenerator<WorkItem[]>;
}

async function* itemsOfFormat(io: Io, file: string, label: string, opts: ReadOptions, problems: Diagnostic[]): AsyncGenerator<WorkItem[]> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const reached: Reached = { record: 0 };
  let opened: Opened;
  try {
    opened = await openInput(io, file, label, limits, reached, problems, opts.onBytes);
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
  const tooLarge = (record: number, line: number): InputItem => {
    const message = `record ${record} (from line ${line}) is larger than ${limits.maxRecordChars / 1048576} MiB (raise the limit with --max-record-size)`;
    problems.push(diag('file/too-large', `reading stopped at record ${record}, which is too large: the rest of ${label} is not read`, { file: label, line, record }));
    return { kind: 'error', source: { file: label, record, line }, diagnostic: diag('file/too-large', message, { file: label, line, record }) };
  };
  const ctx: FormatContext = { label, chunks: opened.chunks, limits, problems, tooLarge };
  let items: AsyncGenerator<WorkItem | WorkItem[]>;
  switch (format) {
    case 'ndjson':
      items = ndjsonItems(ctx);
      break;
    case 'fhir': // a Bundle or Patient as JSON; mapped by expandFhir
    case 'json':
      items = jsonItems(ctx);
      break;
    case 'yaml':
      items = yamlItems(ctx);
      break;
    case 'csv':
    case 'tsv':
      items = csvItems(ctx, format, opts.mapping ?? {});
      break;
    default:
      problems.push(diag('input/unsupported-format', `input format ${format} is not supported here`, { file: label }));
      return;
  }
  try {
    for await (const got of items) {
      const batch = Array.isArray(got) ? got : [got];
      for (const item of batch) {
        reached.record = item.source.record ?? reached.record + 1;
        if (item.source.line !== undefined) reached.line = item.source.line;
      }
      if (batch.length) yield batch;
    }
  } catch (e) {
    const at = reached.line !== undefined ? { line: reached.line } : {};
    problems.push(diag('file/unreadable', `cannot read ${label}: ${(e as Error).message} (after record ${reached.record})`, { file: label, ...at }));
  }
}

interface FormatContext {
  label: string;
  chunks: AsyncIterable<Buffer>;
  limits: DecodeLimits;
  problems: Diagnostic[];
  /** The error item for a record over the size limit (also reported as a problem: the input is not read further). */
  tooLarge(record: number, line: number): InputItem;
}

/** NDJSON, the lines of each read chunk as one batch of unparsed `line` items (FHIR resources parsed, to be mapped). */
async function* ndjsonItems(ctx: FormatContext): AsyncGenerator<WorkItem[]> {
  const { label } = ctx;
  let record = 0;
  for await (const b of lineBatches(ctx.chunks, ctx.limits.maxRecordChars)) {
    const items: WorkItem[] = [];
    for (let i = 0; i < b.texts.length; i++) {
      const text = b.texts[i]!;
      if (!text.trim()) continue;
      record++;
      const line = b.first + i;
      if (!text.includes('"resourceType"')) items.push({ kind: 'line', text, source: { file: label, record, line } });
      else {
        const item = parseNdjsonLine(label, line, record, text);
        if (item) items.push(item);
      }
    }
    if (b.tooLong !== undefined) {
      items.push(ctx.tooLarge(record + 1, b.tooLong));
      yield items;
      return;
    }
    if (items.length) yield items;
  }
}

function jsonPieceItem(label: string, text: string, line: number, index: number): InputItem {
  const r = parseJsonRecord(text);
  if ('value' in r) return { kind: 'record', raw: r.value, source: { file: label, record: index, line } };
  // locate the error inside the (possibly multi-line) element
  const pos = r.duplicate ?? jsonErrorLocation(text, r.error);
  const at = pos ? { line: line + pos.line - 1, column: pos.column } : { line };
  return { kind: 'error', source: { file: label, record: index, line }, diagnostic: diag(r.duplicate ? 'syntax/duplicate-key' : 'syntax/json', r.duplicate ? r.error.message : jsonErrorMessage(r.error), { file: label, ...at, record: index }) };
}

async function* jsonItems(ctx: FormatContext): AsyncGenerator<InputItem> {
  const { label } = ctx;
  const splitter = new JsonArraySplitter(ctx.limits.maxRecordChars);
  for await (const chunk of ctx.chunks) {
    for (const p of splitter.push(chunk)) {
      if (p.text.length > ctx.limits.maxRecordChars) {
        yield ctx.tooLarge(p.index, p.line);
        return;
      }
      yield jsonPieceItem(label, p.text, p.line, p.index);
    }
    for (const w of splitter.warnings) ctx.problems.push(diag('syntax/json', w.message, { file: label, line: w.line }, { severity: 'warning' }));
    splitter.warnings = [];
    if (splitter.overflow) {
      yield ctx.tooLarge(splitter.overflow.index, splitter.overflow.line);
      return;
    }
  }
  const end = splitter.end();
  if (end.unfinished) {
    yield { kind: 'error', source: { file: label, record: end.unfinished.index, line: end.unfinished.line }, diagnostic: diag('syntax/json', 'unexpected end of input: the record is not closed', { file: label, line: end.unfinished.line, record: end.unfinished.index }) };
  } else if (end.unclosedArray) {
    yield { kind: 'error', source: { file: label }, diagnostic: diag('syntax/json', 'unexpected end of input: the list of records is not closed with ]', { file: label }) };
  } else if (splitter.trailing.trim()) {
    // text after the value: never dropped silently (it may be more records, e.g. NDJSON read as JSON)
    ctx.problems.push(diag('syntax/json', `unexpected text after the JSON value: ${JSON.stringify(splitter.trailing.slice(0, 40))}; it is not read`, { file: label, ...(splitter.trailingLine !== undefined ? { line: splitter.trailingLine } : {}) },
      { hint: 'one JSON record per line is NDJSON: name the file .ndjson or use --input-format ndjson' }));
  }
}

async function* yamlItems(ctx: FormatContext): AsyncGenerator<InputItem> {
  const { label } = ctx;
  const max = ctx.limits.maxRecordChars;
  const splitter = new YamlSplitter(max);
  let record = 0;
  const emit = function* (pieces: ReturnType<YamlSplitter['line']>): Generator<InputItem> {
    for (const p of pieces) {
      for (const item of parseYamlPiece(label, p, record + 1)) {
        record++;
        yield item;
      }
    }
  };
  for await (const l of boundedLines(ctx.chunks, max)) {
    if ('tooLong' in l) {
      yield ctx.tooLarge(record + 1, l.line);
      return;
    }
    yield* emit(splitter.line(l.text));
    if (splitter.overflow) {
      yield ctx.tooLarge(record + 1, splitter.overflow.line);
      return;
    }
  }
  yield* emit(splitter.end());
}

/**
 * CSV/TSV row by row. Rows and malformed-row reports are collected in parse order through csv-parse's
 * synchronous hooks (`on_record`, `skip`), so an error keeps its place among its neighbours; a row
 * whose cells are all blank is not a record (as an empty line is not).
 */
async function* csvItems(ctx: FormatContext, format: 'csv' | 'tsv', mapping: CsvMapping): AsyncGenerator<InputItem> {
  const { label, problems } = ctx;
  type Event = { row: string[]; line: number } | { skip: string; line?: number };
  const events: Event[] = [];
  const parser = parseCsvStream({
    delimiter: format === 'tsv' ? '\t' : ',',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
    // any line ending, mixed in one file too (auto-detection fixes on the first one)
    record_delimiter: ['\r\n', '\n', '\r'],
    // a quote inside an unquoted cell (5"6) is data, not the start of a quoted cell
    relax_quotes: true,
    max_record_size: ctx.limits.maxRecordChars,
    // a malformed row is reported and skipped; the rows after it are still read
    skip_records_with_error: true,
    on_record: (row: string[], info: { lines: number }) => {
      events.push({ row, line: info.lines });
      return null;
    },
  });
  let fatal: (Error & { code?: string; lines?: number }) | undefined;
  parser.on('skip', (err: Error & { code?: string; lines?: number }) => {
    // a record over the size limit ends the reading (csv-parse would go on skipping its pieces)
    if (err.code === 'CSV_MAX_RECORD_SIZE') fatal ??= err;
    else if (!fatal) events.push({ skip: err.message, ...(err.lines !== undefined ? { line: err.lines } : {}) });
  });
  parser.on('error', (e: Error) => {
    fatal ??= e;
  });
  parser.resume(); // records are taken in on_record; nothing is pushed downstream
  let plan: ReturnType<typeof planCsv> | undefined;
  let header: string[] = [];
  let record = 0;
  /** Last line of the previous row or error: a malformed row spans the lines after it up to where it was detected. */
  let lastLine = 0;
  const drain = function* (): Generator<InputItem> {
    for (const ev of events) {
      if ('skip' in ev) {
        record++;
        const from = lastLine + 1;
        const to = ev.line ?? from;
        lastLine = to;
        // rows swallowed by a malformed one (an unbalanced quote) are named, never dropped silently
        const span = to > from ? ` (the malformed row runs from line ${from} to line ${to}: none of these lines is read as a record)` : '';
        const at = { line: from };
        yield { kind: 'error', source: { file: label, record, ...at }, diagnostic: diag('syntax/csv', `${ev.skip}${span}`, { file: label, ...at, record }) };
        continue;
      }
      const { row, line } = ev;
      lastLine = line;
      if (row.every((c) => c.trim() === '')) continue;
      if (!plan) {
        header = row;
        plan = planCsv(label, header, mapping);
        for (const d of plan.diagnostics) problems.push({ ...d, severity: 'warning' });
        continue;
      }
      record++;
      if (row.length !== header.length) {
        yield { kind: 'error', source: { file: label, record, line }, diagnostic: diag('record/invalid', `row has ${row.length} cells, the header has ${header.length}`, { file: label, line, record }) };
        continue;
      }
      const { record: raw, problems: ps } = plan.row(row);
      if (ps.length) {
        yield { kind: 'error', source: { file: label, record, line }, diagnostic: diag('record/invalid', ps.join('; '), { file: label, line, record }) };
        continue;
      }
      if (raw.id === undefined) raw.id = `${label}:${line}`;
      yield { kind: 'record', raw, source: { file: label, record, line } };
    }
    events.length = 0;
  };
  const fail = (): InputItem => {
    const e = fatal!;
    const line = e.lines ?? (Number(/line (\d+)/.exec(e.message)?.[1]) || undefined);
    if (e.code === 'CSV_MAX_RECORD_SIZE') return ctx.tooLarge(record + 1, line ?? 1);
    const message = `${e.message}; the rest of ${label} is not read`;
    problems.push(diag('syntax/csv', message, { file: label, ...(line ? { line } : {}) }));
    return { kind: 'error', source: { file: label, record: record + 1, ...(line ? { line } : {}) }, diagnostic: diag('syntax/csv', message, { file: label, ...(line ? { line } : {}), record: record + 1 }) };
  };
  // a line longer than the limit is a record longer than the limit: stop before csv-parse buffers it
  let sinceNewline = 0;
  let lines = 0;
  for await (const chunk of ctx.chunks) {
    const last = chunk.lastIndexOf(10);
    if (last < 0) sinceNewline += chunk.length;
    else {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      sinceNewline = chunk.length - last - 1;
    }
    if (sinceNewline > ctx.limits.maxRecordChars) {
      yield* drain();
      yield ctx.tooLarge(record + 1, lines + 1);
      parser.destroy();
      return;
    }
    await new Promise<void>((resolve) => parser.write(chunk, () => resolve()));
    yield* drain();
    if (fatal) {
      yield fail();
      return;
    }
  }
  await new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('error', () => resolve());
    parser.end();
  });
  yield* drain();
  if (fatal) yield fail();
}
