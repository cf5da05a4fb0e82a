/** The zod report schema (elig schema report) against model.ts (compile time) and real reports (run time). */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { main } from '../src/cli/main.js';
import { REPORT_SCHEMA_ID, type Report } from '../src/model.js';
import { ReportSchema } from '../src/report-schema.js';
import { loadTestsFile } from '../src/language/tests-file.js';
import { memIo } from './helpers.js';

async function report(args: string[], criteria = 'criteria/nct06691152.yaml'): Promise<unknown> {
  const io = memIo();
  await main(['check', '-c', criteria, '--as-of', '2026-11-25', '--fail-on', 'none', '-f', 'json', ...args], io);
  return JSON.parse(io.out());
}

/** The NDJSON report put back together as one JSON report: its meta line, patient lines and summary line without `type`. */
async function ndjsonReport(args: string[], criteria: string): Promise<unknown> {
  const io = memIo();
  await main(['check', '-c', criteria, '--as-of', '2026-11-25', '--fail-on', 'none', '-f', 'ndjson', ...args], io);
  const lines = io.out().trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
  const strip = ({ type: _type, ...rest }: { type: string }) => rest;
  expect(lines.map((l) => l.type)).toEqual(['meta', ...lines.slice(1, -1).map(() => 'patient'), 'summary']);
  return { meta: strip(lines[0]!), patients: lines.slice(1, -1).map(strip), summary: strip(lines.at(-1)!) };
}

function expectValid(r: unknown, what: string): void {
  const parsed = ReportSchema.safeParse(r);
  expect(parsed.success, `${what}: ${JSON.stringify(parsed.error?.issues.slice(0, 3))}`).toBe(true);
}

/** Every criteria file of the project (seed trial, registry trials, examples) and every kind of fixture record. */
const CRITERIA = readdirSync('criteria').filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => `criteria/${f}`);
const INPUTS = ['fixtures/patients', 'fixtures/trials', 'fixtures/fhir', 'fixtures/csv/patients.csv', 'fixtures/broken', 'fixtures/t2d', 'fixtures/oncology', 'fixtures/unmapped/u1.json'];

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

  it('declares the contract it follows: meta.schema is elig/report@2, the protocol\'s criteria are said once in the meta', async () => {
    const r = (await report(['fixtures/patients/p01-adult-eligible.yaml'])) as Report;
    expect(r.meta.schema).toBe(REPORT_SCHEMA_ID);
    expect(r.meta.criteria.protocol.map((c) => c.id)).toEqual(r.patients[0]!.criteria.map((c) => c.id));
    expect(r.meta.criteria.protocol.every((c) => c.text.length > 0 && (c.kind === 'inclusion' || c.kind === 'exclusion'))).toBe(true);
    for (const c of r.patients[0]!.criteria) expect(Object.keys(c).filter((k) => k === 'kind' || k === 'text')).toEqual([]);
  });

  it.each(CRITERIA)('%s: the json and ndjson reports of every fixture, at the default depth and with --details, fit the schema', async (criteria) => {
    for (const depth of [[], ['--details']]) {
      const args = [...depth, '--summary', ...INPUTS];
      const json = await report(args, criteria) as Report;
      expect(json.patients.length).toBeGreaterThan(30);
      expectValid(json, `${criteria} json ${depth.join(' ')}`);
      const nd = await ndjsonReport(args, criteria);
      expectValid(nd, `${criteria} ndjson ${depth.join(' ')}`);
      // the two formats say the same
      expect(nd).toEqual(json);
    }
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
