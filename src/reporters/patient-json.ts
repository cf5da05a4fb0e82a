/**
 * The report@2 patient as JSON text, written straight from the engine's result objects (issue 14:
 * a per-criterion serializer). The text is byte-identical to `JSON.stringify` of the report objects
 * report-json.ts builds (`{ type: 'patient', ...patientReport(p, details) }` for an NDJSON line, and
 * `JSON.stringify(patientReport(p, details), null, 2)` for the JSON document), without building
 * them: test/reporters/patient-json.test.ts compares the two on generated and adversarial results.
 *
 * What makes it cheaper than one `JSON.stringify` of a copied object:
 * - no intermediate objects (the criterion without kind and text, the reasons without bounds, the
 *   patient with `type`): the writer skips those fields as it goes;
 * - key fragments (`"status":`) are constants, written without escaping;
 * - strings are escaped with `JSON.stringify` only when they hold a character that needs it (a quote,
 *   a backslash, a control character, a UTF-16 surrogate: a lone one is escaped, a pair is kept by
 *   JSON.stringify);
 * - the reasons and missing lists the engine fixes at compile time (frozen and shared by every
 *   patient: reasons.ts fixedReason/fixedMissing) are written once per writer and reused.
 *
 * The field order is the objects' own (for-in order, as JSON.stringify's), so a field another domain
 * adds is written too, never dropped; values follow JSON.stringify: undefined, functions and symbols
 * are left out of objects and written `null` in arrays, non-finite numbers are `null`, -0 is `0`,
 * `toJSON` is called. Pure: no I/O.
 */
import type { PatientResult } from '../model.js';

/** A string needs JSON.stringify's escaping when it holds one of these UTF-16 code units. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON: JSON.stringify's text, computed by JSON.stringify only when escaping is needed. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A number as JSON.stringify writes it (Number::toString; NaN and ±Infinity are null; -0 is 0). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

/** The key fragments of the report@2 objects' fields; any other key is escaped and remembered. */
function keyTable(colon: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const k of ['id', 'status', 'reasons', 'missing', 'code', 'text', 'observed', 'threshold', 'derivation', 'bounds', 'item', 'value', 'unit', 'date', 'source', 'op', 'ulnFactor', 'llnFactor', 'calculator', 'method', 'inputs', 'description', 'lower', 'upper', 'file', 'record', 'line', 'verdict', 'criteria', 'diagnostics', 'unmapped']) {
    keys.set(k, JSON.stringify(k) + colon);
  }
  return keys;
}

type Json = Record<string, unknown>;

/**
 * A writer of report@2 patients. `indent`: undefined for one line (NDJSON), else the indentation
 * of the patient object in the JSON document (its fields are `indent + 2` spaces in, as
 * JSON.stringify(…, null, 2) indented by `indent`).
 */
