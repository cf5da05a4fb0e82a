/**
 * `elig check`: load and compile the criteria once, stream every input record through the engine,
 * write the report, and return the exit code. Bad records become `error` results with a located
 * diagnostic on stderr; the rest of the batch is still checked.
 */
import {
  compileCriteria, formatDiagnosticLine, VOCABULARY_STAMP, lintCriteria, UNMAPPED_POLICIES, type CompileOptions, type UnmappedPolicyName, isIsoDate, visible, loadCriteria, REPORTERS, SummaryBuilder, diag, parseYaml,
  type CsvMapping, type CompiledCriteria, type Diagnostic, type InputFormat, type Reporter, type ReporterOptions, type ReportFormat, type Verdict, suggest,
} from '../index.js';
import { VERSION } from '../version.js';
import { checkExitCode, DEFAULT_FAIL_ON, EXIT, isClosedPipe } from './exit-code.js';
import type { Io } from './io.js';
import { useColor, printDiagnostics, usageError } from './output.js';
import { expandInputs, itemsOf, outputConflict } from './read-inputs.js';
import { readImportTexts } from './criteria-files.js';
import { readCached, writeCached } from './criteria-cache.js';
import { evaluateItem, type WorkItem } from './evaluate-item.js';
import { WorkerPool } from './pool.js';
import { BatchRenderer, type RenderedBatch } from './render-batch.js';
import { Sink } from './sink.js';
import { Progress } from './progress.js';
import type { WriteTarget } from './io.js';
import type { DecodeLimits } from './decode.js';

/** Records per batch (to workers, and between flushes). */
const BATCH = 256;
/** Records after which a run is long: V8 may then optimise as eagerly as it does by default (Io.longRun). */
const LONG_RUN = 2048;
/** Inputs at least this large are checked in parallel by default. */
const PARALLEL_BYTES = 32 * 1024 * 1024;

import { UnmappedTally } from './fhir-notes.js';

const VERDICTS: readonly Verdict[] = ['eligible', 'ineligible', 'indeterminate', 'error'];
const INPUT_FORMATS: readonly InputFormat[] = ['json', 'yaml', 'ndjson', 'csv', 'tsv', 'fhir'];

export interface CheckOptions {
  criteria?: string;
  asOf?: string;
  format?: string;
  output?: string;
  failOn?: string;
  inputFormat?: string;
  color?: boolean;
  quiet?: boolean;
  mapping?: string;
  jobs?: string | number;
  maxRecordSize?: string;
  maxRatio?: string;
  /** List the FHIR resources that were not mapped (stderr). */
  verbose?: boolean;
  summary?: boolean;
  details?: boolean;
  unmapped?: string;
  anchor?: string[];
}

const usage = (io: Io, msg: string): number => usageError(io, 'check', msg);

export function parseFailOn(s: string): Verdict[] | string {
  if (s.trim() === 'none' || s.trim() === '') return [];
  const out: Verdict[] = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(VERDICTS as string[]).includes(part)) return `--fail-on: unknown verdict "${part}" (use ${VERDICTS.join(', ')} or none)`;
    out.push(part as Verdict);
  }
  return out;
}

/** Load and compile a criteria file; diagnostics are printed and undefined returned on failure. */
export async function loadCompiled(io: Io, file: string, color: boolean, compileOptions: CompileOptions = {}): Promise<CompiledCriteria | undefined> {
  let text: string;
  try {
    text = (await io.readFile(file)).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    printDiagnostics(io, [diag(code === 'ENOENT' ? 'file/not-found' : 'file/unreadable', `cannot read criteria file ${file}${code && code !== 'ENOENT' ? ` (${code})` : ''}`, { file })], color);
    return undefined;
  }
  // a file loaded before by this elig, unchanged with its imports: no YAML, no validation, no lint
  const cached = await readCached(io, file, text);
  if (cached) return compileCriteria(cached, compileOptions);
  const r = loadCriteria(file, text, { imports: await readImportTexts(io, file, text) });
  if (!r.criteria) {
    printDiagnostics(io, r.diagnostics, color);
    io.stderr.write(`elig: ${visible(file)}: ${r.diagnostics.length} problem${r.diagnostics.length === 1 ? '' : 's'}; nothing was checked\n`);
    return undefined;
  }
  if (r.diagnostics.length) printDiagnostics(io, r.diagnostics, color); // warnings (imports elig could not fully use)
  // what `elig validate` calls an error (contradictory bounds, criteria that can never both pass) is not checked either
  const lintErrors = lintCriteria(r.criteria, text).filter((d) => d.severity === 'error');
  if (lintErrors.length) {
    printDiagnostics(io, lintErrors, color);
    io.stderr.write(`elig: ${visible(file)}: ${lintErrors.length} error${lintErrors.length === 1 ? '' : 's'} (elig validate); nothing was checked\n`);
    return undefined;
  }
  if (!r.diagnostics.length) await writeCached(io, r.criteria);
  return compileCriteria(r.criteria, compileOptions);
}

