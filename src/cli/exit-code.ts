/**
 * The whole exit policy, one pure function per command family.
 *
 * check:           0 no patient has a verdict in --fail-on; 1 some patient does; 2 could not run.
 * validate / test: 0 clean; 1 findings; 2 could not run.
 */
import type { Verdict } from '../model.js';

export const EXIT = { ok: 0, findings: 1, cannotRun: 2 } as const;

export const DEFAULT_FAIL_ON: readonly Verdict[] = ['ineligible', 'indeterminate', 'error'];

export function checkExitCode(verdicts: Record<Verdict, number>, failOn: readonly Verdict[]): number {
  return failOn.some((v) => verdicts[v] > 0) ? EXIT.findings : EXIT.ok;
}

export const EXIT_CODE_HELP = `Exit codes:
  check            0  no patient has a verdict listed in --fail-on
                   1  some patient does (default --fail-on ineligible,indeterminate,error)
                   2  could not run: usage error, unreadable or invalid criteria, unreadable input
  calc             0  computed; 1 inputs missing or invalid; 2 usage error`;
