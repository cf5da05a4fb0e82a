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
import type { CriterionResult, Derivation, Evidence, MissingItem, PatientResult, Reason } from '../model.js';

/**
 * The fields the writer writes by name. A field added to one of these types without being written
 * here does not compile (`true` is not assignable to the unwritten field's name).
 */
type Unwritten<T, K extends readonly string[]> = [Exclude<keyof T, K[number]>] extends [never] ? true : Exclude<keyof T, K[number]>;
const PATIENT_FIELDS = ['id', 'source', 'verdict', 'criteria', 'diagnostics', 'unmapped'] as const;
const CRITERION_FIELDS = ['id', 'kind', 'text', 'status', 'reasons', 'missing'] as const;
const REASON_FIELDS = ['code', 'status', 'text', 'observed', 'threshold', 'derivation', 'bounds'] as const;
const DERIVATION_FIELDS = ['calculator', 'method', 'inputs'] as const;
const MISSING_FIELDS = ['item', 'description'] as const;
const everyFieldWritten: [
  Unwritten<PatientResult, typeof PATIENT_FIELDS>, Unwritten<CriterionResult, typeof CRITERION_FIELDS>, Unwritten<Reason, typeof REASON_FIELDS>,
  Unwritten<Derivation, typeof DERIVATION_FIELDS>, Unwritten<MissingItem, typeof MISSING_FIELDS>,
] = [true, true, true, true, true];
void everyFieldWritten;

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

type Json = Record<string, unknown>;

/**
 * A writer of report@2 patients. `indent`: undefined for one line (NDJSON), else the indentation
 * of the patient object in the JSON document (its fields `indent + 2` spaces in, as
 * JSON.stringify(…, null, 2) indented by `indent`).
 *
 * The patient, its criteria, their reasons, derivations and missing items are written field by
 * field, by name, in the order the engine gives them (engine/compile.ts, reasons.ts reason()): reading
 * fields by name is what makes this cheaper than JSON.stringify (reasons come in several shapes, and
 * enumerating them is polymorphic). Evidence and thresholds, whose fields come in several orders,
 * and any other value are written in their own order (for-in, as JSON.stringify).
 */
