/**
 * The example outputs in docs/ are real (issue 11 item 12: the README's `elig diff` example no longer
 * matched). Each block marked `<!-- example: … -->` is a ```sh block with one `elig …` command and
 * the ```text block of its output; the command is run and its output compared with the block.
 * `ELIG_UPDATE_DOCS=1 npx vitest run test/cli/docs-examples.test.ts` writes the current output back
 * (review the diff).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const DOCS = new URL('../../docs/', import.meta.url).pathname;
const EXAMPLE = /(<!-- example:[^\n]*-->\n```sh\n)(elig [^\n]+)(\n```\n\n```text\n)([\s\S]*?)(```)/g;
const update = process.env.ELIG_UPDATE_DOCS === '1';

/** Split a command line as a shell would for these examples (no quotes needed in them). */
const argv = (line: string): string[] => line.trim().split(/\s+/).slice(1);

async function output(line: string): Promise<string> {
  const io = memIo();
  await main(argv(line), io); // not a terminal, no colour environment: plain text
  return io.out();
}

const files = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const examples = files.flatMap((f) => [...readFileSync(join(DOCS, f), 'utf8').matchAll(EXAMPLE)].map((m) => [f, m[2]!] as const));

describe('examples in docs/ show real output', () => {
  it('there are examples to check (the diff example of docs/commands.md among them)', () => {
    expect(examples.some(([f, cmd]) => f === 'commands.md' && cmd.startsWith('elig diff '))).toBe(true);
  });

  it.each(examples)('%s: %s', async (file, command) => {
    const path = join(DOCS, file);
    const text = readFileSync(path, 'utf8');
    const actual = await output(command);
    const block = [...text.matchAll(EXAMPLE)].find((m) => m[2] === command)!;
    if (update && block[4] !== actual) {
      writeFileSync(path, text.replace(block[0], `${block[1]}${block[2]}${block[3]}${actual}${block[5]}`));
      return;
    }
    expect(block[4]).toBe(actual);
  });
});
