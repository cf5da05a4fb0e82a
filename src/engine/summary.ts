/**
 * Aggregates over patient results: verdict counts, per-criterion status counts, the attrition funnel
 * and the worklist. No patient data is kept: memory is O(criteria + distinct missing items), and the
 * missing items are bounded by the criteria file and the vocabulary, never by the number of patients.
 */
import type { CriterionSummary, FunnelStep, PatientResult, ReportSummary, Status, Verdict, WorklistItem, UnmappedDomain } from '../model.js';
import type { CompiledCriteria } from './compile.js';

interface WorkTally {
  criteria: Set<number>;
  patients: number;
  unblocks: number;
}

/**
 * A builder's counts as plain data (numbers and strings: cheap to send between threads). Merging
 * states gives the same report as adding the patients to one builder: every count is a sum and the
 * worklist is fully sorted when built.
 */
export interface SummaryState {
  patients: number;
  /** eligible, ineligible, indeterminate, error. */
  verdicts: number[];
  /** pass, fail, unknown, not_applicable per criterion, protocol order. */
  criteria: number[];
  /** possiblyEligible, surelyEligible per criterion, protocol order. */
  funnel: number[];
  /** item, criteria (protocol indexes), patients, unblocks. */
  work: [string, number[], number, number][];
  /** domain, code, name, patients, entries. */
  unmapped: [string, string, string, number, number][];
}

const VERDICT_ORDER: readonly Verdict[] = ['eligible', 'ineligible', 'indeterminate', 'error'];

export class SummaryBuilder {
  private readonly verdicts: Record<Verdict, number> = { eligible: 0, ineligible: 0, indeterminate: 0, error: 0 };
  private readonly criteria: CriterionSummary[];
  private readonly funnel: FunnelStep[];
  private readonly index = new Map<string, number>();
  private readonly work = new Map<string, WorkTally>();
  /** domain \0 code \0 name → patients, entries (distinct unmapped entries: bounded by what the vocabulary lacks, not by patients). */
  private readonly unmapped = new Map<string, [number, number]>();
  /** Scratch row of statuses in protocol order, reused for every patient. */
  private readonly row: (Status | undefined)[];
  private n = 0;

  constructor(compiled: CompiledCriteria) {
    this.criteria = compiled.criteria.map((c) => ({ id: c.id, kind: c.kind, pass: 0, fail: 0, unknown: 0, not_applicable: 0 }));
    this.funnel = compiled.criteria.map((c) => ({ id: c.id, kind: c.kind, possiblyEligible: 0, surelyEligible: 0 }));
    compiled.criteria.forEach((c, i) => this.index.set(c.id, i));
    this.row = new Array<Status | undefined>(compiled.criteria.length);
  }

  add(p: PatientResult): void {
    this.n++;
    this.verdicts[p.verdict]++;
    for (const u of p.unmapped ?? []) {
      const key = `${u.domain}\u0000${u.code}\u0000${u.name ?? ''}`;
      const t = this.unmapped.get(key);
      if (t) {
        t[0]++;
        t[1] += u.count ?? 1;
      } else this.unmapped.set(key, [1, u.count ?? 1]);
    }
    if (p.verdict === 'error') return;
    this.row.fill(undefined);
    for (const c of p.criteria) {
      const i = this.index.get(c.id);
      if (i === undefined) continue;
      this.criteria[i]![c.status]++;
      this.row[i] = c.status;
    }
    // funnel: walk protocol order until the first fail; a criterion absent from the result counts as undecided
    let sure = true;
    for (let i = 0; i < this.row.length; i++) {
      const s = this.row[i];
      if (s === 'fail') break;
      if (s !== 'pass' && s !== 'not_applicable') sure = false;
      const step = this.funnel[i]!;
      step.possiblyEligible++;
      if (sure) step.surelyEligible++;
    }
    if (p.verdict === 'indeterminate') this.addToWorklist(p);
  }

