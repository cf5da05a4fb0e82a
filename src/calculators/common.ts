/**
 * Helpers shared by the calculators: reading `CalcInputValue`s defensively (the engine and the CLI
 * pass data that came from files) and turning them into `Evidence`.
 */
import type { Evidence } from '../model.js';
import type { CalcInputValue, MissingInput, Quantity } from './types.js';
import { convert, parseQuantity, type ConvertOptions } from './units.js';

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A `CalcInputValue` (an object with a `value`), or undefined when absent / null. */
export function inputOf(x: unknown): CalcInputValue | undefined {
  if (isRecord(x) && 'value' in x && x['value'] !== undefined && x['value'] !== null) return x as unknown as CalcInputValue;
  return undefined;
}

/** Evidence for one input, with the provenance of the `CalcInputValue` carried through. */
export function evidence(item: string, from: CalcInputValue | undefined, value: Evidence['value'], unit?: string): Evidence {
  const e: Evidence = { item, value };
  const u = unit ?? (typeof from?.unit === 'string' ? from.unit : undefined);
  if (u !== undefined) e.unit = u;
  if (typeof from?.date === 'string') e.date = from.date;
  if (typeof from?.source === 'string') e.source = from.source;
  return e;
}

/**
 * The quantity inside a `CalcInputValue<Quantity>`. Accepts `{ value: { value, unit } }`,
 * `{ value: 1.4, unit: 'mg/dL' }` and `{ value: '1.4 mg/dL' }`.
 */
export function quantityOf(civ: CalcInputValue): Quantity | undefined {
  const v = civ.value;
  if (typeof v === 'number') return typeof civ.unit === 'string' && civ.unit !== '' ? parseQuantity({ value: v, unit: civ.unit }) : undefined;
  return parseQuantity(v);
}

export type Read<T> = { ok: true; value: T; input: CalcInputValue; evidence: Evidence } | { ok: false; missing: MissingInput };

/**
 * Read a quantity input and convert it to `unit`. Missing, unit-less, non-positive or unconvertible
 * values give a `missing` entry describing what is wrong.
 */
export function readQuantity(
  name: string, raw: unknown, unit: string, what: string, opts: ConvertOptions & { allowZero?: boolean } = {},
): Read<number> {
  const civ = inputOf(raw);
  if (civ === undefined) return { ok: false, missing: { name, description: `${what} is not recorded` } };
  const q = quantityOf(civ);
  if (q === undefined) {
    return { ok: false, missing: { name, description: `${what}: ${JSON.stringify(civ.value)} is not a quantity with a unit` } };
  }
  const c = convert(q, unit, opts);
  if (!c.ok) return { ok: false, missing: { name, description: `${what}: ${q.value} ${q.unit} cannot be used (${c.reason})` } };
  if (!(c.value > 0) && !(opts.allowZero === true && c.value === 0)) {
    return { ok: false, missing: { name, description: `${what}: ${q.value} ${q.unit} is not a positive value` } };
  }
  return { ok: true, value: c.value, input: civ, evidence: evidence(name, civ, q.value, q.unit) };
}

/** Descriptor / item ids: lower case, spaces and dashes as underscores. */
export function normaliseId(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/[\s\-]+/g, '_');
}

/** A list input given as strings or `CalcInputValue<string>`s. Non-string entries are reported. */
export function readIdList(raw: unknown): { items: { id: string; input?: CalcInputValue }[]; invalid: string[] } {
  const items: { id: string; input?: CalcInputValue }[] = [];
  const invalid: string[] = [];
  if (raw === undefined || raw === null) return { items, invalid };
  const list = Array.isArray(raw) ? raw : [raw];
  for (const x of list) {
    if (typeof x === 'string') {
      if (x.trim() !== '') items.push({ id: normaliseId(x) });
    } else {
      const civ = inputOf(x);
      if (civ !== undefined && typeof civ.value === 'string') items.push({ id: normaliseId(civ.value), input: civ });
      else invalid.push(JSON.stringify(x));
    }
  }
  return { items, invalid };
}
