/**
 * Human output. By default one line per patient (id, verdict, source, the criteria that fail and
 * those that are unknown), so 10,000 patients stay readable and greppable; with `details`, every
 * criterion with its protocol text, reasons and missing data. Then a summary: verdict counts,
 * per-criterion counts, and with the screening summary the funnel and the worklist.
 * Readable on an 80-column terminal; colour only when asked (never in machine formats).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CriterionResult, PatientResult, ReportMeta, ReportSummary, Status, Verdict } from '../model.js';
import { checkedPatients, idsWith, sourceLabel, stampLine, unmappedText } from './common.js';
import type { Reporter, ReporterOptions } from './types.js';
import { visible } from '../visible.js';

const SYMBOL: Record<Status, string> = { pass: '✓', fail: '✗', unknown: '?', not_applicable: '–' };
const LABEL: Record<Status, string> = { pass: 'pass', fail: 'FAIL', unknown: 'unknown', not_applicable: 'n/a' };

/** Wrap text to width with a hanging indent; line breaks in the text are spaces, other control characters escapes. */
export function wrap(text: string, width: number, indent: string, first = indent): string {
  const words = text.split(/\s+/).filter(Boolean).map(visible);
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
  const fit = opts.fit !== false;
  const statusColor: Record<Status, (s: string) => string> = {
    pass: c.green, fail: c.red, unknown: c.yellow, not_applicable: c.gray,
  };
  const verdictColor: Record<Verdict, (s: string) => string> = {
    eligible: c.green.bold, ineligible: c.red.bold, indeterminate: c.yellow.bold, error: c.magenta.bold,
  };
  const criterion = (r: CriterionResult): string => {
    const head = `  ${statusColor[r.status](`${SYMBOL[r.status]} ${LABEL[r.status].padEnd(7)}`)} ${c.bold(visible(r.id))}${r.kind === 'exclusion' ? c.gray(' (exclusion)') : ''}`;
    const out = [head, c.gray(wrap(r.text, width, '              '))];
    for (const reason of r.reasons) out.push(wrap(reason.text, width, '                ', '              • '));
    if (r.missing?.length) {
      out.push(c.yellow(wrap(`needs: ${r.missing.map((m) => m.description).join('; ')}`, width, '                ', '              → ')));
    }
    return out.join('\n');
  };
  /** Append comma-separated ids after a label while they fit in `room` columns; the rest as `+N`. */
  const fitList = (label: string, ids: readonly string[], room: number): { text: string; len: number } => {
    let text = label;
    let shown = 0;
    for (const id of ids) {
      const piece = `${shown ? ',' : ''} ${visible(id)}`;
      const rest = ids.length - shown - 1;
      const tail = rest > 0 ? ` +${rest}`.length : 0;
      if (text.length + piece.length + tail > room) break;
      text += piece;
      shown++;
    }
    if (!shown) text = `${ids.length} ${label.replace(/:$/, '')}`;
    else if (shown < ids.length) text += ` +${ids.length - shown}`;
    return { text, len: text.length };
  };
  /**
   * One line per patient: id, verdict, source, every criterion that fails (they decide the verdict),
   * then the unknown ones as far as the width allows (the rest counted: `+3`, or `7 unknown`).
   */
  const compact = (p: PatientResult): string => {
    const src = visible(sourceLabel(p.source));
    const id = visible(p.id);
    const head = `${id}  ${p.verdict.toUpperCase()}  ${src}`;
    let line = `${c.bold(id)}  ${verdictColor[p.verdict](p.verdict.toUpperCase())}  ${c.gray(src)}`;
    let len = head.length;
    if (p.verdict === 'error') {
      const d = p.diagnostics?.[0];
      if (d) {
        let msg = visible(`${d.code}: ${d.message}`);
        if (fit && len + 2 + msg.length > width) msg = `${msg.slice(0, Math.max(10, width - len - 3))}…`;
        line += `  ${c.magenta(msg)}`;
      }
      return `${line}
`;
    }
    for (const [status, label] of [['fail', 'fail:'], ['unknown', 'unknown:']] as const) {
      const ids = idsWith(p, status);
      if (!ids.length) continue;
      const part = fitList(label, ids, status === 'fail' || !fit ? Infinity : width - len - 2);
      line += `  ${statusColor[status](part.text)}`;
      len += 2 + part.len;
    }
    // never silent: entries elig could not read are named (as far as the width allows, the rest counted)
    if (p.unmapped?.length) {
      const part = fitList('unmapped:', p.unmapped.map((u) => u.code), Math.max(20, width - len - 2));
      line += `  ${c.yellow(part.text)}`;
    }
    return `${line}
`;
  };
  const screening = (s: ReportSummary): string[] => {
    const out: string[] = [];
    if (s.funnel?.length) {
      const idW = Math.min(28, Math.max(15, ...s.funnel.map((x) => visible(x.id).length)));
      out.push('', c.bold('Attrition funnel'), c.gray(wrap('checked patients still possibly eligible (nothing failed so far) and surely eligible (all passed so far), after each criterion in protocol order', width, '  ', '  ')));
      out.push(c.gray(`  ${'after'.padEnd(idW)}  ${'possibly'.padStart(8)} ${'surely'.padStart(8)} ${'ruled out'.padStart(9)}`));
      let prev = checkedPatients(s);
      out.push(`  ${'(checked)'.padEnd(idW)}  ${String(prev).padStart(8)} ${String(prev).padStart(8)}`);
      for (const f of s.funnel) {
        out.push(`  ${visible(f.id).slice(0, idW).padEnd(idW)}  ${String(f.possiblyEligible).padStart(8)} ${String(f.surelyEligible).padStart(8)} ${String(prev - f.possiblyEligible).padStart(9)}`);
        prev = f.possiblyEligible;
      }
    }
    if (s.unmapped?.length) {
      out.push('', c.bold('Unmapped record entries'), c.gray(wrap('entries that map to no concept and that no criterion names: elig could not read them (add concepts, or name the codes in the criteria)', width, '  ', '  ')));
      out.push(c.gray(`  ${'patients'.padStart(8)} ${'entries'.padStart(8)}  domain  code (name)`));
      for (const u of s.unmapped) out.push(wrap(`${u.domain} ${u.code}${u.name ? ` (${u.name})` : ''}`, width, ' '.repeat(21), `  ${String(u.patients).padStart(8)} ${String(u.entries).padStart(8)}  `));
    }
    if (s.worklist) {
      out.push('', c.bold('Worklist'), c.gray(wrap(`data that would decide the ${s.verdicts.indeterminate} indeterminate patient${s.verdicts.indeterminate === 1 ? '' : 's'}`, width, '  ', '  ')));
      if (!s.worklist.length) out.push(c.gray('  nothing to collect'));
      else {
        out.push(c.gray(`  ${'unblocks'.padStart(8)} ${'patients'.padStart(8)}  data item (criteria)`));
        for (const w of s.worklist) {
          out.push(wrap(`${w.item} (${w.criteria.join(', ')})`, width, ' '.repeat(21), `  ${String(w.unblocks).padStart(8)} ${String(w.patients).padStart(8)}  `));
        }
        out.push(c.gray(wrap('unblocks: patients for whom this is the only missing data; patients: patients whose unknown criteria list it', width, '  ', '  ')));
      }
    }
    return out;
  };
  return {
    begin(meta: ReportMeta) {
      return `${c.bold(wrap(stampLine(meta, 12), width, '  ', ''))}\n${opts.details ? '' : '\n'}`;
    },
    patient(p: PatientResult) {
      if (!opts.details) return compact(p);
      const src = visible(sourceLabel(p.source));
      const out = [`\n${c.bold(visible(p.id))}  ${verdictColor[p.verdict](p.verdict.toUpperCase())}  ${c.gray(src)}`];
      if (p.verdict === 'error') {
        for (const d of p.diagnostics ?? []) out.push(c.magenta(wrap(`${d.code}: ${d.message}`, width, '      ', '    ')));
        return `${out.join('\n')}\n`;
      }
      for (const r of p.criteria) out.push(criterion(r));
      for (const u of p.unmapped ?? []) out.push(c.yellow(wrap(`unmapped ${unmappedText(u)}: maps to no concept, not read by any criterion`, width, '      ', '  ? ')));
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
        const idW = Math.min(28, Math.max(9, ...s.criteria.map((x) => visible(x.id).length)));
        out.push(c.gray(`  ${'criterion'.padEnd(idW)}  ${'pass'.padStart(6)} ${'fail'.padStart(6)} ${'unknown'.padStart(7)} ${'n/a'.padStart(6)}`));
        for (const x of s.criteria) {
          out.push(`  ${visible(x.id).slice(0, idW).padEnd(idW)}  ${String(x.pass).padStart(6)} ${String(x.fail).padStart(6)} ${String(x.unknown).padStart(7)} ${String(x.not_applicable).padStart(6)}`);
        }
      }
      if (opts.summary) out.push(...screening(s));
      else if (s.unmapped?.length) {
        out.push(c.yellow(wrap(`${s.unmapped.length} distinct record ${s.unmapped.length === 1 ? 'entry maps' : 'entries map'} to no concept (--summary lists them with counts)`, width, '  ', '')));
      }
      return `${out.join('\n')}\n`;
    },
  };
}
