import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CALCULATOR_NAMES, CALCULATORS, getCalculator } from '../../src/calculators/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, '../../src/calculators');

describe('calculator registry', () => {
  it.each(Object.keys(CALCULATORS))('%s is registered under its own name and has a test file', (name) => {
    const c = CALCULATORS[name];
    expect(c?.name).toBe(name);
    expect(existsSync(join(here, `${name}.test.ts`))).toBe(true);
    expect(existsSync(join(srcDir, `${name}.ts`))).toBe(true);
  });

  it('every calculator declares its source, unit and inputs', () => {
    for (const c of Object.values(CALCULATORS)) {
      expect(c.source.length).toBeGreaterThan(10);
      expect(c.unit.length).toBeGreaterThan(0);
      expect(c.inputs.length).toBeGreaterThan(0);
    }
  });

  it('every calculator module in src/calculators is registered', () => {
    const helpers = new Set(['index', 'types', 'units', 'common', 'cli-input', 'formula', 'qtc-common']);
    const modules = readdirSync(srcDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).filter((m) => !helpers.has(m));
    expect(modules.sort()).toEqual([...CALCULATOR_NAMES].sort());
  });

  it('getCalculator', () => {
    expect(getCalculator('egfr')?.name).toBe('egfr');
    expect(getCalculator('nope')).toBeUndefined();
    expect(getCalculator('toString')).toBeUndefined();
  });

  it.each(Object.keys(CALCULATORS))('%s never throws on empty or garbage input', (name) => {
    const c = CALCULATORS[name];
    for (const input of [{}, null, undefined, 42, 'x', [], { value: null }]) {
      expect(() => c?.compute(input as never)).not.toThrow();
    }
    const r = c?.compute({});
    expect(r?.calculator).toBe(name);
    expect(r?.value).toBeUndefined();
    expect(r?.missing.length).toBeGreaterThan(0);
  });
});
