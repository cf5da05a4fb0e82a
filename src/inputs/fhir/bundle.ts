/**
 * FHIR R4 JSON value (a Bundle of one or many patients, or a single Patient) → input items.
 * Resources are grouped by their patient reference (`urn:uuid:…` fullUrls, `Patient/id`, or an
 * absolute URL ending in `Patient/id`). Resources that refer to a Patient the input does not
 * contain become one `error` item per missing patient, located at the first such entry; broken
 * entries are diagnostics and the rest of the Bundle is still checked.
 */
import { diag } from '../../diagnostics.js';
import type { Diagnostic } from '../../model.js';
import type { InputItem } from '../types.js';
import { isObj, str, type Json } from './codes.js';
import { mapPatient, patientRefOf, refName, type Res, type Unmapped } from './map.js';

const BUNDLE_TYPES = new Set(['collection', 'transaction', 'searchset', 'batch', 'transaction-response', 'batch-response', 'document', 'message', 'history']);

/** True when a parsed JSON value is a FHIR resource (has a string `resourceType`). */
export function isFhirResource(v: unknown): v is Json {
  return isObj(v) && typeof v.resourceType === 'string';
}

/** `Patient/x` for a reference to a patient, normalised; `urn:uuid:` references are kept whole. */
export function patientKey(ref: string): string {
  if (ref.startsWith('urn:')) return ref;
  const m = /(?:^|\/)Patient\/([^/]+?)(?:\/_history\/.*)?$/.exec(ref);
  return m ? `Patient/${m[1]}` : ref;
}

export interface FhirRecordItem {
  kind: 'record';
  raw: unknown;
  source: InputItem['source'];
  diagnostics?: Diagnostic[];
  unmapped?: Unmapped[];
}

/** Items of one FHIR JSON value read from `file`. */
export function fhirItems(file: string, value: unknown): InputItem[] {
  if (!isFhirResource(value)) {
    return [{ kind: 'error', source: { file, record: 1 }, diagnostic: diag('fhir/invalid-bundle', 'not a FHIR resource: no resourceType', { file, path: 'resourceType' }) }];
  }
  if (value.resourceType === 'Patient') return bundleItems(file, { resourceType: 'Bundle', type: 'collection', entry: [{ resource: value }] }, true);
  if (value.resourceType !== 'Bundle') {
    return [{ kind: 'error', source: { file, record: 1 }, diagnostic: diag('fhir/invalid-bundle', `a ${String(value.resourceType)} on its own is not a patient: give a Bundle (or a Bulk Data directory)`, { file, path: 'resourceType' }) }];
  }
  return bundleItems(file, value, false);
}

