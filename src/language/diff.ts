/**
 * What changed between two versions of a criteria file, criterion by criterion (added, removed,
 * threshold changed, logic changed, text changed, …), and which patients' verdicts or statuses flip.
 * Pure: loaded documents and patient results in, a diff value out; formats human, json, markdown.
 */
import type { CriterionKind, PatientResult, Status, Verdict } from '../model.js';
import type { LoadedCriteria } from './load.js';
import { canonicalJson } from './lint.js';
import type { CriterionDef, RuleNode } from './schema.js';
import { expandRefs } from './expand.js';
import { visible } from '../visible.js';

export type ChangeAspect = 'threshold' | 'logic' | 'text' | 'applicability' | 'missing-policy' | 'note' | 'kind' | 'order';

export interface CriterionChange {
  id: string;
  kind: CriterionKind;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: what changed. */
  aspects: ChangeAspect[];
  /** One line per changed value: `rule.all[0].min: 30 → 45`, `text: "…" → "…"`. */
  details: string[];
  text: string;
}

export interface FileChange {
  /** `title`, `registry.id`, `defaults.lookback`, `definitions.adult`, … */
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface CriteriaDiff {
  old: { file: string; id: string; version: string; sha256: string };
  new: { file: string; id: string; version: string; sha256: string };
  criteria: CriterionChange[];
  /** Changes outside the criteria list (metadata, defaults, definitions). */
  file: FileChange[];
  patients?: PatientFlips;
}

export interface StatusChange {
  criterion: string;
  from?: Status;
  to?: Status;
  /** Reason texts of the new result (why it is what it is now). */
  reasons: string[];
}

export interface PatientFlip {
  id: string;
  source: string;
  verdict: { from: Verdict; to: Verdict };
  changes: StatusChange[];
}

export interface PatientFlips {
  asOf: string;
  checked: number;
  /** Patients whose verdict changed. */
  flipped: PatientFlip[];
  /** Patients whose verdict stayed but some status changed. Added criteria count only when they fail or are unknown. */
  statusOnly: PatientFlip[];
}

const THRESHOLD_KEYS = new Set(['min', 'max', 'above', 'below', 'is', 'within', 'for', 'atLeast', 'dose', 'classified', 'context', 'by', 'active', 'ever', 'current', 'prefer']);

/** The rule with threshold-like values blanked: equal shapes with different values = a threshold change. */
function shape(rule: unknown): unknown {
  if (rule === null || typeof rule !== 'object') return rule;
  if (Array.isArray(rule)) return rule.map(shape);
  const r = rule as Record<string, unknown>;
  // in `atLeast: n, of: […]` the n is logic; as a medication option it is a threshold
  const isCombinator = Array.isArray(r.of);
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, THRESHOLD_KEYS.has(k) && !(k === 'atLeast' && isCombinator) ? (v === undefined ? undefined : '·') : shape(v)]));
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Leaf-by-leaf differences of two JSON values, with paths. */
function leafDiffs(a: unknown, b: unknown, path: string, out: string[]): void {
  if (canonicalJson(a) === canonicalJson(b)) return;
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    for (const k of keys) leafDiffs((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => typeof x === 'object')) {
    a.forEach((x, i) => leafDiffs(x, b[i], `${path}[${i}]`, out));
    return;
  }
  out.push(`${path}: ${show(a)} → ${show(b)}`);
}

