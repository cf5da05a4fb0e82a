/**
 * procedure: a procedure done (surgery, dialysis, transplant, transfusion, radiotherapy,
 * leukapheresis…) — ever, or within a window before the as-of date (or an anchor). A concept (id,
 * name, synonym or code: the entries that mean it or one of its members), a coded form matched
 * exactly (`snomed:…`, with descendants only where written `icd10pcs:…*`-style by the code rules), or
 * a free code matched by name.
 *
 * Tri-state: a matching procedure dated in the window → pass; a matching one without a date while a
 * window is asked for → unknown (the date is missing); none → fail; no `procedures` list on the record
 * → unknown (no history), or fail with `noProcedures: fail`.
 */
import { formatDuration, parseDuration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import { foldFreeCode, type ProcedureItem } from '../../record.js';
import { codeMatches, criteriaTerm, type CriteriaTerm } from '../../vocabulary/index.js';
import { windowStart, type CompileEnv, type Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';

type ProcedureNode = Extract<RuleNode, { procedure: unknown }>;

/** A matcher for procedure entries: concepts (with members), coded forms, free codes/names. */
export function procedureMatcher(names: readonly string[]): (p: ProcedureItem) => boolean {
  const ids = new Set<string>();
  const codes: Extract<CriteriaTerm, { kind: 'code' }>[] = [];
  const free = new Set<string>();
  for (const n of names) {
    const t = criteriaTerm('procedure', n);
    if (t.kind === 'concept') ids.add(t.entry.id);
    else if (t.kind === 'code') codes.push(t);
    else free.add(foldFreeCode(n));
  }
  return (p) => p.ids.some((id) => ids.has(id)) || codes.some((t) => codeMatches(t, p.code))
    || free.has(foldFreeCode(p.code)) || (p.name !== undefined && free.has(foldFreeCode(p.name)));
}

export function compileProcedure(node: ProcedureNode, _env: CompileEnv): Evaluator {
  const names = Array.isArray(node.procedure) ? node.procedure : [node.procedure];
  const label = names.join(' or ');
  const matches = procedureMatcher(names);
  const within = node.within ? parseDuration(node.within) : undefined;
  const windowText = within ? ` within ${formatDuration(within)}${node.anchor ? ` before ${node.anchor}` : ''}` : '';
  const noList = node.noProcedures === 'fail'
    ? fixedReason('no-procedures', 'fail', { subject: label, detail: `; read as no ${label} (noProcedures: fail)` })
    : fixedReason('no-procedures', 'unknown', { subject: label });
  const noListMissing = fixedMissing(missing('procedures', 'the procedure history (procedures)'));
  const notDone = fixedReason('procedure', 'fail', { subject: label, detail: ` not done${windowText}` });
  return (ctx) => {
    const list = ctx.view.procedures;
    if (!list) return node.noProcedures === 'fail' ? { status: 'fail', reasons: [noList], missing: [] } : { status: 'unknown', reasons: [noList], missing: noListMissing };
    const from = windowStart(ctx, within);
    const hits = list.filter((p) => matches(p) && (p.day === undefined || p.day <= ctx.asOfDay));
    const hit = hits.find((p) => (p.day === undefined ? !within : p.day >= from));
    if (hit) {
      return {
        status: 'pass',
        reasons: [reason('procedure', 'pass', {
          subject: `${hit.name ?? hit.code}${hit.name ? ` (${hit.code})` : ''}`, detail: ` done${hit.date ? ` on ${hit.date}` : ' (no date recorded)'}${windowText}`,
          observed: { item: 'procedure', value: hit.code, source: hit.path, ...(hit.date ? { date: hit.date } : {}) },
        })],
        missing: [],
      };
    }
    const undated = hits.find((p) => p.day === undefined);
    if (undated) {
      return {
        status: 'unknown',
        reasons: [reason('procedure', 'unknown', { subject: `${undated.name ?? undated.code}`, detail: ' done, without a date: cannot be placed in the window', observed: { item: 'procedure', value: undated.code, source: undated.path } })],
        missing: [missing(`procedure:${label}`, `date of ${label} (${undated.path})`)],
      };
    }
    const earlier = hits[0];
    if (earlier) {
      return { status: 'fail', reasons: [reason('procedure', 'fail', { subject: label, detail: ` last done ${earlier.date}, outside the window${windowText}`, observed: { item: 'procedure', value: earlier.code, source: earlier.path, date: earlier.date! } })], missing: [] };
    }
    return { status: 'fail', reasons: [notDone], missing: [] };
  };
}
