/**
 * `elig diff <old> <new> [--patients <inputs...>]`: what changed between two versions of a criteria
 * file, criterion by criterion, and which patients' verdicts or statuses flip.
 */
import {
  collectFlips, compileCriteria, diffCriteria, DIFF_FORMATS, DIFF_FORMATTERS, evaluateRecord, isIsoDate, loadCriteria,
  type Diagnostic, type DiffFormat, type LoadedCriteria, type PatientResult,
} from '../index.js';
import { diffExitCode, EXIT } from './exit-code.js';
import type { Io } from './io.js';
import { printDiagnostics, usageError, useColor, writeReport } from './output.js';
import { readImportTexts, readPatientRecords, readText } from './criteria-files.js';
import { shown } from './criteria-files.js';

export interface DiffOptions {
  format?: string;
  patients?: string[];
  asOf?: string;
  output?: string;
}


async function load(io: Io, file: string, problems: Diagnostic[]): Promise<LoadedCriteria | undefined> {
  const t = await readText(io, file, 'criteria file');
  if ('diagnostic' in t) {
    problems.push(t.diagnostic);
    return undefined;
  }
  const r = loadCriteria(shown(io, file), t.text, { imports: await readImportTexts(io, file, t.text) });
  if (!r.criteria) problems.push(...r.diagnostics);
  return r.criteria;
}

export async function runDiff(oldFile: string, newFile: string, raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as DiffOptions;
  const format = (opts.format ?? 'human') as DiffFormat;
  const usage = (m: string) => usageError(io, 'diff', m);
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) return usage(`--format must be one of ${DIFF_FORMATS.join(', ')}`);
  const asOf = opts.asOf ?? io.today();
  if (!isIsoDate(asOf)) return usage(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  const color = useColor(io, io.stderr, undefined);
  const problems: Diagnostic[] = [];
  const a = await load(io, oldFile, problems);
  const b = await load(io, newFile, problems);
  if (!a || !b) {
    printDiagnostics(io, problems, color);
    return diffExitCode(false);
  }
  const d = diffCriteria(a, b);
  if (opts.patients?.length) {
    const records = await readPatientRecords(io, opts.patients, problems);
    if (problems.some((p) => p.severity === 'error')) {
      printDiagnostics(io, problems, color);
      return EXIT.cannotRun;
    }
    const ca = compileCriteria(a);
    const cb = compileCriteria(b);
    const pairs: [PatientResult, PatientResult][] = records.map((r) => [
      evaluateRecord(ca, r.raw, asOf, r.source),
      evaluateRecord(cb, r.raw, asOf, r.source),
    ]);
    d.patients = collectFlips(pairs, asOf);
  }
  const text = DIFF_FORMATTERS[format](d);
  if (!(await writeReport(io, opts.output, text, color))) return EXIT.cannotRun;
  return diffExitCode(true);
}
