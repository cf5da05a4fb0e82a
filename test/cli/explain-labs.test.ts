/** `elig explain` wording of the lab-result, derived and graded constructs, and `elig calc` for the new calculators. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memIo } from '../helpers.js';

async function run(args: string[], files: Record<string, string> = {}) {
  const io = memIo({ files });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const FILE = `schema: elig/criteria@1
id: labs
version: 1.0.0
inclusion:
  - { id: ana, text: ANA ≥ 1:80, rule: { measurement: ana, min: "1:80" } }
  - { id: dsdna, text: anti-dsDNA positive, rule: { measurement: anti-dsdna, is: positive, cutoff: "30 [IU]/mL" } }
  - { id: hb, text: Hb ≥ LLN, rule: { measurement: haemoglobin, min: 1 x LLN } }
  - { id: tsh, text: normal, rule: { measurement: haemoglobin, normal: true } }
  - { id: csledai, text: clinical SLEDAI ≥ 4, rule: { score: sledai-2k, min: 4, excluding: [low_complement, increased_dna_binding] } }
  - { id: bilag, text: BILAG A, rule: { score: bilag-2004, grade: A, min: 1 } }
`;

describe('explain wording', () => {
  it.each([
    ['ana', 'ANA at least a titre of 1:80'],
    ['dsdna', 'anti-dsDNA positive (a number counts as positive at or above 30 [IU]/mL)'],
    ['hb', 'haemoglobin at least 1 × the lower limit of normal'],
    ['tsh', "haemoglobin within the laboratory's reference range"],
    ['csledai', 'SLEDAI-2K score (not counting low complement and increased dna binding) at least 4'],
    ['bilag', 'BILAG-2004 grade A in at least 1 organ system (within the last month)'],
  ])('%s', async (id, words) => {
    const { code, out } = await run(['explain', 'labs.yaml', '--criterion', id, '-f', 'json'], { 'labs.yaml': FILE });
    expect(code).toBe(0);
    expect(JSON.parse(out).criteria[0].plain[0]).toContain(words);
  });
});

describe('elig calc: the new calculators', () => {
  it.each([
    [['bmi', 'weight=68 kg', 'height=165 cm'], 24.98],
    [['bsa-mosteller', 'weight=80 kg', 'height=180 cm'], 2],
    [['anc', 'wbc=5000 /uL', 'neutrophils=60 %', 'bands=5 %'], 3.25],
    [['qtc-fridericia', 'qt=400 ms', 'heartRate=75 /min'], 430.89],
    [['cockcroft-gault', 'age=60', 'sex=female', 'weight=72 kg', 'creatinine=1.0 mg/dL'], 68],
    [['ecog', 'karnofsky=70'], 1],
    [['bilag-2004', 'renal=A', 'mucocutaneous=B'], 20],
  ])('%j → %s', async (args, want) => {
    const { code, out } = await run(['calc', ...args, '-f', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).value).toBeCloseTo(want, 1);
  });
  it('--list names every new calculator with its source', async () => {
    const { out } = await run(['calc', '--list', '-f', 'json']);
    const list = JSON.parse(out) as { name: string; source: string }[];
    for (const [name, cite] of [['bmi', 'Keys'], ['bsa-mosteller', 'Mosteller'], ['corrected-calcium', 'Payne'], ['qtc-fridericia', 'Fridericia'],
      ['qtc-bazett', 'Bazett'], ['upcr', 'Ginsberg'], ['cockcroft-gault', 'Cockcroft'], ['ecog', 'Oken'], ['karnofsky', 'Oken'], ['bilag-2004', 'Isenberg'], ['anc', 'WBC']]) {
      expect(list.find((c) => c.name === name)?.source, name).toContain(cite);
    }
  });
});
