#!/usr/bin/env node
/**
 * Seeded generator of realistic synthetic patients in elig's record format, written as NDJSON:
 * children and adults, mixed units, missing and stale values, every data kind the seed trial uses.
 *   node bench/generate.mjs <count> <out.ndjson|out.csv> [seed]
 * With a `.csv` name the same patients are written as a CSV export in elig's header convention (one
 * row per patient, a column per data item; see README "Inputs"), e.g. for the 1 GB CSV memory figure.
 */
import { createWriteStream } from 'node:fs';

const [, , countArg = '1000', out = 'bench/out/patients-1k.ndjson', seedArg = '42'] = process.argv;
const count = Number(countArg);

// mulberry32: small, fast, seeded
let s = Number(seedArg) >>> 0;
const rnd = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;
const between = (a, b) => a + rnd() * (b - a);
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const AS_OF = Date.UTC(2026, 10, 25);
const day = (daysBefore) => new Date(AS_OF - Math.round(daysBefore) * 86400000).toISOString().slice(0, 10);

const DESCRIPTORS = ['seizure', 'psychosis', 'vasculitis', 'arthritis', 'myositis', 'urinary_casts', 'hematuria', 'proteinuria', 'pyuria', 'rash', 'alopecia', 'mucosal_ulcers', 'pleurisy', 'pericarditis', 'low_complement', 'increased_dna_binding', 'fever', 'thrombocytopenia', 'leukopenia'];
const ITEMS = ['fever', 'leukopenia', 'thrombocytopenia', 'non_scarring_alopecia', 'oral_ulcers', 'acute_cutaneous_lupus', 'joint_involvement', 'pleural_or_pericardial_effusion', 'proteinuria_gt_0_5_g_per_24h', 'renal_biopsy_class_iii_or_iv_lupus_nephritis', 'low_c3', 'low_c4', 'anti_dsdna', 'anti_smith'];
const IMMUNO = ['mycophenolate mofetil', 'MMF', 'azathioprine', 'tacrolimus', 'cyclophosphamide', 'methotrexate', 'cyclosporin', 'belimumab', 'rituximab', 'leflunomide', 'telitacicept', 'sirolimus'];
const STEROIDS = [['prednisone', 1], ['prednisolone', 1], ['methylprednisolone', 0.8], ['dexamethasone', 0.15]];

