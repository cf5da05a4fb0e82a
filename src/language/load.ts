/**
 * Loading a criteria file: YAML text → validated CriteriaDoc, or diagnostics with file:line:col and
 * a code frame. Every problem is collected (not only the first). Pure: text in, values out.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Diagnostic } from '../model.js';
import { resolve, isDrugClass, entryById, lookup, conceptNames, conceptById } from '../vocabulary/index.js';
import { localConcepts, localLookup, type LocalConcepts } from '../vocabulary/local.js';
import { normaliseConcept } from '../vocabulary/load.js';
import { domainOf, type Concept } from '../vocabulary/schema.js';
import { readImport } from '../vocabulary/imports.js';
import { parseCode } from '../vocabulary/codes.js';
import { ATTESTERS, attesterOf, NEGATIVE_WORDS, POSITIVE_WORDS, qualitativeClass, SEXES } from '../vocabulary/values.js';
import { normaliseId } from '../calculators/common.js';
import { SLEDAI_2K_DESCRIPTORS, SLEDAI_2K_WEIGHTS } from '../calculators/sledai-2k.js';
import { BILAG_SYSTEMS } from '../calculators/bilag-2004.js';
import { isLlnMultiple, isQuantity, isTitre, isUlnMultiple, parseDuration, parseThreshold } from './quantity.js';
import {
  ANCHOR_SOURCES, criteriaFileSchema, criterionSchema, nodeSchemas, NODE_KINDS, SUPPORTED_SCHEMAS,
  type AnchorDefNode, type CriteriaDoc, type NodeKind, type RuleNode,
} from './schema.js';
import { COUNT_DOMAINS } from './count-domains.js';
import { parseYaml, type PathSeg } from './yaml-source.js';
import { Collector, describe, isPlainObject, suggest } from './collector.js';
import { unitCheck } from './unit-check.js';
import { commensurable, normaliseUnit } from '../calculators/units.js';
import { hasOwn, own, protoKeyPaths } from '../own.js';

export interface LoadedCriteria {
  doc: CriteriaDoc;
  sha256: string;
  file: string;
  /** The file's text, exactly as hashed (worker threads compile it again). */
  text: string;
  /** Imported concept files, as the report stamp names them. */
  imports: { path: string; sha256: string }[];
  /** Their texts, by path as written (worker threads load them again). */
  importTexts: Record<string, string>;
}

export interface LoadOptions {
  /** The texts of the files `imports:` names, by path as written (the CLI reads them, relative to the criteria file). */
  imports?: Record<string, string>;
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

/** Which operator a rule object uses; `medication` and `count` may carry `atLeast` as an option. */
export function headOf(rule: Record<string, unknown>): { head?: NodeKind; heads: NodeKind[] } {
  const heads = Object.keys(rule).filter((k): k is NodeKind => (NODE_KINDS as string[]).includes(k));
  const primary = heads.filter((h) => !(h === 'atLeast' && heads.length > 1 && (heads.includes('medication') || heads.includes('count'))));
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
  } else if (head === 'count' && isPlainObject(value.count)) {
    const ev = value.count;
    const { head: h } = headOf(ev);
    if (!h || !(COUNT_DOMAINS as readonly string[]).includes(h)) {
      const first = Object.keys(ev)[0] ?? '';
      const s = suggest(first, COUNT_DOMAINS);
      c.at('criteria/invalid-value', `count counts events of a measurement, condition, procedure or finding rule${first ? `, not "${first}"` : ''}`, first ? [...path, 'count', first] : [...path, 'count'],
        { key: Boolean(first), ...(s ? { hint: `did you mean "${s}"?` } : {}) });
      return;
    }
    validateRule(c, ev, [...path, 'count']);
    for (const k of ['within', 'anchor', 'ever']) {
      if (ev[k] !== undefined) c.at('criteria/invalid-value', `the window belongs to count, not to the event rule: move ${k} beside count`, [...path, 'count', k], { key: true });
    }
  }
}

/**
 * A coded form in a rule: true when the text is one (of a system elig knows), with a located
 * `code/malformed` error (and a did-you-mean) when its shape or check digit is wrong.
 */
function codedTermOk(c: Collector, text: string, path: PathSeg[]): boolean {
  const p = parseCode(text);
  if (!p) return false;
  if (p.problem) c.at('code/malformed', p.problem.message, path, p.problem.suggestion ? { hint: `did you mean ${p.problem.suggestion}?` } : {});
  return true;
}

const SEX_ABBREVIATIONS: Readonly<Record<string, string>> = { f: 'female', m: 'male', w: 'female', woman: 'female', man: 'male', u: 'unknown' };

