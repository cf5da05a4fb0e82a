/**
 * Test files for criteria (`criteria/<trial>.test.yaml`, language `elig/tests@1`): cases of a patient
 * (inline, or a path to a fixture), an as-of date and the expected verdict and per-criterion statuses.
 * Loading (with file:line:col diagnostics), running one case against compiled criteria, and outcome
 * coverage. Pure: the CLI reads the files and hands over their text and records.
 */
import { z } from 'zod';
import { diag, type DiagnosticCode } from '../diagnostics.js';
import { isIsoDate } from '../dates.js';
import { evaluateRecord, type CompiledCriteria } from '../engine/compile.js';
import { STATUSES, VERDICTS, type Diagnostic, type PatientResult, type Status, type Verdict } from '../model.js';
import type { CriteriaDoc } from './schema.js';
import { nodeAt, parseYaml, type PathSeg, type SourceText } from './yaml-source.js';
import type { Document } from 'yaml';
import { setOwn } from '../own.js';

export const TESTS_SCHEMA_VERSION = 'elig/tests@1';

const IsoDate = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
const StatusSchema = z.enum(STATUSES as unknown as [Status, ...Status[]]);
const VerdictSchema = z.enum(VERDICTS as unknown as [Verdict, ...Verdict[]]);

export const TestCaseSchema = z.strictObject({
  name: z.string().min(1).describe('What the case shows; unique in the file.'),
  patient: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe('A patient record inline, or the path (relative to this file) of a JSON/YAML file holding one record.'),
  add: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Changes to the patient: a list is appended to the record\'s list of that name; any other value replaces it.'),
  remove: z.array(z.string()).optional().describe('Top-level keys to delete from the patient before `add` (e.g. conditions, to test a missing problem list).'),
  asOf: IsoDate.optional().describe('Evaluation date; defaults to the file\'s asOf.'),
  expect: z
    .strictObject({
      verdict: VerdictSchema.optional(),
      criteria: z.record(z.string(), StatusSchema).optional().describe('Expected status per criterion id; criteria not listed are not checked.'),
    })
    .describe('At least one of verdict and criteria.'),
});

export const TestsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  schema: z.literal(TESTS_SCHEMA_VERSION).describe('Test-file language version.'),
  criteria: z.string().min(1).optional().describe('The criteria file under test, relative to this file; default: <name>.yaml beside <name>.test.yaml.'),
  asOf: IsoDate.optional().describe('Default evaluation date of the cases.'),
  cases: z.array(TestCaseSchema).min(1),
});

export type TestCase = z.infer<typeof TestCaseSchema>;
export type TestsDoc = z.infer<typeof TestsFileSchema>;

export interface LoadedTests {
  file: string;
  doc: TestsDoc;
  /** 1-based line of each case, in order. */
  caseLines: number[];
  /** Diagnostic at a path of the test file (for reference checks made later). */
  at(code: DiagnosticCode, message: string, path: PathSeg[], hint?: string): Diagnostic;
}

export interface TestsLoadResult {
  tests?: LoadedTests;
  diagnostics: Diagnostic[];
}

function locator(source: SourceText, doc: Document) {
  return (code: DiagnosticCode, message: string, path: PathSeg[], hint?: string): Diagnostic => {
    const node = nodeAt(doc, path);
    const loc = source.location(node?.range ?? undefined, path);
    const frame = source.frame(loc);
    return diag(code, message, loc, { ...(hint ? { hint } : {}), ...(frame ? { frame } : {}) });
  };
}

/** Default criteria file of a test file: `x.test.yaml` → `x.yaml`. */
export function defaultCriteriaFor(testFile: string): string | undefined {
  const m = /^(.*)\.test\.ya?ml$/.exec(testFile);
  return m ? `${m[1]}.yaml` : undefined;
}

export function isTestFileName(name: string): boolean {
  return /\.test\.ya?ml$/.test(name);
}

