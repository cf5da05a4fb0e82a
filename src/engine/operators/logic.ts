/** all / any / not / atLeast / ref: Kleene combinators over child rules. */
import type { RuleNode } from '../../language/schema.js';
import type { CompileEnv, Evaluator } from '../context.js';
import { and, atLeast, mergeMissing, not, or, type NodeResult, type Tri } from '../tri.js';
import type { Reason } from '../../model.js';

function combine(results: NodeResult[], status: Tri, keep: (r: NodeResult) => boolean): NodeResult {
  const chosen = results.filter(keep);
  const reasons: Reason[] = [];
  // past this many reasons, duplicates are found through a set (a scan per reason was quadratic: a
  // record with 50k medication courses took minutes)
  let seen: Set<string> | undefined;
  for (const r of chosen.length ? chosen : results) {
    for (const x of r.reasons) {
      // two branches asking the same question (e.g. two condition rules without a problem list) say it
      // once; the lists are usually short, so a scan is cheaper than a Set per node
      if (seen) {
        if (seen.has(x.text)) continue;
        seen.add(x.text);
      } else if (reasons.length && reasons.some((y) => y.text === x.text)) continue;
      reasons.push(x);
      if (!seen && reasons.length > 32) seen = new Set(reasons.map((y) => y.text));
    }
  }
  return {
    status,
    reasons,
    missing: status === 'unknown' ? mergeMissing(results.filter((r) => r.status === 'unknown').map((r) => r.missing)) : [],
  };
}

export function compileAll(node: { all: RuleNode[] }, env: CompileEnv): Evaluator {
  const kids = node.all.map((k) => env.compile(k));
  return (ctx) => {
    const rs = kids.map((k) => k(ctx));
    // every child's reasons are kept: a coordinator wants to see each value that was checked
    return combine(rs, and(rs.map((r) => r.status)), () => true);
  };
}

export function compileAny(node: { any: RuleNode[] }, env: CompileEnv): Evaluator {
  const kids = node.any.map((k) => env.compile(k));
  return (ctx) => {
    const rs = kids.map((k) => k(ctx));
    const status = or(rs.map((r) => r.status));
    // when a branch passes, its reasons explain the pass; otherwise all branches explain the result
    return combine(rs, status, (r) => status !== 'pass' || r.status === 'pass');
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
    const rs = kids.map((k) => k(ctx));
    return combine(rs, atLeast(n, rs.map((r) => r.status)), () => true);
  };
}

export function compileRef(node: { ref: string }, env: CompileEnv): Evaluator {
  // resolved lazily so definitions may be declared in any order (cycles are rejected at load)
  let f: Evaluator | undefined;
  return (ctx) => (f ??= env.definition(node.ref))(ctx);
}