/** A CSV column mapping file (YAML or JSON): { columns: { "<source column>": "<target>" | { to, unit } } }. */
async function loadMapping(io: Io, file: string, problems: Diagnostic[]): Promise<CsvMapping | undefined> {
  let text: string;
  try {
    text = (await io.readFile(file)).toString('utf8');
  } catch (e) {
    problems.push(diag('file/not-found', `cannot read mapping file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file }));
    return undefined;
  }
  const p = parseYaml(file, text);
  const v = p.value as { columns?: unknown } | undefined;
  if (p.diagnostics.length || typeof v !== 'object' || v === null || typeof v.columns !== 'object' || v.columns === null) {
    problems.push(p.diagnostics[0] ?? diag('usage/invalid-option', `${file}: a mapping is { columns: { "<source column>": <target> } }`, { file }));
    return undefined;
  }
  return v as CsvMapping;
}

export async function runCheck(inputs: string[], raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as CheckOptions;
  const asOf = opts.asOf ?? io.today();
  if (!isIsoDate(asOf)) return usage(io, `--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  const failOn = parseFailOn(opts.failOn ?? DEFAULT_FAIL_ON.join(','));
  if (typeof failOn === 'string') return usage(io, failOn);
  if (opts.inputFormat && !(INPUT_FORMATS as string[]).includes(opts.inputFormat)) {
    return usage(io, `--input-format must be one of ${INPUT_FORMATS.join(', ')}, got "${opts.inputFormat}"`);
  }
  const maxRecordMiB = Number(opts.maxRecordSize ?? 32);
  if (!Number.isFinite(maxRecordMiB) || maxRecordMiB <= 0 || maxRecordMiB > 1024) return usage(io, `--max-record-size must be a number of MiB between 0 and 1024, got "${String(opts.maxRecordSize)}"`);
  const maxRatio = Number(opts.maxRatio ?? 200);
  if (!Number.isFinite(maxRatio) || maxRatio < 1) return usage(io, `--max-ratio must be a number ≥ 1, got "${String(opts.maxRatio)}"`);
  const limits: DecodeLimits = { maxRecordChars: Math.floor(maxRecordMiB * 1024 * 1024), maxRatio };
  const format = (opts.format ?? 'human') as ReportFormat;
  const stderrColor = useColor(io, io.stderr, undefined);
  if (opts.unmapped !== undefined && !(UNMAPPED_POLICIES as readonly string[]).includes(opts.unmapped)) {
    return usage(io, `--unmapped must be one of ${UNMAPPED_POLICIES.join(', ')}, got "${opts.unmapped}"`);
  }
  const unmappedPolicy = opts.unmapped as UnmappedPolicyName | undefined;
  const anchors = new Map<string, string>();
  for (const a of opts.anchor ?? []) {
    const m = /^([a-z0-9][a-z0-9._/-]*)=(\d{4}-\d{2}-\d{2})$/.exec(a.trim());
    if (!m || !isIsoDate(m[2]!)) return usage(io, `--anchor is name=YYYY-MM-DD (e.g. first-dose=2026-12-10), got "${a}"`);
    anchors.set(m[1]!, m[2]!);
  }
  const compiled = await loadCompiled(io, opts.criteria!, stderrColor, { ...(unmappedPolicy ? { unmapped: unmappedPolicy } : {}), anchors });
  if (!compiled) return EXIT.cannotRun;
  for (const name of anchors.keys()) {
    if (compiled.givenAnchors.includes(name)) continue;
    const s = suggest(name, compiled.givenAnchors);
    return usage(io, `--anchor ${name}: the criteria declare no anchor ${name} with given: true${compiled.givenAnchors.length ? ` (given anchors: ${compiled.givenAnchors.join(', ')})` : ''}${s ? `; did you mean ${s}?` : ''}`);
  }

  const toFile = opts.output !== undefined;
  const color = format === 'human' && !toFile && useColor(io, io.stdout, opts.color);
  const meta = {
    tool: { name: 'elig' as const, version: VERSION },
    criteria: {
      id: compiled.id, version: compiled.version, sha256: compiled.sha256, ...(compiled.title ? { title: compiled.title } : {}), file: compiled.file,
      ...(compiled.imports.length ? { imports: compiled.imports } : {}),
    },
    vocabulary: { version: VOCABULARY_STAMP.version, sha256: VOCABULARY_STAMP.sha256 },
    asOf,
  };
  const reporterOptions: ReporterOptions = {
    color, width: io.stdout.columns ?? 80, details: opts.details === true, summary: opts.summary === true,
    // cut lines to the width only on a terminal: piped or written to a file, nothing is cut off
    fit: !toFile && io.stdout.isTTY === true,
    criteria: compiled.criteria.map((c) => ({ id: c.id, kind: c.kind, text: c.text })), meta,
  };
  const reporter: Reporter = REPORTERS[format](reporterOptions);
  const problems: Diagnostic[] = [];
  const files = await expandInputs(io, inputs, problems);
  if (toFile) {
    const conflict = await outputConflict(io, opts.output!, inputs, files);
    if (conflict) {
      printDiagnostics(io, [conflict], stderrColor);
      return EXIT.cannotRun;
    }
  }
  // --jobs: explicit (at most one thread per CPU), else all CPUs (up to 4) when the inputs are large
  let totalBytes = 0;
  for (const f of files) if (f !== '-') totalBytes += (await io.stat(f).catch(() => ({ size: 0 }))).size;
  let jobs = opts.jobs !== undefined ? Number(opts.jobs) : totalBytes >= PARALLEL_BYTES ? Math.min(io.cpus(), 4) : 1;
  if (!Number.isInteger(jobs) || jobs < 1) return usage(io, `--jobs must be a whole number ≥ 1, got "${String(opts.jobs)}"`);
  if (jobs > io.cpus()) {
    if (!opts.quiet) io.stderr.write(`elig: note: --jobs ${jobs} is more than the ${io.cpus()} CPUs of this machine; using ${io.cpus()}\n`);
    jobs = io.cpus();
  }

  let interrupted = false;
  const offInterrupt = io.onInterrupt(() => {
    interrupted = true;
  });
  const target = toFile ? io.openWrite(opts.output!) : io.stdout;
  const sink = new Sink(target);
  const summary = new SummaryBuilder(compiled);
  await sink.write(reporter.begin(meta));
  const forced = opts.inputFormat as InputFormat | undefined;
  const mapping = opts.mapping ? await loadMapping(io, opts.mapping, problems) : undefined;
  const unmapped = new UnmappedTally(opts.verbose === true);

  // --jobs n: up to n - 1 worker threads (started as batches arrive: never more workers than batches),
  // and this thread takes a batch whenever the workers are all busy (one V8 heap fewer than n workers,
  // and reading and writing leave this thread idle most of the time)
  const pool = jobs > 1 ? new WorkerPool(jobs - 1, {
    loaded: compiled.loaded, asOf, format, reporter: reporterOptions, unmapped: compiled.unmapped,
    anchors: compiled.runAnchors,
  }) : undefined;
  const here = pool ? new BatchRenderer(compiled, asOf, reporter) : undefined;
  /** Worker batches sent and not yet back. */
  let busy = 0;

  const progress = new Progress(io, opts.quiet !== true, totalBytes);
  let count = 0;
  /** A batch done (by a worker or here): its records' diagnostics and FHIR notes in input order, its counts, its output bytes. */
  const handle = async (batch: WorkItem[], done: RenderedBatch) => {
    const ids = done.ids;
    let next = 0;
    for (let i = 0; i < ids.length; i++) {
      if (next < done.diagnostics.length && done.diagnostics[next]![0] === i) {
        if (!opts.quiet) for (const d of done.diagnostics[next]![1]) io.stderr.write(`${d}\n`);
        next++;
      }
      const item = batch[i]!;
      if (item.kind === 'record') unmapped.add(item, ids[i]!);
    }
    summary.merge(done.summary);
    if (ids.length) {
      if (count > 0 && reporter.separator) sink.push(reporter.separator);
      sink.push(done.bytes);
    }
    count += ids.length;
    await sink.settle();
    progress.update(count);
    if (count >= LONG_RUN) io.longRun?.();
  };
  /**
   * One record done here, as soon as it is read: evaluate, account and render. Records are not
   * batched in this thread: a parsed record kept waiting survives young-generation collections and is
   * promoted to the old generation, which is what made the heap (and RSS) grow with --jobs 1.
   */
  const local = (item: WorkItem) => {
    const p = evaluateItem(compiled, asOf, item);
    if (!opts.quiet && p.diagnostics) for (const d of p.diagnostics) io.stderr.write(`${formatDiagnosticLine(d)}\n`);
    if (item.kind === 'record') unmapped.add(item, p.id);
    summary.add(p);
    if (count > 0 && reporter.separator) sink.push(reporter.separator);
    sink.push(reporter.patient(p));
    if (reporter.terminator) sink.push(reporter.terminator);
    count++;
  };
  const inFlight: { batch: WorkItem[]; results: Promise<Awaited<ReturnType<WorkerPool['run']>>> }[] = [];
  const maxInFlight = jobs * 2;
  let batch: WorkItem[] = [];
  const dispatch = async () => {
    if (!batch.length || !pool) return;
    const b = batch;
    batch = [];
    if (busy >= 2 * (jobs - 1)) {
      inFlight.push({ batch: b, results: Promise.resolve(here!.render(b)) });
    } else {
      busy++;
      const results = pool.run(b);
      results.then(() => busy--, () => busy--);
      inFlight.push({ batch: b, results });
    }
    while (inFlight.length > maxInFlight) {
      const head = inFlight.shift()!;
      await handle(head.batch, await head.results);
    }
  };
  try {
    outer: for (const file of files) {
      const readOpts = { ...(forced ? { format: forced } : {}), ...(mapping ? { mapping } : {}), limits, onBytes: (n: number) => progress.bytes(n) };
      for await (const items of itemsOf(io, file, readOpts, problems)) {
        for (const item of items) {
          if (pool) {
            batch.push(item);
            if (batch.length >= BATCH) await dispatch();
          } else {
            local(item);
            // backpressure and progress once per BATCH records
            if (count % BATCH === 0) {
              await sink.settle();
              progress.update(count);
              if (count >= LONG_RUN) io.longRun?.();
            }
          }
          if (interrupted || sink.broken) break outer;
        }
      }
    }
    await dispatch();
    while (inFlight.length) {
      const head = inFlight.shift()!;
      await handle(head.batch, await head.results);
    }
  } finally {
    offInterrupt();
    progress.done();
    await pool?.close();
  }
  if (!sink.broken && !interrupted) {
    await sink.write(reporter.end(summary.build()));
    await sink.flush();
  }
  const where = toFile ? opts.output! : 'stdout';
  if (toFile) {
    const file = target as WriteTarget;
    try {
      // the report is written under a temporary name: renamed only when complete, removed otherwise
      if (interrupted || sink.broken) await file.abort?.();
      else await file.end();
    } catch (e) {
      sink.broken ??= e as Error;
    }
  }
  // a report that cannot be written (disk full, a missing directory) is a failure to run, never a
  // silent exit 0; a closed pipe (`| head`) means the reader has what it wanted: stop quietly, exit 141
  const closed = sink.broken !== undefined && isClosedPipe(sink.broken);
  if (sink.broken && !closed) {
    const code = (sink.broken as NodeJS.ErrnoException).code;
    problems.push(diag('file/unwritable', `cannot write the report to ${where}: ${code ?? sink.broken.message}${toFile ? '; nothing was written there' : ''}`, toFile ? { file: where } : undefined));
  }
  if (!opts.quiet && !closed) unmapped.print(io.stderr);
  if (interrupted) {
    io.stderr.write(`elig: interrupted after ${count} record${count === 1 ? '' : 's'}; ${toFile ? `nothing was written to ${where}` : 'the report is incomplete'}\n`);
    return EXIT.interrupted; // 128 + SIGINT, as shells expect
  }
  if (closed) {
    // inputs that could not be read are still said (they were never checked)
    if (problems.length) printDiagnostics(io, problems.filter((d) => d.severity === 'error'), stderrColor);
    return EXIT.outputClosed; // 128 + SIGPIPE, what `cat` gives
  }
  if (count === 0 && !problems.length) io.stderr.write(`${formatDiagnosticLine(diag('input/no-records', 'no patient records found in the inputs'))}\n`);
  if (problems.length) {
    // warnings (e.g. an unknown CSV column) are reported unless --quiet; only errors mean the run could not be done
    printDiagnostics(io, opts.quiet ? problems.filter((d) => d.severity === 'error') : problems, stderrColor);
    if (problems.some((d) => d.severity === 'error')) return EXIT.cannotRun;
  }
  return checkExitCode(summary.build().verdicts, failOn);
}
