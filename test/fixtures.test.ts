/**
 * The seed trial's sample patients (fixtures/patients) against the current criteria/nct06691152.yaml
 * (v1.2.0: 11 inclusion + 11 exclusion criteria) at asOf 2026-11-25: every fixture's verdict and all
 * 22 per-criterion statuses, as listed (with the
 * reasoning behind each) in fixtures/expected.yaml. Plus coverage of the status space, the
 * shape of unknowns and reasons, and the broken inputs in fixtures/broken.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  compileCriteria,
  detectFormat,
  evaluateRecord,
  loadCriteria,
  parseNdjsonLine,
  TEXT_PARSERS,
  type CompiledCriteria,
  type CriterionResult,
  type InputItem,
  type PatientResult,
  type Status,
  type Verdict,
} from '../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const criteriaFile = join(root, 'criteria/nct06691152.yaml');
const patientsDir = join(root, 'fixtures/patients');
const brokenDir = join(root, 'fixtures/broken');
const AS_OF = '2026-11-25';

const INCLUSION_IDS = [
  'age', 'sle-classification', 'refractory-disease', 'sledai-2k', 'cardiac-function', 'renal-function',
  'liver-function', 'pulmonary-function', 'leukapheresis', 'pregnancy-contraception', 'informed-consent',
] as const;
const EXCLUSION_IDS = [
  'prior-car-t', 'cns-lupus', 'active-infection', 'major-heart-disease', 'other-steroid-dependent-disease',
  'transplant-or-gvhd', 'viral-infection', 'live-vaccine', 'pregnancy-or-breastfeeding', 'malignancy', 'recent-trial',
] as const;
const CRITERIA_IDS = [...INCLUSION_IDS, ...EXCLUSION_IDS] as const;

interface Expectation {
  file: string;
  id: string;
  verdict: Verdict;
  why: string;
  criteria: Record<string, Status>;
}

const expectedDoc = parseYaml(readFileSync(join(patientsDir, '..', 'expected.yaml'), 'utf8')) as { asOf: string; fixtures: Expectation[] };
const expectations = expectedDoc.fixtures;

function compile(): CompiledCriteria {
  const loaded = loadCriteria(criteriaFile, readFileSync(criteriaFile, 'utf8'));
  if (!loaded.criteria) throw new Error(`criteria did not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  return compileCriteria(loaded.criteria);
}

/** Read a JSON or YAML file with the CLI's own parsers (YAML dates stay strings, as in `elig check`). */
function readItems(path: string): InputItem[] {
  const format = detectFormat(path);
  if (format !== 'json' && format !== 'yaml') throw new Error(`not a JSON or YAML fixture: ${path}`);
  return TEXT_PARSERS[format](path, readFileSync(path, 'utf8'));
}

function evaluateFile(compiled: CompiledCriteria, path: string): PatientResult[] {
  return readItems(path).map((item) => {
    if (item.kind === 'error') throw new Error(`${path}: ${item.diagnostic.message}`);
    return evaluateRecord(compiled, item.raw, AS_OF, item.source);
  });
}

function statusOf(result: PatientResult, id: string): CriterionResult {
  const c = result.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`${result.id}: no result for criterion ${id}`);
  return c;
}

let compiled: CompiledCriteria;
const results = new Map<string, PatientResult>();

beforeAll(() => {
  compiled = compile();
  for (const e of expectations) {
    const rs = evaluateFile(compiled, join(patientsDir, e.file));
    expect(rs, `${e.file} holds exactly one record`).toHaveLength(1);
    results.set(e.file, rs[0]!);
  }
});

function resultFor(file: string): PatientResult {
  const r = results.get(file);
  if (!r) throw new Error(`no result for ${file}`);
  return r;
}

