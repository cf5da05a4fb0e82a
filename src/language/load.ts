/**
 * Loading a criteria file: YAML text → validated CriteriaDoc, or diagnostics with file:line:col and
 * a code frame. Every problem is collected (not only the first). Pure: text in, values out.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { diag, type DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';
import { resolve, isDrugClass, entryById } from '../vocabulary.js';
import { isUlnMultiple, parseDuration, parseThreshold } from './quantity.js';
import {
  criteriaFileSchema, criterionSchema, nodeSchemas, NODE_KINDS, SUPPORTED_SCHEMAS,
  type CriteriaDoc, type NodeKind, type RuleNode,
} from './schema.js';
import { nodeAt, parseYaml, type PathSeg, type SourceText } from './yaml-source.js';
import type { Document } from 'yaml';
import { unitCheck } from './unit-check.js';
import { hasOwn, own, protoKeyPaths } from '../own.js';

export interface LoadedCriteria {
  doc: CriteriaDoc;
  sha256: string;
  file: string;
  /** The file's text, exactly as hashed (worker threads compile it again). */
  text: string;
}

export interface LoadResult {
  criteria?: LoadedCriteria;
  diagnostics: Diagnostic[];
}

const LOOSE_NODES = nodeSchemas(z.unknown());
const LOOSE_FILE = criteriaFileSchema(z.unknown(), criterionSchema(z.unknown()));

const TOP_KEYS = Object.keys(LOOSE_FILE.shape);

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

class Collector {
  readonly out: Diagnostic[] = [];
  constructor(readonly source: SourceText, readonly doc: Document) {}

  at(code: DiagnosticCode, message: string, path: PathSeg[], opts: { key?: boolean; hint?: string } = {}): void {
    const node = nodeAt(this.doc, path, opts.key ?? false);
    const loc = this.source.location(node?.range ?? undefined, path);
    const frame = this.source.frame(loc);
    this.out.push(diag(code, message, loc, { ...(opts.hint ? { hint: opts.hint } : {}), ...(frame ? { frame } : {}) }));
  }

