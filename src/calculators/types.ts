/**
 * The calculator contract. A calculator is a pure function of plain inputs: it never reads a
 * patient record, the clock or the file system. The engine gathers its inputs from a record
 * (with record paths and dates) and `elig calc` gathers them from the command line.
 */
import type { Evidence } from '../model.js';

export interface Quantity {
  value: number;
  unit: string;
}

/** One input as given to a calculator, with its provenance carried through to the result. */
export interface CalcInputValue<T = unknown> {
  value: T;
  unit?: string;
  date?: string;
  source?: string;
}

export interface MissingInput {
  /** Input name as in the calculator's input list, e.g. `height`. */
  name: string;
  description: string;
}

export interface CalcResult {
  calculator: string;
  /** The value, when it could be computed exactly. */
  value?: number;
  /** For scores with unrecorded items: the lowest and highest total the inputs allow. */
  lower?: number;
  upper?: number;
  unit: string;
  /** Human-readable method, e.g. "bedside Schwartz 2009" or "CKD-EPI 2021 creatinine". */
  method: string;
  /** The inputs actually used, with provenance (record path, date, unit). */
  inputs: Evidence[];
  /** Extra calculator-specific facts (e.g. classified, entryCriterionMet, mgPerDay). */
  details: Record<string, unknown>;
  /** Inputs that were needed and absent; non-empty means value is undefined (or bounded). */
  missing: MissingInput[];
  /** Non-fatal remarks (e.g. contested equivalence, clamped value). */
  warnings?: string[];
}

export interface CalculatorInputSpec {
  name: string;
  description: string;
  required: boolean;
}

export interface Calculator<I = Record<string, unknown>> {
  name: string;
  title: string;
  /** One-line citation of the source of the formula or scoring rules. */
  source: string;
  unit: string;
  inputs: CalculatorInputSpec[];
  compute(input: I): CalcResult;
}
