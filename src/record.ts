/**
 * The patient record, defined in zod, and its normalisation into an indexed view the engine reads.
 * Codes resolve through the one vocabulary table, so `egfr` and `loinc:33914-3` are the same item.
 */
import { z } from 'zod';
import { isIsoDate, toDay } from './dates.js';
import { diag } from './diagnostics.js';
import type { Diagnostic, UnmappedEntry } from './model.js';
import { memoString } from './memo.js';
import { attesterOf } from './vocabulary/values.js';
import { conceptIdsOf, isNonSystemic, recordCodeText, resolve, type VocabularyEntry } from './vocabulary/index.js';

const DATE_RE = /^\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
/** A date the calendar has: 2026-02-30 or 2026-13 match the pattern but are refused (never read as "no date"). */
function isCalendarDate(v: string): boolean {
  if (!DATE_RE.test(v)) return false;
  if (v.length >= 10) return toDay(v.slice(0, 10)) !== undefined;
  if (v.length >= 7) {
    const m = Number(v.slice(5, 7));
    return m >= 1 && m <= 12;
  }
  return true;
}
const DateStr = z.string().regex(DATE_RE, 'a date YYYY-MM-DD (or YYYY-MM, YYYY)')
  .refine((v) => !DATE_RE.test(v) || isCalendarDate(v), { message: 'not a calendar date (no such day or month)' });
const QuantityObj = z.object({ value: z.number(), unit: z.string().optional() });
const QuantityLike = z.union([z.number(), z.string(), QuantityObj]);
const Source = z.string().optional().describe('Where the item came from (e.g. a FHIR reference).');

export const Measurement = z.object({
  code: z.string().min(1).describe('Canonical code (egfr, ast) or coded form (loinc:33914-3).'),
  value: z.union([z.number(), z.string(), z.boolean(), QuantityObj]).optional()
    .describe('The result; may be absent when only the interpretation flag (H, L, A, N, POS, NEG) is recorded.'),
  unit: z.string().optional(),
  date: DateStr.optional(),
  referenceRange: z
    .object({ low: QuantityLike.optional(), high: QuantityLike.optional(), text: z.string().optional() })
    .optional()
    .describe('The lab reference interval; low is the lower limit of normal (LLN), high the upper limit (ULN).'),
  method: z.string().optional(),
  context: z.string().optional().describe('e.g. room-air or supplemental-oxygen for SpO2.'),
  interpretation: z.string().optional().describe('The laboratory flag: H, L, A, N (FHIR v3 ObservationInterpretation), POS, NEG, or a word.'),
  source: Source,
}).refine((m) => m.value !== undefined || m.interpretation !== undefined, { message: 'a measurement needs a value or an interpretation', path: ['value'] });