export function patientJsonWriter(details: boolean, indent?: number): (p: PatientResult) => string {
  const pretty = indent !== undefined;
  const colon = pretty ? ': ' : ':';
  const keys = new Map<string, string>();
  const key = (k: string): string => {
    let f = keys.get(k);
    if (f === undefined) {
      f = JSON.stringify(k) + colon;
      if (keys.size < 4096) keys.set(k, f);
    }
    return f;
  };
  const base = indent ?? 0;
  /** Indentation `depth` levels into the patient ('' on one line). */
  const pad = (depth: number): string => (pretty ? ' '.repeat(base + 2 * depth) : '');
  /** Between two members `depth` levels in; opening and closing a container whose members are `depth` levels in. */
  const sep = (depth: number): string => (pretty ? ',\n' + pad(depth) : ',');
  const open = (bracket: string, depth: number): string => (pretty ? bracket + '\n' + pad(depth) : bracket);
  const close = (bracket: string, depth: number): string => (pretty ? '\n' + pad(depth - 1) + bracket : bracket);
  // depths: patient fields 1, criteria 2, criterion fields 3, reasons 4, reason fields 5, evidence fields 6, inputs 7, input fields 8
  const S1 = sep(1), S2 = sep(2), S3 = sep(3), S4 = sep(4), S5 = sep(5);
  const K = (k: string): string => JSON.stringify(k) + colon;
  const PATIENT_OPEN = open('{', 1) + (pretty ? '' : '"type":"patient",');
  const PATIENT_CLOSE = close('}', 1);
  const CRITERIA_OPEN = S1 + K('criteria') + open('[', 2);
  const CRITERIA_CLOSE = close(']', 2);
  const CRITERION_OPEN = open('{', 3);
  const CRITERION_CLOSE = close('}', 3);
  const REASONS = S3 + K('reasons');
  const REASONS_OPEN = open('[', 4);
  const REASONS_CLOSE = close(']', 4);
  const MISSING = S3 + K('missing');
  const REASON_OPEN = open('{', 5) + K('code');
  const REASON_CLOSE = close('}', 5);
  const STATUS5 = S5 + K('status');
  const TEXT5 = S5 + K('text');
  const OBSERVED = S5 + K('observed');
  const THRESHOLD = S5 + K('threshold');
  const DERIVATION = S5 + K('derivation');
  const BOUNDS = S5 + K('bounds');
  const EMPTY_REASONS = REASONS + '[]';

  /** Frozen (compile-time, shared) reasons and missing lists, written once: their text depends only on the object (its depth is fixed). */
  const frozen = new WeakMap<object, string>();

  /** Any JSON value, `depth` levels in (its members depth + 1): JSON.stringify's rules. */
  function value(v: unknown, k: string | number, depth: number): string | undefined {
    switch (typeof v) {
      case 'string':
        return jsonString(v);
      case 'number':
        return jsonNumber(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (v === null) return 'null';
        if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return value((v as { toJSON: (k: string) => unknown }).toJSON(String(k)), k, depth);
        return Array.isArray(v) ? array(v, depth) : object(v as Json, depth);
      case 'bigint':
        return JSON.stringify(v); // throws, as JSON.stringify does
      default:
        return undefined; // undefined, functions, symbols
    }
  }

  function array(a: readonly unknown[], depth: number): string {
    if (a.length === 0) return '[]';
    const d = depth + 1;
    const between = sep(d);
    let s = open('[', d);
    for (let i = 0; i < a.length; i++) s += (i === 0 ? '' : between) + (value(a[i], i, d) ?? 'null');
    return s + close(']', d);
  }

  /** An object in its own field order (for-in, as JSON.stringify), undefined values left out. */
  function object(o: Json, depth: number): string {
    const d = depth + 1;
    let s = '';
    for (const k in o) {
      const v = o[k];
      let x: string | undefined;
      if (typeof v === 'string') x = jsonString(v);
      else if (typeof v === 'number') x = jsonNumber(v);
      else {
        x = value(v, k, d);
        if (x === undefined) continue;
      }
      s += (s === '' ? '' : sep(d)) + key(k) + x;
    }
    return s === '' ? '{}' : open('{', d) + s + close('}', d);
  }

  // key fragments of evidence, thresholds and missing items, picked by a switch (the keys are internalized strings: pointer compares)
  const K_ITEM = K('item'), K_VALUE = K('value'), K_UNIT = K('unit'), K_DATE = K('date'), K_SOURCE = K('source'), K_OP = K('op'), K_DESCRIPTION = K('description');
  function fieldKey(k: string): string {
    switch (k) {
      case 'item': return K_ITEM;
      case 'value': return K_VALUE;
      case 'unit': return K_UNIT;
      case 'date': return K_DATE;
      case 'source': return K_SOURCE;
      case 'op': return K_OP;
      case 'description': return K_DESCRIPTION;
      default: return key(k);
    }
  }

  /**
   * Evidence, a threshold, bounds, a missing item: objects of scalars whose fields come in several
   * orders, written in their own order (for-in, as JSON.stringify); `depth` is the object's own.
   */
  function part(v: unknown, k: string | number, depth: number): string | undefined {
    // no toJSON check here: these are the engine's plain objects, and looking up a missing toJSON on
    // their many shapes cost ≈ 10 % of the writer's instructions; values inside them go through value()
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return value(v, k, depth);
    const o = v as Json;
    const d = depth + 1;
    const between = pretty ? sep(d) : ',';
    let s = '';
    for (const f in o) {
      const x = o[f];
      let t: string | undefined;
      switch (typeof x) {
        case 'string': t = jsonString(x); break;
        case 'number': t = jsonNumber(x); break;
        case 'boolean': t = x ? 'true' : 'false'; break;
        case 'undefined': continue;
        default:
          t = value(x, f, d);
          if (t === undefined) continue;
      }
      s += (s === '' ? '' : between) + fieldKey(f) + t;
    }
    return s === '' ? '{}' : open('{', d) + s + close('}', d);
  }

  /** A list of evidence or missing items. */
  function list(a: readonly unknown[], depth: number): string {
    if (a.length === 0) return '[]';
    const d = depth + 1;
    const between = sep(d);
    let s = open('[', d);
    for (let i = 0; i < a.length; i++) s += (i === 0 ? '' : between) + (part(a[i], i, d) ?? 'null');
    return s + close(']', d);
  }

  function derivation(d: Derivation, depth: number): string {
    const inner = depth + 1;
    const between = sep(inner);
    let s = key('calculator') + jsonString(d.calculator) + between + key('method') + jsonString(d.method);
    const inputs = d.inputs as readonly Evidence[] | undefined;
    if (inputs !== undefined) s += between + key('inputs') + (Array.isArray(inputs) ? list(inputs, inner) : value(inputs, 'inputs', inner));
    return open('{', inner) + s + close('}', inner);
  }

  /** A reason, its fields by name; `bounds` only with --details (report-json.ts shallow). */
  function reason(r: Reason): string {
    let s = frozen.get(r);
    if (s !== undefined) return s;
    s = REASON_OPEN + jsonString(r.code) + STATUS5 + jsonString(r.status) + TEXT5 + jsonString(r.text);
    let x: string | undefined;
    if (r.observed !== undefined && (x = part(r.observed, 'observed', 5)) !== undefined) s += OBSERVED + x;
    if (r.threshold !== undefined && (x = part(r.threshold, 'threshold', 5)) !== undefined) s += THRESHOLD + x;
    if (r.derivation !== undefined) s += DERIVATION + (r.derivation !== null && typeof r.derivation === 'object' ? derivation(r.derivation, 5) : value(r.derivation, 'derivation', 5));
    if (details && r.bounds !== undefined && (x = part(r.bounds, 'bounds', 5)) !== undefined) s += BOUNDS + x;
    s += REASON_CLOSE;
    if (Object.isFrozen(r)) frozen.set(r, s);
    return s;
  }

  /**
   * A criterion's reasons: at the default depth a medication's courses that did not decide are left
   * out (report-json.ts reportReasons: a course is kept when the medication reason before it failed
   * or has the course's status).
   */
  function reasons(rs: readonly Reason[]): string {
    let s = '';
    let head: Reason | undefined;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      if (!details) {
        if (r.code !== 'medication-course') head = r;
        else if (head !== undefined && head.status !== 'fail' && r.status !== head.status) continue;
      }
      s += (s === '' ? REASONS_OPEN : S4) + reason(r);
    }
    return s === '' ? EMPTY_REASONS : REASONS + s + REASONS_CLOSE;
  }

  function missing(m: readonly MissingItem[]): string {
    let s = frozen.get(m);
    if (s !== undefined) return s;
    s = MISSING + (Array.isArray(m) ? list(m, 3) : value(m, 'missing', 3));
    if (Object.isFrozen(m)) frozen.set(m, s);
    return s;
  }

  /** Per criterion id, `{"id":"<id>","status":` (the criteria's ids are the same for every patient). */
  const heads = new Map<string, string>();
  function criterion(c: CriterionResult): string {
    let h = heads.get(c.id);
    if (h === undefined) {
      h = CRITERION_OPEN + key('id') + jsonString(c.id) + S3 + key('status');
      if (heads.size < 4096) heads.set(c.id, h);
    }
    let s = h + jsonString(c.status) + (Array.isArray(c.reasons) ? reasons(c.reasons) : c.reasons === undefined ? '' : REASONS + value(c.reasons, 'reasons', 3));
    if (c.missing !== undefined) s += missing(c.missing);
    return s + CRITERION_CLOSE;
  }

  const field = (k: string, v: unknown): string => {
    const x = value(v, k, 1);
    return x === undefined ? '' : S1 + key(k) + x;
  };
  return (p: PatientResult): string => {
    let s = PATIENT_OPEN + key('id') + jsonString(p.id) + field('source', p.source) + field('verdict', p.verdict);
    const cs = p.criteria;
    if (cs.length === 0) s += S1 + key('criteria') + '[]';
    else {
      s += CRITERIA_OPEN + criterion(cs[0]!);
      for (let i = 1; i < cs.length; i++) s += S2 + criterion(cs[i]!);
      s += CRITERIA_CLOSE;
    }
    if (p.diagnostics !== undefined) s += field('diagnostics', p.diagnostics);
    if (p.unmapped !== undefined) s += field('unmapped', p.unmapped);
    return s + PATIENT_CLOSE;
  };
}
