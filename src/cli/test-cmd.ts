/**
 * `elig test [paths...]`: run the test files of criteria (`<trial>.test.yaml` beside `<trial>.yaml`),
 * report failures with expected vs actual status and the reasons, and, with --coverage, the outcome
 * coverage per criterion. Default path: criteria/.
 */
import { dirname, join } from 'node:path';
import { Chalk } from 'chalk';
import {
  checkTestReferences, compileCriteria, defaultCriteriaFor, detectFormat, diag, isTestFileName, loadCriteria, loadTestsFile,
  outcomeCoverage, runCase, TEST_FORMATS, TEST_FORMATTERS, formatTestHuman, testTotals, coverageShortfalls, TEXT_PARSERS,
  type CaseOutcome, type Diagnostic, type TestFileRun, type TestFormat, type TestRun,
} from '../index.js';
import { EXIT, testExitCode } from './exit-code.js';
import type { Io } from './io.js';
import { printDiagnostics, usageError, useColor, writeReport } from './output.js';
import { expandYamlFiles, readImportTexts, readText } from './criteria-files.js';
import { shown } from './criteria-files.js';

export interface TestOptions {
  format?: string;
  coverage?: boolean;
  coverageMin?: string;
  output?: string;
  color?: boolean;
}


/** The test files for the given paths: test files as given, a criteria file's sibling test file, directories searched. */
async function testFilesFor(io: Io, paths: string[], problems: Diagnostic[]): Promise<string[]> {
  const files = await expandYamlFiles(io, paths, problems);
  const out: string[] = [];
  for (const f of files) {
    if (isTestFileName(f)) out.push(f);
    else if (paths.includes(f)) {
      // a criteria file named explicitly: its sibling test file
      const t = f.replace(/\.ya?ml$/i, '.test.yaml');
      try {
        await io.stat(t);
        out.push(t);
      } catch {
        problems.push(diag('tests/no-tests', `${f} has no test file (${t})`, { file: f }));
      }
    }
  }
  return [...new Set(out)];
}

async function readPatient(io: Io, file: string): Promise<{ raw: unknown } | { diagnostic: Diagnostic }> {
  const t = await readText(io, file, 'test patient');
  if ('diagnostic' in t) return { diagnostic: { ...t.diagnostic, code: 'tests/patient-not-found' } };
  const format = detectFormat(file);
  if (format !== 'json' && format !== 'yaml') return { diagnostic: diag('input/unsupported-format', `test patients are JSON or YAML files: ${file}`, { file }) };
  const items = TEXT_PARSERS[format](file, t.text);
  const first = items[0];
  if (items.length !== 1 || !first) return { diagnostic: diag('tests/invalid', `${file} must hold exactly one record (it holds ${items.length})`, { file }) };
  if (first.kind === 'error') return { diagnostic: first.diagnostic };
  return { raw: first.raw };
}

