/**
 * Anchors: dated events a rule's window is read against instead of the as-of date ("within 2 months
 * before leukapheresis", "age at consent", "12 months after the last dose of rituximab").
 *
 * An anchor is declared once in the criteria file (`anchors:`) and named by rules (`anchor: name`,
 * `elapsed: name`). Its date comes from the record (an attestation, a procedure, a medication's
 * first or last dose, a condition's onset) or, for `given: true`, from the record's own
 * `anchors: { name: date }`, else the run's `--anchor name=date`. Data after the as-of date is never
 * read; an anchor found in the record is an event on or before the as-of date. An anchor that cannot
 * be dated makes the rule unknown, with `anchor:<name>` in `missing`.
 *
 * A rule anchored at day A reads the record as of min(A, asOf) (so data after the anchor is not
 * read: "before leukapheresis"), its window ends at A, `current` means active at A and age is the age
 * at A. Pure: no clock.
 */
import { fromDay, toDay } from '../dates.js';
import type { AnchorDefNode, CriteriaDoc, RuleNode } from '../language/schema.js';
import type { Evidence, MissingItem } from '../model.js';
import { foldFreeCode, type Med } from '../record.js';
import { criteriaTerm, codeMatches, drugsOfClass, isDrugClass, type CriteriaTerm } from '../vocabulary/index.js';
import { localConcepts, localLookup, localMatcher, matchesLocal, type LocalMatcher } from '../vocabulary/local.js';
import type { CompileEnv, EvalContext, Evaluator } from './context.js';
import { memo } from './context.js';
import { missing, reason } from './reasons.js';
import type { NodeResult } from './tri.js';

export type AnchorValue =
  | { known: true; day: number; date: string; evidence: Evidence; what: string }
  | { known: false; why: string; missing: MissingItem[] };

type Resolver = (ctx: EvalContext) => AnchorValue;

/** What an anchor is, in words (explain, reasons, missing). */
export function describeAnchor(name: string, def: AnchorDefNode | undefined): string {
  if (!def) return name;
  const occ = def.occurrence;
  const list = (v: string | string[]) => (Array.isArray(v) ? v.join(' or ') : v);
  if (def.attestation) return `${occ === 'first' ? 'the first ' : ''}${def.attestation} (date recorded)`;
  if (def.procedure) return `${occ === 'first' ? 'the first' : 'the last'} ${list(def.procedure)} (date done)`;
  if (def.medication) return `the ${occ === 'first' ? 'first' : 'last'} dose of ${list(def.medication)}`;
  if (def.condition) return `${occ === 'last' ? 'the last onset' : 'the onset (diagnosis)'} of ${list(def.condition)}`;
  return `the date given for ${name}`;
}

/** A matcher for record entries named by the anchor (concepts, codes, local concept sets, free codes). */
export function termMatcher(env: CompileEnv, domain: 'condition' | 'procedure' | 'drug' | 'device' | 'relationship' | 'substance', names: readonly string[]): { ids: Set<string>; match: (ids: readonly string[], code: string | undefined, name: string | undefined) => boolean } {
  const ids = new Set<string>();
  const codes: Extract<CriteriaTerm, { kind: 'code' }>[] = [];
  const free = new Set<string>();
  const local = localConcepts(env.doc.concepts);
  const locals: LocalMatcher[] = [];
  for (const n of names) {
    const l = domain === 'condition' || domain === 'drug' ? localLookup(local, domain, n) : undefined;
    if (l) {
      locals.push(localMatcher(local, l));
      continue;
    }
    const t = criteriaTerm(domain, n);
    if (t.kind === 'concept') {
      if (domain === 'drug' && isDrugClass(n)) drugsOfClass(n).forEach((d) => ids.add(d));
      ids.add(t.entry.id);
    } else if (t.kind === 'code') codes.push(t);
    else free.add(foldFreeCode(n));
  }
  return {
    ids,
    match: (entryIds, code, name) => entryIds.some((id) => ids.has(id))
      || (code !== undefined && (codes.some((t) => codeMatches(t, code)) || free.has(foldFreeCode(code))))
      || (name !== undefined && free.has(foldFreeCode(name)))
      || locals.some((l) => matchesLocal(l, code, name)),
  };
}