/** `is:` of a measurement: positive/negative (or a word for them), a titre such as 1:320, or one of the concept's closed values. */
function qualitativeValues(c: Collector, r: Record<string, unknown>, path: PathSeg[], values: readonly string[] | undefined): void {
  if (r.is === undefined) return;
  const list = Array.isArray(r.is) ? r.is : [r.is];
  const known = ['positive', 'negative', ...(values ?? [])];
  list.forEach((v, i) => {
    const s = String(v);
    const cls = qualitativeClass(s);
    if (cls === 'positive' || cls === 'negative' || /^1\s*:\s*\d+$/.test(s) || known.some((k) => k.toLowerCase() === cls)) return;
    const hint = suggest(s, [...known, ...POSITIVE_WORDS, ...NEGATIVE_WORDS]);
    c.at('criteria/invalid-value', `"${s}" is not a result this measurement can have (${known.join(', ')}, or a titre such as 1:320)`,
      Array.isArray(r.is) ? [...path, 'is', i] : [...path, 'is'], hint ? { hint: `did you mean "${qualitativeClass(hint)}"?` } : {});
  });
}

/** Keys of a measurement rule that only make sense together (cutoff with is) or not at all (normal with is). */
function measurementKeys(c: Collector, r: Record<string, unknown>, path: PathSeg[]): void {
  if (r.cutoff !== undefined && r.is === undefined) {
    c.at('criteria/conflicting-keys', 'cutoff says when a numeric result counts as positive: use it with is: positive (or is: negative)', [...path, 'cutoff'], { key: true });
  }
  if (r.normal !== undefined && r.is !== undefined) {
    c.at('criteria/conflicting-keys', 'normal (within the reference range) compares a value with both limits; is compares a qualitative result: use one of them', [...path, 'normal'], { key: true });
  }
}

/** A file's own concepts: codes checked and normalised as in vocabulary files, ids unique, parents defined, kinds elig can match locally. */
function checkLocalConcepts(c: Collector, concepts: Concept[]): void {
  const ids = new Map<string, number>();
  concepts.forEach((concept, i) => {
    const path: PathSeg[] = ['concepts', i];
    concepts[i] = normaliseConcept(concept, (code, msg, p, hint) => c.at(code, msg, [...path, ...p], hint ? { hint } : {}));
    if (!LOCAL_KINDS.includes(concept.kind)) {
      c.at('criteria/invalid-value', `a criteria file defines concepts of kind ${LOCAL_KINDS.join(', ')}; name a ${concept.kind} by its code (e.g. loinc:4548-4) or add it to the vocabulary`, [...path, 'kind']);
    }
    const prev = ids.get(concept.id);
    if (prev !== undefined) c.at('vocabulary/duplicate-id', `concept "${concept.id}" is already defined at concepts[${prev}]`, [...path, 'id']);
    else ids.set(concept.id, i);
  });
  concepts.forEach((concept, i) => {
    (concept.parents ?? []).forEach((p, j) => {
      const parent = concepts.find((x) => x.id === p) ?? conceptById(p);
      if (!parent) {
        const s = suggest(p, [...ids.keys(), ...conceptNames(domainOf(concept.kind))]);
        c.at('vocabulary/unknown-parent', `parent "${p}" is neither a concept of this file nor of the vocabulary`, ['concepts', i, 'parents', j], s ? { hint: `did you mean "${s}"?` } : {});
      } else if (domainOf(parent.kind) !== domainOf(concept.kind)) {
        c.at('vocabulary/parent-kind', `"${concept.id}" is a ${concept.kind} but its parent "${p}" is a ${parent.kind}`, ['concepts', i, 'parents', j]);
      }
    });
  });
}

const LOCAL_KINDS: readonly string[] = ['condition', 'drug', 'vaccine'];

/**
 * Read the imported concept files into the file's concepts (after its own). Their problems are
 * located in the imported file; a missing file, or a concept elig cannot use, at the import entry.
 */
