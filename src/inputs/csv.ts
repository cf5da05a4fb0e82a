/**
 * CSV/TSV rows → patient records, one row per patient, by a header convention:
 *
 *   id, birthDate, age, sex, deceasedDate        demographics
 *   date                                         default date for the row's measurements and findings
 *   <measurement>                                value (egfr, ast, loinc:1920-8, …: any vocabulary code)
 *   <measurement>.unit | .date | .uln | .lln | .context | .interpretation (H, L, A, N: alone when no value is recorded) | .method
 *   finding:<code>            (+ .date)          yes/no, true/false, 1/0, present/absent
 *   attestation:<code>        (+ .date, .by)     yes/no …
 *   medication:<name>         (+ .perDay, .frequency, .start, .end, .status, .stopReason)
 *                                                value = dose per administration ("40 mg"); "yes" = taken, dose unknown; "no" = not taken
 *   conditions                                   codes separated by ; (snomed:55464009; icd10:M32.14), or "none"
 *   devices, allergies                           codes or names separated by ; (insulin-pump; crt-d / warfarin; ibuprofen), or "none"
 *   familyHistory                                relationship:condition pairs separated by ; (mother:icd10:C73; BRO:mtc-or-men2), or "none"
 *   substance:<name>          (+ .start, .end, .packYears, .date)   current, former, never or unknown (substance:tobacco = former)
 *   device:<code>             (+ .start, .end, .model)              yes (in use), no (not used: that device only), or a status (active, completed, stopped, on-hold)
 *   medications, findings, attestations          "none" declares an empty list (a history with nothing in it)
 *
 * A medication:<name> or device:<code> column says something of that drug or device only: without the
 * medications (devices) column the record's list is marked partial (`partial: [medications, devices]`),
 * and a rule about a drug or device the sheet does not mention stays unknown. With the list column
 * ("none", or the devices), the list is the patient's whole list.
 *
 * Empty cells are "not recorded". A mapping (--mapping file) renames source columns to these names
 * and can fix a unit: `columns: { "Creat (umol/L)": { to: creatinine, unit: umol/L } }`.
 * Pure: header and rows in, records and diagnostics out.
 */
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';
import { conceptIdsOf, resolve } from '../vocabulary/index.js';
import { parseCode } from '../vocabulary/codes.js';
import { own } from '../own.js';

export interface CsvMapping {
  /** source column → target column name, or { to, unit } */
  columns?: Record<string, string | { to: string; unit?: string }>;
}

type Rec = Record<string, unknown> & {
  measurements?: Record<string, unknown>[];
  findings?: Record<string, unknown>[];
  attestations?: Record<string, unknown>[];
  medications?: Record<string, unknown>[];
  conditions?: Record<string, unknown>[];
  substanceUse?: Record<string, unknown>[];
  devices?: Record<string, unknown>[];
};

const DEMOGRAPHICS: Record<string, string> = {
  id: 'id', patient_id: 'id', patientid: 'id', mrn: 'id',
  birthdate: 'birthDate', birth_date: 'birthDate', dob: 'birthDate', date_of_birth: 'birthDate',
  age: 'age', sex: 'sex', gender: 'sex', deceaseddate: 'deceasedDate', deceased_date: 'deceasedDate',
};
const MEAS_PROPS = new Set(['unit', 'date', 'uln', 'lln', 'context', 'interpretation', 'method']);
const MED_PROPS = new Set(['perday', 'frequency', 'start', 'end', 'status', 'stopreason', 'route']);
const YES = new Set(['yes', 'y', 'true', '1', 'present', 'positive', 'x']);
const NO = new Set(['no', 'n', 'false', '0', 'absent', 'negative']);

function bool(v: string): boolean | undefined {
  const f = v.trim().toLowerCase();
  return YES.has(f) ? true : NO.has(f) ? false : undefined;
}

function num(v: string): number | string {
  const t = v.trim();
  return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
}

/** Per-row group objects, created on first use, keyed by column base name. */
const SUBSTANCE_STATUS = new Set(['current', 'former', 'never', 'unknown']);
const DEVICE_STATUS = new Set(['active', 'completed', 'stopped', 'on-hold']);
/** Per-row cache key: the `devices` list column was given (even "none"). */
const DEVICES_LIST = '\u0000devices-list';
/** Per-row cache key: the `medications` list column was given ("none"). */
const MEDICATIONS_LIST = '\u0000medications-list';

