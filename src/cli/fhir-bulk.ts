/**
 * FHIR Bulk Data input: a directory of NDJSON files, one resource type per file (`Patient.ndjson`,
 * `Observation.ndjson`, `Condition.ndjson`, … also `Observation.2.ndjson`, `1.Observation.ndjson`),
 * joined by patient reference and mapped by src/inputs/fhir/.
 *
 * Bounded memory — partition by patient, spilling to scratch files:
 *  1. A first pass over the Patient files keeps only `id → index` (and the line of each Patient).
 *  2. When the export is smaller than the budget (64 MiB by default), every file is streamed once
 *     and grouped in memory. Otherwise patients are cut into B contiguous index ranges
 *     (B = total bytes ÷ budget) and every line of every file is appended to the scratch file of its
 *     patient's range; then each range is read back, grouped and mapped. Memory holds one range
 *     (≈ budget bytes of JSON), the id index and the Medication resources; output keeps the order
 *     of Patient.ndjson.
 * Resources that refer to a patient not in Patient.ndjson become one `error` item per missing
 * patient, located at the first line that refers to it; bad lines are located diagnostics and the
 * rest is still checked.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import {
  diag, fhirItems, jsonErrorMessage, isFhirResource, mapPatient, patientKey, patientRefOf, refName,
  type Diagnostic, type InputItem, type Res,
} from '../index.js';
import type { Io, Scratch } from './io.js';

/** `Observation.ndjson`, `Observation.2.ndjson`, `1.Observation.ndjson`, `Observation-003.ndjson(.gz)` → Observation. */
const BULK_FILE = /^(?:\d+[._-])?([A-Z][A-Za-z]+)(?:[._-]\d+)?\.(?:ndjson|jsonl)(?:\.gz)?$/;

export function bulkTypeOf(name: string): string | undefined {
  return BULK_FILE.exec(name)?.[1];
}

/** A directory listing that is a Bulk Data export (it has a Patient file). */
export function isFhirBulkListing(names: readonly string[]): boolean {
  return names.some((n) => bulkTypeOf(n) === 'Patient');
}

export async function isFhirBulkDir(io: Io, path: string): Promise<boolean> {
  try {
    const st = await io.stat(path);
    return st.isDirectory() && isFhirBulkListing(await io.readdir(path));
  } catch {
    return false;
  }
}

/** Map FHIR resources found among ordinary records (a Bundle in a .json file, Bundles in NDJSON lines). */
export async function* expandFhir(batches: AsyncIterable<InputItem[]>): AsyncGenerator<InputItem[]> {
  let shift = 0;
  for await (const batch of batches) {
    // most batches hold no FHIR resource and follow none: passed on as they are
    if (!shift && !batch.some((item) => item.kind === 'record' && isFhirResource(item.raw))) {
      yield batch;
      continue;
    }
    const expanded: InputItem[] = [];
    for (const item of batch) {
      if (item.kind === 'record' && isFhirResource(item.raw)) {
        const out = fhirItems(item.source.file, item.raw);
        const base = (item.source.record ?? 1) + shift;
        for (const o of out) {
          o.source = { ...o.source, record: base + (o.source.record ?? 1) - 1, ...(item.source.line !== undefined ? { line: item.source.line } : {}) };
          expanded.push(o);
        }
        shift += out.length - 1;
      } else if (shift) {
        expanded.push({ ...item, source: { ...item.source, record: (item.source.record ?? 1) + shift } });
      } else expanded.push(item);
    }
    yield expanded;
  }
}

export interface BulkOptions {
  /** Bytes of NDJSON held in memory at once (default 64 MiB). */
  budget?: number;
}

interface BulkFile {
  path: string;
  type: string;
  size: number;
}

interface Parsed {
  res?: Record<string, unknown>;
  error?: string;
}

function parseLine(line: string): Parsed {
  try {
    const v: unknown = JSON.parse(line);
    if (!isFhirResource(v)) return { error: 'not a FHIR resource (no resourceType)' };
    return { res: v };
  } catch (e) {
    return { error: jsonErrorMessage(e) };
  }
}

