/** The NDJSON line splitter (src/cli/decode.ts): a batch of whole lines per input chunk, bounded. */
import { describe, expect, it } from 'vitest';
import { boundedLines, lineBatches, type LineBatch } from '../../src/cli/decode.js';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}

async function batches(max: number, ...parts: (string | Buffer)[]): Promise<LineBatch[]> {
  const out: LineBatch[] = [];
  for await (const b of lineBatches(chunks(...parts), max)) out.push(b);
  return out;
}

describe('lineBatches', () => {
  it.each<[string, (string | Buffer)[], LineBatch[]]>([
    ['one chunk, several lines', ['a\nb\nc\n'], [{ texts: ['a', 'b', 'c'], first: 1 }]],
    ['a line across chunks is one line, in the batch of the chunk that ends it', ['a\nb', 'c\nd\n'], [{ texts: ['a'], first: 1 }, { texts: ['bc', 'd'], first: 2 }]],
    ['a chunk that ends no line yields nothing', ['ab', 'cd', 'e\n'], [{ texts: ['abcde'], first: 1 }]],
    ['CRLF line ends', ['a\r\nb\r', '\n'], [{ texts: ['a'], first: 1 }, { texts: ['b'], first: 2 }]],
    ['a last line without a newline', ['a\nb'], [{ texts: ['a'], first: 1 }, { texts: ['b'], first: 2 }]],
    ['a byte order mark is skipped', [Buffer.from([0xef, 0xbb, 0xbf, 0x78, 0x0a])], [{ texts: ['x'], first: 1 }]],
    ['empty lines keep their numbers', ['\n\nx\n'], [{ texts: ['', '', 'x'], first: 1 }]],
    ['a UTF-8 character split between chunks', [Buffer.from([0x78, 0xe2, 0x89]), Buffer.from([0xa5, 0x0a])], [{ texts: ['x≥'], first: 1 }]],
  ])('%s', async (_name, parts, expected) => {
    expect(await batches(100, ...parts)).toEqual(expected);
  });

  it.each<[string, (string | Buffer)[], LineBatch[]]>([
    ['a line over the bound ends the batch (lines before it kept) and the reading', ['ab\n12345\nc\n'], [{ texts: ['ab'], first: 1, tooLong: 2 }]],
    ['a line growing over the bound across chunks', ['ab\n123', '45', '6\n'], [{ texts: ['ab'], first: 1 }, { texts: [], first: 2, tooLong: 2 }]],
    ['a line of exactly the bound is read', ['1234\n'], [{ texts: ['1234'], first: 1 }]],
  ])('bounded: %s', async (_name, parts, expected) => {
    expect(await batches(4, ...parts)).toEqual(expected);
  });

  it('boundedLines gives the same lines one at a time, then the line over the bound', async () => {
    const out: unknown[] = [];
    for await (const l of boundedLines(chunks('a\nb', 'c\n12345\n'), 4)) out.push(l);
    expect(out).toEqual([{ text: 'a', line: 1 }, { text: 'bc', line: 2 }, { tooLong: true, line: 3 }]);
  });
});