  private addToWorklist(p: PatientResult): void {
    const items = new Map<string, Set<number>>();
    let everyUnknownNamesData = true;
    for (const c of p.criteria) {
      if (c.status !== 'unknown') continue;
      const i = this.index.get(c.id);
      if (!c.missing?.length) everyUnknownNamesData = false;
      for (const m of c.missing ?? []) {
        let at = items.get(m.item);
        if (!at) items.set(m.item, (at = new Set()));
        if (i !== undefined) at.add(i);
      }
    }
    const only = everyUnknownNamesData && items.size === 1;
    for (const [item, at] of items) {
      let t = this.work.get(item);
      if (!t) this.work.set(item, (t = { criteria: new Set(), patients: 0, unblocks: 0 }));
      t.patients++;
      if (only) t.unblocks++;
      for (const i of at) t.criteria.add(i);
    }
  }

  /** The counts so far, as plain data. */
  state(): SummaryState {
    return {
      patients: this.n,
      verdicts: VERDICT_ORDER.map((v) => this.verdicts[v]),
      criteria: this.criteria.flatMap((c) => [c.pass, c.fail, c.unknown, c.not_applicable]),
      funnel: this.funnel.flatMap((f) => [f.possiblyEligible, f.surelyEligible]),
      work: [...this.work].map(([item, t]) => [item, [...t.criteria], t.patients, t.unblocks]),
      unmapped: [...this.unmapped].map(([key, [patients, entries]]) => {
        const [domain, code, name] = key.split('\u0000') as [string, string, string];
        return [domain, code, name, patients, entries];
      }),
    };
  }

  /** Add the counts of another builder over the same criteria (its `state()`). */
  merge(s: SummaryState): void {
    this.n += s.patients;
    VERDICT_ORDER.forEach((v, i) => (this.verdicts[v] += s.verdicts[i]!));
    this.criteria.forEach((c, i) => {
      c.pass += s.criteria[4 * i]!;
      c.fail += s.criteria[4 * i + 1]!;
      c.unknown += s.criteria[4 * i + 2]!;
      c.not_applicable += s.criteria[4 * i + 3]!;
    });
    this.funnel.forEach((f, i) => {
      f.possiblyEligible += s.funnel[2 * i]!;
      f.surelyEligible += s.funnel[2 * i + 1]!;
    });
    for (const [domain, code, name, patients, entries] of s.unmapped) {
      const key = `${domain}\u0000${code}\u0000${name}`;
      const t = this.unmapped.get(key);
      if (t) {
        t[0] += patients;
        t[1] += entries;
      } else this.unmapped.set(key, [patients, entries]);
    }
    for (const [item, criteria, patients, unblocks] of s.work) {
      let t = this.work.get(item);
      if (!t) this.work.set(item, (t = { criteria: new Set(), patients: 0, unblocks: 0 }));
      t.patients += patients;
      t.unblocks += unblocks;
      for (const i of criteria) t.criteria.add(i);
    }
  }

  /** Back to no patients (a worker thread reuses one builder per batch). */
  reset(): void {
    this.n = 0;
    for (const v of VERDICT_ORDER) this.verdicts[v] = 0;
    for (const c of this.criteria) c.pass = c.fail = c.unknown = c.not_applicable = 0;
    for (const f of this.funnel) f.possiblyEligible = f.surelyEligible = 0;
    this.work.clear();
    this.unmapped.clear();
  }

  build(): ReportSummary {
    const worklist: WorklistItem[] = [...this.work].map(([item, t]) => ({
      item,
      criteria: [...t.criteria].sort((a, b) => a - b).map((i) => this.criteria[i]!.id),
      patients: t.patients,
      unblocks: t.unblocks,
    }));
    worklist.sort((a, b) => b.unblocks - a.unblocks || b.patients - a.patients || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    return {
      patients: this.n,
      verdicts: { ...this.verdicts },
      criteria: this.criteria.map((c) => ({ ...c })),
      funnel: this.funnel.map((f) => ({ ...f })),
      worklist,
      unmapped: [...this.unmapped].map(([key, [patients, entries]]) => {
        const [domain, code, name] = key.split('\u0000') as [UnmappedDomain, string, string];
        return { domain, code, ...(name ? { name } : {}), patients, entries };
      }).sort((a, b) => b.patients - a.patients || b.entries - a.entries || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    };
  }
}
