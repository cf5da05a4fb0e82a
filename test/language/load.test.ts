import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../src/index.js';
import { readFileSync } from 'node:fs';

const H = 'schema: elig/criteria@1\nid: t\nversion: 1.0.0\n';

function diags(text: string) {
  return loadCriteria('c.yaml', text).diagnostics.map((d) => ({ code: d.code, line: d.location?.line, column: d.location?.column, message: d.message, hint: d.hint }));
}

describe('loadCriteria: diagnostics with file:line:col', () => {
  it.each([
    {
      name: 'unknown key in a criterion',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { fact: age, min: 5 a }\n    textt: y\n`,
      code: 'criteria/unknown-key', line: 8, column: 5,
    },
    {
      name: 'unknown key inside a rule, with a suggestion',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { measurement: egfr, minn: 30 }\n`,
      code: 'criteria/unknown-key', line: 7, column: 32,
    },
    {
      name: 'wrong type',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { all: 5 }\n`,
      code: 'criteria/invalid-type', line: 7, column: 18,
    },
    {
      name: 'unknown operator',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule:\n      mesurement: egfr\n`,
      code: 'criteria/unknown-operator', line: 8, column: 7,
    },
    {
      name: 'two operators in one rule',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { fact: age, finding: x }\n`,
      code: 'criteria/ambiguous-operator', line: 7, column: 11,
    },
    {
      name: 'duplicate criterion id',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { fact: age, min: 5 a }\n  - id: a\n    text: y\n    rule: { fact: age, min: 5 a }\n`,
      code: 'criteria/duplicate-id', line: 8, column: 9,
    },
    {
      name: 'duplicate YAML key',
      text: `${H}inclusion:\n  - id: a\n    id: b\n    text: x\n    rule: { fact: age, min: 5 a }\n`,
      code: 'syntax/duplicate-key', line: 6, column: 5,
    },
    {
      name: 'unknown schema version',
      text: 'schema: elig/criteria@9\nid: t\nversion: 1.0.0\ninclusion: []\n',
      code: 'criteria/unknown-schema', line: 1, column: 9,
    },
    {
      name: 'missing schema',
      text: 'id: t\nversion: 1.0.0\n',
      code: 'criteria/unknown-schema', line: 1, column: 1,
    },
    {
      name: 'YAML syntax error',
      text: `${H}inclusion:\n  - id: a\n    text: "unclosed\n`,
      code: 'syntax/yaml', line: 7, column: undefined,
    },
    {
      name: 'unreadable threshold',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { measurement: egfr, min: lots }\n`,
      code: 'criteria/invalid-threshold', line: 7, column: 37,
    },
    {
      name: 'incompatible unit',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { measurement: egfr, min: 30 kg }\n`,
      code: 'criteria/incompatible-unit', line: 7, column: 37,
    },
    {
      name: 'unknown measurement code',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { measurement: egrf, min: 30 }\n`,
      code: 'criteria/unknown-code', line: 7, column: 26,
    },
    {
      name: 'unknown drug',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { medication: unobtainium }\n`,
      code: 'criteria/unknown-code', line: 7, column: 25,
    },
    {
      name: 'reference to an undefined definition',
      text: `${H}definitions:\n  adult: { fact: age, min: 18 a }\ninclusion:\n  - id: a\n    text: x\n    rule: { ref: adlt }\n`,
      code: 'criteria/unknown-ref', line: 9, column: 18,
    },
    {
      name: 'definitions in a cycle',
      text: `${H}definitions:\n  a: { ref: b }\n  b: { ref: a }\ninclusion:\n  - id: x\n    text: x\n    rule: { ref: a }\n`,
      code: 'criteria/ref-cycle', line: 5, column: 3,
    },
    {
      name: 'bad duration',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { medication: hydroxychloroquine, for: 3 fortnights }\n`,
      code: 'criteria/invalid-duration', line: 7, column: 50,
    },
    {
      name: 'ULN multiple outside a measurement',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { fact: age, min: 3 x ULN }\n`,
      code: 'criteria/invalid-threshold', line: 7, column: 29,
    },
    {
      name: 'atLeast larger than its list',
      text: `${H}inclusion:\n  - id: a\n    text: x\n    rule: { atLeast: 3, of: [ { fact: age, min: 5 a } ] }\n`,
      code: 'criteria/invalid-value', line: 7, column: 22,
    },
    {
      name: 'missing required key',
      text: `${H}inclusion:\n  - id: a\n    rule: { fact: age, min: 5 a }\n`,
      code: 'criteria/missing-key', line: 5, column: 5,
    },
  ])('$name → $code at $line:$column', ({ text, code, line, column }) => {
    const ds = diags(text);
    const hit = ds.find((d) => d.code === code);
    expect(hit, JSON.stringify(ds)).toBeDefined();
    expect(hit!.line).toBe(line);
    if (column !== undefined) expect(hit!.column).toBe(column);
  });

  it('suggests the nearest operator and key', () => {
    const op = diags(`${H}inclusion:\n  - id: a\n    text: x\n    rule: { mesurement: egfr }\n`)[0]!;
    expect(op.hint).toContain('"measurement"');
    const key = diags(`${H}inclusion:\n  - id: a\n    text: x\n    rule: { measurement: egfr, minn: 30 }\n`)[0]!;
    expect(key.hint).toContain('"min"');
  });

  it('reports every problem, not only the first', () => {
    const ds = diags(`${H}inclusion:\n  - id: a\n    text: x\n    rule: { mesurement: egfr }\n  - id: b\n    text: y\n    rule: { fact: age, mni: 5 }\n`);
    expect(ds.map((d) => d.code).sort()).toEqual(['criteria/unknown-key', 'criteria/unknown-operator']);
  });

  it('gives a code frame pointing at the column', () => {
    const r = loadCriteria('c.yaml', `${H}inclusion:\n  - id: a\n    text: x\n    rule: { mesurement: egfr }\n`);
    expect(r.diagnostics[0]!.frame).toMatch(/> 7 \|     rule: \{ mesurement: egfr \}\n\s+\| {13}\^{10}\n/);
  });

  it('refuses too many YAML aliases (billion laughs)', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const ds = diags(lines.join('\n'));
    expect(ds[0]?.code).toBe('syntax/alias-limit');
  });

  it('loads the bundled trial cleanly and stamps its sha256', () => {
    const text = readFileSync(new URL('../../criteria/nct06691152.yaml', import.meta.url), 'utf8');
    const r = loadCriteria('criteria/nct06691152.yaml', text);
    expect(r.diagnostics).toEqual([]);
    expect(r.criteria!.doc.version).toBe('1.2.0');
    expect(r.criteria!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.criteria!.doc.inclusion.map((c) => c.id)).toEqual([
      'age', 'sle-classification', 'refractory-disease', 'sledai-2k', 'cardiac-function', 'renal-function',
      'liver-function', 'pulmonary-function', 'leukapheresis', 'pregnancy-contraception', 'informed-consent',
    ]);
    expect(r.criteria!.doc.exclusion.map((c) => c.id)).toEqual([
      'prior-car-t', 'cns-lupus', 'active-infection', 'major-heart-disease', 'other-steroid-dependent-disease',
      'transplant-or-gvhd', 'viral-infection', 'live-vaccine', 'pregnancy-or-breastfeeding', 'malignancy', 'recent-trial',
    ]);
  });

  it('keeps the previous version, v1.0.0, loadable under criteria/nct06691152/1.0.0.yaml', () => {
    const text = readFileSync(new URL('../../criteria/nct06691152/1.0.0.yaml', import.meta.url), 'utf8');
    const r = loadCriteria('criteria/nct06691152/1.0.0.yaml', text);
    expect(r.diagnostics).toEqual([]);
    expect(r.criteria!.doc.version).toBe('1.0.0');
    expect(r.criteria!.doc.exclusion).toEqual([]);
  });
});