function readImports(c: Collector, file: string, doc: CriteriaDoc, texts: Record<string, string>): { stamp: { path: string; sha256: string }[]; texts: Record<string, string>; warnings: Diagnostic[] } {
  const stamp: { path: string; sha256: string }[] = [];
  const used: Record<string, string> = {};
  const warnings: Diagnostic[] = [];
  const own = new Set((doc.concepts ?? []).map((x) => x.id));
  (doc.imports ?? []).forEach((entry, i) => {
    const spec = typeof entry === 'string' ? { path: entry } : entry;
    const text = texts[spec.path];
    if (text === undefined) {
      c.at('criteria/import-not-found', `cannot read ${spec.path} (imports are relative to the criteria file)`, typeof entry === 'string' ? ['imports', i] : ['imports', i, 'path']);
      return;
    }
    // diagnostics name the imported file as the criteria file's directory plus its path
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    const r = readImport(spec, `${dir}${spec.path}`, text);
    for (const d of r.diagnostics) (d.severity === 'error' ? c.out : warnings).push(d);
    stamp.push({ path: spec.path, sha256: r.sha256 });
    used[spec.path] = text;
    for (const concept of r.concepts) {
      if (!LOCAL_KINDS.includes(concept.kind)) {
        c.at('criteria/invalid-value', `${spec.path}: concept "${concept.id}" is a ${concept.kind}; a criteria file imports concepts of kind ${LOCAL_KINDS.join(', ')}`, ['imports', i]);
        continue;
      }
      if (own.has(concept.id)) {
        c.at('vocabulary/duplicate-id', `${spec.path}: concept "${concept.id}" is already defined (in this file or an earlier import)`, ['imports', i]);
        continue;
      }
      for (const p of concept.parents ?? []) {
        if (!own.has(p) && !conceptById(p) && !r.concepts.some((x) => x.id === p)) c.at('vocabulary/unknown-parent', `${spec.path}: parent "${p}" of "${concept.id}" is not a concept`, ['imports', i]);
      }
      own.add(concept.id);
      (doc.concepts ??= []).push(concept);
    }
  });
  return { stamp, texts: used, warnings };
}

const DOMAIN_HEADS = [
  { head: 'device', vocabulary: 'device', what: 'device', example: 'a device concept such as insulin-pump or crt-d, or a coded form such as snomed:69805005' },
  { head: 'allergy', vocabulary: 'drug', what: 'drug or drug class', example: 'a drug or class such as nsaid or warfarin, or a coded form such as rxnorm:7980 or snomed:111088007 for other substances' },
  { head: 'familyHistory', vocabulary: 'condition', what: 'condition', example: 'a condition concept or a coded form such as icd10:C73' },
  { head: 'substanceUse', vocabulary: 'substance', what: 'substance', example: 'tobacco, alcohol or cannabis' },
] as const;

/** The names of a device, allergy, familyHistory or substanceUse rule, and the keys that go together. */
function checkDomainRule(c: Collector, r: Record<string, unknown>, path: PathSeg[], local: LocalConcepts): void {
  const h = DOMAIN_HEADS.find((x) => r[x.head] !== undefined)!;
  const names = Array.isArray(r[h.head]) ? (r[h.head] as string[]) : [r[h.head] as string];
  names.forEach((n, i) => {
    const p = Array.isArray(r[h.head]) ? [...path, h.head, i] : [...path, h.head];
    if (codedTermOk(c, n, p) || lookup(h.vocabulary, n)) return;
    if ((h.vocabulary === 'drug' || h.vocabulary === 'condition') && localLookup(local, h.vocabulary, n)) return;
    if (h.vocabulary === 'condition' && /^[a-z][a-z0-9-]*:\S/i.test(n)) return;
    const s = suggest(n, conceptNames(h.vocabulary));
    c.at('criteria/unknown-code', `${h.head} "${n}" is not a ${h.what} in the vocabulary (use ${h.example})`, p, s ? { hint: `did you mean "${s}"?` } : {});
  });
  if (r.relationship !== undefined) {
    const rels = Array.isArray(r.relationship) ? (r.relationship as string[]) : [r.relationship as string];
    rels.forEach((n, i) => {
      if (lookup('relationship', n)) return;
      const s = suggest(n, conceptNames('relationship'));
      c.at('criteria/unknown-code', `relationship "${n}" is not a relationship in the vocabulary (e.g. first-degree-relative, mother, sibling, child)`,
        Array.isArray(r.relationship) ? [...path, 'relationship', i] : [...path, 'relationship'], s ? { hint: `did you mean "${s}"?` } : {});
    });
  }
  if (h.head === 'device' && r.for !== undefined && r.within !== undefined) {
    c.at('criteria/conflicting-keys', 'for (in use since at least…) and within (started inside the window) ask opposite things of the start date: use one', [...path, 'within'], { key: true });
  }
  if (h.head === 'substanceUse') {
    const set = ['status', 'within', 'packYears'].filter((k) => r[k] !== undefined);
    if (set.length > 1) {
      c.at('criteria/conflicting-keys', `status (the newest status), within (use in a window) and packYears are read on their own: ${set.join(' and ')} cannot be combined (use all: to ask both)`, [...path, set[1]!], { key: true });
    }
    if (isPlainObject(r.packYears)) {
      const { min, max } = r.packYears as { min?: number; max?: number };
      if (min === undefined && max === undefined) c.at('criteria/invalid-value', 'packYears needs min, max or both (e.g. { min: 20 })', [...path, 'packYears']);
      else if (min !== undefined && max !== undefined && min > max) c.at('criteria/invalid-value', `packYears min ${min} is above max ${max}: the rule can never pass`, [...path, 'packYears']);
    }
  }
}

