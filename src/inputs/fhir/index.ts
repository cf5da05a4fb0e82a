/** FHIR R4 input: Bundles (and a lone Patient) as whole JSON values; Bulk Data is joined in src/cli/fhir-bulk.ts. */
import { parseJsonDocument } from '../json.js';
import type { InputItem } from '../types.js';
import { fhirItems } from './bundle.js';

export { fhirItems, isFhirResource, patientKey } from './bundle.js';
export { mapPatient, patientRefOf, refName, MAPPED_TYPES, type MapOptions, type MappedPatient, type Res, type ResLoc, type Unmapped } from './map.js';
export { ELIG_ATTESTATIONS, ELIG_FINDINGS, ELIG_MEASUREMENTS, ELIG_ATTRIBUTED_TO } from './codes.js';
export { strengthFromName } from './dosage.js';

/** `--input-format fhir` on a file: one JSON value, a FHIR Bundle or Patient. */
export function parseFhirRecords(file: string, text: string): InputItem[] {
  const doc = parseJsonDocument(file, text);
  return 'error' in doc ? [doc.error] : fhirItems(file, doc.value);
}
