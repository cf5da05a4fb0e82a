/**
 * Load-time unit check of a criteria threshold against the measurement's canonical unit.
 * Returns a problem sentence, or undefined when the units are commensurable (or unitless).
 */
import { commensurable, normaliseUnit } from '../calculators/units.js';
import { entryById } from '../vocabulary/index.js';

export function unitCheck(measurementId: string, unit: string): string | undefined {
  const entry = entryById('measurement', measurementId);
  if (!entry || !unit) return undefined;
  if (!entry.unit && (entry.assayUnits || entry.qualitative)) {
    // per-assay units: any readable unit; records are compared only in a commensurable unit of the same scale
    return commensurable(normaliseUnit(unit), normaliseUnit(unit), {}) === undefined ? `"${unit}" is not a unit elig can read (UCUM), e.g. [IU]/mL, U/mL, {index}` : undefined;
  }
  if (!entry.unit) {
    return `${entry.display} is compared without a unit (it is qualitative or unitless), got "${unit}"`;
  }
  const ok = commensurable(normaliseUnit(unit), entry.unit, entry.molarMass !== undefined ? { molarMass: entry.molarMass } : {});
  if (ok === false) return `"${unit}" cannot be compared with ${entry.display} (measured in ${entry.unit})`;
  if (ok === undefined) return `"${unit}" is not a unit elig can read (UCUM); ${entry.display} is measured in ${entry.unit}`;
  return undefined;
}
