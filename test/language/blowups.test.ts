/**
 * Issue 11, item 6: hangs and blow-ups. Definitions are evaluated once per record (ten definitions that
 * each refer to the previous one ten times are instant), a chain of 10,000 definitions is refused at
 * load without overflowing the stack, and bad or explosive globs neither crash nor hang.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadCriteria } from '../../src/index.js';
import { memIo } from '../helpers.js';
import { globToRegExp } from '../../src/cli/read-inputs.js';

const HEADER = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\n';

function chain(levels: number, fanOut: number): string {
  const defs = [`  d0: { fact: age, min: 5 a }`];
  for (let i = 1; i < levels; i++) defs.push(`  d${i}: { all: [${Array.from({ length: fanOut }, () => `{ ref: d${i - 1} }`).join(', ')}] }`);
  return `${HEADER}definitions:\n${defs.join('\n')}\ninclusion:\n  - id: c\n    text: t\n    rule: { ref: d${levels - 1} }\n`;
}

describe('definitions: evaluated once per record, depth bounded at load', () => {
  it('ten definitions referring ten times to the previous one: check, validate and diff finish at once', async () => {
    const crit = chain(10, 10);
    const files = { 'c.yaml': crit, 'c2.yaml': crit.replace('version: 1.0.0', 'version: 1.0.1').replace('min: 5 a', 'min: 6 a'), 'p.ndjson': '{"id":"A","birthDate":"2000-01-01"}\n{"id":"B","birthDate":"2024-01-01"}\n' };
    const t0 = Date.now();
    const io = memIo({ files });
    expect(await main(['check', '-c', 'c.yaml', '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', 'p.ndjson'], io)).toBe(0);
    expect(JSON.parse(io.out()).patients.map((p: { verdict: string }) => p.verdict)).toEqual(['eligible', 'ineligible']);
    expect(await main(['validate', 'c.yaml'], memIo({ files }))).toBe(0);
    expect(await main(['diff', 'c.yaml', 'c2.yaml'], memIo({ files }))).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a chain of 10,000 definitions is refused with a located error, no stack overflow', () => {
    const t0 = Date.now();
    const r = loadCriteria('c.yaml', chain(10_000, 1));
    expect(r.criteria).toBeUndefined();
    const d = r.diagnostics.find((x) => x.code === 'criteria/ref-too-deep');
    expect(d?.message).toMatch(/chain of 10000 definitions \(at most 64\)/);
    expect(d?.location?.line).toBeGreaterThan(0);
    // (about 4 s unloaded, nearly all in the yaml library's duplicate-key check, which is quadratic
    // in the keys of one mapping: 10,000 definitions; the bound only guards against a hang)
    expect(Date.now() - t0).toBeLessThan(45_000);
  }, 60_000);

  it('a chain of 64 is accepted and evaluates', async () => {
    const r = loadCriteria('c.yaml', chain(64, 2));
    expect(r.diagnostics).toEqual([]);
  });
});

describe('globs: robust', () => {
  it.each([
    ['fixtures/**/*.json', 'fixtures/a/b/c.json', true], ['fixtures/**/*.json', 'fixtures/c.json', true],
    ['fixtures/*.json', 'fixtures/a/c.json', false], ['a/[z-a]*.json', 'a/[z-a]x.json', true], ['a/[p*.json', 'a/[px.json', true],
    ['a/[pq]1.json', 'a/p1.json', true], ['a/[!p]1.json', 'a/p1.json', false], ['a/(x|y)+.json', 'a/(x|y)+.json', true],
    ['a/**', 'a/b/c', true], ['a/**/**/**/b.json', 'a/b.json', true], ['a/**/**/**/b.json', 'a/x/y/z/w/b.json', true],
    ['a/?.json', 'a/x.json', true], ['a/?.json', 'a/xy.json', false],
  ] as const)('%s ~ %s: %s', (glob, path, matches) => {
    expect(globToRegExp(glob).test(path)).toBe(matches);
  });

  it.each([
    ['a bad character range', 'fixtures/patients/[z-a]*.json'],
    ['an unclosed bracket', 'fixtures/patients/[p*.json'],
    ['ten **/', `fixtures/${'**/'.repeat(10)}*.json`],
    ['regex metacharacters', 'fixtures/patients/(p|q)+{1}.json'],
  ])('%s: no crash, no hang', async (_n, glob) => {
    const t0 = Date.now();
    const io = memIo();
    const code = await main(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', glob], io);
    expect([0, 2]).toContain(code);
    expect(io.err()).not.toMatch(/internal error/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('ten **/ still match files at any depth', async () => {
    const io = memIo();
    await main(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', `fixtures/${'**/'.repeat(10)}p01-*.yaml`], io);
    expect(JSON.parse(io.out()).patients.map((p: { source: { file: string } }) => p.source.file)).toEqual(['fixtures/patients/p01-adult-eligible.yaml']);
  });
});

describe('FHIR: reference resolution and reason merging are indexed', () => {
  it('a Bundle with 20k Medications and 20k MedicationRequests is checked in seconds (was quadratic)', async () => {
    const n = 20_000;
    const entry: unknown[] = [{ fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'P1', gender: 'female', birthDate: '1990-01-01' } }];
    for (let i = 0; i < n; i++) entry.push({ resource: { resourceType: 'Medication', id: `m${i}`, code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '8640' }] } } });
    for (let i = 0; i < n; i++) {
      entry.push({ resource: { resourceType: 'MedicationRequest', id: `r${i}`, status: 'completed', subject: { reference: 'urn:uuid:p1' }, authoredOn: '2026-01-01', medicationReference: { reference: `Medication/m${i}` } } });
    }
    const io = memIo({ files: { 'b.json': JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry }) } });
    const t0 = Date.now();
    expect(await main(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', 'b.json'], io)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(io.err()).not.toMatch(/unresolved-reference/);
    expect(JSON.parse(io.out()).patients).toHaveLength(1);
  }, 60_000);
});

describe('--jobs', () => {
  it('more threads than CPUs are capped with a note; a small input starts no idle workers', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['bin/elig.js', 'check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', '--jobs', '1000', 'fixtures/patients'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`note: --jobs 1000 is more than the ${availableParallelism()} CPUs of this machine; using ${availableParallelism()}`));
    expect(JSON.parse(r.stdout).patients.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
