/**
 * measurement: the most recent value inside the window, compared with a threshold (with units),
 * with a multiple of the upper limit of normal, or with qualitative results. A value the record
 * lacks is derived by a calculator when the vocabulary names one (eGFR from creatinine).
 */
import { normaliseUnit, roundRatio } from '../../calculators/units.js';
import { parseDuration, parseThreshold, isUlnMultiple, isLlnMultiple, isTitre, isQuantity, formatDuration, type Duration } from '../../language/quantity.js';
import { classifyNumeric, classOfFlag, compareLln, compareNormal, compareTitres, flagOf, fromFlag, type LimitBound, type TitreBound } from './lab-result.js';
import type { RuleNode } from '../../language/schema.js';
import type { Comparator, Evidence, MissingItem, Reason, Threshold } from '../../model.js';
import type { Obs, Quantity } from '../../record.js';
import { entryById, lookup, type VocabularyEntry } from '../../vocabulary/index.js';
import { measurementKey } from '../../record.js';
import { qualitativeClass } from '../../vocabulary/values.js';
import { fromDay } from '../../dates.js';
import type { CompileEnv, EvalContext, Evaluator } from '../context.js';
import { windowStart } from '../context.js';
import { test, toAssayUnit, toUnit, type Bound } from '../compare.js';
import { ageAt, deriveEgfr, deriveWith, DERIVATIONS, obsEvidence } from '../derive.js';
import { fmtNum, missing, reason, unitText } from '../reasons.js';
import { allMissing, allReasons, and, bounded, type NodeResult, type Tri } from '../tri.js';
import { foldContext } from '../../record.js';

type MeasurementNode = Extract<RuleNode, { measurement: string }>;

interface UlnBound {
  op: Comparator;
  factor: number;
}

/** Adult-equation eGFR codes; a child's value under these is recomputed with Schwartz (Schwartz GJ et al. J Am Soc Nephrol 2009). */
const PAEDIATRIC_EGFR_CODES = new Set(['loinc:50384-7']);

/**
 * A measurement named by a code the vocabulary does not hold (`loinc:4548-4`): records coded so
 * (any spelling of the system) are its values; the unit is the first threshold's (the loader
 * required every threshold to carry a commensurable unit).
 */
function codedMeasurement(node: MeasurementNode): VocabularyEntry {
  let unit: string | undefined;
  for (const raw of [node.min, node.max, node.above, node.below]) {
    const t = raw === undefined ? undefined : parseThreshold(raw);
    if (t && isQuantity(t) && t.unit) {
      unit = normaliseUnit(t.unit);
      break;
    }
  }
  return {
    id: measurementKey(node.measurement), kind: 'measurement', display: node.measurement, ancestors: [],
    ...(unit ? { unit } : { qualitative: true }),
  };
}

/**
 * What a measurement rule compares one value with, compiled once: used by `measurement` (the newest
 * value in the window) and by `count` (every value in the window).
 */