/** Semantic checks on a structurally valid rule: codes, thresholds, durations, units, refs. */
function checkRule(c: Collector, rule: RuleNode, path: PathSeg[], defs: Record<string, RuleNode>, local: LocalConcepts, anchors: readonly string[] = []): void {
  const r = rule as Record<string, unknown>;
  const anchorRef = (key: string) => {
    const name = r[key];
    if (typeof name !== 'string' || anchors.includes(name)) return;
    const s = suggest(name, anchors);
    c.at('criteria/unknown-anchor', `no anchor named "${name}"${anchors.length ? ` (anchors: ${anchors.join(', ')})` : '; declare it under anchors:'}`, [...path, key],
      s ? { hint: `did you mean "${s}"?` } : { hint: 'e.g. anchors: { consent: { attestation: informed-consent } }' });
  };
  anchorRef('anchor');
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
    if (isUlnMultiple(t) || isLlnMultiple(t)) {
      const which = isUlnMultiple(t) ? 'ULN' : 'LLN';
      if (!measurement) c.at('criteria/uln-not-applicable', `a multiple of the ${which} is only meaningful for a measurement`, [...p, key]);
      else if (key === 'cutoff') c.at('criteria/invalid-threshold', `a cut-off is a value (e.g. "30 [IU]/mL" or "1:80"); without one the laboratory's reference range (its upper limit) is the cut-off`, [...p, key]);
      return;
    }
    if (isTitre(t)) {
      const e = measurement ? entryById('measurement', measurement) : undefined;
      if (!measurement) c.at('criteria/titre-not-applicable', `a titre (1:${t.titre}) is only meaningful for a measurement`, [...p, key]);
      else if (e && !e.qualitative) {
        c.at('criteria/titre-not-applicable', `${e.display} is reported as a quantity${e.unit ? ` in ${e.unit}` : ''}, not as a titre: give the threshold in its unit`, [...p, key]);
      }
      return;
    }
    if (measurement) {
      const problem = unitCheck(measurement, t.unit);
      if (problem) c.at('criteria/incompatible-unit', problem, [...p, key]);
    }
  };
  if ('count' in r) {
    const ev = r.count as Record<string, unknown>;
    checkRule(c, ev as RuleNode, [...path, 'count'], defs, local, anchors);
    dur('within');
    dur('apart');
    if (r.consecutive && !('measurement' in ev)) c.at('criteria/invalid-value', 'consecutive applies to measurements (successive results); events of other kinds are counted with apart', [...path, 'consecutive']);
    if ('measurement' in ev && ['min', 'max', 'above', 'below', 'is'].every((k) => ev[k] === undefined)) {
      c.at('criteria/invalid-value', 'a counted measurement needs the rule each value must meet (min, max, above, below or is)', [...path, 'count']);
    }
  } else if ('change' in r) {
    checkChange(c, r, path, anchors);
    dur('within');
  } else if ('elapsed' in r) {
    anchorRef('elapsed');
    anchorRef('until');
    dur('min');
    dur('max');
    if (r.min === undefined && r.max === undefined) c.at('criteria/invalid-value', 'elapsed needs min or max (e.g. min: 12 mo)', path);
  } else if ('procedure' in r) {
    const names = Array.isArray(r.procedure) ? (r.procedure as string[]) : [r.procedure as string];
    names.forEach((n, i) => {
      const p = Array.isArray(r.procedure) ? [...path, 'procedure', i] : [...path, 'procedure'];
      if (!codedTermOk(c, n, p) && !lookup('procedure', n) && !/^[a-z][a-z0-9-]*:\S/i.test(n)) {
        const s = suggest(n, conceptNames('procedure'));
        c.at('criteria/unknown-code', `procedure "${n}" is not in the vocabulary (use a concept id such as dialysis or a coded form such as snomed:302497006)`, p,
          s ? { hint: `did you mean "${s}"?` } : {});
      }
    });
    dur('within');
  } else if ('device' in r || 'allergy' in r || 'familyHistory' in r || 'substanceUse' in r) {
    checkDomainRule(c, r, path, local);
    dur('within');
    dur('for');
  } else if ('all' in r || 'any' in r) {
    const list = (r.all ?? r.any) as RuleNode[];
    const k = 'all' in r ? 'all' : 'any';
    list.forEach((ch, i) => checkRule(c, ch, [...path, k, i], defs, local, anchors));
  } else if ('not' in r) {
    checkRule(c, r.not as RuleNode, [...path, 'not'], defs, local, anchors);
  } else if ('ref' in r) {
    const name = r.ref as string;
    if (!hasOwn(defs, name)) {
      const s = suggest(name, Object.keys(defs));
      c.at('criteria/unknown-ref', `no definition named "${name}"`, [...path, 'ref'], s ? { hint: `did you mean "${s}"?` } : {});
    }
  } else if ('measurement' in r) {
    const code = r.measurement as string;
    const entry = lookup('measurement', code);
    if (entry) {
      for (const k of ['min', 'max', 'above', 'below', 'cutoff']) thr(k, r, path, entry.id);
      qualitativeValues(c, r, path, entry.values);
      measurementKeys(c, r, path);
    } else if (codedTermOk(c, code, [...path, 'measurement'])) {
      // a code the vocabulary does not hold: the thresholds say its unit, and must agree with each other
      const p = parseCode(code);
      if (p?.parsed.descendants) c.at('code/malformed', `a measurement is one code: ${code} cannot match descendants`, [...path, 'measurement']);
      const units: { key: string; unit: string }[] = [];
      for (const k of ['min', 'max', 'above', 'below']) {
        if (r[k] === undefined) continue;
        const t = parseThreshold(r[k]);
        if (!t) thr(k, r, path);
        else if (!isQuantity(t)) continue;
        else if (!t.unit) {
          c.at('criteria/incompatible-unit', `${code} is not in the vocabulary, so elig does not know its unit: give the threshold a UCUM unit (e.g. "7 %", "9 g/dL")`, [...path, k]);
        } else units.push({ key: k, unit: t.unit });
      }
      for (const u of units.slice(1)) {
        const ok = commensurable(normaliseUnit(u.unit), normaliseUnit(units[0]!.unit), {});
        if (ok !== true) c.at('criteria/incompatible-unit', `"${u.unit}" cannot be compared with "${units[0]!.unit}" (${units[0]!.key}) for the same measurement`, [...path, u.key]);
      }
      if (units[0] && commensurable(normaliseUnit(units[0].unit), normaliseUnit(units[0].unit), {}) === undefined) {
        c.at('criteria/incompatible-unit', `"${units[0].unit}" is not a unit elig can read (UCUM)`, [...path, units[0].key]);
      }
    } else {
      const s = suggest(code, conceptNames('measurement'));
      c.at('criteria/unknown-code', `measurement "${code}" is not in the vocabulary (use a concept id or a coded form such as loinc:4548-4)`, [...path, 'measurement'],
        s ? { hint: `did you mean "${s}"?` } : {});
    }
    if (!entry) measurementKeys(c, r, path);
    dur('within');
  } else if ('medication' in r) {
    const names = Array.isArray(r.medication) ? (r.medication as string[]) : [r.medication as string];
    names.forEach((n, i) => {
      const p = Array.isArray(r.medication) ? [...path, 'medication', i] : [...path, 'medication'];
      if (!codedTermOk(c, n, p) && !lookup('drug', n) && !localLookup(local, 'drug', n)) {
        const s = suggest(n, conceptNames('drug'));
        c.at('criteria/unknown-code', `medication "${n}" is neither a drug nor a drug class in the vocabulary (or a coded form such as atc:L04AA06, atc:A10A*, rxnorm:6809)`, p,
          s ? { hint: `did you mean "${s}"?` } : {});
      }
    });
    dur('for');
    dur('within');
    dur('stableFor');
    for (const k of ['stableFor', 'washout', 'lines'] as const) {
      if (r[k] === undefined) continue;
      const clash = ['for', 'within', 'current', 'dose', 'atLeast', 'acceptIntolerance', 'stableFor', 'washout', 'lines'].filter((o) => o !== k && r[o] !== undefined);
      if (clash.length) c.at('criteria/invalid-value', `${k} is read on its own: it cannot be combined with ${clash.join(', ')}`, [...path, k], { key: true });
    }
    if (isPlainObject(r.washout)) {
      if (r.washout.halfLives === undefined && r.washout.min === undefined) c.at('criteria/invalid-value', 'washout needs halfLives, min or both (e.g. { halfLives: 5, min: 4 wk })', [...path, 'washout']);
      if (r.washout.min !== undefined && !parseDuration(r.washout.min)) c.at('criteria/invalid-duration', `cannot read duration "${String(r.washout.min)}"`, [...path, 'washout', 'min']);
    }
    if (isPlainObject(r.dose)) {
      thr('min', r.dose, [...path, 'dose']);
      thr('max', r.dose, [...path, 'dose']);
      const as = r.dose.as as string | undefined;
      if (as && !resolve('drug', as)) c.at('criteria/unknown-code', `"${as}" is not a drug in the vocabulary`, [...path, 'dose', 'as']);
      if (r.dose.weight !== undefined && !['min', 'max'].some((k) => { const t = parseThreshold((r.dose as Record<string, unknown>)[k]); return t !== undefined && isQuantity(t) && /\/kg/.test(t.unit); })) {
        c.at('criteria/invalid-value', 'weight says which body weight a per-kg dose is divided by: give a per-kg bound (e.g. min: 1 mg/kg/d)', [...path, 'dose', 'weight'], { key: true });
      }
    }
    if (r.atLeast !== undefined && (r.atLeast as number) > names.length && !names.some((n) => isDrugClass(n) || parseCode(n)?.parsed.descendants || localLookup(local, 'drug', n))) {
      c.at('criteria/invalid-value', `atLeast ${String(r.atLeast)} of ${names.length} drugs can never pass`, [...path, 'atLeast']);
    }
  } else if ('condition' in r) {
    const names = Array.isArray(r.condition) ? (r.condition as string[]) : [r.condition as string];
    names.forEach((n, i) => {
      const p = Array.isArray(r.condition) ? [...path, 'condition', i] : [...path, 'condition'];
      if (!codedTermOk(c, n, p) && !lookup('condition', n) && !localLookup(local, 'condition', n) && !/^[a-z][a-z0-9-]*:\S/i.test(n)) {
        const s = suggest(n, conceptNames('condition'));
        c.at('criteria/unknown-code', `condition "${n}" is not in the vocabulary (use a concept id or a coded form such as snomed:55464009 or icd10:M32.1*)`, p,
          s ? { hint: `did you mean "${s}"?` } : {});
      }
    });
    dur('within');
  } else if ('fact' in r) {
    const is = r.is === undefined ? [] : Array.isArray(r.is) ? r.is : [r.is];
    const isPath = (i: number) => (Array.isArray(r.is) ? [...path, 'is', i] : [...path, 'is']);
    if (r.fact === 'sex') {
      is.forEach((v, i) => {
        if ((SEXES as readonly unknown[]).includes(v)) return;
        const s = typeof v === 'string' ? suggest(v, SEXES) ?? SEX_ABBREVIATIONS[v.toLowerCase()] : undefined;
        c.at('criteria/invalid-value', `sex is one of ${SEXES.join(', ')} (as FHIR Patient.gender), got ${JSON.stringify(v)}`, isPath(i), s ? { hint: `did you mean "${s}"?` } : {});
      });
    } else if (r.fact === 'childbearing-potential' || r.fact === 'deceased') {
      is.forEach((v, i) => {
        if (typeof v !== 'boolean') c.at('criteria/invalid-value', `${r.fact as string} is true or false, got ${JSON.stringify(v)}`, isPath(i));
      });
    }
    if (r.fact !== 'age' && r.anchor !== undefined) {
      c.at('criteria/invalid-value', `anchor applies to age (age at the anchor date), not to ${String(r.fact)}`, [...path, 'anchor'], { key: true });
    }
    if (r.fact === 'age' && r.is !== undefined) {
      c.at('criteria/invalid-value', 'age is compared with min/max, not is', [...path, 'is']);
    }
    if (r.fact === 'age') {
      for (const k of ['min', 'max']) {
        if (r[k] === undefined) continue;
        const t = parseThreshold(r[k]);
        if (!t || !isQuantity(t)) c.at('criteria/invalid-threshold', `age threshold ${JSON.stringify(r[k])} must be a number of years (e.g. 5 a)`, [...path, k]);
        else if (t.unit && !['a', 'y', 'year', 'years', 'mo', 'month', 'months'].includes(t.unit)) {
          c.at('criteria/incompatible-unit', `age threshold unit "${t.unit}" is not a time unit (use a or mo)`, [...path, k]);
        }
      }
    }
  } else if ('score' in r || 'finding' in r || 'attestation' in r) {
    dur('within');
    if (r.score === 'bilag-2004') {
      if (r.grade === undefined) c.at('criteria/missing-key', 'bilag-2004 counts organ systems by grade: give grade (e.g. grade: A, min: 1 for "A in ≥ 1 system")', path);
      if (r.min === undefined && r.max === undefined) c.at('criteria/missing-key', 'bilag-2004: give min or max, the number of systems with that grade', path);
      if (r.classified !== undefined) c.at('criteria/invalid-value', 'classified applies to eular-acr-2019', [...path, 'classified'], { key: true });
      for (const k of ['min', 'max'] as const) {
        const n = r[k];
        if (typeof n === 'number' && (!Number.isInteger(n) || n < 0 || n > BILAG_SYSTEMS.length)) {
          c.at('criteria/invalid-value', `bilag-2004 ${k} is a number of organ systems, 0–${BILAG_SYSTEMS.length}`, [...path, k]);
        }
      }
    } else if (r.grade !== undefined) {
      c.at('criteria/invalid-value', `grade applies to bilag-2004, not to ${String(r.score)}`, [...path, 'grade'], { key: true });
    }
    if (Array.isArray(r.excluding)) {
      if (r.score !== 'sledai-2k') c.at('criteria/invalid-value', `excluding applies to sledai-2k descriptors, not to ${String(r.score)}`, [...path, 'excluding'], { key: true });
      else {
        (r.excluding as string[]).forEach((d, i) => {
          const id = normaliseId(d);
          if (SLEDAI_2K_WEIGHTS[id] !== undefined) return;
          const s = suggest(id, SLEDAI_2K_DESCRIPTORS);
          c.at('criteria/invalid-value', `"${d}" is not a SLEDAI-2K descriptor`, [...path, 'excluding', i], s ? { hint: `did you mean "${s}"?` } : {});
        });
        if ((r.excluding as string[]).length >= SLEDAI_2K_DESCRIPTORS.length) c.at('criteria/invalid-value', 'excluding every descriptor leaves no score', [...path, 'excluding']);
      }
    }
    if (Array.isArray(r.by)) {
      (r.by as string[]).forEach((b, i) => {
        if (attesterOf(b)) return;
        const s = suggest(b, ATTESTERS);
        c.at('criteria/invalid-value', `"${b}" is not who an attestation is recorded by (${ATTESTERS.join(', ')}; a legal guardian, parent or legally authorised representative is guardian)`, [...path, 'by', i], s ? { hint: `did you mean "${s}"?` } : {});
      });
    }
  } else if ('atLeast' in r) {
    const of = r.of as RuleNode[];
    if ((r.atLeast as number) > of.length) c.at('criteria/invalid-value', `atLeast ${String(r.atLeast)} of ${of.length} rules can never pass`, [...path, 'atLeast']);
    of.forEach((ch, i) => checkRule(c, ch, [...path, 'of', i], defs, local, anchors));
  }
}