describe('fixtures/expected.yaml', () => {
  it('is for the as-of date the suite uses and covers every fixture file, once', () => {
    expect(expectedDoc.asOf).toBe(AS_OF);
    const onDisk = readdirSync(patientsDir).filter((f) => detectFormat(f) !== undefined).sort();
    const listed = expectations.map((e) => e.file);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(onDisk);
    expect(onDisk.length).toBeGreaterThanOrEqual(18);
  });

  it('lists all 22 criteria, a valid status and a reason (why) for every fixture', () => {
    for (const e of expectations) {
      expect(Object.keys(e.criteria).sort(), e.file).toEqual([...CRITERIA_IDS].sort());
      for (const s of Object.values(e.criteria)) expect(['pass', 'fail', 'unknown', 'not_applicable']).toContain(s);
      expect(e.why.trim().length, `${e.file}: why`).toBeGreaterThan(20);
    }
  });

  it('the criteria file is v1.2.0 and evaluates exactly these 11 inclusion and 11 exclusion criteria, in order', () => {
    expect(compiled.version).toBe('1.2.0');
    expect(compiled.criteria.map((c) => c.id)).toEqual([...CRITERIA_IDS]);
    expect(compiled.criteria.map((c) => c.kind)).toEqual([...INCLUSION_IDS.map(() => 'inclusion'), ...EXCLUSION_IDS.map(() => 'exclusion')]);
  });

  it('mixes JSON and YAML, children and adults', () => {
    const json = expectations.filter((e) => e.file.endsWith('.json')).length;
    const yaml = expectations.filter((e) => e.file.endsWith('.yaml')).length;
    expect(Math.min(json, yaml)).toBeGreaterThanOrEqual(Math.floor(expectations.length / 2) - 2);
    expect(expectations.some((e) => e.file.includes('child'))).toBe(true);
    expect(expectations.some((e) => e.file.includes('adult'))).toBe(true);
  });
});

describe('each fixture: verdict and every criterion status', () => {
  it.each(expectations.map((e) => [e.file, e] as const))('%s', (_file, e) => {
    const r = resultFor(e.file);
    expect(r.id).toBe(e.id);
    expect(r.diagnostics ?? [], 'record parses without warnings').toEqual([]);
    const actual = Object.fromEntries(r.criteria.map((c) => [c.id, c.status]));
    expect(actual).toEqual(e.criteria);
    expect(r.verdict).toBe(e.verdict);
  });
});

describe('coverage across the fixtures', () => {
  const reachedStatuses = () => {
    const reached = new Map<string, Set<Status>>(CRITERIA_IDS.map((id) => [id, new Set<Status>()]));
    for (const r of results.values()) for (const c of r.criteria) reached.get(c.id)?.add(c.status);
    return reached;
  };

  it('every inclusion criterion reaches pass, fail and unknown; pregnancy-contraception also not_applicable', () => {
    const reached = reachedStatuses();
    for (const id of INCLUSION_IDS) {
      const got = [...(reached.get(id) ?? [])].sort();
      expect(got, id).toEqual(expect.arrayContaining(['fail', 'pass', 'unknown']));
    }
    expect([...(reached.get('pregnancy-contraception') ?? [])]).toContain('not_applicable');
  });

  it('every exclusion reaches pass and unknown; five of them exclude a fixture (the rest: criteria/nct06691152.test.yaml)', () => {
    const reached = reachedStatuses();
    for (const id of EXCLUSION_IDS) expect([...(reached.get(id) ?? [])], id).toEqual(expect.arrayContaining(['pass', 'unknown']));
    const failing = EXCLUSION_IDS.filter((id) => reached.get(id)?.has('fail'));
    expect(failing).toEqual(['prior-car-t', 'cns-lupus', 'viral-infection', 'live-vaccine', 'pregnancy-or-breastfeeding']);
    expect([...(reached.get('pregnancy-or-breastfeeding') ?? [])]).toContain('not_applicable');
  });

  it('a record without a problem list leaves the condition-based exclusions unknown, naming the problem list', () => {
    const c = statusOf(resultFor('p13-adult-transfer-no-medication-history.yaml'), 'malignancy');
    expect(c.status).toBe('unknown');
    expect((c.missing ?? []).map((m) => m.item)).toEqual(['conditions']);
  });

  it('every verdict except error occurs', () => {
    const verdicts = new Set([...results.values()].map((r) => r.verdict));
    expect([...verdicts].sort()).toEqual(['eligible', 'indeterminate', 'ineligible']);
  });

  it('every non-error result has at least one reason with text for every criterion', () => {
    for (const [file, r] of results) {
      expect(r.verdict, file).not.toBe('error');
      for (const c of r.criteria) {
        expect(c.reasons.length, `${file} ${c.id}`).toBeGreaterThan(0);
        for (const reason of c.reasons) expect(reason.text.trim().length, `${file} ${c.id} ${reason.code}`).toBeGreaterThan(0);
      }
    }
  });

  it('every unknown names what is missing; no other status carries missing items', () => {
    for (const [file, r] of results) {
      for (const c of r.criteria) {
        if (c.status === 'unknown') expect(c.missing?.length ?? 0, `${file} ${c.id}`).toBeGreaterThan(0);
        else expect(c.missing, `${file} ${c.id}`).toBeUndefined();
      }
    }
  });
});

