/**
 * Performance status, ECOG ↔ Karnofsky (and Lansky, read on the Karnofsky scale for children):
 * ECOG 0 = Karnofsky 100–90, 1 = 80–70, 2 = 60–50, 3 = 40–30, 4 = 20–10, 5 = 0 — the side-by-side
 * table of the ECOG scale (Oken MM, Creech RH, Tormey DC, et al. Toxicity and response criteria of
 * the Eastern Cooperative Oncology Group. Am J Clin Oncol 1982;5:649–655) and the Karnofsky scale
 * (Karnofsky DA, Burchenal JH. The clinical evaluation of chemotherapeutic agents in cancer. In:
 * MacLeod CM, ed. Evaluation of Chemotherapeutic Agents. Columbia Univ Press 1949:191–205) as the
 * NCI/ECOG-ACRIN protocol appendices print it; Lansky SB, List MA, Lansky LL, et al. The measurement
 * of performance in childhood cancer patients. Cancer 1987;60:1651–1656. Other published
 * conversions differ at the edges (Buccheri G et al. Eur J Cancer 1996;32A:1135–1141), so a
 * converted score is used only when the asked-for scale is not recorded, and a Karnofsky value
 * between two steps gives bounds.
 */
import type { CalcInputValue, CalcResult, Calculator } from './types.js';
import { evidence, inputOf, isRecord } from './common.js';

/** Karnofsky (or Lansky) score → ECOG grade. */
export const KARNOFSKY_TO_ECOG: readonly (readonly [karnofsky: number, ecog: number])[] = [
  [100, 0], [90, 0], [80, 1], [70, 1], [60, 2], [50, 2], [40, 3], [30, 3], [20, 4], [10, 4], [0, 5],
];

export const SOURCE = 'Oken MM et al. Am J Clin Oncol 1982;5:649–655 (ECOG); Karnofsky DA, Burchenal JH 1949; Lansky SB et al. Cancer 1987;60:1651–1656: ECOG 0 = KPS 100–90, 1 = 80–70, 2 = 60–50, 3 = 40–30, 4 = 20–10, 5 = 0';

export function score(raw: unknown, name: string, max: number): { civ: CalcInputValue; v: number } | { error: string } | undefined {
  const civ = inputOf(raw);
  if (civ === undefined) return undefined;
  const v = typeof civ.value === 'number' ? civ.value : typeof civ.value === 'string' && civ.value.trim() !== '' ? Number(civ.value) : NaN;
  if (!Number.isFinite(v) || v < 0 || v > max) return { error: `${name} ${JSON.stringify(civ.value)} is not a score from 0 to ${max}` };
  return { civ, v };
}

export type EcogInput = { karnofsky?: CalcInputValue<number>; lansky?: CalcInputValue<number> };

export const ecogCalculator: Calculator<EcogInput> = {
  name: 'ecog',
  title: 'ECOG performance status from a Karnofsky or Lansky score',
  source: SOURCE,
  unit: '{score}',
  inputs: [
    { name: 'karnofsky', description: 'Karnofsky performance status (0–100)', required: false },
    { name: 'lansky', description: 'Lansky play-performance score (0–100), when no Karnofsky', required: false },
  ],
  compute(input: EcogInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'ecog', unit: '{score}', method: 'ECOG from Karnofsky (Oken 1982 table)', inputs: [], details: {}, missing: [] };
    const which = inputOf(raw['karnofsky']) !== undefined ? 'karnofsky' : 'lansky';
    const s = score(raw[which], which === 'karnofsky' ? 'Karnofsky' : 'Lansky', 100);
    if (s === undefined) return { ...result, missing: [{ name: 'karnofsky', description: 'a Karnofsky (or Lansky) score is not recorded' }] };
    if ('error' in s) return { ...result, missing: [{ name: which, description: s.error }] };
    result.inputs.push(evidence(which, s.civ, s.v));
    if (which === 'lansky') result.method = 'ECOG from Lansky, read on the Karnofsky scale (Oken 1982 table)';
    // the grades of the table steps either side of the value (one step when it is on the table)
    const above = KARNOFSKY_TO_ECOG.filter(([k]) => k >= s.v).at(-1)!;
    const below = KARNOFSKY_TO_ECOG.find(([k]) => k <= s.v)!;
    const lo = Math.min(above[1], below[1]);
    const hi = Math.max(above[1], below[1]);
    if (lo === hi) result.value = lo;
    else {
      result.lower = lo;
      result.upper = hi;
      result.warnings = [`${which} ${s.v} lies between table steps: ECOG ${lo}–${hi}`];
    }
    return result;
  },
};

