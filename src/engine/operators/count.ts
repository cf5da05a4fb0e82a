/**
 * count: at least n dated events or values matching a rule within a window — "at least 2 flares in
 * the past 12 months", "two eGFR values < 60 at least 90 days apart", "≥ 2 hospitalisations",
 * "persistent proteinuria on 2 consecutive measurements".
 *
 * The event rule (`count: { … }`) is one of:
 * - `measurement: <code>` with `min`/`max`/`above`/`below`/`is` (and `context`): every recorded value
 *   of the measurement is an event, counted when it meets the rule (derived values are not counted);
 * - `condition: <code or list>`: every matching problem-list entry, dated by its onset (one flare, one
 *   episode per entry);
 * - `procedure: <code or list>`: every matching procedure, dated when done;
 * - `finding: <code>`: every time the finding is recorded present.
 * The window (`within`, `anchor`) belongs to `count`, not to the event rule.
 *
 * `apart: 90 d`: counted events are each at least 90 days after the previous counted one (events are
 * chosen earliest first, which finds the largest spaced set). `consecutive: true` (measurements): the
 * n counted values are successive results in the window — no value in between fails the rule; with
 * `apart`, successive counted values are also that far apart.
 *
 * Tri-state: pass when the events that surely match reach n; fail when even counting every event that
 * might match (a value that cannot be compared, an entry without a date) stays below n; else unknown,
 * naming what would decide. No history of the domain on record (no problem list, no procedures list,
 * no values of the measurement) → unknown.
 */
