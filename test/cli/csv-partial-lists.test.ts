/**
 * `elig check` end to end on a small CSV sheet with per-item columns only (medication:prednisone,
 * device:insulin-pump): the sheet says nothing of rituximab or a pacemaker, so their exclusions stay
 * unknown and the patient is never "eligible" (verdict indeterminate, exit 1); with the list columns
 * (medications, devices = none) the lists are whole and the same exclusions pass (eligible, exit 0).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { PatientResult } from '../../src/index.js';
import { memIo } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'elig-csv-partial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const criteria = join(dir, 'excl.yaml');
writeFileSync(criteria, 'schema: elig/criteria@1\nid: partial-lists-test\nversion: 1.0.0\ninclusion:\n  - id: female\n    text: Female.\n    rule: { fact: sex, is: female }\n'
  + 'exclusion:\n  - id: rituximab\n    text: Rituximab ever.\n    rule: { medication: rituximab }\n  - id: prednisone\n    text: Prednisone ever.\n    rule: { medication: prednisone }\n'
  + '  - id: pacemaker\n    text: A cardiac pacemaker.\n    rule: { device: cardiac-pacemaker }\n  - id: pump\n    text: An insulin pump in use.\n    rule: { device: insulin-pump, current: true }\n');

async function run(csv: string): Promise<{ code: number; patients: PatientResult[] }> {
  const file = join(dir, `sheet-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, csv);
  const io = memIo();
  const code = await main(['check', '--criteria', criteria, '--as-of', '2026-11-25', '-f', 'json', file], io);
  return { code, patients: (JSON.parse(io.out()) as { patients: PatientResult[] }).patients };
}
const statuses = (p: PatientResult) => Object.fromEntries(p.criteria.map((c) => [c.id, c.status]));

describe('elig check on a CSV sheet with per-item columns only', () => {
  it('prednisone = no, pump = completed: rituximab and pacemaker exclusions unknown, never eligible (exit 1)', async () => {
    const r = await run('id,sex,medication:prednisone,device:insulin-pump\np1,female,no,completed\n');
    const p = r.patients[0]!;
    expect(statuses(p)).toEqual({ female: 'pass', rituximab: 'unknown', prednisone: 'pass', pacemaker: 'unknown', pump: 'pass' });
    expect(p.criteria.find((c) => c.id === 'rituximab')!.missing).toEqual([{ item: 'medications', description: 'the medication history' }]);
    expect(p.criteria.find((c) => c.id === 'pacemaker')!.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
    expect(p.verdict).toBe('indeterminate');
    expect(r.code).toBe(1);
  });
  it('the same sheet with medications and devices = none: whole lists, eligible (exit 0)', async () => {
    const r = await run('id,sex,medication:prednisone,device:insulin-pump,medications,devices\np1,female,no,completed,none,none\n');
    const p = r.patients[0]!;
    expect(statuses(p)).toEqual({ female: 'pass', rituximab: 'pass', prednisone: 'pass', pacemaker: 'pass', pump: 'pass' });
    expect(p.verdict).toBe('eligible');
    expect(r.code).toBe(0);
  });
  it('prednisone taken: its exclusion fails (not eligible), whatever the sheet does not mention', async () => {
    const r = await run('id,sex,medication:prednisone,medication:prednisone.start\np1,female,10 mg,2026-01-01\n');
    const p = r.patients[0]!;
    expect(statuses(p)).toMatchObject({ prednisone: 'fail', rituximab: 'unknown' });
    expect(p.verdict).toBe('ineligible');
  });
});
