/**
 * device: a device used or implanted (an insulin pump, a CRT-D, a model such as minimed-670g): a
 * concept (the entries that mean it or one of its members, by code, name or model), a coded form
 * matched exactly, or a free name.
 *
 * - no option: recorded at any time up to the as-of date (started on or before it, or undated);
 * - `current: true`: in use at the as-of date (or the anchor): started on or before it, not ended
 *   before it, and not completed, stopped or on hold;
 * - `for: 3 mo`: in use at the as-of date and since at least that long (needs the start date);
 * - `within: 2 mo`: started (implanted) inside the window (needs the start date); with `current`,
 *   also still in use.
 *
 * Tri-state: a matching device that meets the rule → pass; one whose needed date is not recorded →
 * unknown (the date in `missing`); none → fail; no `devices` list on the record → unknown (the device
 * list is missing), or fail with `noDevices: fail`. Without a list, entries recorded as not used
 * (`present: false`) decide only for what they cover: each device asked is that device or a model of
 * it (no insulin pump → no MiniMed 670G) → fail; anything else stays unknown.
 */
import { addDuration } from '../../dates.js';
import { formatDuration, parseDuration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { DeviceItem } from '../../record.js';
import { absenceCovers, broaderThan, ownIds } from '../../vocabulary/index.js';
import { termMatcher } from '../anchors.js';
import { windowStart, type CompileEnv, type Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing, reason } from '../reasons.js';
import type { NodeResult } from '../tri.js';

type DeviceNode = Extract<RuleNode, { device: unknown }>;

const ENDED = new Set(['completed', 'stopped', 'on-hold']);

/** Whether the device is in use on `day`: true, false, or undefined when its dates cannot tell. */
export function inUseOn(d: DeviceItem, day: number): boolean {
  if (d.startDay !== undefined && d.startDay > day) return false;
  if (d.endDay !== undefined) return d.endDay >= day;
  return !(d.status !== undefined && ENDED.has(d.status));
}

export function compileDevice(node: DeviceNode, env: CompileEnv): Evaluator {
  const names = Array.isArray(node.device) ? node.device : [node.device];
  const label = names.join(' or ');
  const m = termMatcher(env, 'device', names);
  const matches = (d: DeviceItem) => m.match(d.ids, d.code, d.label);
  // a device recorded only as a broader type (an insulin pump, no model) might be the model asked for
  const broader = broaderThan('device', m.ids);
  const vague = (d: DeviceItem) => broader.size > 0 && d.model === undefined && !matches(d) && ownIds('device', d.ids).some((id) => broader.has(id));
  const within = node.within ? parseDuration(node.within) : undefined;
  const dur = node.for ? parseDuration(node.for) : undefined;
  const current = node.current === true || dur !== undefined;
  const asked = [
    dur ? `in use for at least ${formatDuration(dur)}` : current ? 'in use' : '',
    within ? `started within ${formatDuration(within)}${node.anchor ? ` before ${node.anchor}` : ''}` : '',
  ].filter(Boolean).join(', ');
  const noList = node.noDevices === 'fail'
    ? fixedReason('no-devices', 'fail', { subject: label, detail: `; read as no ${label} (noDevices: fail)` })
    : fixedReason('no-devices', 'unknown', { subject: label });
  const noListMissing = fixedMissing(missing('devices', 'the device list (devices)'));
  const none = fixedReason('device', 'fail', { subject: label, detail: ' not recorded' });
  const evidence = (d: DeviceItem) => ({ item: 'device', value: d.label, source: d.path, ...(d.start ? { date: d.start } : {}) });
  // what an absence must cover: each device asked is the absent one or a model (member) of it; a code, exactly
  const covers = names.map((n) => {
    const covered = absenceCovers('device', n);
    return (a: DeviceItem) => covered(ownIds('device', a.ids), a.code);
  });
  const notUsed = (absent: readonly DeviceItem[]): NodeResult | undefined => {
    const by: DeviceItem[] = [];
    for (const c of covers) {
      const a = absent.find(c);
      if (!a) return undefined;
      if (!by.includes(a)) by.push(a);
    }
    return { status: 'fail', reasons: by.map((a) => reason('device', 'fail', { subject: label, detail: ' not used', observed: { item: 'device', value: `${a.label}: not used`, source: a.path } })), missing: [] };
  };
  // a partial list (partial: [devices]) says only what it mentions: each device asked must be on it (in use,
  // or the asked one or a model of it recorded as not used), else a result other than pass is unknown
  const byName = names.map((n) => termMatcher(env, 'device', [n]));
  const mentioned = (list: readonly DeviceItem[], absent: readonly DeviceItem[]) =>
    byName.every((bm, i) => list.some((d) => bm.match(d.ids, d.code, d.label)) || absent.some(covers[i]!));
  const partialReason = reason('device', 'unknown', { subject: label, detail: ' not mentioned: the device list on record is partial' });
  const span = (d: DeviceItem) => `${d.start ? ` from ${d.start}` : ' (no start date)'}${d.end ? ` to ${d.end}` : ''}${d.status ? `, status ${d.status}` : ''}`;
  return (ctx) => {
    const r = judge(ctx);
    if (r.status === 'pass' || !ctx.view.devicesPartial) return r;
    const absent = ctx.view.devicesNotUsed ?? [];
    if (mentioned(ctx.view.devices ?? [], absent)) return r.status === 'fail' ? notUsed(absent) ?? r : r;
    return node.noDevices === 'fail' && r.status === 'fail'
      ? { status: 'fail', reasons: [...r.reasons, noList], missing: [] }
      : { status: 'unknown', reasons: r.reasons[0] === none ? [partialReason] : [partialReason, ...r.reasons], missing: r.missing.some((x) => x.item === 'devices') ? r.missing : [...r.missing, ...noListMissing] };
  };
  function judge(ctx: Parameters<Evaluator>[0]): NodeResult {
    const list = ctx.view.devices;
    if (!list) return (ctx.view.devicesNotUsed && notUsed(ctx.view.devicesNotUsed)) ?? (node.noDevices === 'fail' ? { status: 'fail', reasons: [noList], missing: [] } : { status: 'unknown', reasons: [noList], missing: noListMissing });
    const at = ctx.anchorDay ?? ctx.asOfDay;
    const hits = list.filter((d) => matches(d) && (d.startDay === undefined || d.startDay <= ctx.asOfDay));
    // a broader device without its model (in use, when that is asked) might be the one: unknown rather than fail
    const maybe = (): NodeResult | undefined => {
      const v = list.find((d) => vague(d) && (d.startDay === undefined || d.startDay <= ctx.asOfDay) && (!current || inUseOn(d, at)));
      return v && {
        status: 'unknown',
        reasons: [reason('device', 'unknown', { subject: v.label, detail: ` recorded without its model: it may be ${label}`, observed: evidence(v) })],
        missing: [missing(`device:${label}:model`, `model of ${v.label} (${v.path})`)],
      };
    };
    if (!hits.length) return maybe() ?? { status: 'fail', reasons: [none], missing: [] };
    const from = windowStart(ctx, within);
    const sinceBy = dur ? addDuration(at, dur, -1) : undefined;
    let undated: DeviceItem | undefined;
    let failed: DeviceItem | undefined;
    for (const d of hits) {
      if (current && !inUseOn(d, at)) {
        failed ??= d;
        continue;
      }
      if ((within || sinceBy !== undefined) && d.startDay === undefined) {
        undated ??= d;
        continue;
      }
      if ((within && d.startDay! < from) || (sinceBy !== undefined && d.startDay! > sinceBy)) {
        failed ??= d;
        continue;
      }
      return { status: 'pass', reasons: [reason('device', 'pass', { subject: d.label, detail: `${span(d)}${asked ? `: ${asked}` : ''}`, observed: evidence(d) })], missing: [] };
    }
    if (undated) {
      return {
        status: 'unknown',
        reasons: [reason('device', 'unknown', { subject: undated.label, detail: ` recorded without a start date: cannot tell whether it is ${asked}`, observed: evidence(undated) })],
        missing: [missing(`device:${label}`, `start date of ${undated.label} (${undated.path})`)],
      };
    }
    const d = failed!;
    return maybe() ?? { status: 'fail', reasons: [reason('device', 'fail', { subject: d.label, detail: `${span(d)}: not ${asked}`, observed: evidence(d) })], missing: [] };
  }
}
