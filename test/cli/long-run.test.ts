/**
 * Io.longRun: bin/elig.js starts V8 with a large interrupt budget (short checks do not spend their time
 * optimising code they hardly run); a check tells the Io once it has done 2,048 records, and the real
 * Io gives V8 its default back (src/cli/io.ts). Here: when it is called (--jobs 1; worker threads need the
 * built bundle, and the batch path calls it at the same place as the record path).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const CRITERIA = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: adult\n    text: Adults.\n    rule: { fact: age, min: 18 a }\n';
const records = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `p${i}`, age: 20 + (i % 60) })).join('\n') + '\n';

async function run(n: number, jobs: number): Promise<{ calls: number; code: number; lines: number }> {
  let calls = 0;
  const io = Object.assign(memIo({ files: { 'c.yaml': CRITERIA, 'p.ndjson': records(n) } }), { longRun: () => void calls++ });
  const code = await main(['check', '--criteria', 'c.yaml', '--as-of', '2026-11-25', '--format', 'ndjson', '--fail-on', 'none', '--quiet', '--jobs', String(jobs), 'p.ndjson'], io);
  return { calls, code, lines: io.out().split('\n').filter(Boolean).length };
}

describe('a long run is announced to the Io', () => {
  it.each([
    [100, 1, false],
    [2047, 1, false],
    [3000, 1, true],
  ])('%i records with --jobs %i: longRun called: %s', async (n, jobs, called) => {
    const r = await run(n, jobs);
    expect(r.code).toBe(0);
    expect(r.lines).toBe(n + 2); // meta, patients, summary
    expect(r.calls > 0).toBe(called);
  });
});
