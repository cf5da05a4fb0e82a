import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

describe('elig schema', () => {
  it.each(['criteria', 'patient', 'report', 'tests', 'vocabulary'])('the committed schema/%s.schema.json is up to date (regenerate: elig schema <kind> > schema/<kind>.schema.json)', async (kind) => {
    const io = memIo();
    expect(await main(['schema', kind], io)).toBe(0);
    const committed = readFileSync(new URL(`../../schema/${kind}.schema.json`, import.meta.url), 'utf8');
    expect(io.out()).toBe(committed);
    const s = JSON.parse(io.out());
    expect(s.$schema).toMatch(/json-schema\.org/);
  });
  it('the bundled criteria point editors at the schema', () => {
    const first = readFileSync(new URL('../../criteria/nct06691152.yaml', import.meta.url), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../schema/criteria.schema.json');
  });
  it('an unknown kind is a usage error', async () => {
    expect(await main(['schema', 'nope'], memIo())).toBe(2);
  });
});
