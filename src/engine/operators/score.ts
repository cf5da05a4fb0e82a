/**
 * score: a weighted score (SLEDAI-2K, 2019 EULAR/ACR). A recorded total inside the window is used
 * as recorded; otherwise the total is computed from the record's items, each present, absent or
 * not recorded, giving lower and upper bounds (pass if the lower bound meets the threshold, fail
 * if the upper bound cannot, else unknown). A finding with the score's own code (e.g. `sledai-2k`)
 * records that a full assessment was done that day: descriptors not listed were absent.
 */
import { getCalculator } from '../../calculators/index.js';
import { normaliseId } from '../../calculators/common.js';
import { SLEDAI_2K_WEIGHTS } from '../../calculators/sledai-2k.js';
import type { CalcInputValue, CalcResult } from '../../calculators/types.js';
import { formatDuration, parseDuration, type Duration } from '../../language/quantity.js';
import type { RuleNode } from '../../language/schema.js';
import type { Comparator, Evidence, MissingItem, Reason } from '../../model.js';
import { windowStart, type CompileEnv, type EvalContext, type Evaluator } from '../context.js';
import { newestIn, obsEvidence } from '../derive.js';
import { test } from '../compare.js';
import { fmtNum, missing, reason } from '../reasons.js';
import { and, bounded, type NodeResult, type Tri } from '../tri.js';
import { own } from '../../own.js';

type ScoreNode = Extract<RuleNode, { score: string }>;

const DISPLAY: Record<string, string> = { 'sledai-2k': 'SLEDAI-2K', 'eular-acr-2019': '2019 EULAR/ACR score', 'bilag-2004': 'BILAG-2004' };
/** SLEDAI-2K scores the visit and the preceding 10 days (Gladman DD et al. J Rheumatol 2002). */
const DEFAULT_WINDOW: Record<string, Duration | undefined> = { 'sledai-2k': { n: 10, unit: 'd' }, 'eular-acr-2019': undefined, 'bilag-2004': { n: 1, unit: 'mo' } };

interface Items {
  present: CalcInputValue<string>[];
  absent: CalcInputValue<string>[];
  excluded: CalcInputValue<string>[];
  complete: boolean;
  count: number;
}

function gatherItems(ctx: EvalContext, score: string, from: number): Items {
  const prefix = `${score}/`;
  const out: Items = { present: [], absent: [], excluded: [], complete: false, count: 0 };
  const seen = new Set<string>();
  for (const [code, list] of ctx.view.findings) {
    const isMarker = code === score || code === `${prefix}assessed`;
    if (!isMarker && !code.startsWith(prefix)) continue;
    // newest record of each item inside the window decides it
    const f = list.find((x) => x.day !== undefined && x.day <= ctx.asOfDay && x.day >= from);
    if (!f) continue;
    if (isMarker) {
      if (f.present) out.complete = true;
      continue;
    }
    const id = code.slice(prefix.length);
    if (seen.has(id)) continue;
    seen.add(id);
    out.count++;
    const civ: CalcInputValue<string> = { value: id, source: f.path, ...(f.date ? { date: f.date } : {}) };
    if (!f.present) out.absent.push(civ);
    else if (f.attributedTo) out.excluded.push(civ);
    else out.present.push(civ);
  }
  return out;
}

/**
 * bilag-2004: the number of organ systems graded `grade` (findings bilag-2004/<system> with value
 * A–E, newest in the window), bounded while systems are unrecorded (a finding bilag-2004 marks a
 * complete assessment: systems not listed were D/E), compared with min/max.
 */
function compileBilag(node: ScoreNode, within: Duration | undefined): Evaluator {
  const want = new Set<string>(Array.isArray(node.grade) ? node.grade : node.grade ? [node.grade] : []);
  const wantText = [...want].join(' or ');
  const windowText = within ? `within ${formatDuration(within)} before the as-of date` : 'at any time before the as-of date';
  const subject = `BILAG-2004 systems graded ${wantText}`;
  const bounds: { op: Comparator; value: number }[] = [];
  if (node.min !== undefined) bounds.push({ op: '>=', value: node.min });
  if (node.max !== undefined) bounds.push({ op: '<=', value: node.max });
  return (ctx) => {
    const from = windowStart(ctx, within);
    const items = gatherItems(ctx, 'bilag-2004', from);
    const grades: Record<string, CalcInputValue> = {};
    for (const [code, list] of ctx.view.findings) {
      if (!code.startsWith('bilag-2004/')) continue;
      const f = list.find((x) => x.day !== undefined && x.day <= ctx.asOfDay && x.day >= from && x.present);
      if (f && f.value !== undefined) grades[code.slice('bilag-2004/'.length)] = { value: f.value, source: f.path, ...(f.date ? { date: f.date } : {}) };
    }
    const r = getCalculator('bilag-2004').compute({ grades, complete: items.complete });
    const derivation = { calculator: r.calculator, method: `systems graded ${wantText}`, inputs: r.inputs };
    const recorded = r.details['grades'] as Record<string, string>;
    const unrecorded = r.details['unrecorded'] as string[];
    const lo = Object.values(recorded).filter((g) => want.has(g)).length;
    const hi = lo + unrecorded.length;
    const sts = bounds.map((b) => bounded(lo, hi, (v) => test(v, b)));
    const st = and(sts);
    const detail = unrecorded.length ? `(not recorded: ${unrecorded.join(', ')})` : '(every system graded)';
    return {
      status: st,
      reasons: bounds.map((b, i) => (lo === hi
        ? reason('score', sts[i]!, { subject, observed: { item: subject, value: lo, source: 'calculator:bilag-2004' }, threshold: { op: b.op, value: b.value }, derivation })
        : reason('score-bounds', sts[i]!, { subject, bounds: { lower: lo, upper: hi }, threshold: { op: b.op, value: b.value }, derivation, detail }))),
      missing: st === 'unknown'
        ? [missing('score:bilag-2004', `BILAG-2004 grades ${windowText} for ${unrecorded.join(', ')} (findings bilag-2004/<system> with value A–E; a finding bilag-2004 marks a complete assessment)`)]
        : [],
    };
  };
}

