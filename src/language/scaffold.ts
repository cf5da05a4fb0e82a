/**
 * Scaffolding criteria files (`elig init`). Pure: text and values in, file texts and diagnostics out.
 *
 * - `splitEligibility`: the free-text eligibility criteria of a registry record (ClinicalTrials.gov
 *   `eligibilityModule.eligibilityCriteria`, CommonMark) split into items: "Inclusion Criteria:" /
 *   "Exclusion Criteria:" headings (also "Key …", "Main …"), bullets (* - • +), numbering (1. 1) (1)
 *   a. i., and 1、（1） as Chinese registrations write them), nested sub-items (kept with their parent item, verbatim), run-on paragraphs with inline
 *   bullets or numbering, and lead-in lines ("Participants must meet all of the following:").
 * - `scaffoldFromStudy`: a ClinicalTrials.gov API v2 study record → a criteria file whose structured
 *   fields (minimumAge, maximumAge, sex) are rules and whose free-text items are criteria with their
 *   verbatim text and a `todo` rule, plus a test file that checks the age/sex rules.
 * - `STARTER_CRITERIA` / `STARTER_TESTS`: `elig init` without a registry record.
 */
import { diag } from '../diagnostics.js';
import type { Diagnostic } from '../model.js';

export type ItemKind = 'inclusion' | 'exclusion';

export interface EligibilityItem {
  kind: ItemKind;
  /** The item's words as written (markdown escapes removed); sub-items on their own lines as `- …`. */
  text: string;
}

export interface SplitResult {
  items: EligibilityItem[];
  /** Lines that introduce a list rather than state a criterion, kept so nothing is lost. */
  leadIns: { kind: ItemKind; text: string }[];
}

const HEADING = /^(?:[*_#\s]*)((?:key|main|major|additional|general)\s+)?(inclusion|exclusion)(?:\s+criteria|\s+criterion)?\s*:?\s*[*_]*\s*(?::\s*)?(.*)$/i;
const BULLET = /^(\s*)(?:(?:([*•·\u2022\u25AA\u25CF\u2013+-])|(\d{1,2})[.)]|\((\d{1,2})\)|([a-z])[.)]|\(([a-z])\)|([ivx]{1,4})[.)]|\(([ivx]{1,4})\))\s+|(?:(\d{1,2})[、．]|（(\d{1,2})）)\s*)(.*)$/i;

/** A heading line ("Inclusion Criteria:", "**Key Exclusion Criteria**", "Exclusion:"), with any text after its colon. */
function isHeading(line: string): RegExpExecArray | undefined {
  const h = HEADING.exec(line.replace(/^\s*[*•-]\s+/, ''));
  return h && (/criteri/i.test(line) || /^\W*(inclusion|exclusion)s?\W*:?\W*$/i.test(line)) ? h : undefined;
}

