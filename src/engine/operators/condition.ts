/**
 * condition: a diagnosis on the problem list: a concept (its id, name or one of its exact codes:
 * any record entry that means the concept or one of its members), or a coded form the vocabulary
 * does not hold, matched exactly — with its ICD-10/ATC descendants only when written `icd10:M32.1*`.
 */
import { parseDuration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import { codeMatches, criteriaTerm, type CriteriaTerm } from '../../vocabulary/index.js';
import { localConcepts, localLookup, localMatcher, localMembersOfBuiltin, matchesLocal, matchesLocalByConcept, type LocalMatcher } from '../../vocabulary/local.js';
import { foldFreeCode, type Cond } from '../../record.js';
import { windowStart, type CompileEnv, type Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';

type ConditionNode = Extract<RuleNode, { condition: unknown }>;

export function compileCondition(node: ConditionNode, env: CompileEnv): Evaluator {
  const wanted = Array.isArray(node.condition) ? node.condition : [node.condition];
  const ids = new Set<string>();
  const codes: Extract<CriteriaTerm, { kind: 'code' }>[] = [];
  const free = new Set<string>();
  const local = localConcepts(env.doc.concepts);
  const locals: LocalMatcher[] = [];
  for (const w of wanted) {
    const l = localLookup(local, 'condition', w);
    if (l) {
      locals.push(localMatcher(local, l));
      continue;
    }
    const t = criteriaTerm('condition', w);
    if (t.kind === 'concept') {
      ids.add(t.entry.id);
      locals.push(...localMembersOfBuiltin(local, t.entry.id));
    }
    else if (t.kind === 'code') codes.push(t);
    else free.add(foldFreeCode(w));
  }
  const label = wanted.join(' or ');
  const within = node.within ? parseDuration(node.within) : undefined;
  const matches = (c: Cond) => c.ids.some((id) => ids.has(id)) || codes.some((t) => codeMatches(t, c.code)) || (free.size > 0 && free.has(foldFreeCode(c.code)))
    || locals.some((l) => matchesLocal(l, c.code, c.name) || matchesLocalByConcept(l, c.ids));
  // what does not depend on the record is said once
  const noListPass = fixedReason('no-conditions', 'pass', { subject: label, detail: `; ${label} is left to the other rules of the criterion` });
  const noListUnknown = fixedReason('no-conditions', 'unknown', { subject: label });
  const noListMissing = fixedMissing(missing('conditions', 'the problem list (conditions)'));
  const notOnList = fixedReason('condition', 'fail', { subject: label, detail: ' is not on the problem list' });
  const notActive = fixedReason('condition', 'fail', { subject: label, detail: ' is on the problem list but not active' });
  return (ctx) => {
    const list = ctx.view.conditions;
    if (!list) {
      if (node.noProblemList === 'pass') return { status: 'pass', reasons: [noListPass], missing: [] };
      return { status: 'unknown', reasons: [noListUnknown], missing: noListMissing };
    }
    const from = windowStart(ctx, within);
    const hits = list.filter((c) => matches(c) && (c.onsetDay === undefined || c.onsetDay <= ctx.asOfDay));
    const active = node.active ? hits.filter((c) => c.active) : hits;
    const inWindow = within ? active.filter((c) => c.onsetDay !== undefined && c.onsetDay >= from) : active;
    const hit = inWindow[0];
    if (hit) {
      return {
        status: 'pass',
        reasons: [reason('condition', 'pass', {
          subject: `${hit.name ?? hit.code}${hit.name ? ` (${hit.code})` : ''}`,
          detail: ` on the problem list${hit.onset ? `, onset ${hit.onset}` : ''}${node.active ? ', active' : ''}`,
          observed: { item: 'condition', value: hit.code, source: hit.path },
        })],
        missing: [],
      };
    }
    if (within && active.some((c) => c.onsetDay === undefined)) {
      return {
        status: 'unknown',
        reasons: [reason('condition', 'unknown', { subject: label, detail: ' is on the problem list without an onset date' })],
        missing: [missing(`condition:${label}`, `onset date of ${label}`)],
      };
    }
    return { status: 'fail', reasons: [hits.length && node.active ? notActive : notOnList], missing: [] };
  };
}
