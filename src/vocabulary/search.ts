/**
 * Finding concepts: `elig vocabulary search <text|code>` and `elig vocabulary show <id>`. Pure:
 * the CLI prints what these return.
 */
import { conceptById, conceptIdsOf, foldKey, membersOf, VOCABULARY, type VocabularyEntry } from './index.js';
import { parseCode } from './codes.js';
import { suggest } from '../language/collector.js';
import { domainOf } from './kinds.js';

export interface SearchHit {
  id: string;
  kind: string;
  display: string;
  /** What matched: the id, the display name, a synonym or a code (and how). */
  matched: string;
}

/**
 * Concepts whose id, display name, synonyms or codes contain the text (folded), best first: exact
 * matches, then prefixes, then substrings. A coded form also finds the concepts a record coded so
 * would mean (through declared descendants and groups).
 */
export function searchVocabulary(text: string, limit = 50): SearchHit[] {
  const q = foldKey(text);
  if (!q) return [];
  const scored: { hit: SearchHit; score: number }[] = [];
  const seen = new Set<string>();
  const coded = parseCode(text);
  if (coded && !coded.problem) {
    for (const domain of ['measurement', 'drug', 'condition'] as const) {
      for (const id of conceptIdsOf(domain, text, undefined)) {
        const e = conceptById(id)!;
        if (seen.has(id)) continue;
        seen.add(id);
        const exact = (e.codes ?? []).some((c) => foldKey(c) === q);
        scored.push({ hit: { id, kind: e.kind, display: e.display, matched: exact ? `code ${text}` : `a record coded ${text} means it (descendants or group)` }, score: exact ? 0 : 1 });
      }
    }
  }
  for (const e of VOCABULARY) {
    if (seen.has(e.id)) continue;
    let best: { score: number; matched: string } | undefined;
    const consider = (value: string, what: string) => {
      const f = foldKey(value);
      const score = f === q ? 2 : f.startsWith(q) ? 3 : f.includes(q) ? 4 : undefined;
      if (score !== undefined && (!best || score < best.score)) best = { score, matched: `${what} ${value}` };
    };
    consider(e.id, 'id');
    consider(e.display, 'name');
    for (const s of e.synonyms ?? []) consider(s, 'synonym');
    for (const c of [...(e.codes ?? []), ...(e.descendants ?? [])]) consider(c, 'code');
    if (best) scored.push({ hit: { id: e.id, kind: e.kind, display: e.display, matched: best.matched }, score: best.score });
  }
  scored.sort((a, b) => a.score - b.score || (a.hit.id < b.hit.id ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.hit);
}

export interface ConceptView extends VocabularyEntry {
  /** Concepts below it (members, their members, …), for a group. */
  members: string[];
}

/** A concept with its groups and members, or undefined. */
export function showConcept(id: string): ConceptView | undefined {
  const e = conceptById(id) ?? VOCABULARY.find((x) => foldKey(x.display) === foldKey(id) || (x.synonyms ?? []).some((s) => foldKey(s) === foldKey(id)));
  if (!e) return undefined;
  return { ...e, members: membersOf(e.id).slice(1).filter((m) => domainOf(conceptById(m)!.kind) === domainOf(e.kind)) };
}

/** Human-readable lines for `vocabulary show`. */
export function formatConcept(c: ConceptView): string {
  const lines = [`${c.id}  (${c.kind})  ${c.display}`];
  const row = (label: string, v: readonly string[] | string | number | undefined) => {
    if (v === undefined || (Array.isArray(v) && !v.length)) return;
    lines.push(`  ${label.padEnd(12)} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  };
  row('description', c.description);
  row('codes', c.codes);
  row('descendants', c.descendants?.map((d) => `${d}*`));
  row('exclude', c.exclude);
  row('synonyms', c.synonyms);
  row('groups', c.ancestors);
  row('members', c.members);
  row('unit', c.unit);
  if (c.plausible) row('plausible', `${c.plausible.min}–${c.plausible.max}${c.unit ? ` ${c.unit}` : ''}`);
  row('molar mass', c.molarMass !== undefined ? `${c.molarMass} g/mol` : undefined);
  row('values', c.values ?? (c.qualitative ? ['qualitative (text results)'] : undefined));
  row('calculator', c.calculator);
  row('unverified', c.unverified);
  row('source', c.source);
  return `${lines.join('\n')}\n`;
}

/** The concept id closest to a misspelt one, if any is close. */
export function suggestConcept(text: string): string | undefined {
  return suggest(text, VOCABULARY.map((e) => e.id));
}
