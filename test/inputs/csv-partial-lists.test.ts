/**
 * CSV per-item columns (medication:<name>, device:<code>) say something of their item only: without the
 * list column (medications, devices) the record's list is partial, and a rule about an item the sheet does
 * not mention is unknown, never a silent pass of an exclusion. With the list column, the list is whole.
 */
import { describe, expect, it } from 'vitest';
import { planCsv } from '../../src/inputs/csv.js';
import { check, oneRule, statusOf } from '../helpers.js';

const row = (header: string[], cells: string[]) => {
  const { record, problems } = planCsv('x.csv', header).row(cells);
  expect(problems).toEqual([]);
  return record;
};
/** The status of `rule` in an exclusion (its `not`), as a screening sheet would read it. */
const excl = (rule: string, record: unknown) => statusOf(oneRule(`{ not: ${rule} }`), record);

describe('CSV medication:<name> columns without the medications column: a partial list', () => {
  const header = ['id', 'medication:prednisone', 'medication:prednisone.perDay', 'medication:prednisone.start'];
  it.each([
    // [cells, rule, status]: a drug the sheet does not mention is unknown, whatever the prednisone cell says
    [['p1', 'no', '', ''], '{ medication: rituximab }', 'unknown'],
    [['p1', 'yes', '', ''], '{ medication: rituximab }', 'unknown'],
    [['p1', '10 mg', '1', '2026-01-01'], '{ medication: rituximab }', 'unknown'],
    [['p1', '', '', '2026-01-01'], '{ medication: rituximab }', 'unknown'],
    // the drug the sheet mentions decides as before
    [['p1', 'no', '', ''], '{ medication: prednisone }', 'fail'],
    [['p1', 'yes', '', ''], '{ medication: prednisone }', 'pass'],
    [['p1', '10 mg', '1', '2026-01-01'], '{ medication: prednisone, dose: { min: 20 mg/d } }', 'fail'],
    [['p1', '30 mg', '1', '2026-01-01'], '{ medication: prednisone, dose: { min: 20 mg/d } }', 'pass'],
    // a class: prednisone taken passes it; prednisone not taken says nothing of the other glucocorticoids
    [['p1', 'yes', '', ''], '{ medication: glucocorticoids }', 'pass'],
    [['p1', 'no', '', ''], '{ medication: glucocorticoids }', 'unknown'],
    [['p1', '10 mg', '1', '2026-01-01'], '{ medication: glucocorticoids, dose: { min: 20 mg/d } }', 'unknown'],
  ])('%j: %s → %s', (cells, rule, status) => {
    expect(statusOf(oneRule(rule), row(header, cells))).toBe(status);
  });
  it.each([
    // washout, lines and stable dose read the partial list the same way: a drug not mentioned leaves a non-pass unknown
    [['p1', 'no', '', ''], '{ medication: rituximab, washout: { min: 4 wk } }', 'unknown'],
    [['p1', 'no', '', ''], '{ medication: prednisone, washout: { min: 4 wk } }', 'fail'],
    [['p1', '10 mg', '1', '2026-11-01'], '{ medication: prednisone, washout: { min: 4 wk } }', 'pass'],
    [['p1', '10 mg', '1', '2026-01-01'], '{ medication: [prednisone, rituximab], lines: 2 }', 'unknown'],
    [['p1', '10 mg', '1', '2026-01-01'], '{ medication: rituximab, stableFor: 4 wk }', 'unknown'],
  ])('%j: %s → %s', (cells, rule, status) => {
    expect(statusOf(oneRule(rule), row(header, cells))).toBe(status);
  });
  it('prednisone = no alone: an exclusion of rituximab is unknown (was: pass), with the medication history in missing', () => {
    const record = row(header, ['p1', 'no', '', '']);
    expect(record).toEqual({ id: 'p1', medications: [{ name: 'prednisone', status: 'not-taken' }], partial: ['medications'] });
    expect(excl('{ medication: rituximab }', record)).toBe('unknown');
    const r = check(oneRule('{ not: { medication: rituximab } }'), record).criteria[0]!;
    expect(r.missing).toEqual([{ item: 'medications', description: 'the medication history' }]);
    expect(r.reasons[0]!.text).toContain('the medication list on record is partial');
    expect(excl('{ medication: prednisone }', record)).toBe('pass'); // not taken: its exclusion passes
  });
  it('a not-taken class covers its members: glucocorticoids = no → prednisone fails', () => {
    const record = row(['id', 'medication:glucocorticoids'], ['p1', 'no']);
    expect(statusOf(oneRule('{ medication: prednisone }'), record)).toBe('fail');
    expect(statusOf(oneRule('{ medication: [prednisone, rituximab] }'), record)).toBe('unknown');
  });
});