function patient(i) {
  const child = chance(0.3);
  const age = child ? between(3, 18) : between(18, 75);
  const birth = day(age * 365.25);
  const sex = chance(0.85) ? 'female' : 'male';
  const weight = child ? round(between(15, 60)) : round(between(42, 95));
  const labDay = () => (chance(0.85) ? between(1, 27) : between(30, 90));
  const m = [];
  const crDate = day(labDay());
  const scr = child ? between(0.3, 1.8) : between(0.5, 2.5);
  if (chance(0.5)) m.push({ code: 'creatinine', value: round(scr * 88.4, 0), unit: 'umol/L', date: crDate });
  else m.push({ code: chance(0.5) ? 'creatinine' : 'loinc:2160-0', value: round(scr, 2), unit: 'mg/dL', date: crDate });
  if (child || chance(0.3)) m.push({ code: 'height', value: round(child ? between(100, 175) : between(150, 190)), unit: 'cm', date: day(between(1, 200)) });
  if (!child && chance(0.4)) m.push({ code: 'egfr', value: round(between(15, 120)), unit: chance(0.9) ? 'mL/min/{1.73_m2}' : 'mL/min', date: crDate });
  m.push({ code: 'weight', value: weight, unit: chance(0.95) ? 'kg' : 'kg', date: day(between(100, 400)) });
  for (const [code, uln] of [['ast', 40], ['alt', 40]]) {
    if (chance(0.92)) {
      const v = round(between(10, 180), 0);
      const withUln = chance(0.7);
      if (chance(0.15)) m.push({ code, value: round(v / 60, 2), unit: 'ukat/L', date: day(labDay()), ...(withUln ? { referenceRange: { high: round(uln / 60, 2) } } : {}) });
      else m.push({ code, value: v, unit: chance(0.5) ? 'U/L' : 'IU/L', date: day(labDay()), ...(withUln ? { referenceRange: { high: uln } } : {}) });
    }
  }
  if (chance(0.9)) {
    const mg = between(0.2, 3);
    m.push(chance(0.5)
      ? { code: 'bilirubin-total', value: round(mg * 17.1, 1), unit: 'umol/L', date: day(labDay()), referenceRange: { high: 21 } }
      : { code: 'bilirubin-total', value: round(mg, 2), unit: 'mg/dL', date: day(labDay()), ...(chance(0.6) ? { referenceRange: { high: 1.2 } } : {}) });
  }
  if (chance(0.8)) m.push({ code: 'lvef', value: round(between(40, 72), 0), unit: '%', date: day(labDay()) });
  if (chance(0.85)) m.push({ code: 'spo2', value: round(between(86, 100), 0), unit: '%', date: day(labDay()), context: chance(0.9) ? 'room-air' : 'supplemental-oxygen' });
  m.push({ code: 'ana', value: pick(['1:40', '1:80', '1:160', '1:320', '1:640', 'positive', 'negative']), date: day(between(100, 3000)) });
  if (sex === 'female' && chance(0.7)) m.push({ code: 'hcg', value: chance(0.97) ? 'negative' : 'positive', date: day(between(0, 14)) });
  if (chance(0.2)) m.push({ code: 'sledai-2k', value: Math.floor(between(2, 20)), date: day(between(0, 14)) });

  const meds = [];
  const [steroid, factor] = pick(STEROIDS);
  const start = between(150, 900);
  meds.push({ name: steroid, dose: `${round((weight * between(0.4, 1.4) * (steroid === 'dexamethasone' ? 0.15 : factor)), 1)} mg`, frequency: pick(['qd', 'daily', 'bid']), start: day(start), ...(chance(0.5) ? { end: day(start - between(30, 150)) } : {}) });
  if (chance(0.85)) meds.push({ name: chance(0.5) ? 'hydroxychloroquine' : 'HCQ', dose: '200 mg', frequency: 'bid', start: day(between(200, 2000)) });
  const nImmuno = Math.floor(between(0, 4));
  for (let k = 0; k < nImmuno; k++) meds.push({ name: pick(IMMUNO), start: day(between(60, 1500)), ...(chance(0.2) ? { end: day(between(10, 50)), stopReason: pick(['intolerance', 'inefficacy', 'remission']) } : {}) });

  const findings = [];
  const sledaiDay = day(between(0, 12));
  const nD = Math.floor(between(0, 6));
  for (let k = 0; k < nD; k++) findings.push({ code: `sledai-2k/${pick(DESCRIPTORS)}`, date: sledaiDay });
  if (chance(0.5)) findings.push({ code: 'sledai-2k', date: sledaiDay });
  const nI = Math.floor(between(0, 5));
  for (let k = 0; k < nI; k++) findings.push({ code: `eular-acr-2019/${pick(ITEMS)}`, date: day(between(100, 2000)) });
  if (chance(0.8)) findings.push({ code: 'ecg-abnormality', present: chance(0.1), date: day(labDay()) });
  if (chance(0.7)) findings.push({ code: 'serious-lung-lesion', present: chance(0.05), date: day(labDay()) });
  if (sex === 'female') {
    if (age > 15 || chance(0.5)) findings.push({ code: 'menarche', present: age > 11, date: day(between(10, 300)) });
  }
  const att = [];
  if (chance(0.8)) att.push({ code: 'informed-consent', by: child ? 'guardian' : 'patient', date: day(between(0, 20)) });
  if (chance(0.6)) att.push({ code: 'leukapheresis-eligible', value: chance(0.9), date: day(between(0, 20)) });
  if (sex === 'female' && chance(0.6)) att.push({ code: 'contraception-first-year', date: day(between(0, 20)) });
  const rec = { id: `BENCH-${String(i).padStart(7, '0')}`, birthDate: birth, sex, measurements: m, medications: meds, findings, attestations: att };
  if (chance(0.5)) rec.conditions = [{ code: pick(['snomed:55464009', 'icd10:M32.14', 'icd10:M32.9']), onset: day(between(400, 4000)) }];
  return rec;
}

