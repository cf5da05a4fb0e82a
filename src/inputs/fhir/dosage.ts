/**
 * FHIR Dosage → the record's dose per administration and administrations per day.
 * Exports often give the dose as a tablet count (`doseQuantity: { value: 1 }`) with the strength
 * only in the drug's name ("predniSONE 5 MG Oral Tablet"): the strength is parsed from the name,
 * so 1 tablet → 5 mg. A liquid dose in mL is converted through a concentration in the name
 * ("10 MG/ML"). Anything ambiguous (two strengths in one name) leaves the dose unset: unknown, never guessed.
 */
import { arr, isObj, num, str, UCUM, type Json } from './codes.js';

const MASS = /^(mg|g|ug|mcg|µg|μg|ng|kg)$/i;
const COUNT = /^(\{?(tbl|tab|tablet|tablets|cap|caps|capsule|capsules|pill|pills|each|ea|count|dose|doses|unit)\}?|1)$/i;
const VOLUME = /^(ml|l)$/i;

/** A mass strength written in a drug name, e.g. "5 MG" (not "10 MG/ML" nor "0.25 MG/ACTUAT"). */
const STRENGTH = /(\d+(?:\.\d+)?)\s*(MG|G|MCG|UG|µG)\b(?!\/)/gi;
const CONCENTRATION = /(\d+(?:\.\d+)?)\s*(MG|G|MCG|UG)\s*\/\s*ML\b/gi;

function unitOf(u: string): string {
  const l = u.toLowerCase();
  return l === 'mcg' || l === 'µg' || l === 'μg' ? 'ug' : l === 'g' ? 'g' : l;
}

/** The single mass strength in a drug name, or undefined when there is none or more than one. */
export function strengthFromName(name: string): { value: number; unit: string } | undefined {
  const hits = [...name.matchAll(STRENGTH)];
  if (hits.length !== 1) return undefined;
  return { value: Number(hits[0]![1]), unit: unitOf(hits[0]![2]!) };
}

function concentrationFromName(name: string): { value: number; unit: string } | undefined {
  const hits = [...name.matchAll(CONCENTRATION)];
  if (hits.length !== 1) return undefined;
  return { value: Number(hits[0]![1]), unit: unitOf(hits[0]![2]!) };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface MappedDose {
  dose?: string;
  perDay?: number;
  frequency?: string;
  route?: string;
  start?: string;
  end?: string;
  /** How the dose was read, when it needed the drug name (for --verbose and tests). */
  note?: string;
}

const PER_DAY: Readonly<Record<string, number>> = { s: 86400, min: 1440, h: 24, d: 1, wk: 1 / 7, mo: 12 / 365.25, a: 1 / 365.25 };

/** Read the first Dosage of a MedicationRequest/MedicationStatement (or MedicationAdministration.dosage). */
export function readDosage(dosage: unknown, drugName: string | undefined, administration = false): MappedDose {
  const out: MappedDose = {};
  if (!isObj(dosage)) return out;
  // dose: R4 doseAndRate[].doseQuantity; MedicationAdministration.dosage.dose
  let q: Json | undefined;
  if (administration) q = isObj(dosage.dose) ? dosage.dose : undefined;
  else {
    for (const dr of arr(dosage.doseAndRate)) {
      if (isObj(dr) && isObj(dr.doseQuantity)) {
        q = dr.doseQuantity;
        break;
      }
    }
  }
  const value = q ? num(q.value) : undefined;
  if (q && value !== undefined) {
    const unit = (str(q.system) === UCUM ? str(q.code) : undefined) ?? str(q.unit) ?? str(q.code) ?? '';
    const u = unit.trim();
    if (MASS.test(u)) out.dose = `${value} ${unitOf(u)}`;
    else if (u === '' || COUNT.test(u)) {
      const s = drugName ? strengthFromName(drugName) : undefined;
      if (s) {
        out.dose = `${round6(value * s.value)} ${s.unit}`;
        out.note = `${value} × ${s.value} ${s.unit} (strength from the drug name)`;
      }
    } else if (VOLUME.test(u)) {
      const c = drugName ? concentrationFromName(drugName) : undefined;
      if (c) {
        const ml = u.toLowerCase() === 'l' ? value * 1000 : value;
        out.dose = `${round6(ml * c.value)} ${c.unit}`;
        out.note = `${value} ${u} × ${c.value} ${c.unit}/mL (concentration from the drug name)`;
      }
    } else out.dose = `${value} ${u}`;
  }
  // frequency
  const timing = isObj(dosage.timing) ? dosage.timing : undefined;
  const repeat = timing && isObj(timing.repeat) ? timing.repeat : undefined;
  if (repeat) {
    const f = num(repeat.frequency) ?? 1;
    const p = num(repeat.period);
    const pu = str(repeat.periodUnit);
    if (p !== undefined && p > 0 && pu && PER_DAY[pu] !== undefined) out.perDay = round6((f * PER_DAY[pu]!) / p);
    const bp = isObj(repeat.boundsPeriod) ? repeat.boundsPeriod : undefined;
    if (bp) {
      const s = str(bp.start);
      const e = str(bp.end);
      if (s) out.start = s;
      if (e) out.end = e;
    }
  }
  if (out.perDay === undefined && timing && isObj(timing.code)) {
    for (const c of arr(timing.code.coding)) {
      if (isObj(c) && str(c.code)) {
        out.frequency = String(c.code).toLowerCase();
        break;
      }
    }
  }
  const route = isObj(dosage.route) ? (str(dosage.route.text) ?? (isObj(arr(dosage.route.coding)[0]) ? str((arr(dosage.route.coding)[0] as Json).display) : undefined)) : undefined;
  if (route) out.route = route;
  return out;
}

/** Forms that are not systemic use (topical, inhaled, nasal, eye/ear): not counted as the drug (the equivalence tables are for systemic use). */

export { isNonSystemic } from '../../vocabulary/index.js';
