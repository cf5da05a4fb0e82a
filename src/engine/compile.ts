/**
 * Compile a validated criteria document once into closures; apply them per record.
 * The engine never reads the clock: `asOf` is an argument.
 */
import { normaliseUnit } from '../calculators/units.js';
import { toDay } from '../dates.js';
import type { LoadedCriteria } from '../language/load.js';
import { headOf } from '../language/load.js';
import { isQuantity, parseDuration, parseThreshold } from '../language/quantity.js';
import type { CriterionDef, RuleNode, UnmappedPolicyName } from '../language/schema.js';
import { diag } from '../diagnostics.js';
import { applyUnknownPolicy, collectTerms, describeEntry, unmappedOf, type CriteriaTerms } from './unmapped.js';
import type { CriterionKind, CriterionResult, Diagnostic, PatientResult, RecordSource, Reason, Status, Verdict } from '../model.js';
import type { PatientView, Quantity } from '../record.js';
import { normaliseRecord } from '../record.js';
import { lookup } from '../vocabulary/index.js';
import { memo, type CompileEnv, type EvalContext, type Evaluator } from './context.js';
import { own } from '../own.js';
import { compileNode } from './operators/index.js';
import { anchorNameOf, compileAnchors, withAnchor } from './anchors.js';
import { fixedReason, reason } from './reasons.js';
import type { NodeResult } from './tri.js';
import { TODO_ITEM } from './operators/todo.js';

export interface CompiledCriterion {
  id: string;
  kind: CriterionKind;
  text: string;
  evaluate: (ctx: EvalContext) => CriterionResult;
}

export interface CompiledCriteria {
  id: string;
  version: string;
  title?: string;
  sha256: string;
  file: string;
  /** The criteria file's text (what sha256 is of). */
  text: string;
  /** Imported concept files (the stamp names them) and their texts (worker threads load them again). */
  imports: { path: string; sha256: string }[];
  importTexts: Record<string, string>;
  criteria: CompiledCriterion[];
  /** What the criteria name, for telling unmapped record entries from those a rule reads by code. */
  terms: CriteriaTerms;
  /** What unmapped record entries do: warn (the default), unknown, error. */
  unmapped: UnmappedPolicyName;
  /** Anchors the file declares given: true (dates from the record or --anchor). */
  givenAnchors: string[];
  /** Anchor dates given to the run (--anchor), as compiled. */
  runAnchors: [string, string][];
  /** What was compiled (validated, plain data): worker threads compile it again without re-reading the YAML. */
  loaded: LoadedCriteria;
}

export interface CompileOptions {
  /** Anchor dates given to the run (elig check --anchor name=YYYY-MM-DD), for anchors declared given: true. */
  anchors?: ReadonlyMap<string, string>;
  /** Overrides the criteria file's `defaults.unmapped` (elig check --unmapped). */
  unmapped?: UnmappedPolicyName;
}

function compileCriterion(def: CriterionDef, kind: CriterionKind, env: CompileEnv): CompiledCriterion {
  const rule = env.compile(def.rule);
  const when = def.when ? env.compile(def.when) : undefined;
  const policy = def.missing ?? 'unknown';
  const base = { id: def.id, kind, text: def.text };
  // an exclusion's own reason, by the status of its rule (the rule describes the excluding condition)
  const exclusionReason = {
    pass: fixedReason('exclusion', 'fail', { subject: 'exclusion criterion met' }),
    fail: fixedReason('exclusion', 'pass', { subject: 'exclusion criterion not met' }),
    unknown: fixedReason('exclusion', 'unknown', { subject: 'whether the exclusion applies is unknown' }),
  };
  const finish = (status: Status, r: NodeResult, extra: Reason[] = []): CriterionResult => {
    const out: CriterionResult = { id: def.id, kind, text: def.text, status, reasons: extra.length ? [...extra, ...r.reasons] : r.reasons };
    if (status === 'unknown' && r.missing.length) out.missing = r.missing;
    return out;
  };
  return {
    ...base,
    evaluate(ctx) {
      const extra: Reason[] = [];
      let applicability: NodeResult | undefined;
      if (when) {
        applicability = when(ctx);
        if (applicability.status === 'fail') {
          return { id: def.id, kind, text: def.text, status: 'not_applicable', reasons: applicability.reasons.map((x) => ({ ...x, status: 'not_applicable' as const })) };
        }
      }
      const r = rule(ctx);
      // the rule states what it describes; an exclusion is met when its rule holds
      let status: Status = kind === 'inclusion' ? r.status : r.status === 'pass' ? 'fail' : r.status === 'fail' ? 'pass' : 'unknown';
      if (kind === 'exclusion') {
        extra.push(exclusionReason[r.status]);
      }
      if (applicability && applicability.status === 'unknown') {
        // applicability unknown: a passing result stands (e.g. a negative pregnancy test on record); otherwise unknown
        if (status !== 'pass') {
          status = 'unknown';
          return finish(status, { ...r, missing: [...applicability.missing, ...r.missing] }, [
            ...extra, reason('applicability-unknown', 'unknown', { subject: applicability.reasons.map((x) => x.text).join('; ') }),
          ]);
        }
      }
      // a missing-data policy never decides a rule that is not written yet
      if (status === 'unknown' && policy !== 'unknown' && !r.missing.some((m) => m.item === TODO_ITEM)) {
        return { ...finish(policy, r, extra), reasons: [reason('policy', policy, { subject: def.id }), ...extra, ...r.reasons], missing: r.missing };
      }
      return finish(status, r, extra);
    },
  };
}

