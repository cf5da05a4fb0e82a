/**
 * Recorded-value twins: a record carrying only raw inputs (creatinine and height, a
 * methylprednisolone regimen, SLEDAI-2K descriptors, ANA and EULAR/ACR items) reaches the same
 * verdict and statuses as its twin carrying the derived values (eGFR, prednisone, totals).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileCriteria, evaluateRecord, loadCriteria } from '../../src/index.js';

const ROOT = new URL('../../', import.meta.url);
const compiled = compileCriteria(loadCriteria('criteria/nct06691152.yaml', readFileSync(new URL('criteria/nct06691152.yaml', ROOT), 'utf8')).criteria!);
const base = parse(readFileSync(new URL('fixtures/patients/p01-adult-eligible.yaml', ROOT), 'utf8')) as Record<string, unknown[]> & { id: string };

type Rec = typeof base;
const clone = (r: Rec): Rec => structuredClone(r);
const statuses = (r: Rec) => {
  const p = evaluateRecord(compiled, r, '2026-11-25', { file: 'twin' });
  return { verdict: p.verdict, criteria: Object.fromEntries(p.criteria.map((c) => [c.id, c.status])) };
};
const withoutCode = (list: unknown[], pred: (x: { code?: string; name?: string }) => boolean) => list.filter((x) => !pred(x as { code?: string; name?: string }));

/** A child: creatinine 0.6 mg/dL and height 140 cm → bedside Schwartz 96.4; the twin records eGFR 96.4. */
function childPair(): [Rec, Rec] {
  const raw = clone(base);
  raw.birthDate = '2014-03-14' as never;
  raw.measurements = [...withoutCode(raw.measurements!, (m) => m.code === 'creatinine'),
    { code: 'creatinine', value: 53, unit: 'umol/L', date: '2026-11-16' }, { code: 'height', value: 140, unit: 'cm', date: '2026-10-01' }];
  raw.attestations = raw.attestations!.map((a) => ((a as { code: string }).code === 'informed-consent' ? { ...(a as object), by: 'guardian' } : a));
  const recorded = clone(raw);
  recorded.measurements = [...withoutCode(recorded.measurements!, (m) => m.code === 'creatinine' || m.code === 'height'),
    { code: 'loinc:50384-7', value: 96.4, unit: 'mL/min/{1.73_m2}', date: '2026-11-16' }];
  return [raw, recorded];
}

/** Steroids: methylprednisolone 48 mg/d ≡ prednisone 60 mg/d (BNF 4 : 5) at 57–58 kg. */
function steroidPair(): [Rec, Rec] {
  const pred = clone(base);
  const mp = clone(base);
  mp.medications = mp.medications!.map((m) => {
    const x = m as { name: string; dose: string };
    if (x.name !== 'prednisone') return m;
    const mg = Number(x.dose.split(' ')[0]);
    return { ...x, name: 'methylprednisolone', dose: `${(mg * 4) / 5} mg` };
  });
  return [mp, pred];
}

/** SLEDAI-2K: a complete assessment with four descriptors (12) vs a recorded total of 12. */
function sledaiPair(): [Rec, Rec] {
  const items = clone(base);
  const total = clone(base);
  total.findings = withoutCode(total.findings!, (f) => f.code!.startsWith('sledai-2k'));
  total.measurements = [...total.measurements!, { code: 'sledai-2k', value: 12, date: '2026-11-18' }];
  return [items, total];
}

/** EULAR/ACR: ANA 1:640 and five items (26 points) vs a recorded total of 26. */
function eularPair(): [Rec, Rec] {
  const items = clone(base);
  const total = clone(base);
  total.findings = withoutCode(total.findings!, (f) => f.code!.startsWith('eular-acr-2019'));
  total.measurements = [...withoutCode(total.measurements!, (m) => m.code === 'ana'), { code: 'eular-acr-2019', value: 26, date: '2021-06-10' }];
  return [items, total];
}

describe('raw-data patients reach the same verdicts as their recorded-value twins', () => {
  it.each([
    ['child: creatinine + height → eGFR (bedside Schwartz)', childPair],
    ['adult: methylprednisolone regimen → prednisone equivalent', steroidPair],
    ['SLEDAI-2K descriptors → total', sledaiPair],
    ['ANA and EULAR/ACR items → classification', eularPair],
  ])('%s', (_n, pair) => {
    const [raw, recorded] = pair();
    expect(statuses(raw)).toEqual(statuses(recorded));
  });

  it('the twins are not trivially equal: the derivation shows in the raw twin\'s reasons', () => {
    const [raw] = childPair();
    const p = evaluateRecord(compiled, raw, '2026-11-25', { file: 'twin' });
    const renal = p.criteria.find((c) => c.id === 'renal-function')!;
    expect(renal.status).toBe('pass');
    expect(renal.reasons[0]!.derivation?.method).toMatch(/Schwartz/);
    const [mp] = steroidPair();
    const refractory = evaluateRecord(compiled, mp, '2026-11-25', { file: 'twin' }).criteria.find((c) => c.id === 'refractory-disease')!;
    expect(refractory.status).toBe('pass');
    expect(refractory.reasons.map((r) => r.text).join('\n')).toMatch(/methylprednisolone = 60 mg\/d prednisone-equivalent/);
  });
});
