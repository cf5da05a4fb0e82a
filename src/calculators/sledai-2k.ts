/**
 * SLEDAI-2K total from the 24 descriptors (clinical.md §B.2, ids §J). Each descriptor is present,
 * absent or unrecorded; unrecorded descriptors give bounds (lower = present only, upper = present +
 * unrecorded). `complete: true` means every descriptor not listed as present is absent.
 */
import type { CalcInputValue, CalcResult, Calculator, MissingInput } from './types.js';
import { evidence, isRecord, readIdList } from './common.js';

export type Sledai2kInput = {
  present: CalcInputValue<string>[] | string[] | undefined;
  absent?: CalcInputValue<string>[] | string[] | undefined;
  complete?: boolean | undefined;
  /** Descriptors left out of a partial score ("clinical SLEDAI-2K, not counting serology"): never counted, never missing. */
  exclude?: string[] | undefined;
};

/** Descriptor weights — Gladman DD et al. J Rheumatol 2002;29:288–291 (clinical.md §B.2); sum 105. */
export const SLEDAI_2K_WEIGHTS: Readonly<Record<string, number>> = {
  seizure: 8,
  psychosis: 8,
  organic_brain_syndrome: 8,
  visual_disturbance: 8,
  cranial_nerve_disorder: 8,
  lupus_headache: 8,
  cva: 8,
  vasculitis: 8,
  arthritis: 4,
  myositis: 4,
  urinary_casts: 4,
  hematuria: 4,
  proteinuria: 4,
  pyuria: 4,
  rash: 2,
  alopecia: 2, // 2, not 1 (clinical.md §H.2)
  mucosal_ulcers: 2,
  pleurisy: 2,
  pericarditis: 2,
  low_complement: 2, // 2 points once, however many of CH50/C3/C4 are low
  increased_dna_binding: 2,
  fever: 1,
  thrombocytopenia: 1,
  leukopenia: 1,
};

export const SLEDAI_2K_DESCRIPTORS: readonly string[] = Object.keys(SLEDAI_2K_WEIGHTS);

type Status = 'present' | 'absent' | 'unrecorded' | 'excluded';

export const sledai2kCalculator: Calculator<Sledai2kInput> = {
  name: 'sledai-2k',
  title: 'SLEDAI-2K total',
  source: 'Gladman DD, Ibañez D, Urowitz MB. J Rheumatol 2002;29:288–291 (SLEDAI-2K weights)',
  unit: '{score}',
  inputs: [
    { name: 'present', description: 'descriptor ids present in the window', required: true },
    { name: 'absent', description: 'descriptor ids documented absent', required: false },
    { name: 'complete', description: 'true: every descriptor not present is absent', required: false },
    { name: 'exclude', description: 'descriptor ids left out of a partial score (e.g. low_complement, increased_dna_binding)', required: false },
  ],
  compute(input: Sledai2kInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'sledai-2k', unit: '{score}', method: 'SLEDAI-2K (sum of descriptor weights)', inputs: [], details: {}, missing: [] };
    const warnings: string[] = [];
    const present = readIdList(raw['present']);
    const absent = readIdList(raw['absent']);
    const complete = raw['complete'] === true;
    const excluded = new Set(readIdList(raw['exclude']).items.map((x) => x.id));
    for (const id of excluded) if (SLEDAI_2K_WEIGHTS[id] === undefined) warnings.push(`unknown SLEDAI-2K descriptor '${id}' in exclude`);
    if (excluded.size > 0) result.method = `SLEDAI-2K without ${[...excluded].join(', ')} (partial score)`;
    for (const bad of [...present.invalid, ...absent.invalid]) warnings.push(`ignored descriptor entry ${bad}: not a descriptor id`);

    const presentIds = new Map<string, CalcInputValue | undefined>();
    for (const { id, input: civ } of present.items) {
      if (SLEDAI_2K_WEIGHTS[id] === undefined) warnings.push(`unknown SLEDAI-2K descriptor '${id}' not counted`);
      else if (!presentIds.has(id)) presentIds.set(id, civ); // listed twice counts once (§J)
    }
    const absentIds = new Map<string, CalcInputValue | undefined>();
    for (const { id, input: civ } of absent.items) {
      if (SLEDAI_2K_WEIGHTS[id] === undefined) warnings.push(`unknown SLEDAI-2K descriptor '${id}' ignored`);
      else if (!absentIds.has(id)) absentIds.set(id, civ);
    }

    let lower = 0;
    let upper = 0;
    const missing: MissingInput[] = [];
    const descriptors: { id: string; weight: number; status: Status }[] = [];
    for (const id of SLEDAI_2K_DESCRIPTORS) {
      const weight = SLEDAI_2K_WEIGHTS[id] as number;
      let status: Status;
      if (excluded.has(id)) status = 'excluded';
      else if (presentIds.has(id) && absentIds.has(id)) {
        status = 'unrecorded';
        warnings.push(`descriptor '${id}' is listed both present and absent; treated as unrecorded`);
      } else if (presentIds.has(id)) status = 'present';
      else if (absentIds.has(id) || complete) status = 'absent';
      else status = 'unrecorded';
      if (status === 'present') {
        lower += weight;
        upper += weight;
        result.inputs.push(evidence(id, presentIds.get(id), true));
      } else if (status === 'unrecorded') {
        upper += weight;
        missing.push({ name: id, description: `SLEDAI-2K descriptor ${id} (${weight} points) is not recorded` });
      } else if (absentIds.has(id)) {
        result.inputs.push(evidence(id, absentIds.get(id), false));
      }
      descriptors.push({ id, weight, status });
    }
    result.details = { descriptors, complete, ...(excluded.size > 0 ? { excluded: [...excluded] } : {}) };
    if (lower === upper) result.value = lower;
    else {
      result.lower = lower;
      result.upper = upper;
    }
    result.missing = missing;
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  },
};