function compareCriterion(a: CriterionDef, b: CriterionDef, defsA: Record<string, RuleNode>, defsB: Record<string, RuleNode>): { aspects: ChangeAspect[]; details: string[] } {
  const aspects: ChangeAspect[] = [];
  const details: string[] = [];
  const ra = expandRefs(a.rule, defsA);
  const rb = expandRefs(b.rule, defsB);
  if (canonicalJson(ra) !== canonicalJson(rb)) {
    if (canonicalJson(shape(ra)) === canonicalJson(shape(rb))) {
      aspects.push('threshold');
      leafDiffs(ra, rb, 'rule', details);
    } else {
      aspects.push('logic');
      details.push(`rule: ${canonicalJson(ra)} → ${canonicalJson(rb)}`);
    }
  }
  if (canonicalJson(expandRefs(a.when, defsA)) !== canonicalJson(expandRefs(b.when, defsB))) {
    aspects.push('applicability');
    details.push(`when: ${show(a.when === undefined ? undefined : canonicalJson(a.when))} → ${show(b.when === undefined ? undefined : canonicalJson(b.when))}`);
  }
  if (a.text !== b.text) {
    aspects.push('text');
    details.push(`text: ${JSON.stringify(a.text)} → ${JSON.stringify(b.text)}`);
  }
  if ((a.missing ?? 'unknown') !== (b.missing ?? 'unknown')) {
    aspects.push('missing-policy');
    details.push(`missing: ${a.missing ?? 'unknown'} → ${b.missing ?? 'unknown'}`);
  }
  if ((a.note ?? '') !== (b.note ?? '')) aspects.push('note');
  return { aspects, details };
}