describe('known unknowns list what would decide them', () => {
  const missingItems = (file: string, id: string): string[] => {
    const c = statusOf(resultFor(file), id);
    expect(c.status).toBe('unknown');
    return (c.missing ?? []).map((m) => m.item);
  };

  it('no medication history: refractory-disease asks for the medication history and the intolerance attestation', () => {
    const items = missingItems('p13-adult-transfer-no-medication-history.yaml', 'refractory-disease');
    expect(items).toEqual(expect.arrayContaining(['medications', 'attestation:intolerant-to-standard-treatment']));
  });

  it('ECG not done: cardiac-function asks for the ECG finding only (LVEF passed)', () => {
    expect(missingItems('p13-adult-transfer-no-medication-history.yaml', 'cardiac-function')).toEqual(['finding:ecg-abnormality']);
  });

  it('SLEDAI-2K descriptors straddling 8: bounds 6–93, one work item naming the unrecorded descriptors, not the recorded ones', () => {
    const c = statusOf(resultFor('p14-adult-sledai-straddles-threshold.json'), 'sledai-2k');
    expect(c.reasons[0]?.bounds).toEqual({ lower: 6, upper: 93 });
    expect(missingItems('p14-adult-sledai-straddles-threshold.json', 'sledai-2k')).toEqual(['score:sledai-2k']);
    const described = c.missing?.[0]?.description ?? '';
    expect(described).toContain('vasculitis');
    for (const recorded of ['rash', 'alopecia', 'low_complement', 'arthritis', 'proteinuria', 'hematuria']) {
      expect(described).not.toMatch(new RegExp(`\\b${recorded}\\b`));
    }
  });

  it('stale chemistry: renal and liver function ask for fresh values', () => {
    expect(missingItems('p09-adult-postmenopausal-stale-labs.yaml', 'renal-function')).toContain('measurement:egfr');
    expect(missingItems('p09-adult-postmenopausal-stale-labs.yaml', 'liver-function'))
      .toEqual(expect.arrayContaining(['measurement:ast', 'measurement:alt', 'measurement:bilirubin-total']));
    const stale = statusOf(resultFor('p09-adult-postmenopausal-stale-labs.yaml'), 'liver-function').reasons.map((r) => r.code);
    expect(stale).toContain('stale');
  });

  it('SpO2 only on oxygen: asks for a room-air SpO2', () => {
    expect(missingItems('p11-adult-spo2-on-oxygen-only.yaml', 'pulmonary-function')).toEqual(['measurement:spo2']);
    const codes = statusOf(resultFor('p11-adult-spo2-on-oxygen-only.yaml'), 'pulmonary-function').reasons.map((r) => r.code);
    expect(codes).toContain('context');
  });

  it('ALT with no ULN, fallback not decisive: asks for the lab ULN', () => {
    expect(missingItems('p22-adult-workup-in-progress.yaml', 'liver-function')).toEqual(['uln:alt']);
  });

  it('no ANA: classification asks for the ANA result', () => {
    expect(missingItems('p20-adult-ana-not-recorded.json', 'sle-classification')).toContain('measurement:ana');
  });

  it('M32.19 (other organ involvement) leaves cns-lupus unknown, asking for the neuropsychiatric-lupus finding', () => {
    expect(missingItems('p24-adult-sle-m32-19-possible-npsle.yaml', 'cns-lupus')).toEqual(['finding:neuropsychiatric-lupus']);
  });

  it('0.9998 mg/kg/d: the reason shows the deciding digits, never "1 < 1"', () => {
    const text = statusOf(resultFor('p30-adult-steroid-dose-just-below-1-mg-kg.json'), 'refractory-disease').reasons.map((r) => r.text).join('\n');
    expect(text).toContain('0.9998 mg/kg/d prednisone-equivalent < 1 mg/kg/d');
    expect(text).not.toMatch(/(^|[^.\d])1 mg\/kg\/d prednisone-equivalent < 1 mg\/kg\/d/);
  });

  it("a child's adult-equation eGFR without creatinine: renal-function asks for creatinine (and height), not the eGFR it has", () => {
    const items = missingItems('p32-child-adult-equation-egfr-only.json', 'renal-function');
    expect(items).toContain('measurement:creatinine');
    expect(items).not.toContain('measurement:egfr');
  });

  it('age recorded without a birth date, menarche and consent not recorded', () => {
    expect(missingItems('p21-child-age-recorded-only.yaml', 'age')).toEqual(['birthDate']);
    expect(missingItems('p21-child-age-recorded-only.yaml', 'pregnancy-contraception'))
      .toEqual(expect.arrayContaining(['finding:menarche', 'measurement:hcg']));
    expect(missingItems('p21-child-age-recorded-only.yaml', 'informed-consent')).toEqual(['attestation:informed-consent']);
  });
});

