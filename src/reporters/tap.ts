/**
 * TAP version 14 report: one test point per patient, each a commented subtest with one test point
 * per criterion (TAP 14 "Subtests": `# Subtest: <id>`, the child document indented 4 spaces, then
 * the correlated test point with the same description).
 *
 *   criterion  pass → ok · fail → not ok · unknown → not ok # TODO · not_applicable → ok # SKIP
 *   patient    eligible → ok · ineligible, error → not ok · indeterminate → not ok # TODO
 *
 * An unknown is a TODO (data still to collect), not a failure, so a TAP harness fails the run only
 * for ineligible or unreadable records. YAML diagnostics (2 spaces under their test point) carry the
 * deciding reasons, the data that would decide an unknown, the verdict and the record's source.
 * The stamp is in comment lines after the version line; the plan comes last (the stream is written
 * as patients are done). Patient test points are not numbered, so each patient's output stands
 * alone (rendered in worker threads with --jobs); criteria are numbered inside their subtest.
 */
import type { CriterionResult, PatientResult, ReportMeta } from '../model.js';
import { decidingReasons, sourceLabel, stampLine, unmappedText } from './common.js';
import type { Reporter } from './types.js';

/** A test point description: one line, with \ and # escaped (TAP 14). */
export function tapDescription(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

/** A YAML diagnostic block at the given indentation; strings as JSON (valid YAML double-quoted scalars). */
function yamlBlock(indent: string, fields: [string, string | readonly string[]][]): string {
  const out = [`${indent}---`];
  for (const [k, v] of fields) {
    if (typeof v === 'string') out.push(`${indent}${k}: ${JSON.stringify(v)}`);
    else if (v.length) out.push(`${indent}${k}:`, ...v.map((x) => `${indent}  - ${JSON.stringify(x)}`));
  }
  out.push(`${indent}...`);
  return `${out.join('\n')}\n`;
}

function criterionPoint(c: CriterionResult, n: number): string {
  const head = `    ${c.status === 'fail' || c.status === 'unknown' ? 'not ok' : 'ok'} ${n} - ${tapDescription(c.id)}`;
  const reasons = decidingReasons(c);
  switch (c.status) {
    case 'pass':
      return `${head}\n`;
    case 'not_applicable':
      return `${head} # SKIP not applicable\n`;
    case 'fail':
      return `${head}\n${yamlBlock('      ', [['message', reasons[0] ?? c.text], ['severity', 'fail'], ['kind', c.kind], ['reasons', reasons]])}`;
    case 'unknown':
      return `${head} # TODO unknown\n${yamlBlock('      ', [['message', reasons[0] ?? c.text], ['severity', 'todo'], ['kind', c.kind], ['reasons', reasons], ['needs', (c.missing ?? []).map((m) => m.description)]])}`;
  }
}

export function tapReporter(): Reporter {
  return {
    begin(meta: ReportMeta) {
      return `TAP version 14\n# ${stampLine(meta)}\n`;
    },
    patient(p: PatientResult) {
      const name = tapDescription(p.id);
      const src = sourceLabel(p.source);
      if (p.verdict === 'error') {
        const ds = p.diagnostics ?? [];
        return `not ok - ${name}\n${yamlBlock('  ', [['message', ds[0]?.message ?? 'record could not be read'], ['severity', 'fail'], ['verdict', 'error'], ['source', src], ['diagnostics', ds.map((d) => `${d.code}: ${d.message}`)]])}`;
      }
      const child = p.criteria.map((c, i) => criterionPoint(c, i + 1)).join('');
      const point = p.verdict === 'eligible' ? `ok - ${name}` : p.verdict === 'indeterminate' ? `not ok - ${name} # TODO indeterminate` : `not ok - ${name}`;
      const unmapped: [string, string[]][] = p.unmapped?.length ? [['unmapped', p.unmapped.map(unmappedText)]] : [];
      return `# Subtest: ${name}\n    1..${p.criteria.length}\n${child}${point}\n${yamlBlock('  ', [['verdict', p.verdict], ['source', src], ...unmapped])}`;
    },
    end: (summary) => `1..${summary.patients}\n`,
  };
}