import { addDuration } from '../../dates.js';
import { formatDuration, parseDuration, type Duration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { Evidence, MissingItem, Reason } from '../../model.js';
import { foldFreeCode } from '../../record.js';
import { termMatcher } from '../anchors.js';
import { windowStart, type CompileEnv, type EvalContext, type Evaluator } from '../context.js';
import { fmtNum, missing, reason } from '../reasons.js';
import type { NodeResult, Tri } from '../tri.js';
import { measurementChecker } from './measurement.js';
import { procedureMatcher } from './procedure.js';

type CountNode = Extract<RuleNode, { count: unknown }>;
type MeasurementNode = Extract<RuleNode, { measurement: string }>;

interface Event {
  day?: number;
  status: Tri;
  evidence: Evidence;
  reasons: Reason[];
  missing: MissingItem[];
}

import { COUNT_DOMAINS } from '../../language/count-domains.js';

/** Largest set of events, earliest first, each at least `apart` after the previous one. */
function spaced(events: readonly Event[], apart: Duration | undefined): Event[] {
  const out: Event[] = [];
  for (const e of events) {
    const prev = out[out.length - 1];
    if (!prev || !apart || e.day! >= addDuration(prev.day!, apart)) out.push(e);
  }
  return out;
}

/** Longest run of successive events (in date order) accepted by `ok`, each `apart` after the previous. */
function consecutiveRun(events: readonly Event[], ok: (e: Event) => boolean, apart: Duration | undefined): Event[] {
  let best: Event[] = [];
  let cur: Event[] = [];
  for (const e of events) {
    if (!ok(e)) cur = [];
    else if (cur.length && apart && e.day! < addDuration(cur[cur.length - 1]!.day!, apart)) {
      // too close to the previous counted value: a run may restart here
      cur = [e];
    } else cur.push(e);
    if (cur.length > best.length) best = [...cur];
  }
  return best;
}

function eventText(e: Event): string {
  const v = e.evidence.value;
  const val = typeof v === 'number' ? `${fmtNum(v)}${e.evidence.unit ? ` ${e.evidence.unit}` : ''}` : String(v);
  return `${e.evidence.date ?? 'undated'} ${val}`;
}

export function compileCount(node: CountNode, env: CompileEnv): Evaluator {
  const inner = node.count as Record<string, unknown>;
  const domain = COUNT_DOMAINS.find((d) => d in inner)!;
  const n = node.atLeast;
  const within = node.within ? parseDuration(node.within) : undefined;
  const apart = node.apart ? parseDuration(node.apart) : undefined;
  const consecutive = node.consecutive === true;
  let subject: string;
  let events: (ctx: EvalContext) => Event[] | undefined;
  let historyItem: MissingItem;

  if (domain === 'measurement') {
    const m = measurementChecker({ ...(inner as MeasurementNode), ever: true }, env);
    subject = m.subject;
    historyItem = missing(`measurement:${m.id}`, `${m.subject} results${within ? ` within ${formatDuration(within)}` : ''}`);
    events = (ctx) => {
      const list = ctx.view.measurements.get(m.id);
      if (!list?.length) return undefined;
      return list
        .filter((o) => (o.day === undefined || o.day <= ctx.asOfDay) && !(m.wantContext && o.context && o.context !== m.wantContext))
        .map((o) => {
          const r = m.checkObs(o);
          const ev: Evidence = { item: m.subject, value: o.num ?? o.text ?? null, ...(o.unit ? { unit: o.unit } : {}), ...(o.date ? { date: o.date } : {}), source: o.path };
          return { ...(o.day !== undefined ? { day: o.day } : {}), status: r.status, evidence: ev, reasons: r.reasons, missing: r.missing };
        });
    };
  } else if (domain === 'condition' || domain === 'procedure') {
    const names = (Array.isArray(inner[domain]) ? inner[domain] : [inner[domain]]) as string[];
    subject = names.join(' or ');
    if (domain === 'condition') {
      const mt = termMatcher(env, 'condition', names);
      historyItem = missing('conditions', 'the problem list (conditions)');
      events = (ctx) => ctx.view.conditions?.filter((c) => mt.match(c.ids, c.code, c.name)).map((c) => ({
        ...(c.onsetDay !== undefined ? { day: c.onsetDay } : {}), status: 'pass' as Tri,
        evidence: { item: 'condition', value: c.name ?? c.code, ...(c.onset ? { date: c.onset } : {}), source: c.path }, reasons: [], missing: [],
      }));
    } else {
      const mt = procedureMatcher(names);
      historyItem = missing('procedures', 'the procedure history (procedures)');
      events = (ctx) => ctx.view.procedures?.filter(mt).map((p) => ({
        ...(p.day !== undefined ? { day: p.day } : {}), status: 'pass' as Tri,
        evidence: { item: 'procedure', value: p.name ?? p.code, ...(p.date ? { date: p.date } : {}), source: p.path }, reasons: [], missing: [],
      }));
    }
  } else {
    const code = foldFreeCode(inner.finding as string);
    subject = code;
    historyItem = missing(`finding:${code}`, `${code} findings${within ? ` within ${formatDuration(within)}` : ''}`);
    events = (ctx) => {
      if (!ctx.view.has.findings) return undefined;
      return (ctx.view.findings.get(code) ?? []).filter((f) => f.present).map((f) => ({
        ...(f.day !== undefined ? { day: f.day } : {}), status: 'pass' as Tri,
        evidence: { item: code, value: 'present', ...(f.date ? { date: f.date } : {}), source: f.path }, reasons: [], missing: [],
      }));
    };
  }

  const rules = [
    within ? `within ${formatDuration(within)}${node.anchor ? ` before ${node.anchor}` : ''}` : '',
    apart ? `at least ${formatDuration(apart)} apart` : '',
    consecutive ? 'consecutive' : '',
  ].filter(Boolean).join(', ');
  const what = `${subject}${rules ? ` (${rules})` : ''}`;

  const evaluate = (ctx: EvalContext): NodeResult => {
    const all = events(ctx);
    if (!all) {
      return { status: 'unknown', reasons: [reason('count', 'unknown', { subject: what, detail: `: no ${domain === 'condition' ? 'problem list' : domain === 'procedure' ? 'procedures list' : `${subject} results`} on record` })], missing: [historyItem] };
    }
    const from = windowStart(ctx, within);
    const dated = all.filter((e) => e.day !== undefined && e.day <= ctx.asOfDay && e.day >= from).sort((a, b) => a.day! - b.day!);
    // an undated event may lie in the window (or, without one, anywhere): it can only make the count unknown
    const undated = all.filter((e) => e.day === undefined && e.status !== 'fail');
    let sure: Event[];
    let maybeCount: number;
    if (consecutive) {
      sure = consecutiveRun(dated, (e) => e.status === 'pass', apart);
      maybeCount = consecutiveRun(dated, (e) => e.status !== 'fail', apart).length + (undated.length ? n : 0);
    } else {
      sure = spaced(dated.filter((e) => e.status === 'pass'), apart);
      maybeCount = spaced(dated.filter((e) => e.status !== 'fail'), apart).length + undated.length;
    }
    const status: Tri = sure.length >= n ? 'pass' : maybeCount < n ? 'fail' : 'unknown';
    const counted = sure.length ? sure.map(eventText).join('; ') : 'none';
    const reasons: Reason[] = [reason('count', status, {
      subject: `${sure.length} ${what}`,
      detail: `: ${counted}; at least ${n} required${status === 'unknown' ? ` (up to ${maybeCount} possible)` : ''}`,
    })];
    for (const e of sure) reasons.push(...(e.reasons.length ? e.reasons : [reason('count-event', 'pass', { subject: `${e.evidence.value}`, detail: e.evidence.date ? ` on ${e.evidence.date}` : '', observed: e.evidence })]));
    const miss: MissingItem[] = [];
    if (status === 'unknown') {
      for (const e of [...dated, ...undated]) {
        if (e.status === 'unknown' && !sure.includes(e)) {
          reasons.push(...(e.reasons.length ? e.reasons : [reason('count-event', 'unknown', { subject: `${e.evidence.value}`, detail: ' has no date, so it cannot be placed', observed: e.evidence })]));
          miss.push(...(e.missing.length ? e.missing : [missing(`${domain}-date:${subject}`, `date of ${subject} (${e.evidence.source ?? '?'})`)]));
        }
        if (e.day === undefined && e.status === 'pass') {
          reasons.push(reason('count-event', 'unknown', { subject: `${e.evidence.value}`, detail: ' has no date, so it cannot be placed', observed: e.evidence }));
          miss.push(missing(`${domain}-date:${subject}`, `date of ${subject} (${e.evidence.source ?? '?'})`));
        }
      }
      if (!miss.length) miss.push(historyItem);
    }
    return { status, reasons, missing: dedupeMissing(miss) };
  };

  // an anchor (`anchor: name`) is applied around this by the compiler (anchors.ts withAnchor)
  return evaluate;
}

function dedupeMissing(xs: MissingItem[]): MissingItem[] {
  const seen = new Set<string>();
  return xs.filter((m) => (seen.has(m.item) ? false : (seen.add(m.item), true)));
}
