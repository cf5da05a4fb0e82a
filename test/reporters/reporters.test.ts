/** Golden files: one per reporter, showing the prose on three contrasting patients. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCriteria, loadCriteria, evaluateRecord, REPORTERS, SummaryBuilder, type ReportFormat } from '../../src/index.js';

// The frozen v1.0.0 (byte-identical to the release, same sha256) so the golden files do not churn with
// every amendment of the current criteria/nct06691152.yaml.
const text = readFileSync(new URL('../../criteria/nct06691152/1.0.0.yaml', import.meta.url), 'utf8');
const compiled = compileCriteria(loadCriteria('criteria/nct06691152.yaml', text).criteria!);
const asOf = '2026-11-25';

const records: unknown[] = [
  {
    id: 'G-ADULT', birthDate: '1990-05-01', sex: 'female',
    measurements: [
      { code: 'creatinine', value: 0.8, unit: 'mg/dL', date: '2026-11-10' },
      { code: 'ast', value: 62, unit: 'U/L', referenceRange: { high: 40 }, date: '2026-11-10' },
      { code: 'alt', value: 30, unit: 'U/L', date: '2026-11-10' },
      { code: 'bilirubin-total', value: 12, unit: 'umol/L', referenceRange: { high: 21 }, date: '2026-11-10' },
      { code: 'weight', value: 50, unit: 'kg', date: '2026-05-01' },
      { code: 'lvef', value: 60, unit: '%', date: '2026-11-01' },
      { code: 'spo2', value: 97, unit: '%', date: '2026-11-01', context: 'room-air' },
      { code: 'ana', value: '1:320', date: '2024-01-01' },
      { code: 'hcg', value: 'negative', date: '2026-11-20' },
    ],
    medications: [
      { name: 'methylprednisolone', dose: '40 mg', perDay: 1, start: '2026-05-01', end: '2026-09-01' },
      { name: 'hydroxychloroquine', dose: '200 mg', frequency: 'bid', start: '2024-01-01' },
      { name: 'MMF', dose: '1 g', frequency: 'bid', start: '2024-06-01' },
      { name: 'tacrolimus', dose: '2 mg', frequency: 'bid', start: '2025-01-01', end: '2025-06-01', stopReason: 'intolerance' },
    ],
    findings: [
      { code: 'eular-acr-2019/renal_biopsy_class_iii_or_iv_lupus_nephritis', date: '2024-02-01' },
      { code: 'sledai-2k/arthritis', date: '2026-11-20' }, { code: 'sledai-2k/proteinuria', date: '2026-11-20' },
      { code: 'ecg-abnormality', present: false, date: '2026-11-01' }, { code: 'serious-lung-lesion', present: false, date: '2026-11-01' },
      { code: 'menarche', date: '2003-01-01' },
    ],
    attestations: [
      { code: 'informed-consent', by: 'patient', date: '2026-11-20' }, { code: 'leukapheresis-eligible', date: '2026-11-20' },
      { code: 'contraception-first-year', date: '2026-11-20' },
    ],
  },
  {
    id: 'G-CHILD', birthDate: '2016-03-02', sex: 'male',
    measurements: [
      { code: 'creatinine', value: 2.02, unit: 'mg/dL', date: '2026-11-02' },
      { code: 'height', value: 120, unit: 'cm', date: '2026-11-02' },
    ],
    medications: [],
    attestations: [{ code: 'informed-consent', by: 'guardian', date: '2026-11-20' }],
  },
  { id: 'G-BROKEN', birthDate: 20160302 },
];

describe('reporters (golden files)', () => {
  it.each(Object.keys(REPORTERS) as ReportFormat[])('%s', async (format) => {
    const reporter = REPORTERS[format]({ color: false, width: 80, details: true });
    const summary = new SummaryBuilder(compiled);
    let out = reporter.begin({ tool: { name: 'elig', version: '0.0.0-golden' }, criteria: { id: compiled.id, version: compiled.version, sha256: compiled.sha256, file: 'criteria/nct06691152.yaml' }, asOf });
    records.forEach((r, i) => {
      const p = evaluateRecord(compiled, r, asOf, { file: 'golden.json', record: i + 1 });
      summary.add(p);
      out += reporter.patient(p);
    });
    out += reporter.end(summary.build());
    if (format === 'json') expect(() => JSON.parse(out)).not.toThrow();
    const ext = format === 'human' ? 'txt' : format;
    await expect(out).toMatchFileSnapshot(`__golden__/${format}.${ext}`);
  });

  it('human output fits an 80-column terminal', () => {
    const reporter = REPORTERS.human({ color: false, width: 80, details: true });
    const p = evaluateRecord(compiled, records[0], asOf, { file: 'golden.json', record: 1 });
    for (const line of reporter.patient(p).split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
