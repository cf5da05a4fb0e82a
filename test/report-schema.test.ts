/** The zod report schema (elig schema report) against model.ts (compile time) and real reports (run time). */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { main } from '../src/cli/main.js';
import type { Report } from '../src/model.js';
import { ReportSchema } from '../src/report-schema.js';
import { loadTestsFile } from '../src/language/tests-file.js';
import { memIo } from './helpers.js';

async function report(args: string[]): Promise<unknown> {
  const io = memIo();
  await main(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--fail-on', 'none', '-f', 'json', ...args], io);
  return JSON.parse(io.out());
}

describe('report schema', () => {
  it('every Report (model.ts, the source of truth) fits the zod schema', () => {
    expectTypeOf<Report>().toExtend<z.input<typeof ReportSchema>>();
  });

  it('accepts the real report of the 22 fixture patients, and with --summary', async () => {
    const r = await report(['fixtures/patients']);
    const parsed = ReportSchema.safeParse(r);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    const s = ReportSchema.safeParse(await report(['--summary', 'fixtures/patients']));
    expect(s.success, JSON.stringify(s.error?.issues.slice(0, 3))).toBe(true);
  });

  it('accepts a report with error records (broken inputs carry diagnostics)', async () => {
    const r = (await report(['fixtures/broken/bad-types.json'])) as { patients: { verdict: string }[] };
    expect(r.patients.map((p) => p.verdict)).toContain('error');
    expect(ReportSchema.safeParse(r).success).toBe(true);
  });

  it('rejects a report whose shape drifted (unknown status, extra key)', async () => {
    const r = (await report(['fixtures/patients/p01-adult-eligible.yaml'])) as Report;
    const bad = structuredClone(r) as unknown as { patients: { criteria: { status: string }[] }[] };
    bad.patients[0]!.criteria[0]!.status = 'maybe';
    expect(ReportSchema.safeParse(bad).success).toBe(false);
    expect(ReportSchema.safeParse({ ...r, extra: 1 }).success).toBe(false);
  });
});

describe('tests schema', () => {
  it('the bundled test file is an instance of the tests schema', () => {
    const r = loadTestsFile('criteria/nct06691152.test.yaml', readFileSync('criteria/nct06691152.test.yaml', 'utf8'));
    expect(r.diagnostics).toEqual([]);
    expect(r.tests?.doc.cases.length).toBeGreaterThan(30);
  });
});
