/**
 * Patient records → CSV in the header convention that `elig check` reads (src/inputs/csv.ts), for
 * sites and tests that need a spreadsheet of the records. A CSV row holds one patient and one cell per
 * column, so it cannot hold everything a record can: a second value of the same measurement, a
 * second course of the same drug, a condition's onset or status, the date of a dated age, a
 * reference range's lower bound, provenance (`source`). The export never drops such an entry
 * silently: each is listed in `losses` with its record and path, so a caller can refuse the export
 * or show what the CSV does not carry (issue 11: exporting the sample patients to CSV changed four
 * results, with no word of what was lost). Of several values or courses, the row keeps the latest
 * (by date, then by position). Pure: records in, cells and losses out.
 */

type Obj = Record<string, unknown>;

/** One entry of a record that the CSV row does not carry. */
export interface CsvExportLoss {
  /** 1-based position of the record in the export. */
  record: number;
  id?: string;
  /** Path in the record: `measurements[3]`, `conditions[0].onset`, `age.date`. */
  path: string;
  reason: string;
}

export interface CsvExport {
  header: string[];
  rows: string[][];
  losses: CsvExportLoss[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] | undefined => (Array.isArray(v) ? v.filter(isObj) : undefined);
const text = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined
    : typeof v === 'string' ? v
      : typeof v === 'number' || typeof v === 'boolean' ? String(v)
        : isObj(v) && typeof v.value === 'number' ? `${v.value}${typeof v.unit === 'string' && v.unit ? ` ${v.unit}` : ''}`
          : undefined;

const DEMOGRAPHIC_COLUMNS = ['id', 'birthDate', 'age', 'sex', 'deceasedDate'];
const KNOWN_RECORD_KEYS = new Set([...DEMOGRAPHIC_COLUMNS, 'measurements', 'conditions', 'medications', 'findings', 'attestations']);
const MEASUREMENT_KEYS = new Set(['code', 'value', 'unit', 'date', 'referenceRange', 'context', 'interpretation', 'method']);
const MEDICATION_KEYS = new Set(['name', 'code', 'dose', 'perDay', 'frequency', 'route', 'start', 'end', 'status', 'stopReason']);
const FINDING_KEYS = new Set(['code', 'present', 'date']);
const ATTESTATION_KEYS = new Set(['code', 'value', 'by', 'date']);

/** Latest first: by date (undated last), then by position (later first). */
function latestFirst<T extends { entry: Obj; index: number }>(items: T[], dateKey: string): T[] {
  return [...items].sort((a, b) => {
    const da = typeof a.entry[dateKey] === 'string' ? (a.entry[dateKey] as string) : '';
    const db = typeof b.entry[dateKey] === 'string' ? (b.entry[dateKey] as string) : '';
    return da === db ? b.index - a.index : da < db ? 1 : -1;
  });
}

/** Group a record's list by the column base it would fill. */
function byKey(entries: Obj[] | undefined, keyOf: (e: Obj) => string | undefined): Map<string, { entry: Obj; index: number }[]> {
  const out = new Map<string, { entry: Obj; index: number }[]>();
  (entries ?? []).forEach((entry, index) => {
    const k = keyOf(entry);
    if (k === undefined) return;
    const g = out.get(k);
    if (g) g.push({ entry, index });
    else out.set(k, [{ entry, index }]);
  });
  return out;
}

/** The cells of one record (column → text) and what they cannot carry. */
function recordCells(rec: unknown, recordNo: number): { cells: Map<string, string>; losses: CsvExportLoss[] } {
  const cells = new Map<string, string>();
  const losses: CsvExportLoss[] = [];
  if (!isObj(rec)) {
    losses.push({ record: recordNo, path: '', reason: 'not a record (an object): nothing exported' });
    return { cells, losses };
  }
  const id = text(rec.id);
  const lose = (path: string, reason: string) => losses.push({ record: recordNo, ...(id !== undefined ? { id } : {}), path, reason });
  const set = (column: string, value: unknown) => {
    const t = text(value);
    if (t !== undefined && t !== '') cells.set(column, t);
  };
  for (const k of Object.keys(rec)) if (!KNOWN_RECORD_KEYS.has(k)) lose(k, 'not a patient-record field: no CSV column');
  for (const c of ['id', 'birthDate', 'sex', 'deceasedDate']) set(c, rec[c]);
  if (isObj(rec.age)) {
    set('age', rec.age.value);
    if (rec.age.date !== undefined) lose('age.date', 'the date of a dated age: the age column holds the number only');
  } else set('age', rec.age);

  // measurements: one value per code; the latest is kept
  for (const [code, items] of byKey(list(rec.measurements), (m) => (typeof m.code === 'string' ? m.code : undefined))) {
    const [kept, ...rest] = latestFirst(items, 'date');
    for (const r of rest) lose(`measurements[${r.index}]`, `a second ${code} value (a CSV row holds one per code; kept measurements[${kept!.index}], the latest)`);
    const m = kept!.entry;
    const p = `measurements[${kept!.index}]`;
    if (isObj(m.value)) {
      set(code, m.value.value);
      set(`${code}.unit`, m.value.unit ?? m.unit);
    } else {
      set(code, m.value);
      set(`${code}.unit`, m.unit);
    }
    set(`${code}.date`, m.date);
    set(`${code}.context`, m.context);
    set(`${code}.interpretation`, m.interpretation);
    set(`${code}.method`, m.method);
    if (isObj(m.referenceRange)) {
      set(`${code}.uln`, m.referenceRange.high);
      if (m.referenceRange.low !== undefined) lose(`${p}.referenceRange.low`, 'the lower reference limit: the CSV has .uln only');
      if (m.referenceRange.text !== undefined) lose(`${p}.referenceRange.text`, 'the reference range text');
    }
    for (const k of Object.keys(m)) if (!MEASUREMENT_KEYS.has(k)) lose(`${p}.${k}`, `${k}: no CSV column`);
  }

  // medications: one course per drug; the latest start is kept
  for (const [drug, items] of byKey(list(rec.medications), (m) => text(m.name) ?? text(m.code))) {
    const [kept, ...rest] = latestFirst(items, 'start');
    for (const r of rest) lose(`medications[${r.index}]`, `a second ${drug} course (a CSV row holds one per drug; kept medications[${kept!.index}], the latest)`);
    const m = kept!.entry;
    const p = `medications[${kept!.index}]`;
    const col = `medication:${drug}`;
    if (m.status === 'not-taken') cells.set(col, 'no');
    else {
      cells.set(col, text(m.dose) ?? 'yes');
      set(`${col}.status`, m.status);
    }
    for (const k of ['perDay', 'frequency', 'route', 'start', 'end', 'stopReason']) set(`${col}.${k}`, m[k]);
    if (m.name !== undefined && m.code !== undefined) lose(`${p}.code`, 'the drug code beside its name: the column is named by one of them');
    for (const k of Object.keys(m)) if (!MEDICATION_KEYS.has(k)) lose(`${p}.${k}`, `${k}: no CSV column`);
  }
  if (Array.isArray(rec.medications) && rec.medications.length === 0) cells.set('medications', 'none');

  for (const [kind, flag, keys] of [['findings', 'present', FINDING_KEYS], ['attestations', 'value', ATTESTATION_KEYS]] as const) {
    const prefix = kind === 'findings' ? 'finding' : 'attestation';
    for (const [code, items] of byKey(list(rec[kind]), (f) => (typeof f.code === 'string' ? f.code : undefined))) {
      const [kept, ...rest] = latestFirst(items, 'date');
      for (const r of rest) lose(`${kind}[${r.index}]`, `a second ${code} (a CSV row holds one per code; kept ${kind}[${kept!.index}], the latest)`);
      const f = kept!.entry;
      const p = `${kind}[${kept!.index}]`;
      cells.set(`${prefix}:${code}`, f[flag] === false ? 'no' : 'yes');
      set(`${prefix}:${code}.date`, f.date);
      if (kind === 'attestations') set(`${prefix}:${code}.by`, f.by);
      for (const k of Object.keys(f)) if (!keys.has(k)) lose(`${p}.${k}`, `${k}: no CSV column`);
    }
    if (Array.isArray(rec[kind]) && (rec[kind] as unknown[]).length === 0) cells.set(kind, 'none');
  }

  const conditions = list(rec.conditions);
  if (conditions) {
    cells.set('conditions', conditions.length ? conditions.map((c) => text(c.code) ?? '').filter(Boolean).join(';') : 'none');
    conditions.forEach((c, i) => {
      for (const k of Object.keys(c)) if (k !== 'code') lose(`conditions[${i}].${k}`, `a condition's ${k}: the conditions column holds codes only`);
    });
  }
  return { cells, losses };
}

/** Column order: demographics, measurements, findings, attestations, medications, then the list columns. */
function columnRank(c: string): [number, string] {
  const demo = DEMOGRAPHIC_COLUMNS.indexOf(c);
  if (demo >= 0) return [demo, ''];
  if (c.startsWith('finding:')) return [20, c];
  if (c.startsWith('attestation:')) return [30, c];
  if (c.startsWith('medication:')) return [40, c];
  if (['conditions', 'medications', 'findings', 'attestations'].includes(c)) return [50, c];
  return [10, c];
}

/** Records → the header, one row per record, and every entry the rows do not carry. */
export function recordsToCsv(records: readonly unknown[]): CsvExport {
  const all = records.map((r, i) => recordCells(r, i + 1));
  const columns = [...new Set(all.flatMap((r) => [...r.cells.keys()]))].sort((a, b) => {
    const [ra, sa] = columnRank(a);
    const [rb, sb] = columnRank(b);
    return ra - rb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
  return {
    header: columns,
    rows: all.map((r) => columns.map((c) => r.cells.get(c) ?? '')),
    losses: all.flatMap((r) => r.losses),
  };
}

/** One RFC 4180 field (quoted when needed, quotes doubled). Data, not a report: no formula guard. */
function field(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The export as CSV text: the header line, then one line per record (CRLF line ends). */
export function csvText(exp: Pick<CsvExport, 'header' | 'rows'>): string {
  return [exp.header, ...exp.rows].map((r) => `${r.map(field).join(',')}\r\n`).join('');
}