export const Condition = z.object({
  code: z.string().min(1),
  name: z.string().optional(),
  onset: DateStr.optional(),
  abatement: DateStr.optional(),
  clinicalStatus: z.enum(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']).optional(),
  verificationStatus: z.enum(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error']).optional(),
  source: Source,
});

export const Medication = z
  .object({
    name: z.string().optional(),
    code: z.string().optional(),
    dose: QuantityLike.optional().describe('Dose per administration, e.g. "40 mg".'),
    perDay: z.number().positive().optional().describe('Administrations per day (q12h = 2, q48h = 0.5).'),
    frequency: z.string().optional().describe('qd, bid, tid, q6h, q48h, weekly … (when perDay is absent).'),
    route: z.string().optional(),
    start: DateStr.optional(),
    end: DateStr.optional(),
    status: z.enum(['active', 'completed', 'stopped', 'on-hold', 'cancelled', 'entered-in-error', 'draft', 'unknown', 'intended', 'not-taken']).optional(),
    stopReason: z.string().optional().describe('e.g. intolerance, inefficacy, remission.'),
    source: Source,
  })
  .refine((m) => m.name !== undefined || m.code !== undefined, { message: 'a medication needs a name or a code' });

export const Finding = z.object({
  code: z.string().min(1).describe('e.g. sledai-2k/arthritis, eular-acr-2019/joint_involvement, ecg-abnormality.'),
  present: z.boolean().default(true),
  date: DateStr.optional(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  attributedTo: z.string().optional().describe('Another cause explaining the finding (EULAR/ACR: then not counted).'),
  source: Source,
});

export const Attestation = z.object({
  code: z.string().min(1).describe('e.g. informed-consent, contraception-first-year.'),
  value: z.boolean().default(true),
  by: z.string().optional(),
  date: DateStr.optional(),
  source: Source,
});

export const Procedure = z.object({
  code: z.string().min(1).describe('A procedure concept (leukapheresis, dialysis) or coded form (snomed:…).'),
  name: z.string().optional(),
  date: DateStr.optional().describe('When it was done (FHIR performed[x]; a period gives its start).'),
  status: z.enum(['completed', 'in-progress', 'not-done', 'stopped', 'entered-in-error', 'preparation', 'on-hold', 'unknown']).optional(),
  source: Source,
});

export const DEVICE_STATUSES = ['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold'] as const;
export const Device = z.object({
  code: z.string().min(1).describe('A device concept (insulin-pump, crt-d) or coded form (snomed:…), or the device\'s name.'),
  name: z.string().optional(),
  model: z.string().optional().describe('Manufacturer and model as written (e.g. "MiniMed 670G"); matched against device concepts too.'),
  status: z.enum(DEVICE_STATUSES).optional().describe('FHIR DeviceUseStatement.status: active (in use), completed/stopped (no longer used), on-hold; intended and entered-in-error are not use.'),
  present: z.boolean().optional().describe('false: the patient does not use this device (nor a model of it); says nothing about other devices. A list holding only such entries is not the device list.'),
  start: DateStr.optional().describe('In use since (implanted, or use started).'),
  end: DateStr.optional().describe('No longer used from (removed, explanted, stopped).'),
  source: Source,
});

export const ALLERGY_CLINICAL = ['active', 'inactive', 'resolved'] as const;
export const ALLERGY_VERIFICATION = ['unconfirmed', 'presumed', 'confirmed', 'refuted', 'entered-in-error'] as const;
export const ALLERGY_CRITICALITY = ['low', 'high', 'unable-to-assess'] as const;
export const Allergy = z.object({
  code: z.string().min(1).describe('The substance: a drug or drug class (vocabulary id, name, rxnorm:/atc: code) or another substance\'s code or name.'),
  name: z.string().optional(),
  type: z.enum(['allergy', 'intolerance']).optional(),
  category: z.enum(['food', 'medication', 'environment', 'biologic']).optional(),
  clinicalStatus: z.enum(ALLERGY_CLINICAL).optional(),
  verificationStatus: z.enum(ALLERGY_VERIFICATION).optional().describe('refuted and entered-in-error entries never count.'),
  criticality: z.enum(ALLERGY_CRITICALITY).optional(),
  reaction: z.string().optional().describe('The reaction (manifestation) as written, e.g. angioedema, rash.'),
  onset: DateStr.optional(),
  source: Source,
});

export const FamilyHistoryItem = z.object({
  relationship: z.string().min(1).describe('The relative: a relationship concept (mother, brother) or an HL7 v3 RoleCode (MTH, NBRO).'),
  code: z.string().min(1).describe("The relative's condition: a condition concept or coded form (icd10:C73)."),
  name: z.string().optional(),
  onsetAge: z.number().nonnegative().optional().describe("The relative's age at onset, in years."),
  source: Source,
});

export const SUBSTANCE_STATUSES = ['current', 'former', 'never', 'unknown'] as const;
export const SubstanceUse = z.object({
  substance: z.string().min(1).describe('tobacco, alcohol, cannabis … (a substance concept, or a name).'),
  status: z.enum(SUBSTANCE_STATUSES).describe('current (uses it), former (quit), never, unknown.'),
  start: DateStr.optional(),
  end: DateStr.optional().describe('The quit date (status former).'),
  packYears: z.number().nonnegative().optional().describe('Tobacco: cumulative pack-years.'),
  date: DateStr.optional().describe('When the status was recorded.'),
  source: Source,
});

/** The lists a record may mark as partial (`partial: [medications]`): their operators read the mark. */
export const PARTIAL_LISTS = ['medications', 'devices'] as const;

export const PatientRecord = z.object({
  id: z.union([z.string().min(1), z.number()]).optional(),
  birthDate: DateStr.optional(),
  age: z.union([z.number().nonnegative(), z.object({ value: z.number().nonnegative(), date: DateStr.optional() })]).optional()
    .describe('Age in completed years, when no birth date is available.'),
  sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  deceasedDate: DateStr.optional(),
  measurements: z.array(Measurement).optional(),
  conditions: z.array(Condition).optional(),
  medications: z.array(Medication).optional(),
  findings: z.array(Finding).optional(),
  attestations: z.array(Attestation).optional(),
  procedures: z.array(Procedure).optional(),
  devices: z.array(Device).optional().describe('Devices used or implanted (an empty list: none).'),
  allergies: z.array(Allergy).optional().describe('Allergies and intolerances (an empty list: none known).'),
  familyHistory: z.array(FamilyHistoryItem).optional().describe("Relatives' conditions (an empty list: none known)."),
  substanceUse: z.array(SubstanceUse).optional().describe('Tobacco, alcohol and other substance use, with status and dates.'),
  anchors: z.record(z.string(), DateStr).optional()
    .describe('Dates of this patient\'s anchor events named by the criteria (e.g. first-dose), for anchors declared given: true.'),
  partial: z.array(z.enum(PARTIAL_LISTS)).optional()
    .describe('Lists that hold only the items the source mentions, not the whole list (a CSV sheet with medication:<name> or device:<code> columns and no medications/devices column): a rule about an item not on such a list is unknown.'),
});

export type PatientRecordInput = z.input<typeof PatientRecord>;
type Rec = z.output<typeof PatientRecord>;
const KNOWN_KEYS = new Set(Object.keys(PatientRecord.shape));

/*
 * A fast path for the common case: a record that plainly satisfies PatientRecord is used as it is
 * (zod would return the same values: it only strips unknown nested keys, which buildView never
 * reads, and fills the `present`/`value` defaults, which buildView fills too). Anything unusual
 * (a wrong type, null, a bad date, an empty code, …) returns false and zod decides and words the
 * error. This must never accept what zod rejects: test/record-fast-path.test.ts checks it.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const optDate = (v: unknown) => v === undefined || (typeof v === 'string' && isCalendarDate(v));
const code = (v: unknown) => typeof v === 'string' && v.length > 0;
const qtyObj = (v: unknown) => isObj(v) && isNum(v.value) && optStr(v.unit);
const qtyLike = (v: unknown) => isNum(v) || typeof v === 'string' || qtyObj(v);
const SEX = new Set(['female', 'male', 'other', 'unknown']);
const CLINICAL = new Set(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']);
const VERIFICATION = new Set(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error']);
const MED_STATUS = new Set(['active', 'completed', 'stopped', 'on-hold', 'cancelled', 'entered-in-error', 'draft', 'unknown', 'intended', 'not-taken']);
const inSet = (set: Set<string>, v: unknown) => v === undefined || (typeof v === 'string' && set.has(v));

function plainList(v: unknown, item: (x: Obj) => boolean): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!isObj(x) || !item(x)) return false;
  return true;
}

function plainMeasurement(m: Obj): boolean {
  const v = m.value;
  const rr = m.referenceRange;
  return code(m.code) && (isNum(v) || typeof v === 'string' || typeof v === 'boolean' || qtyObj(v) || (v === undefined && typeof m.interpretation === 'string')) && optStr(m.unit) && optDate(m.date)
    && (rr === undefined || (isObj(rr) && (rr.low === undefined || qtyLike(rr.low)) && (rr.high === undefined || qtyLike(rr.high)) && optStr(rr.text)))
    && optStr(m.method) && optStr(m.context) && optStr(m.interpretation) && optStr(m.source);
}

function plainCondition(c: Obj): boolean {
  return code(c.code) && optStr(c.name) && optDate(c.onset) && optDate(c.abatement) && inSet(CLINICAL, c.clinicalStatus)
    && inSet(VERIFICATION, c.verificationStatus) && optStr(c.source);
}

function plainMedication(m: Obj): boolean {
  return (typeof m.name === 'string' || typeof m.code === 'string') && optStr(m.name) && optStr(m.code)
    && (m.dose === undefined || qtyLike(m.dose)) && (m.perDay === undefined || (isNum(m.perDay) && m.perDay > 0))
    && optStr(m.frequency) && optStr(m.route) && optDate(m.start) && optDate(m.end) && inSet(MED_STATUS, m.status)
    && optStr(m.stopReason) && optStr(m.source);
}

function plainFinding(f: Obj): boolean {
  const v = f.value;
  return code(f.code) && (f.present === undefined || typeof f.present === 'boolean') && optDate(f.date)
    && (v === undefined || typeof v === 'string' || isNum(v) || typeof v === 'boolean') && optStr(f.attributedTo) && optStr(f.source);
}

const PROC_STATUS = new Set(['completed', 'in-progress', 'not-done', 'stopped', 'entered-in-error', 'preparation', 'on-hold', 'unknown']);

function plainProcedure(p: Obj): boolean {
  return code(p.code) && optStr(p.name) && optDate(p.date) && inSet(PROC_STATUS, p.status) && optStr(p.source);
}

const DEV_STATUS = new Set<string>(DEVICE_STATUSES);
const AL_CLINICAL = new Set<string>(ALLERGY_CLINICAL);
const AL_VERIFICATION = new Set<string>(ALLERGY_VERIFICATION);
const AL_CRITICALITY = new Set<string>(ALLERGY_CRITICALITY);
const AL_TYPE = new Set(['allergy', 'intolerance']);
const AL_CATEGORY = new Set(['food', 'medication', 'environment', 'biologic']);
const SU_STATUS = new Set<string>(SUBSTANCE_STATUSES);

function plainDevice(d: Obj): boolean {
  return code(d.code) && optStr(d.name) && optStr(d.model) && inSet(DEV_STATUS, d.status) && (d.present === undefined || typeof d.present === 'boolean')
    && optDate(d.start) && optDate(d.end) && optStr(d.source);
}

function plainAllergy(a: Obj): boolean {
  return code(a.code) && optStr(a.name) && inSet(AL_TYPE, a.type) && inSet(AL_CATEGORY, a.category) && inSet(AL_CLINICAL, a.clinicalStatus)
    && inSet(AL_VERIFICATION, a.verificationStatus) && inSet(AL_CRITICALITY, a.criticality) && optStr(a.reaction) && optDate(a.onset) && optStr(a.source);
}

function plainFamily(f: Obj): boolean {
  return code(f.relationship) && code(f.code) && optStr(f.name) && (f.onsetAge === undefined || (isNum(f.onsetAge) && f.onsetAge >= 0)) && optStr(f.source);
}

function plainSubstance(u: Obj): boolean {
  return code(u.substance) && typeof u.status === 'string' && SU_STATUS.has(u.status) && optDate(u.start) && optDate(u.end)
    && (u.packYears === undefined || (isNum(u.packYears) && u.packYears >= 0)) && optDate(u.date) && optStr(u.source);
}

const PARTIAL = new Set<string>(PARTIAL_LISTS);
function plainPartial(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string' && PARTIAL.has(x)));
}

function plainAnchors(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObj(v)) return false;
  for (const x of Object.values(v)) if (typeof x !== 'string' || !DATE_RE.test(x)) return false;
  return true;
}

function plainAttestation(a: Obj): boolean {
  return code(a.code) && (a.value === undefined || typeof a.value === 'boolean') && optStr(a.by) && optDate(a.date) && optStr(a.source);
}

/** True only when zod would accept the record unchanged (up to stripped nested keys and defaults). */
export function isPlainRecord(r: Obj): boolean {
  const id = r.id;
  const age = r.age;
  return (id === undefined || (typeof id === 'string' && id.length > 0) || isNum(id))
    && optDate(r.birthDate) && optDate(r.deceasedDate) && inSet(SEX, r.sex)
    && (age === undefined || (isNum(age) && age >= 0) || (isObj(age) && isNum(age.value) && age.value >= 0 && optDate(age.date)))
    && plainList(r.measurements, plainMeasurement) && plainList(r.conditions, plainCondition) && plainList(r.medications, plainMedication)
    && plainList(r.findings, plainFinding) && plainList(r.attestations, plainAttestation)
    && plainList(r.procedures, plainProcedure) && plainList(r.devices, plainDevice) && plainList(r.allergies, plainAllergy)
    && plainList(r.familyHistory, plainFamily) && plainList(r.substanceUse, plainSubstance) && plainAnchors(r.anchors)
    && plainPartial(r.partial);
}

export interface Quantity {
  value: number;
  unit: string;
}

export interface Obs {
  code: string;
  /** Numeric value (with unit) or qualitative text. */
  num?: number;
  text?: string;
  unit: string;
  date?: string;
  day?: number;
  uln?: Quantity;
  /** referenceRange.low: the lower limit of normal. */
  lln?: Quantity;
  context?: string;
  method?: string;
  interpretation?: string;
  path: string;
}

export interface Cond {
  /** The concepts the entry means (the concept it maps to, concepts whose descendants cover its code, their groups); empty when unmapped. */
  ids: readonly string[];
  code: string;
  name?: string;
  onsetDay?: number;
  onset?: string;
  abatementDay?: number;
  active: boolean;
  path: string;
}

export interface Med {
  drugId?: string;
  /** The record's code, as written (code terms in criteria match it). */
  code?: string;
  classes: readonly string[];
  label: string;
  dose?: Quantity;
  perDay?: number;
  frequency?: string;
  route?: string;
  start?: string;
  startDay?: number;
  end?: string;
  endDay?: number;
  status?: string;
  stopReason?: string;
  path: string;
}

export interface FindingItem {
  code: string;
  present: boolean;
  date?: string;
  day?: number;
  value?: string | number | boolean;
  attributedTo?: string;
  path: string;
}

export interface AttestationItem {
  code: string;
  value: boolean;
  by?: string;
  date?: string;
  day?: number;
  path: string;
}

export interface ProcedureItem {
  /** The concepts the entry means; empty when unmapped. */
  ids: readonly string[];
  code: string;
  name?: string;
  date?: string;
  day?: number;
  path: string;
}

export interface DeviceItem {
  /** The concepts the entry means (by code, name or model); empty when unmapped. */
  ids: readonly string[];
  code: string;
  label: string;
  model?: string;
  status?: string;
  start?: string;
  startDay?: number;
  end?: string;
  endDay?: number;
  path: string;
}

export interface AllergyItem {
  /** The drug concepts (and classes) the substance means; empty when it maps to no drug. */
  ids: readonly string[];
  code: string;
  name?: string;
  type?: 'allergy' | 'intolerance';
  category?: string;
  clinicalStatus?: string;
  verificationStatus?: string;
  criticality?: string;
  reaction?: string;
  onset?: string;
  onsetDay?: number;
  path: string;
}

export interface FamilyItem {
  /** The relationship concepts (and their groups: first-degree-relative); empty when unmapped. */
  relationIds: readonly string[];
  relationship: string;
  /** The condition concepts the entry means; empty when unmapped. */
  ids: readonly string[];
  code: string;
  name?: string;
  onsetAge?: number;
  path: string;
}

export interface SubstanceItem {
  /** The substance concepts; empty when unmapped. */
  ids: readonly string[];
  substance: string;
  status: 'current' | 'former' | 'never' | 'unknown';
  start?: string;
  end?: string;
  endDay?: number;
  packYears?: number;
  date?: string;
  day?: number;
  path: string;
}

export interface PatientView {
  id: string;
  birthDate?: string;
  recordedAge?: { value: number; date?: string; path: string };
  sex?: 'female' | 'male' | 'other' | 'unknown';
  deceasedDate?: string;
  /** measurement id → observations, newest first (undated last). */
  measurements: Map<string, Obs[]>;
  conditions?: Cond[];
  medications?: Med[];
  /** The medication list holds only the drugs the source mentions (`partial: [medications]`): a drug not on it is unknown. */
  medicationsPartial?: true;
  /** On a partial list, the drugs recorded as not taken (status not-taken): each says only that drug (or class) was not taken. */
  medicationsNotTaken?: { ids: readonly string[]; code?: string; label: string; path: string }[];
  /** finding code → items, newest first. */
  findings: Map<string, FindingItem[]>;
  attestations: Map<string, AttestationItem[]>;
  /** Procedures done (not-done, entered-in-error and preparation dropped), newest first; undefined without a procedures list. */
  procedures?: ProcedureItem[];
  /** Devices (intended and entered-in-error dropped); undefined without a devices list (a list of only `present: false` entries is none). */
  devices?: DeviceItem[];
  /** Devices recorded as not used (`present: false`): each says only that device (and its models) is absent. */
  devicesNotUsed?: DeviceItem[];
  /** The device list holds only the devices the source mentions (`partial: [devices]`): a device not on it is unknown. */
  devicesPartial?: true;
  /** Allergies and intolerances (refuted and entered-in-error dropped); undefined without an allergies list. */
  allergies?: AllergyItem[];
  /** Relatives' conditions; undefined without a familyHistory list. */
  familyHistory?: FamilyItem[];
  /** Substance-use statements, newest first (undated last); undefined without a substanceUse list. */
  substanceUse?: SubstanceItem[];
  /** The record's own anchor dates (anchors: { first-dose: 2026-12-10 }). */
  anchors: Map<string, { date: string; day: number; path: string }>;
  has: { measurements: boolean; findings: boolean; attestations: boolean };
  /** Measurements, medications and conditions that map to no concept (the engine adds findings and attestations the criteria do not name, and drops what a criteria code matches). */
  unmapped: UnmappedEntry[];
}

/** Fold a free code (finding, attestation): lower-case, NFKC, zero-width removed. */
export function foldFreeCode(s: string): string {
  return foldFreeCodeMemo(s);
}

const foldFreeCodeMemo = memoString((s) => s.normalize('NFKC').replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').trim().toLowerCase());

/** Fold a context word ("Room air", "room_air" → "room-air"). */
export function foldContext(s: string): string {
  return foldFreeCode(s).replace(/[\s_]+/g, '-');
}

const QTY_TEXT = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(\S.*)?$/;

function parseQty(v: unknown, unit?: string): Quantity | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, unit: unit ?? '' } : undefined;
  if (typeof v === 'object' && v !== null && typeof (v as { value?: unknown }).value === 'number') {
    const o = v as { value: number; unit?: string };
    return { value: o.value, unit: o.unit ?? unit ?? '' };
  }
  if (typeof v === 'string') {
    const m = QTY_TEXT.exec(v);
    if (m && !/^\d+:\d+$/.test(v.trim())) return { value: Number(m[1]), unit: (m[2] ?? unit ?? '').trim() };
  }
  return undefined;
}

function byDateDesc<T extends { day?: number }>(a: T, b: T): number {
  return (b.day ?? -Infinity) - (a.day ?? -Infinity);
}

const INACTIVE = new Set(['inactive', 'remission', 'resolved']);

function zodToDiagnostics(err: z.ZodError, recordNo: number | undefined, file: string | undefined, id: string | undefined): Diagnostic[] {
  return err.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    const who = id ? `record "${id}"` : 'record';
    return diag('record/invalid', `${who}: ${path || '(root)'}: ${issue.message}`, {
      ...(file !== undefined ? { file } : {}), ...(recordNo !== undefined ? { record: recordNo } : {}), path,
    });
  });
}

