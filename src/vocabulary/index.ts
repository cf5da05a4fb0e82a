/**
 * Access to the built-in vocabulary. The concepts are data (vocabulary/*.yaml), validated and
 * compiled by the build into ./builtin.gen.ts (scripts/vocabulary.mjs); this module indexes them once.
 *
 * Two ways to look a text up, on purpose:
 * - `lookup` (criteria): an id, display name, synonym or one of a concept's exact codes. A code that
 *   is not exactly a concept's code is NOT widened to the concept whose descendants cover it, so
 *   `condition: icd10:C78.7` never means "any malignancy".
 * - `resolve` / `conceptsOf` (records): as lookup, then structural descendants declared by concepts
 *   (`descendants: [icd10:M32]` makes a record's icd10:M32.14 mean SLE), then drug names with
 *   strength and form ("prednisone 5 mg oral tablet").
 */
import { memoString } from '../memo.js';
import { BUILTIN } from './builtin.gen.js';
import { codeKey, isStructural, isStructuralDescendant, parseCode, SYSTEM_URIS, systemOf } from './codes.js';
import { domainOf, type Domain } from './kinds.js';
import type { Concept, VocabularyData } from './schema.js';
import { own } from '../own.js';

export type VocabularyKind = Domain;

export interface VocabularyEntry extends Concept {
  /** Every group above this concept (parents, their parents, …). */
  readonly ancestors: readonly string[];
}

interface Index {
  byKey: Map<string, VocabularyEntry>;
  byDomainId: Map<string, Map<string, VocabularyEntry>>;
  /** Structural descendant rules, per system. */
  descendants: Map<string, { ancestor: string; entry: VocabularyEntry }[]>;
  /** group id → direct members */
  members: Map<string, VocabularyEntry[]>;
  entries: VocabularyEntry[];
}

/** Fold a free-text name or code for lookup: lower-case, NFKC, zero-width characters removed, spaces folded. */
export function foldKey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();
}

function buildIndex(data: VocabularyData): Index {
  const raw = new Map(data.concepts.map((c) => [c.id, c]));
  const ancestorsOf = (id: string, seen = new Set<string>()): string[] => {
    for (const p of raw.get(id)?.parents ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      ancestorsOf(p, seen);
    }
    return [...seen];
  };
  const entries: VocabularyEntry[] = data.concepts.map((c) => Object.freeze({ ...c, ancestors: Object.freeze(ancestorsOf(c.id)) }));
  const byKey = new Map<string, VocabularyEntry>();
  const byDomainId = new Map<string, Map<string, VocabularyEntry>>();
  const descendants = new Map<string, { ancestor: string; entry: VocabularyEntry }[]>();
  const members = new Map<string, VocabularyEntry[]>();
  // codes first, then ids, display names and synonyms: a code always wins over a name
  for (const e of entries) {
    const d = domainOf(e.kind);
    for (const k of e.codes ?? []) {
      const key = `${d}|${foldKey(k)}`;
      if (!byKey.has(key)) byKey.set(key, e);
    }
  }
  for (const e of entries) {
    const d = domainOf(e.kind);
    let ids = byDomainId.get(d);
    if (!ids) byDomainId.set(d, (ids = new Map()));
    ids.set(e.id, e);
    for (const k of [e.id, e.display, ...(e.synonyms ?? [])]) {
      const key = `${d}|${foldKey(k)}`;
      if (!byKey.has(key)) byKey.set(key, e);
    }
    for (const code of e.descendants ?? []) {
      const colon = code.indexOf(':');
      const sys = code.slice(0, colon);
      let list = descendants.get(sys);
      if (!list) descendants.set(sys, (list = []));
      list.push({ ancestor: code.slice(colon + 1), entry: e });
    }
    for (const p of e.parents ?? []) {
      let list = members.get(p);
      if (!list) members.set(p, (list = []));
      list.push(e);
    }
  }
  // most specific rule first
  for (const list of descendants.values()) list.sort((a, b) => b.ancestor.length - a.ancestor.length);
  return { byKey, byDomainId, descendants, members, entries };
}

const INDEX = buildIndex(BUILTIN);

/** Every concept of the built-in vocabulary, with its ancestors. */
export const VOCABULARY: readonly VocabularyEntry[] = INDEX.entries;

/** The built-in vocabulary's version and sha256 (the report stamp names them). */
export const VOCABULARY_STAMP: { readonly version: string; readonly sha256: string } = Object.freeze({ version: BUILTIN.version, sha256: BUILTIN.sha256 });

/** Normalise coded forms: `LOINC:1920-8`, `http://loinc.org|1920-8` → `loinc:1920-8`. */
export function canonicalCodeKey(system: string, code: string): string {
  const sys = own(SYSTEM_URIS, system) ?? systemOf(system);
  return sys ? codeKey(sys, code.trim()) : `${system.toLowerCase().replace(/[-_ ]/g, '')}:${code.trim()}`;
}