const ENDED = new Set(['stopped', 'completed']);

function compileResolver(name: string, def: AnchorDefNode, env: CompileEnv): Resolver {
  const what = describeAnchor(name, def);
  const need = (detail: string): AnchorValue => ({ known: false, why: detail, missing: [missing(`anchor:${name}`, `${what}${detail ? `: ${detail}` : ''}`)] });
  const found = (day: number, evidence: Evidence): AnchorValue => ({ known: true, day, date: fromDay(day), evidence, what });
  const first = def.occurrence === 'first';
  if (def.given) {
    return (ctx) => {
      const own = ctx.view.anchors.get(name);
      if (own) return found(own.day, { item: name, value: own.date, date: own.date, source: own.path });
      const run = env.runAnchors.get(name);
      const day = run === undefined ? undefined : toDay(run);
      if (run !== undefined && day !== undefined) return found(day, { item: name, value: run, date: run, source: `--anchor ${name}` });
      return need(`not given (record anchors.${name} or --anchor ${name}=YYYY-MM-DD)`);
    };
  }
  if (def.attestation) {
    const code = foldFreeCode(def.attestation);
    return (ctx) => {
      const list = (ctx.view.attestations.get(code) ?? []).filter((a) => a.value && a.day !== undefined && a.day <= ctx.asOfDay);
      const a = first ? list[list.length - 1] : list[0];
      if (a) return found(a.day!, { item: code, value: true, date: a.date!, source: a.path });
      const undated = (ctx.view.attestations.get(code) ?? []).some((x) => x.value && x.day === undefined);
      return need(undated ? 'recorded without a date' : 'not recorded');
    };
  }
  if (def.procedure) {
    const m = termMatcher(env, 'procedure', Array.isArray(def.procedure) ? def.procedure : [def.procedure]);
    return (ctx) => {
      const procs = ctx.view.procedures;
      if (!procs) return need('no procedures list on record');
      const hits = procs.filter((p) => m.match(p.ids, p.code, p.name));
      const dated = hits.filter((p) => p.day !== undefined && p.day <= ctx.asOfDay);
      if (hits.some((p) => p.day === undefined)) return need('done, without a date');
      const p = first ? dated[dated.length - 1] : dated[0];
      if (p) return found(p.day!, { item: p.name ?? p.code, value: p.code, date: p.date!, source: p.path });
      return need('not on record');
    };
  }
  if (def.condition) {
    const m = termMatcher(env, 'condition', Array.isArray(def.condition) ? def.condition : [def.condition]);
    const last = def.occurrence === 'last';
    return (ctx) => {
      const list = ctx.view.conditions;
      if (!list) return need('no problem list on record');
      const hits = list.filter((c) => m.match(c.ids, c.code, c.name) && (c.onsetDay === undefined || c.onsetDay <= ctx.asOfDay));
      if (!hits.length) return need('not on the problem list');
      // an undated entry could be the earliest (or latest) onset: the anchor cannot be placed
      if (hits.some((c) => c.onsetDay === undefined)) return need('on the problem list without an onset date');
      const c = hits.reduce((b, x) => ((last ? x.onsetDay! > b.onsetDay! : x.onsetDay! < b.onsetDay!) ? x : b));
      return found(c.onsetDay!, { item: c.name ?? c.code, value: c.code, date: c.onset!, source: c.path });
    };
  }
  // medication: the first dose is the earliest course start; the last dose the latest course end
  // (a course active at the as-of date without an end: the as-of date itself)
  const m = termMatcher(env, 'drug', Array.isArray(def.medication) ? def.medication! : [def.medication!]);
  return (ctx) => {
    const meds = ctx.view.medications;
    if (!meds) return need('no medication history on record');
    const hits = meds.filter((x: Med) => m.match(x.drugId !== undefined ? [x.drugId, ...x.classes] : [], x.code, x.label) && (x.startDay === undefined || x.startDay <= ctx.asOfDay));
    if (!hits.length) return need('not in the medication history');
    if (first) {
      if (hits.some((x) => x.startDay === undefined)) return need('a course without a start date');
      const x = hits.reduce((b, y) => (y.startDay! < b.startDay! ? y : b));
      return found(x.startDay!, { item: x.label, value: x.label, date: x.start!, source: x.path });
    }
    let best: { day: number; x: Med; date: string } | undefined;
    for (const x of hits) {
      let end: number | undefined;
      if (x.endDay !== undefined) end = Math.min(x.endDay, ctx.asOfDay);
      else if (!(x.status && ENDED.has(x.status)) && x.startDay !== undefined) end = ctx.asOfDay; // ongoing
      if (end === undefined) return need(`${x.label} (${x.path}) has no end date`);
      if (!best || end > best.day) best = { day: end, x, date: end === x.endDay ? x.end! : fromDay(end) };
    }
    const ongoing = best!.x.endDay === undefined || best!.x.endDay > ctx.asOfDay;
    return found(best!.day, { item: best!.x.label, value: ongoing ? 'ongoing at the as-of date' : best!.x.label, date: best!.date, source: best!.x.path });
  };
}