export interface NormaliseResult {
  view?: PatientView;
  diagnostics: Diagnostic[];
}

/**
 * Validate a raw record and build its indexed view. Structural errors make the record unreadable
 * (verdict `error`); unknown keys are warnings and the record is still checked.
 */
export function normaliseRecord(raw: unknown, opts: { file?: string; record?: number; fallbackId?: string } = {}): NormaliseResult {
  const loc = { ...(opts.file !== undefined ? { file: opts.file } : {}), ...(opts.record !== undefined ? { record: opts.record } : {}) };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { diagnostics: [diag('record/not-an-object', `a patient record is an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`, loc)] };
  }
  const rawId = (raw as Record<string, unknown>).id;
  const idGuess = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
  let rec: Rec;
  if (isPlainRecord(raw as Obj)) rec = raw as Rec;
  else {
    const parsed = PatientRecord.safeParse(raw);
    if (!parsed.success) return { diagnostics: zodToDiagnostics(parsed.error, opts.record, opts.file, idGuess) };
    rec = parsed.data;
  }
  const diagnostics: Diagnostic[] = [];
  for (const k of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(k)) diagnostics.push(diag('record/unknown-key', `record "${idGuess ?? opts.fallbackId ?? '?'}": unknown key "${k}" ignored`, { ...loc, path: k }));
  }
  (rec.attestations ?? []).forEach((a, i) => {
    if (a.by === undefined || attesterOf(a.by)) return;
    diagnostics.push(diag('record/unknown-value', `record "${idGuess ?? opts.fallbackId ?? '?'}": attestation ${a.code} by "${a.by}" is not patient, guardian or clinician; no criterion asking who recorded it will count it`,
      { ...loc, path: a.source ?? `attestations[${i}].by` }, { hint: 'use patient, guardian (legal guardian, parent, legally authorised representative) or clinician' }));
  });
  return { view: buildView(rec, idGuess ?? opts.fallbackId ?? `record-${opts.record ?? 1}`), diagnostics };
}

