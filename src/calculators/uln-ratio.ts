/**
 * Ratio of a lab value to its upper limit of normal (the "× ULN" of NCI CTCAE v5.0, 2017). Both are
 * converted to the ULN's unit first (mass ↔ molar through `molarMass`), and the ratio is rounded to 6
 * decimals so that exact boundaries survive unit conversion (AST 126 U/L with ULN 0.70 µkat/L is 3.0).
 */
import type { CalcInputValue, CalcResult, Calculator, MissingInput, Quantity } from './types.js';
import { inputOf, isRecord, quantityOf, evidence } from './common.js';
import { convert, roundRatio } from './units.js';

export type UlnRatioInput = {
  value: CalcInputValue<Quantity> | undefined;
  uln: CalcInputValue<Quantity> | undefined;
  /** g/mol, for mass ↔ molar conversion (bilirubin 584.66, creatinine 113.12). */
  molarMass?: number | undefined;
};

export const ulnRatioCalculator: Calculator<UlnRatioInput> = {
  name: 'uln-ratio',
  title: 'Ratio to the upper limit of normal',
  source: 'value ÷ ULN in one unit, the "× ULN" convention of NCI CTCAE v5.0 (National Cancer Institute, 2017)',
  unit: '{ratio}',
  inputs: [
    { name: 'value', description: 'the lab value (quantity with unit)', required: true },
    { name: 'uln', description: "the laboratory's upper limit of normal for that value", required: true },
    { name: 'molarMass', description: 'molar mass (g/mol) when value and ULN differ in mass vs molar units', required: false },
  ],
  compute(input: UlnRatioInput): CalcResult {
    const raw: Record<string, unknown> = isRecord(input) ? input : {};
    const result: CalcResult = { calculator: 'uln-ratio', unit: '{ratio}', method: 'value / ULN (same unit, rounded to 6 decimals)', inputs: [], details: {}, missing: [] };
    const missing: MissingInput[] = [];
    const vCiv = inputOf(raw['value']);
    const uCiv = inputOf(raw['uln']);
    const v = vCiv === undefined ? undefined : quantityOf(vCiv);
    const u = uCiv === undefined ? undefined : quantityOf(uCiv);
    if (vCiv === undefined) missing.push({ name: 'value', description: 'lab value is not recorded' });
    else if (v === undefined || v.unit === '1') missing.push({ name: 'value', description: `lab value ${JSON.stringify(vCiv.value)} is not a quantity with a unit` });
    else if (v.value < 0) missing.push({ name: 'value', description: `lab value ${v.value} ${v.unit} is negative` });
    if (uCiv === undefined) missing.push({ name: 'uln', description: 'upper limit of normal is not recorded' });
    else if (u === undefined || u.unit === '1') missing.push({ name: 'uln', description: `ULN ${JSON.stringify(uCiv.value)} is not a quantity with a unit` });
    else if (!(u.value > 0)) missing.push({ name: 'uln', description: `ULN ${u.value} ${u.unit} is not positive` });
    const mm = raw['molarMass'];
    const molarMass = typeof mm === 'number' && Number.isFinite(mm) && mm > 0 ? mm : undefined;
    if (missing.length > 0 || v === undefined || u === undefined) {
      result.missing = missing;
      return result;
    }
    const c = convert(v, u.unit, molarMass !== undefined ? { molarMass } : {});
    if (!c.ok) {
      result.missing = [{ name: 'value', description: `${v.value} ${v.unit} cannot be compared with ULN ${u.value} ${u.unit}: ${c.reason}` }];
      return result;
    }
    result.inputs.push(evidence('value', vCiv, v.value, v.unit), evidence('uln', uCiv, u.value, u.unit));
    result.value = roundRatio(c.value / u.value); // ratio rounded to 6 decimals (see roundRatio)
    result.details = { valueInUlnUnit: roundRatio(c.value), unit: u.unit, ...(molarMass !== undefined ? { molarMass } : {}) };
    return result;
  },
};
