/**
 * One YAML typo, one error (issue 11 item 12): the first syntax error is reported with its location
 * and frame, and the cascade after it (the parser's "unexpected token" for every later line: 538 errors
 * for one missing quote in the seed criteria) is counted in its hint instead of listed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCriteria, parseYaml } from '../../src/index.js';

const SEED = readFileSync(new URL('../../criteria/nct06691152.yaml', import.meta.url), 'utf8');
const lineOf = (needle: string) => SEED.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('a YAML typo reports its first cause, not its cascade', () => {
  it.each([
    ['a missing opening quote', (t: string) => t.replace('min: "30 mL/min/{1.73_m2}"', 'min: 30 mL/min/{1.73_m2}"'), lineOf('min: "30 mL/min/{1.73_m2}"')],
    ['a tab as indentation', (t: string) => t.replace('\n    text: "Diagnosed with systemic', '\n\ttext: "Diagnosed with systemic'), lineOf('text: "Diagnosed with systemic')],
    ['a one-space indent', (t: string) => t.replace('\nid: nct06691152', '\n id: nct06691152'), lineOf('id: nct06691152')],
  ])('%s: one syntax error, at the typo, the rest counted', (_name, typo, line) => {
    const r = loadCriteria('typo.yaml', typo(SEED));
    expect(r.criteria).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('syntax/yaml');
    expect(d.location?.line).toBeGreaterThanOrEqual(line - 1);
    expect(d.location?.line).toBeLessThanOrEqual(line + 1);
    expect(d.hint).toMatch(/^\d+ more syntax errors? after this one not shown/);
    expect(d.frame).toContain('^');
  });

  it('independent duplicate keys before it are all still reported', () => {
    const r = parseYaml('d.yaml', 'a: 1\na: 2\nb: 1\nb: 2\nc: "open\n');
    expect(r.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['syntax/duplicate-key', 2], ['syntax/duplicate-key', 4], ['syntax/yaml', 6]]);
  });

  it('a single error has no cascade hint', () => {
    const r = parseYaml('s.yaml', 'a: "open\n');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.hint).toBeUndefined();
  });
});
