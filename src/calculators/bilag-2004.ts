/**
 * BILAG-2004, graded per organ system (A most active … E never involved): Isenberg DA, Rahman A,
 * Allen E, et al. BILAG 2004. Development and initial validation of an updated version of the
 * British Isles Lupus Assessment Group's disease activity index for patients with systemic lupus
 * erythematosus. Rheumatology (Oxford) 2005;44:902–906. The numerical total (A = 12, B = 8, C = 1,
 * D = E = 0) is Yee CS, Cresswell L, Farewell V, et al. Numerical scoring for the BILAG-2004 index.
 * Rheumatology (Oxford) 2010;49:1665–1669. Eligibility counts systems by grade ("A in ≥ 1 system or
 * B in ≥ 2"); systems not recorded give bounds.
 */
import type { CalcResult, Calculator } from './types.js';
import { evidence, inputOf, isRecord, normaliseId } from './common.js';

export const BILAG_SYSTEMS: readonly string[] = [
  'constitutional', 'mucocutaneous', 'neuropsychiatric', 'musculoskeletal', 'cardiorespiratory',
  'gastrointestinal', 'ophthalmic', 'renal', 'haematological',
];
export const BILAG_GRADES: readonly string[] = ['A', 'B', 'C', 'D', 'E'];
const POINTS: Readonly<Record<string, number>> = { A: 12, B: 8, C: 1, D: 0, E: 0 };

/** A grade as records write it ("A", "b", "Grade C"), or undefined. */
export function bilagGrade(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(?:grade\s*)?([a-e])\s*$/i.exec(v);
  return m ? m[1]!.toUpperCase() : undefined;
}

export type Bilag2004Input = { grades?: Record<string, unknown>; complete?: boolean };

export const bilag2004Calculator: Calculator<Bilag2004Input> = {
  name: 'bilag-2004',
  title: 'BILAG-2004 grades per organ system (and the numerical total)',
  source: 'Isenberg DA et al. Rheumatology (Oxford) 2005;44:902–906 (BILAG-2004); Yee CS et al. Rheumatology (Oxford) 2010;49:1665–1669 (numerical scoring A=12, B=8, C=1, D=E=0)',
  unit: '{score}',
  inputs: [
    { name: 'grades', description: `grade A–E per system (${BILAG_SYSTEMS.join(', ')})`, required: true },
    { name: 'complete', description: 'true: systems not listed were graded D or E (not active)', required: false },
  ],
  compute(input: Bilag2004Input): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'bilag-2004', unit: '{score}', method: 'BILAG-2004 numerical score (A=12, B=8, C=1, D=E=0)', inputs: [], details: {}, missing: [] };
    const given = isRecord(raw['grades']) ? raw['grades'] : {};
    const warnings: string[] = [];
    const grades: Record<string, string> = {};
    for (const [k, v] of Object.entries(given)) {
      const system = normaliseId(k);
      const civ = inputOf(v) ?? (v === undefined ? undefined : { value: v });
      const g = bilagGrade(civ?.value);
      if (!BILAG_SYSTEMS.includes(system)) warnings.push(`unknown BILAG-2004 system '${k}' ignored`);
      else if (g === undefined) warnings.push(`${system}: ${JSON.stringify(civ?.value)} is not a grade A–E`);
      else {
        grades[system] = g;
        result.inputs.push(evidence(system, civ, g));
      }
    }
    const complete = raw['complete'] === true;
    let lower = 0;
    let upper = 0;
    const counts: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
    for (const s of BILAG_SYSTEMS) {
      const g = grades[s];
      if (g !== undefined) {
        counts[g]! += 1;
        lower += POINTS[g]!;
        upper += POINTS[g]!;
      } else if (!complete) {
        upper += POINTS['A']!;
        result.missing.push({ name: s, description: `BILAG-2004 ${s} grade is not recorded` });
      }
    }
    result.details = { grades, counts, complete, unrecorded: result.missing.map((m) => m.name) };
    if (lower === upper) result.value = lower;
    else {
      result.lower = lower;
      result.upper = upper;
    }
    if (warnings.length) result.warnings = warnings;
    return result;
  },
};