describe('derived values behind the statuses', () => {
  const observedOf = (file: string, id: string) => statusOf(resultFor(file), id).reasons.find((r) => r.derivation)?.derivation;

  it('child with creatinine + height only: eGFR by bedside Schwartz', () => {
    expect(observedOf('p02-child-egfr-from-creatinine-live-vaccine.json', 'renal-function')?.method).toBe('bedside Schwartz 2009');
  });

  it('adult with creatinine only, and creatinine in µmol/L: eGFR by CKD-EPI 2021', () => {
    expect(observedOf('p03-adult-male-egfr-ckd-epi-creatinine-only.yaml', 'renal-function')?.method).toBe('CKD-EPI 2021 creatinine');
    expect(observedOf('p05-adult-si-units-mixed.yaml', 'renal-function')?.method).toBe('CKD-EPI 2021 creatinine');
  });

  it('ALT 2.10 µkat/L over ULN 0.70 µkat/L is 3.0 × ULN and passes ≤ 3.0', () => {
    const c = statusOf(resultFor('p05-adult-si-units-mixed.yaml'), 'liver-function');
    const alt = c.reasons.find((r) => r.code === 'uln' && r.text.startsWith('ALT'));
    expect(alt?.status).toBe('pass');
    expect(alt?.text).toContain('= 3 × ULN');
  });

  it('documented intolerance passes refractory-disease through the attestation', () => {
    const c = statusOf(resultFor('p08-adult-documented-intolerance.json'), 'refractory-disease');
    expect(c.reasons.map((r) => r.code)).toEqual(['attestation']);
  });
});

describe('fixtures/broken', () => {
  it('bad-types.json: the middle record is an error, the two around it are still checked', () => {
    const items = readItems(join(brokenDir, 'bad-types.json'));
    expect(items).toHaveLength(3);
    const rs = items.map((item) => {
      if (item.kind !== 'record') throw new Error('bad-types.json is valid JSON');
      return evaluateRecord(compiled, item.raw, AS_OF, item.source);
    });
    expect(rs.map((r) => r.verdict)).toEqual(['indeterminate', 'error', 'indeterminate']);
    expect(rs[1]?.id).toBe('B-002');
    expect(rs[1]?.criteria).toEqual([]);
    const diags = rs[1]?.diagnostics ?? [];
    expect(diags.every((d) => d.code === 'record/invalid' && d.severity === 'error')).toBe(true);
    expect(diags.map((d) => d.location?.path).sort()).toEqual(['birthDate', 'measurements']);
  });

  it('malformed.json: one syntax error with a line number, no records', () => {
    const items = readItems(join(brokenDir, 'malformed.json'));
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.kind).toBe('error');
    if (item.kind === 'error') {
      expect(item.diagnostic.code).toBe('syntax/json');
      expect(item.diagnostic.location?.line).toBe(9);
    }
  });

  it('batch.ndjson: line 3 is an error, lines 1, 2, 4 and 5 are records that evaluate', () => {
    const lines = readFileSync(join(brokenDir, 'batch.ndjson'), 'utf8').split('\n');
    const items = lines.map((l, i) => parseNdjsonLine('batch.ndjson', i + 1, i + 1, l)).filter((x): x is InputItem => x !== undefined);
    expect(items).toHaveLength(5);
    expect(items.map((x) => x.kind)).toEqual(['record', 'record', 'error', 'record', 'record']);
    const bad = items[2]!;
    if (bad.kind === 'error') {
      expect(bad.diagnostic.code).toBe('syntax/json');
      expect(bad.source.line).toBe(3);
    }
    for (const item of items) {
      if (item.kind !== 'record') continue;
      expect(evaluateRecord(compiled, item.raw, AS_OF, item.source).verdict).not.toBe('error');
    }
  });
});
