/**
 * 2019 EULAR/ACR classification criteria for SLE (Aringer M et al. Ann Rheum Dis 2019;78:1151–1159;
 * item ids in docs/clinical.md): ANA entry criterion,
 * highest weight per domain, at least one clinical item, classified at ≥ 10 points.
 * Items are present, absent, excluded (attributed to another cause: not counted) or unrecorded;
 * unrecorded items give bounds.
 */
import type { CalcInputValue, CalcResult, Calculator, MissingInput } from './types.js';
import { evidence, inputOf, isRecord, readIdList } from './common.js';
import type { Evidence } from '../model.js';
import { own } from '../own.js';

export type EularAcr2019Input = {
  ana: CalcInputValue<string>[] | CalcInputValue<string> | string[] | string | undefined;
  items: string[] | CalcInputValue<string>[] | undefined;
  absent?: string[] | CalcInputValue<string>[] | undefined;
  excluded?: string[] | CalcInputValue<string>[] | undefined;
  complete?: boolean | undefined;
};

export type EularDomain =
  | 'constitutional' | 'hematologic' | 'neuropsychiatric' | 'mucocutaneous' | 'serosal' | 'musculoskeletal' | 'renal'
  | 'antiphospholipid_antibodies' | 'complement_proteins' | 'sle_specific_antibodies';

export interface EularItem { domain: EularDomain; weight: number; clinical: boolean }

/** Items, domains and weights — Aringer M et al. Ann Rheum Dis 2019;78:1151–1159, Table. */
export const EULAR_ACR_2019_ITEMS: Readonly<Record<string, EularItem>> = {
  fever: { domain: 'constitutional', weight: 2, clinical: true },
  leukopenia: { domain: 'hematologic', weight: 3, clinical: true },
  thrombocytopenia: { domain: 'hematologic', weight: 4, clinical: true },
  autoimmune_hemolysis: { domain: 'hematologic', weight: 4, clinical: true },
  delirium: { domain: 'neuropsychiatric', weight: 2, clinical: true },
  psychosis: { domain: 'neuropsychiatric', weight: 3, clinical: true },
  seizure: { domain: 'neuropsychiatric', weight: 5, clinical: true },
  non_scarring_alopecia: { domain: 'mucocutaneous', weight: 2, clinical: true },
  oral_ulcers: { domain: 'mucocutaneous', weight: 2, clinical: true },
  subacute_cutaneous_or_discoid_lupus: { domain: 'mucocutaneous', weight: 4, clinical: true },
  acute_cutaneous_lupus: { domain: 'mucocutaneous', weight: 6, clinical: true },
  pleural_or_pericardial_effusion: { domain: 'serosal', weight: 5, clinical: true },
  acute_pericarditis: { domain: 'serosal', weight: 6, clinical: true },
  joint_involvement: { domain: 'musculoskeletal', weight: 6, clinical: true },
  proteinuria_gt_0_5_g_per_24h: { domain: 'renal', weight: 4, clinical: true },
  renal_biopsy_class_ii_or_v_lupus_nephritis: { domain: 'renal', weight: 8, clinical: true },
  renal_biopsy_class_iii_or_iv_lupus_nephritis: { domain: 'renal', weight: 10, clinical: true },
  anticardiolipin_medium_high_titer: { domain: 'antiphospholipid_antibodies', weight: 2, clinical: false },
  anti_beta2_glycoprotein_i: { domain: 'antiphospholipid_antibodies', weight: 2, clinical: false },
  lupus_anticoagulant: { domain: 'antiphospholipid_antibodies', weight: 2, clinical: false },
  low_c3: { domain: 'complement_proteins', weight: 3, clinical: false },
  low_c4: { domain: 'complement_proteins', weight: 3, clinical: false },
  anti_dsdna: { domain: 'sle_specific_antibodies', weight: 6, clinical: false },
  anti_smith: { domain: 'sle_specific_antibodies', weight: 6, clinical: false },
};

export const EULAR_ACR_2019_DOMAINS: readonly EularDomain[] = [
  'constitutional', 'hematologic', 'neuropsychiatric', 'mucocutaneous', 'serosal', 'musculoskeletal', 'renal',
  'antiphospholipid_antibodies', 'complement_proteins', 'sle_specific_antibodies',
];

/** Per domain, in the table's order: its items, whether they are clinical, whether it is the complement domain (built once). */
const DOMAIN_TABLE: readonly { domain: EularDomain; items: readonly { id: string; weight: number }[]; clinical: boolean; complement: boolean }[] =
  EULAR_ACR_2019_DOMAINS.map((domain) => {
    const items = Object.entries(EULAR_ACR_2019_ITEMS).filter(([, it]) => it.domain === domain);
    return { domain, items: items.map(([id, it]) => ({ id, weight: it.weight })), clinical: items[0]?.[1].clinical === true, complement: domain === 'complement_proteins' };
  });