async function* fileLines(io: Io, path: string): AsyncGenerator<string> {
  const raw = io.openRead(path);
  const rl = createInterface({ input: path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
  for await (const l of rl) yield l;
}

/** An in-memory Scratch for Io implementations without one (tests). */
function memScratch(): Scratch {
  const m = new Map<string, string[]>();
  return {
    append: async (name, data) => {
      const l = m.get(name);
      if (l) l.push(data);
      else m.set(name, [data]);
    },
    lines: async function* (name) {
      for (const chunk of m.get(name) ?? []) for (const l of chunk.split('\n')) if (l) yield l;
    },
    dispose: async () => void m.clear(),
  };
}

export async function* fhirBulkItems(io: Io, dir: string, _problems: Diagnostic[], opts: BulkOptions = {}): AsyncGenerator<InputItem> {
  const budget = opts.budget ?? 64 * 1024 * 1024;
  const files: BulkFile[] = [];
  for (const name of (await io.readdir(dir)).sort()) {
    const type = bulkTypeOf(name);
    if (!type) continue;
    const path = join(dir, name);
    files.push({ path, type, size: (await io.stat(path)).size });
  }
  const families = new Set(files.map((f) => f.type));
  const patientFiles = files.filter((f) => f.type === 'Patient');

  // pass 1: the patient index (id → position in Patient order), and bad Patient lines
  const index = new Map<string, number>();
  const patientLoc: { file: string; line: number }[] = [];
  for (const f of patientFiles) {
    let lineNo = 0;
    for await (const line of fileLines(io, f.path)) {
      lineNo++;
      if (!line.trim()) continue;
      const p = parseLine(line);
      const id = p.res && typeof p.res.id === 'string' ? p.res.id : undefined;
      if (!p.res || p.res.resourceType !== 'Patient' || !id) {
        const why = p.error ?? (p.res?.resourceType !== 'Patient' ? `a ${String(p.res?.resourceType)} in a Patient file` : 'Patient without id');
        yield { kind: 'error', source: { file: f.path, line: lineNo }, diagnostic: diag(p.error ? 'syntax/json' : 'fhir/invalid-bundle', why, { file: f.path, line: lineNo }) };
        continue;
      }
      if (index.has(id)) {
        yield { kind: 'error', id, source: { file: f.path, line: lineNo }, diagnostic: diag('fhir/invalid-bundle', `Patient/${id} appears twice; only the first is checked`, { file: f.path, line: lineNo }) };
        continue;
      }
      index.set(id, patientLoc.length);
      patientLoc.push({ file: f.path, line: lineNo });
    }
  }
  const n = patientLoc.length;
  const total = files.reduce((s, f) => s + f.size, 0);
  const ranges = Math.max(1, Math.ceil(total / budget));
  const perRange = Math.max(1, Math.ceil(n / ranges));
  const medications = new Map<string, Record<string, unknown>>();
  const missing = new Map<string, { count: number; file: string; line: number; first: string }>();
  const lineErrors: InputItem[] = [];
  /** Resources that refer to no patient, counted by type (listed as unmapped on the first record). */
  const noPatient = new Map<string, number>();

  /** The patient index of a resource line, or undefined (recorded as missing / shared). */
  const route = (res: Record<string, unknown>, file: string, line: number): number | undefined => {
    if (res.resourceType === 'Patient') return typeof res.id === 'string' ? index.get(res.id) : undefined;
    const ref = patientRefOf(res);
    if (!ref) {
      if (res.resourceType === 'Medication' && typeof res.id === 'string') medications.set(`Medication/${res.id}`, res);
      else noPatient.set(String(res.resourceType), (noPatient.get(String(res.resourceType)) ?? 0) + 1);
      return undefined;
    }
    const key = patientKey(ref);
    const idx = key.startsWith('Patient/') ? index.get(key.slice(8)) : undefined;
    if (idx === undefined) {
      const m = missing.get(key);
      if (m) m.count++;
      else missing.set(key, { count: 1, file, line, first: refName(res) });
    }
    return idx;
  };
  const badLine = (file: string, line: number, error: string): void => {
    lineErrors.push({ kind: 'error', source: { file, line }, diagnostic: diag('syntax/json', error, { file, line }) });
  };

  const medication = (ref: string): Record<string, unknown> | undefined => {
    const m = /(?:^|\/)(Medication\/[^/]+)$/.exec(ref);
    return m ? medications.get(m[1]!) : undefined;
  };
  const mapRange = function* (groups: Map<number, { patient?: Res; rest: Res[] }>, from: number, to: number): Generator<InputItem> {
    for (let i = from; i < to; i++) {
      const g = groups.get(i);
      const loc = patientLoc[i]!;
      if (!g?.patient) continue; // unreachable: every indexed Patient line is routed to its range
      const mapped = mapPatient(g.patient, g.rest, { families, medication });
      if (i === 0) for (const [t, c] of noPatient) mapped.unmapped.push({ ref: `${t}/*`, why: `${c} resource${c === 1 ? '' : 's'} that refer to no patient` });
      yield {
        kind: 'record', raw: mapped.record, source: { file: loc.file, record: i + 1, line: loc.line },
        ...(mapped.diagnostics.length ? { diagnostics: mapped.diagnostics } : {}),
        ...(mapped.unmapped.length ? { unmapped: mapped.unmapped } : {}),
      };
    }
  };
  const add = (groups: Map<number, { patient?: Res; rest: Res[] }>, idx: number, r: Res): void => {
    let g = groups.get(idx);
    if (!g) groups.set(idx, (g = { rest: [] }));
    if (r.res.resourceType === 'Patient') g.patient = r;
    else g.rest.push(r);
  };
  // Medication files first, so references resolve whichever range reads them
  const ordered = [...files.filter((f) => f.type === 'Medication'), ...files.filter((f) => f.type !== 'Medication')];

  /** Every resource line of the export that belongs to a patient, with its patient index. */
  const routed = async function* (): AsyncGenerator<{ f: (typeof ordered)[number]; lineNo: number; line: string; res: Record<string, unknown>; idx: number }> {
    for (const f of ordered) {
      let lineNo = 0;
      for await (const line of fileLines(io, f.path)) {
        lineNo++;
        if (!line.trim()) continue;
        const p = parseLine(line);
        if (!p.res) {
          if (f.type !== 'Patient') badLine(f.path, lineNo, p.error!);
          continue;
        }
        const idx = route(p.res, f.path, lineNo);
        if (idx !== undefined) yield { f, lineNo, line, res: p.res, idx };
      }
    }
  };

  if (ranges === 1) {
    const groups = new Map<number, { patient?: Res; rest: Res[] }>();
    for await (const r of routed()) add(groups, r.idx, { res: r.res, loc: { file: r.f.path, line: r.lineNo } });
    yield* mapRange(groups, 0, n);
  } else {
    const scratch = io.scratch ? await io.scratch() : memScratch();
    try {
      const buffers: string[][] = Array.from({ length: ranges }, () => []);
      const sizes = new Array<number>(ranges).fill(0);
      const used = new Set<number>();
      const flush = async (b: number): Promise<void> => {
        if (!buffers[b]!.length) return;
        await scratch.append(`range-${b}`, buffers[b]!.join(''));
        buffers[b] = [];
        sizes[b] = 0;
      };
      const fileNo = new Map(ordered.map((f, i) => [f.path, i]));
      for await (const { f, lineNo, line, idx } of routed()) {
        const b = Math.floor(idx / perRange);
        const rec = `${fileNo.get(f.path)}\t${lineNo}\t${line}\n`;
        buffers[b]!.push(rec);
        sizes[b]! += rec.length;
        used.add(b);
        if (sizes[b]! > 1 << 20) await flush(b);
      }
      for (let b = 0; b < ranges; b++) await flush(b);
      for (let b = 0; b < ranges; b++) {
        if (!used.has(b)) continue;
        const groups = new Map<number, { patient?: Res; rest: Res[] }>();
        for await (const rec of scratch.lines(`range-${b}`)) {
          const t1 = rec.indexOf('\t');
          const t2 = rec.indexOf('\t', t1 + 1);
          const file = ordered[Number(rec.slice(0, t1))]!.path;
          const lineNo = Number(rec.slice(t1 + 1, t2));
          const p = parseLine(rec.slice(t2 + 1));
          if (!p.res) continue;
          const idx = route(p.res, file, lineNo);
          if (idx !== undefined) add(groups, idx, { res: p.res, loc: { file, line: lineNo } });
        }
        yield* mapRange(groups, b * perRange, Math.min(n, (b + 1) * perRange));
      }
    } finally {
      await scratch.dispose();
    }
  }
  yield* lineErrors;
  let rec = n;
  for (const [key, m] of missing) {
    rec++;
    yield {
      kind: 'error', id: key, source: { file: m.file, record: rec, line: m.line },
      diagnostic: diag('fhir/missing-patient', `${m.count} resource${m.count === 1 ? '' : 's'} refer to ${key}, which is not in ${dir} (first: ${m.first})`, { file: m.file, line: m.line, path: 'subject' }),
    };
  }
}
