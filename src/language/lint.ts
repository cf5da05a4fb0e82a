/**
 * Semantic lint of a criteria file that loaded cleanly (`elig validate`): things the language allows
 * but that are almost certainly mistakes. Every finding is a located Diagnostic (file:line:col and a
 * code frame), reusing the loader's YAML positions. Pure: text and values in, diagnostics out.
 *
 *   lint/unknown-code            a coded condition, family-history condition, device or allergy substance the vocabulary does not know
 *   criteria/incompatible-unit   a dose threshold whose unit is not a daily (or per-kg daily) dose
 *   lint/implausible-threshold   a threshold outside the physiologic range (eGFR 3000, SpO2 > 100 %)
 *   lint/contradictory-bounds    bounds in one `all` (or one rule) that no value can meet (min 60, max 40)
 *   lint/never-both-pass         an inclusion and an exclusion that can never both pass
 *   lint/unused-definition       a named definition nothing refers to
 *   lint/missing-text            a criterion whose text is blank, a placeholder or its id
 *   lint/todo-rule               a `todo` placeholder where a rule is still to be written (elig init)
 *   lint/version-not-bumped      the content changed since a previous version but `version` did not
 */
import type { Document } from 'yaml';
import { commensurable, convert } from '../calculators/units.js';
import { diag, type DiagnosticCode } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';
import { criteriaTerm, entryById, lookup, resolve } from '../vocabulary/index.js';
import { domainOf } from '../vocabulary/schema.js';
import type { LoadedCriteria } from './load.js';
import { isQuantity, parseThreshold, internationalUnits } from './quantity.js';
import type { CriteriaDoc, RuleNode } from './schema.js';
import { nodeAt, parseYaml, type PathSeg, type SourceText } from './yaml-source.js';
import { expandRefs } from './expand.js';

/** Plausible ages in years (measurements and scores carry their plausible range in the vocabulary). */
const AGE_RANGE: readonly [number, number] = [0, 130];

export interface LintOptions {
  /** The previous version of the same file (for lint/version-not-bumped). */
  previous?: { label: string; text: string };
}

type At = (code: DiagnosticCode, message: string, path: PathSeg[], opts?: { key?: boolean; hint?: string }) => void;

function locator(source: SourceText, doc: Document, out: Diagnostic[]): At {
  return (code, message, path, opts = {}) => {
    const node = nodeAt(doc, path, opts.key ?? false);
    const loc = source.location(node?.range ?? undefined, path);
    const frame = source.frame(loc);
    out.push(diag(code, message, loc, { ...(opts.hint ? { hint: opts.hint } : {}), ...(frame ? { frame } : {}) }));
  };
}

interface Visited {
  rule: RuleNode;
  path: PathSeg[];
}

/** Every rule node with its path (children of all/any/not/atLeast; refs are not followed). */
function walk(rule: RuleNode, path: PathSeg[], out: Visited[] = []): Visited[] {
  out.push({ rule, path });
  const r = rule as Record<string, unknown>;
  if (Array.isArray(r.all)) (r.all as RuleNode[]).forEach((c, i) => walk(c, [...path, 'all', i], out));
  else if (Array.isArray(r.any)) (r.any as RuleNode[]).forEach((c, i) => walk(c, [...path, 'any', i], out));
  else if (Array.isArray(r.of)) (r.of as RuleNode[]).forEach((c, i) => walk(c, [...path, 'of', i], out));
  else if (r.not !== undefined && typeof r.not === 'object') walk(r.not as RuleNode, [...path, 'not'], out);
  return out;
}

function allRules(doc: CriteriaDoc): Visited[] {
  const out: Visited[] = [];
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((c, i) => {
      walk(c.rule, [kind, i, 'rule'], out);
      if (c.when) walk(c.when, [kind, i, 'when'], out);
    });
  }
  for (const [name, rule] of Object.entries(doc.definitions ?? {})) walk(rule, ['definitions', name], out);
  return out;
}

