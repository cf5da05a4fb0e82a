/**
 * Karnofsky (or Lansky) range of an ECOG grade, by the ECOG ↔ Karnofsky table in ecog.ts (Oken MM
 * et al. Am J Clin Oncol 1982;5:649–655; Karnofsky DA, Burchenal JH 1949; Lansky SB et al. Cancer
 * 1987;60:1651–1656): ECOG 1 is Karnofsky 70–80, so "Karnofsky ≥ 70" passes and "≥ 80" is unknown.
 */
import type { CalcResult, Calculator, CalcInputValue } from './types.js';
import { evidence, isRecord } from './common.js';
import { KARNOFSKY_TO_ECOG, SOURCE, score } from './ecog.js';

export type KarnofskyInput = { ecog?: CalcInputValue<number> };

export const karnofskyCalculator: Calculator<KarnofskyInput> = {
  name: 'karnofsky',
  title: 'Karnofsky (or Lansky) range from an ECOG grade',
  source: SOURCE,
  unit: '{score}',
  inputs: [{ name: 'ecog', description: 'ECOG performance status (0–5)', required: true }],
  compute(input: KarnofskyInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'karnofsky', unit: '{score}', method: 'Karnofsky range of an ECOG grade (Oken 1982 table)', inputs: [], details: {}, missing: [] };
    const s = score(raw['ecog'], 'ECOG', 5);
    if (s === undefined) return { ...result, missing: [{ name: 'ecog', description: 'an ECOG grade is not recorded' }] };
    if ('error' in s || !Number.isInteger(s.v)) return { ...result, missing: [{ name: 'ecog', description: 'error' in s ? s.error : `ECOG ${s.v} is not a whole grade` }] };
    result.inputs.push(evidence('ecog', s.civ, s.v));
    const ks = KARNOFSKY_TO_ECOG.filter(([, e]) => e === s.v).map(([k]) => k);
    const lo = Math.min(...ks);
    const hi = Math.max(...ks);
    if (lo === hi) result.value = lo;
    else {
      result.lower = lo;
      result.upper = hi;
    }
    return result;
  },
};