export function measurementChecker(node: MeasurementNode, env: CompileEnv) {
  const entry = lookup('measurement', node.measurement) ?? codedMeasurement(node);
  const id = entry.id;
  const subject = entry.display;
  const within: Duration | undefined = node.ever ? undefined : node.within ? parseDuration(node.within) : env.lookback;
  const before = node.anchor ? node.anchor : 'the as-of date';
  const windowText = within ? `within ${formatDuration(within)} before ${before}` : `at any time before ${before}`;
  const canonicalUnit = entry.unit ?? '';

  const bounds: Bound[] = [];
  const ulnBounds: UlnBound[] = [];
  const llnBounds: LimitBound[] = [];
  const titreBounds: TitreBound[] = [];
  const add = (op: Comparator, raw: unknown) => {
    if (raw === undefined) return;
    const t = parseThreshold(raw)!;
    if (isUlnMultiple(t)) ulnBounds.push({ op, factor: t.ulnFactor });
    else if (isLlnMultiple(t)) llnBounds.push({ op, factor: t.llnFactor, limit: 'LLN' });
    else if (isTitre(t)) titreBounds.push({ op, titre: t.titre });
    else bounds.push({ op, value: t.value, unit: t.unit ? normaliseUnit(t.unit) : canonicalUnit });
  };
  add('>=', node.min);
  add('<=', node.max);
  add('>', node.above);
  add('<', node.below);
  const cutoffLit = node.cutoff === undefined ? undefined : parseThreshold(node.cutoff);
  const cutoff: Bound | TitreBound | undefined = !cutoffLit ? undefined : isTitre(cutoffLit) ? { op: '>=', titre: cutoffLit.titre }
    : isQuantity(cutoffLit) ? { op: '>=', value: cutoffLit.value, unit: cutoffLit.unit ? normaliseUnit(cutoffLit.unit) : canonicalUnit } : undefined;
  // no canonical unit (anti-dsDNA in [IU]/mL, U/mL or an index): compared only within one assay's scale
  const conv = (v: number, u: string, t: string) => (entry.unit ? toUnit(v, u, t, entry.molarMass) : toAssayUnit(v, u, t));
  const limitBounds: LimitBound[] = [...ulnBounds.map((b) => ({ ...b, limit: 'ULN' as const })), ...llnBounds];
  const expected = node.is === undefined ? undefined : (Array.isArray(node.is) ? node.is : [node.is]).map((x) => qualitativeClass(String(x)));
  const prefer = node.prefer ?? (id === 'egfr' ? env.egfrPrefer : 'recorded');
  const fallback = env.ulnFallback.get(id);
  /** The declared fallback ULNs as they are compared (built once: they depend on the criteria only). */
  const fallbackUlns = fallback?.map((q, idx) => ({ q, ev: { item: 'ULN', value: q.value, unit: q.unit, source: 'criteria defaults.uln' } as Evidence, fallback: true, idx }));
  /** The text of a fallback range, from the ULN that gave the highest ratio to the one that gave the lowest, per pair (built once). */
  const fallbackRangeText = (fallbackUlns ?? []).map((hi) => (fallbackUlns ?? []).map((lo) =>
    `ULN ${fmtNum(hi.q.value)}–${fmtNum(lo.q.value)}${unitText(hi.q.unit)} [fallback range declared in the criteria file]`));
  const wantContext = node.context ? foldContext(node.context) : undefined;

  /** Compare one numeric value (already known to be usable) against all bounds. */
  const compareValue = (value: number, unit: string, observed: Evidence, derivation?: Reason['derivation']): NodeResult => {
    const reasons: Reason[] = [];
    const statuses: Tri[] = [];
    for (const b of bounds) {
      const c = conv(value, unit, b.unit);
      if (!c.ok) {
        statuses.push('unknown');
        reasons.push(reason('unit', 'unknown', { subject, observed, detail: `with ${b.unit || 'a unitless threshold'}: ${c.reason}` }));
        continue;
      }
      const st: Tri = test(c.value, b) ? 'pass' : 'fail';
      statuses.push(st);
      const thr: Threshold = { op: b.op, value: b.value };
      if (b.unit) thr.unit = b.unit;
      reasons.push(reason('compare', st, { subject, observed, threshold: thr, compared: { value: c.value, unit: c.unit }, ...(derivation ? { derivation } : {}) }));
    }
    return { status: and(statuses), reasons, missing: [] };
  };

  const compareUln = (o: Obs, observed: Evidence): NodeResult => {
    const reasons: Reason[] = [];
    const statuses: Tri[] = [];
    const ulns: readonly { q: Quantity; ev: Evidence; fallback: boolean; idx: number }[] = o.uln
      ? [{ q: o.uln, ev: { item: 'ULN', value: o.uln.value, unit: o.uln.unit, source: `${o.path}.referenceRange.high` }, fallback: false, idx: -1 }]
      : fallbackUlns ?? [];
    if (!ulns.length) {
      return {
        status: 'unknown',
        reasons: [reason('no-uln', 'unknown', { subject, observed })],
        missing: [missing(`uln:${id}`, `the laboratory's upper limit of normal for ${subject} (referenceRange.high)`)],
      };
    }
    for (const b of ulnBounds) {
      const per: { st: Tri; ratio: number; u: (typeof ulns)[number] }[] = [];
      for (const u of ulns) {
        const c = toUnit(o.num!, o.unit, u.q.unit, entry.molarMass);
        if (!c.ok) {
          reasons.push(reason('unit', 'unknown', { subject, observed, detail: `with the ULN in ${u.q.unit}: ${c.reason}` }));
          per.push({ st: 'unknown', ratio: NaN, u });
          continue;
        }
        const ratio = roundRatio(c.value / u.q.value);
        per.push({ st: test(ratio, { op: b.op, value: b.factor }) ? 'pass' : 'fail', ratio, u });
      }
      // with a fallback range: pass if every plausible ULN passes, fail if every one fails, else unknown
      const st: Tri = per.every((p) => p.st === 'pass') ? 'pass' : per.every((p) => p.st === 'fail') ? 'fail' : 'unknown';
      statuses.push(st);
      const usable = per.filter((p) => !Number.isNaN(p.ratio));
      if (!usable.length) continue;
      const threshold = { op: b.op, value: b.factor, ulnFactor: b.factor };
      if (usable.length === 1) {
        const p = usable[0]!;
        reasons.push(reason('uln', st, { subject, observed, ratio: p.ratio, uln: p.u.ev, threshold, ...(p.u.fallback ? { detail: '(fallback ULN declared in the criteria file)' } : {}) }));
      } else {
        const lo = usable[usable.length - 1]!;
        const hi = usable[0]!;
        const range = `${fmtNum(lo.ratio)}–${fmtNum(hi.ratio)}`;
        reasons.push(reason('uln', st, {
          subject, observed, threshold, ratioText: range,
          ulnText: fallbackRangeText[hi.u.idx]![lo.u.idx]!,
          ...(st === 'unknown' ? { detail: '(not decisive across the plausible ULN range)' } : {}),
        }));
      }
    }
    const status = and(statuses);
    return {
      status,
      reasons,
      missing: status === 'unknown' ? [missing(`uln:${id}`, `the laboratory's upper limit of normal for ${subject} (fallback range is not decisive)`)] : [],
    };
  };

  const checkObs = (o: Obs): NodeResult => {
    const observed = obsEvidence(subject, o);
    if (expected) {
      // a number (or titre) against the criteria's cut-off decides first; then the lab's own call (the
      // text, else its interpretation flag); then a number against the lab's upper reference limit
      const byCutoff = cutoff ? classifyNumeric(o, cutoff, subject, observed, conv) : undefined;
      const raw = o.text ?? o.interpretation;
      const word = raw === undefined ? undefined : qualitativeClass(raw);
      const said = word === undefined ? undefined
        : word === 'positive' || word === 'negative' || expected.includes(word) ? word : classOfFlag(flagOf(raw));
      const byRange = !byCutoff?.cls && said === undefined && o.num !== undefined ? classifyNumeric(o, undefined, subject, observed, conv) : undefined;
      const cls = byCutoff?.cls ?? said ?? byRange?.cls;
      const pre = byCutoff?.cls ? byCutoff.reasons : byRange?.cls ? byRange.reasons : [];
      if (cls === undefined) {
        const extra = [...(byCutoff?.reasons ?? []), ...(byRange?.reasons ?? [])];
        const numericWithoutCut = o.num !== undefined && !cutoff && !o.uln;
        return {
          status: 'unknown',
          reasons: [...extra, reason('unparseable', 'unknown', { subject, observed, threshold: { op: '=', value: expected.join(' or ') } })],
          missing: [numericWithoutCut
            ? missing(`uln:${id}`, `the laboratory's cut-off for ${subject} (referenceRange.high), or its qualitative result`)
            : missing(`measurement:${id}`, `a readable ${subject} result (${expected.join(' or ')}) ${windowText}`)],
        };
      }
      const st: Tri = expected.includes(cls) ? 'pass' : 'fail';
      return { status: st, reasons: [...pre, reason('qualitative', st, { subject, observed, threshold: { op: '=', value: expected.join(' or ') } })], missing: [] };
    }
    if (titreBounds.length && !bounds.length && !limitBounds.length && node.normal === undefined) {
      return compareTitres(o, titreBounds, subject, observed, windowText, id);
    }
    if (o.num === undefined) {
      const flag = flagOf(o.interpretation) ?? flagOf(o.text);
      if (flag && !bounds.length && (limitBounds.length || node.normal !== undefined)) {
        return fromFlag(flag, limitBounds, node.normal, subject, observed, id);
      }
      return {
        status: 'unknown',
        reasons: [reason('unparseable', 'unknown', { subject, observed })],
        missing: [missing(`measurement:${id}`, `a numeric ${subject} ${windowText}`)],
      };
    }
    const parts: NodeResult[] = [];
    if (bounds.length) parts.push(compareValue(o.num, o.unit, observed));
    if (ulnBounds.length) parts.push(compareUln(o, observed));
    if (llnBounds.length) parts.push(compareLln(o, llnBounds, subject, observed, id, conv));
    if (node.normal !== undefined) parts.push(compareNormal(o, node.normal, subject, observed, id, conv));
    if (titreBounds.length) parts.push(compareTitres(o, titreBounds, subject, observed, windowText, id));
    return {
      status: and(parts.map((p) => p.status)),
      reasons: allReasons(parts),
      missing: allMissing(parts),
    };
  };
  return { entry, id, subject, within, windowText, bounds, ulnBounds, llnBounds, titreBounds, expected, prefer, wantContext, compareValue, checkObs };
}