/** A threshold in the canonical unit of what it is compared with; undefined when not convertible or a ULN multiple. */
function canonicalValue(raw: unknown, target: { unit?: string | undefined; molarMass?: number | undefined } | undefined): number | undefined {
  const t = parseThreshold(raw);
  if (!t || !isQuantity(t)) return undefined;
  if (!t.unit || !target?.unit) return t.value;
  const c = convert({ value: t.value, unit: t.unit }, target.unit, target.molarMass !== undefined ? { molarMass: target.molarMass } : {});
  return c.ok ? c.value : undefined;
}

function ageYears(raw: unknown): number | undefined {
  const t = parseThreshold(raw);
  if (!t || !isQuantity(t)) return undefined;
  if (['mo', 'month', 'months'].includes(t.unit)) return t.value / 12;
  return t.value;
}

interface Interval {
  lo: number;
  loStrict: boolean;
  hi: number;
  hiStrict: boolean;
}

/** The values a measurement/age/score node accepts, as an interval (undefined when it is not a plain bound check). */
function intervalOf(rule: RuleNode): { key: string; iv: Interval; keys: Record<string, PathSeg> } | undefined {
  const r = rule as Record<string, unknown>;
  let key: string;
  let value: (raw: unknown) => number | undefined;
  if (typeof r.measurement === 'string') {
    const e = resolve('measurement', r.measurement);
    if (!e || r.is !== undefined) return undefined;
    key = `measurement:${e.id}|${String(r.within ?? '')}|${String(r.context ?? '')}|${String(r.prefer ?? '')}|${String(r.ever ?? '')}`;
    value = (raw) => canonicalValue(raw, e);
  } else if (r.fact === 'age') {
    key = 'fact:age';
    value = ageYears;
  } else if (typeof r.score === 'string' && r.classified === undefined) {
    key = `score:${r.score}|${String(r.within ?? '')}`;
    value = (raw) => (typeof raw === 'number' ? raw : undefined);
  } else return undefined;
  const iv: Interval = { lo: -Infinity, loStrict: false, hi: Infinity, hiStrict: false };
  const keys: Record<string, PathSeg> = {};
  let any = false;
  for (const [k, strict, side] of [['min', false, 'lo'], ['above', true, 'lo'], ['max', false, 'hi'], ['below', true, 'hi']] as const) {
    if (r[k] === undefined) continue;
    const v = value(r[k]);
    if (v === undefined) return undefined;
    any = true;
    if (side === 'lo' && (v > iv.lo || (v === iv.lo && strict))) {
      iv.lo = v;
      iv.loStrict = strict;
      keys.lo = k;
    }
    if (side === 'hi' && (v < iv.hi || (v === iv.hi && strict))) {
      iv.hi = v;
      iv.hiStrict = strict;
      keys.hi = k;
    }
  }
  return any ? { key, iv, keys } : undefined;
}

function empty(iv: Interval): boolean {
  return iv.lo > iv.hi || (iv.lo === iv.hi && (iv.loStrict || iv.hiStrict));
}

function intersect(a: Interval, b: Interval): Interval {
  const lo = a.lo > b.lo || (a.lo === b.lo && a.loStrict) ? { lo: a.lo, loStrict: a.loStrict } : { lo: b.lo, loStrict: b.loStrict };
  const hi = a.hi < b.hi || (a.hi === b.hi && a.hiStrict) ? { hi: a.hi, hiStrict: a.hiStrict } : { hi: b.hi, hiStrict: b.hiStrict };
  return { ...lo, ...hi };
}

/** Is every value of `a` inside `b`? */
function within(a: Interval, b: Interval): boolean {
  const loOk = a.lo > b.lo || (a.lo === b.lo && (!b.loStrict || a.loStrict));
  const hiOk = a.hi < b.hi || (a.hi === b.hi && (!b.hiStrict || a.hiStrict));
  return loOk && hiOk;
}