/**
 * change: a vocabulary measurement with a unit; at least one bound; a bound in % is relative (a
 * measurement in % must say relative: true or false); any other unit is an absolute change and must be
 * commensurable with the measurement; a baseline anchor is declared and its window readable.
 */
function checkChange(c: Collector, r: Record<string, unknown>, path: PathSeg[], anchors: readonly string[]): void {
  const code = r.change as string;
  const entry = lookup('measurement', code);
  if (!entry) {
    const s = suggest(code, conceptNames('measurement'));
    c.at('criteria/unknown-code', `change: "${code}" is not a measurement concept in the vocabulary`, [...path, 'change'], s ? { hint: `did you mean "${s}"?` } : {});
  } else if (!entry.unit) {
    c.at('criteria/invalid-value', `change compares numbers in one unit: ${entry.display} has no canonical unit (qualitative or per assay)`, [...path, 'change']);
  }
  const keys = ['min', 'max', 'above', 'below'].filter((k) => r[k] !== undefined);
  if (!keys.length) c.at('criteria/missing-key', 'change needs a bound on the change: min, max, above or below (e.g. above: 20 % for "an increase of more than 20 %")', path);
  for (const k of keys) {
    const t = parseThreshold(r[k]);
    if (!t || !isQuantity(t)) {
      c.at('criteria/invalid-threshold', `a change is bounded by a percentage (20 %) or a quantity in the measurement's unit (0.3 mg/dL), got ${JSON.stringify(r[k])}`, [...path, k]);
      continue;
    }
    const unit = normaliseUnit(t.unit);
    if (unit === '%' && entry?.unit === '%' && r.relative === undefined) {
      c.at('criteria/invalid-value', `${entry.display} is measured in %: say whether ${String(r[k])} is a relative change (relative: true) or percentage points (relative: false)`, [...path, k]);
    } else if (r.relative === true && unit !== '%') {
      c.at('criteria/incompatible-unit', `relative: true compares the change in % of the baseline; "${String(r[k])}" is not a percentage`, [...path, k]);
    } else if (unit !== '%' || r.relative === false) {
      const problem = entry ? unitCheck(entry.id, t.unit) : undefined;
      if (problem) c.at('criteria/incompatible-unit', problem, [...path, k]);
    }
  }
  const b = r.baseline;
  if (isPlainObject(b)) {
    if (typeof b.anchor === 'string' && !anchors.includes(b.anchor)) {
      const s = suggest(b.anchor, anchors);
      c.at('criteria/unknown-anchor', `no anchor named "${b.anchor}"${anchors.length ? ` (anchors: ${anchors.join(', ')})` : '; declare it under anchors:'}`, [...path, 'baseline', 'anchor'], s ? { hint: `did you mean "${s}"?` } : {});
    }
    if (b.within !== undefined && !parseDuration(b.within)) c.at('criteria/invalid-duration', `cannot read duration "${String(b.within)}" (use e.g. 28 d, 4 wk, 3 mo, 1 a)`, [...path, 'baseline', 'within']);
  }
}

