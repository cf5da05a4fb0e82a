/** CSV columns of the record domains devices, allergies, familyHistory and substance:<name>. */
import { describe, expect, it } from 'vitest';
import { planCsv } from '../../src/inputs/csv.js';
import { oneRule, statusOf } from '../helpers.js';

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
    [['p1', 'no', '', '', '', ''], []], // no pump: the list is recorded, empty
    [['p1', '', 'MiniMed 670G', '', '', ''], undefined], // properties alone record nothing
    [['p1', 'yes', '', '', '', 'continuous-glucose-monitor'], [{ code: 'insulin-pump', status: 'active' }, { code: 'continuous-glucose-monitor' }]], // with the list column
    [['p1', '', '', '', '', 'none'], []],
  ])('%j → devices %j', (cells, devices) => {
    const { record, problems } = plan.row(cells);
    expect(problems).toEqual([]);
    expect(record.devices).toEqual(devices);
  });
  it('a value that is neither yes/no nor a status is a row problem', () => {
    expect(plan.row(['p1', 'maybe', '', '', '', '']).problems).toEqual(['column device:insulin-pump: "maybe" is not yes/no or a device status (active, completed, stopped, on-hold)']);
  });
});
