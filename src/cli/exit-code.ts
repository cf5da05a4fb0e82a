/**
 * The whole exit policy, one pure function per command family.
 *
 * check:           0 no patient has a verdict in --fail-on; 1 some patient does; 2 could not run.
 * validate / test: 0 clean; 1 findings; 2 could not run.
 * diff / explain:  0 done; 2 could not run.
 */
import type { Verdict } from '../model.js';

/**
 * 130 and 141 are what a shell reports for a process killed by SIGINT and by SIGPIPE (128 + the
 * signal): elig stops on its own, cleanly, and says so the way `cat` killed by either would.
 */
export const EXIT = { ok: 0, findings: 1, cannotRun: 2, interrupted: 130, outputClosed: 141 } as const;

/** The reader of our output went away (`elig … | head`): a closed pipe, not a failure to write. */
export function isClosedPipe(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === 'EPIPE';
}

export const DEFAULT_FAIL_ON: readonly Verdict[] = ['ineligible', 'indeterminate', 'error'];

export function checkExitCode(verdicts: Record<Verdict, number>, failOn: readonly Verdict[]): number {
  return failOn.some((v) => verdicts[v] > 0) ? EXIT.findings : EXIT.ok;
}

/** validate: 1 with any error, or with more warnings than --max-warnings (-1: warnings never count). */
export function validateExitCode(counts: { errors: number; warnings: number }, maxWarnings: number): number {
  if (counts.errors > 0) return EXIT.findings;
  return maxWarnings >= 0 && counts.warnings > maxWarnings ? EXIT.findings : EXIT.ok;
}

/** test: 2 if a test file or a case could not run; 1 if an expectation failed or coverage is below --coverage-min. */
export function testExitCode(t: { failed: number; errors: number }, belowCoverageMin: number): number {
  if (t.errors > 0) return EXIT.cannotRun;
  return t.failed > 0 || belowCoverageMin > 0 ? EXIT.findings : EXIT.ok;
}

/** diff: 0 whether or not anything changed (a report, not a gate); 2 if either file could not be read or loaded. */
export function diffExitCode(loaded: boolean): number {
  return loaded ? EXIT.ok : EXIT.cannotRun;
}

export const EXIT_CODE_HELP = `Exit codes:
  check            0  no patient has a verdict listed in --fail-on
                   1  some patient does (default --fail-on ineligible,indeterminate,error)
                   2  could not run: usage error, unreadable or invalid criteria, unreadable input
                 130  interrupted (Ctrl-C); the report is incomplete
  any command    141  stdout was closed by its reader (e.g. | head): stopped quietly, as cat does
  calc             0  computed; 1 inputs missing; 2 usage error (unknown calculator or field, unreadable value)
  validate         0  clean; 1 errors, or more warnings than --max-warnings; 2 could not run
  test             0  every case passed (and coverage ≥ --coverage-min); 1 a case failed or coverage
                      is below the minimum; 2 could not run (invalid test file, unreadable criteria/patient)
  diff, explain    0  done; 2 could not run (unreadable or invalid criteria, usage error)`;
