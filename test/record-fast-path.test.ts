/**
 * The record fast path (isPlainRecord) must never accept what the zod schema rejects, and a record
 * it accepts must give the same view as the zod-parsed record. Checked on the fixtures, synthetic
 * records, and many seeded mutations of them (wrong types, null, empty codes, bad dates, …).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildView, isPlainRecord, PatientRecord } from '../src/record.js';

const ROOT = new URL('..', import.meta.url).pathname;

function fixtureRecords(): Record<string, unknown>[] {
  const dir = join(ROOT, 'fixtures/patients');
  const out: Record<string, unknown>[] = [];
  for (const n of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, n), 'utf8');
    const v = n.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    for (const r of Array.isArray(v) ? v : [v]) if (typeof r === 'object' && r && !('resourceType' in r)) out.push(r);
  }
  const bench = readFileSync(join(ROOT, 'fixtures/broken/batch.ndjson'), 'utf8').split('\n');
  for (const l of bench) {
    try {
      const r = JSON.parse(l);
      if (typeof r === 'object' && r && !Array.isArray(r)) out.push(r);
    } catch { /* a broken line */ }
  }
  return out;
}

/** A small seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [null, '', 'x', '2024-13', '2024-01-01T10:00', '20240101', 0, -1, 1.5, Infinity, NaN, true, false, [], {}, { value: 1 }, { value: 'a' }, { value: -2, unit: 'mg' }, ['a'], 'active', 'refuted', 'female', 'draft'];

function mutate(r: unknown, rand: () => number): unknown {
  const copy = structuredClone(r) as Record<string, unknown>;
  // walk to a random object inside the record and change, add or delete one key
  let at: Record<string, unknown> | unknown[] = copy;
  const lists = ['measurements', 'conditions', 'medications', 'findings', 'attestations', 'devices', 'allergies', 'familyHistory', 'substanceUse'].filter((k) => Array.isArray(copy[k]) && (copy[k] as unknown[]).length);
  if (lists.length && rand() < 0.5) {
    // an item of one of the lists
    const list = copy[lists[Math.floor(rand() * lists.length)]!] as Record<string, unknown>[];
    at = list[Math.floor(rand() * list.length)]!;
  } else for (let depth = 0; depth < 4 && rand() < 0.75; depth++) {
    const keys = Object.keys(at);
    if (!keys.length) break;
    const next = (at as Record<string, unknown>)[keys[Math.floor(rand() * keys.length)]!];
    if (typeof next !== 'object' || next === null) break;
    at = next as Record<string, unknown>;
  }
  if (typeof at !== 'object' || at === null) return copy;
  const keys = Object.keys(at);
  const KEYS = ['code', 'value', 'unit', 'date', 'present', 'name', 'dose', 'perDay', 'status', 'onset', 'age', 'sex', 'id', 'high', 'low', 'referenceRange', 'clinicalStatus', 'verificationStatus', 'by', 'findings', 'measurements', 'start', 'end', 'frequency', 'abatement', 'attributedTo', 'context', 'model', 'relationship', 'substance', 'packYears', 'onsetAge', 'criticality', 'type', 'category', 'reaction'];
  const key = rand() < 0.7 && keys.length ? keys[Math.floor(rand() * keys.length)]! : KEYS[Math.floor(rand() * KEYS.length)]!;
  const o = at as Record<string, unknown>;
  if (rand() < 0.2) delete o[key];
  else o[key] = ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
  return copy;
}

describe('record fast path', () => {
  // a record with every domain of issue 12 (devices, allergies, family history, substance use), mutated like the fixtures
  const domains = {
    id: 'D', birthDate: '1980-05-01',
    devices: [{ code: 'insulin-pump', model: 'MiniMed 670G', status: 'active', start: '2024-01-01' }, { code: 'crt-d', start: '2026-10-01', end: '2026-11-01' }],
    allergies: [{ code: 'warfarin', type: 'allergy', category: 'medication', clinicalStatus: 'active', verificationStatus: 'confirmed', criticality: 'high', reaction: 'rash', onset: '2020' }],
    familyHistory: [{ relationship: 'MTH', code: 'icd10:C73', name: 'thyroid cancer', onsetAge: 40 }],
    substanceUse: [{ substance: 'tobacco', status: 'former', start: '2000', end: '2020-06-01', packYears: 12.5, date: '2026-01-01' }],
  };
  const records = [...fixtureRecords(), domains, domains];
  const rand = rng(20261125);
  const cases: unknown[] = [...records];
  // hand-made edge cases next to the seeded mutations
  const base = { id: 'E', birthDate: '1990-01-01' };
  cases.push(
    { ...base, age: -1 }, { ...base, age: 0 }, { ...base, age: { value: -1 } }, { ...base, age: { value: 3, date: '2020' } }, { ...base, id: '' }, { ...base, id: 7 },
    { ...base, sex: 'F' }, { ...base, birthDate: '1990-1-1' }, { ...base, birthDate: null }, { ...base, deceasedDate: '2020-01-01T00:00Z' },
    { ...base, medications: [{ dose: '5 mg' }] }, { ...base, medications: [{ name: 'x', perDay: 0 }] }, { ...base, medications: [{ code: 'x', perDay: 0.5 }] },
    { ...base, medications: [{ name: 'x', status: 'paused' }] }, { ...base, findings: [{ code: '' }] }, { ...base, findings: [{ code: 'a', present: 'yes' }] },
    { ...base, findings: [{ code: 'a', value: null }] }, { ...base, attestations: [{ code: 'a', value: 1 }] }, { ...base, measurements: [{ code: 'egfr' }] },
    { ...base, measurements: [{ code: 'egfr', value: { value: 1, unit: 'x', extra: 1 } }] }, { ...base, measurements: [{ code: 'egfr', value: 1, referenceRange: { high: { value: 'a' } } }] },
    { ...base, conditions: [{ code: 'sle', clinicalStatus: 'Active' }] }, { ...base, conditions: {} }, { ...base, measurements: [null] }, { ...base, extra: 1 },
    { ...base, devices: [{ code: 'x', status: 'inactive' }] }, { ...base, allergies: [{ code: 'x', verificationStatus: 'suspected' }] },
    { ...base, familyHistory: [{ code: 'x' }] }, { ...base, familyHistory: [{ relationship: 'MTH', code: 'x', onsetAge: -1 }] },
    { ...base, substanceUse: [{ substance: 'tobacco' }] }, { ...base, substanceUse: [{ substance: 'tobacco', status: 'never', packYears: -1 }] },
    { ...base, medications: [{ name: 'prednisone', status: 'not-taken' }], partial: ['medications'] }, { ...base, partial: ['medications', 'devices'] },
    { ...base, partial: [] }, { ...base, partial: ['conditions'] }, { ...base, partial: 'medications' }, { ...base, partial: [null] },
  );
  for (let i = 0; i < 12000; i++) {
    let r: unknown = records[Math.floor(rand() * records.length)];
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) r = mutate(r, rand);
    cases.push(r);
  }

  it('has records to check', () => expect(records.length).toBeGreaterThan(20));

  it('accepts only what zod accepts, with the same view', () => {
    let accepted = 0;
    let rejected = 0;
    for (const r of cases) {
      if (typeof r !== 'object' || r === null || Array.isArray(r)) continue;
      const parsed = PatientRecord.safeParse(r);
      if (!isPlainRecord(r as Record<string, unknown>)) {
        rejected++;
        continue;
      }
      accepted++;
      expect(parsed.success, JSON.stringify(r)).toBe(true);
      expect(buildView(r as never, 'x')).toEqual(buildView(parsed.data!, 'x'));
    }
    // the mutations exercise both sides
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(500);
  });
});
