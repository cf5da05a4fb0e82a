/** Structural rules: a pure core, one registry line per item with its own test, version in step. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../src/engine/operators/index.js';
import { REPORTERS } from '../src/reporters/index.js';
import { VERSION } from '../src/version.js';

const ROOT = new URL('..', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  const core = files(join(ROOT, 'src')).filter((f) => !relative(ROOT, f).startsWith('src/cli/'));

  it.each(core.map((f) => [relative(ROOT, f), f]))('%s is pure: no fs, process, console, clock or eval', (_rel, f) => {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(text).not.toMatch(/from ['"](node:)?(fs|fs\/promises|child_process|readline|net|http)['"]/);
    expect(text).not.toMatch(/\bprocess\.(env|argv|exit|stdout|stderr|stdin|cwd)/);
    expect(text).not.toMatch(/\bconsole\./);
    expect(text).not.toMatch(/Date\.now\(|new Date\(\)/);
    expect(text).not.toMatch(/\beval\(|new Function\(/);
  });

  it('the CLI imports the core only through src/index.ts (calculators and reason text excepted for calc)', () => {
    const cli = files(join(ROOT, 'src/cli'));
    for (const f of cli) {
      const text = readFileSync(f, 'utf8');
      const imports = [...text.matchAll(/from '(\.\.\/[^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) {
        expect(['../index.js', '../model.js', '../version.js', '../calculators/cli-input.js', '../calculators/index.js', '../calculators/types.js', '../engine/reasons.js', '../dates.js', '../language/yaml-source.js', '../visible.js'], `${relative(ROOT, f)} imports ${i}`).toContain(i);
      }
    }
  });

  it('every operator has its own source file and test file', () => {
    const names = new Set(Object.keys(OPERATORS).map((k) => (['all', 'any', 'not', 'atLeast', 'ref'].includes(k) ? 'logic' : k)));
    for (const n of names) {
      expect(statSync(join(ROOT, `src/engine/operators/${n}.ts`)).isFile()).toBe(true);
      expect(statSync(join(ROOT, `test/engine/operators/${n}.test.ts`)).isFile()).toBe(true);
    }
  });

  it('every reporter has a golden file', () => {
    const golden = readdirSync(join(ROOT, 'test/reporters/__golden__'));
    for (const r of Object.keys(REPORTERS)) expect(golden.some((g) => g.startsWith(`${r}.`))).toBe(true);
  });

  it('the version in src/version.ts matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