describe('atLeast n of [drugs] on a partial list', () => {
  const header = ['id', 'medication:hydroxychloroquine', 'medication:mycophenolate mofetil', 'medication:tacrolimus'];
  const rule = (n: number) => oneRule(`{ medication: [hydroxychloroquine, mycophenolate mofetil, tacrolimus, cyclophosphamide], atLeast: ${n} }`);
  it.each([
    // [cells, n, status]: drugs recorded taken count, drugs not mentioned are unknown
    [['p1', 'yes', '', ''], 2, 'unknown'], // 1 taken, 3 not mentioned
    [['p1', 'yes', 'no', 'no'], 2, 'unknown'], // 1 taken, 2 not taken, cyclophosphamide not mentioned
    [['p1', 'yes', 'yes', ''], 2, 'pass'],
    [['p1', 'no', 'no', 'no'], 1, 'unknown'], // cyclophosphamide not mentioned
    [['p1', 'no', 'no', 'no'], 2, 'fail'], // at most 1 could be taken
    [['p1', 'yes', 'no', 'no'], 3, 'fail'],
  ])('%j, atLeast %i → %s', (cells, n, status) => {
    expect(statusOf(rule(n), row(header, cells))).toBe(status);
  });
  it('with the medications column ("none": no other drug), the list is whole: 1 of 2 required fails', () => {
    const record = row([...header, 'medications'], ['p1', 'yes', '', '', 'none']);
    expect(record.partial).toBeUndefined();
    expect(statusOf(rule(2), record)).toBe('fail');
  });
});

describe('the medications column declares the whole list', () => {
  const header = ['id', 'medication:prednisone', 'medications'];
  it.each([
    [['p1', 'no', 'none'], '{ medication: rituximab }', 'fail'],
    [['p1', '10 mg', 'none'], '{ medication: rituximab }', 'fail'],
    [['p1', '', 'none'], '{ medication: rituximab }', 'fail'],
    [['p1', 'yes', 'none'], '{ medication: prednisone }', 'pass'],
  ])('%j: %s → %s (as before)', (cells, rule, status) => {
    const record = row(header, cells);
    expect(record.partial).toBeUndefined();
    expect(statusOf(oneRule(rule), record)).toBe(status);
  });
});

describe('CSV device:<code> = yes (or a status) without the devices column: a partial list', () => {
  const header = ['id', 'device:insulin-pump', 'device:insulin-pump.model'];
  it('a pump in use says nothing of a pacemaker: its exclusion is unknown (was: pass), the device list in missing', () => {
    const record = row(header, ['p1', 'yes', '']);
    expect(record).toEqual({ id: 'p1', devices: [{ code: 'insulin-pump', status: 'active' }], partial: ['devices'] });
    expect(excl('{ device: cardiac-pacemaker }', record)).toBe('unknown');
    const r = check(oneRule('{ not: { device: cardiac-pacemaker } }'), record).criteria[0]!;
    expect(r.missing).toEqual([{ item: 'devices', description: 'the device list (devices)' }]);
    expect(excl('{ device: insulin-pump }', record)).toBe('fail'); // the pump the sheet mentions decides
    expect(statusOf(oneRule('{ device: cardiac-pacemaker, noDevices: fail }'), record)).toBe('fail'); // the criteria's own reading of no data
  });
  it.each([
    [['p1', 'completed', ''], '{ device: insulin-pump, current: true }', 'fail'],
    [['p1', 'yes', ''], '{ device: minimed-670g }', 'unknown'], // a pump without its model may be the 670G
    [['p1', 'yes', 'MiniMed 670G'], '{ device: minimed-670g }', 'pass'],
    [['p1', 'yes', ''], '{ device: [insulin-pump, cardiac-pacemaker] }', 'pass'],
    [['p1', 'completed', ''], '{ device: [insulin-pump, cardiac-pacemaker], current: true }', 'unknown'],
    [['p1', 'no', ''], '{ device: cardiac-pacemaker }', 'unknown'],
    [['p1', 'no', ''], '{ device: insulin-pump }', 'fail'],
  ])('%j: %s → %s', (cells, rule, status) => {
    expect(statusOf(oneRule(rule), row(header, cells))).toBe(status);
  });
  it('with the devices column, the list is whole: a pacemaker exclusion passes (as before)', () => {
    const record = row([...header, 'devices'], ['p1', 'yes', '', 'none']);
    expect(record.partial).toBeUndefined();
    expect(excl('{ device: cardiac-pacemaker }', record)).toBe('pass');
  });
});

describe('other per-item CSV columns already say nothing of other items', () => {
  it.each([
    [['id', 'finding:ecg-abnormality'], ['p1', 'no'], '{ finding: serious-lung-lesion }'],
    [['id', 'attestation:informed-consent'], ['p1', 'yes'], '{ attestation: leukapheresis-eligible }'],
    [['id', 'substance:tobacco'], ['p1', 'never'], '{ substanceUse: alcohol }'],
  ])('%j = %j: %s is unknown', (header, cells, rule) => {
    expect(statusOf(oneRule(rule), row(header, cells))).toBe('unknown');
  });
});

describe('JSON records: the partial mark', () => {
  it('partial: [medications] on a JSON record reads as on CSV; without it the list is whole', () => {
    const meds = [{ name: 'prednisone', dose: '10 mg', perDay: 1, start: '2026-01-01' }];
    expect(statusOf(oneRule('{ medication: rituximab }'), { id: 'j', medications: meds, partial: ['medications'] })).toBe('unknown');
    expect(statusOf(oneRule('{ medication: rituximab }'), { id: 'j', medications: meds })).toBe('fail');
  });
});