async function runFile(io: Io, testFile: string, wantCoverage: boolean): Promise<TestFileRun> {
  const file = shown(io, testFile);
  const run: TestFileRun = { file, cases: [], diagnostics: [] };
  const t = await readText(io, testFile, 'test file');
  if ('diagnostic' in t) return { ...run, diagnostics: [t.diagnostic] };
  const loaded = loadTestsFile(file, t.text);
  if (!loaded.tests) return { ...run, diagnostics: loaded.diagnostics };
  const tests = loaded.tests;
  const dir = dirname(testFile);
  const criteriaPath = tests.doc.criteria ? join(dir, tests.doc.criteria) : defaultCriteriaFor(testFile);
  if (!criteriaPath) return { ...run, diagnostics: [tests.at('tests/criteria-not-found', 'give `criteria:` (the file name does not end in .test.yaml)', [])] };
  const ct = await readText(io, criteriaPath, 'criteria file');
  if ('diagnostic' in ct) {
    return { ...run, diagnostics: [tests.at('tests/criteria-not-found', ct.diagnostic.message, tests.doc.criteria ? ['criteria'] : [])] };
  }
  const lc = loadCriteria(shown(io, criteriaPath), ct.text, { imports: await readImportTexts(io, criteriaPath, ct.text) });
  if (!lc.criteria) return { ...run, diagnostics: lc.diagnostics };
  run.criteria = { file: shown(io, criteriaPath), id: lc.criteria.doc.id, version: lc.criteria.doc.version };
  const refs = checkTestReferences(tests, lc.criteria.doc);
  if (refs.length) return { ...run, diagnostics: refs };
  const compiled = compileCriteria(lc.criteria);
  const cache = new Map<string, { raw: unknown } | { diagnostic: Diagnostic }>();
  for (let i = 0; i < tests.doc.cases.length; i++) {
    const c = tests.doc.cases[i]!;
    let raw: unknown;
    let patientFile = `${file}#${c.name}`;
    if (typeof c.patient === 'string') {
      const p = join(dir, c.patient);
      let got = cache.get(p);
      if (!got) cache.set(p, (got = await readPatient(io, p)));
      if ('diagnostic' in got) {
        const d = tests.at('tests/patient-not-found', got.diagnostic.message, ['cases', i, 'patient']);
        run.cases.push({ name: c.name, file, line: tests.caseLines[i] ?? 1, asOf: (c.asOf ?? tests.doc.asOf)!, ok: false, failures: [], error: d } satisfies CaseOutcome);
        continue;
      }
      raw = got.raw;
      patientFile = shown(io, p);
    } else raw = c.patient;
    run.cases.push(runCase(compiled, tests, i, raw, patientFile));
  }
  if (wantCoverage) run.coverage = outcomeCoverage(lc.criteria.doc, run.cases);
  return run;
}

export async function runTest(paths: string[], raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as TestOptions;
  const format = (opts.format ?? 'human') as TestFormat;
  if (!(TEST_FORMATS as readonly string[]).includes(format)) {
    return usageError(io, 'test', `--format must be one of ${TEST_FORMATS.join(', ')}`);
  }
  let coverageMin: number | undefined;
  if (opts.coverageMin !== undefined) {
    coverageMin = Number(opts.coverageMin.replace(/%$/, ''));
    if (!Number.isFinite(coverageMin) || coverageMin < 0 || coverageMin > 100) {
      return usageError(io, 'test', `--coverage-min must be a percentage 0–100, got "${opts.coverageMin}"`);
    }
  }
  const stderrColor = useColor(io, io.stderr, undefined);
  const problems: Diagnostic[] = [];
  const files = await testFilesFor(io, paths.length ? paths : ['criteria'], problems);
  const fatal = problems.filter((d) => d.severity === 'error');
  printDiagnostics(io, problems, stderrColor);
  if (fatal.length) return EXIT.cannotRun;
  if (!files.length) {
    printDiagnostics(io, [diag('tests/no-tests', `no test files (*.test.yaml) in ${paths.join(', ') || 'criteria'}`)], stderrColor);
    return EXIT.cannotRun;
  }
  const runs: TestFileRun[] = [];
  for (const f of files) runs.push(await runFile(io, f, opts.coverage === true || coverageMin !== undefined));
  const run: TestRun = { files: runs, ...(coverageMin !== undefined ? { coverageMin } : {}) };
  let text: string;
  if (format === 'human') {
    const color = opts.output === undefined && useColor(io, io.stdout, opts.color);
    const c = new Chalk({ level: color ? 1 : 0 });
    text = formatTestHuman(run, { color: (k, s) => (k === 'ok' ? c.green(s) : k === 'bad' ? c.red(s) : c.gray(s)) });
  } else text = TEST_FORMATTERS[format](run);
  if (!(await writeReport(io, opts.output, text, stderrColor))) return EXIT.cannotRun;
  return testExitCode(testTotals(run), coverageShortfalls(run).length);
}