const LOW_C3_AND_C4 = 4; // low C3 and low C4 together score 4, not 3 + 3 (Aringer M et al. Ann Rheum Dis 2019)
const CLASSIFICATION_THRESHOLD = 10; // classify at ≥ 10 points (Aringer 2019, rule 6)
const ANA_MIN_TITRE = 80; // ANA ≥ 1:80 on HEp-2 cells (Aringer 2019, entry criterion)

/** The complement domain's points: low C3 or low C4 alone 3, both 4. */
function complementPoints(c3: boolean, c4: boolean): number {
  return c3 && c4 ? LOW_C3_AND_C4 : c3 || c4 ? 3 : 0;
}

export type AnaReading = { kind: 'titre'; denominator: number } | { kind: 'positive' } | { kind: 'negative' } | { kind: 'invalid' };

/** Read one ANA result. Titres `1:N` (or `1/N`) are compared by N, never as the fraction 1/N (where 1:160 would be "less" than 1:80). */
export function readAna(s: string): AnaReading {
  const t = s.normalize('NFKC').trim().toLowerCase();
  const m = /^1\s*[:/]\s*(\d+)$/.exec(t);
  if (m?.[1] !== undefined) {
    const n = Number(m[1]);
    return n >= 1 ? { kind: 'titre', denominator: n } : { kind: 'invalid' };
  }
  if (['positive', 'pos', '+', 'detected', 'reactive'].includes(t)) return { kind: 'positive' };
  if (['negative', 'neg', '-', 'not detected', 'nonreactive', 'non-reactive'].includes(t)) return { kind: 'negative' };
  return { kind: 'invalid' };
}

type Status = 'present' | 'absent' | 'excluded' | 'unrecorded';

