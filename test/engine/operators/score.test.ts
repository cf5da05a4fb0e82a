import { describe, expect, it } from 'vitest';
import { check, oneRule, statusOf } from '../../helpers.js';

const f = (code: string, date = '2026-11-20', extra: object = {}) => ({ code, date, ...extra });

describe('score: SLEDAI-2K ≥ 8 within 10 days', () => {
  const c = oneRule('{ score: sledai-2k, min: 8, within: 10 d }');
  it.each([
    ['recorded total 10', { measurements: [{ code: 'sledai-2k', value: 10, date: '2026-11-20' }] }, 'pass'],
    ['recorded total 6', { measurements: [{ code: 'sledai-2k', value: 6, date: '2026-11-20' }] }, 'fail'],
    ['recorded total too old', { measurements: [{ code: 'sledai-2k', value: 12, date: '2026-11-01' }] }, 'unknown'],
    ['arthritis + proteinuria = 8 (lower bound meets)', { findings: [f('sledai-2k/arthritis'), f('sledai-2k/proteinuria')] }, 'pass'],
    ['rash + alopecia = 4, rest unrecorded', { findings: [f('sledai-2k/rash'), f('sledai-2k/alopecia')] }, 'unknown'],
    ['complete assessment: rash + alopecia = 4', { findings: [f('sledai-2k'), f('sledai-2k/rash'), f('sledai-2k/alopecia')] }, 'fail'],
    ['descriptor listed twice counts once (4 + complete)', { findings: [f('sledai-2k'), f('sledai-2k/arthritis'), f('sledai-2k/arthritis', '2026-11-19')] }, 'fail'],
    ['descriptors outside the window do not count', { findings: [f('sledai-2k/arthritis', '2026-10-01'), f('sledai-2k/proteinuria', '2026-10-01')] }, 'unknown'],
    ['nothing recorded', {}, 'unknown'],
  ])('%s → %s', (_n, record, want) => {
    expect(statusOf(c, record)).toBe(want);
  });
  it('bounds are reported; many unrecorded descriptors are one work item naming them', () => {
    const r = check(c, { findings: [f('sledai-2k/rash'), f('sledai-2k/alopecia')] }).criteria[0]!;
    expect(r.reasons[0]!.bounds).toEqual({ lower: 4, upper: 105 });
    expect(r.missing!.map((x) => x.item)).toEqual(['score:sledai-2k']);
    expect(r.missing![0]!.description).toContain('seizure');
  });
  it('a few unrecorded descriptors are listed one by one', () => {
    // complete except three: recorded absent for all but seizure, psychosis, fever
    const absent = ['organic_brain_syndrome', 'visual_disturbance', 'cranial_nerve_disorder', 'lupus_headache', 'cva', 'vasculitis', 'myositis', 'urinary_casts', 'hematuria', 'pyuria', 'rash', 'alopecia', 'mucosal_ulcers', 'pleurisy', 'pericarditis', 'low_complement', 'increased_dna_binding', 'thrombocytopenia', 'leukopenia'];
    const r = check(c, { findings: [f('sledai-2k/arthritis'), f('sledai-2k/proteinuria', '2026-11-20', { present: false }), ...absent.map((a) => f(`sledai-2k/${a}`, '2026-11-20', { present: false }))] }).criteria[0]!;
    expect(r.status).toBe('unknown');
    expect(r.missing!.map((x) => x.item).sort()).toEqual(['finding:sledai-2k/fever', 'finding:sledai-2k/psychosis', 'finding:sledai-2k/seizure']);
  });
});

describe('score: 2019 EULAR/ACR classification', () => {
  const c = oneRule('{ score: eular-acr-2019, classified: true }');
  const ana = (v: string, date = '2024-01-01') => ({ code: 'ana', value: v, date });
  it.each([
    ['class III/IV nephritis + ANA 1:160 classifies alone', { measurements: [ana('1:160')], findings: [f('eular-acr-2019/renal_biopsy_class_iii_or_iv_lupus_nephritis', '2024-02-01')] }, 'pass'],
    ['ANA 1:40 only: entry criterion not met', { measurements: [ana('1:40')], findings: [f('eular-acr-2019/renal_biopsy_class_iii_or_iv_lupus_nephritis', '2024-02-01')] }, 'fail'],
    ['an earlier ANA ≥ 1:80 counts (ever)', { measurements: [ana('1:320', '2020-01-01'), ana('negative', '2026-01-01')], findings: [f('eular-acr-2019/renal_biopsy_class_iii_or_iv_lupus_nephritis', '2024-02-01')] }, 'pass'],
    ['immunologic items only cannot classify (complete)', { measurements: [ana('1:640')], findings: [f('eular-acr-2019'), f('eular-acr-2019/anti_dsdna'), f('eular-acr-2019/low_c3'), f('eular-acr-2019/low_c4')] }, 'fail'],
    ['joint involvement 6 + anti-dsDNA 6, ANA positive (solid phase)', { measurements: [ana('positive')], findings: [f('eular-acr-2019/joint_involvement'), f('eular-acr-2019/anti_dsdna')] }, 'pass'],
    ['item attributed to another cause is not counted', { measurements: [ana('1:160')], findings: [f('eular-acr-2019'), f('eular-acr-2019/renal_biopsy_class_iii_or_iv_lupus_nephritis', '2024-02-01', { attributedTo: 'IgA nephropathy' }), f('eular-acr-2019/fever')] }, 'fail'],
    ['no ANA on record: undetermined', { findings: [f('eular-acr-2019/joint_involvement'), f('eular-acr-2019/anti_dsdna')] }, 'unknown'],
    ['recorded total 14', { measurements: [{ code: 'eular-acr-2019', value: 14, date: '2024-01-01' }] }, 'pass'],
  ])('%s → %s', (_n, record, want) => {
    expect(statusOf(c, record)).toBe(want);
  });
});
