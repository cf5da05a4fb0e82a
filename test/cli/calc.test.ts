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
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/elig calc egfr: /);
  });
});