export function compileScore(node: ScoreNode, _env: CompileEnv): Evaluator {
  if (node.score === 'bilag-2004') return compileBilag(node, node.within ? parseDuration(node.within) : DEFAULT_WINDOW['bilag-2004']);
  const score = node.score;
  const excluding = score === 'sledai-2k' && node.excluding ? node.excluding : undefined;
  const excludedWeight = excluding ? [...new Set(excluding.map(normaliseId))].reduce((s, id) => s + (own(SLEDAI_2K_WEIGHTS, id) ?? 0), 0) : 0;
  const subject = excluding ? `SLEDAI-2K without ${excluding.join(', ')}` : own(DISPLAY, score) ?? score;
  const within = node.within ? parseDuration(node.within) : own(DEFAULT_WINDOW, score);
  const windowText = within ? `within ${formatDuration(within)} before the as-of date` : 'at any time before the as-of date';
  const bounds: { op: Comparator; value: number }[] = [];
  if (node.min !== undefined) bounds.push({ op: '>=', value: node.min });
  if (node.max !== undefined) bounds.push({ op: '<=', value: node.max });
  if (node.classified !== undefined && bounds.length === 0 && score === 'eular-acr-2019') {
    // a recorded total alone is compared with the classification threshold
  }

  const compareTotal = (total: number, observed: Evidence, derivation?: Reason['derivation']): NodeResult => {
    const bs = bounds.length ? bounds : [{ op: '>=' as const, value: 10 }];
    const sts: Tri[] = [];
    const reasons: Reason[] = [];
    for (const b of bs) {
      const st: Tri = test(total, b) ? 'pass' : 'fail';
      sts.push(st);
      reasons.push(reason('score', st, { subject, observed, threshold: { op: b.op, value: b.value }, ...(derivation ? { derivation } : {}) }));
    }
    return { status: and(sts), reasons, missing: [] };
  };

  const fromItems = (ctx: EvalContext, from: number): NodeResult => {
    const items = gatherItems(ctx, score, from);
    let r: CalcResult;
    if (score === 'sledai-2k') {
      if (items.count === 0 && !items.complete) {
        return {
          status: 'unknown',
          reasons: [reason('missing', 'unknown', { subject: `${subject} total or descriptors`, detail: windowText })],
          missing: [missing('score:sledai-2k', `SLEDAI-2K total, or its 24 descriptors (findings sledai-2k/<descriptor>) ${windowText}`)],
        };
      }
      // descriptors attributed to another cause are not SLE activity: counted as absent
      r = getCalculator('sledai-2k').compute({ present: items.present, absent: [...items.absent, ...items.excluded], complete: items.complete, ...(excluding ? { exclude: excluding } : {}) });
    } else {
      const ana = (ctx.view.measurements.get('ana') ?? [])
        .filter((o) => o.day === undefined || o.day <= ctx.asOfDay)
        .map((o): CalcInputValue<string> => ({ value: o.text ?? String(o.num ?? ''), source: o.path, ...(o.date ? { date: o.date } : {}) }));
      if (items.count === 0 && !items.complete && ana.length === 0) {
        return {
          status: 'unknown',
          reasons: [reason('missing', 'unknown', { subject: 'ANA result and 2019 EULAR/ACR items' })],
          missing: [
            missing('measurement:ana', 'ANA result (titre 1:N or solid-phase positive/negative)'),
            missing('score:eular-acr-2019', '2019 EULAR/ACR items (findings eular-acr-2019/<item>)'),
          ],
        };
      }
      r = getCalculator('eular-acr-2019').compute({ ana, items: items.present, absent: items.absent, excluded: items.excluded, complete: items.complete });
    }
    const derivation = { calculator: r.calculator, method: r.method, inputs: r.inputs };
    const miss = (): MissingItem[] => {
      let items = r.missing;
      // classification already reached by the items: only the ANA entry criterion can decide it
      const lower = r.value ?? r.lower ?? 0;
      if (score === 'eular-acr-2019' && r.details.entryCriterionMet === undefined && r.details.clinicalItemPresent === true && lower >= 10) {
        items = items.filter((m) => m.name === 'ana');
      }
      const ana = items.filter((m) => m.name === 'ana').map((m) => missing('measurement:ana', m.description));
      const rest = items.filter((m) => m.name !== 'ana');
      if (rest.length <= 3) return [...ana, ...rest.map((m) => missing(`finding:${score}/${m.name}`, m.description))];
      // many unrecorded items: one work item, "complete the assessment", naming them
      const names = rest.map((m) => m.name);
      const what = score === 'sledai-2k' ? `a complete SLEDAI-2K assessment ${windowText} (mark it with the finding sledai-2k), or a recorded total`
        : 'the 2019 EULAR/ACR items not yet recorded (mark a complete assessment with the finding eular-acr-2019)';
      return [...ana, missing(`score:${score}`, `${what}; not recorded: ${names.join(', ')}`)];
    };
    if (node.classified !== undefined) {
      const c = r.details.classified as boolean | undefined;
      const st: Tri = c === undefined ? 'unknown' : c === node.classified ? 'pass' : 'fail';
      const entry = r.details.entryCriterionMet as boolean | undefined;
      const clinical = r.details.clinicalItemPresent as boolean | undefined;
      const total = r.value !== undefined ? `${r.value}` : `${r.lower ?? '?'}–${r.upper ?? '?'}`;
      const why = [
        `ANA entry criterion ${entry === true ? 'met' : entry === false ? 'not met' : 'unknown'}`,
        `clinical item ${clinical === true ? 'present' : clinical === false ? 'absent' : 'not established'}`,
        `total ${total} (≥ 10 classifies)`,
      ].join('; ');
      return {
        status: st,
        // bounds after the derivation, as reason() places them
        reasons: [reason('classification', st, {
          subject: `SLE ${c === true ? 'classified' : c === false ? 'not classified' : 'classification undetermined'} by the 2019 EULAR/ACR criteria`,
          detail: `: ${why}`, derivation, ...(r.lower !== undefined ? { bounds: { lower: r.lower, upper: r.upper! } } : {}),
        })],
        missing: st === 'unknown' ? miss() : [],
      };
    }
    if (r.value !== undefined) {
      return compareTotal(r.value, { item: subject, value: r.value, source: `calculator:${r.calculator}` }, derivation);
    }
    const lo = r.lower ?? 0;
    const hi = r.upper ?? 0;
    const sts = bounds.map((b) => bounded(lo, hi, (v) => test(v, b)));
    const st = and(sts);
    return {
      status: st,
      reasons: bounds.map((b, i) => reason('score-bounds', sts[i]!, { subject, bounds: { lower: lo, upper: hi }, threshold: { op: b.op, value: b.value }, derivation })),
      missing: st === 'unknown' ? miss() : [],
    };
  };

  return (ctx) => {
    const from = windowStart(ctx, within);
    const recorded = newestIn(ctx.view.measurements.get(score), from, ctx.asOfDay);
    if (recorded?.num !== undefined && excluding) {
      // a recorded full total bounds the partial score: total − (weights left out) ≤ partial ≤ total;
      // the items, when recorded, can decide where the bounds do not
      const lo = Math.max(0, recorded.num - excludedWeight);
      const hi = recorded.num;
      const sts = bounds.map((b) => bounded(lo, hi, (v) => test(v, b)));
      const st = and(sts);
      if (st !== 'unknown') {
        return {
          status: st,
          reasons: bounds.map((b, i) => reason('score-bounds', sts[i]!, { subject, bounds: { lower: lo, upper: hi }, threshold: { op: b.op, value: b.value }, observed: obsEvidence('SLEDAI-2K total', recorded), detail: `(from the recorded full total ${fmtNum(hi)}, less up to ${excludedWeight} points left out)` })),
          missing: [],
        };
      }
      return fromItems(ctx, from);
    }
    if (recorded?.num !== undefined) {
      const observed = obsEvidence(subject, recorded);
      if (node.classified !== undefined) {
        // a recorded total: classified when ≥ 10 (the recorder applied the entry and attribution rules)
        const st: Tri = (recorded.num >= 10) === node.classified ? 'pass' : 'fail';
        return { status: st, reasons: [reason('score', st, { subject: 'recorded 2019 EULAR/ACR total', observed, threshold: { op: '>=', value: 10 }, detail: '(classification threshold)' })], missing: [] };
      }
      return compareTotal(recorded.num, observed);
    }
    return fromItems(ctx, from);
  };
}
