/** finding: a clinician-coded item (ECG, imaging, score item), present or absent; unknown until recorded. */
import { parseDuration, formatDuration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import { foldFreeCode } from '../../record.js';
import { windowStart, type CompileEnv, type Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';
import type { Tri } from '../tri.js';

type FindingNode = Extract<RuleNode, { finding: string }>;

export function compileFinding(node: FindingNode, env: CompileEnv): Evaluator {
  const code = foldFreeCode(node.finding);
  const wantPresent = (node.is ?? 'present') === 'present';
  const within = node.within ? parseDuration(node.within) : env.lookback;
  const windowText = within ? ` within ${formatDuration(within)}` : '';
  const notRecorded = fixedReason('finding', 'unknown', { subject: code, detail: ` not recorded${windowText}` });
  const needed = fixedMissing(missing(`finding:${code}`, `${code} (present or absent)${windowText} before the as-of date`));
  return (ctx) => {
    const from = windowStart(ctx, within);
    const list = ctx.view.findings.get(code) ?? [];
    const f = list.find((x) => x.day !== undefined && x.day <= ctx.asOfDay && x.day >= from)
      ?? (within ? undefined : list.find((x) => x.day === undefined));
    if (!f) {
      const stale = list.find((x) => x.day !== undefined && x.day <= ctx.asOfDay);
      return {
        status: 'unknown',
        reasons: [stale ? reason('finding', 'unknown', { subject: code, detail: ` last recorded ${stale.date}, outside the window${windowText}` }) : notRecorded],
        missing: needed,
      };
    }
    const st: Tri = f.present === wantPresent ? 'pass' : 'fail';
    return {
      status: st,
      reasons: [reason('finding', st, {
        subject: code, detail: f.present ? ' present' : ' absent',
        observed: { item: code, value: f.present, source: f.path, ...(f.date ? { date: f.date } : {}) },
      })],
      missing: [],
    };
  };
}