function ulnFallbacks(doc: LoadedCriteria['doc']): Map<string, Quantity[]> {
  const out = new Map<string, Quantity[]>();
  for (const [code, v] of Object.entries(doc.defaults?.uln ?? {})) {
    const id = lookup('measurement', code)?.id ?? code;
    const qs: Quantity[] = [];
    for (const item of Array.isArray(v) ? v : [v]) {
      const t = parseThreshold(item);
      if (t && isQuantity(t)) qs.push({ value: t.value, unit: normaliseUnit(t.unit) });
    }
    out.set(id, qs);
  }
  return out;
}

export function compileCriteria(loaded: LoadedCriteria, opts: CompileOptions = {}): CompiledCriteria {
  const doc = loaded.doc;
  const defs = new Map<string, Evaluator>();
  const lookback = doc.defaults?.lookback ? parseDuration(doc.defaults.lookback) : undefined;
  const env: CompileEnv & { anchors?: ReturnType<typeof compileAnchors> } = {
    doc,
    runAnchors: opts.anchors ?? new Map(),
    ulnFallback: ulnFallbacks(doc),
    egfrPrefer: doc.defaults?.egfr?.prefer ?? 'recorded',
    ...(lookback ? { lookback } : {}),
    ...(doc.defaults?.glucocorticoidEquivalence ? { equivalence: doc.defaults.glucocorticoidEquivalence } : {}),
    compile(rule: RuleNode) {
      const { head } = headOf(rule as Record<string, unknown>);
      const f = compileNode(head!, rule, env);
      // elapsed names its anchors as its subject (elapsed, until); every other anchor: option wraps its rule
      const anchor = anchorNameOf(rule);
      return anchor ? withAnchor(anchor, f, env) : f;
    },
    definition(name: string) {
      let f = defs.get(name);
      if (!f) {
        const inner = env.compile(own(doc.definitions, name)!);
        // evaluated once per record however often it is referred to: a chain of definitions that each
        // refer to the previous one several times would otherwise grow exponentially
        const key = `\u0000def:${name}`;
        f = (ctx) => memo(ctx, key, () => inner(ctx));
        defs.set(name, f);
      }
      return f;
    },
  };
  env.anchors = compileAnchors(doc, env);
  const criteria = [
    ...doc.inclusion.map((c) => compileCriterion(c, 'inclusion', env)),
    ...doc.exclusion.map((c) => compileCriterion(c, 'exclusion', env)),
  ];
  const out: CompiledCriteria = {
    id: doc.id, version: doc.version, sha256: loaded.sha256, file: loaded.file, text: loaded.text, criteria,
    imports: loaded.imports, importTexts: loaded.importTexts,
    terms: collectTerms(doc), unmapped: opts.unmapped ?? doc.defaults?.unmapped ?? 'warn',
    givenAnchors: Object.entries(doc.anchors ?? {}).filter(([, a]) => a.given).map(([n]) => n),
    runAnchors: [...(opts.anchors ?? new Map()).entries()],
    loaded,
  };
  if (doc.title) out.title = doc.title;
  return out;
}

export function verdictOf(results: readonly CriterionResult[]): Verdict {
  let unknown = false;
  for (const r of results) {
    if (r.status === 'fail') return 'ineligible';
    if (r.status === 'unknown') unknown = true;
  }
  return unknown ? 'indeterminate' : 'eligible';
}

/** Evaluate one already-normalised record. */
export function evaluateView(compiled: CompiledCriteria, view: PatientView, asOf: string, source: RecordSource): PatientResult {
  const asOfDay = toDay(asOf);
  if (asOfDay === undefined) throw new Error(`invalid asOf ${asOf}`);
  const ctx: EvalContext = { view, asOf, asOfDay, memo: new Map() };
  const unmapped = unmappedOf(view, compiled.terms);
  if (unmapped.length && compiled.unmapped === 'error') {
    return {
      id: view.id, source, verdict: 'error', criteria: [], unmapped,
      diagnostics: [diag('record/unmapped', `record "${view.id}": ${unmapped.length} ${unmapped.length === 1 ? 'entry maps' : 'entries map'} to no concept (${unmapped.map((u) => `${u.domain} ${describeEntry(u)}`).join(', ')}); policy unmapped: error`,
        { file: source.file, ...(source.record !== undefined ? { record: source.record } : {}), ...(source.line !== undefined ? { line: source.line } : {}) },
        { hint: 'add the concepts (elig vocabulary search), name the codes in the criteria, or check with --unmapped warn' })],
    };
  }
  const criteria = compiled.criteria.map((c) => c.evaluate(ctx));
  if (unmapped.length && compiled.unmapped === 'unknown') applyUnknownPolicy(criteria, unmapped, compiled.terms);
  const out: PatientResult = { id: view.id, source, verdict: verdictOf(criteria), criteria };
  if (unmapped.length) out.unmapped = unmapped;
  return out;
}

/** Validate, normalise and evaluate a raw record; an unreadable record is an `error` result. */
export function evaluateRecord(compiled: CompiledCriteria, raw: unknown, asOf: string, source: RecordSource): PatientResult {
  // a record without an id is named by its place: file#record (unique across files, stable between runs)
  const n = normaliseRecord(raw, { file: source.file, ...(source.record !== undefined ? { record: source.record } : {}), fallbackId: `${source.file}#${source.record ?? 1}` });
  if (!n.view) {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? String((raw as { id: unknown }).id) : `${source.file}#${source.record ?? 1}`;
    return { id, source, verdict: 'error', criteria: [], diagnostics: n.diagnostics };
  }
  const result = evaluateView(compiled, n.view, asOf, source);
  if (n.diagnostics.length) result.diagnostics = [...(n.diagnostics as Diagnostic[]), ...(result.diagnostics ?? [])];
  return result;
}
