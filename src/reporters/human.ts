/**
 * Human output: per patient, each criterion's status, protocol text and reasons, then a summary.
 * Readable on an 80-column terminal; colour only when asked (never in machine formats).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CriterionResult, PatientResult, ReportMeta, ReportSummary, Status, Verdict } from '../model.js';
import type { Reporter, ReporterOptions } from './types.js';

const SYMBOL: Record<Status, string> = { pass: '✓', fail: '✗', unknown: '?', not_applicable: '–' };
const LABEL: Record<Status, string> = { pass: 'pass', fail: 'FAIL', unknown: 'unknown', not_applicable: 'n/a' };

/** Wrap text to width with a hanging indent. */
export function wrap(text: string, width: number, indent: string, first = indent): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = first;
  let empty = true;
  for (const w of words) {
    if (!empty && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = indent + w;
    } else {
      cur += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(cur);
  return lines.join('\n');
}

export function humanReporter(opts: ReporterOptions): Reporter {
  const c: ChalkInstance = new Chalk({ level: opts.color ? 1 : 0 });
  const width = Math.max(60, Math.min(opts.width, 120));
  const statusColor: Record<Status, (s: string) => string> = {
    pass: c.green, fail: c.red, unknown: c.yellow, not_applicable: c.gray,
  };
  const verdictColor: Record<Verdict, (s: string) => string> = {
    eligible: c.green.bold, ineligible: c.red.bold, indeterminate: c.yellow.bold, error: c.magenta.bold,
  };
  const criterion = (r: CriterionResult): string => {
    const head = `  ${statusColor[r.status](`${SYMBOL[r.status]} ${LABEL[r.status].padEnd(7)}`)} ${c.bold(r.id)}${r.kind === 'exclusion' ? c.gray(' (exclusion)') : ''}`;
    const out = [head, c.gray(wrap(r.text, width, '              '))];
    for (const reason of r.reasons) out.push(wrap(reason.text, width, '                ', '              • '));
    if (r.missing?.length) {
      out.push(c.yellow(wrap(`needs: ${r.missing.map((m) => m.description).join('; ')}`, width, '                ', '              → ')));
    }
    return out.join('\n');
  };
  return {
    begin(meta: ReportMeta) {
      const line = `elig ${meta.tool.version} · ${meta.criteria.id} v${meta.criteria.version} (sha256 ${meta.criteria.sha256.slice(0, 12)}) · as of ${meta.asOf}`;
      return `${c.bold(wrap(line, width, '  ', ''))}\n`;
    },
    patient(p: PatientResult) {
      const src = `${p.source.file}${p.source.record !== undefined && p.source.record > 1 ? `#${p.source.record}` : ''}${p.source.line ? `:${p.source.line}` : ''}`;
      const out = [`\n${c.bold(p.id)}  ${verdictColor[p.verdict](p.verdict.toUpperCase())}  ${c.gray(src)}`];
      if (p.verdict === 'error') {
        for (const d of p.diagnostics ?? []) out.push(c.magenta(wrap(`${d.code}: ${d.message}`, width, '      ', '    ')));
        return `${out.join('\n')}\n`;
      }
      for (const r of p.criteria) out.push(criterion(r));
      for (const d of p.diagnostics ?? []) out.push(c.gray(wrap(`${d.severity} ${d.code}: ${d.message}`, width, '      ', '  ! ')));
      return `${out.join('\n')}\n`;
    },
    end(s: ReportSummary) {
      const v = s.verdicts;
      const out = [
        '',
        c.bold(`Summary: ${s.patients} patient${s.patients === 1 ? '' : 's'} — ${verdictColor.eligible(`eligible ${v.eligible}`)}, ${verdictColor.ineligible(`ineligible ${v.ineligible}`)}, ${verdictColor.indeterminate(`indeterminate ${v.indeterminate}`)}, ${verdictColor.error(`error ${v.error}`)}`),
      ];
      if (s.criteria.length) {
        const idW = Math.min(28, Math.max(9, ...s.criteria.map((x) => x.id.length)));
        out.push(c.gray(`  ${'criterion'.padEnd(idW)}  ${'pass'.padStart(6)} ${'fail'.padStart(6)} ${'unknown'.padStart(7)} ${'n/a'.padStart(6)}`));
        for (const x of s.criteria) {
          out.push(`  ${x.id.slice(0, idW).padEnd(idW)}  ${String(x.pass).padStart(6)} ${String(x.fail).padStart(6)} ${String(x.unknown).padStart(7)} ${String(x.not_applicable).padStart(6)}`);
        }
      }
      return `${out.join('\n')}\n`;
    },
  };
}