/** The key a measurement the vocabulary does not hold is filed under: its canonical code, folded (`LOINC:4548-4`, `http://loinc.org|4548-4` → `loinc:4548-4`). */
export function measurementKey(code: string): string {
  return foldFreeCode(recordCodeText(code));
}

function measurementEntry(code: string): VocabularyEntry | undefined {
  return resolve('measurement', code);
}

export function buildView(r: Rec, id: string): PatientView {
  const measurements = new Map<string, Obs[]>();
  const unmapped: UnmappedEntry[] = [];
  (r.measurements ?? []).forEach((m, i) => {
    const entry = measurementEntry(m.code);
    const key = entry?.id ?? measurementKey(m.code);
    const path = m.source ?? `measurements[${i}]`;
    if (!entry) unmapped.push({ domain: 'measurement', code: m.code, source: path });
    const obs: Obs = { code: m.code, unit: m.unit ?? '', path };
    // qualitative items keep text results as text ("negative", "1:320"); numbers stay numbers
    const q = m.value === undefined || (entry?.qualitative && typeof m.value === 'string') ? undefined : parseQty(m.value, m.unit);
    if (q) {
      obs.num = q.value;
      obs.unit = q.unit;
    } else if (m.value !== undefined) {
      obs.text = typeof m.value === 'object' ? JSON.stringify(m.value) : String(m.value);
    }
    if (m.date) {
      obs.date = m.date.slice(0, 10);
      const d = toDay(m.date);
      if (d !== undefined) obs.day = d;
    }
    const high = m.referenceRange?.high;
    if (high !== undefined) {
      const u = parseQty(high, obs.unit);
      if (u) obs.uln = { value: u.value, unit: u.unit || obs.unit };
    }
    const low = m.referenceRange?.low;
    if (low !== undefined) {
      const l = parseQty(low, obs.unit);
      if (l) obs.lln = { value: l.value, unit: l.unit || obs.unit };
    }
    if (m.context) obs.context = foldContext(m.context);
    if (m.method) obs.method = m.method;
    if (m.interpretation) obs.interpretation = m.interpretation;
    const list = measurements.get(key);
    if (list) list.push(obs);
    else measurements.set(key, [obs]);
  });
  for (const list of measurements.values()) list.sort(byDateDesc);

  const view: PatientView = {
    id,
    measurements,
    findings: new Map(),
    attestations: new Map(),
    anchors: new Map(),
    has: { measurements: r.measurements !== undefined, findings: r.findings !== undefined, attestations: r.attestations !== undefined },
    unmapped,
  };
  if (r.birthDate) view.birthDate = r.birthDate.slice(0, 10);
  if (r.age !== undefined) {
    view.recordedAge = typeof r.age === 'number' ? { value: r.age, path: 'age' } : { value: r.age.value, ...(r.age.date ? { date: r.age.date } : {}), path: 'age' };
  }
  if (r.sex) view.sex = r.sex;
  if (r.deceasedDate) view.deceasedDate = r.deceasedDate.slice(0, 10);

  if (r.conditions) {
    view.conditions = r.conditions
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.verificationStatus !== 'refuted' && c.verificationStatus !== 'entered-in-error')
      .map(({ c, i }) => {
        const cond: Cond = {
          ids: conceptIdsOf('condition', c.code, c.name),
          code: c.code,
          active: !(c.clinicalStatus && INACTIVE.has(c.clinicalStatus)) && c.abatement === undefined,
          path: c.source ?? `conditions[${i}]`,
        };
        if (!cond.ids.length) unmapped.push({ domain: 'condition', code: c.code, ...(c.name ? { name: c.name } : {}), source: cond.path });
        if (c.name) cond.name = c.name;
        if (c.onset) {
          cond.onset = c.onset.slice(0, 10);
          const d = toDay(c.onset);
          if (d !== undefined) cond.onsetDay = d;
        }
        if (c.abatement) {
          const d = toDay(c.abatement);
          if (d !== undefined) cond.abatementDay = d;
        }
        return cond;
      });
  }
  if (r.medications && r.partial?.includes('medications')) {
    view.medicationsPartial = true;
    view.medicationsNotTaken = r.medications
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => m.status === 'not-taken')
      .map(({ m, i }) => {
        const entry = (m.code ? resolve('drug', m.code) : undefined) ?? (m.name ? resolve('drug', m.name) : undefined);
        return { ids: entry ? [entry.id] : [], ...(m.code ? { code: m.code } : {}), label: m.name ?? m.code ?? '?', path: m.source ?? `medications[${i}]` };
      });
  }
  if (r.medications) {
    view.medications = r.medications
      .map((m, i) => ({ m, i }))
      // orders never given, and non-systemic products (topical, inhaled, …: docs/clinical.md), are not exposure
      .filter(({ m }) => m.status !== 'entered-in-error' && m.status !== 'cancelled' && m.status !== 'not-taken' && m.status !== 'draft' && m.status !== 'intended'
        && !isNonSystemic(m.name, m.route))
      .map(({ m, i }) => {
        const entry = (m.code ? resolve('drug', m.code) : undefined) ?? (m.name ? resolve('drug', m.name) : undefined);
        const med: Med = { classes: entry?.ancestors ?? [], label: m.name ?? m.code ?? '?', path: m.source ?? `medications[${i}]` };
        if (entry) med.drugId = entry.id;
        else unmapped.push({ domain: 'medication', code: m.code ?? m.name ?? '?', ...(m.name && m.code ? { name: m.name } : {}), source: med.path });
        if (m.code) med.code = m.code;
        const dose = m.dose !== undefined ? parseQty(m.dose) : undefined;
        if (dose) med.dose = dose;
        if (m.perDay !== undefined) med.perDay = m.perDay;
        if (m.frequency) med.frequency = m.frequency;
        if (m.route) med.route = m.route;
        if (m.start) {
          med.start = m.start.slice(0, 10);
          const d = toDay(m.start);
          if (d !== undefined) med.startDay = d;
        }
        if (m.end) {
          med.end = m.end.slice(0, 10);
          const d = toDay(m.end);
          if (d !== undefined) med.endDay = d;
        }
        if (m.status) med.status = m.status;
        if (m.stopReason) med.stopReason = foldFreeCode(m.stopReason);
        return med;
      });
  }
  (r.findings ?? []).forEach((f, i) => {
    const code = foldFreeCode(f.code);
    const item: FindingItem = { code, present: f.present ?? true, path: f.source ?? `findings[${i}]` };
    if (f.date) {
      item.date = f.date.slice(0, 10);
      const d = toDay(f.date);
      if (d !== undefined) item.day = d;
    }
    if (f.value !== undefined) item.value = f.value;
    if (f.attributedTo) item.attributedTo = f.attributedTo;
    const list = view.findings.get(code);
    if (list) list.push(item);
    else view.findings.set(code, [item]);
  });
  for (const list of view.findings.values()) list.sort(byDateDesc);
  (r.attestations ?? []).forEach((a, i) => {
    const code = foldFreeCode(a.code);
    const item: AttestationItem = { code, value: a.value ?? true, path: a.source ?? `attestations[${i}]` };
    if (a.by) item.by = a.by;
    if (a.date) {
      item.date = a.date.slice(0, 10);
      const d = toDay(a.date);
      if (d !== undefined) item.day = d;
    }
    const list = view.attestations.get(code);
    if (list) list.push(item);
    else view.attestations.set(code, [item]);
  });
  for (const list of view.attestations.values()) list.sort(byDateDesc);
  if (r.procedures) {
    view.procedures = r.procedures
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => p.status !== 'not-done' && p.status !== 'entered-in-error' && p.status !== 'preparation')
      .map(({ p, i }) => {
        const item: ProcedureItem = { ids: conceptIdsOf('procedure', p.code, p.name), code: p.code, path: p.source ?? `procedures[${i}]` };
        if (!item.ids.length) unmapped.push({ domain: 'procedure', code: p.code, ...(p.name ? { name: p.name } : {}), source: item.path });
        if (p.name) item.name = p.name;
        if (p.date) {
          item.date = p.date.slice(0, 10);
          const d = toDay(p.date);
          if (d !== undefined) item.day = d;
        }
        return item;
      })
      .sort(byDateDesc);
  }
  if (r.devices) {
    // the list is the device list when it is empty or holds a device statement; absences (present: false) alone declare nothing else;
    // a partial list (partial: [devices]) is read for what it holds, and the operator keeps other devices unknown
    const absences = r.devices.filter((d) => d.present === false).length;
    const partial = r.partial?.includes('devices') === true;
    if (partial) view.devicesPartial = true;
    if (partial || absences < r.devices.length || !r.devices.length) view.devices = devicesOf(r.devices, unmapped, true);
    if (absences) view.devicesNotUsed = devicesOf(r.devices, unmapped, false);
  }
  if (r.allergies) view.allergies = allergiesOf(r.allergies, unmapped);
  if (r.familyHistory) view.familyHistory = familyOf(r.familyHistory, unmapped);
  if (r.substanceUse) view.substanceUse = substancesOf(r.substanceUse, unmapped);
  for (const [name, date] of Object.entries(r.anchors ?? {})) {
    const day = toDay(date);
    if (day !== undefined) view.anchors.set(name, { date: date.slice(0, 10), day, path: `anchors.${name}` });
  }
  return view;
}

