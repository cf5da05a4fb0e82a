/**
 * familyHistory: a condition in a relative. The condition is named as in `condition:` (a concept with
 * its members, a coded form, a local concept set, a free name); `relationship:` names the relatives
 * that count — relationship concepts or their groups (first-degree-relative: parents, full siblings,
 * children; vocabulary/family.yaml) — and defaults to any relative.
 *
 * Tri-state: a matching condition in a relative that counts → pass; a matching condition in a relative
 * whose relationship maps to no concept, or is broader than the one asked (a parent, when the rule asks
 * for the mother), while relationship: is asked → unknown (the relationship in `missing`); none → fail; no `familyHistory` list on the record → unknown (the family history is
 * missing), or fail with `noFamilyHistory: fail`.
 */
import type { RuleNode } from '../../language/schema.js';
import type { FamilyItem } from '../../record.js';
import { broaderThan, ownIds } from '../../vocabulary/index.js';
import { termMatcher } from '../anchors.js';
import type { CompileEnv, Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';

type FamilyNode = Extract<RuleNode, { familyHistory: unknown }>;

export function compileFamilyHistory(node: FamilyNode, env: CompileEnv): Evaluator {
  const names = Array.isArray(node.familyHistory) ? node.familyHistory : [node.familyHistory];
  const label = names.join(' or ');
  const cond = termMatcher(env, 'condition', names);
  const relations = node.relationship === undefined ? undefined : Array.isArray(node.relationship) ? node.relationship : [node.relationship];
  const rel = relations ? termMatcher(env, 'relationship', relations) : undefined;
  // the relationships above those asked (parent, first-degree-relative for mother): a relative recorded
  // only as one of them may be the one asked
  const broader = rel ? broaderThan('relationship', rel.ids) : new Set<string>();
  const vague = (f: FamilyItem) => broader.size > 0 && ownIds('relationship', f.relationIds).some((id) => broader.has(id));
  const who = relations ? ` in a ${relations.join(' or ')}` : ' in a relative';
  const noList = node.noFamilyHistory === 'fail'
    ? fixedReason('no-family-history', 'fail', { subject: label, detail: `; read as no ${label}${who} (noFamilyHistory: fail)` })
    : fixedReason('no-family-history', 'unknown', { subject: label });
  const noListMissing = fixedMissing(missing('familyHistory', 'the family history (familyHistory)'));
  const none = fixedReason('family-history', 'fail', { subject: `no ${label}${who}`, detail: ' in the family history' });
  const evidence = (f: FamilyItem) => ({ item: 'family-history', value: `${f.relationship}: ${f.code}`, source: f.path });
  const what = (f: FamilyItem) => `${f.name ?? f.code}${f.name ? ` (${f.code})` : ''} in the patient's ${f.relationship}${f.onsetAge !== undefined ? ` (onset at ${f.onsetAge} years)` : ''}`;
  return (ctx) => {
    const list = ctx.view.familyHistory;
    if (!list) return node.noFamilyHistory === 'fail' ? { status: 'fail', reasons: [noList], missing: [] } : { status: 'unknown', reasons: [noList], missing: noListMissing };
    const hits = list.filter((f) => cond.match(f.ids, f.code, f.name));
    const hit = rel ? hits.find((f) => rel.match(f.relationIds, f.relationship, undefined)) : hits[0];
    if (hit) return { status: 'pass', reasons: [reason('family-history', 'pass', { subject: what(hit), observed: evidence(hit) })], missing: [] };
    const unread = hits.find((f) => !f.relationIds.length);
    if (unread) {
      return {
        status: 'unknown',
        reasons: [reason('family-history', 'unknown', { subject: what(unread), detail: `: relationship "${unread.relationship}" is not one elig knows, so whether it is a ${relations!.join(' or ')} is unknown`, observed: evidence(unread) })],
        missing: [missing(`familyHistory:${label}`, `which relative "${unread.relationship}" is (${unread.path})`)],
      };
    }
    const maybe = hits.find(vague);
    if (maybe) {
      return {
        status: 'unknown',
        reasons: [reason('family-history', 'unknown', { subject: what(maybe), detail: `: recorded as "${maybe.relationship}", which may be a ${relations!.join(' or ')}`, observed: evidence(maybe) })],
        missing: [missing(`familyHistory:${label}`, `which relative "${maybe.relationship}" is (${maybe.path})`)],
      };
    }
    if (hits.length) {
      const other = hits[0]!;
      return { status: 'fail', reasons: [reason('family-history', 'fail', { subject: what(other), detail: `: not a ${relations!.join(' or ')}`, observed: evidence(other) })], missing: [] };
    }
    return { status: 'fail', reasons: [none], missing: [] };
  };
}
