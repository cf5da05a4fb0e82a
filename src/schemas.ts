/** JSON Schemas generated from the zod definitions (for editors and other tools). */
import { z } from 'zod';
import { CriteriaFile } from './language/schema.js';
import { PatientRecord } from './record.js';

export const SCHEMA_NAMES = ['criteria', 'patient'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

export function jsonSchema(name: SchemaName): Record<string, unknown> {
  const schema = name === 'criteria' ? CriteriaFile : PatientRecord;
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...out,
    $id: `https://elig.dev/schema/${name}.schema.json`,
    title: name === 'criteria' ? 'elig criteria file (elig/criteria@1)' : 'elig patient record',
  };
}
