/**
 * End to end (issue 11 item 8): records, criteria files and test files with escape sequences, carriage
 * returns, newlines and bidi overrides cannot act on the terminal or forge lines through check,
 * validate or test, on stdout or stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UnmappedTally } from '../../src/cli/fhir-notes.js';
import { memIo } from '../helpers.js';

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

async function run(args: string[], opts: Parameters<typeof memIo>[0] = {}) {
  const io = memIo(opts);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const RECORDS = [
  { id: 'P-9  ELIGIBLE\rP-1\u001b[2J', birthDate: '2000-01-01', sex: 'female\u202Eelam', measurements: [{ code: 'ana\nok 1 - x', value: '1:160\u001b]8;;http://evil\u0007' }] },
  { id: 'Q\u0085\u009b2J', birthDate: 'x\u001b[31m' },
  '\u001b[2J not an object',
].map((r) => JSON.stringify(r)).join('\n');

describe('elig check: hostile records', () => {
  it.each(['human', 'markdown', 'tap', 'csv', 'junit'])('--format %s: nothing raw on stdout or stderr', async (format) => {
    for (const details of [[], ['--details']]) {
      const { out, err } = await run(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--format', format, ...details, 'in.ndjson'], { files: { 'in.ndjson': RECORDS } });
      expect(format === 'csv' ? out.replace(/\r\n/g, '\n') : out).not.toMatch(RAW);
      expect(err).not.toMatch(RAW);
    }
  });
});

describe('elig diff and explain: hostile records', () => {
  it.each(['human', 'markdown'])('diff --patients --format %s: nothing raw', async (format) => {
    const { out, err } = await run(['diff', 'fixtures/criteria/diff-old.yaml', 'fixtures/criteria/diff-new.yaml', '--patients', 'in.ndjson', '--as-of', '2026-11-25', '--format', format], { files: { 'in.ndjson': JSON.stringify({ id: 'P-9  ELIGIBLE\rP-1\u001b[2J\u202E', birthDate: '2000-01-01', sex: 'female' }) } });
    expect(out).toContain('P-9');
    expect(out + err).not.toMatch(RAW);
  });

  it('explain --patient: nothing raw', async () => {
    const { out, err } = await run(['explain', 'criteria/nct06691152.yaml', '--patient', 'p.json', '--as-of', '2026-11-25'], { files: { 'p.json': RECORDS.split('\n')[0]! } });
    expect(out + err).not.toMatch(RAW);
  });
});

describe('FHIR notes on stderr', () => {
  it('--verbose lists unmapped resources with their ids escaped', () => {
    const t = new UnmappedTally(true);
    t.add({ kind: 'record', raw: {}, source: { file: 'b.json', record: 1 }, unmapped: [{ ref: 'Procedure/x\u001b[2J\ny', why: 'not mapped\r' }] } as never, 'P\u202E1');
    let err = '';
    t.print({ write: (s: string) => ((err += s), true) } as never);
    expect(err).toContain('Procedure/x\\u001B[2J\\ny');
    expect(err.split('\n').filter(Boolean)).toHaveLength(3);
    expect(err).not.toMatch(RAW);
  });
});

describe('elig validate and elig test: hostile criteria and test files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elig-ctl-'));
  writeFileSync(join(dir, 'c.yaml'), 'schema: elig/criteria@1\nid: x\nversion: 1.0.0\ntitle: "t\\u001b[2J"\ninclusion:\n  - id: a\n    text: "t\\r\\u001b]8;;http://evil\\u0007x"\n    rule: { condition: "snomed:1\\n::error file=a.yaml::injected\\u001b[2J" }\n');

  it('validate --format github: one annotation line, no injected workflow command', async () => {
    const { out, err } = await run(['validate', '--format', 'github', join(dir, 'c.yaml')]);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // the code is refused (code/malformed) or unknown (lint): either way one escaped annotation
    expect(lines[0]).toMatch(/^::(error|warning) file=[^\n]*1\\n::error file=a.yaml::injected\\u001B\[2J/);
    expect(out + err).not.toMatch(RAW);
  });

  it.each(['human', 'sarif', 'junit', 'json'])('validate --format %s: nothing raw', async (format) => {
    const { out, err } = await run(['validate', '--format', format, join(dir, 'c.yaml')]);
    expect(out + err).not.toMatch(RAW);
  });

  it('test --format tap: a newline in a case name cannot forge an ok line', async () => {
    writeFileSync(join(dir, 'ok.yaml'), 'schema: elig/criteria@1\nid: ok\nversion: 1.0.0\ntitle: "t\\u001b[2J"\ninclusion:\n  - id: adult\n    text: "t\\r\\u001b]8;;http://evil\\u0007x"\n    rule: { fact: age, min: 18 }\n');
    writeFileSync(join(dir, 'c.test.yaml'), [
      'schema: elig/tests@1', 'criteria: ok.yaml', 'asOf: 2026-11-25', 'cases:',
      '  - name: "wrong\\nok 2 - forged\\u001b[2K"', '    patient: { id: p }', '    expect: { verdict: eligible }',
      '  - name: "wrong too\\r\\u202Eok"', '    patient: { id: q }', '    expect: { verdict: eligible }',
    ].join('\n'));
    const { code, out, err } = await run(['test', '--format', 'tap', join(dir, 'c.test.yaml')]);
    expect(code).toBe(1);
    expect(out.split('\n').filter((l) => /^\s*(not )?ok\b/.test(l))).toEqual([
      expect.stringMatching(/^not ok 1 - .*wrong\\\\nok 2 - forged\\\\u001B\[2K$/),
      expect.stringMatching(/^not ok 2 - /),
    ]);
    expect(out + err).not.toMatch(RAW);
    const human = await run(['test', join(dir, 'c.test.yaml')]);
    expect(human.out + human.err).not.toMatch(RAW);
  });
});
