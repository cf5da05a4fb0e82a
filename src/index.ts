/**
 * elig's public library API. The CLI imports the core only through this module.
 */
export * from './model.js';
export { DIAGNOSTIC_CODES, diag, formatDiagnosticLine, formatLocation, hasErrors } from './diagnostics.js';
export { visible } from './visible.js';
export { loadCriteria, sha256, type LoadedCriteria, type LoadResult } from './language/load.js';
export { CRITERIA_SCHEMA_VERSION, CriteriaFile, Rule, UNMAPPED_POLICIES, type CriteriaDoc, type RuleNode, type UnmappedPolicyName } from './language/schema.js';
export { PatientRecord, normaliseRecord, type PatientView } from './record.js';
export { compileCriteria, evaluateRecord, evaluateView, verdictOf, type CompiledCriteria, type CompileOptions } from './engine/compile.js';
export { SummaryBuilder, type SummaryState } from './engine/summary.js';
export { REASON_CODES } from './engine/reasons.js';
export { VOCABULARY, VOCABULARY_STAMP, resolve } from './vocabulary/index.js';
export { isIsoDate } from './dates.js';
export { fhirItems, isFhirResource, mapPatient, patientKey, patientRefOf, refName, ELIG_FINDINGS, ELIG_ATTESTATIONS, type Res, type Unmapped } from './inputs/fhir/index.js';
export { parseYaml } from './language/yaml-source.js';
export {
  detectFormat, sniffFormat, TEXT_PARSERS, parseNdjsonLine, JsonArraySplitter, YamlSplitter, parseYamlPiece, planCsv, recordsToCsv, csvText, INPUT_FORMATS, jsonErrorLocation, jsonErrorMessage, parseJsonRecord,
  type InputFormat, type InputItem, type CsvMapping, type CsvExport, type CsvExportLoss,
} from './inputs/index.js';
export { MACHINE_FORMATS, REPORTERS, REPORT_EXTENSIONS, REPORT_FORMATS, type ProtocolCriterion, type ReportFormat, type Reporter, type ReporterOptions } from './reporters/index.js';
export { criterionReport, patientReport, reportReasons, writtenMeta } from './reporters/report-json.js';
export { CALCULATORS, getCalculator } from './calculators/index.js';
export { jsonSchema, SCHEMA_NAMES, type SchemaName } from './schemas.js';
export {
  TESTS_SCHEMA_VERSION, TestsFileSchema, loadTestsFile, checkTestReferences, runCase, outcomeCoverage, applyPatch, defaultCriteriaFor, isTestFileName,
  type LoadedTests, type TestsDoc, type TestCase, type CaseOutcome, type CaseFailure, type Coverage, type CriterionCoverage,
} from './language/tests-file.js';
export { TEST_FORMATS, TEST_FORMATTERS, formatHuman as formatTestHuman, totals as testTotals, coverageShortfalls, type TestFormat, type TestRun, type TestFileRun } from './language/tests-report.js';
export { lintCriteria, canonicalJson, type LintOptions } from './language/lint.js';
export {
  VALIDATE_FORMATS, VALIDATE_FORMATTERS, formatValidateHuman, counts as validateCounts,
  type ValidateFormat, type ValidateRun, type ValidatedFile,
} from './language/validate-report.js';
export {
  diffCriteria, patientFlip, collectFlips, DIFF_FORMATS, DIFF_FORMATTERS,
  type CriteriaDiff, type CriterionChange, type ChangeAspect, type PatientFlip, type PatientFlips, type StatusChange, type DiffFormat,
} from './language/diff.js';
export { scaffoldFromStudy, splitEligibility, idFromText, STARTER_CRITERIA, STARTER_TESTS, type EligibilityItem, type SplitResult, type StudyScaffold } from './language/scaffold.js';
export { explainCriteria, formatExplanation, type Explanation, type ExplainedCriterion } from './explain.js';
export { searchVocabulary, showConcept, formatConcept, suggestConcept, type SearchHit, type ConceptView } from './vocabulary/search.js';
export { suggest } from './language/collector.js';
export { loadVocabularyFile, checkConcepts, compileVocabulary } from './vocabulary/load.js';
export { readImport, type ImportSpec } from './vocabulary/imports.js';