function dated<T extends object>(out: T, key: 'start' | 'end' | 'onset' | 'date', v: string | undefined): void {
  if (!v) return;
  const o = out as Record<string, unknown>;
  o[key] = v.slice(0, 10);
  const d = toDay(v);
  if (d !== undefined) o[key === 'date' ? 'day' : `${key}Day`] = d;
}

/** The device statements (`used`: entries without `present: false`) or the absences (`present: false`). */
function devicesOf(list: z.output<typeof Device>[], unmapped: UnmappedEntry[], used: boolean): DeviceItem[] {
  return list
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => (d.present !== false) === used && d.status !== 'entered-in-error' && d.status !== 'intended')
    .map(({ d, i }) => {
      const ids = new Set([...conceptIdsOf('device', d.code, d.name), ...(d.model ? conceptIdsOf('device', d.model, undefined) : [])]);
      const item: DeviceItem = { ids: [...ids], code: d.code, label: [d.name ?? d.code, d.model].filter(Boolean).join(' '), path: d.source ?? `devices[${i}]` };
      if (!item.ids.length) unmapped.push({ domain: 'device', code: d.code, ...(d.name ?? d.model ? { name: d.name ?? d.model! } : {}), source: item.path });
      if (d.model) item.model = d.model;
      if (d.status) item.status = d.status;
      dated(item, 'start', d.start);
      dated(item, 'end', d.end);
      return item;
    });
}