/** CommonMark backslash escapes (the registry writes `\>`, `\-`, `\*`) and emphasis markers. */
function unescapeMarkdown(s: string): string {
  return s.replace(/\\([\\`*_{}[\]()#+\-.!<>=|~^])/g, '$1');
}

const squash = (s: string): string => s.replace(/[ \t\u00A0]+/g, ' ').trim();

/** Marker family of a bullet match: symbols, numbers, letters, roman numerals. */
function family(m: RegExpExecArray): string {
  if (m[2]) return 'symbol';
  if (m[3] || m[4] || m[9] || m[10]) return 'number';
  if (m[7] || m[8]) return /^[ivx]+$/i.test(m[7] ?? m[8]!) && (m[7] ?? m[8]!).length > 1 ? 'roman' : 'letter';
  return 'letter';
}

/**
 * Split a run-on line with inline bullets (` * a * b`, ` • a • b`) or inline numbering (`1. a 2. b`,
 * `1) a; 2) b`) into one line per item; other lines are returned as they are.
 */
function splitRunOn(line: string): string[] {
  const lead = /^(\s*)([*•·])\s+/.exec(line);
  const body = lead ? line.slice(lead[0].length) : line;
  for (const sym of ['*', '•', '·']) {
    const parts = body.split(` ${sym} `);
    // three items, or a heading and its first item ("Inclusion Criteria: * Age ≥ 18"); a lone
    // ` * ` inside an item is text ("1.5 * ULN")
    if (parts.length >= 3 || (parts.length === 2 && /:\s*$/.test(parts[0]!))) {
      const indent = lead?.[1] ?? '';
      const first = parts[0]!.trim();
      return [...(first ? [lead ? `${lead[0]}${first}` : first] : []), ...parts.slice(1).map((p) => `${indent}${sym} ${p.trim()}`)];
    }
  }
  // inline numbering: the numbers must run 1, 2, 3 … for the line to be split
  const re = /(^|\s)(\d{1,2})[.)]\s+/g;
  const starts: { at: number; n: number }[] = [];
  for (let m = re.exec(line); m; m = re.exec(line)) starts.push({ at: m.index + m[1]!.length, n: Number(m[2]) });
  const run: number[] = [];
  for (const s of starts) if (s.n === run.length + 1) run.push(s.at);
  if (run.length >= 2) {
    const out: string[] = [];
    if (line.slice(0, run[0]).trim()) out.push(line.slice(0, run[0]).trim());
    run.forEach((at, i) => out.push(line.slice(at, run[i + 1]).trim().replace(/[;,]$/, '')));
    return out;
  }
  return [line];
}

export function splitEligibility(raw: string): SplitResult {
  // a heading in the middle of a run-on paragraph starts a line of its own
  const text = unescapeMarkdown(raw.replace(/\r\n?/g, '\n'))
    .replace(/([^\n])[ \t]+(?<!\b(?:key|main|major)[ \t]+)((?:(?:key|main|major)\s+)?(?:inclusion|exclusion)\s+criteria\s*:)/gi, '$1\n$2');
  const items: EligibilityItem[] = [];
  const leadIns: SplitResult['leadIns'] = [];
  let kind: ItemKind = 'inclusion';
  let cur: { kind: ItemKind; head: string; subs: string[]; indent: number; family: string } | undefined;
  let blank = false;
  let topFamily: string | undefined;
  const flush = () => {
    if (!cur) return;
    const head = squash(cur.head);
    if (head || cur.subs.length) items.push({ kind: cur.kind, text: [head, ...cur.subs.map((s) => `- ${squash(s)}`)].filter(Boolean).join('\n') });
    cur = undefined;
  };
  const lines = text.split('\n').flatMap((l) => splitRunOn(l));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) {
      blank = true;
      continue;
    }
    const h = isHeading(line);
    if (h) {
      flush();
      kind = h[2]!.toLowerCase() as ItemKind;
      topFamily = undefined;
      blank = false;
      if (h[3]?.trim()) lines.splice(i + 1, 0, h[3]);
      continue;
    }
    const b = BULLET.exec(line);
    if (b) {
      const indent = b[1]!.replace(/\t/g, '    ').length;
      const fam = family(b);
      const body = b[11]!;
      const isSub = cur !== undefined && (indent > cur.indent + 1 || (fam !== topFamily && (cur.subs.length > 0 || /:\s*$/.test(cur.head))));
      if (isSub) cur!.subs.push(body);
      else {
        flush();
        topFamily ??= fam;
        cur = { kind, head: body, subs: [], indent, family: fam };
      }
      blank = false;
      continue;
    }
    // plain text: a continuation of the item (same paragraph, or indented under it), else a paragraph of its own
    const indented = /^\s{2,}/.test(line);
    if (cur && (!blank || indented)) {
      if (cur.subs.length) cur.subs[cur.subs.length - 1] += ` ${line.trim()}`;
      else cur.head += ` ${line.trim()}`;
      blank = false;
      continue;
    }
    flush();
    const next = lines.slice(i + 1).find((l) => l.trim());
    if (/:\s*$/.test(line) && next !== undefined && (BULLET.test(next) || isHeading(next))) {
      leadIns.push({ kind, text: squash(line) });
    } else {
      // a paragraph without bullets: one item, or one per clause when it lists them with semicolons
      const clauses = splitClauses(squash(line));
      clauses.forEach((c) => items.push({ kind, text: c }));
    }
    blank = false;
  }
  flush();
  return { items, leadIns };
}

/** `a; b; c` (at least two semicolons outside brackets) → three clauses; anything else stays whole. */
function splitClauses(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    else if (ch === ';' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  const parts = out.filter(Boolean);
  return parts.length >= 3 ? parts : [s];
}

const STOP = new Set(['a', 'an', 'the', 'of', 'with', 'and', 'or', 'to', 'in', 'for', 'on', 'at', 'by', 'be', 'is', 'are', 'was', 'were', 'who', 'has', 'have', 'had', 'must', 'should', 'will', 'patient', 'patients', 'subject', 'subjects', 'participant', 'participants', 'any', 'that', 'as', 'per', 'from', 'their', 'his', 'her', 'than', 'within', 'into', 'not', 'no']);

/** An id from an item's text: its first significant words, lower-case kebab-case, at most 40 characters. */
export function idFromText(text: string): string {
  const words = text
    .split('\n')[0]!
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !STOP.has(w));
  let id = '';
  for (const w of words) {
    const next = id ? `${id}-${w}` : w;
    if (next.length > 40) break;
    id = next;
    if (id.split('-').length >= 6) break;
  }
  return id || 'criterion';
}

/** Unique ids: a repeated id gets -2, -3 … */
function uniqueIds(bases: readonly string[], taken: Set<string>): string[] {
  return bases.map((b) => {
    let id = b;
    for (let n = 2; taken.has(id); n++) id = `${b}-${n}`;
    taken.add(id);
    return id;
  });
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
const q = (s: string): string => JSON.stringify(s);

/** "5 Years" → `5 a`; "6 Months" → `6 mo`; weeks, days, hours and minutes cannot be an age rule in years or months. */
export function registryAge(s: string | undefined): { threshold?: string; text?: string } {
  if (!s || /^\s*n\/?a\s*$/i.test(s)) return {};
  const m = /^\s*(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|hours?|minutes?)\s*$/i.exec(s);
  if (!m) return { text: s };
  const unit = m[2]!.toLowerCase();
  if (unit.startsWith('year')) return { threshold: `${m[1]} a`, text: s };
  if (unit.startsWith('month')) return { threshold: `${m[1]} mo`, text: s };
  return { text: s };
}

export interface StudyScaffold {
  id: string;
  criteria: string;
  tests: string;
  /** Counts for the command's summary line. */
  counts: { inclusion: number; exclusion: number; todo: number };
  diagnostics: Diagnostic[];
}

const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);
const str = (o: unknown, ...path: string[]): string | undefined => {
  const v = get(o, ...path);
  return typeof v === 'string' && v.trim() ? v : undefined;
};

/**
 * A criteria file and its test file from a ClinicalTrials.gov API v2 study record (one study, or a
 * `{ studies: [one] }` search answer). Undefined with diagnostics when the value is not a study record.
 */
export function scaffoldFromStudy(value: unknown, file: string): StudyScaffold | { diagnostics: Diagnostic[] } {
  const studies = get(value, 'studies');
  const study = Array.isArray(studies) && studies.length === 1 ? studies[0] : value;
  const ps = get(study, 'protocolSection');
  const nct = str(ps, 'identificationModule', 'nctId');
  if (!ps || !nct) {
    return { diagnostics: [diag('registry/invalid-study', `${file} is not a ClinicalTrials.gov study record (API v2 JSON: protocolSection.identificationModule.nctId is missing)`, { file }, { hint: 'save the record of one study: https://clinicaltrials.gov/api/v2/studies/<NCT id>' })] };
  }
  const diagnostics: Diagnostic[] = [];
  const em = get(ps, 'eligibilityModule');
  const title = str(ps, 'identificationModule', 'briefTitle') ?? str(ps, 'identificationModule', 'officialTitle');
  const versionDate = str(study, 'derivedSection', 'miscInfoModule', 'versionHolder') ?? str(ps, 'statusModule', 'lastUpdateSubmitDate');
  const phases = get(ps, 'designModule', 'phases');
  const phase = Array.isArray(phases) ? phases.filter((p): p is string => typeof p === 'string').map((p) => p.replace(/^EARLY_PHASE1$/, 'early 1').replace(/^PHASE/, '').replace(/^NA$/, 'n/a')).join('/') : undefined;
  const sex = str(em, 'sex')?.toUpperCase();
  const minAge = registryAge(str(em, 'minimumAge'));
  const maxAge = registryAge(str(em, 'maximumAge'));
  const hv = get(em, 'healthyVolunteers');
  const criteriaText = str(em, 'eligibilityCriteria');
  if (!criteriaText) diagnostics.push(diag('registry/no-criteria', `${nct}: the record has no eligibilityCriteria text; only the structured fields were turned into criteria`, { file }));
  const split: SplitResult = criteriaText ? splitEligibility(criteriaText) : { items: [], leadIns: [] };
  const id = nct.toLowerCase();

  // structured fields → rules
  const taken = new Set<string>();
  const structured: string[] = [];
  let todo = 0;
  let hasAge = false;
  if (minAge.text || maxAge.text) {
    const parts = [minAge.text ? `minimum age ${minAge.text}` : '', maxAge.text ? `maximum age ${maxAge.text}` : ''].filter(Boolean).join(', ');
    const ok = (!minAge.text || minAge.threshold) && (!maxAge.text || maxAge.threshold);
    const bounds = [minAge.threshold ? `min: ${minAge.threshold}` : '', maxAge.threshold ? `max: ${maxAge.threshold}` : ''].filter(Boolean).join(', ');
    structured.push(
      '  - id: age',
      `    text: ${q(`Registry: ${parts}.`)}`,
      ok ? `    rule: { fact: age, ${bounds} }` : `    rule: { todo: ${q(`age limits in weeks or days (${parts}): write them in months or years`)} }`,
      '',
    );
    if (!ok) todo++;
    hasAge = true;
    taken.add('age');
  }
  let sexRule: string | undefined;
  if (sex === 'FEMALE' || sex === 'MALE') {
    sexRule = sex.toLowerCase();
    structured.push('  - id: sex', `    text: ${q(`Registry: sex ${sexRule}.`)}`, `    rule: { fact: sex, is: ${sexRule} }`, '');
    taken.add('sex');
  }

  const out: string[] = [
    `# ${nct}${title ? ` — ${title}` : ''}`,
    `# Scaffolded by \`elig init --from ${file}\` from the ClinicalTrials.gov record${versionDate ? ` version of ${versionDate}` : ''}.`,
    '# The registry\'s structured fields (age, sex) are rules; every item of the free-text criteria is a',
    '# criterion with its verbatim text and a `todo` rule: unknown for every patient (never pass) until',
    '# the rule is written. `elig validate` lists each to-do (an error with --strict).',
    'schema: elig/criteria@1',
    `id: ${id}`,
    'version: 0.1.0',
    ...(title ? [`title: ${q(title)}`] : []),
    'registry:',
    `  id: ${nct}`,
    ...(title ? [`  title: ${q(title)}`] : []),
    ...(phase ? [`  phase: ${q(phase)}`] : []),
    ...(sex ? [`  sex: ${sex === 'FEMALE' ? 'female' : sex === 'MALE' ? 'male' : 'all'}`] : []),
    ...(minAge.text ? [`  minimumAge: ${q(minAge.text)}`] : []),
    ...(maxAge.text ? [`  maximumAge: ${q(maxAge.text)}`] : []),
    ...(typeof hv === 'boolean' ? [`  healthyVolunteers: ${hv}`] : []),
    ...(versionDate ? [`  versionDate: ${q(versionDate)}`] : []),
    '',
  ];
  const counts = { inclusion: 0, exclusion: 0, todo };
  // a file needs one criterion: a record with neither limits nor text gets one to write
  if (!structured.length && !split.items.length) split.items.push({ kind: 'inclusion', text: 'The registry record states no eligibility criteria: write them from the protocol.' });
  for (const kind of ['inclusion', 'exclusion'] as const) {
    const items = split.items.filter((x) => x.kind === kind);
    const ids = uniqueIds(items.map((x) => idFromText(x.text)), taken);
    const body: string[] = kind === 'inclusion' ? [...structured] : [];
    for (const l of split.leadIns.filter((x) => x.kind === kind)) body.push(`  # registry: ${l.text}`);
    items.forEach((x, i) => {
      body.push(`  - id: ${ids[i]}`, `    text: ${q(x.text)}`, '    rule: { todo: "write the rule from the text" }', '');
      counts.todo++;
    });
    counts[kind] = body.filter((l) => l.startsWith('  - id:')).length;
    if (!body.length) out.push(`${kind}: []`, '');
    else out.push(`${kind}:`, ...body);
  }
  const tests = studyTests(id, { min: minAge.threshold, max: maxAge.threshold, hasAge, sex: sexRule });
  return { id, criteria: `${out.join('\n').trimEnd()}\n`, tests, counts, diagnostics };
}

