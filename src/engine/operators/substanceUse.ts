/**
 * substanceUse: tobacco, alcohol or other substance use, read from status statements (current,
 * former with its quit date, never), newest first. Data after the as-of date (or the anchor) is not read.
 *
 * - no option: ever used — a current or former status → pass; only never → fail;
 * - `status: [current]`: the newest status (unknown statements skipped) is one of those listed; a
 *   former status whose quit date is after the as-of date (or the anchor) was current on that date;
 * - `within: 3 mo`: used at any time in the window — a current status dated in the window, or the
 *   newest status being current, or a former status whose quit date (end) is in the window → pass; a
 *   former status without a quit date recorded inside the window → unknown (the quit date in
 *   `missing`); otherwise fail (never, or quit before the window);
 * - `packYears: { min, max }`: the newest recorded pack-years (a never status: 0) within the bounds.
 *
 * Tri-state: no statement about the substance (or only unknown ones) → unknown with the substance
 * named in `missing`, or fail (never used) with `noSubstanceUse: fail`.
 */
import { formatDuration, parseDuration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { SubstanceItem } from '../../record.js';
import { termMatcher } from '../anchors.js';
import { windowStart, type CompileEnv, type Evaluator } from '../context.js';
import { fixedMissing, fixedReason, fmtNum, missing, reason } from '../reasons.js';
import type { NodeResult } from '../tri.js';

type SubstanceNode = Extract<RuleNode, { substanceUse: unknown }>;

export function compileSubstanceUse(node: SubstanceNode, env: CompileEnv): Evaluator {
  const names = Array.isArray(node.substanceUse) ? node.substanceUse : [node.substanceUse];
  const label = names.join(' or ');
  const m = termMatcher(env, 'substance', names);
  const statuses = node.status === undefined ? undefined : new Set<string>(Array.isArray(node.status) ? node.status : [node.status]);
  const within = node.within ? parseDuration(node.within) : undefined;
  const windowText = within ? ` within ${formatDuration(within)}${node.anchor ? ` before ${node.anchor}` : ''}` : '';
  const noData = node.noSubstanceUse === 'fail'
    ? fixedReason('no-substance-use', 'fail', { subject: label, detail: `; read as never used (noSubstanceUse: fail)` })
    : fixedReason('no-substance-use', 'unknown', { subject: label });
  const noDataMissing = fixedMissing(missing(`substanceUse:${label}`, `${label} use: status current, former (with quit date) or never (substanceUse)`));
  const noDataResult = (): NodeResult => (node.noSubstanceUse === 'fail' ? { status: 'fail', reasons: [noData], missing: [] } : { status: 'unknown', reasons: [noData], missing: noDataMissing });
  const ev = (u: SubstanceItem) => ({ item: u.substance, value: u.status, source: u.path, ...(u.date ? { date: u.date } : {}) });
  const said = (u: SubstanceItem) => `${u.substance}: ${u.status}${u.end ? `, quit ${u.end}` : ''}${u.packYears !== undefined ? `, ${fmtNum(u.packYears)} pack-years` : ''}${u.date ? ` (recorded ${u.date})` : ''}`;
  const say = (status: NodeResult['status'], u: SubstanceItem, detail: string): NodeResult => ({ status, reasons: [reason('substance-use', status, { subject: said(u), detail, observed: ev(u) })], missing: [] });
  return (ctx) => {
    // newest first; statements dated after the as-of date are not read
    const all = (ctx.view.substanceUse ?? []).filter((u) => m.match(u.ids, u.substance, undefined) && (u.day === undefined || u.day <= ctx.asOfDay));
    const known = all.filter((u) => u.status !== 'unknown');
    if (node.packYears) {
      // a pack-years observation may come without a status (FHIR: its own Observation)
      if (!all.length) return noDataResult();
      const newest = known[0] ?? all[0]!;
      const p = all.find((u) => u.packYears !== undefined || u.status === 'never');
      const { min, max } = node.packYears;
      const bounds = [min !== undefined ? `≥ ${fmtNum(min)}` : '', max !== undefined ? `≤ ${fmtNum(max)}` : ''].filter(Boolean).join(' and ');
      if (!p) {
        return { status: 'unknown', reasons: [reason('substance-use', 'unknown', { subject: said(newest), detail: `: no pack-years recorded (needed: ${bounds})`, observed: ev(newest) })], missing: [missing(`substanceUse:${label}:packYears`, `${label} pack-years`)] };
      }
      const v = p.packYears ?? 0;
      const ok = (min === undefined || v >= min) && (max === undefined || v <= max);
      return say(ok ? 'pass' : 'fail', p, `: ${fmtNum(v)} pack-years${p.packYears === undefined ? ' (never used)' : ''} ${ok ? 'is' : 'is not'} ${bounds}`);
    }
    if (!known.length) return noDataResult();
    const newest = known[0]!;
    if (statuses) {
      // a former status whose quit date is after the as-of date (or the anchor): still current on that date
      const at = ctx.anchorDay ?? ctx.asOfDay;
      const status = newest.status === 'former' && newest.endDay !== undefined && newest.endDay > at ? 'current' : newest.status;
      const ok = statuses.has(status);
      const asOf = status === newest.status ? '' : ` (${status} on ${ctx.anchorDay !== undefined ? 'the anchor date' : 'the as-of date'}: the quit date is after it)`;
      return say(ok ? 'pass' : 'fail', newest, `: the newest status${asOf} ${ok ? 'is' : 'is not'} ${[...statuses].join(' or ')}`);
    }
    if (within) {
      const from = windowStart(ctx, within);
      let unsure: SubstanceItem | undefined;
      for (const u of known) {
        if (u.status === 'current' && (u === newest || (u.day !== undefined && u.day >= from))) return say('pass', u, `: used${windowText}`);
        if (u.status === 'former') {
          if (u.endDay !== undefined) {
            if (u.endDay >= from) return say('pass', u, `: quit inside the window, so used${windowText}`);
          } else if (u.day === undefined || u.day >= from) unsure ??= u;
        }
      }
      if (unsure) {
        return {
          status: 'unknown',
          reasons: [reason('substance-use', 'unknown', { subject: said(unsure), detail: `: no quit date, so use${windowText} cannot be ruled out`, observed: ev(unsure) })],
          missing: [missing(`substanceUse:${label}:end`, `${label} quit date (${unsure.path})`)],
        };
      }
      return say('fail', newest, `: not used${windowText}`);
    }
    const used = known.find((u) => u.status === 'current' || u.status === 'former');
    return used ? say('pass', used, ': has used it') : say('fail', newest, ': never used');
  };
}
