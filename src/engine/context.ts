/**
 * What a compiled rule sees: the compile-time environment (criteria defaults, compiled definitions)
 * and the per-record evaluation context (the indexed record, asOf, a memo for derived values).
 */
import type { CriteriaDoc, RuleNode } from '../language/schema.js';
import type { Duration } from '../language/quantity.js';
import type { PatientView, Quantity } from '../record.js';
import type { NodeResult } from './tri.js';
import { addDuration } from '../dates.js';

export interface EvalContext {
  view: PatientView;
  asOf: string;
  /** The last day whose data may be read: the as-of date, or an earlier anchor's date. */
  asOfDay: number;
  /**
   * Set inside a rule anchored to an event (`anchor: name`): the day windows end at, when it differs
   * from asOfDay (an anchor after the as-of date: the window ends there, but no data after asOf is read).
   */
  anchorDay?: number;
  /** Per-record memo: derived values computed once per record even when several rules use them. */
  memo: Map<string, unknown>;
}

export type Evaluator = (ctx: EvalContext) => NodeResult;

export interface CompileEnv {
  doc: CriteriaDoc;
  lookback?: Duration;
  /** Fallback ULN per measurement id: one value, or [low, high] plausible range. */
  ulnFallback: Map<string, Quantity[]>;
  egfrPrefer: 'recorded' | 'derived';
  equivalence?: Record<string, number>;
  /** Anchor dates given to the run (elig check --anchor name=YYYY-MM-DD). */
  runAnchors: ReadonlyMap<string, string>;
  compile(rule: RuleNode): Evaluator;
  definition(name: string): Evaluator;
}

/** First day inside a window ending at asOf (or at the anchor); -Infinity without a window. */
export function windowStart(ctx: EvalContext, within: Duration | undefined): number {
  return within ? addDuration(ctx.anchorDay ?? ctx.asOfDay, within, -1) : -Infinity;
}

export function memo<T>(ctx: EvalContext, key: string, f: () => T): T {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const v = f();
  ctx.memo.set(key, v);
  return v;
}