export const eularAcr2019Calculator: Calculator<EularAcr2019Input> = {
  name: 'eular-acr-2019',
  title: '2019 EULAR/ACR classification criteria for SLE',
  source: 'Aringer M et al. Ann Rheum Dis 2019;78:1151–1159; Arthritis Rheumatol 2019;71:1400–1412',
  unit: '{score}',
  inputs: [
    { name: 'ana', description: 'ANA results ever: titre 1:N, or positive / negative (solid phase)', required: true },
    { name: 'items', description: 'criterion item ids present (on at least one occasion)', required: true },
    { name: 'absent', description: 'item ids documented absent', required: false },
    { name: 'excluded', description: 'item ids attributed to a more likely cause than SLE (not counted)', required: false },
    { name: 'complete', description: 'true: every item not listed as present is absent', required: false },
  ],
  compute(input: EularAcr2019Input): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'eular-acr-2019', unit: '{score}', method: '2019 EULAR/ACR (highest weight per domain)', inputs: [], details: {}, missing: [] };
    const warnings: string[] = [];
    const missing: MissingInput[] = [];
    const complete = raw['complete'] === true;

    // ---- entry criterion: ANA ≥ 1:80 (or equivalent positive test) at least once ----
    const anaRaw = raw['ana'];
    const anaList: unknown[] = anaRaw === undefined || anaRaw === null ? [] : Array.isArray(anaRaw) ? anaRaw : [anaRaw];
    let entryMet: boolean | undefined;
    let anyValid = false;
    let anyInvalid = false;
    let highestTitre: number | undefined;
    for (const a of anaList) {
      const civ = typeof a === 'string' ? undefined : inputOf(a);
      const text = typeof a === 'string' ? a : typeof civ?.value === 'string' ? civ.value : undefined;
      const reading = text === undefined ? { kind: 'invalid' as const } : readAna(text);
      if (reading.kind === 'invalid') {
        anyInvalid = true;
        warnings.push(`ANA result ${JSON.stringify(text ?? a)} is not a titre 1:N, positive or negative; not used`);
        continue;
      }
      anyValid = true;
      result.inputs.push(evidence('ana', civ, text as string));
      if (reading.kind === 'positive') entryMet = true;
      if (reading.kind === 'titre') {
        highestTitre = Math.max(highestTitre ?? 0, reading.denominator);
        if (reading.denominator >= ANA_MIN_TITRE) entryMet = true;
      }
    }
    if (entryMet !== true) {
      if (anyValid && !anyInvalid) entryMet = false;
      else {
        entryMet = undefined;
        missing.push({ name: 'ana', description: anaList.length === 0 ? 'ANA result is not recorded' : 'no readable ANA result' });
      }
    }

    // ---- items ----
    const lists = { items: readIdList(raw['items']), absent: readIdList(raw['absent']), excluded: readIdList(raw['excluded']) };
    const byStatus = { items: new Map<string, CalcInputValue | undefined>(), absent: new Map<string, CalcInputValue | undefined>(), excluded: new Map<string, CalcInputValue | undefined>() };
    for (const key of ['items', 'absent', 'excluded'] as const) {
      for (const bad of lists[key].invalid) warnings.push(`ignored ${key} entry ${bad}: not an item id`);
      for (const { id, input: civ } of lists[key].items) {
        if (own(EULAR_ACR_2019_ITEMS, id) === undefined) warnings.push(`unknown EULAR/ACR item '${id}' ${key === 'items' ? 'not counted' : 'ignored'}`);
        else if (!byStatus[key].has(id)) byStatus[key].set(id, civ);
      }
    }
    const status = (id: string): Status => {
      if (byStatus.excluded.has(id)) return 'excluded';
      const p = byStatus.items.has(id);
      const a = byStatus.absent.has(id);
      if (p && a) return 'unrecorded';
      if (p) return 'present';
      if (a || complete) return 'absent';
      return 'unrecorded';
    };

    let lower = 0;
    let upper = 0;
    let clinicalPresent = false;
    let clinicalPossible = false;
    const domains: { domain: EularDomain; lower: number; upper: number; items: { id: string; weight: number; status: Status }[] }[] = [];
    const itemEvidence: Evidence[] = [];
    for (const { domain, items, clinical, complement } of DOMAIN_TABLE) {
      const rows: { id: string; weight: number; status: Status }[] = [];
      // a domain's points: only the highest weight counts (Aringer 2019, rule 4); complement: low C3 and C4 together 4
      let maxPresent = 0;
      let maxPossible = 0;
      let c3Present = false;
      let c4Present = false;
      let c3Possible = false;
      let c4Possible = false;
      let anyPresent = false;
      let anyPossible = false;
      for (const { id, weight } of items) {
        const st = status(id);
        rows.push({ id, weight, status: st });
        if (byStatus.items.has(id) && byStatus.absent.has(id) && !byStatus.excluded.has(id)) {
          warnings.push(`item '${id}' is listed both present and absent; treated as unrecorded`);
        }
        if (st === 'present') itemEvidence.push(evidence(id, byStatus.items.get(id), true));
        else if (st === 'excluded') itemEvidence.push(evidence(id, byStatus.excluded.get(id), 'excluded'));
        else if (st === 'absent' && byStatus.absent.has(id)) itemEvidence.push(evidence(id, byStatus.absent.get(id), false));
        const present = st === 'present';
        const possible = present || st === 'unrecorded';
        if (present) {
          anyPresent = true;
          if (weight > maxPresent) maxPresent = weight;
          if (id === 'low_c3') c3Present = true;
          if (id === 'low_c4') c4Present = true;
        }
        if (possible) {
          anyPossible = true;
          if (weight > maxPossible) maxPossible = weight;
          if (id === 'low_c3') c3Possible = true;
          if (id === 'low_c4') c4Possible = true;
        }
      }
      const dLower = complement ? complementPoints(c3Present, c4Present) : maxPresent;
      const dUpper = complement ? complementPoints(c3Possible, c4Possible) : maxPossible;
      lower += dLower;
      upper += dUpper;
      if (clinical) {
        if (anyPresent) clinicalPresent = true;
        if (anyPossible) clinicalPossible = true;
      }
      if (dUpper > dLower) {
        for (const r of rows) {
          // an unrecorded item matters when it alone, added to the present ones, would raise the domain's points
          if (r.status !== 'unrecorded') continue;
          const would = complement ? complementPoints(c3Present || r.id === 'low_c3', c4Present || r.id === 'low_c4') : Math.max(maxPresent, r.weight);
          if (would > dLower) {
            missing.push({ name: r.id, description: `EULAR/ACR item ${r.id} (${domain}, ${r.weight} points) is not recorded` });
          }
        }
      }
      domains.push({ domain, lower: dLower, upper: dUpper, items: rows });
    }
    result.inputs.push(...itemEvidence);

    // ---- classification: entry && ≥ 1 clinical item && total ≥ 10 ----
    let classified: boolean | undefined;
    if (entryMet === false || !clinicalPossible || upper < CLASSIFICATION_THRESHOLD) classified = false;
    else if (entryMet === true && clinicalPresent && lower >= CLASSIFICATION_THRESHOLD) classified = true;
    else classified = undefined;

    if (lower === upper) result.value = lower;
    else {
      result.lower = lower;
      result.upper = upper;
    }
    result.details = {
      classified,
      entryCriterionMet: entryMet,
      clinicalItemPresent: clinicalPresent ? true : clinicalPossible ? undefined : false,
      threshold: CLASSIFICATION_THRESHOLD,
      domains,
      complete,
      ...(highestTitre !== undefined ? { highestAnaTitre: `1:${highestTitre}` } : {}),
    };
    result.missing = missing;
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  },
};