/** A birth date `years` before 2026-01-01 (test files carry their own asOf). */
const born = (years: number): string => `${2026 - years}-01-01`;

function studyTests(id: string, a: { min: string | undefined; max: string | undefined; hasAge: boolean; sex: string | undefined }): string {
  const years = (t: string | undefined): number | undefined => {
    if (!t) return undefined;
    const [v, u] = t.split(' ');
    return u === 'mo' ? Number(v) / 12 : Number(v);
  };
  const lo = years(a.min);
  const hi = years(a.max);
  const inside = lo !== undefined ? Math.ceil(lo) + 1 : hi !== undefined ? Math.max(0, Math.floor(hi) - 1) : 30;
  const sex = a.sex ?? 'female';
  const other = a.sex === 'female' ? 'male' : 'female';
  const cases: string[] = [];
  const expect = (checks: string[]) => (checks.length ? checks : ['verdict: indeterminate']);
  const inCase: string[] = [];
  if (lo !== undefined || hi !== undefined) inCase.push('age: pass');
  if (a.sex) inCase.push('sex: pass');
  cases.push(
    '  - name: within the registry\'s age and sex limits (the to-do criteria stay unknown)',
    `    patient: { id: T-IN, birthDate: "${born(inside)}", sex: ${sex} }`,
    '    expect:',
    '      verdict: indeterminate',
    ...(inCase.length ? ['      criteria:', ...inCase.map((c) => `        ${c}`)] : []),
  );
  if (lo !== undefined && lo >= 1) {
    cases.push(
      '  - name: younger than the minimum age',
      `    patient: { id: T-YOUNG, birthDate: "${born(Math.max(0, Math.floor(lo) - 1))}", sex: ${sex} }`,
      '    expect:', '      verdict: ineligible', '      criteria:', '        age: fail',
    );
  }
  if (hi !== undefined) {
    cases.push(
      '  - name: older than the maximum age',
      `    patient: { id: T-OLD, birthDate: "${born(Math.floor(hi) + 2)}", sex: ${sex} }`,
      '    expect:', '      verdict: ineligible', '      criteria:', '        age: fail',
    );
  }
  if (a.sex) {
    cases.push(
      `  - name: not ${a.sex}`,
      `    patient: { id: T-SEX, birthDate: "${born(inside)}", sex: ${other} }`,
      '    expect:', '      verdict: ineligible', '      criteria:', '        sex: fail',
    );
  }
  if (!a.hasAge && !a.sex) {
    cases.push('  - name: a patient with no data', '    patient: { id: T-EMPTY }', '    expect:', ...expect([]).map((l) => `      ${l}`));
  }
  return [
    `# Tests of ${id}.yaml (scaffolded by elig init): the registry's age and sex limits. Add a case for`,
    '# every rule you write: elig test --coverage shows which outcomes the cases reach.',
    'schema: elig/tests@1',
    'asOf: 2026-01-01',
    'cases:',
    ...cases,
    '',
  ].join('\n');
}