function foldCoded(s: string): string {
  const bar = s.indexOf('|');
  if (bar > 0 && s.startsWith('http')) return foldKey(canonicalCodeKey(s.slice(0, bar), s.slice(bar + 1)));
  const colon = s.indexOf(':');
  if (colon > 0) {
    const sys = systemOf(s.slice(0, colon));
    if (sys) return foldKey(`${sys}:${s.slice(colon + 1)}`);
    return foldKey(`${s.slice(0, colon).toLowerCase().replace(/[-_ ]/g, '')}:${s.slice(colon + 1)}`);
  }
  return foldKey(s);
}

/**
 * Criteria lookup: an id, display name, synonym or exact code of a concept of this domain; a code
 * is never widened to the concept whose descendants cover it.
 */
export function lookup(kind: VocabularyKind, nameOrCode: string): VocabularyEntry | undefined {
  return INDEX.byKey.get(`${kind}|${foldCoded(nameOrCode)}`);
}

/** Record lookup: `lookup`, then structural descendants, then drug names with strength and form (memoised per kind). */
export function resolve(kind: VocabularyKind, nameOrCode: string): VocabularyEntry | undefined {
  let r = RESOLVERS.get(kind);
  if (!r) RESOLVERS.set(kind, (r = memoString((s) => resolveUncached(kind, s))));
  return r(nameOrCode);
}

const RESOLVERS = new Map<VocabularyKind, (s: string) => VocabularyEntry | undefined>();

/** The concepts whose declared descendants cover a structural code (most specific first), minus their exclusions. */
function coveringConcepts(kind: VocabularyKind, text: string): VocabularyEntry[] {
  const p = parseCode(text);
  if (!p || p.parsed.descendants || !isStructural(p.parsed.system)) return [];
  const { system, code } = p.parsed;
  const out: VocabularyEntry[] = [];
  for (const { ancestor, entry } of INDEX.descendants.get(system) ?? []) {
    if (domainOf(entry.kind) !== kind || out.includes(entry)) continue;
    if (!isStructuralDescendant(code, ancestor)) continue;
    const excluded = (entry.exclude ?? []).some((x) => x.startsWith(`${system}:`) && isStructuralDescendant(code, x.slice(system.length + 1)));
    if (!excluded) out.push(entry);
  }
  return out;
}

function resolveUncached(kind: VocabularyKind, nameOrCode: string): VocabularyEntry | undefined {
  const hit = lookup(kind, nameOrCode);
  if (hit) return hit;
  const covering = coveringConcepts(kind, nameOrCode);
  if (covering.length) return covering[0];
  if (kind === 'drug') {
    // Drug names in exports often carry strength and form: "prednisone 5 mg oral tablet".
    const f = foldKey(nameOrCode);
    const words = f.split(/[\s(,/]+/);
    const first = words[0];
    if (first && first !== f) {
      const h = INDEX.byKey.get(`drug|${first}`);
      if (h) return h;
      const h2 = INDEX.byKey.get(`drug|${words.slice(0, 2).join(' ')}`);
      if (h2) return h2;
    }
  }
  return undefined;
}

/**
 * Every concept a record entry means: the concept it resolves to, every concept whose declared
 * descendants cover its code, and all their groups (ancestors). Empty when it maps to nothing.
 */
export function conceptIdsOf(kind: VocabularyKind, code: string | undefined, name: string | undefined): string[] {
  const out = new Set<string>();
  const add = (e: VocabularyEntry | undefined) => {
    if (!e || out.has(e.id)) return;
    out.add(e.id);
    for (const a of e.ancestors) out.add(a);
  };
  if (code !== undefined) {
    add(resolve(kind, code));
    for (const e of coveringConcepts(kind, code)) add(e);
  }
  if (name !== undefined) add(resolve(kind, name));
  return [...out];
}

export function entryById(kind: VocabularyKind, id: string): VocabularyEntry | undefined {
  return INDEX.byDomainId.get(kind)?.get(id);
}

/** The concepts above these ids (their ancestors) that are not among them: the broader concepts a record may use for one of them. */
export function broaderThan(kind: VocabularyKind, ids: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) for (const a of entryById(kind, id)?.ancestors ?? []) if (!ids.has(a)) out.add(a);
  return out;
}

/** A record entry's own concepts: its concept ids without those above another of them (a warfarin entry's ids hold its class too). */
export function ownIds(kind: VocabularyKind, ids: readonly string[]): string[] {
  const above = new Set(ids.flatMap((id) => entryById(kind, id)?.ancestors ?? []));
  return ids.filter((id) => !above.has(id));
}

/**
 * What a record entry said to be absent (a drug not taken, a device not used) rules out of a rule's
 * `name`: the entry is that concept or one above it (no insulin pump → no MiniMed 670G; no
 * glucocorticoid → no prednisone), or carries exactly its code. `ids` are the entry's own concepts
 * (`ownIds`); a code with descendants, or a name the vocabulary does not hold, is never covered.
 */
export function absenceCovers(kind: VocabularyKind, name: string): (ids: readonly string[], code: string | undefined) => boolean {
  const t = criteriaTerm(kind, name);
  if (t.kind === 'concept') {
    const at = new Set([t.entry.id, ...t.entry.ancestors]);
    return (ids) => ids.some((id) => at.has(id));
  }
  if (t.kind === 'code' && !t.descendants) return (_ids, code) => code !== undefined && codeMatches(t, code);
  return () => false;
}

