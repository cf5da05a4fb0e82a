/** Aggregates over patient results: verdict counts and per-criterion status counts. No patient data. */
import type { CriterionSummary, PatientResult, ReportSummary, Verdict } from '../model.js';
import type { CompiledCriteria } from './compile.js';

export class SummaryBuilder {
  private readonly verdicts: Record<Verdict, number> = { eligible: 0, ineligible: 0, indeterminate: 0, error: 0 };
  private readonly criteria: CriterionSummary[];
  private readonly index = new Map<string, CriterionSummary>();
  private n = 0;

  constructor(compiled: CompiledCriteria) {
    this.criteria = compiled.criteria.map((c) => ({ id: c.id, kind: c.kind, pass: 0, fail: 0, unknown: 0, not_applicable: 0 }));
    for (const c of this.criteria) this.index.set(c.id, c);
  }

  add(p: PatientResult): void {
    this.n++;
    this.verdicts[p.verdict]++;
    for (const c of p.criteria) {
      const s = this.index.get(c.id);
      if (s) s[c.status]++;
    }
  }

  build(): ReportSummary {
    return { patients: this.n, verdicts: { ...this.verdicts }, criteria: this.criteria.map((c) => ({ ...c })) };
  }
}
