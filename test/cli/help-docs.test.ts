/**
 * Help text and docs agree (issue 11 item 12): every option `elig <command> --help` prints is
 * documented in that command's section of docs/commands.md, and every option the section's usage
 * line or option table names exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const DOC = readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8');
const COMMANDS = ['check', 'calc', 'validate', 'test', 'diff', 'explain', 'schema'];

async function help(command: string): Promise<string> {
  const io = memIo();
  await main([command, '--help'], io);
  return io.out();
}

function section(command: string): string {
  const start = DOC.indexOf(`## \`elig ${command}\``);
  expect(start, `docs/commands.md has a section for elig ${command}`).toBeGreaterThanOrEqual(0);
  const end = DOC.indexOf('\n## ', start + 3);
  return DOC.slice(start, end < 0 ? undefined : end);
}

const longOptions = (text: string): string[] => [...new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => `--${m[1]}`))].sort();

describe('--help and docs/commands.md agree', () => {
  it.each(COMMANDS)('elig %s', async (command) => {
    const text = await help(command);
    const optionsText = text.slice(text.indexOf('Options:'), text.includes('Exit codes:') ? text.indexOf('Exit codes:') : undefined);
    const options = longOptions(optionsText).filter((o) => o !== '--help');
    if (command !== 'schema') expect(options.length, `elig ${command} --help lists options`).toBeGreaterThan(0);
    const doc = section(command);
    const documented = longOptions(doc);
    expect(options.filter((o) => !documented.includes(o)), `options of elig ${command} --help missing from docs/commands.md`).toEqual([]);
    // what the section's usage block and option table name must exist
    const usage = /```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const table = doc.split('\n').filter((l) => /^\| `-/.test(l)).join('\n');
    const named = longOptions(`${usage}\n${table}`).filter((o) => o !== '--no-color' || options.includes('--color'));
    expect(named.filter((o) => !options.includes(o) && !(o === '--no-color' && options.includes('--color'))), `options in docs/commands.md that elig ${command} does not have`).toEqual([]);
  });
});
