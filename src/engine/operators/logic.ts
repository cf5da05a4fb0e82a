/** all / any / not / atLeast / ref: Kleene combinators over child rules. */
import type { RuleNode } from '../../language/schema.js';
import type { CompileEnv, EvalContext, Evaluator } from '../context.js';
import { atLeast, mergeMissing, not, type NodeResult, type Tri } from '../tri.js';
import type { MissingItem, Reason } from '../../model.js';

/**
 * The combined result of child rules. `only`: keep only the reasons of the children with this status
 * (any: the passing branches explain a pass); otherwise every child's reasons. Plain loops: this runs
 * for every all/any/atLeast node of every record (no filter/map arrays, no callbacks).
 */
function combine(results: NodeResult[], status: Tri, only?: Tri): NodeResult {
  const reasons: Reason[] = [];
  // past this many reasons, duplicates are found through a set (a scan per reason was quadratic: a
  // record with 50k medication courses took minutes)
  let seen: Set<string> | undefined;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (only !== undefined && r.status !== only) continue;
    const rs = r.reasons;
    for (let j = 0; j < rs.length; j++) {
      const x = rs[j]!;
      // two branches asking the same question (e.g. two condition rules without a problem list) say it
      // once; the lists are usually short, so a scan is cheaper than a Set per node
      if (seen) {
        if (seen.has(x.text)) continue;
        seen.add(x.text);
      } else if (reasons.length && hasText(reasons, x.text)) continue;
      reasons.push(x);
      if (!seen && reasons.length > 32) seen = new Set(reasons.map((y) => y.text));
    }
  }
  return { status, reasons, missing: status === 'unknown' ? unknownMissing(results) : [] };
}

function hasText(reasons: readonly Reason[], text: string): boolean {
  for (let i = 0; i < reasons.length; i++) if (reasons[i]!.text === text) return true;
  return false;
}

/** What the unknown children miss, each item once, in order. */
function unknownMissing(results: readonly NodeResult[]): MissingItem[] {
  const lists: MissingItem[][] = [];
  for (let i = 0; i < results.length; i++) if (results[i]!.status === 'unknown') lists.push(results[i]!.missing);
  return mergeMissing(lists);
}

/** Every child evaluated, in order (Kleene logic needs each status; the report shows each reason). */
function evalAll(kids: readonly Evaluator[], ctx: EvalContext): NodeResult[] {
  const rs = new Array<NodeResult>(kids.length);
  for (let i = 0; i < kids.length; i++) rs[i] = kids[i]!(ctx);
  return rs;
}

export function compileAll(node: { all: RuleNode[] }, env: CompileEnv): Evaluator {
  const kids = node.all.map((k) => env.compile(k));
  return (ctx) => {
    const rs = evalAll(kids, ctx);
    // Kleene and; every child's reasons are kept: a coordinator wants to see each value that was checked
    let unknown = false;
    let fail = false;
    for (let i = 0; i < rs.length; i++) {
      const s = rs[i]!.status;
      if (s === 'fail') fail = true;
      else if (s === 'unknown') unknown = true;
    }
    return combine(rs, fail ? 'fail' : unknown ? 'unknown' : 'pass');
  };
}

export function compileAny(node: { any: RuleNode[] }, env: CompileEnv): Evaluator {
  const kids = node.any.map((k) => env.compile(k));
  return (ctx) => {
    const rs = evalAll(kids, ctx);
    let unknown = false;
    let pass = false;
    for (let i = 0; i < rs.length; i++) {
      const s = rs[i]!.status;
      if (s === 'pass') pass = true;
      else if (s === 'unknown') unknown = true;
    }
    // when a branch passes, its reasons explain the pass; otherwise all branches explain the result
    return pass ? combine(rs, 'pass', 'pass') : combine(rs, unknown ? 'unknown' : 'fail');
  };
}

export function compileNot(node: { not: RuleNode }, env: CompileEnv): Evaluator {
  const kid = env.compile(node.not);
  return (ctx) => {
    const r = kid(ctx);
    const status = not(r.status);
    return { status, reasons: r.reasons.map((x) => ({ ...x, status })), missing: r.missing };
  };
}

export function compileAtLeast(node: { atLeast: number; of: RuleNode[] }, env: CompileEnv): Evaluator {
  const kids = node.of.map((k) => env.compile(k));
  const n = node.atLeast;
  return (ctx) => {
    const rs = evalAll(kids, ctx);
    const statuses = new Array<Tri>(rs.length);
    for (let i = 0; i < rs.length; i++) statuses[i] = rs[i]!.status;
    return combine(rs, atLeast(n, statuses));
  };
}

export function compileRef(node: { ref: string }, env: CompileEnv): Evaluator {
  // resolved lazily so definitions may be declared in any order (cycles are rejected at load)
  let f: Evaluator | undefined;
  return (ctx) => (f ??= env.definition(node.ref))(ctx);
}
