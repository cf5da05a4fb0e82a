/**
 * allergy: an allergy or intolerance to a drug, a drug class (a record's warfarin allergy is an
 * allergy to the class anticoagulants: the drug vocabulary's parents), a coded substance matched exactly,
 * or another substance by name. An allergy recorded to a class is an allergy to each of its drugs: a
 * record's NSAID allergy meets `allergy: ibuprofen` (and the reason names the class), so an exclusion
 * for an allergy to the study drug is never passed because the record names the drug's class;
 * Refuted and entered-in-error entries never count (the record view
 * drops them); unconfirmed and presumed entries count and say so; the criticality and the reaction
 * are shown as evidence.
 *
 * Tri-state: a matching entry → pass; none → fail; no `allergies` list on the record → unknown (the
 * allergy list is missing), or fail with `noAllergies: fail`.
 */
import type { RuleNode } from '../../language/schema.js';
import type { AllergyItem } from '../../record.js';
import { entryById, ownIds } from '../../vocabulary/index.js';
import { termMatcher } from '../anchors.js';
import type { CompileEnv, Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';

type AllergyNode = Extract<RuleNode, { allergy: unknown }>;

const INACTIVE = new Set(['inactive', 'resolved']);

export function compileAllergy(node: AllergyNode, env: CompileEnv): Evaluator {
  const names = Array.isArray(node.allergy) ? node.allergy : [node.allergy];
  const label = names.join(' or ');
  const m = termMatcher(env, 'drug', names);
  const kind = node.type ?? 'allergy or intolerance';
  // the classes above the drugs asked for: an entry recorded as one of them is an allergy to the drug
  const classes = new Map<string, string>();
  for (const id of m.ids) for (const c of entryById('drug', id)?.ancestors ?? []) if (!m.ids.has(c) && !classes.has(c)) classes.set(c, id);
  const typeOk = (a: AllergyItem) => node.type === undefined || a.type === undefined || a.type === node.type;
  const classOf = (a: AllergyItem) => (classes.size ? ownIds('drug', a.ids).find((id) => classes.has(id)) : undefined);
  const matches = (a: AllergyItem) => (m.match(a.ids, a.code, a.name) || classOf(a) !== undefined) && typeOk(a);
  const noList = node.noAllergies === 'fail'
    ? fixedReason('no-allergies', 'fail', { subject: label, detail: `; read as no ${kind} to ${label} (noAllergies: fail)` })
    : fixedReason('no-allergies', 'unknown', { subject: label });
  const noListMissing = fixedMissing(missing('allergies', 'the allergy and intolerance list (allergies)'));
  const none = fixedReason('allergy', 'fail', { subject: `no ${kind} to ${label}`, detail: ' on the allergy list' });
  const onlyInactive = fixedReason('allergy', 'fail', { subject: `${kind} to ${label}`, detail: ' on the allergy list but not active (inactive or resolved)' });
  return (ctx) => {
    const list = ctx.view.allergies;
    if (!list) return node.noAllergies === 'fail' ? { status: 'fail', reasons: [noList], missing: [] } : { status: 'unknown', reasons: [noList], missing: noListMissing };
    const hits = list.filter((a) => matches(a) && (a.onsetDay === undefined || a.onsetDay <= ctx.asOfDay));
    const counted = node.active ? hits.filter((a) => !(a.clinicalStatus && INACTIVE.has(a.clinicalStatus))) : hits;
    // an entry naming the drug itself first, then one naming its class
    const a = counted.find((x) => m.match(x.ids, x.code, x.name)) ?? counted[0];
    if (!a) return { status: 'fail', reasons: [hits.length ? onlyInactive : none], missing: [] };
    const facts = [
      a.type, a.verificationStatus && a.verificationStatus !== 'confirmed' ? a.verificationStatus : undefined,
      a.criticality ? `criticality ${a.criticality}` : undefined, a.reaction ? `reaction: ${a.reaction}` : undefined,
      a.clinicalStatus && a.clinicalStatus !== 'active' ? a.clinicalStatus : undefined, a.onset ? `since ${a.onset}` : undefined,
    ].filter(Boolean);
    const cls = m.match(a.ids, a.code, a.name) ? undefined : classOf(a);
    if (cls) facts.push(`an allergy to the class ${cls}, which includes ${classes.get(cls)}`);
    return {
      status: 'pass',
      reasons: [reason('allergy', 'pass', {
        subject: `${a.name ?? a.code}${a.name ? ` (${a.code})` : ''}`, detail: ` on the allergy list${facts.length ? ` (${facts.join(', ')})` : ''}`,
        observed: { item: 'allergy', value: a.code, source: a.path, ...(a.onset ? { date: a.onset } : {}) },
      })],
      missing: [],
    };
  };
}
