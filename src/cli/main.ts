/**
 * Command-line entry: argv → commander → subcommand → exit code. Never calls process.exit;
 * `bin/elig.js` sets the exit code from the returned number. Subcommands are loaded on demand so
 * `elig --version` stays fast.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { VERSION } from '../version.js';
import { visible } from '../visible.js';
import type { Io } from './io.js';
import { EXIT, EXIT_CODE_HELP, isClosedPipe } from './exit-code.js';

export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command();
  program
    .name('elig')
    .description('Check patient records against a clinical trial\'s eligibility criteria.\nEvery criterion: pass / fail / unknown / not_applicable, with reasons and evidence.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .showHelpAfterError('(run elig <command> --help for usage)');

  program
    .command('check')
    .description('check patient records against a criteria file')
    .argument('<inputs...>', 'patient files, directories or globs (JSON, YAML, NDJSON, CSV, TSV, FHIR; .gz too); - for stdin')
    .requiredOption('-c, --criteria <file>', 'criteria file (YAML)')
    .option('--as-of <date>', 'evaluation date YYYY-MM-DD (default: today, UTC)')
    .option('--anchor <name=date>', 'the date of an anchor the criteria declare given: true (e.g. first-dose=2026-12-10); repeatable; a record\'s own anchors.<name> wins', (v: string, prev: string[] = []) => [...prev, v])
    // kept in step with REPORT_FORMATS by test/cli/formats.test.ts (not imported: --version stays fast)
    .addOption(new Option('-f, --format <format>', 'report format').choices(['human', 'json', 'ndjson', 'csv', 'junit', 'tap', 'markdown', 'html']).default('human'))
    .option('--summary', 'add the screening summary: attrition funnel and worklist (human, json, ndjson, markdown; html always has it)')
    .option('--details', 'human: every criterion with its protocol text and reasons (default: one line per patient); json/ndjson: the full derivation of every reason (default: the deciding evidence)')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <verdicts>', 'verdicts that make the exit code 1 (comma-separated, or none)', 'ineligible,indeterminate,error')
    .option('--input-format <format>', 'input format when it cannot be told from the file name: json, yaml, ndjson, csv, tsv, fhir')
    .option('--mapping <file>', 'CSV/TSV column mapping (YAML): { columns: { "<source column>": <target> } }')
    .option('-j, --jobs <n>', 'evaluation threads: n - 1 workers and this one, at most one per CPU (default: all CPUs, up to 4, for inputs over 32 MB; else 1)')
    .option('--max-record-size <MiB>', 'largest record (a line, JSON element, YAML document or CSV row), in MiB; a larger one is an error and the rest of its input is not read', '32')
    .option('--max-ratio <n>', 'largest decompressed/compressed size ratio of a .gz input (checked past 16 MiB of output)', '200')
    .option('--color', 'force colour in human output')
    .option('--no-color', 'no colour in human output')
    .option('-q, --quiet', 'no warnings, per-record diagnostics or progress on stderr (errors that stop the run are still shown)')
    .option('--verbose', 'list the FHIR resources that were not mapped (stderr)')
    .addOption(new Option('--unmapped <policy>', 'record entries that map to no concept: warn (report them), unknown (exclusions over their domain cannot pass), error (the record is an error); default: the criteria file\'s defaults.unmapped, else warn').choices(['warn', 'unknown', 'error']))
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .action(async (inputs: string[], opts: Record<string, unknown>) => {
      const { runCheck } = await import('./check.js');
      code = await runCheck(inputs, opts, io);
    });

  program
    .command('calc')
    .description('run one clinical calculator outside a trial (egfr, prednisone-equivalent, sledai-2k, eular-acr-2019, uln-ratio, age)')
    .argument('[name]', 'calculator name')
    .argument('[key=value...]', 'inputs as key=value pairs')
    .option('-i, --input <file>', 'read inputs from a JSON or YAML file (- for stdin)')
    .option('--as-of <date>', 'date for age from birthDate (default: today, UTC)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--list', 'list the calculators and their inputs')
    .action(async (name: string | undefined, pairs: string[], opts: Record<string, unknown>) => {
      const { runCalc } = await import('./calc.js');
      code = await runCalc(name, pairs, opts, io);
    });

  program
    .command('validate')
    .description('check criteria files and their test files: schema, references and semantic lint, with stable diagnostic codes')
    .argument('<paths...>', 'criteria files, test files (*.test.yaml) or directories')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json', 'github', 'sarif', 'junit']).default('human'))
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this (default: warnings do not fail)')
    .option('--since <ref|file>', 'a git revision or a file holding the previous version: flags content changed without a version bump')
    .option('--strict', 'warnings are errors (exit 1), e.g. rules still to be written (lint/todo-rule)')
    .option('-o, --output <file>', 'write the results to a file instead of stdout')
    .option('--color', 'force colour in human output')
    .option('--no-color', 'no colour in human output')
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { runValidate } = await import('./validate.js');
      code = await runValidate(paths, opts, io);
    });

  program
    .command('diff')
    .description('what changed between two versions of a criteria file, criterion by criterion; with --patients, whose verdicts flip')
    .argument('<old>', 'the previous criteria file')
    .argument('<new>', 'the new criteria file')
    .option('--patients <inputs...>', 'patient files or directories to evaluate under both versions')
    .option('--as-of <date>', 'evaluation date for --patients, YYYY-MM-DD (default: today, UTC)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json', 'markdown']).default('human'))
    .option('-o, --output <file>', 'write the diff to a file instead of stdout')
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .action(async (oldFile: string, newFile: string, opts: Record<string, unknown>) => {
      const { runDiff } = await import('./diff.js');
      code = await runDiff(oldFile, newFile, opts, io);
    });

  program
    .command('explain')
    .description('the criteria in plain language, as a screening checklist; with --patient, the values under each criterion')
    .argument('<criteria>', 'criteria file')
    .option('--criterion <id>', 'only this criterion')
    .option('--patient <record>', 'a JSON or YAML file with one patient record: show its status and values under each criterion')
    .option('--as-of <date>', 'evaluation date for --patient, YYYY-MM-DD (default: today, UTC)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .action(async (file: string, opts: Record<string, unknown>) => {
      const { runExplain } = await import('./explain.js');
      code = await runExplain(file, opts, io);
    });

  program
    .command('test')
    .description('run the test files of criteria (<trial>.test.yaml beside <trial>.yaml): expected verdicts and statuses, outcome coverage')
    .argument('[paths...]', 'test files, criteria files (their <name>.test.yaml) or directories', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json', 'junit', 'tap']).default('human'))
    .option('--coverage', 'report per criterion which outcomes (pass, fail, unknown, not_applicable) the cases reached')
    .option('--coverage-min <pct>', 'exit 1 when outcome coverage of a file is below this percentage (implies --coverage)')
    .option('-o, --output <file>', 'write the results to a file instead of stdout')
    .option('--color', 'force colour in human output')
    .option('--no-color', 'no colour in human output')
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { runTest } = await import('./test-cmd.js');
      code = await runTest(paths, opts, io);
    });

  const vocabulary = program.command('vocabulary').description('find concepts of the built-in vocabulary (vocabulary/*.yaml): ids to use in criteria, their codes and groups');
  vocabulary
    .command('search')
    .description('concepts whose id, name, synonym or code matches (a coded form also finds what a record coded so means)')
    .argument('<text...>', 'words or a code: haemoglobin, "live vaccine", icd10:M32.14')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (words: string[], opts: { format: 'human' | 'json' }) => {
      const { runVocabularySearch } = await import('./vocabulary-cmd.js');
      code = runVocabularySearch(words.join(' '), opts.format, io);
    });
  vocabulary
    .command('show')
    .description('one concept: codes, synonyms, groups, members, unit and range, sources')
    .argument('<id>', 'concept id (or a name or synonym)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action(async (id: string, opts: { format: 'human' | 'json' }) => {
      const { runVocabularyShow } = await import('./vocabulary-cmd.js');
      code = runVocabularyShow(id, opts.format, io);
    });

  program
    .command('init')
    .description('start a criteria file and its test file: a commented starter, or (--from) scaffolded from a ClinicalTrials.gov study record')
    .option('--from <study.json>', 'a ClinicalTrials.gov API v2 study record (JSON): structured age/sex limits become rules, each free-text item a criterion to write')
    .option('--dir <dir>', 'where to write the files (default: the current directory)')
    .option('--force', 'overwrite existing files')
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`)
    .action(async (opts: Record<string, unknown>) => {
      const { runInit } = await import('./init.js');
      code = await runInit(opts, io);
    });

  program
    .command('schema')
    .description('print the JSON Schema of a criteria file, a patient record, the JSON report, a criteria test file or a vocabulary file (generated from the zod definitions)')
    .addArgument(new Argument('<kind>', 'which schema').choices(['criteria', 'patient', 'report', 'tests', 'vocabulary']))
    .action(async (kind: 'criteria' | 'patient' | 'report' | 'tests' | 'vocabulary') => {
      const { jsonSchema } = await import('../index.js');
      io.stdout.write(`${JSON.stringify(jsonSchema(kind), null, 2)}\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return afterOutput(io, EXIT.ok);
      return EXIT.cannotRun;
    }
    const debug = argv.includes('--debug');
    io.stderr.write(`elig: internal error: ${visible((e as Error).message)}\n`);
    if (debug) io.stderr.write(`${(e as Error).stack ?? ''}\n`);
    else io.stderr.write('(run again with --debug for the stack trace, and please report it)\n');
    return EXIT.cannotRun;
  }
  return afterOutput(io, code);
}

/**
 * The exit code once the output is written: 141 when stdout's reader went away (`| head`: the
 * command stopped quietly, as `cat` does), 2 with a line on stderr when stdout could not be written
 * (a full disk), unless the command already said so.
 */
function afterOutput(io: Io, code: number): number {
  const e = io.stdoutError?.();
  if (!e) return code;
  if (isClosedPipe(e)) return EXIT.outputClosed;
  if (code !== EXIT.cannotRun) io.stderr.write(`elig: cannot write to stdout: ${visible((e as NodeJS.ErrnoException).code ?? e.message)}\n`);
  return EXIT.cannotRun;
}