/** `elig init` without a registry record: a commented starter criteria file (id `my-trial`). */
export const STARTER_CRITERIA = `# A starter criteria file written by \`elig init\`: edit it into your trial's criteria.
#   elig validate my-trial.yaml        schema, references and lint
#   elig test my-trial.test.yaml       the cases in my-trial.test.yaml
#   elig explain my-trial.yaml         the criteria in plain language
#   elig check -c my-trial.yaml patients/ --format html -o report.html
# Each criterion has the protocol's own words (text) and a rule. elig reports pass / fail / unknown /
# not_applicable per criterion with its reasons; data a rule needs but the record lacks is unknown,
# never a silent pass. A rule you have not written yet can be { todo: "what to write" }.
schema: elig/criteria@1        # the criteria language version
id: my-trial                   # lower-case kebab-case; every report is stamped with it
version: 0.1.0                 # bump it (semver) with every protocol amendment
title: My trial
defaults:
  lookback: 28 d               # how old a measurement may be, unless a rule says otherwise

inclusion:
  - id: age
    text: "Age ≥ 18 years."
    rule: { fact: age, min: 18 a }   # completed years at the as-of date

  - id: renal-function
    text: "eGFR ≥ 30 mL/min/1.73 m²."
    # derived from serum creatinine when no eGFR is recorded; units are converted (UCUM)
    rule: { measurement: egfr, min: "30 mL/min/{1.73_m2}" }

  - id: informed-consent
    text: "The participant has signed the informed consent form."
    # a statement: unknown until the record says it was made
    rule: { attestation: informed-consent }

exclusion:
  # an exclusion's rule describes the excluding condition: when it holds, the criterion fails
  - id: pregnancy
    text: "Pregnant or breastfeeding."
    when: { fact: childbearing-potential }   # otherwise not_applicable
    rule:
      any:
        - { measurement: hcg, is: positive, within: 7 d }
        - { condition: [pregnancy, breastfeeding], active: true }
`;

