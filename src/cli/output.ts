/** Colour policy and diagnostic printing for the CLI (stderr). */
import { Chalk } from 'chalk';
import { diag, formatDiagnosticLine, visible, type Diagnostic } from '../index.js';
import { EXIT } from './exit-code.js';
import type { Io, OutStream } from './io.js';

/** A usage error of `elig <command>`: one line on stderr (`elig check: …`, control characters escaped), exit 2. */
export function usageError(io: Io, command: string, message: string): number {
  io.stderr.write(`elig ${command}: ${visible(message)}\n`);
  return EXIT.cannotRun;
}

/** --color/--no-color win; then NO_COLOR (off), FORCE_COLOR (on unless 0); else colour on a TTY. */
export function useColor(io: Io, stream: OutStream, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}

/** One line per diagnostic (file:line:col: severity code: message), then its code frame if any. */
export function printDiagnostics(io: Io, ds: readonly Diagnostic[], color: boolean): void {
  const c = new Chalk({ level: color ? 1 : 0 });
  for (const d of ds) {
    const line = formatDiagnosticLine(d);
    io.stderr.write(`${d.severity === 'error' ? c.red(line) : c.yellow(line)}\n`);
    if (d.frame) io.stderr.write(`${c.gray(d.frame)}\n`);
  }
}

/** Write a finished report to --output (or stdout); false (after a diagnostic) when the file cannot be written. */
export async function writeReport(io: Io, output: string | undefined, text: string, color: boolean): Promise<boolean> {
  if (output === undefined) {
    io.stdout.write(text);
    return true;
  }
  try {
    await io.writeFile(output, text);
    return true;
  } catch (e) {
    printDiagnostics(io, [diag('file/unreadable', `cannot write ${output}: ${(e as Error).message}`, { file: output })], color);
    return false;
  }
}