// ---- CSV: the same records flattened into elig's CSV header convention ----
const MEAS = ['creatinine', 'height', 'egfr', 'weight', 'ast', 'alt', 'bilirubin-total', 'lvef', 'spo2', 'ana', 'hcg', 'sledai-2k'];
const FIND = ['sledai-2k', ...DESCRIPTORS.map((d) => `sledai-2k/${d}`), ...ITEMS.map((d) => `eular-acr-2019/${d}`), 'ecg-abnormality', 'serious-lung-lesion', 'menarche'];
const MEDS = [...STEROIDS.map(([n]) => n), 'hydroxychloroquine', ...new Set(IMMUNO.map((n) => (n === 'MMF' ? 'mycophenolate mofetil' : n)))];
const ATT = ['informed-consent', 'leukapheresis-eligible', 'contraception-first-year'];
const COLUMNS = [
  'id', 'birthDate', 'sex',
  ...MEAS.flatMap((c) => [c, `${c}.unit`, `${c}.date`, `${c}.uln`, ...(c === 'spo2' ? [`${c}.context`] : [])]),
  ...FIND.flatMap((c) => [`finding:${c}`, `finding:${c}.date`]),
  ...MEDS.flatMap((c) => [`medication:${c}`, `medication:${c}.frequency`, `medication:${c}.start`, `medication:${c}.end`, `medication:${c}.stopReason`]),
  ...ATT.flatMap((c) => [`attestation:${c}`, `attestation:${c}.date`, `attestation:${c}.by`]),
  'conditions',
];
const COLUMN_INDEX = new Map(COLUMNS.map((c, k) => [c, k]));
const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
function csvRow(rec) {
  const row = new Array(COLUMNS.length).fill('');
  const set = (col, v) => {
    const k = COLUMN_INDEX.get(col);
    if (k !== undefined && v !== undefined) row[k] = String(v);
  };
  set('id', rec.id); set('birthDate', rec.birthDate); set('sex', rec.sex);
  for (const m of rec.measurements) {
    const c = m.code === 'loinc:2160-0' ? 'creatinine' : m.code;
    set(c, m.value); set(`${c}.unit`, m.unit); set(`${c}.date`, m.date); set(`${c}.uln`, m.referenceRange?.high); set(`${c}.context`, m.context);
  }
  for (const f of rec.findings) {
    set(`finding:${f.code}`, f.present === false ? 'no' : 'yes'); set(`finding:${f.code}.date`, f.date);
  }
  for (const d of rec.medications) {
    const n = d.name === 'HCQ' ? 'hydroxychloroquine' : d.name === 'MMF' ? 'mycophenolate mofetil' : d.name;
    set(`medication:${n}`, d.dose ?? 'yes'); set(`medication:${n}.frequency`, d.frequency); set(`medication:${n}.start`, d.start);
    set(`medication:${n}.end`, d.end); set(`medication:${n}.stopReason`, d.stopReason);
  }
  for (const a of rec.attestations) {
    set(`attestation:${a.code}`, a.value === false ? 'no' : 'yes'); set(`attestation:${a.code}.date`, a.date); set(`attestation:${a.code}.by`, a.by);
  }
  if (rec.conditions) set('conditions', rec.conditions.map((c) => c.code).join(';'));
  return `${row.map(cell).join(',')}\n`;
}

const csv = out.endsWith('.csv');
const ws = createWriteStream(out);
if (csv) ws.write(`${COLUMNS.map(cell).join(',')}\n`);
let i = 0;
function write() {
  let ok = true;
  while (i < count && ok) {
    const rec = patient(i);
    ok = ws.write(csv ? csvRow(rec) : `${JSON.stringify(rec)}\n`);
    i++;
  }
  if (i < count) ws.once('drain', write);
  else ws.end();
}
write();