/** Parse and validate a test file; structural problems are diagnostics at their line:col. */
export function loadTestsFile(file: string, text: string): TestsLoadResult {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length || !parsed.doc) return { diagnostics: parsed.diagnostics };
  const at = locator(parsed.source, parsed.doc);
  const value = parsed.value as Record<string, unknown> | undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { diagnostics: [at('tests/invalid', 'a test file is a mapping with schema, asOf and cases', [])] };
  }
  if (value.schema !== TESTS_SCHEMA_VERSION) {
    return {
      diagnostics: [at('tests/unknown-schema', value.schema === undefined ? 'missing "schema" (the test-file language version)' : `unknown test-file language version ${JSON.stringify(value.schema)}`,
        value.schema === undefined ? [] : ['schema'], `this elig reads ${TESTS_SCHEMA_VERSION}`)],
    };
  }
  const r = TestsFileSchema.safeParse(value);
  const out: Diagnostic[] = [];
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path as PathSeg[];
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) out.push(at('tests/invalid', `unknown key "${k}"`, [...path, k]));
      } else {
        out.push(at('tests/invalid', `${path.length ? `${path.join('.')}: ` : ''}${issue.message}`, path));
      }
    }
    return { diagnostics: out };
  }
  const doc = r.data;
  const names = new Map<string, number>();
  doc.cases.forEach((c, i) => {
    if (!doc.asOf && !c.asOf) out.push(at('tests/missing-as-of', `case "${c.name}" has no asOf and the file gives none`, ['cases', i]));
    if (!c.expect.verdict && !c.expect.criteria) out.push(at('tests/invalid', `case "${c.name}" expects nothing: give a verdict or criteria statuses`, ['cases', i, 'expect']));
    const prev = names.get(c.name);
    if (prev !== undefined) out.push(at('tests/duplicate-case', `case name "${c.name}" is already used by case ${prev + 1}`, ['cases', i, 'name']));
    else names.set(c.name, i);
  });
  if (out.length) return { diagnostics: out };
  const caseLines = doc.cases.map((_, i) => parsed.source.location(nodeAt(parsed.doc!, ['cases', i])?.range ?? undefined).line ?? 1);
  return { tests: { file, doc, caseLines, at }, diagnostics: [] };
}

/** Reference checks against the criteria under test: every expected criterion id exists. */
export function checkTestReferences(tests: LoadedTests, criteria: CriteriaDoc): Diagnostic[] {
  const ids = new Set([...criteria.inclusion, ...criteria.exclusion].map((c) => c.id));
  const out: Diagnostic[] = [];
  tests.doc.cases.forEach((c, i) => {
    for (const id of Object.keys(c.expect.criteria ?? {})) {
      if (!ids.has(id)) out.push(tests.at('tests/unknown-criterion', `criteria ${criteria.id} v${criteria.version} has no criterion "${id}"`, ['cases', i, 'expect', 'criteria', id]));
    }
  });
  return out;
}

/** The patient of a case after `remove`, then `add`, as a fresh object (the input is not modified). */
export function applyPatch(base: unknown, c: Pick<TestCase, 'add' | 'remove'>): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const k of c.remove ?? []) delete out[k];
  for (const [k, v] of Object.entries(c.add ?? {})) {
    const cur = Object.hasOwn(out, k) ? out[k] : undefined;
    setOwn(out, k, Array.isArray(cur) && Array.isArray(v) ? [...cur, ...v] : v);
  }
  return out;
}

export interface CaseFailure {
  /** Absent for a verdict mismatch. */
  criterion?: string;
  expected: Status | Verdict;
  actual: Status | Verdict | 'missing';
  /** Reason texts of the actual result (for a verdict: the criteria that decided it). */
  reasons: string[];
  /** For an actual `unknown`: the data that would decide it. */
  missing?: string[];
}

export interface CaseOutcome {
  name: string;
  file: string;
  line: number;
  asOf: string;
  ok: boolean;
  failures: CaseFailure[];
  result?: PatientResult;
  /** The case could not run (patient unreadable or invalid). */
  error?: Diagnostic;
}