function allergiesOf(list: z.output<typeof Allergy>[], unmapped: UnmappedEntry[]): AllergyItem[] {
  return list
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.verificationStatus !== 'refuted' && a.verificationStatus !== 'entered-in-error')
    .map(({ a, i }) => {
      const item: AllergyItem = { ids: conceptIdsOf('drug', a.code, a.name), code: a.code, path: a.source ?? `allergies[${i}]` };
      if (!item.ids.length) unmapped.push({ domain: 'allergy', code: a.code, ...(a.name ? { name: a.name } : {}), source: item.path });
      if (a.name) item.name = a.name;
      if (a.type) item.type = a.type;
      if (a.category) item.category = a.category;
      if (a.clinicalStatus) item.clinicalStatus = a.clinicalStatus;
      if (a.verificationStatus) item.verificationStatus = a.verificationStatus;
      if (a.criticality) item.criticality = a.criticality;
      if (a.reaction) item.reaction = a.reaction;
      dated(item, 'onset', a.onset);
      return item;
    });
}

function familyOf(list: z.output<typeof FamilyHistoryItem>[], unmapped: UnmappedEntry[]): FamilyItem[] {
  return list.map((f, i) => {
    const item: FamilyItem = {
      relationIds: conceptIdsOf('relationship', f.relationship, undefined), relationship: f.relationship,
      ids: conceptIdsOf('condition', f.code, f.name), code: f.code, path: f.source ?? `familyHistory[${i}]`,
    };
    if (!item.ids.length) unmapped.push({ domain: 'family-history', code: f.code, ...(f.name ? { name: f.name } : {}), source: item.path });
    if (!item.relationIds.length) unmapped.push({ domain: 'family-history', code: f.relationship, name: 'relationship', source: item.path });
    if (f.name) item.name = f.name;
    if (f.onsetAge !== undefined) item.onsetAge = f.onsetAge;
    return item;
  });
}

function substancesOf(list: z.output<typeof SubstanceUse>[], unmapped: UnmappedEntry[]): SubstanceItem[] {
  return list
    .map((u, i) => {
      const item: SubstanceItem = { ids: conceptIdsOf('substance', u.substance, undefined), substance: u.substance, status: u.status, path: u.source ?? `substanceUse[${i}]` };
      if (!item.ids.length) unmapped.push({ domain: 'substance-use', code: u.substance, source: item.path });
      dated(item, 'start', u.start);
      dated(item, 'end', u.end);
      dated(item, 'date', u.date);
      if (u.packYears !== undefined) item.packYears = u.packYears;
      return item;
    })
    .sort(byDateDesc);
}

export { isIsoDate };