  zodIssues(err: z.ZodError, base: PathSeg[], knownKeys: readonly string[]): void {
    for (const issue of err.issues) {
      const path = [...base, ...(issue.path as PathSeg[])];
      switch (issue.code) {
        case 'unrecognized_keys':
          for (const k of issue.keys) {
            const s = suggest(k, knownKeys);
            this.at('criteria/unknown-key', `unknown key "${k}"`, [...path, k], { key: true, ...(s ? { hint: `did you mean "${s}"?` } : {}) });
          }
          break;
        case 'invalid_type': {
          const input = (issue as { input?: unknown }).input;
          if (input === undefined) {
            const last = path[path.length - 1];
            this.at('criteria/missing-key', `"${String(last)}" is required (${issue.expected})`, path.slice(0, -1));
          } else {
            this.at('criteria/invalid-type', `expected ${issue.expected}, got ${describe(input)}`, path);
          }
          break;
        }
        default:
          this.at('criteria/invalid-value', issue.message, path);
      }
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which operator a rule object uses; `medication` may carry `atLeast` as an option. */
export function headOf(rule: Record<string, unknown>): { head?: NodeKind; heads: NodeKind[] } {
  const heads = Object.keys(rule).filter((k): k is NodeKind => (NODE_KINDS as string[]).includes(k));
  const primary = heads.filter((h) => !(h === 'atLeast' && heads.length > 1 && heads.includes('medication')));
  return primary.length === 1 ? { head: primary[0]!, heads: primary } : { heads: primary };
}

function validateRule(c: Collector, value: unknown, path: PathSeg[]): void {
  if (!isPlainObject(value)) {
    c.at('criteria/invalid-type', `a rule is a mapping with one operator (${NODE_KINDS.join(', ')}), got ${describe(value)}`, path);
    return;
  }
  const { head, heads } = headOf(value);
  if (!head) {
    if (heads.length > 1) {
      c.at('criteria/ambiguous-operator', `a rule has one operator, found ${heads.join(' and ')}; combine them with all/any`, path);
      return;
    }
    const first = Object.keys(value)[0] ?? '';
    const s = suggest(first, NODE_KINDS);
    c.at('criteria/unknown-operator', `unknown operator "${first}"`, first ? [...path, first] : path, {
      key: true,
      hint: s ? `did you mean "${s}"? operators: ${NODE_KINDS.join(', ')}` : `operators: ${NODE_KINDS.join(', ')}`,
    });
    return;
  }
  const schema = LOOSE_NODES[head];
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) c.zodIssues(r.error, path, Object.keys(schema.shape));
  // recurse
  if ((head === 'all' || head === 'any') && Array.isArray(value[head])) {
    (value[head] as unknown[]).forEach((ch, i) => validateRule(c, ch, [...path, head, i]));
  } else if (head === 'atLeast' && Array.isArray(value.of)) {
    (value.of as unknown[]).forEach((ch, i) => validateRule(c, ch, [...path, 'of', i]));
  } else if (head === 'not' && value.not !== undefined) {
    validateRule(c, value.not, [...path, 'not']);
  }
}

/** Semantic checks on a structurally valid rule: codes, thresholds, durations, units, refs. */
function checkRule(c: Collector, rule: RuleNode, path: PathSeg[], defs: Record<string, RuleNode>): void {
  const r = rule as Record<string, unknown>;
  const dur = (key: string) => {
    if (r[key] !== undefined && !parseDuration(r[key])) {
      c.at('criteria/invalid-duration', `cannot read duration "${String(r[key])}" (use e.g. 28 d, 4 wk, 3 mo, 1 a)`, [...path, key]);
    }
  };
  const thr = (key: string, obj: Record<string, unknown>, p: PathSeg[], measurement?: string) => {
    if (obj[key] === undefined) return;
    const t = parseThreshold(obj[key]);
    if (!t) {
      c.at('criteria/invalid-threshold', `cannot read threshold ${JSON.stringify(obj[key])} (use e.g. 30 mL/min/{1.73_m2}, 5 a, 3 x ULN)`, [...p, key]);
      return;
    }
    if (isUlnMultiple(t)) {
      if (!measurement) c.at('criteria/uln-not-applicable', 'a multiple of the ULN is only meaningful for a measurement', [...p, key]);
      return;
    }
    if (measurement) {
      const problem = unitCheck(measurement, t.unit);
      if (problem) c.at('criteria/incompatible-unit', problem, [...p, key]);
    }
  };
  if ('all' in r || 'any' in r) {
    const list = (r.all ?? r.any) as RuleNode[];
    const k = 'all' in r ? 'all' : 'any';
    list.forEach((ch, i) => checkRule(c, ch, [...path, k, i], defs));
  } else if ('not' in r) {
    checkRule(c, r.not as RuleNode, [...path, 'not'], defs);
  } else if ('ref' in r) {
    const name = r.ref as string;
    if (!hasOwn(defs, name)) {
      const s = suggest(name, Object.keys(defs));
      c.at('criteria/unknown-ref', `no definition named "${name}"`, [...path, 'ref'], s ? { hint: `did you mean "${s}"?` } : {});
    }
  } else if ('measurement' in r) {
    const code = r.measurement as string;
    const entry = resolve('measurement', code);
    if (!entry) {
      c.at('criteria/unknown-code', `measurement "${code}" is not in the vocabulary`, [...path, 'measurement']);
    }
    for (const k of ['min', 'max', 'above', 'below']) thr(k, r, path, entry?.id ?? code);
    dur('within');
  } else if ('medication' in r) {
    const names = Array.isArray(r.medication) ? (r.medication as string[]) : [r.medication as string];
    names.forEach((n, i) => {
      if (!resolve('drug', n) && !isDrugClass(n)) {
        c.at('criteria/unknown-code', `medication "${n}" is neither a drug nor a drug class in the vocabulary`,
          Array.isArray(r.medication) ? [...path, 'medication', i] : [...path, 'medication']);
      }
    });
    dur('for');
    dur('within');
    if (isPlainObject(r.dose)) {
      thr('min', r.dose, [...path, 'dose']);
      thr('max', r.dose, [...path, 'dose']);
      const as = r.dose.as as string | undefined;
      if (as && !resolve('drug', as)) c.at('criteria/unknown-code', `"${as}" is not a drug in the vocabulary`, [...path, 'dose', 'as']);
    }
    if (r.atLeast !== undefined && (r.atLeast as number) > names.length && !names.some(isDrugClass)) {
      c.at('criteria/invalid-value', `atLeast ${String(r.atLeast)} of ${names.length} drugs can never pass`, [...path, 'atLeast']);
    }
  } else if ('condition' in r) {
    const names = Array.isArray(r.condition) ? (r.condition as string[]) : [r.condition as string];
    names.forEach((n, i) => {
      if (!resolve('condition', n) && !/^[a-z0-9-]+:/i.test(n)) {
        c.at('criteria/unknown-code', `condition "${n}" is not in the vocabulary (use a known id or a coded form such as snomed:55464009)`,
          Array.isArray(r.condition) ? [...path, 'condition', i] : [...path, 'condition']);
      }
    });
    dur('within');
  } else if ('fact' in r) {
    if (r.fact === 'age') {
      for (const k of ['min', 'max']) {
        if (r[k] === undefined) continue;
        const t = parseThreshold(r[k]);
        if (!t || isUlnMultiple(t)) c.at('criteria/invalid-threshold', `age threshold ${JSON.stringify(r[k])} must be a number of years (e.g. 5 a)`, [...path, k]);
        else if (t.unit && !['a', 'y', 'year', 'years', 'mo', 'month', 'months'].includes(t.unit)) {
          c.at('criteria/incompatible-unit', `age threshold unit "${t.unit}" is not a time unit (use a or mo)`, [...path, k]);
        }
      }
    }
  } else if ('score' in r || 'finding' in r || 'attestation' in r) {
    dur('within');
  } else if ('atLeast' in r) {
    const of = r.of as RuleNode[];
    if ((r.atLeast as number) > of.length) c.at('criteria/invalid-value', `atLeast ${String(r.atLeast)} of ${of.length} rules can never pass`, [...path, 'atLeast']);
    of.forEach((ch, i) => checkRule(c, ch, [...path, 'of', i], defs));
  }
}

/** How deep definitions may refer to definitions (a → b → … ); deeper chains are refused at load. */
export const MAX_REF_DEPTH = 64;

/**
 * The definitions' reference graph, walked without recursion (a chain of 10,000 definitions must not
 * overflow the stack): a cycle if there is one, else the deepest chain when it is deeper than
 * MAX_REF_DEPTH.
 */
function checkRefGraph(defs: Record<string, RuleNode>): { cycle?: string[]; tooDeep?: { name: string; depth: number } } {
  const refsOf = (rule: unknown): string[] => {
    const acc: string[] = [];
    const todo: unknown[] = [rule];
    while (todo.length) {
      const x = todo.pop();
      if (Array.isArray(x)) todo.push(...x);
      else if (isPlainObject(x)) {
        if (typeof x.ref === 'string' && hasOwn(defs, x.ref)) acc.push(x.ref);
        for (const v of Object.values(x)) if (typeof v === 'object' && v !== null) todo.push(v);
      }
    }
    return acc;
  };
  const depth = new Map<string, number>();
  const onStack = new Set<string>();
  for (const root of Object.keys(defs)) {
    if (depth.has(root)) continue;
    const stack: { n: string; refs: string[]; i: number }[] = [{ n: root, refs: refsOf(own(defs, root)), i: 0 }];
    onStack.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.refs.length) {
        const m = top.refs[top.i++]!;
        if (onStack.has(m)) {
          const names = stack.map((f) => f.n);
          return { cycle: [...names.slice(names.indexOf(m)), m] };
        }
        if (!depth.has(m)) {
          stack.push({ n: m, refs: refsOf(own(defs, m)), i: 0 });
          onStack.add(m);
        }
        continue;
      }
      let d = 1;
      for (const m of top.refs) d = Math.max(d, 1 + (depth.get(m) ?? 0));
      depth.set(top.n, d);
      onStack.delete(top.n);
      stack.pop();
    }
  }
  let deepest: { name: string; depth: number } | undefined;
  for (const [name, d] of depth) if (d > MAX_REF_DEPTH && (!deepest || d > deepest.depth)) deepest = { name, depth: d };
  return deepest ? { tooDeep: deepest } : {};
}

