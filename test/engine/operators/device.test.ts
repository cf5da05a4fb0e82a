/** device: a device used or implanted (as of 2026-11-25): rules at their boundaries, located load errors. */
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../src/index.js';
import { check, compile, oneRule, statusOf } from '../../helpers.js';
import { ANCHORS } from './anchor-fixture.js';

const loadErrors = (rule: string) => loadCriteria('x.yaml', `schema: elig/criteria@1\nid: t\nversion: 1.0.0\ninclusion:\n  - id: c\n    text: t\n    rule: ${rule}\n`).diagnostics;

describe('device', () => {
  it.each([
    // [rule, devices, status]
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin pump', start: '2026-08-25' }], 'pass'], // exactly 3 months
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin pump', start: '2026-08-26' }], 'fail'], // a day short
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'pump', name: 'x', model: 'MiniMed 670G', start: '2025-01-01' }], 'pass'], // a model is a member of its type
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', end: '2026-10-01' }], 'fail'], // no longer in use
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', status: 'completed' }], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', end: '2026-11-25' }], 'pass'], // ends on the as-of date: still in use that day
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump' }], 'unknown'], // no start date
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin-pump', start: '2025-01-01', status: 'intended' }], 'fail'], // intended is not use
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'continuous-glucose-monitor', start: '2025-01-01' }], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', [], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', undefined, 'unknown'],
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', model: 'Medtronic MiniMed 670G', start: '2024-01-01' }], 'pass'],
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', model: 't:slim X2', start: '2024-01-01' }], 'fail'], // another model
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', start: '2024-01-01' }], 'unknown'], // a pump without its model
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', start: '2024-01-01', end: '2025-01-01' }], 'fail'], // a pump no longer used
    ['{ device: minimed-670g, current: true }', [{ code: 'minimed 670g', start: '2021-01-01', end: '2023-12-31' }, { code: 'insulin-pump', start: '2024-01-01' }], 'unknown'], // the 670G ended, a pump of unknown model since
    ['{ device: minimed-670g, current: true }', [{ code: 'minimed 670g', start: '2024-01-01', status: 'stopped' }], 'fail'],
    ['{ device: minimed-670g, current: true }', [{ code: 'minimed 670g', start: '2026-12-01' }], 'fail'], // starts after the as-of date
    ['{ device: crt-device, within: 2 mo }', [{ code: 'CRT-D', start: '2026-09-25' }], 'pass'], // first day of the window
    ['{ device: crt-device, within: 2 mo }', [{ code: 'CRT-D', start: '2026-09-24' }], 'fail'],
    ['{ device: crt-device, within: 2 mo }', [{ code: 'biventricular pacemaker', start: '2026-11-01' }], 'pass'], // CRT-P is a CRT device
    ['{ device: crt-device, within: 2 mo }', [{ code: 'implantable cardioverter defibrillator', start: '2026-11-01' }], 'fail'], // an ICD is not CRT
    ['{ device: crt-device, within: 2 mo }', [{ code: 'crt-d' }], 'unknown'], // implanted when?
    ['{ device: crt-device, noDevices: fail }', undefined, 'fail'],
    // present: false records that device's absence (and its models'), not the device list
    ['{ device: insulin-pump }', [{ code: 'insulin-pump', present: false }], 'fail'],
    ['{ device: insulin-pump, for: 3 mo }', [{ code: 'insulin pump', present: false }], 'fail'],
    ['{ device: minimed-670g, current: true }', [{ code: 'insulin-pump', present: false }], 'fail'], // a model of an absent type
    ['{ device: [minimed-670g, cardiac-pacemaker] }', [{ code: 'insulin-pump', present: false }], 'unknown'], // pacemakers: not said
    ['{ device: insulin-pump }', [{ code: 'minimed-670g', present: false }], 'unknown'], // another pump may be in use
    ['{ device: crt-device }', [{ code: 'crt-d', present: false }, { code: 'crt-p', present: false }], 'unknown'], // a CRT device of no stated kind
    ['{ device: cardiac-pacemaker }', [{ code: 'insulin-pump', present: false }], 'unknown'],
    ['{ device: cardiac-pacemaker, noDevices: fail }', [{ code: 'insulin-pump', present: false }], 'fail'],
    ['{ device: cardiac-pacemaker }', [{ code: 'insulin-pump' }, { code: 'crt-d', present: false }], 'fail'], // a device in use: the list is declared
    ['{ device: "snomed:360066001" }', [{ code: 'http://snomed.info/sct|360066001', present: false }], 'fail'], // a coded form: the same code
    ['{ device: "snomed:360066001" }', [{ code: 'snomed:706172005', present: false }], 'unknown'],
  ])('%s with %j → %s', (rule, devices, want) => {
    expect(statusOf(oneRule(rule), devices === undefined ? {} : { devices })).toBe(want);
  });
  it('the reason names the device, its dates and source; missing names the list or the date', () => {
    const r = check(oneRule('{ device: insulin-pump, for: 3 mo }'), { devices: [{ code: 'insulin-pump', start: '2025-01-01', source: 'DeviceUseStatement/d1' }] });
    expect(r.criteria[0]!.reasons[0]).toMatchObject({ code: 'device', observed: { source: 'DeviceUseStatement/d1', date: '2025-01-01' } });
    expect(check(oneRule('{ device: insulin-pump }'), {}).criteria[0]!.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
    expect(check(oneRule('{ device: insulin-pump, for: 3 mo }'), { devices: [{ code: 'insulin-pump' }] }).criteria[0]!.missing?.[0]?.item).toBe('device:insulin-pump');
  });
  it('an absence: the reason names the entry, an unknown names the list', () => {
    const r = check(oneRule('{ device: minimed-670g }'), { devices: [{ code: 'insulin-pump', present: false, source: 'sheet.csv:2' }] });
    expect(r.criteria[0]!.reasons[0]).toMatchObject({ code: 'device', status: 'fail', observed: { item: 'device', value: 'insulin-pump: not used', source: 'sheet.csv:2' } });
    expect(check(oneRule('{ device: cardiac-pacemaker }'), { devices: [{ code: 'insulin-pump', present: false }] }).criteria[0]!.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
  });
  it('anchored: in use at the anchor', () => {
    const c = compile(`${ANCHORS}inclusion:\n  - id: c\n    text: t\n    rule: { device: insulin-pump, current: true, anchor: consent }\n`);
    const rec = (end: string) => ({ attestations: [{ code: 'informed-consent', date: '2026-10-01' }], devices: [{ code: 'insulin-pump', start: '2025-01-01', end }] });
    expect(statusOf(c, rec('2026-10-15'))).toBe('pass'); // removed after consent
    expect(statusOf(c, rec('2026-09-15'))).toBe('fail');
  });
  it.each([
    ['{ device: insulin-pmp }', 'criteria/unknown-code', 'did you mean "insulin-pump"?'],
    ['{ device: insulin-pump, for: 3 mo, within: 1 a }', 'criteria/conflicting-keys', undefined],
    ['{ device: insulin-pump, for: 3 fortnights }', 'criteria/invalid-duration', undefined],
  ])('%s is a located load error (%s)', (rule, code, hint) => {
    const d = loadErrors(rule);
    expect(d[0]).toMatchObject({ code, location: { line: 7 }, ...(hint ? { hint } : {}) });
  });
});