export function patientJsonWriter(details: boolean, indent?: number): (p: PatientResult) => string {
  const pretty = indent !== undefined;
  const keys = keyTable(pretty ? ': ' : ':');
  const key = (k: string): string => {
    let f = keys.get(k);
    if (f === undefined) {
      f = JSON.stringify(k) + (pretty ? ': ' : ':');
      if (keys.size < 4096) keys.set(k, f);
    }
    return f;
  };
  /** The indentation one level in from `pad` ('' when written on one line). */
  const pads: string[] = [];
  const inner = (pad: string): string => {
    if (!pretty) return '';
    const n = pad.length + 2;
    return (pads[n] ??= ' '.repeat(n));
  };
  /** Frozen (compile-time, shared) reasons and missing lists, written once: the text depends only on the object and its depth, which is fixed. */
  const frozen = new WeakMap<object, string>();

  function value(v: unknown, k: string | number, pad: string): string | undefined {
    switch (typeof v) {
      case 'string':
        return jsonString(v);
      case 'number':
        return jsonNumber(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (v === null) return 'null';
        if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return value((v as { toJSON: (k: string) => unknown }).toJSON(String(k)), k, pad);
        return Array.isArray(v) ? array(v, pad) : object(v as Json, pad);
      case 'bigint':
        return JSON.stringify(v); // throws, as JSON.stringify does
      default:
        return undefined; // undefined, functions, symbols
    }
  }

  function array(a: readonly unknown[], pad: string): string {
    if (a.length === 0) return '[]';
    const p = inner(pad);
    const open = pretty ? '[\n' + p : '[';
    const sep = pretty ? ',\n' + p : ',';
    let s = open;
    for (let i = 0; i < a.length; i++) s += (i === 0 ? '' : sep) + (value(a[i], i, p) ?? 'null');
    return s + (pretty ? '\n' + pad + ']' : ']');
  }

  function object(o: Json, pad: string): string {
    const p = inner(pad);
    const sep = pretty ? ',\n' + p : ',';
    let s = '';
    for (const k in o) {
      const x = value(o[k], k, p);
      if (x === undefined) continue;
      s += (s === '' ? '' : sep) + key(k) + x;
    }
    if (s === '') return '{}';
    return pretty ? '{\n' + p + s + '\n' + pad + '}' : '{' + s + '}';
  }

  /** A reason as written: every field but `bounds` at the default depth (report-json.ts shallow). */
  function reason(r: Json, pad: string): string {
    let s = frozen.get(r);
    if (s !== undefined) return s;
    if (details) s = object(r, pad);
    else {
      const p = inner(pad);
      const sep = pretty ? ',\n' + p : ',';
      s = '';
      for (const k in r) {
        if (k === 'bounds') continue;
        const x = value(r[k], k, p);
        if (x === undefined) continue;
        s += (s === '' ? '' : sep) + key(k) + x;
      }
      s = s === '' ? '{}' : pretty ? '{\n' + p + s + '\n' + pad + '}' : '{' + s + '}';
    }
    if (Object.isFrozen(r)) frozen.set(r, s);
    return s;
  }

  /**
   * A criterion's reasons as written: at the default depth a medication's courses that did not
   * decide are left out (report-json.ts reportReasons: a course is kept when the medication reason
   * before it failed or has the course's status).
   */
  function reasons(rs: readonly Json[], pad: string): string {
    const p = inner(pad);
    const sep = pretty ? ',\n' + p : ',';
    let s = '';
    let head: Json | undefined;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (!details) {
        if (r.code !== 'medication-course') head = r;
        else if (head !== undefined && head.status !== 'fail' && r.status !== head.status) continue;
      }
      s += (s === '' ? '' : sep) + reason(r, p);
    }
    if (s === '') return '[]';
    return pretty ? '[\n' + p + s + '\n' + pad + ']' : '[' + s + ']';
  }

  function missing(m: readonly unknown[], pad: string): string {
    let s = frozen.get(m);
    if (s !== undefined) return s;
    s = array(m, pad);
    if (Object.isFrozen(m)) frozen.set(m, s);
    return s;
  }

  /** One criterion as written: its fields but kind and text (report-json.ts criterionReport). */
  function criterion(c: Json, pad: string): string {
    const p = inner(pad);
    const sep = pretty ? ',\n' + p : ',';
    let s = '';
    for (const k in c) {
      let x: string | undefined;
      if (k === 'kind' || k === 'text') continue;
      const v = c[k];
      if (k === 'reasons' && Array.isArray(v)) x = reasons(v as Json[], p);
      else if (k === 'missing' && Array.isArray(v)) x = missing(v, p);
      else x = value(v, k, p);
      if (x === undefined) continue;
      s += (s === '' ? '' : sep) + key(k) + x;
    }
    if (s === '') return '{}';
    return pretty ? '{\n' + p + s + '\n' + pad + '}' : '{' + s + '}';
  }

  function criteria(cs: readonly Json[], pad: string): string {
    if (cs.length === 0) return '[]';
    const p = inner(pad);
    const sep = pretty ? ',\n' + p : ',';
    let s = pretty ? '[\n' + p : '[';
    for (let i = 0; i < cs.length; i++) s += (i === 0 ? '' : sep) + criterion(cs[i]!, p);
    return s + (pretty ? '\n' + pad + ']' : ']');
  }

  const top = pretty ? ' '.repeat(indent) : '';
  const topInner = inner(top);
  const topSep = pretty ? ',\n' + topInner : ',';
  return (p: PatientResult): string => {
    const o = p as unknown as Json;
    // the NDJSON line starts with its type; the JSON document's patient has none
    let s = pretty ? '' : '"type":"patient"';
    for (const k in o) {
      const v = o[k];
      const x = k === 'criteria' && Array.isArray(v) ? criteria(v as Json[], topInner) : value(v, k, topInner);
      if (x === undefined) continue;
      s += (s === '' ? '' : topSep) + key(k) + x;
    }
    if (s === '') return '{}';
    return pretty ? '{\n' + topInner + s + '\n' + top + '}' : '{' + s + '}';
  };
}
