/**
 * `elig calc <name>`: run one calculator outside a trial, for clinicians and scripts.
 * Inputs from --input <file|-> (JSON or YAML object) and/or key=value arguments (arguments win).
 * Exit: 0 computed; 1 inputs missing (the result lists them); 2 usage error (unknown calculator or
 * field, a value that cannot be read, an unreadable file).
 */
import { buildCalcInput, CALC_FIELDS, parseKeyValues } from '../calculators/cli-input.js';
import { CALCULATORS, getCalculator } from '../calculators/index.js';
import type { CalcResult } from '../calculators/types.js';
import { fmtNum, evidenceText, unitText } from '../engine/reasons.js';
import { isIsoDate } from '../dates.js';
import { visible } from '../visible.js';
import { parseYaml } from '../language/yaml-source.js';
import { EXIT } from './exit-code.js';
import type { Io } from './io.js';
import { usageError } from './output.js';

interface CalcOptions {
  input?: string;
  asOf?: string;
  format?: 'human' | 'json';
  list?: boolean;
}

/** Every calculator with the fields `elig calc` accepts for it (CALC_FIELDS: the table that validates them). */
function listCalculators(io: Io, json: boolean): number {
  const fieldsOf = (name: string) => CALC_FIELDS[name] ?? [];
  if (json) {
    const out = Object.values(CALCULATORS).map((c) => ({ name: c.name, title: c.title, unit: c.unit, source: c.source, inputs: fieldsOf(c.name) }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const c of Object.values(CALCULATORS)) {
    io.stdout.write(`${c.name}  —  ${c.title} [${c.unit}]\n    source: ${c.source}\n`);
    for (const i of fieldsOf(c.name)) io.stdout.write(`    ${i.required ? '*' : ' '} ${i.name.padEnd(12)} ${i.description}\n`);
  }
  io.stdout.write('(* required)\n');
  return EXIT.ok;
}

async function readInput(io: Io, file: string): Promise<{ value?: unknown; error?: string }> {
  let text: string;
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      text = Buffer.concat(chunks).toString('utf8');
    } else text = (await io.readFile(file)).toString('utf8');
  } catch (e) {
    return { error: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const label = file === '-' ? '<stdin>' : file;
  const p = parseYaml(label, text);
  if (p.diagnostics.length) {
    const d = p.diagnostics[0]!;
    return { error: `${label}:${d.location?.line ?? 1}:${d.location?.column ?? 1}: ${d.message}` };
  }
  return { value: p.value };
}

export function renderCalcHuman(r: CalcResult): string {
  const lines: string[] = [];
  const calc = getCalculator(r.calculator);
  const title = calc?.title ?? r.calculator;
  if (r.value !== undefined) lines.push(`${title}: ${fmtNum(r.value)}${unitText(r.unit)}`);
  else if (r.lower !== undefined && r.upper !== undefined) lines.push(`${title}: between ${fmtNum(r.lower)} and ${fmtNum(r.upper)}${unitText(r.unit)} (items not recorded)`);
  else lines.push(`${title}: cannot be computed`);
  lines.push(`  method: ${r.method}`);
  for (const i of r.inputs) lines.push(`  input:  ${evidenceText(i)}`);
  for (const [k, v] of Object.entries(r.details)) {
    if (v === undefined || typeof v === 'object') continue;
    lines.push(`  ${k}: ${typeof v === 'number' ? fmtNum(v) : String(v)}`);
  }
  for (const m of r.missing) lines.push(`  missing: ${m.name} — ${m.description}`);
  for (const w of r.warnings ?? []) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export async function runCalc(name: string | undefined, pairs: string[], raw: Record<string, unknown>, io: Io): Promise<number> {
  const opts = raw as CalcOptions;
  const json = opts.format === 'json';
  if (opts.list) return listCalculators(io, json);
  if (!name) {
    return usageError(io, 'calc', `name a calculator (${Object.keys(CALCULATORS).join(', ')}), or use --list`);
  }
  const calc = getCalculator(name);
  if (!calc) {
    return usageError(io, 'calc', `unknown calculator "${name}" (known: ${Object.keys(CALCULATORS).join(', ')})`);
  }
  const asOf = opts.asOf ?? io.today();
  if (!isIsoDate(asOf)) {
    return usageError(io, 'calc', `--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  }
  let fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (opts.input) {
    const r = await readInput(io, opts.input);
    if (r.error) {
      return usageError(io, 'calc', `${r.error}`);
    }
    if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      return usageError(io, 'calc', `${opts.input}: the input must be an object of fields`);
    }
    fields = { ...(r.value as Record<string, unknown>) };
  }
  Object.assign(fields, parseKeyValues(pairs));
  const built = buildCalcInput(name, fields, asOf);
  if ('errors' in built) {
    // a field elig calc does not take, or a value it cannot read: a usage error, like an unknown calculator
    for (const e of built.errors) io.stderr.write(`elig calc ${name}: ${visible(e)}\n`);
    return EXIT.cannotRun;
  }
  const result = calc.compute(built.input as Record<string, unknown>);
  if (json) {
    const out: Record<string, unknown> = {
      calculator: result.calculator, value: result.value ?? null, unit: result.unit, method: result.method,
      inputs: result.inputs, details: result.details, missing: result.missing,
    };
    if (result.lower !== undefined) out.lower = result.lower;
    if (result.upper !== undefined) out.upper = result.upper;
    if (result.warnings?.length) out.warnings = result.warnings;
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout.write(renderCalcHuman(result));
  }
  const computed = result.value !== undefined || (result.lower !== undefined && result.upper !== undefined);
  return computed ? EXIT.ok : EXIT.findings;
}
