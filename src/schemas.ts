/** JSON Schemas generated from the zod definitions (for editors and other tools). */
import { z } from 'zod';
import { CriteriaFile } from './language/schema.js';
import { TestsFileSchema } from './language/tests-file.js';
import { PatientRecord } from './record.js';
import { ReportSchema } from './report-schema.js';
import { vocabularyFileSchema } from './vocabulary/schema.js';

export const SCHEMA_NAMES = ['criteria', 'patient', 'report', 'tests', 'vocabulary'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const SCHEMAS: Record<SchemaName, { schema: z.ZodType; title: string; io: 'input' | 'output' }> = {
  criteria: { schema: CriteriaFile, title: 'elig criteria file (elig/criteria@1)', io: 'input' },
  patient: { schema: PatientRecord, title: 'elig patient record', io: 'input' },
  report: { schema: ReportSchema, title: 'elig JSON report (elig check --format json)', io: 'output' },
  tests: { schema: TestsFileSchema, title: 'elig criteria test file (elig/tests@1)', io: 'input' },
  vocabulary: { schema: vocabularyFileSchema, title: 'elig vocabulary file (elig/vocabulary@1)', io: 'input' },
};

export function jsonSchema(name: SchemaName): Record<string, unknown> {
  const s = SCHEMAS[name];
  const out = z.toJSONSchema(s.schema, { io: s.io, unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...out, $id: `https://elig.dev/schema/${name}.schema.json`, title: s.title };
}
