/**
 * Markdown report, for sharing (issues, wikis, e-mail): the stamp, a compact row per patient (written
 * as each is done), then summary tables — verdict counts and per-criterion counts, plus the attrition
 * funnel and the worklist with the screening summary (`--summary`). GitHub-flavoured tables; every
 * cell is escaped so ids and messages cannot break the table or inject markup.
 */
import type { ReportMeta, ReportSummary, Verdict } from '../model.js';
import { VERDICTS } from '../model.js';
import { checkedPatients, idsWith, sourceLabel } from './common.js';
import type { Reporter, ReporterOptions } from './types.js';
import { visible } from '../visible.js';

/** One table cell: one line (control characters as visible escapes), Markdown punctuation and HTML escaped, pipes escaped. */
export function mdCell(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1');
}

const code = (s: string): string => `\`${visible(s).replace(/[`|]/g, ' ')}\``;
const tableRow = (cells: readonly (string | number)[]): string => `| ${cells.map(String).join(' | ')} |\n`;
const rule = (n: number, numeric: readonly number[] = []): string => `|${Array.from({ length: n }, (_, i) => (numeric.includes(i) ? ' ---: ' : ' --- ')).join('|')}|\n`;

function summaryTables(s: ReportSummary, screening: boolean): string {
  const out: string[] = ['\n## Summary\n\n'];
  out.push(`${s.patients} patient${s.patients === 1 ? '' : 's'}: ${VERDICTS.map((v: Verdict) => `${s.verdicts[v]} ${v}`).join(', ')}.\n\n`);
  out.push(tableRow(['verdict', 'patients']), rule(2, [1]));
  for (const v of VERDICTS) out.push(tableRow([v, s.verdicts[v]]));
  out.push('\n### Criteria\n\n', tableRow(['criterion', 'kind', 'pass', 'fail', 'unknown', 'n/a']), rule(6, [2, 3, 4, 5]));
  for (const c of s.criteria) out.push(tableRow([mdCell(c.id), c.kind, c.pass, c.fail, c.unknown, c.not_applicable]));
  if (screening && s.funnel) {
    out.push(
      '\n### Attrition funnel\n\n',
      'Checked patients (verdict not error) still possibly eligible (no criterion failed so far) and surely eligible (every criterion so far passed or not applicable), after each criterion in protocol order.\n\n',
      tableRow(['#', 'after criterion', 'possibly eligible', 'surely eligible', 'ruled out here']), rule(5, [0, 2, 3, 4]),
      tableRow([0, '(checked)', checkedPatients(s), checkedPatients(s), '']),
    );
    let prev = checkedPatients(s);
    s.funnel.forEach((f, i) => {
      out.push(tableRow([i + 1, `${mdCell(f.id)}${f.kind === 'exclusion' ? ' (exclusion)' : ''}`, f.possiblyEligible, f.surelyEligible, prev - f.possiblyEligible]));
      prev = f.possiblyEligible;
    });
  }
  if (screening && s.unmapped?.length) {
    out.push('\n### Unmapped record entries\n\n', 'Entries that map to no concept and that no criterion names: elig could not read them.\n\n',
      tableRow(['domain', 'code', 'name', 'patients', 'entries']), rule(5, [3, 4]));
    for (const u of s.unmapped) out.push(tableRow([u.domain, mdCell(u.code), mdCell(u.name ?? ''), u.patients, u.entries]));
  }
  if (screening && s.worklist) {
    out.push(
      '\n### Worklist\n\n',
      `Data that would decide the ${s.verdicts.indeterminate} indeterminate patient${s.verdicts.indeterminate === 1 ? '' : 's'}. `,
      '*unblocks*: patients for whom this item is the only missing data; *patients*: patients whose unknown criteria list it.\n\n',
    );
    if (!s.worklist.length) out.push('Nothing to collect.\n');
    else {
      out.push(tableRow(['data item', 'unblocks', 'patients', 'criteria']), rule(4, [1, 2]));
      for (const w of s.worklist) out.push(tableRow([code(w.item), w.unblocks, w.patients, w.criteria.map(mdCell).join(', ')]));
    }
  }
  return out.join('');
}

export function markdownReporter(opts: Pick<ReporterOptions, 'summary'>): Reporter {
  return {
    begin(meta: ReportMeta) {
      const c = meta.criteria;
      return [
        `# Eligibility screening: ${mdCell(c.title ?? c.id)}\n\n`,
        `Criteria ${code(c.id)} v${mdCell(c.version)} (sha256 ${code(c.sha256)}) · vocabulary v${mdCell(meta.vocabulary.version)} (sha256 ${code(meta.vocabulary.sha256)}) · as of ${mdCell(meta.asOf)} · elig ${mdCell(meta.tool.version)}\n\n`,
        '## Patients\n\n',
        tableRow(['patient', 'verdict', 'source', 'failed', 'unknown']),
        rule(5),
      ].join('');
    },
    patient(p) {
      const cells = [mdCell(p.id), p.verdict === 'eligible' ? p.verdict : `**${p.verdict}**`, mdCell(sourceLabel(p.source))];
      if (p.verdict === 'error') return tableRow([...cells, `unreadable: ${(p.diagnostics ?? []).map((d) => code(d.code)).join(', ')}`, '']);
      return tableRow([...cells, idsWith(p, 'fail').map(mdCell).join(', '), idsWith(p, 'unknown').map(mdCell).join(', ')]);
    },
    end: (s) => summaryTables(s, opts.summary),
  };
}