function verdictReasons(result: PatientResult): string[] {
  const decisive = result.verdict === 'ineligible' ? 'fail' : result.verdict === 'indeterminate' ? 'unknown' : undefined;
  if (result.verdict === 'error') return (result.diagnostics ?? []).map((d) => `${d.code}: ${d.message}`);
  if (!decisive) return [];
  return result.criteria.filter((c) => c.status === decisive).map((c) => `${c.id} ${c.status}`);
}

/** Run one case: evaluate the (patched) patient and compare with the expectations. */
export function runCase(compiled: CompiledCriteria, tests: LoadedTests, index: number, patient: unknown, patientFile: string): CaseOutcome {
  const c = tests.doc.cases[index]!;
  const asOf = (c.asOf ?? tests.doc.asOf)!;
  const base = { name: c.name, file: tests.file, line: tests.caseLines[index] ?? 1, asOf };
  const raw = applyPatch(patient, c);
  const result = evaluateRecord(compiled, raw, asOf, { file: patientFile });
  const failures: CaseFailure[] = [];
  if (result.verdict === 'error' && c.expect.verdict !== 'error') {
    const d = result.diagnostics?.[0] ?? diag('record/invalid', 'the patient record is invalid', { file: patientFile });
    return { ...base, ok: false, failures: [], result, error: d };
  }
  if (c.expect.verdict && c.expect.verdict !== result.verdict) {
    failures.push({ expected: c.expect.verdict, actual: result.verdict, reasons: verdictReasons(result) });
  }
  for (const [id, expected] of Object.entries(c.expect.criteria ?? {})) {
    const got = result.criteria.find((x) => x.id === id);
    if (!got) {
      failures.push({ criterion: id, expected, actual: 'missing', reasons: [] });
    } else if (got.status !== expected) {
      const f: CaseFailure = { criterion: id, expected, actual: got.status, reasons: got.reasons.map((r) => r.text) };
      if (got.missing?.length) f.missing = got.missing.map((m) => m.description);
      failures.push(f);
    }
  }
  return { ...base, ok: failures.length === 0, failures, result };
}

export interface CriterionCoverage {
  id: string;
  kind: 'inclusion' | 'exclusion';
  /** The outcomes the criterion can have: pass and fail; unknown unless its `missing` policy turns it into another; not_applicable with a `when`. */
  reachable: Status[];
  exercised: Status[];
}

export interface Coverage {
  criteria: CriterionCoverage[];
  covered: number;
  total: number;
  /** covered / total × 100, rounded down to 1 decimal. */
  percent: number;
}

/** Outcome coverage: per criterion, which reachable statuses the cases' results reached. */
export function outcomeCoverage(doc: CriteriaDoc, outcomes: readonly CaseOutcome[]): Coverage {
  const seen = new Map<string, Set<Status>>();
  for (const o of outcomes) for (const c of o.result?.criteria ?? []) {
    let s = seen.get(c.id);
    if (!s) seen.set(c.id, (s = new Set()));
    s.add(c.status);
  }
  const criteria: CriterionCoverage[] = [];
  for (const kind of ['inclusion', 'exclusion'] as const) {
    for (const def of doc[kind]) {
      const reachable: Status[] = ['pass', 'fail'];
      if ((def.missing ?? 'unknown') === 'unknown') reachable.push('unknown');
      if (def.when) reachable.push('not_applicable');
      const got = seen.get(def.id) ?? new Set<Status>();
      criteria.push({ id: def.id, kind, reachable, exercised: STATUSES.filter((s) => got.has(s)) });
    }
  }
  const total = criteria.reduce((n, c) => n + c.reachable.length, 0);
  const covered = criteria.reduce((n, c) => n + c.reachable.filter((s) => c.exercised.includes(s)).length, 0);
  const percent = total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10;
  return { criteria, covered, total, percent };
}
