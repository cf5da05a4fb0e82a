/**
 * Concepts a criteria file defines for itself (`concepts:`): condition, drug and vaccine concept
 * sets — codes matched exactly, ICD-10/ATC descendants where declared, names and synonyms — that
 * rules name by id like built-in concepts. A local concept may name a built-in group as its parent
 * (a local CAR-T product under `car-t`), and local concepts may be members of each other.
 *
 * They are matched in the engine against the record's codes and names (records are normalised
 * without the criteria), so they never change what another criteria file reads. Pure.
 */
import { codeMatches, conceptById, foldKey, recordCodeKey, type CriteriaTerm } from './index.js';
import { parseCode } from './codes.js';
import { domainOf, type Domain } from './kinds.js';
import type { Concept } from './schema.js';

type CodeTerm = Extract<CriteriaTerm, { kind: 'code' }>;

export interface LocalConcepts {
  list: readonly Concept[];
  byKey: Map<string, Concept>;
}

/** What a local concept (and its local members) matches. */
export interface LocalMatcher {
  id: string;
  codes: CodeTerm[];
  exclude: CodeTerm[];
  names: Set<string>;
}

const cache = new WeakMap<readonly Concept[], LocalConcepts>();
const EMPTY: LocalConcepts = { list: [], byKey: new Map() };

export function localConcepts(concepts: readonly Concept[] | undefined): LocalConcepts {
  if (!concepts?.length) return EMPTY;
  let c = cache.get(concepts);
  if (!c) {
    const byKey = new Map<string, Concept>();
    for (const e of concepts) {
      const d = domainOf(e.kind);
      for (const k of [...(e.codes ?? []), e.id, e.display, ...(e.synonyms ?? [])]) {
        const key = `${d}|${foldKey(k)}`;
        if (!byKey.has(key)) byKey.set(key, e);
      }
    }
    cache.set(concepts, (c = { list: concepts, byKey }));
  }
  return c;
}

export function localLookup(local: LocalConcepts, domain: Domain, text: string): Concept | undefined {
  return local.list.length ? local.byKey.get(`${domain}|${foldKey(text)}`) : undefined;
}

function term(code: string, descendants: boolean): CodeTerm | undefined {
  const p = parseCode(code);
  if (!p) return undefined;
  return { kind: 'code', system: p.parsed.system, code: p.parsed.code, descendants, key: `${p.parsed.system}:${p.parsed.code}` };
}

/** The local concepts below a concept (local or built-in), transitively. */
function localMembers(local: LocalConcepts, id: string): Concept[] {
  const out: Concept[] = [];
  const ids = [id];
  for (let i = 0; i < ids.length; i++) {
    for (const e of local.list) {
      if ((e.parents ?? []).includes(ids[i]!) && !ids.includes(e.id)) {
        ids.push(e.id);
        out.push(e);
      }
    }
  }
  return out;
}

/** A matcher for a local concept and its local members. */
export function localMatcher(local: LocalConcepts, concept: Concept): LocalMatcher {
  return matcherOf(concept.id, [concept, ...localMembers(local, concept.id)]);
}

/** Matchers for the local concepts a built-in concept (a group) has as members; empty when none. */
export function localMembersOfBuiltin(local: LocalConcepts, builtinId: string): LocalMatcher[] {
  const out: LocalMatcher[] = [];
  for (const e of local.list) {
    const ancestors = new Set<string>();
    const walk = (ids: readonly string[]) => {
      for (const p of ids) {
        if (ancestors.has(p)) continue;
        ancestors.add(p);
        walk(local.list.find((x) => x.id === p)?.parents ?? conceptById(p)?.ancestors ?? []);
      }
    };
    walk(e.parents ?? []);
    if (ancestors.has(builtinId)) out.push(matcherOf(e.id, [e]));
  }
  return out;
}

function matcherOf(id: string, concepts: readonly Concept[]): LocalMatcher {
  const m: LocalMatcher = { id, codes: [], exclude: [], names: new Set() };
  for (const c of concepts) {
    for (const code of c.codes ?? []) {
      const t = term(code, false);
      if (t) m.codes.push(t);
    }
    for (const code of c.descendants ?? []) {
      const t = term(code, true);
      if (t) m.codes.push(t);
    }
    for (const code of c.exclude ?? []) {
      const t = term(code, true);
      if (t) m.exclude.push(t);
    }
    for (const n of [c.id, c.display, ...(c.synonyms ?? [])]) m.names.add(foldKey(n));
  }
  return m;
}

/** Whether a record entry (its code and/or name) is the local concept. */
export function matchesLocal(m: LocalMatcher, code: string | undefined, name: string | undefined): boolean {
  if (code !== undefined && recordCodeKey(code)) {
    if (m.exclude.some((t) => codeMatches(t, code))) return false;
    if (m.codes.some((t) => codeMatches(t, code))) return true;
  }
  return (name !== undefined && m.names.has(foldKey(name))) || (code !== undefined && m.names.has(foldKey(code)));
}

/**
 * Whether a record entry the built-in vocabulary maps to one of `conceptIds` is the local concept through
 * that concept as a whole: a course recorded only as "metformin" maps to the built-in metformin, whose
 * ATC code A10BA02 lies under a local set `descendants: [atc:A10]`; an entry "type 2 diabetes" (SNOMED
 * CT) maps to the built-in concept whose ICD-10 set E11 lies under a local `descendants: [icd10:E11]`.
 * Sound only when the whole concept is inside the set: every code (and descendant root) it has in the
 * systems the set names lies inside and none is excluded, and it has at least one such code. A broader
 * built-in concept (pancreatitis K85, K86.0, K86.1 against a local K85 + K86.0) is not covered.
 */
export function matchesLocalByConcept(m: LocalMatcher, conceptIds: readonly string[]): boolean {
  if (!m.codes.length) return false;
  const systems = new Set(m.codes.map((t) => t.system));
  for (const id of conceptIds) {
    const c = conceptById(id);
    const inSet = (code: string) => {
      const k = recordCodeKey(code);
      return k !== undefined && systems.has(k.system);
    };
    const exact = (c?.codes ?? []).filter(inSet);
    const roots = (c?.descendants ?? []).filter(inSet); // a root stands for its whole subtree: only a descendants term holds it
    if (!exact.length && !roots.length) continue;
    if ([...exact, ...roots].some((code) => m.exclude.some((t) => codeMatches(t, code)))) continue;
    if (exact.every((code) => m.codes.some((t) => codeMatches(t, code)))
      && roots.every((code) => m.codes.some((t) => t.descendants && codeMatches(t, code)))) return true;
  }
  return false;
}
