/**
 * elapsed: the time from an anchor event to the as-of date (or to another anchor, `until`), with
 * bounds: "at least 12 months after the last dose of rituximab" (`elapsed: rituximab-last-dose,
 * min: 12 mo`), "diagnosed at least 6 months ago" (`elapsed: sle-onset, min: 6 mo`).
 *
 * Calendar arithmetic: `min: 12 mo` holds when anchor + 12 months ≤ end (2025-11-30 + 12 mo =
 * 2026-11-30: passes on 2026-11-30); `max: 6 mo` when end ≤ anchor + 6 months. An anchor that cannot
 * be dated → unknown, the anchor named in missing. An anchor after the end fails `min` (no time has
 * elapsed) and passes `max`.
 */
import { addDuration, fromDay } from '../../dates.js';
import { formatDuration, parseDuration, type Duration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { Reason } from '../../model.js';
import { anchorOf, anchorReason } from '../anchors.js';
import type { CompileEnv, Evaluator } from '../context.js';
import { reason } from '../reasons.js';
import { and, type Tri } from '../tri.js';

type ElapsedNode = Extract<RuleNode, { elapsed: string }>;

/** Whole days and calendar months between two days, for the reason ("14 months 3 days"). */
function spanText(from: number, to: number): string {
  if (to < from) return `${to - from} days`;
  let months = 0;
  while (addDuration(from, { n: months + 1, unit: 'mo' }) <= to) months++;
  const days = to - addDuration(from, { n: months, unit: 'mo' });
  const parts = [];
  if (months) parts.push(`${months} month${months === 1 ? '' : 's'}`);
  if (days || !months) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  return parts.join(' ');
}

export function compileElapsed(node: ElapsedNode, env: CompileEnv): Evaluator {
  const min: Duration | undefined = node.min ? parseDuration(node.min) : undefined;
  const max: Duration | undefined = node.max ? parseDuration(node.max) : undefined;
  const untilText = node.until ? node.until : 'the as-of date';
  return (ctx) => {
    const a = anchorOf(ctx, env, node.elapsed);
    const reasons: Reason[] = [];
    if (!a.known) {
      return { status: 'unknown', reasons: [reason('anchor', 'unknown', { subject: `anchor ${node.elapsed}`, detail: `: ${a.why}` })], missing: a.missing };
    }
    let end = ctx.asOfDay;
    if (node.until) {
      const u = anchorOf(ctx, env, node.until);
      if (!u.known) {
        return { status: 'unknown', reasons: [anchorReason(node.elapsed, a), reason('anchor', 'unknown', { subject: `anchor ${node.until}`, detail: `: ${u.why}` })], missing: u.missing };
      }
      end = u.day;
      reasons.push(anchorReason(node.until, u));
    }
    const sts: Tri[] = [];
    const limits: string[] = [];
    if (min) {
      const ok = addDuration(a.day, min) <= end;
      sts.push(ok ? 'pass' : 'fail');
      limits.push(`${ok ? '≥' : '<'} ${formatDuration(min)}`);
    }
    if (max) {
      const ok = end <= addDuration(a.day, max);
      sts.push(ok ? 'pass' : 'fail');
      limits.push(`${ok ? '≤' : '>'} ${formatDuration(max)}`);
    }
    const status = and(sts);
    reasons.unshift(reason('elapsed', status, {
      subject: `${spanText(a.day, end)} from ${node.elapsed} (${a.date}) to ${node.until ? `${untilText} (${fromDay(end)})` : `${fromDay(end)}`}`,
      detail: limits.length ? `: ${limits.join(' and ')}` : '',
      observed: a.evidence,
    }));
    return { status, reasons, missing: [] };
  };
}
