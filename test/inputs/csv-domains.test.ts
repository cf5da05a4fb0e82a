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
