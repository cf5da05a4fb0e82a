/**
 * Golden files: one per reporter (with the screening summary), showing the prose on contrasting
 * patients — eligible, ineligible, two indeterminate (one decided by a single item), unreadable —
 * plus the human report with --details.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileCriteria, loadCriteria, evaluateRecord, REPORT_EXTENSIONS, REPORTERS, SummaryBuilder, type ReporterOptions, type ReportFormat,
} from '../../src/index.js';

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
type Rec = { id: string; findings: { code: string }[]; attestations: { code: string }[] };
const adult = records[0] as Rec;
// indeterminate: consent not yet recorded (the only missing item)
records.splice(2, 0, { ...adult, id: 'G-CONSENT', attestations: adult.attestations.filter((a) => a.code !== 'informed-consent') });
// indeterminate: consent and the ECG reading both missing
records.splice(3, 0, {
  ...adult, id: 'G-ECG', findings: adult.findings.filter((f) => f.code !== 'ecg-abnormality'),
  attestations: adult.attestations.filter((a) => a.code !== 'informed-consent'),
});

const protocol = compiled.criteria.map((c) => ({ id: c.id, kind: c.kind, text: c.text }));
const meta = { tool: { name: 'elig' as const, version: '0.0.0-golden' }, criteria: { id: compiled.id, version: compiled.version, sha256: compiled.sha256, file: 'criteria/nct06691152.yaml' }, vocabulary: { version: '0.0.0-golden', sha256: 'cd'.repeat(32) }, asOf };

const options = (opts: Partial<ReporterOptions> = {}): ReporterOptions => ({ color: false, width: 80, details: false, summary: true, criteria: protocol, meta, ...opts });
const results = records.map((r, i) => evaluateRecord(compiled, r, asOf, { file: 'golden.json', record: i + 1 }));

/** The report as check writes it: begin, patients with the reporter's separator between them, end. */
function report(format: ReportFormat, opts: Partial<ReporterOptions> = {}): string {
  const reporter = REPORTERS[format](options(opts));
  const summary = new SummaryBuilder(compiled);
  let out = reporter.begin(meta);
  results.forEach((p, i) => {
    summary.add(p);
    out += (i > 0 && reporter.separator ? reporter.separator : '') + reporter.patient(p) + (reporter.terminator ?? '');
  });
  return out + reporter.end(summary.build());
}

describe('reporters (golden files)', () => {
  it.each(Object.keys(REPORTERS) as ReportFormat[])('%s', async (format) => {
    const out = report(format);
    if (format === 'json') expect(() => JSON.parse(out)).not.toThrow();
    await expect(out).toMatchFileSnapshot(`__golden__/${format}.${REPORT_EXTENSIONS[format]}`);
  });

  it('human --details: every criterion with its text and reasons', async () => {
    await expect(report('human', { details: true, summary: false })).toMatchFileSnapshot('__golden__/human-details.txt');
  });

  it.each(['json', 'ndjson'] as const)('%s --details: every reason with its full derivation', async (format) => {
    const out = report(format, { details: true });
    await expect(out).toMatchFileSnapshot(`__golden__/${format}-details.${REPORT_EXTENSIONS[format]}`);
  });

  it.each([
    ['one line per patient', { details: false }],
    ['--details', { details: true }],
  ] as const)('human output fits an 80-column terminal (%s)', (_name, opts) => {
    for (const line of report('human', opts).split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it.each(Object.keys(REPORTERS) as ReportFormat[])('%s: a patient\'s output stands alone (fresh reporter, no begin), as in a --jobs worker', (format) => {
    const streamed = REPORTERS[format](options());
    streamed.begin(meta);
    for (const p of results) expect(REPORTERS[format](options()).patient(p)).toBe(streamed.patient(p));
  });

  it('human output is one line per patient by default', () => {
    const lines = report('human').split('\n');
    for (const r of records) expect(lines.filter((l) => l.startsWith(`${(r as { id: string }).id}  `))).toHaveLength(1);
  });
});
