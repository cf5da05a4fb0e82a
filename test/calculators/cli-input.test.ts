import { describe, expect, it } from 'vitest';
import { buildCalcInput, parseKeyValues } from '../../src/calculators/cli-input.js';
import { getCalculator } from '../../src/calculators/index.js';

/** Build and run, as `elig calc` does. */
function run(name: string, raw: unknown, asOf?: string) {
  const built = buildCalcInput(name, raw, asOf);
  if ('errors' in built) throw new Error(built.errors.join('; '));
  return getCalculator(name)!.compute(built.input as never);
}

const errorsOf = (name: string, raw: unknown, asOf?: string): string[] => {
  const built = buildCalcInput(name, raw, asOf);
  return 'errors' in built ? built.errors : [];
};

describe('parseKeyValues', () => {
  it.each([
    [['age=60', 'sex=male', 'creatinine=1.4 mg/dL'], { age: 60, sex: 'male', creatinine: '1.4 mg/dL' }],
    [['descriptors=arthritis,rash, low_complement'], { descriptors: ['arthritis', 'rash', 'low_complement'] }],
    [['items=fever', 'items=anti_dsdna'], { items: ['fever', 'anti_dsdna'] }],
    [['ana=1:40,1:160'], { ana: ['1:40', '1:160'] }],
    [['excluded='], { excluded: [] }],
    [['dosesPerDay=0.5', 'drug=Medrol'], { dosesPerDay: 0.5, drug: 'Medrol' }],
    [['birthDate=2008-05-01'], { birthDate: '2008-05-01' }],
    [['x=a=b'], { x: 'a=b' }],
  ])('%j', (args, expected) => {
    expect(parseKeyValues(args)).toEqual(expected);
  });

  it('collects malformed and repeated arguments for buildCalcInput to report', () => {
    const kv = parseKeyValues(['age=60', 'age=61', 'creatinine']);
    expect(kv['_invalid']).toEqual(['age is given twice', "unexpected argument 'creatinine' (expected key=value)"]);
    expect(errorsOf('egfr', kv)).toEqual(['age is given twice', "unexpected argument 'creatinine' (expected key=value)"]);
  });
});

