/**
 * `elig explain <criteria> [--criterion id] [--patient <record>]`: the criteria as plain language, as
 * a coordinator reads them on a screening checklist; with a patient, the values under each criterion.
 */
import { relative, resolve as resolvePath } from 'node:path';
import {
  compileCriteria, diag, evaluateRecord, explainCriteria, formatExplanation, isIsoDate, loadCriteria, type Diagnostic, type PatientResult,
} from '../index.js';
import { EXIT } from './exit-code.js';
import type { Io } from './io.js';
import { printDiagnostics, usageError, useColor } from './output.js';
import { readImportTexts, readPatientRecords, readText } from './criteria-files.js';

export interface ExplainOptions {
  criterion?: string;
  patient?: string;
  asOf?: string;
  format?: string;
}

export async function runExplain(file: string, raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as ExplainOptions;
  const usage = (m: string) => usageError(io, 'explain', m);
  const asOf = opts.asOf ?? io.today();
  if (!isIsoDate(asOf)) return usage(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  const color = useColor(io, io.stderr, undefined);
  const t = await readText(io, file, 'criteria file');
  if ('diagnostic' in t) {
    printDiagnostics(io, [t.diagnostic], color);
    return EXIT.cannotRun;
  }
  const shown = relative(io.cwd(), resolvePath(io.cwd(), file)) || file;
  const r = loadCriteria(shown, t.text, { imports: await readImportTexts(io, file, t.text) });
  if (!r.criteria) {
    printDiagnostics(io, r.diagnostics, color);
    return EXIT.cannotRun;
  }
  const doc = r.criteria.doc;
  if (opts.criterion && ![...doc.inclusion, ...doc.exclusion].some((c) => c.id === opts.criterion)) {
    return usage(`${shown} has no criterion "${opts.criterion}" (it has ${[...doc.inclusion, ...doc.exclusion].map((c) => c.id).join(', ')})`);
  }
  let result: PatientResult | undefined;
  if (opts.patient) {
    const problems: Diagnostic[] = [];
    const records = await readPatientRecords(io, [opts.patient], problems);
    if (problems.length || records.length !== 1) {
      printDiagnostics(io, problems.length ? problems : [diag('input/no-records', `--patient needs a file with exactly one record (${opts.patient} has ${records.length})`, { file: opts.patient })], color);
      return EXIT.cannotRun;
    }
    result = evaluateRecord(compileCriteria(r.criteria), records[0]!.raw, asOf, records[0]!.source);
    if (result.verdict === 'error') {
      printDiagnostics(io, result.diagnostics ?? [], color);
      return EXIT.cannotRun;
    }
  }
  const x = explainCriteria(doc, { ...(opts.criterion ? { criterion: opts.criterion } : {}), ...(result ? { result, asOf } : {}) });
  io.stdout.write(opts.format === 'json' ? `${JSON.stringify(x, null, 2)}\n` : formatExplanation(x, Math.min(100, io.stdout.columns ?? 100)));
  return EXIT.ok;
}
