/**
 * One patient's FHIR R4 resources → elig's plain patient record (src/record.ts). Pure: parsed JSON
 * in, a record plus located diagnostics and the list of resources it did not use out.
 *
 * Every mapped item carries `source` = `<ResourceType>/<id>.<element>` (e.g.
 * `Observation/abc.valueQuantity`), which the reasons show as the path of the value they used.
 * Codes are looked up in the one vocabulary table by system + code; LOINC-system codes only become
 * measurements (so the CDC race code 2106-3 is never a pregnancy test).
 */
import { commensurable, normaliseUnit } from '../../calculators/units.js';
import { diag } from '../../diagnostics.js';
import type { Diagnostic, SourceLocation } from '../../model.js';
import type { PatientRecordInput } from '../../record.js';
import { resolve, type VocabularyEntry } from '../../vocabulary/index.js';
import {
  arr, clean, codeIn, coded, codings, conceptText, ELIG_ATTESTATIONS, ELIG_ATTRIBUTED_TO, ELIG_FINDINGS, ELIG_MEASUREMENTS, fhirDate, isObj, LOINC, num, refOf, SNOMED,
  str, UCUM, type Json,
} from './codes.js';
import { isNonSystemic, readDosage } from './dosage.js';
import { own } from '../../own.js';

/** Where a resource sits in its input: a Bundle entry, or a line of a Bulk Data NDJSON file. */
export interface ResLoc {
  file: string;
  line?: number;
  entry?: number;
}

export interface Res {
  res: Json;
  loc: ResLoc;
}

/** A resource the mapping did not use, and why (listed by `elig check --verbose`). */
export interface Unmapped {
  ref: string;
  why: string;
}

export interface MapOptions {
  /** Resource types present anywhere in the export: lists for these are recorded even when empty. */
  families: ReadonlySet<string>;
  /** Resolve a `medicationReference` to a Medication elsewhere in the input (bundle fullUrl, `Medication/id`); `#contained` is resolved here. */
  medication?: (ref: string, from: Json) => Json | undefined;
}

export interface MappedPatient {
  record: PatientRecordInput;
  diagnostics: Diagnostic[];
  unmapped: Unmapped[];
}

type M = NonNullable<PatientRecordInput['measurements']>[number];
type C = NonNullable<PatientRecordInput['conditions']>[number];
type Md = NonNullable<PatientRecordInput['medications']>[number];
type F = NonNullable<PatientRecordInput['findings']>[number];
type A = NonNullable<PatientRecordInput['attestations']>[number];
type P = NonNullable<PatientRecordInput['procedures']>[number];
type Dv = NonNullable<PatientRecordInput['devices']>[number];
type Al = NonNullable<PatientRecordInput['allergies']>[number];
type Fh = NonNullable<PatientRecordInput['familyHistory']>[number];
type Su = NonNullable<PatientRecordInput['substanceUse']>[number];

/** LOINC 72166-2 "Tobacco smoking status": its answers (LOINC LA codes and SNOMED CT findings, US Core / IPS value sets) → status. */
export const SMOKING_STATUS_LOINC = '72166-2';
const SMOKING_ANSWERS: Readonly<Record<string, Su['status']>> = {
  // SNOMED CT (IPS current-smoking-status value set)
  '449868002': 'current', '428041000124106': 'current', '77176002': 'current', '230063004': 'current', '230060001': 'current',
  '8517006': 'former', '266919005': 'never', '266927001': 'unknown',
  // SNOMED CT US extension (US Core 3.1.1 us-core-observation-smokingstatus): current heavy / light tobacco smoker
  '428071000124103': 'current', '428061000124105': 'current',
  // LOINC answer list (US Core / IPS 2018)
  'LA18976-3': 'current', 'LA18977-1': 'current', 'LA18979-7': 'current', 'LA18981-3': 'current', 'LA18982-1': 'current',
  'LA15920-4': 'former', 'LA18978-9': 'never', 'LA18980-5': 'unknown',
};
/** SNOMED CT "Cigarette pack-years" and "Number of calculated pack years…" observables: pack-years of tobacco. */
const PACK_YEARS_SNOMED = new Set(['401201003', '782516008']);
/** SNOMED CT "No known allergy" (and its children no known drug / animal allergy): a statement of none, not an allergy. */
const NO_KNOWN_ALLERGY = new Set(['716186003', '409137002', '716220001']);
const V3_ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const DEVICE_STATUS: Readonly<Record<string, Dv['status']>> = {
  active: 'active', completed: 'completed', stopped: 'stopped', 'on-hold': 'on-hold', intended: 'intended', 'entered-in-error': 'entered-in-error',
  // Device.status
  inactive: 'completed',
};

export function refName(res: Json): string {
  return `${String(res.resourceType)}/${str(res.id) ?? '?'}`;
}

