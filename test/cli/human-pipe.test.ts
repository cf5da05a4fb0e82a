/**
 * Human output piped or written to a file keeps every detail (issue 11 item 12): the one-line view
 * used to cut an error message to 80 columns (`…`) and count unknown criteria as `+20` even when the
 * reader was a file or grep. On a terminal the line still fits the width.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

const RECORDS = [
  { id: 'U-1', birthDate: '2000-01-01', sex: 'female' },
  { id: 'E-1', sex: 'not a sex at all, and a long explanation of why this value is what it is' },
].map((r) => JSON.stringify(r)).join('\n');

async function human(tty: boolean, extra: string[] = []) {
  const io = memIo({ files: { 'in.ndjson': RECORDS } });
  const stdout = { ...io.stdout, isTTY: tty, columns: 80 };
  await main(['check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--no-color', '--fail-on', 'none', ...extra, 'in.ndjson'], { ...io, stdout });
  return { out: io.out(), written: io.written };
}

describe('human output: nothing cut off unless on a terminal', () => {
  it('piped: the whole error message and every unknown criterion', async () => {
    const { out } = await human(false);
    const err = out.split('\n').find((l) => l.startsWith('E-1'))!;
    expect(err).not.toContain('…');
    expect(err).toContain('record/invalid: record "E-1": sex: Invalid option');
    const unknown = out.split('\n').find((l) => l.startsWith('U-1'))!;
    expect(unknown).not.toMatch(/\+\d+/);
    expect(unknown).toMatch(/unknown: sle-classification, refractory-disease, .*, recent-trial$/);
  });

  it('to a file (-o): the same', async () => {
    const { written } = await human(true, ['-o', 'report.txt']);
    const text = [...written.values()].join('');
    expect(text).not.toContain('…');
    expect(text).not.toMatch(/ \+\d+\n/);
  });

  it('on a terminal: each patient line fits the width', async () => {
    const { out } = await human(true);
    for (const l of out.split('\n').filter((x) => /^[UE]-1 /.test(x))) expect(l.length).toBeLessThanOrEqual(80);
    expect(out).toMatch(/…|\+\d+/);
  });
});
