/**
 * `elig init`: start a criteria file. Without --from, a commented starter criteria file and its test
 * file (my-trial.yaml, my-trial.test.yaml); with --from <study.json>, a criteria file scaffolded from
 * a ClinicalTrials.gov API v2 study record (<nct id>.yaml) and a test file of its age/sex rules.
 * Never overwrites a file unless --force. Asks nothing.
 */
import { join } from 'node:path';
import { diag, scaffoldFromStudy, STARTER_CRITERIA, STARTER_TESTS, type Diagnostic } from '../index.js';
import { EXIT } from './exit-code.js';
import type { Io } from './io.js';
import { printDiagnostics, useColor } from './output.js';
import { readText } from './criteria-files.js';
import { shown } from './criteria-files.js';

/** A study record is tens of kilobytes; anything this large is not one. */
const MAX_STUDY_BYTES = 5_000_000;

export interface InitOptions {
  from?: string;
  dir?: string;
  force?: boolean;
}

async function exists(io: Io, p: string): Promise<boolean> {
  try {
    await io.stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function runInit(raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as InitOptions;
  const color = useColor(io, io.stderr, undefined);
  const dir = opts.dir ?? '.';
  const problems: Diagnostic[] = [];
  let files: { name: string; text: string }[];
  let summary: string;
  let id: string;
  if (opts.from !== undefined) {
    const t = await readText(io, opts.from, 'study record');
    if ('diagnostic' in t) {
      printDiagnostics(io, [t.diagnostic], color);
      return EXIT.cannotRun;
    }
    if (t.text.length > MAX_STUDY_BYTES) {
      printDiagnostics(io, [diag('file/too-large', `${shown(io, opts.from)} is larger than ${MAX_STUDY_BYTES / 1e6} MB: not one study record`, { file: shown(io, opts.from) })], color);
      return EXIT.cannotRun;
    }
    let value: unknown;
    try {
      value = JSON.parse(t.text);
    } catch (e) {
      printDiagnostics(io, [diag('syntax/json', `${shown(io, opts.from)}: ${(e as Error).message}`, { file: shown(io, opts.from) })], color);
      return EXIT.cannotRun;
    }
    const s = scaffoldFromStudy(value, shown(io, opts.from));
    if (!('criteria' in s)) {
      printDiagnostics(io, s.diagnostics, color);
      return EXIT.cannotRun;
    }
    problems.push(...s.diagnostics);
    id = s.id;
    files = [{ name: `${s.id}.yaml`, text: s.criteria }, { name: `${s.id}.test.yaml`, text: s.tests }];
    summary = `${s.counts.inclusion} inclusion and ${s.counts.exclusion} exclusion criteria, ${s.counts.todo} rule${s.counts.todo === 1 ? '' : 's'} to write`;
  } else {
    id = 'my-trial';
    files = [{ name: 'my-trial.yaml', text: STARTER_CRITERIA }, { name: 'my-trial.test.yaml', text: STARTER_TESTS }];
    summary = 'a starter criteria file and its tests';
  }
  const paths = files.map((f) => join(dir, f.name));
  if (!opts.force) {
    const taken: Diagnostic[] = [];
    for (const p of paths) if (await exists(io, p)) taken.push(diag('init/file-exists', `${p} already exists; nothing was written`, { file: p }, { hint: 'use --force to overwrite it, or --dir to write elsewhere' }));
    if (taken.length) {
      printDiagnostics(io, taken, color);
      return EXIT.cannotRun;
    }
  }
  for (let i = 0; i < files.length; i++) {
    try {
      await io.writeFile(paths[i]!, files[i]!.text);
    } catch (e) {
      printDiagnostics(io, [diag('file/unreadable', `cannot write ${paths[i]} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: paths[i]! })], color);
      return EXIT.cannotRun;
    }
  }
  if (problems.length) printDiagnostics(io, problems, color);
  const [criteria, tests] = paths;
  io.stderr.write(`elig: wrote ${criteria} and ${tests} (${id}: ${summary})\nnext:\n  elig validate ${criteria}\n  elig test ${tests}\n  elig explain ${criteria}\n`);
  return EXIT.ok;
}
