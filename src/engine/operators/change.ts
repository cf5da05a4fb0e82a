/**
 * change: how much a measurement changed between a baseline value and a later one — "creatinine
 * increase > 20 % in the last 6 months", "eGFR decline ≥ 25 % from the value at transplant", "a rise
 * in creatinine ≥ 0.3 mg/dL".
 *
 * The later value is the newest value in the window (`within`, ending at the as-of date or at the
 * rule's `anchor`). The baseline is, among the values dated before the later value's day:
 * - `earliest` (default): the earliest value in the window;
 * - `lowest` / `highest`: the lowest / highest value in the window (the largest rise to, or fall to,
 *   the newest value);
 * - `{ anchor: name, within: D }`: the value at an anchor event — the newest dated in the D up to and
 *   including the anchor's day.
 * The change is signed (later − baseline): a bound in `%` compares the relative change
 * (100 × change ÷ baseline), any other unit the absolute change, computed in the bound's unit (both
 * values converted to it). `min`, `max`, `above`, `below` bound it as in `measurement`.
 *
 * Tri-state: fewer than two usable values on different days (or no baseline value near the anchor)
 * → unknown, naming the values needed in `missing`. A value that cannot be used (no number, a unit
 * that cannot be converted, no date) where it could have been chosen as the baseline or the later
 * value → unknown, naming it. A relative change from a baseline ≤ 0 → unknown. Pure: no clock.
 */
import { addDuration, fromDay } from '../../dates.js';
import { formatDuration, isQuantity, parseDuration, parseThreshold, type Duration } from '../../language/quantity.js';
import { normaliseUnit } from '../../calculators/units.js';
import type { RuleNode } from '../../language/schema.js';
import type { Comparator, Evidence, MissingItem, Reason } from '../../model.js';
import type { Obs } from '../../record.js';
import { lookup } from '../../vocabulary/index.js';
import { anchorOf } from '../anchors.js';
import { windowStart, type CompileEnv, type EvalContext, type Evaluator } from '../context.js';
import { test, toUnit } from '../compare.js';
import { obsEvidence } from '../derive.js';
import { fmtAgainst, fmtNum, missing, reason } from '../reasons.js';
import type { NodeResult, Tri } from '../tri.js';

type ChangeNode = Extract<RuleNode, { change: string }>;

interface ChangeBound {
  op: Comparator;
  value: number;
  /** '%' for a relative change, else the UCUM unit of an absolute change. */
  unit: string;
  relative: boolean;
}

interface Usable {
  o: Obs;
  day: number;
  /** The value in the concept's canonical unit. */
  v: number;
}

const SYMBOL: Record<string, [string, string]> = { '>=': ['≥', '<'], '<=': ['≤', '>'], '>': ['>', '≤'], '<': ['<', '≥'] };

/** The change rule's bounds, in words (explain, reasons): "more than 20 %", "at least 0.3 mg/dL". */
export function changeBoundsText(node: { min?: unknown; max?: unknown; above?: unknown; below?: unknown }): string {
  const parts: string[] = [];
  const q = (raw: unknown) => {
    const t = parseThreshold(raw);
    return t && isQuantity(t) ? `${fmtNum(t.value)}${t.unit === '%' ? ' %' : t.unit ? ` ${t.unit}` : ''}` : String(raw);
  };
  if (node.min !== undefined) parts.push(`at least ${q(node.min)}`);
  if (node.above !== undefined) parts.push(`more than ${q(node.above)}`);
  if (node.max !== undefined) parts.push(`at most ${q(node.max)}`);
  if (node.below !== undefined) parts.push(`less than ${q(node.below)}`);
  return parts.join(' and ');
}