/** The starter's test file: one case per verdict. */
export const STARTER_TESTS = `# Tests of my-trial.yaml, written by \`elig init\`: a patient (inline, or the path of a JSON/YAML
# record), an as-of date, and the expected verdict and statuses. Run: elig test my-trial.test.yaml --coverage
schema: elig/tests@1
asOf: 2026-01-15
cases:
  - name: adult with a recent eGFR and consent
    patient:
      id: T-1
      birthDate: "1980-05-01"
      sex: male
      measurements:
        - { code: egfr, value: 75, unit: "mL/min/{1.73_m2}", date: "2026-01-10" }
      attestations:
        - { code: informed-consent, date: "2026-01-12" }
    expect:
      verdict: eligible
      criteria: { age: pass, renal-function: pass, informed-consent: pass, pregnancy: not_applicable }
  - name: too young
    patient: { id: T-2, birthDate: "2010-05-01", sex: male }
    expect:
      verdict: ineligible
      criteria: { age: fail }
  - name: pregnant (a positive hCG this week) excludes
    patient:
      id: T-4
      birthDate: "1995-02-01"
      sex: female
      findings: [{ code: menarche, date: "2008-01-01" }]
      measurements: [{ code: hcg, value: positive, date: "2026-01-12" }]
    expect:
      verdict: ineligible
      criteria: { pregnancy: fail }
  - name: no eGFR on record is unknown, never a pass
    patient: { id: T-3, birthDate: "1980-05-01", sex: male, attestations: [{ code: informed-consent, date: "2026-01-12" }] }
    expect:
      verdict: indeterminate
      criteria: { renal-function: unknown }
`;