/** A concept by id, whatever its kind. */
export function conceptById(id: string): VocabularyEntry | undefined {
  for (const m of INDEX.byDomainId.values()) {
    const e = m.get(id);
    if (e) return e;
  }
  return undefined;
}

/** Whether a drug (or vaccine) concept is a group that other concepts name as a parent. */
export function isDrugClass(name: string): boolean {
  const e = lookup('drug', name);
  return e !== undefined && INDEX.members.has(e.id);
}

/** A group and every concept below it (members, their members, …), the group itself first. */
export function membersOf(id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) {
    for (const m of INDEX.members.get(out[i]!) ?? []) if (!out.includes(m.id)) out.push(m.id);
  }
  return out;
}

/** Class memberships: a class resolves to itself and every drug below it. */
export function drugsOfClass(cls: string): string[] {
  const e = lookup('drug', cls);
  return e ? membersOf(e.id) : [];
}

/** Canonical id for an item of a kind that has no fixed vocabulary (findings, attestations): folded, dash-joined. */
export function canonicalFreeId(code: string): string {
  return foldKey(code).replace(/ /g, '-');
}

/**
 * Topical, inhaled, nasal, ophthalmic, otic and rectal products are not systemic therapy: they do not
 * count as glucocorticoid (or other) exposure (ATC D07, R03BA, S01BA, A07EA are not H02AB: WHO ATC index).
 */
const NON_SYSTEMIC = /\b(topical|cream|ointment|lotion|gel|shampoo|inhaler|inhalation|inhal|inhaled|actuat|nasal|ophthalmic|otic|eye drops?|ear drops?|enema|rectal foam|intra-?articular|cutaneous|transdermal)\b/i;

export function isNonSystemic(name: string | undefined, route: string | undefined): boolean {
  return (name !== undefined && NON_SYSTEMIC.test(name)) || (route !== undefined && NON_SYSTEMIC.test(route));
}

/**
 * What a criteria term means: a concept (by id, name, synonym or one of its exact codes), or a
 * coded form the vocabulary does not hold — matched exactly (`icd10:M32.14` is M32.14 and nothing
 * else), or with its structural descendants only when written so (`icd10:M32.1*`).
 */
export type CriteriaTerm =
  | { kind: 'concept'; entry: VocabularyEntry }
  | { kind: 'code'; system: string; code: string; descendants: boolean; key: string }
  | { kind: 'unknown' };

export function criteriaTerm(domain: VocabularyKind, text: string): CriteriaTerm {
  const p = parseCode(text);
  if (!p?.parsed.descendants) {
    const e = lookup(domain, text);
    if (e) return { kind: 'concept', entry: e };
  }
  if (p) {
    const { system, code, descendants } = p.parsed;
    return { kind: 'code', system, code, descendants, key: codeKey(system, code) };
  }
  return { kind: 'unknown' };
}

/** The canonical `system:code` of a record's code (undefined when it is not a coded form of a known system). */
export function recordCodeKey(text: string): { system: string; code: string } | undefined {
  const bar = text.indexOf('|');
  const t = bar > 0 && text.startsWith('http') ? `${text.slice(0, bar)}:${text.slice(bar + 1)}` : text;
  const colonUri = t.startsWith('http') ? t.lastIndexOf(':') : -1;
  const sys = colonUri > 0 ? own(SYSTEM_URIS, t.slice(0, colonUri)) : undefined;
  const p = sys ? { parsed: { system: sys, code: isStructural(sys) ? t.slice(colonUri + 1).trim().toUpperCase() : t.slice(colonUri + 1).trim() } } : parseCode(t);
  return p ? { system: p.parsed.system, code: p.parsed.code } : undefined;
}

/** Whether a record code is the criteria code (exactly), or one of its descendants when the criteria say `*`. */
export function codeMatches(term: Extract<CriteriaTerm, { kind: 'code' }>, recordCode: string): boolean {
  const r = recordCodeKey(recordCode);
  if (!r || r.system !== term.system) return false;
  return term.descendants ? isStructuralDescendant(r.code, term.code) : r.code === term.code;
}

/** Ids and display names of a domain's concepts (for did-you-mean hints). */
export function conceptNames(domain: VocabularyKind): string[] {
  return [...(INDEX.byDomainId.get(domain)?.values() ?? [])].flatMap((e) => [e.id, e.display]);
}

/** The record code in canonical `system:code` form, or the text as written when it is not a coded form. */
export function recordCodeText(text: string): string {
  const r = recordCodeKey(text);
  return r ? `${r.system}:${r.code}` : text;
}

/** Concepts (of the term's domain) one of whose exact codes the code term matches. */
export function conceptsCoded(term: Extract<CriteriaTerm, { kind: 'code' }>, domain: VocabularyKind = 'drug'): string[] {
  return INDEX.entries.filter((e) => domainOf(e.kind) === domain && (e.codes ?? []).some((c) => codeMatches(term, c))).map((e) => e.id);
}
