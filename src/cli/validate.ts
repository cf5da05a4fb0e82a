/**
 * `elig validate <files|dirs...>`: schema, reference and lint checks of criteria files and their
 * test files. Every problem is a located diagnostic; formats human, json, github, sarif, junit.
 */
import { dirname, join } from 'node:path';
import { Chalk } from 'chalk';
import {
  checkTestReferences, checkConcepts, defaultCriteriaFor, diag, loadVocabularyFile, VOCABULARY, isTestFileName, lintCriteria, loadCriteria, loadTestsFile, formatValidateHuman,
  validateCounts, VALIDATE_FORMATS, VALIDATE_FORMATTERS, type Diagnostic, type ValidatedFile, type ValidateFormat, type ValidateRun,
} from '../index.js';
import { VERSION } from '../version.js';
import { EXIT, validateExitCode } from './exit-code.js';
import type { Io } from './io.js';
import { printDiagnostics, usageError, useColor, writeReport } from './output.js';
import { expandYamlFiles, readImportTexts, readText } from './criteria-files.js';
import { shown } from './criteria-files.js';
import { gitShow } from './git.js';

export interface ValidateOptions {
  format?: string;
  maxWarnings?: string;
  since?: string;
  output?: string;
  color?: boolean;
}


async function exists(io: Io, p: string): Promise<boolean> {
  try {
    return (await io.stat(p)).isFile();
  } catch {
    return false;
  }
}

async function previousText(io: Io, since: string, sinceIsFile: boolean, file: string): Promise<{ label: string; text: string } | undefined> {
  if (sinceIsFile) {
    const t = await readText(io, since);
    return 'text' in t ? { label: since, text: t.text } : undefined;
  }
  const text = await gitShow(since, file, io.cwd());
  return text === undefined ? undefined : { label: `${since}:${file}`, text };
}

async function validateCriteriaFile(io: Io, path: string, since: { ref: string; isFile: boolean } | undefined): Promise<ValidatedFile> {
  const file = shown(io, path);
  const t = await readText(io, path, 'criteria file');
  if ('diagnostic' in t) return { file, kind: 'criteria', diagnostics: [t.diagnostic] };
  // a concept file (imported by criteria files) beside them: validated as a vocabulary file
  if (/^\s*schema:\s*["']?elig\/vocabulary@1/m.test(t.text)) {
    const v = loadVocabularyFile(file, t.text);
    return { file, kind: 'criteria', diagnostics: v.loaded ? checkConcepts([v.loaded], VOCABULARY) : v.diagnostics };
  }
  const r = loadCriteria(file, t.text, { imports: await readImportTexts(io, path, t.text) });
  if (!r.criteria) return { file, kind: 'criteria', diagnostics: r.diagnostics };
  const previous = since ? await previousText(io, since.ref, since.isFile, path) : undefined;
  return {
    file, kind: 'criteria', id: r.criteria.doc.id, version: r.criteria.doc.version,
    diagnostics: [...r.diagnostics, ...lintCriteria(r.criteria, t.text, previous ? { previous } : {})],
  };
}

async function validateTestFile(io: Io, path: string): Promise<ValidatedFile> {
  const file = shown(io, path);
  const t = await readText(io, path, 'test file');
  if ('diagnostic' in t) return { file, kind: 'tests', diagnostics: [t.diagnostic] };
  const r = loadTestsFile(file, t.text);
  if (!r.tests) return { file, kind: 'tests', diagnostics: r.diagnostics };
  const tests = r.tests;
  const out: Diagnostic[] = [];
  const dir = dirname(path);
  const criteriaPath = tests.doc.criteria ? join(dir, tests.doc.criteria) : defaultCriteriaFor(path);
  const ct = criteriaPath ? await readText(io, criteriaPath, 'criteria file') : undefined;
  if (!ct || 'diagnostic' in ct) {
    out.push(tests.at('tests/criteria-not-found', ct && 'diagnostic' in ct ? ct.diagnostic.message : 'no criteria file (give `criteria:`)', tests.doc.criteria ? ['criteria'] : []));
  } else {
    const lc = loadCriteria(shown(io, criteriaPath!), ct.text, { imports: await readImportTexts(io, criteriaPath!, ct.text) });
    if (lc.criteria) out.push(...checkTestReferences(tests, lc.criteria.doc));
    else out.push(tests.at('tests/criteria-not-found', `the criteria under test (${shown(io, criteriaPath!)}) do not load: run elig validate on it`, tests.doc.criteria ? ['criteria'] : []));
  }
  for (const [i, c] of tests.doc.cases.entries()) {
    if (typeof c.patient === 'string' && !(await exists(io, join(dir, c.patient)))) {
      out.push(tests.at('tests/patient-not-found', `no patient file ${shown(io, join(dir, c.patient))}`, ['cases', i, 'patient']));
    }
  }
  return { file, kind: 'tests', diagnostics: out };
}

export async function runValidate(paths: string[], raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as ValidateOptions;
  const format = (opts.format ?? 'human') as ValidateFormat;
  const usage = (m: string) => usageError(io, 'validate', m);
  if (!(VALIDATE_FORMATS as readonly string[]).includes(format)) return usage(`--format must be one of ${VALIDATE_FORMATS.join(', ')}`);
  const maxWarnings = opts.maxWarnings === undefined ? -1 : Number(opts.maxWarnings);
  if (!Number.isInteger(maxWarnings) || maxWarnings < -1) return usage(`--max-warnings must be a whole number (or -1), got "${opts.maxWarnings}"`);
  if (!paths.length) return usage('give the criteria files or directories to validate');
  const stderrColor = useColor(io, io.stderr, undefined);
  const problems: Diagnostic[] = [];
  const files = await expandYamlFiles(io, paths, problems);
  if (problems.length) {
    printDiagnostics(io, problems, stderrColor);
    return EXIT.cannotRun;
  }
  if (!files.length) {
    printDiagnostics(io, [diag('file/not-found', `no YAML files in ${paths.join(', ')}`)], stderrColor);
    return EXIT.cannotRun;
  }
  let since: { ref: string; isFile: boolean } | undefined;
  if (opts.since !== undefined) {
    since = { ref: opts.since, isFile: await exists(io, opts.since) };
  }
  const run: ValidateRun = { tool: { name: 'elig', version: VERSION }, files: [] };
  for (const f of files) {
    run.files.push(isTestFileName(f) ? await validateTestFile(io, f) : await validateCriteriaFile(io, f, since));
  }
  let text: string;
  if (format === 'human') {
    const color = opts.output === undefined && useColor(io, io.stdout, opts.color);
    const c = new Chalk({ level: color ? 1 : 0 });
    text = formatValidateHuman(run, (s, t) => (s === 'error' ? c.red(t) : s === 'warning' ? c.yellow(t) : s === 'ok' ? c.green(t) : c.gray(t)));
  } else text = VALIDATE_FORMATTERS[format](run);
  if (!(await writeReport(io, opts.output, text, stderrColor))) return EXIT.cannotRun;
  return validateExitCode(validateCounts(run), maxWarnings);
}