export function compileMeasurement(node: MeasurementNode, env: CompileEnv): Evaluator {
  const { entry, id, subject, within, windowText, bounds, ulnBounds, llnBounds, titreBounds, expected, prefer, wantContext, compareValue, checkObs } = measurementChecker(node, env);

  const derive = (ctx: EvalContext, from: number): { result?: NodeResult; reasons: Reason[]; missing: MissingItem[] } => {
    const calc = entry.calculator;
    if (!calc || (calc !== 'egfr' && !DERIVATIONS[calc]) || ulnBounds.length || llnBounds.length || titreBounds.length || node.normal !== undefined || expected) {
      return { reasons: [], missing: [] };
    }
    if (calc !== 'egfr') return derivedBy(ctx, calc, from);
    const d = deriveEgfr(ctx, from);
    if (!d.result) {
      return { reasons: [reason('derive-missing', 'unknown', { subject, detail: `from creatinine: ${d.why ?? 'inputs missing'}` })], missing: d.missing };
    }
    const r = d.result;
    const observed: Evidence = { item: subject, value: r.value!, unit: r.unit, source: `calculator:${r.calculator}`, ...(d.date ? { date: d.date } : {}) };
    const derivation = { calculator: r.calculator, method: r.method, inputs: r.inputs };
    return { result: compareValue(r.value!, r.unit, observed, derivation), reasons: [], missing: [] };
  };

  /** A measurement its vocabulary concept derives with a calculator (BMI, ANC, QTcF, ECOG from Karnofsky…). */
  const derivedBy = (ctx: EvalContext, calc: string, from: number): { result?: NodeResult; reasons: Reason[]; missing: MissingItem[] } => {
    const d = deriveWith(ctx, calc, from);
    if (!d.result) {
      return { reasons: [reason('derive-missing', 'unknown', { subject, detail: `with ${calc}: ${d.why ?? 'inputs missing'}` })], missing: d.missing };
    }
    const r = d.result;
    const derivation = { calculator: r.calculator, method: r.method, inputs: r.inputs };
    // unitless concepts (performance status) compare the number as it is
    const unit = entry.unit ? r.unit : '';
    if (r.value !== undefined) {
      const observed: Evidence = { item: subject, value: r.value, ...(unit ? { unit } : {}), source: `calculator:${r.calculator}`, ...(d.date ? { date: d.date } : {}) };
      return { result: compareValue(r.value, unit, observed, derivation), reasons: [], missing: [] };
    }
    // a range (Karnofsky 85 is ECOG 0–1): pass when both ends pass, fail when both fail
    const lo = r.lower!;
    const hi = r.upper!;
    const sts = bounds.map((b) => bounded(lo, hi, (v) => test(v, b)));
    const st = and(sts);
    return {
      result: {
        status: st,
        reasons: bounds.map((b, i) => reason('score-bounds', sts[i]!, { subject, bounds: { lower: lo, upper: hi }, threshold: { op: b.op, value: b.value }, derivation, detail: '(derived range)' })),
        missing: st === 'unknown' ? [missing(`measurement:${id}`, `${subject} itself (the derived range ${fmtNum(lo)}–${fmtNum(hi)} does not decide)`)] : [],
      },
      reasons: [],
      missing: [],
    };
  };

  return (ctx) => {
    const from = windowStart(ctx, within);
    const list = ctx.view.measurements.get(id) ?? [];
    const notes: Reason[] = [];
    let recorded: Obs | undefined;
    let newestOutside: Obs | undefined;
    let undated: Obs | undefined;
    let future = 0;
    for (const o of list) {
      if (o.day === undefined) {
        undated ??= o;
        continue;
      }
      if (o.day > ctx.asOfDay) {
        future++;
        continue;
      }
      if (wantContext && o.context && o.context !== wantContext) {
        notes.push(reason('context', 'unknown', { subject, observed: obsEvidence(subject, o), detail: `(measured on ${o.context}, ${wantContext} required)` }));
        continue;
      }
      if (o.day >= from) recorded ??= o;
      else newestOutside ??= o;
      if (recorded) break;
    }
    if (future) notes.push(reason('future', 'unknown', { subject, detail: `(${future} after ${ctx.asOf})` }));

    // eGFR: a child's adult-equation value is recomputed with a paediatric equation (bedside Schwartz 2009)
    let usePrefer = prefer;
    if (id === 'egfr' && recorded && !PAEDIATRIC_EGFR_CODES.has(recorded.code.toLowerCase())) {
      const age = ageAt(ctx, recorded.day);
      const years = age.value ?? age.upper;
      if (years !== undefined && years < 18) usePrefer = 'derived';
    }

    const fromRecorded = recorded ? checkObs(recorded) : undefined;
    // eGFR: derived too when a recorded value decides, so a disagreeing creatinine is reported
    const needDerived = !fromRecorded || fromRecorded.status === 'unknown' || usePrefer === 'derived' || entry.calculator === 'egfr';
    const derived = needDerived ? derive(ctx, from) : undefined;

    let chosen: NodeResult | undefined;
    const childAdultEquation = usePrefer === 'derived' && prefer !== 'derived';
    if (fromRecorded && childAdultEquation && !derived?.result) {
      // a child's adult-equation eGFR is not used as it is: without the inputs to recompute it with
      // bedside Schwartz, the criterion is unknown (naming the recorded value and what is missing)
      const note = reason('recorded-vs-derived', 'unknown', {
        subject,
        detail: ' the recorded value uses an adult equation and the patient is under 18: it is recomputed with bedside Schwartz 2009, which needs creatinine and height',
      });
      const need = derived?.missing.length ? derived.missing : [missing('measurement:creatinine', `serum creatinine ${windowText} (with height within a year)`)];
      return { status: 'unknown', reasons: [note, ...fromRecorded.reasons, ...(derived?.reasons ?? []), ...notes], missing: need };
    }
    if (fromRecorded && derived?.result && !(usePrefer !== 'derived' && fromRecorded.status !== 'unknown' && derived.result.status === fromRecorded.status)) {
      const useDerived = usePrefer === 'derived' || fromRecorded.status === 'unknown';
      chosen = useDerived ? derived.result : fromRecorded;
      const other = useDerived ? fromRecorded : derived.result;
      const why = usePrefer === 'derived'
        ? prefer === 'derived' ? 'the criteria file prefers the derived value' : 'the recorded value uses an adult equation and the patient is under 18 (children: bedside Schwartz 2009)'
        : fromRecorded.status === 'unknown' ? 'the recorded value could not be compared' : 'the criteria file prefers the recorded value, defaults.egfr.prefer';
      const note = reason('recorded-vs-derived', chosen.status, {
        subject,
        detail: ` used the ${useDerived ? 'derived' : 'recorded'} value (${why}); the ${useDerived ? 'recorded' : 'derived'} value gave ${other.status}`,
      });
      chosen = { ...chosen, reasons: [...chosen.reasons, note, ...other.reasons.map((x) => ({ ...x, status: x.status }))] };
    } else if (fromRecorded && (fromRecorded.status !== 'unknown' || !derived?.result)) {
      chosen = fromRecorded;
      if (fromRecorded.status === 'unknown' && derived) chosen = { ...chosen, reasons: [...chosen.reasons, ...derived.reasons], missing: [...chosen.missing, ...derived.missing] };
    } else if (derived?.result) {
      chosen = derived.result;
    }
    if (chosen) return notes.length ? { ...chosen, reasons: [...chosen.reasons, ...notes] } : chosen;

    // nothing usable inside the window
    const reasons: Reason[] = [...notes];
    if (newestOutside) {
      reasons.push(reason('stale', 'unknown', { subject, observed: obsEvidence(subject, newestOutside), detail: `(${windowText}, from ${fromDay(from)})` }));
    } else if (undated) {
      reasons.push(reason('undated', 'unknown', { subject, observed: obsEvidence(subject, undated) }));
    } else {
      reasons.push(reason('missing', 'unknown', { subject, detail: windowText }));
    }
    if (derived) reasons.push(...derived.reasons);
    const desc = `${subject}${entryById('measurement', id)?.calculator === 'egfr' ? ' (or creatinine, with height if under 18)' : ''} ${windowText}`;
    return { status: 'unknown', reasons, missing: [missing(`measurement:${id}`, desc), ...(derived?.missing ?? [])] };
  };
}