describe('buildCalcInput → calculator', () => {
  it.each([
    ['egfr', { age: 60, sex: 'male', creatinine: '1.4 mg/dL' }, undefined, 57.54],
    ['egfr', { age: 10, height: '90 cm', creatinine: { value: 123.76, unit: 'µmol/L' } }, undefined, 26.55],
    ['egfr', { birthDate: '2008-11-26', sex: 'female', height: '160 cm', creatinine: '0.9 mg/dL' }, '2026-11-25', 73.42],
    ['egfr', { birthDate: '2008-11-25', sex: 'female', height: '160 cm', creatinine: '0.9 mg/dL' }, '2026-11-25', 95.03],
    ['egfr', { age: '216 mo', sex: 'F', creatinine: '0.9 mg/dL' }, undefined, 95.03],
    ['prednisone-equivalent', { drug: 'Medrol', dose: '40 mg', dosesPerDay: 1, weight: '50 kg' }, undefined, 1],
    ['prednisone-equivalent', { drug: 'prednisone', dose: '100 mg', dosesPerDay: 'q48h', weight: '50 kg' }, undefined, 1],
    ['prednisone-equivalent', { drug: 'betamethasone', dose: '0.6 mg', dosesPerDay: 1, weight: '5 kg', equivalence: { betamethasone: 0.6 } }, undefined, 1],
    ['sledai-2k', { descriptors: ['arthritis', 'rash', 'rash', 'low_complement'] }, undefined, 8],
    ['sledai-2k', { descriptors: 'arthritis,rash' }, undefined, 6],
    ['sledai-2k', { descriptors: [] }, undefined, 0],
    ['eular-acr-2019', { ana: '1:160', items: ['renal_biopsy_class_iii_or_iv_lupus_nephritis'] }, undefined, 10],
    ['eular-acr-2019', { ana: '1:160', items: ['fever', 'joint_involvement'], excluded: ['fever'] }, undefined, 6],
    ['uln-ratio', { value: '126 U/L', uln: '0.70 µkat/L' }, undefined, 3],
    ['uln-ratio', { value: '34.2 umol/L', uln: '1.0 mg/dL', analyte: 'bilirubin' }, undefined, 2],
    ['uln-ratio', { value: '34.2 umol/L', uln: '1.0 mg/dL', molarMass: 584.66 }, undefined, 2],
    ['age', { birthDate: '2021-11-25' }, '2026-11-25', 5],
    ['age', { birthDate: '2021-11-26', asOf: '2026-11-25' }, undefined, 4],
  ])('%s %j', (name, raw, asOf, expected) => {
    const r = run(name, raw, asOf);
    expect(r.missing).toEqual([]);
    expect(r.value).toBeCloseTo(expected, 2);
  });

  it('works from key=value arguments end to end', () => {
    const r = run('egfr', parseKeyValues(['age=60', 'sex=male', 'creatinine=1.4mg/dL']));
    expect(r.value).toBeCloseTo(57.54, 2);
    const s = run('sledai-2k', parseKeyValues(['descriptors=seizure,fever']));
    expect(s.value).toBe(9);
    const e = run('eular-acr-2019', parseKeyValues(['ana=1:40,1:160', 'items=joint_involvement,anti_dsdna']));
    expect(e.details['classified']).toBe(true);
    const p = run('prednisone-equivalent', parseKeyValues(['drug=methylprednisolone', 'dose=20 mg', 'dosesPerDay=bid', 'weight=50kg']));
    expect(p.value).toBe(1);
  });

  it('eular-acr-2019 and sledai-2k from the CLI are complete (unlisted = absent)', () => {
    const built = buildCalcInput('sledai-2k', { descriptors: ['rash'] });
    expect(built).toEqual({ input: { present: [{ value: 'rash', source: 'input:descriptors' }], complete: true } });
    expect(run('eular-acr-2019', { ana: '1:160', items: ['fever'] }).details['classified']).toBe(false);
  });

  it('leaves absent inputs to the calculator (reported as missing)', () => {
    const r = run('egfr', { age: 10, creatinine: '1.4 mg/dL' });
    expect(r.missing.map((m) => m.name)).toEqual(['height']);
  });

  it.each([
    ['nope', {}, undefined, /unknown calculator 'nope'/],
    ['egfr', 'age=5', undefined, /must be an object/],
    ['egfr', { age: 60, sex: 'male', creatinin: '1.4 mg/dL' }, undefined, /unknown field 'creatinin'/],
    ['egfr', { age: 60, creatinine: 1.4 }, undefined, /creatinine: 1.4 needs a unit/],
    ['egfr', { age: 60, creatinine: '<0.5 mg/dL' }, undefined, /is not a quantity/],
    ['egfr', { age: 60, sex: 'x', creatinine: '1 mg/dL' }, undefined, /sex: "x" is not female or male/],
    ['egfr', { age: 60, birthDate: '1966-01-01', creatinine: '1 mg/dL' }, '2026-11-25', /not both/],
    ['egfr', { birthDate: '1966-01-01', creatinine: '1 mg/dL' }, undefined, /needs a reference date/],
    ['egfr', { birthDate: '2008', creatinine: '1 mg/dL' }, '2026-06-01', /partial.*give age instead/],
    ['egfr', { age: '60 kg', creatinine: '1 mg/dL' }, undefined, /age: .*incompatible/],
    ['egfr', { birthDate: '1966-01-01', asOf: '2026-01-01', creatinine: '1 mg/dL' }, '2026-11-25', /asOf is given twice/],
    ['prednisone-equivalent', { drug: 'prednisone', dose: '10 mg', dosesPerDay: 'prn', weight: '50 kg' }, undefined, /dosesPerDay/],
    ['prednisone-equivalent', { drug: 'prednisone', dose: '10 mg', dosesPerDay: 1, weight: '50 kg', equivalence: { x: 'a' } }, undefined, /equivalence/],
    ['prednisone-equivalent', { drug: 5, dose: '10 mg', dosesPerDay: 1, weight: '50 kg' }, undefined, /drug: 5 is not text/],
    ['sledai-2k', { descriptors: [1, 2] }, undefined, /expected a list of ids/],
    ['uln-ratio', { value: '1 mg/dL', uln: '20 umol/L', analyte: 'unobtainium' }, undefined, /not a known measurement/],
    ['uln-ratio', { value: '1 mg/dL', uln: '20 umol/L', analyte: 'bilirubin', molarMass: 584.66 }, undefined, /not both/],
    ['uln-ratio', { value: '1 mg/dL', uln: '20 umol/L', molarMass: -1 }, undefined, /molarMass/],
    ['age', { birthDate: '2020-01-01' }, undefined, /reference date/],
  ])('%s %j → error', (name, raw, asOf, message) => {
    const errors = errorsOf(name, raw, asOf);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });
});
