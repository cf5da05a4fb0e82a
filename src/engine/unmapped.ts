/**
 * Nothing recognised silently: the record entries that map to no concept and to nothing the
 * criteria name, per patient, and the `defaults.unmapped` policy (warn | unknown | error).
 *
 * - measurements, medications, conditions: no vocabulary concept (record.ts lists them), and no
 *   code the criteria name directly (`loinc:4548-4`, `atc:A10A*`, `icd10:E11*`) matches them;
 * - findings and attestations (elig's open vocabularies): codes neither a rule names, nor a score
 *   the criteria use reads (`sledai-2k/…`), nor the childbearing-potential fact reads, nor a concept.
 *
 * Policy `unknown`: an exclusion whose rules read a domain with unmapped entries cannot pass (the
 * patient might have the excluding thing under a name elig does not know); it becomes unknown, with
 * the entries named in `missing`. Policy `error`: the record is an `error` result.
 */
import type { CriteriaDoc, RuleNode, UnmappedPolicyName } from '../language/schema.js';
import type { CriterionResult, MissingItem, UnmappedDomain, UnmappedEntry } from '../model.js';
import { foldFreeCode, measurementKey, type PatientView } from '../record.js';
import { codeMatches, criteriaTerm, lookup, type CriteriaTerm } from '../vocabulary/index.js';
import { localConcepts, localMatcher, matchesLocal, type LocalMatcher } from '../vocabulary/local.js';
import { domainOf } from '../vocabulary/kinds.js';
import { CHILDBEARING_FINDINGS, STERILE } from './operators/fact.js';
import { missing, reason } from './reasons.js';

type CodeTerm = Extract<CriteriaTerm, { kind: 'code' }>;

export interface CriteriaTerms {
  measurements: Set<string>;
  codes: { medication: CodeTerm[]; condition: CodeTerm[]; procedure: CodeTerm[] };
  free: { condition: Set<string>; procedure: Set<string> };
  findings: Set<string>;
  findingPrefixes: string[];
  attestations: Set<string>;
  /** The file's own concepts (concepts:), by record domain. */
  local: { medication: LocalMatcher[]; condition: LocalMatcher[] };
  /** The new domains' terms: criteria codes (matched exactly or with descendants) and free names. */
  other: Record<OtherDomain, { codes: CodeTerm[]; free: Set<string> }>;
  /** Per exclusion criterion id: the record domains its rules (and the definitions they refer to) read. */
  exclusionDomains: Map<string, Set<UnmappedDomain>>;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : [v as string]);

type OtherDomain = 'device' | 'allergy' | 'family-history' | 'substance-use';
/** Rule head → record domain and the vocabulary domain its names are looked up in. */
const OTHER_HEADS: readonly { head: string; domain: OtherDomain; vocabulary: 'device' | 'drug' | 'condition' | 'substance' }[] = [
  { head: 'device', domain: 'device', vocabulary: 'device' },
  { head: 'allergy', domain: 'allergy', vocabulary: 'drug' },
  { head: 'familyHistory', domain: 'family-history', vocabulary: 'condition' },
  { head: 'substanceUse', domain: 'substance-use', vocabulary: 'substance' },
];

