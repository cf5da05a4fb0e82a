/**
 * Formats of an `elig test` run: human, json, junit, tap. Data in, string out; no I/O.
 */
import { formatDiagnosticLine } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';
import type { CaseFailure, CaseOutcome, Coverage } from './tests-file.js';
import { visible } from '../visible.js';
import { tapDescription, yamlQuoted } from '../reporters/tap.js';

export const TEST_FORMATS = ['human', 'json', 'junit', 'tap'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];

export interface TestFileRun {
  /** The test file. */
  file: string;
  criteria?: { file: string; id: string; version: string };
  cases: CaseOutcome[];
  /** Present when --coverage was asked for. */
  coverage?: Coverage;
  /** Problems that stopped the file from running (unreadable criteria, invalid test file). */
  diagnostics: Diagnostic[];
}

export interface TestRun {
  files: TestFileRun[];
  coverageMin?: number;
}

export interface TestTotals {
  files: number;
  cases: number;
  passed: number;
  failed: number;
  errors: number;
}

export function totals(run: TestRun): TestTotals {
  const cases = run.files.flatMap((f) => f.cases);
  return {
    files: run.files.length,
    cases: cases.length,
    passed: cases.filter((c) => c.ok).length,
    failed: cases.filter((c) => !c.ok && !c.error).length,
    errors: cases.filter((c) => c.error).length + run.files.filter((f) => f.diagnostics.some((d) => d.severity === 'error')).length,
  };
}

/** Coverage below --coverage-min, per file (the files that have coverage). */
export function coverageShortfalls(run: TestRun): { file: string; percent: number }[] {
  if (run.coverageMin === undefined) return [];
  return run.files.filter((f) => f.coverage && f.coverage.percent < run.coverageMin!).map((f) => ({ file: f.file, percent: f.coverage!.percent }));
}

/** One line per failure and per detail; every text from the files is shown through `visible` (one line each). */
function failureLine(f: CaseFailure): string {
  return visible(f.criterion === undefined
    ? `verdict: expected ${f.expected}, got ${f.actual}`
    : `${f.criterion}: expected ${f.expected}, got ${f.actual}`);
}

function failureDetail(f: CaseFailure): string[] {
  const out: string[] = [];
  if (f.criterion === undefined && f.reasons.length) out.push(`decided by: ${f.reasons.join(', ')}`);
  else for (const r of f.reasons) out.push(`• ${r}`);
  for (const m of f.missing ?? []) out.push(`→ needs: ${m}`);
  return out.map(visible);
}

const SHORT: Record<string, string> = { pass: 'pass', fail: 'fail', unknown: 'unknown', not_applicable: 'n/a' };

function humanCoverage(c: Coverage): string[] {
  const out = [`  outcome coverage: ${c.covered}/${c.total} (${c.percent}%)`];
  const w = Math.max(...c.criteria.map((x) => visible(x.id).length));
  for (const cr of c.criteria) {
    const cells = cr.reachable.map((s) => (cr.exercised.includes(s) ? SHORT[s]! : `-${SHORT[s]!}`));
    const gap = cr.reachable.filter((s) => !cr.exercised.includes(s));
    out.push(`    ${visible(cr.id).padEnd(w)}  ${cells.join(' ')}${gap.length ? `   (not exercised: ${gap.map((s) => SHORT[s]).join(', ')})` : ''}`);
  }
  return out;
}

export function formatHuman(run: TestRun, opts: { color?: (kind: 'ok' | 'bad' | 'dim', s: string) => string } = {}): string {
  const paint = opts.color ?? ((_k: 'ok' | 'bad' | 'dim', s: string) => s);
  const lines: string[] = [];
  for (const f of run.files) {
    const head = f.criteria ? `${f.file} → ${f.criteria.file} (${f.criteria.id} v${f.criteria.version})` : f.file;
    lines.push(visible(head));
    for (const d of f.diagnostics) {
      lines.push(`  ${paint('bad', formatDiagnosticLine(d))}`);
      if (d.frame) lines.push(...d.frame.split('\n').map((l) => `    ${l}`));
    }
    for (const c of f.cases) {
      const name = visible(c.name);
      if (c.error) {
        lines.push(`  ${paint('bad', '✗')} ${name} ${paint('dim', visible(`(${c.file}:${c.line})`))}`);
        lines.push(`      could not run: ${formatDiagnosticLine(c.error)}`);
      } else if (c.ok) {
        lines.push(`  ${paint('ok', '✓')} ${name}`);
      } else {
        lines.push(`  ${paint('bad', '✗')} ${name} ${paint('dim', visible(`(${c.file}:${c.line}, as of ${c.asOf})`))}`);
        for (const fl of c.failures) {
          lines.push(`      ${failureLine(fl)}`);
          for (const d of failureDetail(fl)) lines.push(`        ${d}`);
        }
      }
    }
    if (f.coverage) lines.push(...humanCoverage(f.coverage));
  }
  const t = totals(run);
  // the last line is the plain `N passed, N failed` that CI systems read (cases that could not run count as failed)
  lines.push('', `${t.cases} case${t.cases === 1 ? '' : 's'} in ${t.files} file${t.files === 1 ? '' : 's'}${t.errors ? `; ${t.errors} could not run` : ''}`);
  lines.push(`cases: ${t.passed} passed, ${t.failed + t.errors} failed`);
  for (const s of coverageShortfalls(run)) lines.push(paint('bad', `coverage ${s.percent}% of ${visible(s.file)} is below --coverage-min ${run.coverageMin}%`));
  return `${lines.join('\n')}\n`;
}

