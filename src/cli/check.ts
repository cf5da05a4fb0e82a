/**
 * `elig check`: load and compile the criteria once, stream every input record through the engine,
 * write the report, and return the exit code. Bad records become `error` results with a located
 * diagnostic on stderr; the rest of the batch is still checked.
 */
import {
  compileCriteria, detectFormat, evaluateRecord, formatDiagnosticLine, isIsoDate, loadCriteria, REPORTERS,
  sniffFormat, SummaryBuilder, TEXT_PARSERS, parseNdjsonLine, diag,
  type CompiledCriteria, type Diagnostic, type InputFormat, type InputItem, type PatientResult, type Reporter, type ReportFormat, type Verdict,
} from '../index.js';
import { VERSION } from '../version.js';
import { checkExitCode, DEFAULT_FAIL_ON, EXIT } from './exit-code.js';
import type { Io } from './io.js';
import { useColor, printDiagnostics } from './output.js';
import { expandInputs, itemsOf } from './read-inputs.js';

const VERDICTS: readonly Verdict[] = ['eligible', 'ineligible', 'indeterminate', 'error'];
const INPUT_FORMATS: readonly InputFormat[] = ['json', 'yaml', 'ndjson'];

export interface CheckOptions {
  criteria?: string;
  asOf?: string;
  format?: string;
  output?: string;
  failOn?: string;
  inputFormat?: string;
  color?: boolean;
  quiet?: boolean;
  summary?: boolean;
  details?: boolean;
}

function usage(io: Io, msg: string): number {
  io.stderr.write(`elig check: ${msg}\n`);
  return EXIT.cannotRun;
}

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
export async function loadCompiled(io: Io, file: string, color: boolean): Promise<CompiledCriteria | undefined> {
  let text: string;
  try {
    text = (await io.readFile(file)).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    printDiagnostics(io, [diag(code === 'ENOENT' ? 'file/not-found' : 'file/unreadable', `cannot read criteria file ${file}${code && code !== 'ENOENT' ? ` (${code})` : ''}`, { file })], color);
    return undefined;
  }
  const r = loadCriteria(file, text);
  if (!r.criteria) {
    printDiagnostics(io, r.diagnostics, color);
    io.stderr.write(`elig: ${file}: ${r.diagnostics.length} problem${r.diagnostics.length === 1 ? '' : 's'}; nothing was checked\n`);
    return undefined;
  }
  return compileCriteria(r.criteria);
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
  const format = (opts.format ?? 'human') as ReportFormat;
  const stderrColor = useColor(io, io.stderr, undefined);
  const compiled = await loadCompiled(io, opts.criteria!, stderrColor);
  if (!compiled) return EXIT.cannotRun;

  const toFile = opts.output !== undefined;
  const color = format === 'human' && !toFile && useColor(io, io.stdout, opts.color);
  const meta = {
    tool: { name: 'elig' as const, version: VERSION },
    criteria: { id: compiled.id, version: compiled.version, sha256: compiled.sha256, ...(compiled.title ? { title: compiled.title } : {}), file: compiled.file },
    asOf,
  };
  const reporter: Reporter = REPORTERS[format]({
    color, width: io.stdout.columns ?? 80, details: opts.details === true, summary: opts.summary === true,
    criteria: compiled.criteria.map((c) => ({ id: c.id, kind: c.kind, text: c.text })), meta,
  });
  const chunks: string[] = [];
  const write = (s: string) => {
    if (!s) return;
    if (toFile) chunks.push(s);
    else io.stdout.write(s);
  };
  const problems: Diagnostic[] = [];
  const files = await expandInputs(io, inputs, problems);
  const summary = new SummaryBuilder(compiled);
  write(reporter.begin(meta));
  const forced = opts.inputFormat as InputFormat | undefined;
  let count = 0;
  for (const file of files) {
    for await (const item of itemsOf(io, file, forced, problems)) {
      let result: PatientResult;
      if (item.kind === 'error') {
        result = { id: item.id ?? `${item.source.file}#${item.source.record ?? 1}`, source: item.source, verdict: 'error', criteria: [], diagnostics: [item.diagnostic] };
      } else {
        result = evaluateRecord(compiled, item.raw, asOf, item.source);
      }
      if (!opts.quiet) {
        for (const d of result.diagnostics ?? []) io.stderr.write(`${formatDiagnosticLine(d)}\n`);
      }
      summary.add(result);
      write(reporter.patient(result));
      count++;
    }
  }
  write(reporter.end(summary.build()));
  if (toFile) {
    try {
      await io.writeFile(opts.output!, chunks.join(''));
    } catch (e) {
      problems.push(diag('file/unreadable', `cannot write ${opts.output}: ${(e as Error).message}`, { file: opts.output! }));
    }
  }
  if (count === 0 && !problems.length) io.stderr.write(`${formatDiagnosticLine(diag('input/no-records', 'no patient records found in the inputs'))}\n`);
  if (problems.length) {
    printDiagnostics(io, problems, stderrColor);
    return EXIT.cannotRun;
  }
  return checkExitCode(summary.build().verdicts, failOn);
}
