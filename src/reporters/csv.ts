/**
 * CSV report (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed, quotes doubled):
 * a patients × criteria matrix that opens cleanly in a spreadsheet.
 *
 *   patient_id, verdict, source, <one status column per criterion, protocol order>, reasons,
 *   elig_version, criteria_id, criteria_version, criteria_sha256, vocabulary_version, vocabulary_sha256, as_of
 *
 * Every row carries the report stamp in its last seven columns, so a row cut out of the file still
 * says what produced it. `reasons`: the deciding reasons of the criteria that fail or are unknown
 * (with the data that would decide an unknown), or the diagnostics of an `error` record; the full
 * reasons are in the json and ndjson reports. The file starts with a UTF-8 byte-order mark so
 * spreadsheet programs read it as UTF-8 (≥, µ, ×). A cell that starts with = + - @ tab or CR is
 * prefixed with ' so a spreadsheet shows it as text instead of running it as a formula. A criterion
 * whose id is one of the fixed column names gets the column `criterion:<id>`.
 */
import type { PatientResult } from '../model.js';
import { decidingReasons, sourceLabel, unmappedText } from './common.js';
import type { Reporter, ReporterOptions } from './types.js';

const FIXED = ['patient_id', 'verdict', 'source'];
const TRAILING = ['reasons', 'elig_version', 'criteria_id', 'criteria_version', 'criteria_sha256', 'vocabulary_version', 'vocabulary_sha256', 'as_of'];
const RESERVED = new Set([...FIXED, ...TRAILING]);

/** One RFC 4180 field, guarded against formula injection. */
export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

const row = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

function reasonsCell(p: PatientResult): string {
  if (p.verdict === 'error') return (p.diagnostics ?? []).map((d) => `${d.code}: ${d.message}`).join(' | ');
  const parts: string[] = [];
  for (const c of p.criteria) {
    if (c.status !== 'fail' && c.status !== 'unknown') continue;
    let s = `${c.id} (${c.status}): ${decidingReasons(c).join('; ')}`;
    if (c.missing?.length) s += ` (needs: ${c.missing.map((m) => m.description).join('; ')})`;
    parts.push(s);
  }
  if (p.unmapped?.length) parts.push(`unmapped (maps to no concept): ${p.unmapped.map(unmappedText).join('; ')}`);
  return parts.join(' | ');
}

export function csvReporter(opts: Pick<ReporterOptions, 'criteria' | 'meta'>): Reporter {
  const ids = opts.criteria.map((c) => c.id);
  const m = opts.meta;
  const stamp = [m.tool.version, m.criteria.id, m.criteria.version, m.criteria.sha256, m.vocabulary.version, m.vocabulary.sha256, m.asOf];
  return {
    begin() {
      return `\uFEFF${row([...FIXED, ...ids.map((id) => (RESERVED.has(id) ? `criterion:${id}` : id)), ...TRAILING])}`;
    },
    patient(p) {
      const status = new Map<string, string>(p.criteria.map((c) => [c.id, c.status]));
      return row([p.id, p.verdict, sourceLabel(p.source), ...ids.map((id) => status.get(id) ?? ''), reasonsCell(p), ...stamp]);
    },
    end: () => '',
  };
}
