/**
 * The registry of diagnostic codes. Every problem elig reports in a user file or record has a
 * stable code from this table (documented in the README) and is a value, never an exception.
 */
import type { Diagnostic, Severity, SourceLocation } from './model.js';

export const DIAGNOSTIC_CODES = {
  // reading files
  'file/not-found': { severity: 'error', title: 'file not found' },
  'file/unreadable': { severity: 'error', title: 'file could not be read' },
  'file/too-large': { severity: 'error', title: 'file exceeds the size limit' },
  'input/no-records': { severity: 'warning', title: 'no patient records found' },
  'input/unsupported-format': { severity: 'error', title: 'input format not supported' },
  // YAML / JSON syntax
  'syntax/yaml': { severity: 'error', title: 'YAML syntax error' },
  'syntax/json': { severity: 'error', title: 'JSON syntax error' },
  'syntax/csv': { severity: 'error', title: 'CSV syntax error' },
  'syntax/duplicate-key': { severity: 'error', title: 'duplicate key' },
  'syntax/alias-limit': { severity: 'error', title: 'too many YAML aliases' },
  // criteria language
  'criteria/unknown-schema': { severity: 'error', title: 'unknown criteria language version' },
  'criteria/unknown-key': { severity: 'error', title: 'unknown key' },
  'criteria/invalid-type': { severity: 'error', title: 'wrong type' },
  'criteria/invalid-value': { severity: 'error', title: 'invalid value' },
  'criteria/missing-key': { severity: 'error', title: 'required key missing' },
  'criteria/unknown-operator': { severity: 'error', title: 'unknown operator' },
  'criteria/ambiguous-operator': { severity: 'error', title: 'more than one operator in a rule' },
  'criteria/duplicate-id': { severity: 'error', title: 'duplicate criterion id' },
  'criteria/unknown-ref': { severity: 'error', title: 'reference to an undefined definition' },
  'criteria/unknown-anchor': { severity: 'error', title: 'a rule names an anchor the file does not declare' },
  'criteria/invalid-anchor': { severity: 'error', title: 'an anchor declaration that is not exactly one dated event' },
  'criteria/ref-cycle': { severity: 'error', title: 'definitions refer to each other in a cycle' },
  'criteria/unknown-code': { severity: 'error', title: 'code not in the vocabulary' },
  'criteria/invalid-threshold': { severity: 'error', title: 'threshold cannot be read' },
  'criteria/invalid-duration': { severity: 'error', title: 'duration cannot be read' },
  'criteria/incompatible-unit': { severity: 'error', title: 'unit incompatible with the measurement' },
  'criteria/uln-not-applicable': { severity: 'error', title: 'ULN multiple used where there is no ULN' },
  'criteria/titre-not-applicable': { severity: 'error', title: 'titre used for a measurement not reported as a titre' },
  'criteria/conflicting-keys': { severity: 'error', title: 'keys of a rule that cannot be used together' },
  'criteria/empty': { severity: 'error', title: 'no criteria' },
  // coded forms (criteria and vocabulary files)
  'code/malformed': { severity: 'error', title: 'malformed code (shape or check digit)' },
  // vocabulary files (vocabulary/*.yaml, imported concept files)
  'vocabulary/unknown-schema': { severity: 'error', title: 'unknown vocabulary format version' },
  'vocabulary/unknown-key': { severity: 'error', title: 'unknown key in a concept' },
  'vocabulary/missing-key': { severity: 'error', title: 'required key missing in a concept' },
  'vocabulary/invalid-type': { severity: 'error', title: 'wrong type in a concept' },
  'vocabulary/invalid-value': { severity: 'error', title: 'invalid value in a concept' },
  'vocabulary/duplicate-id': { severity: 'error', title: 'two concepts share an id' },
  'vocabulary/duplicate-code': { severity: 'error', title: 'one code claimed by two concepts' },
  'vocabulary/unknown-parent': { severity: 'error', title: 'parent concept not defined' },
  'vocabulary/parent-cycle': { severity: 'error', title: 'concepts are their own ancestors' },
  'vocabulary/parent-kind': { severity: 'error', title: 'parent of another kind' },
  'vocabulary/import-skipped': { severity: 'warning', title: 'part of an imported concept set elig cannot use offline' },
  'criteria/import-not-found': { severity: 'error', title: 'imported concept file cannot be read' },
  'vocabulary/misplaced-field': { severity: 'error', title: 'field does not apply to this kind of concept' },
  // criteria lint (elig validate): valid files that are probably wrong
  'lint/unknown-code': { severity: 'warning', title: 'coded form not in the vocabulary' },
  'lint/shadowed-concept': { severity: 'warning', title: 'a concept of the file hides a built-in one' },
  'lint/implausible-threshold': { severity: 'warning', title: 'threshold outside the physiologic range' },
  'lint/contradictory-bounds': { severity: 'error', title: 'bounds in one all that no value can meet' },
  'lint/never-both-pass': { severity: 'error', title: 'an inclusion and an exclusion that can never both pass' },
  'lint/unused-definition': { severity: 'warning', title: 'definition never referred to' },
  'lint/missing-text': { severity: 'warning', title: 'criterion without protocol text' },
  'lint/version-not-bumped': { severity: 'error', title: 'content changed but the version did not' },
  // test files (criteria/<trial>.test.yaml)
  'tests/unknown-schema': { severity: 'error', title: 'unknown test-file language version' },
  'tests/invalid': { severity: 'error', title: 'test file does not match its schema' },
  'tests/missing-as-of': { severity: 'error', title: 'test case without an as-of date' },
  'tests/duplicate-case': { severity: 'error', title: 'two test cases share a name' },
  'tests/unknown-criterion': { severity: 'error', title: 'expected status for a criterion the file does not have' },
  'tests/patient-not-found': { severity: 'error', title: 'test patient file cannot be read' },
  'tests/criteria-not-found': { severity: 'error', title: 'criteria file under test cannot be read' },
  'tests/no-tests': { severity: 'warning', title: 'no test files found' },
  // patient records
  'record/invalid': { severity: 'error', title: 'record does not match the patient record schema' },
  'record/unknown-key': { severity: 'warning', title: 'unknown key in record' },
  'record/not-an-object': { severity: 'error', title: 'record is not an object' },
  'record/duplicate-id': { severity: 'warning', title: 'two records share an id' },
  'record/unknown-value': { severity: 'warning', title: 'value outside its closed set' },
  'record/unmapped': { severity: 'error', title: 'record entries map to no concept (policy unmapped: error)' },
  // FHIR R4 input (src/inputs/fhir/, src/cli/fhir-bulk.ts)
  'fhir/invalid-bundle': { severity: 'error', title: 'FHIR Bundle or Bulk Data file cannot be read' },
  'fhir/missing-patient': { severity: 'error', title: 'resources refer to a Patient that is not in the input' },
  'fhir/unknown-unit': { severity: 'warning', title: 'Observation unit is not a UCUM unit' },
  'fhir/unresolved-reference': { severity: 'warning', title: 'reference to a resource that is not in the input' },
  'fhir/unmapped-value': { severity: 'warning', title: 'FHIR value elig cannot map' },
  // usage
  'usage/invalid-option': { severity: 'error', title: 'invalid option' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function diag(
  code: DiagnosticCode,
  message: string,
  location?: SourceLocation,
  extra: { hint?: string; frame?: string; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: extra.severity ?? DIAGNOSTIC_CODES[code].severity, message };
  if (location) d.location = location;
  if (extra.hint) d.hint = extra.hint;
  if (extra.frame) d.frame = extra.frame;
  return d;
}

/** `file:line:col` (or `file#record`) for one-line diagnostics. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  let s = loc.file ?? '<input>';
  if (loc.line !== undefined) {
    s += `:${loc.line}`;
    if (loc.column !== undefined) s += `:${loc.column}`;
  } else if (loc.record !== undefined) {
    s += `#${loc.record}`;
  }
  return s;
}

/** One line: `file:3:7: error criteria/unknown-operator: … [path]` */
export function formatDiagnosticLine(d: Diagnostic): string {
  const where = formatLocation(d.location);
  const path = d.location?.path ? ` (at ${d.location.path})` : '';
  const hint = d.hint ? ` — ${d.hint}` : '';
  return `${where ? `${where}: ` : ''}${d.severity} ${d.code}: ${d.message}${path}${hint}`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
