import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'elig-anchor-'));
const criteria = join(dir, 'c.yaml');
writeFileSync(criteria, `schema: elig/criteria@1
id: demo
version: 1.0.0
anchors:
  consent: { attestation: informed-consent }
  first-dose: { given: true }
inclusion:
  - id: adult-at-consent
    text: Aged 18 or over at consent.
    rule: { fact: age, min: 18 a, anchor: consent }
  - id: platelets
    text: Platelets ≥ 100 within 4 weeks before the first dose.
    rule: { measurement: platelets, min: 100, within: 4 wk, anchor: first-dose }
`);
const patient = join(dir, 'p.json');
writeFileSync(patient, JSON.stringify({
  id: 'p1', birthDate: '2000-01-01', attestations: [{ code: 'informed-consent', date: '2026-11-01' }],
  measurements: [{ code: 'platelets', value: 150, unit: '10*9/L', date: '2026-11-12' }],
}));

async function run(args: string[]) {
  const io = memIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('elig check --anchor', () => {
  it.each([
    [['--anchor', 'first-dose=2026-12-10'], 0, 'eligible', undefined], // 11-12 is inside 4 weeks before 12-10
    [['--anchor', 'first-dose=2026-12-11'], 1, 'indeterminate', 'measurement:platelets'], // one day later: outside
    [[], 1, 'indeterminate', 'anchor:first-dose'], // no date: unknown, the anchor named in missing
  ])('%j → exit %d, %s', async (extra, code, verdict, missing) => {
    const r = await run(['check', '-c', criteria, patient, '--as-of', '2026-11-25', '-f', 'json', ...extra]);
    expect(r.code, r.err).toBe(code);
    const rep = JSON.parse(r.out);
    expect(rep.patients[0].verdict).toBe(verdict);
    if (missing) expect(rep.patients[0].criteria[1].missing[0].item).toBe(missing);
    // the consent anchor reads the attestation: it is not reported unmapped
    expect(rep.patients[0].unmapped).toBeUndefined();
  });
  it.each([
    [['--anchor', 'frist-dose=2026-12-10'], /did you mean first-dose/],
    [['--anchor', 'first-dose=10/12/2026'], /name=YYYY-MM-DD/],
    [['--anchor', 'consent=2026-12-10'], /no anchor consent with given: true/],
  ])('%j is a usage error', async (extra, msg) => {
    const r = await run(['check', '-c', criteria, patient, '--as-of', '2026-11-25', ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
  });
  // 600 records = 3 batches: with --jobs 3 they all go to the two worker threads
  it.skipIf(!existsSync(join(ROOT, 'dist/bundle/worker.js')))('--jobs 3 passes the anchors to the worker threads', () => {
    const nd = join(dir, 'many.ndjson');
    const rec = JSON.parse(readFileSync(patient, 'utf8'));
    writeFileSync(nd, Array.from({ length: 600 }, (_, i) => JSON.stringify({ ...rec, id: `p${i}` })).join('\n'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/elig.js'), 'check', '-c', criteria, '--as-of', '2026-11-25', '-f', 'json', '--jobs', '3', '--anchor', 'first-dose=2026-12-10', nd], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const rep = JSON.parse(r.stdout);
    expect(rep.summary.verdicts.eligible).toBe(600);
  });
  it('explain names the anchors', async () => {
    const r = await run(['explain', criteria]);
    const out = r.out.replace(/\s+/g, ' ');
    expect(out).toContain('completed years at consent: informed-consent (date recorded)');
    expect(out).toContain('within 4 weeks before first-dose (the date given for first-dose');
  });
});