function group(rec: Rec, list: 'measurements' | 'findings' | 'attestations' | 'medications' | 'substanceUse' | 'devices', key: string, init: () => Record<string, unknown>, cache: Map<string, Record<string, unknown>>): Record<string, unknown> {
  const k = `${list}|${key}`;
  let g = cache.get(k);
  if (!g) {
    g = init();
    cache.set(k, g);
    (rec[list] ??= []).push(g);
  }
  return g;
}

export interface CsvPlan {
  /** Build a record from one row of cells (aligned with the header). */
  row(cells: readonly string[]): { record: Record<string, unknown>; problems: string[] };
  /** Header problems (unknown columns), reported once per file. */
  diagnostics: Diagnostic[];
}

/** Compile the header (and mapping) once into per-column setters. */
export function planCsv(file: string, header: readonly string[], mapping: CsvMapping = {}): CsvPlan {
  const diagnostics: Diagnostic[] = [];
  const fixedUnits = new Map<string, string>();
  const names = header.map((h) => {
    const m = own(mapping.columns, h);
    if (m === undefined) return h.trim();
    if (typeof m === 'string') return m;
    if (m.unit) fixedUnits.set(m.to, m.unit);
    return m.to;
  });
  // setters run per row with a fresh cache; a "group" setter that is missing its value column still records props
  type ColSetter = (rec: Rec, value: string, cache: Map<string, Record<string, unknown>>, problems: string[]) => void;
  const setters: (ColSetter | undefined)[] = names.map((name, col) => {
    const lower = name.toLowerCase();
    const demo = own(DEMOGRAPHICS, lower);
    if (demo) {
      return (rec, v) => {
        rec[demo] = demo === 'age' ? num(v) : demo === 'sex' ? normaliseSex(v) : v.trim();
      };
    }
    if (lower === 'date') return undefined; // handled after the row (default date)
    if (lower === 'conditions') {
      return (rec, v) => {
        // "none": a problem list with nothing on it (as for medications, findings, attestations)
        rec.conditions = v.trim().toLowerCase() === 'none' ? [] : v.split(';').map((c) => c.trim()).filter(Boolean).map((code) => ({ code }));
      };
    }
    if (lower === 'devices' || lower === 'allergies') {
      return (rec, v, cache) => {
        const items = v.trim().toLowerCase() === 'none' ? [] : v.split(';').map((c) => c.trim()).filter(Boolean).map((code) => ({ code }));
        // device: columns may have added entries already: the list keeps them
        rec[lower] = [...(rec[lower] as Record<string, unknown>[] | undefined ?? []), ...items];
        if (lower === 'devices') cache.set(DEVICES_LIST, {});
      };
    }
    if (lower === 'familyhistory' || lower === 'family_history') {
      return (rec, v, _c, problems) => {
        if (v.trim().toLowerCase() === 'none') {
          rec.familyHistory = [];
          return;
        }
        const out: Record<string, unknown>[] = [];
        for (const pair of v.split(';').map((x) => x.trim()).filter(Boolean)) {
          const c = pair.indexOf(':');
          if (c <= 0 || c === pair.length - 1) problems.push(`column ${name}: "${pair}" is not relationship:condition (e.g. mother:icd10:C73)`);
          else out.push({ relationship: pair.slice(0, c).trim(), code: pair.slice(c + 1).trim() });
        }
        rec.familyHistory = out;
      };
    }
    if (lower === 'medications' || lower === 'findings' || lower === 'attestations') {
      return (rec, v, cache, problems) => {
        if (v.trim().toLowerCase() === 'none') {
          rec[lower] ??= [];
          if (lower === 'medications') cache.set(MEDICATIONS_LIST, {});
        } else problems.push(`column ${name}: only "none" is understood here`);
      };
    }
    const colon = name.indexOf(':');
    const kind = colon > 0 ? name.slice(0, colon).toLowerCase() : '';
    const dot = name.lastIndexOf('.');
    const prop = dot > colon ? name.slice(dot + 1) : '';
    const base = prop ? name.slice(0, dot) : name;
    if (kind === 'finding' || kind === 'attestation') {
      const code = base.slice(colon + 1);
      const list = kind === 'finding' ? 'findings' : 'attestations';
      const flag = kind === 'finding' ? 'present' : 'value';
      return (rec, v, cache, problems) => {
        const g = group(rec, list, code, () => ({ code }), cache);
        if (!prop) {
          const b = bool(v);
          if (b === undefined) problems.push(`column ${name}: "${v}" is not yes/no`);
          else g[flag] = b;
        } else if (prop === 'date' || prop === 'by') g[prop] = v.trim();
        else problems.push(`column ${name}: unknown property ${prop}`);
      };
    }
    if (kind === 'device') {
      const code = base.slice(colon + 1);
      return (rec, v, cache, problems) => {
        const g = group(rec, 'devices', code, () => ({ code }), cache);
        const p = prop.toLowerCase();
        if (!prop) {
          const b = bool(v);
          const st = v.trim().toLowerCase();
          if (b === true) g.status = 'active';
          else if (b === false) g.present = false;
          else if (DEVICE_STATUS.has(st)) g.status = st;
          else problems.push(`column ${name}: "${v}" is not yes/no or a device status (active, completed, stopped, on-hold)`);
        } else if (p === 'start' || p === 'end' || p === 'model') g[p] = v.trim();
        else problems.push(`column ${name}: unknown property ${prop}`);
      };
    }
    if (kind === 'substance') {
      const substance = base.slice(colon + 1);
      return (rec, v, cache, problems) => {
        const g = group(rec, 'substanceUse', substance, () => ({ substance }), cache);
        const p = prop.toLowerCase();
        if (!prop) {
          const st = v.trim().toLowerCase();
          if (SUBSTANCE_STATUS.has(st)) g.status = st;
          else problems.push(`column ${name}: "${v}" is not current, former, never or unknown`);
        } else if (p === 'start' || p === 'end' || p === 'date') g[p] = v.trim();
        else if (p === 'packyears') g.packYears = num(v);
        else problems.push(`column ${name}: unknown property ${prop}`);
      };
    }
    if (kind === 'medication') {
      const drug = base.slice(colon + 1);
      return (rec, v, cache, problems) => {
        const g = group(rec, 'medications', drug, () => ({ name: drug }), cache);
        if (!prop) {
          if (bool(v) === true) return;
          if (bool(v) === false) {
            g.status = 'not-taken';
            return;
          }
          g.dose = v.trim();
        } else if (MED_PROPS.has(prop.toLowerCase())) {
          const key = prop.toLowerCase() === 'perday' ? 'perDay' : prop.toLowerCase() === 'stopreason' ? 'stopReason' : prop.toLowerCase();
          g[key] = key === 'perDay' ? num(v) : v.trim();
        } else problems.push(`column ${name}: unknown property ${prop}`);
      };
    }
    // measurement: a vocabulary code, or a coded form (loinc:4548-4) the vocabulary may not hold, with optional .unit/.date/.uln/…
    const measProp = prop && MEAS_PROPS.has(prop.toLowerCase()) ? prop.toLowerCase() : '';
    const code = measProp ? base : name;
    if (resolve('measurement', code) || parseCode(code)) {
      return (rec, v, cache) => {
        const g = group(rec, 'measurements', code, () => ({ code }), cache);
        if (!measProp) {
          g.value = num(v);
          const fixed = fixedUnits.get(code);
          if (fixed && g.unit === undefined) g.unit = fixed;
        } else if (measProp === 'uln') g.referenceRange = { ...(g.referenceRange as object | undefined), high: num(v) };
        else if (measProp === 'lln') g.referenceRange = { ...(g.referenceRange as object | undefined), low: num(v) };
        else g[measProp] = v.trim();
      };
    }
    diagnostics.push(diag('record/unknown-key', `column "${header[col]}" is not a known field, measurement, finding:, attestation:, medication:, device: or substance: column; ignored`, { file, line: 1, column: col + 1 }));
    return undefined;
  });
  const dateCol = names.findIndex((n) => n.toLowerCase() === 'date');
  // the same column twice: a warning on the header, and an error for a row whose cells disagree
  const byName = new Map<string, number[]>();
  names.forEach((n, i) => {
    const k = n.trim().toLowerCase();
    if (k === '') return;
    const l = byName.get(k);
    if (l) l.push(i);
    else byName.set(k, [i]);
  });
  const duplicated = [...byName.entries()].filter(([, cols]) => cols.length > 1);
  for (const [n, cols] of duplicated) {
    diagnostics.push(diag('record/unknown-key', `column "${n}" appears ${cols.length} times (columns ${cols.map((c) => c + 1).join(', ')}); a row whose cells differ there is an error`,
      { file, line: 1, column: cols[1]! + 1 }, { severity: 'warning' }));
  }
  return {
    diagnostics,
    row(cells) {
      const rec: Rec = Object.create(null) as Rec;
      const cache = new Map<string, Record<string, unknown>>();
      const problems: string[] = [];
      const partial: ('medications' | 'devices')[] = [];
      for (const [n, cols] of duplicated) {
        const values = new Set(cols.map((c) => cells[c]?.trim() ?? '').filter((v) => v !== ''));
        if (values.size > 1) problems.push(`column "${n}" is given ${values.size} different values (${[...values].map((v) => JSON.stringify(v)).join(', ')})`);
      }
      for (let i = 0; i < setters.length; i++) {
        const v = cells[i];
        const s = setters[i];
        if (s && v !== undefined && v.trim() !== '') s(rec, v, cache, problems);
      }
      // measurements with no value cell are dropped (only props were given) unless the lab's flag is
      // there (ALT.interpretation = H alone); a default date applies
      if (rec.measurements) {
        rec.measurements = rec.measurements.filter((m) => m.value !== undefined || m.interpretation !== undefined);
        const d = dateCol >= 0 ? cells[dateCol]?.trim() : undefined;
        if (d) for (const m of rec.measurements) m.date ??= d;
        if (!rec.measurements.length) delete rec.measurements;
      }
      if (rec.findings) {
        rec.findings = rec.findings.filter((f) => f.present !== undefined);
        const d = dateCol >= 0 ? cells[dateCol]?.trim() : undefined;
        if (d) for (const f of rec.findings) f.date ??= d;
      }
      if (rec.attestations) rec.attestations = rec.attestations.filter((a) => a.value !== undefined);
      // device: columns: "no" records that device's absence only (present: false), never the device list, which
      // only the devices column declares (its list then holds the absence); properties alone record nothing
      if (rec.devices) {
        const declared = cache.has(DEVICES_LIST);
        const column = (d: Record<string, unknown>) => cache.get(`devices|${String(d.code)}`) === d;
        rec.devices = rec.devices.filter((d) => !column(d) || d.status !== undefined || d.present === false);
        if (declared) {
          const listed = rec.devices.filter((d) => d.present !== false);
          for (const a of rec.devices.filter((d) => d.present === false)) {
            const id = resolve('device', String(a.code))?.id;
            const same = listed.find((d) => (id ? conceptIdsOf('device', String(d.code), undefined).includes(id) : String(d.code).trim().toLowerCase() === String(a.code).trim().toLowerCase()));
            if (same) problems.push(`column device:${String(a.code)}: not used, but the devices column lists ${String(same.code)}`);
          }
          rec.devices = listed;
        } else if (!rec.devices.length) delete rec.devices;
        else partial.push('devices');
      }
      // medication: columns say something of their drug only: without the medications column ("none": no other
      // drug) the list is partial, and a rule about a drug the sheet does not mention stays unknown
      if (rec.medications && !cache.has(MEDICATIONS_LIST)) partial.unshift('medications');
      if (partial.length) rec.partial = partial;
      // a substance column with only properties (no status) is not a statement
      if (rec.substanceUse) {
        rec.substanceUse = rec.substanceUse.filter((u) => u.status !== undefined);
        const d = dateCol >= 0 ? cells[dateCol]?.trim() : undefined;
        if (d) for (const u of rec.substanceUse) u.date ??= d;
        if (!rec.substanceUse.length) delete rec.substanceUse;
      }
      return { record: { ...rec }, problems };
    },
  };
}

function normaliseSex(v: string): string {
  const f = v.trim().toLowerCase();
  if (f === 'f' || f === 'female' || f === 'woman') return 'female';
  if (f === 'm' || f === 'male' || f === 'man') return 'male';
  return f;
}