export function compileChange(node: ChangeNode, env: CompileEnv): Evaluator {
  const entry = lookup('measurement', node.change)!;
  const id = entry.id;
  const subject = entry.display;
  const canonical = entry.unit ?? '';
  const within: Duration | undefined = node.within ? parseDuration(node.within) : undefined;
  const base = node.baseline ?? 'earliest';
  const baseAnchor = typeof base === 'object' ? { name: base.anchor, within: parseDuration(base.within)! } : undefined;
  const bounds: ChangeBound[] = [];
  for (const [op, raw] of [['>=', node.min], ['<=', node.max], ['>', node.above], ['<', node.below]] as const) {
    if (raw === undefined) continue;
    const t = parseThreshold(raw);
    if (!t || !isQuantity(t)) continue;
    const unit = normaliseUnit(t.unit);
    const relative = node.relative ?? (unit === '%' && canonical !== '%');
    bounds.push({ op, value: t.value, unit: relative ? '%' : unit || canonical, relative });
  }
  const baselineWords = baseAnchor ? `the value at ${baseAnchor.name} (the newest within ${formatDuration(baseAnchor.within)} up to it)`
    : base === 'earliest' ? 'the earliest value in the window' : `the ${base} value before it in the window`;
  const windowWords = within ? `within ${formatDuration(within)}${node.anchor ? ` before ${node.anchor}` : ''}` : 'at any time';
  const needTwo = missing(`measurement:${id}`, `two ${subject} values on different days ${windowWords}`);

  const usable = (o: Obs): { ok: true; v: number } | { ok: false; why: string } => {
    if (o.num === undefined) return { ok: false, why: o.text !== undefined ? `"${o.text}" is not a number` : 'no value' };
    const c = toUnit(o.num, o.unit, canonical, entry.molarMass);
    return c.ok ? { ok: true, v: c.value } : { ok: false, why: c.reason };
  };

  return (ctx: EvalContext): NodeResult => {
    const list = ctx.view.measurements.get(id) ?? [];
    const from = windowStart(ctx, within);
    const values: Usable[] = [];
    const unusable: { o: Obs; day?: number; why: string }[] = [];
    for (const o of list) {
      if (o.day !== undefined && (o.day > ctx.asOfDay || o.day < from)) continue;
      const u = usable(o);
      if (o.day === undefined) unusable.push({ o, why: 'no date' });
      else if (!u.ok) unusable.push({ o, day: o.day, why: u.why });
      else values.push({ o, day: o.day, v: u.v });
    }
    values.sort((a, b) => a.day - b.day);
    const reasons: Reason[] = [];
    const later = values.length ? values[values.length - 1]! : undefined;
    let baseline: Usable | undefined;
    let anchorMissing: MissingItem[] | undefined;
    let anchorWhy = '';
    let anchorRange: [number, number] | undefined;
    if (later) {
      const before = values.filter((x) => x.day < later.day);
      if (baseAnchor) {
        const a = anchorOf(ctx, env as CompileEnv & { anchors?: Map<string, never> }, baseAnchor.name);
        if (!a.known) {
          anchorMissing = a.missing;
          anchorWhy = a.why;
        } else {
          anchorRange = [addDuration(a.day, baseAnchor.within, -1), a.day];
          reasons.push(reason('anchor', 'pass', { subject: `anchor ${baseAnchor.name}`, detail: `: ${a.what} on ${a.date}`, observed: a.evidence }));
          // the baseline near the anchor may lie before the rule's window: read it from every value
          const near = list.flatMap((o) => {
            const u = o.day !== undefined && o.day >= anchorRange![0] && o.day <= anchorRange![1] && o.day < later.day ? usable(o) : undefined;
            return u?.ok ? [{ o, day: o.day!, v: u.v }] : [];
          }).sort((x, y) => x.day - y.day);
          baseline = near[near.length - 1];
          for (const o of list) {
            if (o.day !== undefined && o.day >= anchorRange[0] && o.day <= anchorRange[1] && !usable(o).ok && !unusable.some((x) => x.o === o)) unusable.push({ o, day: o.day, why: (usable(o) as { why: string }).why });
          }
        }
      } else if (before.length) {
        baseline = base === 'earliest' ? before[0]
          : before.reduce((b, x) => ((base === 'lowest' ? x.v < b.v : x.v > b.v) ? x : b));
      }
    }
    if (anchorMissing) {
      return { status: 'unknown', reasons: [reason('anchor', 'unknown', { subject: `anchor ${baseAnchor!.name}`, detail: `: ${anchorWhy}` })], missing: anchorMissing };
    }
    // an unusable value that could have been the later value or the baseline leaves the change unknown
    const couldMatter = unusable.filter((x) => {
      if (x.day === undefined) return true;
      if (!later || !baseline) return true;
      if (x.day >= later.day) return true;
      if (anchorRange) return x.day >= anchorRange[0] && x.day <= anchorRange[1] && x.day >= baseline.day;
      return base === 'earliest' ? x.day <= baseline.day : true;
    });
    if (!later || !baseline) {
      const why = !later ? `no ${subject} value ${windowWords}`
        : anchorRange ? `no ${subject} value dated ${fromDay(anchorRange[0])} → ${fromDay(anchorRange[1])} (${baseAnchor!.name}) before the newest value`
          : `only one day with a ${subject} value ${windowWords} (${later.o.date})`;
      const miss = anchorRange ? [missing(`measurement:${id}`, `${subject} within ${formatDuration(baseAnchor!.within)} up to ${baseAnchor!.name} (${fromDay(anchorRange[1])})`)] : [needTwo];
      reasons.push(reason('change', 'unknown', { subject, detail: `: change cannot be measured: ${why}`, ...(later ? { observed: obsEvidence(subject, later.o) } : {}) }));
      for (const x of couldMatter) reasons.push(reason('change', 'unknown', { subject, detail: `: value not usable (${x.why})`, observed: obsEvidence(subject, x.o) }));
      return { status: 'unknown', reasons, missing: miss };
    }
    const statuses: Tri[] = [];
    const parts: string[] = [];
    let relUnknown = false;
    for (const b of bounds) {
      let v: number | undefined;
      if (b.relative) {
        if (baseline.v > 0) v = ((later.v - baseline.v) / baseline.v) * 100;
        else relUnknown = true;
      } else {
        const l = toUnit(later.v, canonical, b.unit, entry.molarMass);
        const f = toUnit(baseline.v, canonical, b.unit, entry.molarMass);
        if (l.ok && f.ok) v = l.value - f.value;
      }
      if (v === undefined) {
        statuses.push('unknown');
        continue;
      }
      const ok = test(v, b);
      statuses.push(ok ? 'pass' : 'fail');
      const sign = v > 0 ? '+' : '';
      parts.push(`${sign}${fmtAgainst(v, b.value)} ${b.unit} ${SYMBOL[b.op]![ok ? 0 : 1]} ${fmtNum(b.value)} ${b.unit}`);
    }
    let status: Tri = statuses.includes('fail') ? 'fail' : statuses.includes('unknown') ? 'unknown' : 'pass';
    const miss: MissingItem[] = [];
    if (couldMatter.length) {
      status = 'unknown';
      for (const x of couldMatter) {
        reasons.push(reason('change', 'unknown', { subject, detail: `: value not usable (${x.why}); it could be the ${x.day !== undefined && x.day >= later.day ? 'newest value' : 'baseline'}`, observed: obsEvidence(subject, x.o) }));
        miss.push(missing(`measurement:${id}`, `a usable ${subject} value in place of ${x.o.path}`));
      }
    }
    if (relUnknown) {
      status = status === 'fail' ? 'fail' : 'unknown';
      if (status === 'unknown') miss.push(missing(`measurement:${id}`, `a ${subject} baseline above 0 (a relative change from ${fmtNum(baseline.v)} is undefined)`));
    }
    const ev = (x: Usable): Evidence => ({ ...obsEvidence(subject, x.o) });
    const fmt = (x: Usable) => `${fmtNum(x.o.num!)}${x.o.unit ? ` ${x.o.unit}` : ''} on ${x.o.date}`;
    reasons.unshift(reason('change', status, {
      subject,
      detail: ` changed from ${fmt(baseline)} (baseline: ${baselineWords}) to ${fmt(later)}: ${parts.join(', ') || 'change undefined'}`,
      observed: ev(later),
    }));
    reasons.splice(1, 0, reason('change', status, { subject: `${subject} baseline`, detail: ` ${fmt(baseline)}`, observed: ev(baseline) }));
    return { status, reasons, missing: status === 'unknown' ? dedupe(miss.length ? miss : [needTwo]) : [] };
  };
}

function dedupe(xs: MissingItem[]): MissingItem[] {
  const seen = new Set<string>();
  return xs.filter((m) => (seen.has(`${m.item} ${m.description}`) ? false : (seen.add(`${m.item} ${m.description}`), true)));
}