function locOf(r: Res, element: string): SourceLocation {
  const where = r.loc.entry !== undefined ? `entry[${r.loc.entry}] ` : '';
  return { file: r.loc.file, ...(r.loc.line !== undefined ? { line: r.loc.line } : {}), path: `${where}${refName(r.res)}${element ? `.${element}` : ''}` };
}

const CONDITION_SKIP = new Set(['refuted', 'entered-in-error']);
const OBS_SKIP = new Set(['entered-in-error', 'cancelled']);
const CLINICAL = new Set(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']);
const VERIFICATION = new Set(['unconfirmed', 'provisional', 'differential', 'confirmed']);
const MED_STATUS: Readonly<Record<string, Md['status']>> = {
  active: 'active', completed: 'completed', stopped: 'stopped', 'on-hold': 'on-hold', cancelled: 'cancelled',
  'entered-in-error': 'entered-in-error', draft: 'draft', unknown: 'unknown', intended: 'intended', 'not-taken': 'not-taken',
  'in-progress': 'active', 'not-done': 'not-taken',
};
/** SNOMED CT qualifier values for qualitative results. */
const SNOMED_RESULT: Readonly<Record<string, string>> = {
  '260385009': 'negative', '10828004': 'positive', '260415000': 'negative', '260373001': 'positive',
  '2667000': 'absent', '52101004': 'present',
};
const INTERPRETATION: Readonly<Record<string, string>> = { POS: 'positive', DET: 'positive', NEG: 'negative', ND: 'negative' };
/** v3 ObservationInterpretation codes about the reference range, kept as the code (the engine reads them as flags). */
const RANGE_FLAGS = new Set(['H', 'HH', 'HU', 'L', 'LL', 'LU', 'A', 'AA', 'N']);

/** The value of an Observation (or component): value, unit, and the element it came from. */
function readValue(o: Json): { value?: M['value']; unit?: string; element: string } {
  if (isObj(o.valueQuantity)) {
    const q = o.valueQuantity;
    const v = num(q.value);
    const unit = (str(q.system) === UCUM ? str(q.code) : undefined) ?? str(q.unit) ?? str(q.code);
    const cmp = str(q.comparator);
    if (v === undefined) return { element: 'valueQuantity' };
    // "<0.5" is not a quantity: kept as text, read as unparseable rather than as 0.5
    if (cmp) return { value: `${cmp}${v}${unit ? ` ${unit}` : ''}`, element: 'valueQuantity' };
    return { value: v, ...(unit !== undefined ? { unit } : {}), element: 'valueQuantity' };
  }
  if (isObj(o.valueCodeableConcept)) {
    const cc = o.valueCodeableConcept;
    const sn = codeIn(cc, SNOMED);
    const word = sn ? SNOMED_RESULT[sn] : undefined;
    const t = word ?? conceptText(cc);
    return t !== undefined ? { value: t, element: 'valueCodeableConcept' } : { element: 'valueCodeableConcept' };
  }
  if (typeof o.valueString === 'string') return { value: clean(o.valueString), element: 'valueString' };
  if (typeof o.valueBoolean === 'boolean') return { value: o.valueBoolean, element: 'valueBoolean' };
  if (typeof o.valueInteger === 'number') return { value: o.valueInteger, element: 'valueInteger' };
  if (isObj(o.valueRatio)) {
    const n = isObj(o.valueRatio.numerator) ? num(o.valueRatio.numerator.value) : undefined;
    const d = isObj(o.valueRatio.denominator) ? num(o.valueRatio.denominator.value) : undefined;
    if (n !== undefined && d !== undefined) return { value: `${n}:${d}`, element: 'valueRatio' };
    return { element: 'valueRatio' };
  }
  return { element: 'value[x]' };
}

function effective(o: Json): string | undefined {
  return fhirDate(o.effectiveDateTime) ?? fhirDate(o.effectiveInstant) ?? (isObj(o.effectivePeriod) ? fhirDate(o.effectivePeriod.start) ?? fhirDate(o.effectivePeriod.end) : undefined) ?? fhirDate(o.issued);
}

function interpretationOf(o: Json): string | undefined {
  for (const cc of arr(o.interpretation)) {
    const c = codeIn(cc);
    if (c) return INTERPRETATION[c] ?? (RANGE_FLAGS.has(c) ? c : conceptText(cc) ?? c);
    const t = conceptText(cc);
    if (t) return t;
  }
  return undefined;
}

/** Who made a statement, from a reference's type: the patient, a guardian (RelatedPerson), or a clinician. */
function byOf(refs: unknown[]): string | undefined {
  for (const r of refs) {
    const ref = refOf(r);
    const type = isObj(r) ? str(r.type) : undefined;
    const t = type ?? (ref ? /(?:^|\/)(Patient|RelatedPerson|Practitioner|PractitionerRole)\//.exec(ref)?.[1] : undefined);
    if (t === 'Patient') return 'patient';
    if (t === 'RelatedPerson') return 'guardian';
    if (t === 'Practitioner' || t === 'PractitionerRole') return 'clinician';
  }
  return undefined;
}

function present(value: M['value'] | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'absent' || value === 'negative') return false;
  return true;
}

function attributedTo(o: Json): string | undefined {
  for (const e of arr(o.extension)) {
    if (isObj(e) && e.url === ELIG_ATTRIBUTED_TO) return str(e.valueString) ?? conceptText(e.valueCodeableConcept);
  }
  return undefined;
}

/**
 * A CodeableConcept as a record code: the first coding the vocabulary resolves in `kind`, else the
 * first coding in a system elig knows, else the text; the text is kept as the name beside a code.
 */
function codeOrName(cc: unknown, kind: 'drug' | 'condition' | 'device', fallbackName?: string): { code: string; name?: string } | undefined {
  const candidates = codings(cc).map((x) => coded(x)).filter((x): x is string => x !== undefined);
  const name = conceptText(cc) ?? fallbackName;
  const code = candidates.find((x) => resolve(kind, x)) ?? candidates[0] ?? name;
  if (code === undefined) return undefined;
  return name !== undefined && name !== code ? { code, name } : { code };
}

class Mapper {
  readonly record: PatientRecordInput = {};
  readonly diagnostics: Diagnostic[] = [];
  readonly unmapped: Unmapped[] = [];
  private readonly measurements: M[] = [];
  private readonly conditions: C[] = [];
  private readonly medications: Md[] = [];
  private readonly findings: F[] = [];
  private readonly attestations: A[] = [];
  private readonly procedures: P[] = [];
  private readonly devices: Dv[] = [];
  private readonly allergies: Al[] = [];
  private readonly familyHistory: Fh[] = [];
  /** A FamilyMemberHistory with status health-unknown was read (the family history is not known to be complete). */
  private familyHealthUnknown = false;
  private readonly substanceUse: Su[] = [];

  constructor(private readonly opts: MapOptions) {}

  skip(r: Res, why: string): void {
    this.unmapped.push({ ref: refName(r.res), why });
  }

  patient(r: Res): void {
    const p = r.res;
    const id = str(p.id);
    if (id) this.record.id = id;
    const bd = fhirDate(p.birthDate);
    if (bd) this.record.birthDate = bd;
    const g = str(p.gender);
    if (g === 'female' || g === 'male' || g === 'other' || g === 'unknown') this.record.sex = g;
    const dd = fhirDate(p.deceasedDateTime);
    if (dd) this.record.deceasedDate = dd;
    else if (p.deceasedBoolean === true) {
      this.diagnostics.push(diag('fhir/unmapped-value', 'deceasedBoolean true without a date: not mapped (the record needs deceasedDate)', locOf(r, 'deceasedBoolean')));
    }
  }

  observation(r: Res): void {
    const o = r.res;
    const status = str(o.status);
    if (status && OBS_SKIP.has(status)) return this.skip(r, `status ${status}`);
    const cs = codings(o.code);
    const date = effective(o);
    // elig's own codes: findings, attestations, recorded score totals
    const own = cs.find((c) => c.system === ELIG_FINDINGS || c.system === ELIG_ATTESTATIONS);
    if (own) return this.own(r, own.system, own.code, o, date);
    if (cs.some((c) => (c.system === LOINC && c.code === SMOKING_STATUS_LOINC) || (c.system === SNOMED && PACK_YEARS_SNOMED.has(c.code)))) return this.smoking(r, o, cs, date);
    let used = false;
    const entry = this.measurementOf(cs);
    if (entry) {
      this.measurement(r, o, entry.entry, entry.code, date, '');
      used = true;
    }
    arr(o.component).forEach((comp, i) => {
      if (!isObj(comp)) return;
      const e = this.measurementOf(codings(comp.code));
      if (e) {
        this.measurement(r, comp, e.entry, e.code, date, `component[${i}].`, o);
        used = true;
      }
    });
    if (!used) {
      // not in the vocabulary: kept as a measurement under its code, so a criterion may name the code
      // directly (loinc:4548-4) and the report lists it as unmapped instead of dropping it unseen
      const v = readValue(o);
      const first = cs.find((c) => coded(c) !== undefined);
      if (first && v.value !== undefined) {
        const m: M = { code: coded(first)!, value: v.value, source: `${refName(o)}.${v.element}` };
        if (v.unit !== undefined) m.unit = v.unit;
        if (date) m.date = date;
        this.measurements.push(m);
      } else this.skip(r, `code not in the vocabulary (${cs.map((c) => coded(c) ?? `${c.system}|${c.code}`).join(', ') || 'no coding'})${first ? ', and no value' : ', in no code system elig knows'}`);
    }
  }

  private measurementOf(cs: readonly { system: string; code: string }[]): { entry: VocabularyEntry; code: string } | undefined {
    for (const c of cs) {
      if (c.system === LOINC) {
        const code = `loinc:${c.code}`;
        const entry = resolve('measurement', code);
        if (entry) return { entry, code };
      } else if (c.system === ELIG_MEASUREMENTS) {
        const entry = resolve('measurement', c.code);
        if (entry && entry.id === c.code) return { entry, code: entry.id };
      }
    }
    return undefined;
  }

  private measurement(r: Res, o: Json, entry: VocabularyEntry, code: string, date: string | undefined, prefix: string, parent: Json = o): void {
    const v = readValue(o);
    const source = `${refName(r.res)}.${prefix}${v.element}`;
    const flagOnly = v.value === undefined ? interpretationOf(o) ?? (o === parent ? undefined : interpretationOf(parent)) : undefined;
    if (v.value === undefined && flagOnly === undefined) {
      const reason = isObj(parent.dataAbsentReason) ? conceptText(parent.dataAbsentReason) : undefined;
      this.unmapped.push({ ref: refName(r.res), why: `${entry.id}: no value${reason ? ` (${reason})` : ''}` });
      return;
    }
    // only the laboratory's flag (H, L, A, N…) recorded: kept, so limit-relative rules can read it
    const m: M = v.value === undefined ? { code, source: `${refName(r.res)}.${prefix}interpretation` } : { code, value: v.value, source };
    if (v.unit !== undefined) m.unit = v.unit;
    if (date) m.date = date;
    if (typeof v.value === 'number' && entry.unit !== undefined) {
      const unit = v.unit ?? '';
      const ok = unit === '' ? undefined : commensurable(unit, entry.unit, entry.molarMass !== undefined ? { molarMass: entry.molarMass } : {});
      if (ok === undefined) {
        this.diagnostics.push(diag('fhir/unknown-unit',
          `${entry.display} ${v.value}${unit ? ` '${unit}'` : ' without a unit'}: ${unit ? 'not a UCUM unit' : 'no unit'}; the value cannot be compared (expected ${entry.unit})`,
          locOf(r, `${prefix}valueQuantity.${unit ? 'code' : 'unit'}`)));
      }
    }
    const rr = arr(o.referenceRange)[0];
    if (isObj(rr)) {
      const limit = (q: unknown) => {
        if (!isObj(q) || num(q.value) === undefined) return undefined;
        const u = (str(q.system) === UCUM ? str(q.code) : undefined) ?? str(q.unit) ?? str(q.code);
        return { value: num(q.value)!, ...(u ? { unit: normaliseUnit(u) } : {}) };
      };
      const high = limit(rr.high);
      const low = limit(rr.low);
      if (high || low) m.referenceRange = { ...(low ? { low } : {}), ...(high ? { high } : {}) };
    }
    const interp = interpretationOf(o) ?? (o === parent ? undefined : interpretationOf(parent));
    if (interp) m.interpretation = interp;
    const method = isObj(parent.method) ? conceptText(parent.method) : undefined;
    if (method) m.method = method;
    this.measurements.push(m);
  }

  /** An Observation (or Condition, Procedure) coded in elig's own systems. */
  private own(r: Res, system: string, code: string, o: Json, date: string | undefined, presentOverride?: boolean): void {
    const v = readValue(o);
    const source = `${refName(r.res)}.${v.value === undefined ? 'code' : v.element}`;
    if (system === ELIG_ATTESTATIONS) {
      const a: A = { code, value: typeof v.value === 'boolean' ? v.value : true, source };
      const by = byOf([...arr(o.performer), ...(isObj(o.asserter) ? [o.asserter] : []), ...(isObj(o.recorder) ? [o.recorder] : [])]);
      if (by) a.by = by;
      if (date) a.date = date;
      this.attestations.push(a);
      return;
    }
    const f: F = { code, present: presentOverride ?? present(v.value), source };
    if (date) f.date = date;
    if (typeof v.value === 'string' && !['present', 'absent', 'positive', 'negative'].includes(v.value)) f.value = v.value;
    else if (typeof v.value === 'number') f.value = v.value;
    const at = attributedTo(o);
    if (at) f.attributedTo = at;
    this.findings.push(f);
  }

  /** The smoking-status Observation (LOINC 72166-2) or a pack-years Observation → a tobacco substance-use entry. */
  private smoking(r: Res, o: Json, cs: readonly { system: string; code: string }[], date: string | undefined): void {
    const out: Su = { substance: 'tobacco', status: 'unknown', source: `${refName(o)}.value[x]` };
    if (cs.some((c) => c.system === LOINC && c.code === SMOKING_STATUS_LOINC)) {
      const answer = isObj(o.valueCodeableConcept) ? codings(o.valueCodeableConcept).map((c) => own(SMOKING_ANSWERS, c.code)).find((x) => x !== undefined) : undefined;
      if (!answer) {
        // located, not only counted: an older statement would otherwise stand for the newest status unseen
        const what = `smoking status ${conceptText(o.valueCodeableConcept) ?? 'without a value'}`;
        this.diagnostics.push(diag('fhir/unmapped-value', `${what} is not a status elig knows (LOINC 72166-2 answers): not read`, locOf(r, 'valueCodeableConcept')));
        return this.skip(r, `${what}: not a status elig knows (LOINC 72166-2 answers)`);
      }
      out.status = answer;
      out.source = `${refName(o)}.valueCodeableConcept`;
    } else {
      const v = isObj(o.valueQuantity) ? num(o.valueQuantity.value) : undefined;
      if (v === undefined || v < 0) return this.skip(r, 'pack-years without a value');
      out.packYears = v;
      out.source = `${refName(o)}.valueQuantity`;
    }
    if (date) out.date = date;
    this.substanceUse.push(out);
  }

  allergy(r: Res): void {
    const a = r.res;
    const ver = codeIn(a.verificationStatus);
    if (ver === 'refuted' || ver === 'entered-in-error') return this.skip(r, `verificationStatus ${ver}`);
    const cs = codings(a.code);
    if (cs.some((c) => c.system === SNOMED && NO_KNOWN_ALLERGY.has(c.code))) return this.skip(r, 'no known allergy: a statement of none (the allergy list is recorded)');
    // the code, else the substance of a reaction (AllergyIntolerance.code is optional in R4)
    const ri = a.code === undefined ? arr(a.reaction).findIndex((x) => isObj(x) && codeOrName(x.substance, 'drug') !== undefined) : -1;
    const substance = ri >= 0 ? codeOrName((arr(a.reaction)[ri] as Json).substance, 'drug') : codeOrName(a.code, 'drug');
    if (!substance) {
      // an allergy to something the record does not name: located, since the allergy list is still recorded
      this.diagnostics.push(diag('fhir/unmapped-value', 'allergy or intolerance without a code or name of the substance (code, reaction.substance): not read', locOf(r, 'code')));
      return this.skip(r, 'no code or name of the substance');
    }
    const out: Al = { ...substance, source: `${refName(a)}.${ri >= 0 ? `reaction[${ri}].substance` : 'code'}` };
    const type = str(a.type);
    if (type === 'allergy' || type === 'intolerance') out.type = type;
    const cat = str(arr(a.category)[0]);
    if (cat === 'food' || cat === 'medication' || cat === 'environment' || cat === 'biologic') out.category = cat;
    const cl = codeIn(a.clinicalStatus);
    if (cl === 'active' || cl === 'inactive' || cl === 'resolved') out.clinicalStatus = cl;
    if (ver === 'unconfirmed' || ver === 'presumed' || ver === 'confirmed') out.verificationStatus = ver;
    const crit = str(a.criticality);
    if (crit === 'low' || crit === 'high' || crit === 'unable-to-assess') out.criticality = crit;
    const reaction = arr(a.reaction)[0];
    const manifestation = isObj(reaction) ? conceptText(arr(reaction.manifestation)[0]) : undefined;
    if (manifestation) out.reaction = manifestation;
    const onset = fhirDate(a.onsetDateTime) ?? (isObj(a.onsetPeriod) ? fhirDate(a.onsetPeriod.start) : undefined);
    if (onset) out.onset = onset;
    this.allergies.push(out);
  }

  familyMember(r: Res): void {
    const f = r.res;
    const status = str(f.status);
    if (status === 'entered-in-error') return this.skip(r, `status ${status}`);
    const relationship = codeIn(f.relationship, V3_ROLE_CODE) ?? conceptText(f.relationship);
    if (status === 'health-unknown') {
      // this relative's health is not known: the family history cannot be read as complete. With no other
      // entry the patient has no family-history list (rules say unknown), never an empty one (rules fail)
      this.familyHealthUnknown = true;
      this.diagnostics.push(diag('fhir/unmapped-value', `family member${relationship ? ` (${relationship})` : ''} of unknown health (status health-unknown): no family history is known for them`, locOf(r, 'status')));
      return this.skip(r, `status ${status}`);
    }
    if (!relationship) return this.skip(r, 'no relationship');
    const conditions = arr(f.condition);
    if (!conditions.length) return this.skip(r, 'no condition');
    conditions.forEach((c, i) => {
      if (!isObj(c)) return;
      const condition = codeOrName(c.code, 'condition');
      if (!condition) return this.skip(r, `condition[${i}] without a code or a name`);
      const out: Fh = { relationship, ...condition, source: `${refName(f)}.condition[${i}].code` };
      const age = isObj(c.onsetAge) ? num(c.onsetAge.value) : undefined;
      if (age !== undefined && age >= 0) out.onsetAge = age;
      this.familyHistory.push(out);
    });
  }

  /** A DeviceUseStatement (its Device resolved in the patient's resources or contained), or a Device no statement refers to. */
  device(r: Res, devices: ReadonlyMap<string, Json>): void {
    const res = r.res;
    const statement = res.resourceType === 'DeviceUseStatement';
    let dev: Json | undefined = statement ? undefined : res;
    if (statement) {
      const ref = refOf(res.device);
      dev = ref?.startsWith('#') ? arr(res.contained).find((x): x is Json => isObj(x) && x.id === ref.slice(1)) : ref ? devices.get(ref.replace(/^.*?(Device\/[^/]+)$/, '$1')) : undefined;
    }
    const st = str(res.status);
    const status = st ? own(DEVICE_STATUS, st) : undefined;
    if (status === 'entered-in-error' || status === 'intended') return this.skip(r, `status ${st}`);
    const deviceName = dev && isObj(arr(dev.deviceName)[0]) ? str((arr(dev.deviceName)[0] as Json).name) : undefined;
    const what = codeOrName(dev?.type, 'device', deviceName ?? (isObj(res.device) ? str(res.device.display) : undefined));
    if (!what) {
      // a statement of a device in use whose Device is not in the input: located, as for medicationReference
      // (the devices list is recorded, so without it a not: { device: … } exclusion would pass unseen)
      const ref = refOf(res.device);
      if (statement) this.diagnostics.push(diag('fhir/unresolved-reference', `device ${ref ?? '(no reference)'} is not in the input and has no display: the device in use is not known`, locOf(r, 'device')));
      return this.skip(r, statement ? `device ${ref ?? '(no reference)'} not in the input, and no display` : 'device without a type or name');
    }
    const out: Dv = { ...what, source: statement ? `${refName(res)}.device` : `${refName(res)}.type` };
    const model = dev ? [deviceName, str(dev.modelNumber)].filter((x) => x && x !== what.name && x !== what.code).join(' ') : '';
    if (model) out.model = model;
    if (status) out.status = status;
    const period = isObj(res.timingPeriod) ? res.timingPeriod : undefined;
    const start = (period ? fhirDate(period.start) : undefined) ?? fhirDate(res.timingDateTime);
    const end = period ? fhirDate(period.end) : undefined;
    if (start) out.start = start;
    if (end) out.end = end;
    this.devices.push(out);
  }

  condition(r: Res): void {
    const c = r.res;
    const ver = codeIn(c.verificationStatus);
    const cs = codings(c.code);
    const onset = fhirDate(c.onsetDateTime) ?? (isObj(c.onsetPeriod) ? fhirDate(c.onsetPeriod.start) : undefined);
    const own = cs.find((x) => x.system === ELIG_FINDINGS);
    if (own) {
      if (ver === 'entered-in-error') return this.skip(r, 'verificationStatus entered-in-error');
      // a refuted finding is a recorded absence
      return this.own(r, own.system, own.code, c, onset ?? fhirDate(c.recordedDate), ver === 'refuted' ? false : undefined);
    }
    if (ver && CONDITION_SKIP.has(ver)) return this.skip(r, `verificationStatus ${ver}`);
    const candidates = cs.map((x) => coded(x)).filter((x): x is string => x !== undefined);
    if (!candidates.length) return this.skip(r, `no SNOMED CT or ICD-10 code (${cs.map((x) => `${x.system}|${x.code}`).join(', ') || 'no coding'})`);
    const code = candidates.find((x) => resolve('condition', x)) ?? candidates[0]!;
    const out: C = { code, source: `${refName(c)}.code` };
    const name = conceptText(c.code);
    if (name) out.name = name;
    if (onset) out.onset = onset;
    const ab = fhirDate(c.abatementDateTime) ?? (isObj(c.abatementPeriod) ? fhirDate(c.abatementPeriod.end) : undefined);
    if (ab) out.abatement = ab;
    const cl = codeIn(c.clinicalStatus);
    if (cl && CLINICAL.has(cl)) out.clinicalStatus = cl as C['clinicalStatus'];
    if (ver && VERIFICATION.has(ver)) out.verificationStatus = ver as C['verificationStatus'];
    this.conditions.push(out);
  }

  procedure(r: Res): void {
    const p = r.res;
    const own = codings(p.code).find((x) => x.system === ELIG_FINDINGS);
    const status = str(p.status);
    if (status === 'entered-in-error' || status === 'not-done' || status === 'preparation') return this.skip(r, `status ${status}`);
    const date = fhirDate(p.performedDateTime) ?? (isObj(p.performedPeriod) ? fhirDate(p.performedPeriod.start) : undefined);
    if (own) return this.own(r, own.system, own.code, p, date, true);
    // a procedure in a standard code system (SNOMED CT, …): a record procedure, read by procedure rules
    const cs = codings(p.code);
    const candidates = cs.map((x) => coded(x)).filter((x): x is string => x !== undefined);
    const name = conceptText(p.code);
    if (!candidates.length && !name) return this.skip(r, `no code elig can read (${cs.map((x) => `${x.system}|${x.code}`).join(', ') || 'no coding'})`);
    const out: P = { code: candidates.find((x) => resolve('procedure', x)) ?? candidates[0] ?? name!, source: `${refName(p)}.code` };
    if (name) out.name = name;
    if (date) out.date = date;
    if (status === 'completed' || status === 'in-progress' || status === 'stopped' || status === 'on-hold' || status === 'unknown') out.status = status;
    this.procedures.push(out);
  }

  medication(r: Res): void {
    const m = r.res;
    const type = String(m.resourceType);
    let concept: unknown = m.medicationCodeableConcept;
    let element = 'medicationCodeableConcept';
    const mref = refOf(m.medicationReference);
    if (!isObj(concept) && mref) {
      const contained = mref.startsWith('#') ? arr(m.contained).find((x) => isObj(x) && x.id === mref.slice(1)) : undefined;
      const med = isObj(contained) ? contained : this.opts.medication?.(mref, m);
      if (!med) {
        this.diagnostics.push(diag('fhir/unresolved-reference', `medicationReference ${mref} is not in the input`, locOf(r, 'medicationReference')));
        return this.skip(r, `medicationReference ${mref} not found`);
      }
      concept = med.code;
      element = 'medicationReference';
    }
    const cs = codings(concept);
    const name = conceptText(concept) ?? (isObj(m.medicationReference) ? str(m.medicationReference.display) : undefined);
    const candidates = cs.map((x) => coded(x)).filter((x): x is string => x !== undefined);
    const code = candidates.find((x) => resolve('drug', x));
    const dosage = type === 'MedicationRequest' ? arr(m.dosageInstruction)[0] : type === 'MedicationStatement' ? arr(m.dosage)[0] : m.dosage;
    const d = readDosage(dosage, name, type === 'MedicationAdministration');
    if (isNonSystemic(name, d.route) && (code !== undefined || (name !== undefined && resolve('drug', name)))) {
      return this.skip(r, `non-systemic form (${name ?? d.route}): not counted as systemic use`);
    }
    const out: Md = { source: `${refName(m)}.${d.dose !== undefined ? (type === 'MedicationRequest' ? 'dosageInstruction[0]' : 'dosage') : element}` };
    if (name) out.name = name;
    // an unmapped code is kept beside the name: criteria may name it, and the report lists it as unmapped
    if (code) out.code = code;
    else if (candidates[0]) out.code = candidates[0];
    if (!out.name && !out.code) return this.skip(r, 'medication without a code or a name');
    if (d.dose) out.dose = d.dose;
    if (d.perDay !== undefined) out.perDay = d.perDay;
    else if (d.frequency) out.frequency = d.frequency;
    if (d.route) out.route = d.route;
    const st = str(m.status);
    const status = st ? MED_STATUS[st] : undefined;
    if (status) out.status = status;
    // course dates: boundsPeriod, else effective[x] (statement/administration), else authoredOn (request)
    const eff = isObj(m.effectivePeriod) ? m.effectivePeriod : undefined;
    const start = fhirDate(d.start) ?? (eff ? fhirDate(eff.start) : undefined) ?? fhirDate(m.effectiveDateTime) ?? fhirDate(m.authoredOn) ?? fhirDate(m.dateAsserted);
    let end = fhirDate(d.end) ?? (eff ? fhirDate(eff.end) : undefined);
    if (type === 'MedicationAdministration' && !end) end = fhirDate(m.effectiveDateTime);
    if (start) out.start = start;
    if (end) out.end = end;
    const sr = conceptText(arr(m.statusReason)[0] ?? m.statusReason);
    if (sr) out.stopReason = sr;
    this.medications.push(out);
  }

  /** Immunization → a medication given once (the vaccine), so live-vaccine exclusions can see it. */
  immunization(r: Res): void {
    const im = r.res;
    const status = str(im.status);
    if (status !== 'completed') return this.skip(r, `status ${status ?? 'missing'}`);
    const cs = codings(im.vaccineCode);
    const candidates = cs.map((x) => coded(x)).filter((x): x is string => x !== undefined);
    const code = candidates.find((x) => resolve('drug', x));
    const name = conceptText(im.vaccineCode);
    if (!code && !name) return this.skip(r, 'vaccine without a code or a name');
    const date = fhirDate(im.occurrenceDateTime);
    const out: Md = { source: `${refName(im)}.vaccineCode`, status: 'completed' };
    if (name) out.name = name;
    if (code) out.code = code;
    else if (candidates[0]) out.code = candidates[0];
    if (date) {
      out.start = date;
      out.end = date;
    }
    this.medications.push(out);
  }

  consent(r: Res): void {
    const c = r.res;
    const status = str(c.status);
    const cats = arr(c.category).flatMap((x) => codings(x));
    const own = cats.find((x) => x.system === ELIG_ATTESTATIONS);
    const scope = codeIn(c.scope);
    if (!own && scope !== 'research') return this.skip(r, `consent scope ${scope ?? 'unknown'} (only research consent is informed consent)`);
    if (status !== 'active' && status !== 'inactive' && status !== 'rejected') return this.skip(r, `status ${status ?? 'missing'}`);
    const a: A = { code: own?.code ?? 'informed-consent', value: status !== 'rejected', source: `${refName(c)}.status` };
    const by = byOf(arr(c.performer));
    if (by) a.by = by;
    const date = fhirDate(c.dateTime);
    if (date) a.date = date;
    this.attestations.push(a);
  }

  finish(): PatientRecordInput {
    const fam = this.opts.families;
    const r = this.record;
    if (this.measurements.length || fam.has('Observation')) r.measurements = this.measurements;
    if (this.conditions.length || fam.has('Condition')) r.conditions = this.conditions;
    if (this.medications.length || fam.has('MedicationRequest') || fam.has('MedicationStatement') || fam.has('MedicationAdministration') || fam.has('Immunization')) r.medications = this.medications;
    if (this.findings.length) r.findings = this.findings;
    if (this.attestations.length) r.attestations = this.attestations;
    if (this.procedures.length) r.procedures = this.procedures;
    if (this.devices.length || fam.has('DeviceUseStatement')) r.devices = this.devices;
    if (this.allergies.length || fam.has('AllergyIntolerance')) r.allergies = this.allergies;
    if (this.familyHistory.length || (fam.has('FamilyMemberHistory') && !this.familyHealthUnknown)) r.familyHistory = this.familyHistory;
    if (this.substanceUse.length) r.substanceUse = this.substanceUse;
    return r;
  }
}

export const MAPPED_TYPES = ['Patient', 'Observation', 'Condition', 'Procedure', 'MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'Immunization', 'Consent',
  'AllergyIntolerance', 'FamilyMemberHistory', 'DeviceUseStatement', 'Device'] as const;

/** Map one patient and the resources that refer to it. */
export function mapPatient(patient: Res, resources: readonly Res[], opts: MapOptions): MappedPatient {
  const m = new Mapper(opts);
  m.patient(patient);
  // Devices by reference, and those a DeviceUseStatement describes (mapped through the statement, not twice)
  const devices = new Map<string, Json>();
  const described = new Set<string>();
  for (const r of resources) {
    if (r.res.resourceType === 'Device' && typeof r.res.id === 'string') devices.set(`Device/${r.res.id}`, r.res);
    if (r.res.resourceType === 'DeviceUseStatement') {
      const ref = refOf(r.res.device);
      if (ref) described.add(ref.replace(/^.*?(Device\/[^/]+)$/, '$1'));
    }
  }
  for (const r of resources) {
    switch (r.res.resourceType) {
      case 'Observation': m.observation(r); break;
      case 'Condition': m.condition(r); break;
      case 'Procedure': m.procedure(r); break;
      case 'MedicationRequest':
      case 'MedicationStatement':
      case 'MedicationAdministration': m.medication(r); break;
      case 'Consent': m.consent(r); break;
      case 'Immunization': m.immunization(r); break;
      case 'AllergyIntolerance': m.allergy(r); break;
      case 'FamilyMemberHistory': m.familyMember(r); break;
      case 'DeviceUseStatement': m.device(r, devices); break;
      case 'Device':
        if (!described.has(`Device/${String(r.res.id)}`)) m.device(r, devices);
        break;
      case 'Patient': break;
      default: m.skip(r, 'resource type not used by elig');
    }
  }
  return { record: m.finish(), diagnostics: m.diagnostics, unmapped: m.unmapped };
}

/** The patient a resource belongs to: its subject/patient reference (Patient itself: none). */
export function patientRefOf(res: Json): string | undefined {
  const subj = refOf(res.subject) ?? refOf(res.patient) ?? refOf(res.beneficiary);
  if (subj) return subj;
  return undefined;
}

export { clean };
