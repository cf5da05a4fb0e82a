/**
 * Citations are primary sources (issue 11 item 13): nothing in the sources, the docs, the criteria or
 * the command line's output cites `clinical.md §…` or a path outside the project (`../shared`).
 * docs/clinical.md holds the definitions in the project's own words.
 *
 * Not scanned, on purpose:
 *  - released versions frozen under criteria/<id>/<version>.yaml: they must stay byte-identical to the
 *    release (their sha256 is stamped on the reports issued with them; scripts/check-criteria-history.mjs);
 *  - src/vocabulary.ts, while it exists: the vocabulary is moving to data files (issue 10), which
 *    cite primary sources.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memIo } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const FORBIDDEN = /clinical\.md\s*§|\.\.\/shared\b|shared\/reference/;
const FROZEN = /^criteria\/[^/]+\/\d+\.\d+\.\d+[^/]*\.ya?ml$/;
const EXEMPT = new Set(['src/vocabulary.ts']);

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((n) => {
    const p = join(dir, n);
    return statSync(join(ROOT, p)).isDirectory() ? files(p) : [p];
  });
}

describe('citations: primary sources only', () => {
  const scanned = ['src', 'docs', 'criteria'].flatMap(files).filter((f) => !FROZEN.test(f) && !EXEMPT.has(f));

  it('scans the sources, the docs and the current criteria', () => {
    expect(scanned).toContain('docs/clinical.md');
    expect(scanned).toContain('criteria/nct06691152.yaml');
    expect(scanned.some((f) => f.startsWith('src/calculators/'))).toBe(true);
  });

  it.each(scanned.map((f) => [f]))('%s cites no file outside the project', (f) => {
    const lines = readFileSync(join(ROOT, f), 'utf8').split('\n');
    const hits = lines.map((l, i) => `${f}:${i + 1}: ${l.trim()}`).filter((l) => FORBIDDEN.test(l.slice(l.indexOf(': ') + 2)));
    expect(hits).toEqual([]);
  });

  it('docs/clinical.md gives a primary source for each definition elig implements', () => {
    const doc = readFileSync(join(ROOT, 'docs/clinical.md'), 'utf8');
    for (const [section, source] of [
      ['2019 EULAR/ACR', /Aringer M.*Ann Rheum Dis\*?\s+2019/s],
      ['SLEDAI-2K', /Gladman DD.*J Rheumatol\*?\s+2002/s],
      ['eGFR', /Schwartz GJ.*J Am Soc Nephrol\*?\s+2009/s],
      ['eGFR', /Inker LA.*N Engl J Med\*?\s+2021/s],
      ['Glucocorticoid equivalence', /British National Formulary/],
      ['Upper limit of normal', /CTCAE\)? v5\.0/],
      ['Childbearing potential', /Clinical Trials Facilitation and Coordination Group/],
      ['Code systems', /LOINC.*SNOMED CT.*ICD-10.*ATC.*RxNorm.*UCUM/s],
    ] as const) {
      const start = doc.indexOf(`## ${section}`);
      expect(start, section).toBeGreaterThanOrEqual(0);
      const end = doc.indexOf('\n## ', start + 3);
      expect(doc.slice(start, end < 0 ? undefined : end), section).toMatch(source);
    }
  });
});

describe('citations in the command line output', () => {
  async function run(args: string[]) {
    const io = memIo();
    await main(args, io);
    return io.out() + io.err();
  }

  it.each([
    [['calc', '--list']],
    [['calc', '--list', '--format', 'json']],
    [['calc', 'prednisone-equivalent', 'drug=betamethasone', 'dose=7 mg', 'dosesPerDay=1', 'weight=50 kg']],
    [['explain', 'criteria/nct06691152.yaml']],
    [['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--details', '--format', 'human', 'fixtures/patients']],
    [['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--format', 'json', 'fixtures/patients']],
    [['--help']],
  ])('elig %j cites no file outside the project', async (args) => {
    const out = await run([...args]);
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toMatch(FORBIDDEN);
  });
});
