import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

async function run(args: string[], opts: Parameters<typeof memIo>[0] = {}) {
  const io = memIo(opts);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('elig calc', () => {
  it('egfr with key=value arguments, JSON output fields exactly as documented', async () => {
    const { code, out } = await run(['calc', 'egfr', 'age=60', 'sex=male', 'creatinine=1.4 mg/dL', '--format', 'json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(Object.keys(r).sort()).toEqual(['calculator', 'details', 'inputs', 'method', 'missing', 'unit', 'value']);
    expect(r.calculator).toBe('egfr');
    expect(r.value).toBeCloseTo(57.54, 1);
    expect(r.unit).toBe('mL/min/{1.73_m2}');
    expect(r.method).toMatch(/CKD-EPI 2021/);
  });

  it('egfr for a child from an input file (bedside Schwartz, 1.4 mg/dL, 90 cm → 26.55)', async () => {
    const { code, out } = await run(['calc', 'egfr', '--input', 'in.yaml', '-f', 'json'], { files: { 'in.yaml': 'age: 6\nsex: female\nheight: 90 cm\ncreatinine: { value: 1.4, unit: mg/dL }\n' } });
    expect(code).toBe(0);
    expect(JSON.parse(out).value).toBeCloseTo(26.55, 2);
  });

  it('prednisone-equivalent (methylprednisolone 40 mg/d in 50 kg → 1 mg/kg/d)', async () => {
    const { out } = await run(['calc', 'prednisone-equivalent', 'drug=methylprednisolone', 'dose=40 mg', 'dosesPerDay=1', 'weight=50 kg', '-f', 'json']);
    const r = JSON.parse(out);
    expect(r.value).toBe(1);
    expect(r.unit).toBe('mg/kg/d');
    expect(r.details.mgPerDay).toBe(40);
  });

  it('sledai-2k and eular-acr-2019 from stdin JSON', async () => {
    const s = await run(['calc', 'sledai-2k', '-i', '-', '-f', 'json'], { stdin: '{"descriptors":["arthritis","proteinuria","low_complement","arthritis"]}' });
    expect(JSON.parse(s.out).value).toBe(10);
    const e = await run(['calc', 'eular-acr-2019', '-i', '-', '-f', 'json'], { stdin: '{"ana":"1:160","items":["joint_involvement","anti_dsdna"]}' });
    const r = JSON.parse(e.out);
    expect(r.value).toBe(12);
    expect(r.details.classified).toBe(true);
    expect(r.details.entryCriterionMet).toBe(true);
  });

  it('uln-ratio across units (126 U/L over 0.70 µkat/L is exactly 3)', async () => {
    const { out } = await run(['calc', 'uln-ratio', 'value=126 U/L', 'uln=0.70 ukat/L', '-f', 'json']);
    expect(JSON.parse(out).value).toBe(3);
  });

  it('human output names the method and inputs', async () => {
    const { code, out } = await run(['calc', 'egfr', 'age=6', 'sex=female', 'height=90 cm', 'creatinine=1.4 mg/dL']);
    expect(code).toBe(0);
    expect(out).toMatch(/26\.55/);
    expect(out).toMatch(/Schwartz/);
  });

  it('--list lists every calculator with its inputs', async () => {
    const { code, out } = await run(['calc', '--list']);
    expect(code).toBe(0);
    for (const n of ['age', 'egfr', 'prednisone-equivalent', 'sledai-2k', 'eular-acr-2019', 'uln-ratio']) expect(out).toContain(n);
  });

  it('missing inputs → exit 1 with the missing list; unknown calculator or bad file → exit 2', async () => {
    const m = await run(['calc', 'egfr', 'age=10', 'sex=male', 'creatinine=0.5 mg/dL', '-f', 'json']);
    expect(m.code).toBe(1);
    expect(JSON.parse(m.out).missing.map((x: { name: string }) => x.name)).toContain('height');
    expect((await run(['calc', 'egrf', 'age=1'])).code).toBe(2);
    expect((await run(['calc', 'egfr', '-i', 'nope.yaml'])).code).toBe(2);
    const bad = await run(['calc', 'egfr', 'age=abc', 'sex=male', 'creatinine=1 mg/dL']);
    expect(bad.code).toBe(2); // a value that cannot be read is a usage error (issue 11 item 12; was 1)
    expect(bad.err).toMatch(/elig calc egfr: /);
  });

  it.each([
    [['calc', 'egfr', 'agee=10', 'creatinine=1 mg/dL'], /unknown field 'agee'/],
    [['calc', 'sledai-2k', 'complete=true'], /unknown field 'complete'/],
    [['calc', 'egfr', 'not-a-pair'], /unexpected argument 'not-a-pair'/],
    [['calc', 'uln-ratio', 'value=1 U/L', 'uln=2 U/L', 'value=3 U/L'], /value is given twice/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('elig calc --list offers exactly the fields each calculator accepts (issue 11 item 12)', () => {
  const SAMPLE: Record<string, string> = {
    birthDate: '2000-01-01', asOf: '2026-11-25', age: '10', sex: 'female', height: '140 cm', creatinine: '0.6 mg/dL', recorded: '90 mL/min/{1.73_m2}',
    drug: 'prednisone', dose: '50 mg', dosesPerDay: '1', weight: '50 kg', descriptors: 'arthritis', ana: '1:160', items: 'fever', excluded: 'fever',
    value: '2 mg/dL', uln: '1.2 mg/dL', molarMass: '584.66', analyte: 'bilirubin',
  };

  it('every listed field is accepted, alone, by elig calc (no unknown-field error)', async () => {
    const list = JSON.parse((await run(['calc', '--list', '-f', 'json'])).out) as { name: string; inputs: { name: string }[] }[];
    expect(list.map((c) => c.name).sort()).toEqual(['age', 'egfr', 'eular-acr-2019', 'prednisone-equivalent', 'sledai-2k', 'uln-ratio']);
    for (const c of list) {
      for (const f of c.inputs) {
        if (f.name === 'equivalence') continue; // an object: JSON input only (below)
        const r = await run(['calc', c.name, `${f.name}=${SAMPLE[f.name]}`]);
        expect(r.err, `${c.name} ${f.name}`).not.toMatch(/unknown field/);
      }
    }
    const eq = await run(['calc', 'prednisone-equivalent', '-i', 'in.json'], { files: { 'in.json': '{"equivalence": {"betamethasone": 0.6}}' } });
    expect(eq.err).not.toMatch(/unknown field/);
  });

  it('what the engine-level inputs call present/absent/complete is not offered (the command refuses it)', async () => {
    const out = (await run(['calc', '--list'])).out;
    const section = (name: string) => {
      const lines = out.slice(out.indexOf(`${name}  —`)).split('\n').slice(2);
      const end = lines.findIndex((l) => !l.startsWith('    '));
      return lines.slice(0, end).map((l) => l.trim().replace(/^\* /, '').split(/\s+/)[0]);
    };
    expect(section('sledai-2k')).toEqual(['descriptors']);
    expect(section('eular-acr-2019')).toEqual(['ana', 'items', 'excluded']);
    expect(section('uln-ratio')).toEqual(['value', 'uln', 'molarMass', 'analyte']);
    for (const name of ['sledai-2k', 'eular-acr-2019']) {
      expect((await run(['calc', name, 'complete=true'])).err).toMatch(/unknown field 'complete'/);
    }
  });

  it('docs/commands.md lists the same fields for each calculator', async () => {
    const doc = readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8');
    const list = JSON.parse((await run(['calc', '--list', '-f', 'json'])).out) as { name: string; inputs: { name: string }[] }[];
    for (const c of list) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${c.name}\` |`))!;
      expect(row, c.name).toBeDefined();
      const fields = [...row.split('|')[2]!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]);
      expect(fields.sort(), c.name).toEqual(c.inputs.map((f) => f.name).sort());
    }
  });
});