export function formatJson(run: TestRun): string {
  const out = {
    files: run.files.map((f) => ({
      file: f.file,
      ...(f.criteria ? { criteria: f.criteria } : {}),
      diagnostics: f.diagnostics.map(({ frame: _frame, ...d }) => d),
      cases: f.cases.map((c) => ({
        name: c.name, line: c.line, asOf: c.asOf, ok: c.ok,
        ...(c.result ? { verdict: c.result.verdict } : {}),
        failures: c.failures,
        ...(c.error ? { error: (({ frame: _f, ...d }) => d)(c.error) } : {}),
      })),
      ...(f.coverage ? { coverage: f.coverage } : {}),
    })),
    summary: { ...totals(run), ...(run.coverageMin !== undefined ? { coverageMin: run.coverageMin, belowCoverageMin: coverageShortfalls(run) } : {}) },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** XML text or attribute content: markup characters escaped, characters XML 1.0 does not allow dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // characters XML 1.0 does not allow
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

/** One line of data as XML: control characters as visible escapes (visible.ts), then escaped. */
export function xmlValue(s: string): string {
  return xmlEscape(visible(s));
}

export function formatJunit(run: TestRun): string {
  const t = totals(run);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="elig test" tests="${t.cases}" failures="${t.failed}" errors="${t.errors}">`];
  for (const f of run.files) {
    const failed = f.cases.filter((c) => !c.ok && !c.error).length;
    const errors = f.cases.filter((c) => c.error).length + (f.diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
    const classname = f.criteria ? `${f.criteria.id}@${f.criteria.version}` : f.file;
    lines.push(`  <testsuite name="${xmlValue(f.file)}" tests="${f.cases.length}" failures="${failed}" errors="${errors}">`);
    for (const d of f.diagnostics) {
      lines.push(`    <testcase name="${xmlValue(`load ${f.file}`)}" classname="${xmlValue(classname)}" file="${xmlValue(d.location?.file ?? f.file)}">`);
      lines.push(`      <error type="${xmlValue(d.code)}" message="${xmlValue(d.message)}">${xmlValue(formatDiagnosticLine(d))}</error>`);
      lines.push('    </testcase>');
    }
    for (const c of f.cases) {
      const attrs = `name="${xmlValue(c.name)}" classname="${xmlValue(classname)}" file="${xmlValue(c.file)}" line="${c.line}"`;
      if (c.ok) {
        lines.push(`    <testcase ${attrs}/>`);
        continue;
      }
      lines.push(`    <testcase ${attrs}>`);
      if (c.error) {
        lines.push(`      <error type="${xmlValue(c.error.code)}" message="${xmlValue(c.error.message)}">${xmlValue(formatDiagnosticLine(c.error))}</error>`);
      } else {
        const body = c.failures.flatMap((fl) => [failureLine(fl), ...failureDetail(fl).map((d) => `  ${d}`)]).join('\n');
        lines.push(`      <failure type="expectation" message="${xmlValue(c.failures.map(failureLine).join('; '))}">${xmlEscape(body)}</failure>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** A YAML double-quoted scalar on one line (for TAP diagnostics). */
const yq = yamlQuoted;

export function formatTap(run: TestRun): string {
  const all = run.files.flatMap((f) => [
    ...f.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ kind: 'load' as const, f, d })),
    ...f.cases.map((c) => ({ kind: 'case' as const, f, c })),
  ]);
  const lines = ['TAP version 14', `1..${all.length}`];
  all.forEach((x, i) => {
    const n = i + 1;
    if (x.kind === 'load') {
      lines.push(`not ok ${n} - load ${tapDescription(x.f.file)}`, '  ---', `  message: ${yq(x.d.message)}`, `  code: ${yq(x.d.code)}`, `  at: ${yq(formatDiagnosticLine(x.d))}`, '  ...');
      return;
    }
    const c = x.c;
    const title = tapDescription(`${x.f.file} › ${c.name}`);
    if (c.ok) {
      lines.push(`ok ${n} - ${title}`);
      return;
    }
    lines.push(`not ok ${n} - ${title}`, '  ---');
    if (c.error) {
      lines.push(`  message: ${yq(`could not run: ${c.error.message}`)}`, `  code: ${yq(c.error.code)}`);
    } else {
      lines.push(`  message: ${yq(c.failures.map(failureLine).join('; '))}`, '  failures:');
      for (const fl of c.failures) {
        lines.push(`    - criterion: ${fl.criterion === undefined ? '~' : yq(fl.criterion)}`, `      expected: ${yq(fl.expected)}`, `      actual: ${yq(fl.actual)}`);
        if (fl.reasons.length) lines.push('      reasons:', ...fl.reasons.map((r) => `        - ${yq(r)}`));
      }
    }
    lines.push(`  at: ${yq(`${c.file}:${c.line}`)}`, '  ...');
  });
  return `${lines.join('\n')}\n`;
}

export const TEST_FORMATTERS: Record<TestFormat, (run: TestRun) => string> = {
  human: (r) => formatHuman(r),
  json: formatJson,
  junit: formatJunit,
  tap: formatTap,
};
