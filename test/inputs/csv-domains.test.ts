/** CSV columns of the record domains devices, allergies, familyHistory and substance:<name>. */
import { describe, expect, it } from 'vitest';
import { planCsv } from '../../src/inputs/csv.js';
import { check, oneRule, statusOf } from '../helpers.js';

describe('CSV: devices, allergies, familyHistory, substance:', () => {
  const plan = planCsv('x.csv', ['id', 'devices', 'allergies', 'familyHistory', 'substance:tobacco', 'substance:tobacco.end', 'substance:tobacco.packYears', 'date']);
  it('lists separated by ;, relationship:condition pairs, a status with its quit date and pack-years', () => {
    const { record, problems } = plan.row(['p1', 'insulin-pump; crt-d', 'warfarin', 'mother:icd10:C73; BRO:mtc', 'former', '2026-01-10', '12', '2026-11-01']);
    expect(problems).toEqual([]);
    expect(record).toMatchObject({
      devices: [{ code: 'insulin-pump' }, { code: 'crt-d' }],
      allergies: [{ code: 'warfarin' }],
      familyHistory: [{ relationship: 'mother', code: 'icd10:C73' }, { relationship: 'BRO', code: 'mtc' }],
      substanceUse: [{ substance: 'tobacco', status: 'former', end: '2026-01-10', packYears: 12, date: '2026-11-01' }],
    });
    expect(statusOf(oneRule('{ substanceUse: tobacco, within: 3 mo }'), record)).toBe('fail'); // quit 2026-01-10, before the window
    expect(statusOf(oneRule('{ familyHistory: malignancy, relationship: first-degree-relative }'), record)).toBe('pass');
  });
  it('"none" declares an empty list; empty cells are not recorded', () => {
    const { record } = plan.row(['p1', 'none', 'none', 'none', '', '', '', '']);
    expect(record).toMatchObject({ devices: [], allergies: [], familyHistory: [] });
    expect(record.substanceUse).toBeUndefined();
    expect(statusOf(oneRule('{ allergy: warfarin }'), record)).toBe('fail');
    expect(statusOf(oneRule('{ substanceUse: tobacco }'), record)).toBe('unknown');
  });
  it.each([
    [['p1', '', '', 'mother', '', '', '', ''], 'column familyHistory: "mother" is not relationship:condition (e.g. mother:icd10:C73)'],
    [['p1', '', '', '', 'ex-smoker', '', '', ''], 'column substance:tobacco: "ex-smoker" is not current, former, never or unknown'],
  ])('%j → a row problem', (cells, problem) => {
    expect(plan.row(cells).problems).toEqual([problem]);
  });
});

describe('CSV: device:<code> columns', () => {
  const plan = planCsv('x.csv', ['id', 'device:insulin-pump', 'device:insulin-pump.model', 'device:insulin-pump.start', 'device:crt-d', 'devices']);
  it.each([
    // [cells, devices]
    [['p1', 'yes', 'MiniMed 670G', '2024-03-01', '', ''], [{ code: 'insulin-pump', status: 'active', model: 'MiniMed 670G', start: '2024-03-01' }]],
    [['p1', 'completed', '', '2020-01-01', 'yes', ''], [{ code: 'insulin-pump', status: 'completed', start: '2020-01-01' }, { code: 'crt-d', status: 'active' }]],
    [['p1', 'no', '', '', '', ''], [{ code: 'insulin-pump', present: false }]], // no pump: that device's absence, not the list
    [['p1', 'no', '', '', 'yes', ''], [{ code: 'insulin-pump', present: false }, { code: 'crt-d', status: 'active' }]],
    [['p1', 'no', '', '', '', 'crt-d'], [{ code: 'crt-d' }]], // the list column declares the list: the pump's absence is in it
    [['p1', 'no', '', '', '', 'none'], []],
    [['p1', '', 'MiniMed 670G', '', '', ''], undefined], // properties alone record nothing
    [['p1', 'yes', '', '', '', 'continuous-glucose-monitor'], [{ code: 'insulin-pump', status: 'active' }, { code: 'continuous-glucose-monitor' }]], // with the list column
    [['p1', '', '', '', '', 'none'], []],
  ])('%j → devices %j', (cells, devices) => {
    const { record, problems } = plan.row(cells);
    expect(problems).toEqual([]);
    expect(record.devices).toEqual(devices);
  });
  it('"no" beside a list that names the same device is a row problem', () => {
    expect(plan.row(['p1', 'no', '', '', '', 'insulin pump; crt-d']).problems).toEqual(['column device:insulin-pump: not used, but the devices column lists insulin pump']);
  });
  it('a value that is neither yes/no nor a status is a row problem', () => {
    expect(plan.row(['p1', 'maybe', '', '', '', '']).problems).toEqual(['column device:insulin-pump: "maybe" is not yes/no or a device status (active, completed, stopped, on-hold)']);
  });
});

/**
 * A sheet that asks about one device says nothing about the others: `device:insulin-pump = no` is the
 * absence of insulin pumps (and of their models), never the patient's whole device list, so an
 * exclusion of another device cannot pass on it (it stays unknown, the list in `missing`).
 */
describe('CSV: device:<code> = no records that device\'s absence, nothing else', () => {
  const sheet = planCsv('x.csv', ['id', 'device:insulin-pump', 'devices']);
  const recordOf = (cells: string[]) => {
    const { record, problems } = sheet.row(cells);
    expect(problems).toEqual([]);
    return record;
  };
  it.each([
    // [cells, rule, status]
    [['p1', 'no', ''], '{ not: { device: cardiac-pacemaker } }', 'unknown'], // nobody said anything about pacemakers
    [['p1', 'no', ''], '{ device: cardiac-pacemaker }', 'unknown'],
    [['p1', 'no', ''], '{ not: { device: insulin-pump } }', 'pass'], // no pump: the pump exclusion passes
    [['p1', 'no', ''], '{ device: insulin-pump, for: 3 mo }', 'fail'],
    [['p1', 'no', ''], '{ device: minimed-670g, current: true }', 'fail'], // a model of that type: absent too
    [['p1', 'no', ''], '{ device: automated-insulin-delivery-system }', 'fail'],
    [['p1', 'no', 'none'], '{ not: { device: cardiac-pacemaker } }', 'pass'], // the list column declares the list
    [['p1', 'no', 'crt-d'], '{ not: { device: cardiac-pacemaker } }', 'pass'],
    [['p1', 'no', 'pacemaker'], '{ not: { device: cardiac-pacemaker } }', 'fail'],
    [['p1', 'yes', ''], '{ device: insulin-pump }', 'pass'], // yes: unchanged
    [['p1', 'yes', ''], '{ not: { device: insulin-pump } }', 'fail'],
  ])('%j, %s → %s', (cells, rule, want) => {
    expect(statusOf(oneRule(rule), recordOf(cells))).toBe(want);
  });
  it('the unknown names the device list as missing', () => {
    const r = check(oneRule('{ not: { device: cardiac-pacemaker } }'), recordOf(['p1', 'no', '']));
    expect(r.criteria[0]!.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
  });
});