/** Anchors: exactly one source each, occurrence only for events, names the vocabulary (or the file) knows. */
function checkAnchors(c: Collector, anchors: Record<string, AnchorDefNode>, local: LocalConcepts): string[] {
  for (const [name, def] of Object.entries(anchors)) {
    const path: PathSeg[] = ['anchors', name];
    const sources = ANCHOR_SOURCES.filter((k) => def[k] !== undefined);
    if (sources.length !== 1) {
      c.at('criteria/invalid-anchor', sources.length ? `an anchor is one event, found ${sources.join(' and ')}` : `an anchor names its event: one of ${ANCHOR_SOURCES.join(', ')}`, path, { key: true });
      continue;
    }
    if (def.given && def.occurrence) c.at('criteria/invalid-anchor', 'occurrence applies to events in the record, not to a given date', [...path, 'occurrence']);
    const check = (domain: 'procedure' | 'condition' | 'drug', key: 'procedure' | 'condition' | 'medication') => {
      const v = def[key];
      if (v === undefined) return;
      const names = Array.isArray(v) ? v : [v];
      names.forEach((n, i) => {
        const p = Array.isArray(v) ? [...path, key, i] : [...path, key];
        if (codedTermOk(c, n, p) || lookup(domain, n) || (domain !== 'procedure' && localLookup(local, domain, n)) || (domain !== 'drug' && /^[a-z][a-z0-9-]*:\S/i.test(n))) return;
        const s = suggest(n, conceptNames(domain));
        c.at('criteria/unknown-code', `${key} "${n}" is not in the vocabulary`, p, s ? { hint: `did you mean "${s}"?` } : {});
      });
    };
    check('procedure', 'procedure');
    check('condition', 'condition');
    check('drug', 'medication');
  }
  return Object.keys(anchors);
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
export function loadCriteria(file: string, text: string, opts: LoadOptions = {}): LoadResult {
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
  checkLocalConcepts(c, doc.concepts ?? []);
  const imported = readImports(c, file, doc, opts.imports ?? {});
  const local = localConcepts(doc.concepts);
  const anchors = checkAnchors(c, doc.anchors ?? {}, local);
  for (const kind of ['inclusion', 'exclusion'] as const) {
    doc[kind].forEach((crit, i) => {
      checkRule(c, crit.rule, [kind, i, 'rule'], defs, local, anchors);
      if (crit.when) checkRule(c, crit.when, [kind, i, 'when'], defs, local, anchors);
    });
  }
  for (const [name, rule] of Object.entries(defs)) checkRule(c, rule, ['definitions', name], defs, local, anchors);
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
      if (!t || !isQuantity(t)) c.at('criteria/invalid-threshold', `fallback ULN ${JSON.stringify(item)} must be a quantity`, ['defaults', 'uln', code]);
      else if (entry) {
        const problem = unitCheck(entry.id, t.unit);
        if (problem) c.at('criteria/incompatible-unit', problem, ['defaults', 'uln', code]);
      }
    }
  }
  for (const drug of Object.keys(doc.defaults?.glucocorticoidEquivalence ?? {})) {
    const e = resolve('drug', drug);
    if (!e || !entryById('drug', e.id)?.ancestors.includes('glucocorticoid')) {
      c.at('criteria/unknown-code', `"${drug}" is not a glucocorticoid in the vocabulary`, ['defaults', 'glucocorticoidEquivalence', drug], { key: true });
    }
  }
  if (doc.inclusion.length + doc.exclusion.length === 0) c.at('criteria/empty', 'the file has no inclusion or exclusion criteria', []);
  if (c.out.length) return { diagnostics: dedupe(c.out) };
  return { criteria: { doc, sha256: sha256(text), file, text, imports: imported.stamp, importTexts: imported.texts }, diagnostics: imported.warnings };
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