/** Anchor resolvers of a criteria file, compiled once. */
export function compileAnchors(doc: CriteriaDoc, env: CompileEnv): Map<string, Resolver> {
  const out = new Map<string, Resolver>();
  for (const [name, def] of Object.entries(doc.anchors ?? {})) out.set(name, compileResolver(name, def, env));
  return out;
}

/** An anchor's value for this record (memoised per record). */
export function anchorOf(ctx: EvalContext, env: CompileEnv & { anchors?: Map<string, Resolver> }, name: string): AnchorValue {
  const r = env.anchors?.get(name);
  if (!r) return { known: false, why: 'not declared', missing: [missing(`anchor:${name}`, name)] };
  return memo(ctx, `anchor:${name}`, () => r(ctx));
}

/** The evaluation context of a rule anchored at `day`: data up to min(day, asOf), windows ending at day. */
export function anchoredContext(ctx: EvalContext, name: string, day: number): EvalContext {
  return memo(ctx, `anchor-ctx:${name}`, () => {
    const asOfDay = Math.min(day, ctx.asOfDay);
    const out: EvalContext = { view: ctx.view, asOf: fromDay(asOfDay), asOfDay, memo: new Map() };
    if (day !== asOfDay) out.anchorDay = day;
    return out;
  });
}

export function anchorReason(name: string, a: Extract<AnchorValue, { known: true }>): ReturnType<typeof reason> {
  return reason('anchor', 'pass', { subject: `anchor ${name}`, detail: `: ${a.what} on ${a.date}`, observed: a.evidence });
}

/**
 * Wrap an operator that carries `anchor: name`: the anchor is resolved per record; unknown → the rule
 * is unknown with the anchor named in missing; else the rule runs in the anchored context, its
 * reasons preceded by the anchor's date and source.
 */
export function withAnchor(name: string, inner: Evaluator, env: CompileEnv & { anchors?: Map<string, Resolver> }): Evaluator {
  return (ctx) => {
    const a = anchorOf(ctx, env, name);
    if (!a.known) {
      return { status: 'unknown', reasons: [reason('anchor', 'unknown', { subject: `anchor ${name}`, detail: `: ${a.why}` })], missing: a.missing };
    }
    const r: NodeResult = inner(anchoredContext(ctx, name, a.day));
    return { ...r, reasons: [{ ...anchorReason(name, a), status: r.status }, ...r.reasons] };
  };
}

/** The anchor a rule names, if any (operators that take `anchor`). */
export function anchorNameOf(rule: RuleNode): string | undefined {
  const a = (rule as { anchor?: unknown }).anchor;
  return typeof a === 'string' ? a : undefined;
}