function bundleItems(file: string, bundle: Json, single: boolean): InputItem[] {
  const type = str(bundle.type);
  if (!Array.isArray(bundle.entry)) {
    const what = bundle.entry === undefined ? 'has no entry list' : 'entry is not a list';
    return [{ kind: 'error', source: { file, record: 1 }, diagnostic: diag('fhir/invalid-bundle', `Bundle${type ? ` (${type})` : ''} ${what}`, { file, path: 'entry' }) }];
  }
  const warnings: Diagnostic[] = [];
  if (!type || !BUNDLE_TYPES.has(type)) warnings.push(diag('fhir/invalid-bundle', `Bundle type ${type ? `"${type}"` : 'missing'}; read as a collection`, { file, path: 'type' }, { severity: 'warning' }));

  const patients: { key: string; res: Res; aliases: string[] }[] = [];
  const byAlias = new Map<string, number>();
  const others: Res[] = [];
  const byFullUrl = new Map<string, Json>();
  const families = new Set<string>();
  const broken: Diagnostic[] = [];
  bundle.entry.forEach((e, i) => {
    const path = single ? '' : `entry[${i}]`;
    if (!isObj(e) || !isObj(e.resource) || typeof e.resource.resourceType !== 'string') {
      broken.push(diag('fhir/invalid-bundle', `${path || 'entry'}: ${!isObj(e) ? 'not an object' : !isObj(e.resource) ? 'no resource' : 'resource has no resourceType'}; entry skipped`, { file, path: `${path}${isObj(e) && isObj(e.resource) ? '.resource.resourceType' : ''}` }));
      return;
    }
    const res = e.resource;
    const r: Res = { res, loc: { file, ...(single ? {} : { entry: i }) } };
    const full = str(e.fullUrl);
    if (full) byFullUrl.set(full, res);
    families.add(String(res.resourceType));
    if (res.resourceType === 'Patient') {
      const id = str(res.id);
      const aliases = [...(id ? [`Patient/${id}`] : []), ...(full ? [patientKey(full)] : [])];
      if (!aliases.length) {
        broken.push(diag('fhir/invalid-bundle', `${path}: Patient without id or fullUrl; entry skipped`, { file, path: `${path}.resource.id` }));
        return;
      }
      const idx = patients.length;
      patients.push({ key: aliases[0]!, res: r, aliases });
      for (const a of aliases) byAlias.set(a, idx);
    } else others.push(r);
  });

  const groups: Res[][] = patients.map(() => []);
  const missing = new Map<string, Res[]>();
  const shared: Res[] = [];
  for (const r of others) {
    const ref = patientRefOf(r.res);
    if (!ref) {
      shared.push(r);
      continue;
    }
    const key = patientKey(ref);
    const idx = byAlias.get(key);
    if (idx !== undefined) groups[idx]!.push(r);
    else if (/^(urn:|Patient\/|https?:.*\/Patient\/)/.test(ref) || key.startsWith('Patient/')) {
      const l = missing.get(key);
      if (l) l.push(r);
      else missing.set(key, [r]);
    } else shared.push(r); // refers to a Group or another non-patient subject
  }

  // Medications by id, indexed once: resolving each reference by a scan was quadratic (50k + 50k: minutes)
  const medicationsById = new Map<string, Json>();
  for (const r of shared) {
    if (r.res.resourceType === 'Medication' && typeof r.res.id === 'string' && !medicationsById.has(r.res.id)) medicationsById.set(r.res.id, r.res);
  }
  const medication = (ref: string): Json | undefined => {
    const hit = byFullUrl.get(ref);
    if (hit) return hit;
    const m = /(?:^|\/)Medication\/([^/]+)$/.exec(ref);
    return m ? medicationsById.get(m[1]!) : undefined;
  };

  const items: InputItem[] = [];
  patients.forEach((p, i) => {
    const mapped = mapPatient(p.res, groups[i]!, { families, medication });
    const diagnostics = [...(i === 0 ? [...warnings, ...broken] : []), ...mapped.diagnostics];
    const unmapped = i === 0 ? [...mapped.unmapped, ...shared.filter((r) => r.res.resourceType !== 'Medication').map((r) => ({ ref: refName(r.res), why: 'not patient data' }))] : mapped.unmapped;
    const item: FhirRecordItem = { kind: 'record', raw: mapped.record, source: { file, record: i + 1 } };
    if (diagnostics.length) item.diagnostics = diagnostics;
    if (unmapped.length) item.unmapped = unmapped;
    items.push(item);
  });
  let n = patients.length;
  for (const [key, rs] of missing) {
    n++;
    const first = rs[0]!;
    items.push({
      kind: 'error',
      id: key,
      source: { file, record: n },
      diagnostic: diag('fhir/missing-patient', `${rs.length} resource${rs.length === 1 ? '' : 's'} refer to ${key}, which is not in the input (first: ${refName(first.res)})`,
        { file, path: `${first.loc.entry !== undefined ? `entry[${first.loc.entry}].` : ''}resource.${first.res.subject !== undefined ? 'subject' : 'patient'}` }),
    });
  }
  if (!patients.length && !missing.size) {
    items.push({ kind: 'error', source: { file, record: 1 }, diagnostic: diag('fhir/invalid-bundle', broken.length ? `Bundle has no readable Patient (${broken.length} broken entr${broken.length === 1 ? 'y' : 'ies'}: ${broken[0]!.message})` : 'Bundle has no Patient', { file, path: 'entry' }) });
  } else if (!patients.length && broken.length) {
    items.push({ kind: 'error', source: { file, record: n + 1 }, diagnostic: broken[0]! });
  }
  return items;
}
