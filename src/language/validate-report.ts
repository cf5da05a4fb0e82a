/**
 * Formats of an `elig validate` run: human, json, github (workflow commands), sarif (SARIF 2.1.0),
 * junit. Data in, string out; no I/O.
 */
import { DIAGNOSTIC_CODES, formatDiagnosticLine } from '../diagnostics.js';
import type { Diagnostic, Severity } from '../model.js';
import { visible } from '../visible.js';
import { xmlEscape, xmlValue } from './tests-report.js';

export const VALIDATE_FORMATS = ['human', 'json', 'github', 'sarif', 'junit'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export interface ValidatedFile {
  file: string;
  kind: 'criteria' | 'tests';
  /** For criteria files that loaded: id and version. */
  id?: string;
  version?: string;
  diagnostics: Diagnostic[];
}

export interface ValidateRun {
  tool: { name: 'elig'; version: string };
  files: ValidatedFile[];
}

export function counts(run: ValidateRun): { files: number; errors: number; warnings: number; infos: number } {
  const ds = run.files.flatMap((f) => f.diagnostics);
  return {
    files: run.files.length,
    errors: ds.filter((d) => d.severity === 'error').length,
    warnings: ds.filter((d) => d.severity === 'warning').length,
    infos: ds.filter((d) => d.severity === 'info').length,
  };
}

export function formatValidateHuman(run: ValidateRun, paint: (s: Severity | 'ok' | 'dim', t: string) => string = (_s, t) => t): string {
  const lines: string[] = [];
  for (const f of run.files) {
    const what = f.id ? visible(` (${f.id} v${f.version})`) : '';
    const file = visible(f.file);
    if (!f.diagnostics.length) {
      lines.push(`${paint('ok', '✓')} ${file}${what}`);
      continue;
    }
    lines.push(`${paint('error', '✗')} ${file}${what}`);
    for (const d of f.diagnostics) {
      lines.push(`  ${paint(d.severity, formatDiagnosticLine(d))}`);
      if (d.frame) lines.push(...d.frame.split('\n').map((l) => `    ${paint('dim', l)}`));
    }
  }
  const c = counts(run);
  lines.push('', `${c.files} file${c.files === 1 ? '' : 's'} checked: ${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

const strip = ({ frame: _f, ...d }: Diagnostic) => d;

export function formatValidateJson(run: ValidateRun): string {
  return `${JSON.stringify({ tool: run.tool, files: run.files.map((f) => ({ ...f, diagnostics: f.diagnostics.map(strip) })), summary: counts(run) }, null, 2)}\n`;
}

/**
 * GitHub workflow command escaping: data escapes % CR LF; properties also : and ,. Control characters
 * are visible escapes first (visible.ts), so an annotation is one line and cannot drive the log's terminal.
 */
function ghData(s: string): string {
  return visible(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghProp(s: string): string {
  return ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(run: ValidateRun): string {
  const lines: string[] = [];
  for (const f of run.files) {
    for (const d of f.diagnostics) {
      const cmd = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const loc = d.location;
      const props = [`file=${ghProp(loc?.file ?? f.file)}`];
      if (loc?.line !== undefined) props.push(`line=${loc.line}`);
      if (loc?.column !== undefined) props.push(`col=${loc.column}`);
      if (loc?.endLine !== undefined) props.push(`endLine=${loc.endLine}`);
      if (loc?.endColumn !== undefined) props.push(`endColumn=${loc.endColumn}`);
      props.push(`title=${ghProp(`elig ${d.code}`)}`);
      lines.push(`::${cmd} ${props.join(',')}::${ghData(`${d.message}${d.hint ? ` (${d.hint})` : ''}`)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function sarifLevel(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** SARIF 2.1.0: one run, the codes that occur as rules, one result per diagnostic. */
export function formatSarif(run: ValidateRun): string {
  const all = run.files.flatMap((f) => f.diagnostics.map((d) => ({ f, d })));
  const ruleIds = [...new Set(all.map((x) => x.d.code))].sort();
  const rules = ruleIds.map((id) => {
    const meta = (DIAGNOSTIC_CODES as Record<string, { severity: Severity; title: string }>)[id];
    return {
      id,
      name: id.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase()),
      shortDescription: { text: meta?.title ?? id },
      defaultConfiguration: { level: sarifLevel(meta?.severity ?? 'error') },
      helpUri: 'https://github.com/elig/elig#diagnostics',
    };
  });
  const results = all.map(({ f, d }) => {
    const loc = d.location;
    const region: Record<string, number> = {};
    if (loc?.line !== undefined) region.startLine = loc.line;
    if (loc?.column !== undefined) region.startColumn = loc.column;
    if (loc?.endLine !== undefined) region.endLine = loc.endLine;
    if (loc?.endColumn !== undefined) region.endColumn = loc.endColumn;
    const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: encodeURI(loc?.file ?? f.file), uriBaseId: '%SRCROOT%' } };
    if (Object.keys(region).length) physicalLocation.region = region;
    return {
      ruleId: d.code,
      ruleIndex: ruleIds.indexOf(d.code),
      level: sarifLevel(d.severity),
      message: { text: visible(`${d.message}${d.hint ? ` (${d.hint})` : ''}`) },
      locations: [{ physicalLocation, ...(loc?.path ? { logicalLocations: [{ fullyQualifiedName: loc.path, kind: 'member' }] } : {}) }],
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: run.tool.name, version: run.tool.version, informationUri: 'https://github.com/elig/elig', rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///' } },
      artifacts: run.files.map((f) => ({ location: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' } })),
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function formatValidateJunit(run: ValidateRun): string {
  const c = counts(run);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="elig validate" tests="${run.files.reduce((n, f) => n + Math.max(1, f.diagnostics.length), 0)}" failures="${c.errors + c.warnings}" errors="0">`];
  for (const f of run.files) {
    const n = Math.max(1, f.diagnostics.length);
    lines.push(`  <testsuite name="${xmlValue(f.file)}" tests="${n}" failures="${f.diagnostics.filter((d) => d.severity !== 'info').length}" errors="0">`);
    if (!f.diagnostics.length) lines.push(`    <testcase name="${xmlValue(f.file)}" classname="elig.validate" file="${xmlValue(f.file)}"/>`);
    for (const d of f.diagnostics) {
      const where = `${d.location?.line ?? 0}:${d.location?.column ?? 0}`;
      lines.push(`    <testcase name="${xmlValue(`${d.code} at ${where}`)}" classname="elig.validate" file="${xmlValue(d.location?.file ?? f.file)}"${d.location?.line !== undefined ? ` line="${d.location.line}"` : ''}>`);
      if (d.severity !== 'info') lines.push(`      <failure type="${xmlValue(d.code)}" message="${xmlValue(`${d.severity}: ${d.message}`)}">${xmlEscape(`${formatDiagnosticLine(d)}${d.frame ? `\n${d.frame}` : ''}`)}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

export const VALIDATE_FORMATTERS: Record<Exclude<ValidateFormat, 'human'>, (run: ValidateRun) => string> = {
  json: formatValidateJson,
  github: formatGithub,
  sarif: formatSarif,
  junit: formatValidateJunit,
};