function fmt(iv: Interval): string {
  const parts: string[] = [];
  if (iv.lo !== -Infinity) parts.push(`${iv.loStrict ? '>' : '≥'} ${iv.lo}`);
  if (iv.hi !== Infinity) parts.push(`${iv.hiStrict ? '<' : '≤'} ${iv.hi}`);
  return parts.join(' and ');
}

/** Canonical JSON (sorted keys) for structural comparison. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}


const PLACEHOLDER = /^\s*(todo|tbd|fixme|xxx|tba|\?+|\.\.\.|…|-)?\s*$/i;

/** Lint a criteria file that `loadCriteria` accepted. */
export function lintCriteria(loaded: LoadedCriteria, text: string, opts: LintOptions = {}): Diagnostic[] {
  const parsed = parseYaml(loaded.file, text);
  if (!parsed.doc) return [];
  const out: Diagnostic[] = [];
  const at = locator(parsed.source, parsed.doc, out);
  const doc = loaded.doc;
  const defs = doc.definitions ?? {};
  const rules = allRules(doc);

  // a concept of the file that hides a built-in one: its rules no longer mean the built-in concept
  (doc.concepts ?? []).forEach((concept, i) => {
    const domain = domainOf(concept.kind);
    for (const [key, value] of [['id', concept.id], ['display', concept.display], ...(concept.synonyms ?? []).map((s, j) => [['synonyms', j], s] as const)] as const) {
      const builtin = lookup(domain, value as string);
      if (!builtin) continue;
      const path: PathSeg[] = Array.isArray(key) ? ['concepts', i, ...key] : ['concepts', i, key as string];
      at('lint/shadowed-concept', `"${value as string}" of the file's concept "${concept.id}" hides the built-in concept "${builtin.id}" (${builtin.display}) in this file's rules`, path,
        { hint: `rename it, or extend the built-in concept instead (elig vocabulary show ${builtin.id})` });
    }
  });

  // codes the vocabulary does not know (coded conditions pass the loader as free codes)
  const CODED_HEADS = [['condition', 'condition', 'condition'], ['familyHistory', 'condition', 'condition'], ['device', 'device', 'device'], ['allergy', 'drug', 'substance']] as const;
  for (const { rule, path } of rules) {
    const r = rule as Record<string, unknown>;
    const head = CODED_HEADS.find(([h]) => r[h] !== undefined);
    if (!head) continue;
    const [key, domain, word] = head;
    const names = Array.isArray(r[key]) ? (r[key] as string[]) : [r[key] as string];
    names.forEach((n, i) => {
      const t = criteriaTerm(domain, n);
      if (t.kind === 'code') {
        const what = t.descendants ? `records coded ${t.system}:${t.code} or one of its descendants` : `records coded exactly ${t.key}`;
        at('lint/unknown-code', `${word} code "${n}" is not in the vocabulary: it matches only ${what} (no names, synonyms or other code systems)`,
          Array.isArray(r[key]) ? [...path, key, i] : [...path, key], { hint: 'use a concept id (elig vocabulary search), or define a concept with its codes and synonyms' });
      }
    });
  }

  // dimensions: a dose threshold is a daily dose (mg/d) or a weight-based daily dose (mg/kg/d)
  for (const { rule, path } of rules) {
    const r = rule as Record<string, unknown>;
    const dose = r.dose as Record<string, unknown> | undefined;
    if (r.medication === undefined || !dose) continue;
    const families = new Set(['min', 'max'].map((k) => parseThreshold(dose[k])).filter((t) => t && isQuantity(t) && t.unit)
      .map((t) => (internationalUnits((t as { unit: string }).unit, true) ? 'units' : 'mass')));
    if (families.size > 1) at('criteria/incompatible-unit', 'dose bounds mix mass (mg) and international units: give both in one of them', [...path, 'dose']);
    for (const k of ['min', 'max']) {
      const t = parseThreshold(dose[k]);
      if (!t || !isQuantity(t) || !t.unit) continue;
      if (internationalUnits(t.unit, true)) {
        if (dose.as !== undefined) at('criteria/incompatible-unit', `dose threshold "${String(dose[k])}" is in international units; "as" converts mass doses only`, [...path, 'dose', k]);
        continue;
      }
      if (commensurable(t.unit, 'mg/d') !== true && commensurable(t.unit, 'mg/kg/d') !== true) {
        at('criteria/incompatible-unit', `dose threshold "${String(dose[k])}" is not a daily dose (mg/d) or a weight-based daily dose (mg/kg/d)`, [...path, 'dose', k]);
      }
    }
  }

  // physiologic ranges
  for (const { rule, path } of rules) {
    const r = rule as Record<string, unknown>;
    let range: readonly [number, number] | undefined;
    let label = '';
    let unit = '';
    let value: (raw: unknown) => number | undefined = () => undefined;
    if (typeof r.measurement === 'string') {
      const e = resolve('measurement', r.measurement);
      if (!e) continue;
      range = e.plausible ? [e.plausible.min, e.plausible.max] : undefined;
      label = e.display;
      unit = e.unit ?? '';
      value = (raw) => canonicalValue(raw, e);
    } else if (r.fact === 'age') {
      range = AGE_RANGE;
      label = 'age';
      unit = 'years';
      value = ageYears;
    } else if (typeof r.score === 'string') {
      const e = entryById('measurement', r.score);
      range = e?.plausible ? [e.plausible.min, e.plausible.max] : undefined;
      label = e?.display ?? r.score;
      value = (raw) => (typeof raw === 'number' ? raw : undefined);
    }
    if (!range) continue;
    for (const k of ['min', 'max', 'above', 'below']) {
      if (r[k] === undefined) continue;
      const v = value(r[k]);
      if (v === undefined || (v >= range[0] && v <= range[1])) continue;
      at('lint/implausible-threshold', `${label} threshold ${JSON.stringify(r[k])} is outside the physiologic range ${range[0]}–${range[1]}${unit && unit !== '{score}' ? ` ${unit}` : ''}`, [...path, k],
        { hint: 'check the number and the unit' });
    }
  }

  // contradictory bounds: within one rule, and across the direct children of one `all`
  for (const { rule, path } of rules) {
    const one = intervalOf(rule);
    if (one && empty(one.iv)) {
      at('lint/contradictory-bounds', `no value can be ${fmt(one.iv)}: this rule can never pass`, [...path, one.keys.hi ?? 'max']);
      continue;
    }
    const r = rule as Record<string, unknown>;
    if (!Array.isArray(r.all)) continue;
    const acc = new Map<string, Interval>();
    (r.all as RuleNode[]).forEach((child, i) => {
      const c = intervalOf(child);
      if (!c || empty(c.iv)) return;
      const prev = acc.get(c.key);
      if (!prev) {
        acc.set(c.key, c.iv);
        return;
      }
      const both = intersect(prev, c.iv);
      if (empty(both)) {
        const side = c.iv.hi !== Infinity && c.iv.hi < prev.lo ? c.keys.hi : c.keys.lo ?? c.keys.hi;
        at('lint/contradictory-bounds', `${fmt(c.iv)} contradicts ${fmt(prev)} of an earlier rule in the same all: no value meets both`, [...path, 'all', i, side ?? 'min']);
      } else acc.set(c.key, both);
    });
  }

  // an inclusion and an exclusion that can never both pass (a rule still to be written is always
  // unknown: it decides nothing either way)
  const hasTodo = (rule: unknown): boolean => walk(rule as RuleNode, []).some((v) => 'todo' in (v.rule as object));
  for (const [ei, ex] of doc.exclusion.entries()) {
    if (ex.when) continue;
    const exRule = expandRefs(ex.rule, defs);
    if (hasTodo(exRule)) continue;
    for (const inc of doc.inclusion) {
      if (inc.when) continue;
      const incRule = expandRefs(inc.rule, defs);
      if (hasTodo(incRule)) continue;
      if (canonicalJson(incRule) === canonicalJson(exRule)) {
        at('lint/never-both-pass', `exclusion "${ex.id}" has the same rule as inclusion "${inc.id}": a patient who meets the inclusion is always excluded`,
          ['exclusion', ei, 'rule'], { hint: 'an exclusion\'s rule describes the excluding condition (rule holds → fail); did you mean to negate it?' });
        continue;
      }
      const a = intervalOf(incRule as RuleNode);
      const b = intervalOf(exRule as RuleNode);
      if (a && b && a.key === b.key && !empty(a.iv) && within(a.iv, b.iv)) {
        at('lint/never-both-pass', `every value inclusion "${inc.id}" accepts (${fmt(a.iv)}) is excluded by "${ex.id}" (${fmt(b.iv)}): the two can never both pass`,
          ['exclusion', ei, 'rule', b.keys.lo ?? b.keys.hi ?? 'min']);
      }
    }
  }

  // unused definitions
  const used = new Set<string>();
  const collect = (v: unknown, self?: string): void => {
    if (Array.isArray(v)) v.forEach((x) => collect(x, self));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.ref === 'string' && o.ref !== self) used.add(o.ref);
      for (const x of Object.values(o)) if (typeof x === 'object') collect(x, self);
    }
  };
  for (const kind of ['inclusion', 'exclusion'] as const) for (const c of doc[kind]) collect([c.rule, c.when]);
  for (const [name, rule] of Object.entries(defs)) collect(rule, name);
  for (const name of Object.keys(defs)) {
    if (!used.has(name)) at('lint/unused-definition', `definition "${name}" is never referred to ({ ref: ${name} })`, ['definitions', name], { key: true });
  }

  // protocol text
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((c, i) => {
      if (PLACEHOLDER.test(c.text) || c.text.trim().toLowerCase() === c.id) {
        at('lint/missing-text', `criterion "${c.id}" has no protocol text (${JSON.stringify(c.text)})`, [kind, i, 'text'],
          { hint: 'quote the protocol\'s own words: they are shown beside every result' });
      }
    });
  }

  // rules still to be written: one warning each, at the placeholder (an error under validate --strict)
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((c, i) => {
      for (const part of ['rule', 'when'] as const) {
        const rule = c[part];
        if (!rule) continue;
        for (const v of walk(rule, [kind, i, part])) {
          const todo = (v.rule as { todo?: unknown }).todo;
          if (typeof todo === 'string') {
            at('lint/todo-rule', `criterion "${c.id}": rule not written yet (to do: ${todo})`, [...v.path, 'todo'],
              { hint: 'write the rule from the criterion\'s text; until then the criterion is unknown for every patient' });
          }
        }
      }
    });
  }
  for (const [name, rule] of Object.entries(defs)) {
    for (const v of walk(rule, ['definitions', name])) {
      const todo = (v.rule as { todo?: unknown }).todo;
      if (typeof todo === 'string') at('lint/todo-rule', `definition "${name}": rule not written yet (to do: ${todo})`, [...v.path, 'todo']);
    }
  }

  // version not bumped although the content changed
  if (opts.previous) {
    const prev = parseYaml(opts.previous.label, opts.previous.text);
    const pv = prev.value as Record<string, unknown> | undefined;
    const cur = parsed.value as Record<string, unknown> | undefined;
    if (pv && typeof pv === 'object' && cur && typeof cur === 'object' && typeof pv.version === 'string') {
      const strip = (o: Record<string, unknown>) => canonicalJson(Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'version' && k !== '$schema')));
      if (pv.version === cur.version && strip(pv) !== strip(cur)) {
        at('lint/version-not-bumped', `the content changed since ${opts.previous.label} but the version is still ${String(cur.version)}`, ['version'],
          { hint: 'bump the version (semver): reports are stamped with it' });
      }
    }
  }
  return out.sort((x, y) => (x.location?.line ?? 0) - (y.location?.line ?? 0) || (x.location?.column ?? 0) - (y.location?.column ?? 0));
}
