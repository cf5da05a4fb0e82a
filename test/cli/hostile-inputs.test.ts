/**
 * Issue 11, items 3, 4, 5, 7 and 9: bounded records, corrupt compressed input, records that must
 * neither vanish nor multiply, silent acceptance, and sniffing from whole lines. In process (memIo)
 * where possible; the gzip cases go through real files.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const CRITERIA = 'criteria/nct06691152.yaml';

async function run(args: string[], opts: Parameters<typeof memIo>[0] = {}) {
  const io = memIo(opts);
  const code = await main(['check', '-c', CRITERIA, '--as-of', '2026-11-25', '-f', 'json', '--fail-on', 'none', ...args], io);
  const report = io.out() ? JSON.parse(io.out()) : { patients: [] };
  return { code, err: io.err(), patients: report.patients as { id: string; verdict: string; source: { file: string; record?: number; line?: number } }[] };
}

const nd = (n: number, prefix = 'R') => `${Array.from({ length: n }, (_, i) => JSON.stringify({ id: `${prefix}${i + 1}`, sex: 'female' })).join('\n')}\n`;

describe('item 3: a record larger than --max-record-size is a located error, exit 2', () => {
  const big = 'x'.repeat(1_200_000);
  it.each([
    ['p.ndjson', `{"id":"A"}\n{"id":"B","pad":"${big}"}\n{"id":"C"}\n`],
    ['p.json', `[{"id":"A"},\n{"id":"B","pad":"${big}"},\n{"id":"C"}]`],
    ['p.yaml', `- id: A\n- id: B\n  pad: ${big}\n- id: C\n`],
    ['p.csv', `id,pad\nA,x\nB,${big}\nC,x\n`],
  ])('%s', async (file, text) => {
    const r = await run(['--max-record-size', '1', file], { files: { [file]: text } });
    expect(r.code).toBe(2);
    expect(r.patients.map((p) => p.verdict)).toEqual(['indeterminate', 'error'].map((v, i) => (i === 0 && file === 'p.csv' ? r.patients[0]!.verdict : v)));
    expect(r.err).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+: error file/too-large: record 2 \\(from line \\d+\\) is larger than 1 MiB`));
    expect(r.err).toMatch(/reading stopped at record 2/);
  });

  it('--max-record-size must be a positive number', async () => {
    expect((await run(['--max-record-size', 'lots', 'x.ndjson'], { files: { 'x.ndjson': '{}' } })).code).toBe(2);
  });
});

describe('item 4: corrupt compressed input is a located error; the records read before it are kept', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'elig-gz-'));
  const good = gzipSync(nd(50));
  const cases: [string, Buffer, RegExp, number][] = [
    ['truncated.ndjson.gz', good.subarray(0, good.length - 12), /error file\/corrupt: the gzip data is truncated/, 0],
    ['garbage.ndjson.gz', Buffer.concat([good, Buffer.from('GARBAGE')]), /error file\/corrupt: unexpected data after the end of the gzip stream/, 50],
    ['bad-crc.ndjson.gz', Buffer.concat([good.subarray(0, good.length - 8), Buffer.alloc(8, 1)]), /error file\/corrupt: .*CRC or length/, 50],
    ['truncated.csv.gz', gzipSync('id,sex\nA,female\nB,male\nC,female\n').subarray(0, 30), /error file\/corrupt: the gzip data is truncated/, 0],
  ];
  it.each(cases)('%s', async (name, bytes, message, atLeast) => {
    const f = join(tmp, name);
    writeFileSync(f, bytes);
    const r = await run([f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(new RegExp(`${name.replace(/\./g, '\\.')}(:\\d+)?: error file/corrupt`));
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.patients.length).toBeGreaterThanOrEqual(atLeast);
    // in order, each once
    const ids = r.patients.filter((p) => p.verdict !== 'error').map((p) => p.id);
    expect(ids).toEqual(ids.map((_, i) => (name.endsWith('.csv.gz') ? ids[i] : `R${i + 1}`)));
  });

  it('two concatenated gzip members and zero padding are read whole', async () => {
    const f = join(tmp, 'two.ndjson.gz');
    writeFileSync(f, Buffer.concat([gzipSync(nd(3, 'A')), gzipSync(nd(2, 'B')), Buffer.alloc(16)]));
    const r = await run([f]);
    expect(r.code).toBe(0);
    expect(r.patients.map((p) => p.id)).toEqual(['A1', 'A2', 'A3', 'B1', 'B2']);
  });

  it('a decompression bomb stops at the ratio bound', async () => {
    const f = join(tmp, 'bomb.ndjson.gz');
    writeFileSync(f, gzipSync(Buffer.from(`${' '.repeat(1023)}\n`.repeat(40 * 1024))));
    const r = await run([f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error file\/too-large: decompresses to more than 200 times its size/);
  });
});

describe('item 5: every input record exactly once, in order, with a unique stable id', () => {
  it('YAML null records (- ~, - null, -, --- ~) are reported as errors, not dropped', async () => {
    const r = await run(['n.yaml'], { files: { 'n.yaml': '- ~\n- null\n-\n- id: Y\n' } });
    expect(r.patients.map((p) => `${p.id}:${p.verdict}`)).toEqual(['n.yaml#1:error', 'n.yaml#2:error', 'n.yaml#3:error', 'Y:indeterminate']);
    const d = await run(['d.yaml'], { files: { 'd.yaml': 'id: A\n--- ~\n---\nid: C\n' } });
    expect(d.patients.map((p) => `${p.id}:${p.verdict}`)).toEqual(['A:indeterminate', 'd.yaml#2:error', 'C:indeterminate']);
  });

  it('a whitespace-only CSV has no records', async () => {
    const r = await run(['w.csv'], { files: { 'w.csv': '  \n \n\t\n' } });
    expect(r.patients).toEqual([]);
  });

  it('malformed CSV rows: one error each, in place; the lines a malformed row swallows are named', async () => {
    const csv = 'id,sex\nA,female\nB,"fe"male\nC,female\nD,female\nE,5"6\nF,female\nG,"x"y\n';
    const r = await run(['m.csv'], { files: { 'm.csv': csv } });
    const seen = r.patients.map((p) => p.source.record);
    expect(seen).toEqual(seen.map((_, i) => i + 1));
    const lines = r.patients.map((p) => p.source.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(r.patients[0]!.id).toBe('A');
    expect(r.patients[1]!.verdict).toBe('error');
    // every line 2..9 is either a record or inside a named malformed span
    const named = new Set<number>();
    for (const m of r.err.matchAll(/runs from line (\d+) to line (\d+)/g)) for (let l = Number(m[1]); l <= Number(m[2]); l++) named.add(l);
    for (const l of [2, 3, 4, 5, 6, 7, 8]) expect(lines.includes(l) || named.has(l), `line ${l}`).toBe(true);
  });

  it('records without an id are named file#record: unique across files', async () => {
    const r = await run(['a.ndjson', 'b.ndjson'], { files: { 'a.ndjson': '{"sex":"female"}\n{"sex":"male"}\n', 'b.ndjson': '{"sex":"female"}\n' } });
    expect(r.patients.map((p) => p.id)).toEqual(['a.ndjson#1', 'a.ndjson#2', 'b.ndjson#1']);
  });

  it('a symlink loop is walked once; a dangling symlink is reported and the walk goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elig-links-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'p.ndjson'), '{"id":"ONE"}\n');
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    symlinkSync(join(dir, 'missing.ndjson'), join(dir, 'a-dangling.ndjson'));
    writeFileSync(join(dir, 'z.ndjson'), '{"id":"TWO"}\n');
    const r = await run([dir]);
    expect(r.patients.map((p) => p.id)).toEqual(['ONE', 'TWO']);
    expect(r.err).toMatch(/a-dangling\.ndjson: error file\/not-found/);
  });
});

describe('item 9: stdin and unknown extensions are sniffed from whole lines; a wrong guess fails loudly', () => {
  const long = (i: number) => JSON.stringify({ id: `L${i}`, sex: 'female', note: 'n'.repeat(900) });
  const text = `${Array.from({ length: 10 }, (_, i) => long(i + 1)).join('\n')}\n`;
  it.each([
    ['stdin', ['-'], { stdin: text }],
    ['.txt', ['p.txt'], { files: { 'p.txt': text } }],
  ])('NDJSON with lines over 512 bytes on %s: all 10 records', async (_n, args, opts) => {
    const r = await run(['--fail-on', 'none', ...args], opts);
    expect(r.patients.map((p) => p.id)).toEqual(Array.from({ length: 10 }, (_, i) => `L${i + 1}`));
    expect(r.code).toBe(0);
  });

  it('text after a JSON value is an error (exit 2), never dropped silently', async () => {
    const r = await run(['--input-format', 'json', 'p.txt'], { files: { 'p.txt': text } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/p\.txt:2: error syntax\/json: unexpected text after the JSON value/);
  });
});

describe('item 7: nothing is accepted silently', () => {
  it.each([
    ['2026-02-30'], ['2025-02-29'], ['2026-13-01'], ['2026-04-31'], ['2026-00'],
  ])('impossible date %s: a located record error, not "no date of birth on record"', async (date) => {
    const r = await run(['p.ndjson'], { files: { 'p.ndjson': `${JSON.stringify({ id: 'A', birthDate: date })}\n` } });
    expect(r.patients[0]!.verdict).toBe('error');
    expect(r.err).toMatch(/p\.ndjson#1: error record\/invalid: record "A": birthDate: not a calendar date/);
  });

  it('2024-02-29 (a leap day) is a date', async () => {
    const r = await run(['p.ndjson'], { files: { 'p.ndjson': '{"id":"A","birthDate":"2024-02-29"}\n' } });
    expect(r.patients[0]!.verdict).not.toBe('error');
  });

  it.each([
    ['p.ndjson', '{"id":"A","birthDate":"2000-01-01","birthDate":"2010-01-01"}\n', /p\.ndjson:1:36: error syntax\/duplicate-key: key "birthDate" appears twice/],
    ['p.json', '[\n{"id":"A",\n "sex":"female",\n "sex":"male"}]', /p\.json:4:2: error syntax\/duplicate-key: key "sex" appears twice/],
    ['p.json', '{"id":"A","measurements":[{"code":"ast","value":1,"value":2}]}', /p\.json:1:51: error syntax\/duplicate-key: key "value"/],
  ])('a duplicate key in a JSON record is an error (ambiguous, as in YAML): %s', async (file, text, message) => {
    const r = await run([file], { files: { [file]: text } });
    expect(r.patients.map((p) => p.verdict)).toEqual(['error']);
    expect(r.err).toMatch(message);
  });

  it('holes and trailing commas in a JSON list are warnings with their line; every element is read', async () => {
    const r = await run(['h.json'], { files: { 'h.json': '[{"id":"A"},\n,{"id":"B"}\n{"id":"C"},\n]' } });
    expect(r.patients.map((p) => p.id)).toEqual(['A', 'B', 'C']);
    expect(r.err).toMatch(/h\.json:2: warning syntax\/json: two commas in a row/);
    expect(r.err).toMatch(/h\.json:3: warning syntax\/json: no comma between two elements/);
    expect(r.err).toMatch(/h\.json:4: warning syntax\/json: a trailing comma before \]/);
  });

  it('a duplicate CSV header is a warning; a row whose duplicate cells differ is an error', async () => {
    const r = await run(['d.csv'], { files: { 'd.csv': 'id,sex,Sex\nA,female,male\nB,male,male\n' } });
    expect(r.err).toMatch(/d\.csv:1:3: warning record\/unknown-key: column "sex" appears 2 times/);
    expect(r.patients.map((p) => `${p.id}:${p.verdict === 'error' ? 'error' : 'ok'}`)).toEqual(['d.csv#1:error', 'B:ok']);
  });

  it.each([
    ['p.ndjson', '\uFEFF{"id":"A"}\n{"id":"B"}\n'],
    ['p.yaml', '\uFEFFid: A\n---\nid: B\n'],
    ['p.json', '\uFEFF[{"id":"A"},{"id":"B"}]'],
    ['p.csv', '\uFEFFid,sex\nA,female\nB,male\n'],
    ['-', '\uFEFF{"id":"A"}\n{"id":"B"}\n'],
  ])('a byte order mark at the start of %s is skipped', async (file, text) => {
    const r = await run([file], file === '-' ? { stdin: text } : { files: { [file]: text } });
    expect(r.patients.map((p) => p.id)).toEqual(['A', 'B']);
  });
});

describe('a bug costs one record, not the run', () => {
  it('an exception while evaluating a record is an error result (internal/record) for that record only', async () => {
    const { evaluateItem } = await import('../../src/cli/evaluate-item.js');
    const { compile } = await import('../helpers.js');
    const good = compile('inclusion:\n  - id: c\n    text: t\n    rule: { fact: age, min: 5 a }\n');
    const broken = { ...good, criteria: [{ id: 'c', kind: 'inclusion' as const, text: 't', evaluate: () => { throw new Error('boom'); } }] };
    const r = evaluateItem(broken, '2026-11-25', { kind: 'record', raw: { id: 'A' }, source: { file: 'p.ndjson', record: 3 } });
    expect(r.verdict).toBe('error');
    expect(r.id).toBe('p.ndjson#3');
    expect(r.diagnostics?.[0]?.code).toBe('internal/record');
    expect(r.diagnostics?.[0]?.message).toMatch(/internal error while evaluating this record: boom/);
    expect(evaluateItem(good, '2026-11-25', { kind: 'record', raw: { id: 'B', birthDate: '2000-01-01' }, source: { file: 'p', record: 1 } }).verdict).toBe('eligible');
  });
});
