/** attestation: a recorded statement (consent, clinician judgement); unknown until recorded. */
import { parseDuration, formatDuration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import { foldFreeCode } from '../../record.js';
import { attesterOf } from '../../vocabulary/values.js';
import { windowStart, type CompileEnv, type Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';

type AttestationNode = Extract<RuleNode, { attestation: string }>;

export function compileAttestation(node: AttestationNode, _env: CompileEnv): Evaluator {
  const code = foldFreeCode(node.attestation);
  const within = node.within ? parseDuration(node.within) : undefined;
  const by = node.by?.map((b) => attesterOf(b) ?? foldFreeCode(b));
  const windowText = within ? ` within ${formatDuration(within)}` : '';
  const notRecorded = fixedReason('attestation', 'unknown', { subject: code, detail: ` not recorded${windowText}${by ? ` (by ${by.join(' or ')})` : ''}` });
  const needed = fixedMissing(missing(`attestation:${code}`, `${code}${by ? ` by ${by.join(' or ')}` : ''}${windowText}`));
  return (ctx) => {
    const from = windowStart(ctx, within);
    const list = (ctx.view.attestations.get(code) ?? []).filter((a) => !by || (a.by !== undefined && by.includes(attesterOf(a.by) ?? foldFreeCode(a.by))));
    const a = list.find((x) => (x.day === undefined ? !within : x.day <= ctx.asOfDay && x.day >= from));
    if (!a) {
      return { status: 'unknown', reasons: [notRecorded], missing: needed };
    }
    const st = a.value ? 'pass' : 'fail';
    return {
      status: st,
      reasons: [reason('attestation', st, {
        subject: code, detail: a.value ? ` recorded${a.by ? ` by ${a.by}` : ''}` : ` declined${a.by ? ` by ${a.by}` : ''}`,
        observed: { item: code, value: a.value, source: a.path, ...(a.date ? { date: a.date } : {}) },
      })],
      missing: [],
    };
  };
}