/** The terms a criteria document names, for telling a record's unmapped entries from those a rule reads by code. */
export function collectTerms(doc: CriteriaDoc): CriteriaTerms {
  const t: CriteriaTerms = {
    measurements: new Set(), codes: { medication: [], condition: [], procedure: [] }, free: { condition: new Set(), procedure: new Set() },
    findings: new Set(), findingPrefixes: [], attestations: new Set(), exclusionDomains: new Map(), local: { medication: [], condition: [] },
    other: {
      device: { codes: [], free: new Set() }, allergy: { codes: [], free: new Set() },
      'family-history': { codes: [], free: new Set() }, 'substance-use': { codes: [], free: new Set() },
    },
  };
  const local = localConcepts(doc.concepts);
  for (const c of local.list) (domainOf(c.kind) === 'drug' ? t.local.medication : t.local.condition).push(localMatcher(local, c));
  const defs = doc.definitions ?? {};
  const visit = (rule: RuleNode, domains: Set<UnmappedDomain>, seen: Set<string>): void => {
    const r = rule as Record<string, unknown>;
    if (Array.isArray(r.all) || Array.isArray(r.any) || Array.isArray(r.of)) {
      for (const c of (r.all ?? r.any ?? r.of) as RuleNode[]) visit(c, domains, seen);
    } else if (r.not !== undefined) visit(r.not as RuleNode, domains, seen);
    else if (r.count !== undefined && typeof r.count === 'object') visit(r.count as RuleNode, domains, seen);
    else if (typeof r.ref === 'string') {
      if (!seen.has(r.ref) && defs[r.ref]) {
        seen.add(r.ref);
        visit(defs[r.ref]!, domains, seen);
      }
    } else if (typeof r.change === 'string') {
      domains.add('measurement'); // a vocabulary concept (checked at load): no code to collect
    } else if (typeof r.measurement === 'string') {
      domains.add('measurement');
      if (!lookup('measurement', r.measurement)) t.measurements.add(measurementKey(r.measurement));
    } else if (r.medication !== undefined) {
      domains.add('medication');
      for (const n of list(r.medication)) {
        const term = criteriaTerm('drug', n);
        if (term.kind === 'code') t.codes.medication.push(term);
      }
    } else if (r.condition !== undefined || r.procedure !== undefined) {
      const domain = r.condition !== undefined ? 'condition' : 'procedure';
      domains.add(domain);
      for (const n of list(r[domain])) {
        const term = criteriaTerm(domain, n);
        if (term.kind === 'code') t.codes[domain].push(term);
        else if (term.kind === 'unknown') t.free[domain].add(foldFreeCode(n));
      }
    } else if (OTHER_HEADS.some((h) => r[h.head] !== undefined)) {
      const h = OTHER_HEADS.find((x) => r[x.head] !== undefined)!;
      domains.add(h.domain);
      for (const n of list(r[h.head])) {
        const term = criteriaTerm(h.vocabulary, n);
        if (term.kind === 'code') t.other[h.domain].codes.push(term);
        else if (term.kind === 'unknown') t.other[h.domain].free.add(foldFreeCode(n));
      }
    } else if (typeof r.finding === 'string') {
      domains.add('finding');
      t.findings.add(foldFreeCode(r.finding));
    } else if (typeof r.attestation === 'string') {
      domains.add('attestation');
      t.attestations.add(foldFreeCode(r.attestation));
    } else if (typeof r.score === 'string') {
      domains.add('finding');
      domains.add('measurement');
      t.findingPrefixes.push(`${r.score}/`);
      t.findings.add(r.score);
    } else if (r.fact === 'childbearing-potential') {
      domains.add('finding');
      for (const s of [...STERILE, ...CHILDBEARING_FINDINGS]) t.findings.add(s);
    }
  };
  for (const kind of ['inclusion', 'exclusion'] as const) {
    for (const c of doc[kind]) {
      const domains = new Set<UnmappedDomain>();
      visit(c.rule, domains, new Set());
      if (c.when) visit(c.when, kind === 'exclusion' ? domains : new Set(), new Set());
      if (kind === 'exclusion') t.exclusionDomains.set(c.id, domains);
    }
  }
  for (const rule of Object.values(defs)) visit(rule, new Set(), new Set());
  // anchors read their events like rules do (consent, a drug's last dose, a diagnosis' onset)
  for (const a of Object.values(doc.anchors ?? {})) {
    if (a.attestation) visit({ attestation: a.attestation }, new Set(), new Set());
    if (a.medication) visit({ medication: a.medication }, new Set(), new Set());
    if (a.condition) visit({ condition: a.condition }, new Set(), new Set());
    if (a.procedure) visit({ procedure: a.procedure }, new Set(), new Set());
  }
  return t;
}