/** Load and validate a criteria file from its text. */
export function loadCriteria(file: string, text: string): LoadResult {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length || !parsed.doc) return { diagnostics: parsed.diagnostics };
  const c = new Collector(parsed.source, parsed.doc);
  const value = parsed.value;
  if (!isPlainObject(value)) {
    c.at('criteria/invalid-type', `a criteria file is a mapping with schema, id, version, inclusion and exclusion; got ${describe(value)}`, []);
    return { diagnostics: c.out };
  }
  if (typeof value.schema !== 'string' || !(SUPPORTED_SCHEMAS as readonly string[]).includes(value.schema)) {
    c.at('criteria/unknown-schema',
      value.schema === undefined ? 'missing "schema" (the criteria language version)' : `unknown criteria language version ${JSON.stringify(value.schema)}`,
      value.schema === undefined ? [] : ['schema'], { hint: `this elig reads ${SUPPORTED_SCHEMAS.join(', ')}` });
    return { diagnostics: c.out };
  }
  for (const path of protoKeyPaths(value)) c.at('criteria/unknown-key', 'a key named __proto__ is not allowed', path, { key: true });
  if (c.out.length) return { diagnostics: c.out };
  const top = LOOSE_FILE.safeParse(value, { reportInput: true });
  if (!top.success) c.zodIssues(top.error, [], TOP_KEYS);
  for (const kind of ['inclusion', 'exclusion'] as const) {
    const list = value[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((crit, i) => {
      if (!isPlainObject(crit)) return;
      if (crit.rule !== undefined) validateRule(c, crit.rule, [kind, i, 'rule']);
      if (crit.when !== undefined) validateRule(c, crit.when, [kind, i, 'when']);
    });
  }
  if (isPlainObject(value.definitions)) {
    for (const [name, rule] of Object.entries(value.definitions)) validateRule(c, rule, ['definitions', name]);
  }
  if (c.out.length) return { diagnostics: dedupe(c.out) };

  const doc = top.data as unknown as CriteriaDoc;
  // semantic checks
  const seen = new Map<string, PathSeg[]>();
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((crit, i) => {
      const prev = seen.get(crit.id);
      if (prev) {
        c.at('criteria/duplicate-id', `criterion id "${crit.id}" is already used at ${prev.join('.')}`, [kind, i, 'id']);
      } else seen.set(crit.id, [kind, String(i)]);
    });
  }
  const defs = doc.definitions ?? {};
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((crit, i) => {
      checkRule(c, crit.rule, [kind, i, 'rule'], defs);
      if (crit.when) checkRule(c, crit.when, [kind, i, 'when'], defs);
    });
  }
  for (const [name, rule] of Object.entries(defs)) checkRule(c, rule, ['definitions', name], defs);
  const graph = checkRefGraph(defs);
  const cyc = graph.cycle;
  if (cyc) c.at('criteria/ref-cycle', `definitions refer to each other in a cycle: ${cyc.join(' → ')}`, ['definitions', cyc[0]!], { key: true });
  if (graph.tooDeep) {
    c.at('criteria/ref-too-deep', `definition "${graph.tooDeep.name}" refers through a chain of ${graph.tooDeep.depth} definitions (at most ${MAX_REF_DEPTH})`, ['definitions', graph.tooDeep.name], { key: true });
  }
  if (doc.defaults?.lookback !== undefined && !parseDuration(doc.defaults.lookback)) {
    c.at('criteria/invalid-duration', `cannot read duration "${doc.defaults.lookback}"`, ['defaults', 'lookback']);
  }
  for (const [code, v] of Object.entries(doc.defaults?.uln ?? {})) {
    const entry = resolve('measurement', code);
    if (!entry) c.at('criteria/unknown-code', `measurement "${code}" is not in the vocabulary`, ['defaults', 'uln', code], { key: true });
    for (const item of Array.isArray(v) ? v : [v]) {
      const t = parseThreshold(item);
      if (!t || isUlnMultiple(t)) c.at('criteria/invalid-threshold', `fallback ULN ${JSON.stringify(item)} must be a quantity`, ['defaults', 'uln', code]);
      else if (entry) {
        const problem = unitCheck(entry.id, t.unit);
        if (problem) c.at('criteria/incompatible-unit', problem, ['defaults', 'uln', code]);
      }
    }
  }
  for (const drug of Object.keys(doc.defaults?.glucocorticoidEquivalence ?? {})) {
    const e = resolve('drug', drug);
    if (!e || !entryById('drug', e.id)?.classes?.includes('glucocorticoid')) {
      c.at('criteria/unknown-code', `"${drug}" is not a glucocorticoid in the vocabulary`, ['defaults', 'glucocorticoidEquivalence', drug], { key: true });
    }
  }
  if (doc.inclusion.length + doc.exclusion.length === 0) c.at('criteria/empty', 'the file has no inclusion or exclusion criteria', []);
  if (c.out.length) return { diagnostics: dedupe(c.out) };
  return { criteria: { doc, sha256: sha256(text), file, text }, diagnostics: [] };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.location?.line}|${d.location?.column}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