/** Compare two loaded versions of a criteria file. */
export function diffCriteria(oldC: LoadedCriteria, newC: LoadedCriteria): CriteriaDiff {
  const a = oldC.doc;
  const b = newC.doc;
  const list = (d: typeof a) => [...d.inclusion.map((c) => ({ c, kind: 'inclusion' as const })), ...d.exclusion.map((c) => ({ c, kind: 'exclusion' as const }))];
  const la = list(a);
  const lb = list(b);
  const byIdA = new Map(la.map((x) => [x.c.id, x]));
  const byIdB = new Map(lb.map((x) => [x.c.id, x]));
  const criteria: CriterionChange[] = [];
  for (const x of la) {
    if (!byIdB.has(x.c.id)) criteria.push({ id: x.c.id, kind: x.kind, change: 'removed', aspects: [], details: [], text: x.c.text });
  }
  for (const y of lb) {
    const x = byIdA.get(y.c.id);
    if (!x) {
      criteria.push({ id: y.c.id, kind: y.kind, change: 'added', aspects: [], details: [], text: y.c.text });
      continue;
    }
    const { aspects, details } = compareCriterion(x.c, y.c, a.definitions ?? {}, b.definitions ?? {});
    if (x.kind !== y.kind) {
      aspects.unshift('kind');
      details.unshift(`kind: ${x.kind} → ${y.kind}`);
    }
    if (aspects.length) criteria.push({ id: y.c.id, kind: y.kind, change: 'changed', aspects, details, text: y.c.text });
  }
  const file: FileChange[] = [];
  const push = (path: string, from: unknown, to: unknown) => {
    if (canonicalJson(from) !== canonicalJson(to)) file.push({ path, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  };
  push('id', a.id, b.id);
  push('version', a.version, b.version);
  push('title', a.title, b.title);
  for (const k of [...new Set([...Object.keys(a.registry ?? {}), ...Object.keys(b.registry ?? {})])].sort()) {
    push(`registry.${k}`, (a.registry as Record<string, unknown> | undefined)?.[k], (b.registry as Record<string, unknown> | undefined)?.[k]);
  }
  for (const k of [...new Set([...Object.keys(a.defaults ?? {}), ...Object.keys(b.defaults ?? {})])].sort()) {
    push(`defaults.${k}`, (a.defaults as Record<string, unknown> | undefined)?.[k], (b.defaults as Record<string, unknown> | undefined)?.[k]);
  }
  for (const k of [...new Set([...Object.keys(a.definitions ?? {}), ...Object.keys(b.definitions ?? {})])].sort()) {
    push(`definitions.${k}`, a.definitions?.[k], b.definitions?.[k]);
  }
  const common = lb.filter((y) => byIdA.has(y.c.id)).map((y) => y.c.id);
  const commonOld = la.filter((x) => byIdB.has(x.c.id)).map((x) => x.c.id);
  if (canonicalJson(common) !== canonicalJson(commonOld)) file.push({ path: 'order', from: commonOld, to: common });
  const stamp = (c: LoadedCriteria) => ({ file: c.file, id: c.doc.id, version: c.doc.version, sha256: c.sha256 });
  return { old: stamp(oldC), new: stamp(newC), criteria, file };
}

/** Per patient: verdict and status changes between the results under the old and the new version. */
export function patientFlip(oldR: PatientResult, newR: PatientResult): PatientFlip | undefined {
  const before = new Map(oldR.criteria.map((c) => [c.id, c]));
  const after = new Map(newR.criteria.map((c) => [c.id, c]));
  const changes: StatusChange[] = [];
  for (const c of newR.criteria) {
    const o = before.get(c.id);
    if (o && o.status === c.status) continue;
    if (!o && (c.status === 'pass' || c.status === 'not_applicable')) continue; // an added criterion that does not stand in the way
    const reasons = [...new Set(c.reasons.filter((r) => r.code !== 'exclusion').map((r) => r.text))];
    const ch: StatusChange = { criterion: c.id, to: c.status, reasons: reasons.length ? reasons : c.reasons.map((r) => r.text) };
    if (o) ch.from = o.status;
    changes.push(ch);
  }
  for (const o of oldR.criteria) {
    if (!after.has(o.id)) changes.push({ criterion: o.id, from: o.status, reasons: ['criterion removed'] });
  }
  if (!changes.length && oldR.verdict === newR.verdict) return undefined;
  // verdict flips: the decisive changes first (fail, then unknown)
  const rank = (s?: Status) => (s === 'fail' ? 0 : s === 'unknown' ? 1 : 2);
  changes.sort((x, y) => rank(x.to) - rank(y.to));
  return { id: newR.id, source: newR.source.file, verdict: { from: oldR.verdict, to: newR.verdict }, changes };
}

export function collectFlips(pairs: readonly [PatientResult, PatientResult][], asOf: string): PatientFlips {
  const flipped: PatientFlip[] = [];
  const statusOnly: PatientFlip[] = [];
  for (const [o, n] of pairs) {
    const f = patientFlip(o, n);
    if (!f) continue;
    (f.verdict.from !== f.verdict.to ? flipped : statusOnly).push(f);
  }
  return { asOf, checked: pairs.length, flipped, statusOnly };
}

// ---------------------------------------------------------------- formats

export const DIFF_FORMATS = ['human', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

const ASPECT_LABEL: Record<ChangeAspect, string> = {
  threshold: 'threshold changed', logic: 'logic changed', text: 'text changed', applicability: 'applicability (when) changed',
  'missing-policy': 'missing-data policy changed', note: 'note changed', kind: 'moved between inclusion and exclusion', order: 'order changed',
};

function changeLabel(c: CriterionChange): string {
  return c.change === 'changed' ? c.aspects.map((a) => ASPECT_LABEL[a]).join(', ') : c.change;
}

function statusText(s?: Status): string {
  return s ?? '—';
}

function flipLines(f: PatientFlip, bullet: string, indent: string): string[] {
  const out: string[] = [];
  for (const ch of f.changes) {
    out.push(`${indent}${bullet} ${ch.criterion}: ${statusText(ch.from)} → ${statusText(ch.to)}${ch.reasons.length ? ` — ${ch.reasons.join('; ')}` : ''}`);
  }
  return out;
}

export function formatDiffHuman(d: CriteriaDiff): string {
  const lines = [`${d.old.file} (${d.old.id} v${d.old.version}) → ${d.new.file} (${d.new.id} v${d.new.version})`, ''];
  if (!d.criteria.length && !d.file.length) lines.push('no changes');
  const w = Math.max(8, ...d.criteria.map((c) => c.id.length));
  for (const c of d.criteria) {
    const sign = c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~';
    lines.push(`${sign} ${c.kind.padEnd(9)} ${c.id.padEnd(w)}  ${changeLabel(c)}`);
    if (c.change !== 'changed') lines.push(`      ${c.text}`);
    for (const x of c.details) lines.push(`      ${x}`);
  }
  if (d.file.length) {
    lines.push('', 'file:');
    for (const f of d.file) lines.push(`  ${f.path}: ${show(f.from)} → ${show(f.to)}`);
  }
  if (d.patients) {
    const p = d.patients;
    lines.push('', `patients (as of ${p.asOf}): ${p.checked} checked, ${p.flipped.length} verdict${p.flipped.length === 1 ? '' : 's'} flip, ${p.statusOnly.length} with status changes only`);
    for (const f of p.flipped) {
      lines.push(`  ${f.id}  ${f.verdict.from} → ${f.verdict.to}  (${f.source})`);
      lines.push(...flipLines(f, '•', '      '));
    }
    if (p.statusOnly.length) {
      lines.push('  verdict unchanged, statuses changed:');
      for (const f of p.statusOnly) {
        lines.push(`  ${f.id}  ${f.verdict.to}: ${f.changes.map((c) => `${c.criterion} ${statusText(c.from)} → ${statusText(c.to)}`).join(', ')}`);
      }
    }
  }
  return `${lines.map(visible).join('\n')}\n`; // one line each: control characters as visible escapes
}

export function formatDiffJson(d: CriteriaDiff): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatDiffMarkdown(d: CriteriaDiff): string {
  const lines = [`## ${d.new.id}: v${d.old.version} → v${d.new.version}`, '', `\`${d.old.file}\` → \`${d.new.file}\``, ''];
  if (d.criteria.length) {
    lines.push('| | kind | criterion | change | details |', '| --- | --- | --- | --- | --- |');
    for (const c of d.criteria) {
      const sign = c.change === 'added' ? '➕' : c.change === 'removed' ? '➖' : '✏️';
      const details = c.change === 'changed' ? c.details.map((x) => `\`${mdCell(x)}\``).join('<br>') : mdCell(c.text);
      lines.push(`| ${sign} | ${c.kind} | \`${c.id}\` | ${changeLabel(c)} | ${details} |`);
    }
    lines.push('');
  } else lines.push('No criterion changed.', '');
  if (d.file.length) {
    lines.push('**Other changes**', '');
    for (const f of d.file) lines.push(`- \`${f.path}\`: ${mdCell(show(f.from))} → ${mdCell(show(f.to))}`);
    lines.push('');
  }
  if (d.patients) {
    const p = d.patients;
    lines.push(`### Patients (as of ${p.asOf})`, '', `${p.checked} checked; **${p.flipped.length}** verdict${p.flipped.length === 1 ? '' : 's'} flip; ${p.statusOnly.length} with status changes only.`, '');
    if (p.flipped.length) {
      lines.push('| patient | verdict | why |', '| --- | --- | --- |');
      for (const f of p.flipped) {
        const decisive = f.verdict.to === 'ineligible' ? 'fail' : f.verdict.to === 'indeterminate' ? 'unknown' : undefined;
        const why = f.changes.filter((c) => decisive === undefined || c.to === decisive)
          .map((c) => `\`${c.criterion}\` ${statusText(c.from)} → ${statusText(c.to)}: ${mdCell(c.reasons.join('; '))}`).join('<br>');
        lines.push(`| ${mdCell(f.id)} | ${f.verdict.from} → **${f.verdict.to}** | ${why} |`);
      }
      lines.push('');
    }
  }
  return `${lines.map(visible).join('\n')}\n`; // one line each: control characters as visible escapes
}

export const DIFF_FORMATTERS: Record<DiffFormat, (d: CriteriaDiff) => string> = {
  human: formatDiffHuman,
  json: formatDiffJson,
  markdown: formatDiffMarkdown,
};