/** The patient's unmapped entries: one per distinct (domain, code, name), with its first source and count. */
export function unmappedOf(view: PatientView, terms: CriteriaTerms): UnmappedEntry[] {
  const raw: UnmappedEntry[] = [];
  for (const u of view.unmapped) {
    if (u.domain === 'measurement' && terms.measurements.has(measurementKey(u.code))) continue;
    if (u.domain === 'medication' && (terms.codes.medication.some((t) => codeMatches(t, u.code)) || terms.local.medication.some((l) => matchesLocal(l, u.code, u.name)))) continue;
    if (u.domain === 'condition' && (terms.codes.condition.some((t) => codeMatches(t, u.code)) || terms.free.condition.has(foldFreeCode(u.code)) || terms.local.condition.some((l) => matchesLocal(l, u.code, u.name)))) continue;
    if (u.domain === 'procedure' && (terms.codes.procedure.some((t) => codeMatches(t, u.code)) || terms.free.procedure.has(foldFreeCode(u.code)) || (u.name !== undefined && terms.free.procedure.has(foldFreeCode(u.name))))) continue;
    if (isOtherDomain(u.domain) && u.name !== 'relationship') {
      const o = terms.other[u.domain];
      if (o.codes.some((t) => codeMatches(t, u.code)) || o.free.has(foldFreeCode(u.code)) || (u.name !== undefined && o.free.has(foldFreeCode(u.name)))) continue;
      const local = u.domain === 'allergy' ? terms.local.medication : u.domain === 'family-history' ? terms.local.condition : [];
      if (local.some((l) => matchesLocal(l, u.code, u.name))) continue;
    }
    raw.push(u);
  }
  for (const [code, items] of view.findings) {
    if (terms.findings.has(code) || terms.findingPrefixes.some((p) => code.startsWith(p)) || lookup('finding', code)) continue;
    for (const f of items) raw.push({ domain: 'finding', code, source: f.path });
  }
  for (const [code, items] of view.attestations) {
    if (terms.attestations.has(code) || lookup('attestation', code)) continue;
    for (const a of items) raw.push({ domain: 'attestation', code, source: a.path });
  }
  if (raw.length < 2) return raw;
  const byKey = new Map<string, UnmappedEntry>();
  for (const u of raw) {
    const key = `${u.domain}\u0000${u.code}\u0000${u.name ?? ''}`;
    const prev = byKey.get(key);
    if (prev) prev.count = (prev.count ?? 1) + 1;
    else byKey.set(key, { ...u });
  }
  return [...byKey.values()];
}

function isOtherDomain(d: UnmappedDomain): d is OtherDomain {
  return d === 'device' || d === 'allergy' || d === 'family-history' || d === 'substance-use';
}

/** `unknown` policy: an exclusion over a domain with unmapped entries cannot pass. */
export function applyUnknownPolicy(criteria: CriterionResult[], unmapped: readonly UnmappedEntry[], terms: CriteriaTerms): void {
  if (!unmapped.length) return;
  criteria.forEach((c, i) => {
    if (c.kind !== 'exclusion' || c.status !== 'pass') return;
    const domains = terms.exclusionDomains.get(c.id);
    const hits = unmapped.filter((u) => domains?.has(u.domain));
    if (!hits.length) return;
    const miss: MissingItem[] = hits.map((u) => missing(`unmapped:${u.domain}:${u.code}`, `what ${u.domain} ${describeEntry(u)} is (${u.source}): it maps to no concept`));
    criteria[i] = {
      ...c,
      status: 'unknown',
      reasons: [reason('unmapped', 'unknown', { subject: `${hits.length} unmapped ${hits.length === 1 ? 'entry' : 'entries'}`, detail: ` (${hits.map(describeEntry).join(', ')}) might meet this exclusion (policy unmapped: unknown)` }), ...c.reasons],
      missing: miss,
    };
  });
}

export function describeEntry(u: UnmappedEntry): string {
  return `"${u.code}"${u.name ? ` (${u.name})` : ''}`;
}

export type { UnmappedPolicyName };
