/**
 * Output that cannot be forged (issue 11 item 8): control characters in ids, names, sources, texts,
 * reasons and diagnostics reach no human or line-oriented format raw. They become visible escapes
 * (src/visible.ts), a hostile patient produces exactly as many lines as a plain one, and the machine
 * formats (json, ndjson, junit, TAP's YAML blocks) still read back to the original strings.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPORTERS, formatDiagnosticLine, visible, type PatientResult, type ReportFormat, type ReportMeta, type ReportSummary } from '../../src/index.js';
import { formatGithub, formatSarif, formatValidateHuman, formatValidateJunit, type ValidateRun } from '../../src/language/validate-report.js';
import { formatHuman as formatTestHuman, formatJunit as formatTestJunit, formatTap as formatTestTap, type TestRun } from '../../src/language/tests-report.js';
import { XMLParser } from '../cli/xml.js';

/** Characters a record must never get onto a terminal or into a line-oriented stream. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

const HOSTILE = {
  clear: 'P\u001b[2J\u001b[H',
  link: 'x\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
  overwrite: 'P-9  ELIGIBLE\rP-1',
  newline: 'a\nok 1 - forged',
  nel: 'a\u0085b\u009b2J',
  bidi: 'abc\u202Egnp.exe\u2066x\u2069',
  sep: 'a\u2028b\u2029c',
  tab: 'a\tb\u000bc\u000cd\u007f',
};
const ALL = Object.values(HOSTILE).join(' ');

describe('visible', () => {
  it.each([
    ['plain text, ≥ µ × 😀', 'plain text, ≥ µ × 😀'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['\u001b[2J', '\\u001B[2J'],
    ['\u0007\u0000\u007f', '\\u0007\\u0000\\u007F'],
    ['\u0085\u009b', '\\u0085\\u009B'],
    ['\u202a\u202e\u2066\u2069', '\\u202A\\u202E\\u2066\\u2069'],
    ['\u2028\u2029', '\\u2028\\u2029'],
  ])('%j → %j', (input, out) => expect(visible(input)).toBe(out));

  it('returns a string without unsafe characters unchanged (the same string)', () => {
    const s = 'nothing to escape here';
    expect(visible(s)).toBe(s);
  });

  it('is idempotent and leaves no unsafe character', () => {
    for (const s of Object.values(HOSTILE)) {
      expect(visible(s)).not.toMatch(RAW);
      expect(visible(visible(s))).toBe(visible(s));
    }
  });

  it('inside JSON quotes it keeps the text: visible(JSON.stringify(s)) parses back to s', () => {
    for (const s of [...Object.values(HOSTILE), ALL]) expect(JSON.parse(visible(JSON.stringify(s)))).toBe(s);
  });
});

const meta: ReportMeta = { tool: { name: 'elig', version: '0.0.0' }, criteria: { id: 't', version: '1.0.0', sha256: 'ab'.repeat(32), title: `T ${HOSTILE.clear}` }, vocabulary: { version: '0.0.0', sha256: 'cd'.repeat(32) }, asOf: '2026-11-25' };

function patients(s: (k: keyof typeof HOSTILE) => string): PatientResult[] {
  return [
    {
      id: s('overwrite'), source: { file: `in${s('newline')}.ndjson`, line: 3 }, verdict: 'ineligible', criteria: [
        { id: 'c', kind: 'inclusion', status: 'fail', text: `T ${s('bidi')}`, reasons: [{ code: 'compare', status: 'fail', text: `code ${s('link')} ${s('sep')}` }] },
        { id: 'd', kind: 'inclusion', status: 'unknown', text: 'U', reasons: [{ code: 'missing', status: 'unknown', text: `no ${s('nel')}` }], missing: [{ item: `measurement:${s('tab')}`, description: `x ${s('clear')}` }] },
      ],
      diagnostics: [{ code: 'record/unknown-key', severity: 'warning', message: `unknown key ${s('newline')}` }],
    },
    { id: s('clear'), source: { file: s('bidi') }, verdict: 'error', criteria: [], diagnostics: [{ code: 'record/invalid', severity: 'error', message: `bad ${s('overwrite')} ${s('newline')}` }] },
  ];
}
const hostile = patients((k) => HOSTILE[k]);
const plain = patients((k) => `plain-${k}`);
const summary: ReportSummary = {
  patients: 2, verdicts: { eligible: 0, ineligible: 1, indeterminate: 0, error: 1 },
  criteria: [{ id: 'c', kind: 'inclusion', pass: 0, fail: 1, unknown: 0, not_applicable: 0 }, { id: 'd', kind: 'inclusion', pass: 0, fail: 0, unknown: 1, not_applicable: 0 }],
  funnel: [{ id: 'c', kind: 'inclusion', possiblyEligible: 0, surelyEligible: 0 }, { id: 'd', kind: 'inclusion', possiblyEligible: 0, surelyEligible: 0 }],
  worklist: [{ item: `measurement:${HOSTILE.tab}`, unblocks: 0, patients: 1, criteria: ['d'] }],
};

function render(format: ReportFormat, ps: PatientResult[], details = false): string {
  const r = REPORTERS[format]({ color: false, width: 200, details, summary: true, criteria: [{ id: 'c', kind: 'inclusion', text: 'T' }, { id: 'd', kind: 'inclusion', text: 'U' }], meta });
  return r.begin(meta) + ps.map((p) => r.patient(p) + (r.terminator ?? '')).join(r.separator ?? '') + r.end(summary);
}

const LINE_FORMATS: [ReportFormat, boolean][] = [['human', false], ['human', true], ['markdown', false], ['tap', false], ['csv', false], ['junit', false]];

describe('check reports: hostile ids, sources, texts, reasons and diagnostics', () => {
  it.each(LINE_FORMATS)('%s (details %s): no raw control character; as many lines as for plain text', (format, details) => {
    const out = render(format, hostile, details);
    const body = format === 'csv' ? out.replace(/\r\n/g, '\n') : out;
    expect(body).not.toMatch(RAW);
    expect(out.split('\n')).toHaveLength(render(format, plain, details).split('\n').length);
  });

  it('human: the overwriting id is shown escaped on its own line, before its verdict', () => {
    const out = render('human', hostile);
    expect(out).toContain('P-9  ELIGIBLE\\rP-1  INELIGIBLE');
    expect(out).toContain('P\\u001B[2J\\u001B[H  ERROR');
  });

  it('tap: a newline in a name cannot forge a test point; the YAML blocks read back to the original text', () => {
    const tap = render('tap', hostile);
    expect(tap.split('\n').filter((l) => /^\s*(not )?ok\b/.test(l))).toHaveLength(2 + 2); // 2 patients, 2 criteria
    const blocks = [...tap.matchAll(/^( *)---\n([\s\S]*?)^\1\.\.\.$/gm)].map((m) => parseYaml(m[2]!.replace(new RegExp(`^${m[1]}`, 'gm'), '')) as Record<string, unknown>);
    expect(blocks.find((b) => b.verdict === 'error')).toMatchObject({ diagnostics: [`record/invalid: bad ${HOSTILE.overwrite} ${HOSTILE.newline}`] });
    expect(blocks.some((b) => JSON.stringify(b.reasons) === JSON.stringify([`code ${HOSTILE.link} ${HOSTILE.sep}`]))).toBe(true);
  });

  it('junit: well-formed; attribute values are one line', () => {
    const doc = new XMLParser().parse(render('junit', hostile));
    const names: string[] = [];
    const walk = (e: { attributes: Record<string, string>; children: typeof e[] }) => { names.push(...Object.values(e.attributes)); e.children.forEach(walk); };
    walk(doc as never);
    for (const n of names) expect(n).not.toMatch(/[\n\r]/);
    expect(names).toContain('P-9  ELIGIBLE\\rP-1');
  });

  it.each(['json', 'ndjson'] as const)('%s: safe by escaping: no raw C0 character, every string reads back unchanged', (format) => {
    const out = render(format, hostile);
    // eslint-disable-next-line no-control-regex
    const lines = out.trimEnd().split('\n');
    // eslint-disable-next-line no-control-regex
    for (const l of lines) expect(l).not.toMatch(/[\u0000-\u001F]/);
    const parsed = format === 'json' ? JSON.parse(out) as { patients: PatientResult[] } : { patients: lines.map((l) => JSON.parse(l) as PatientResult & { type: string }).filter((x) => x.type === 'patient') };
    expect(parsed.patients.map((p) => p.id)).toEqual(hostile.map((p) => p.id));
    expect(parsed.patients[0]!.criteria[0]!.reasons[0]!.text).toBe(hostile[0]!.criteria[0]!.reasons[0]!.text);
  });
});

const validateRun: ValidateRun = {
  tool: { name: 'elig', version: '0.0.0' },
  files: [{
    file: `c${HOSTILE.newline}.yaml`, kind: 'criteria', id: 'x', version: '1.0.0',
    diagnostics: [{
      code: 'lint/unknown-code', severity: 'warning', message: `condition code "snomed:1\n::error file=a.yaml::injected${HOSTILE.clear}" is not in the vocabulary`,
      location: { file: `c${HOSTILE.newline}.yaml`, line: 8, column: 2, path: `inclusion[0]${HOSTILE.bidi}` }, hint: `hint ${HOSTILE.overwrite}`,
      frame: `> 8 | ${visible(HOSTILE.clear)}`,
    }],
  }],
};

describe('validate and test outputs', () => {
  it('a diagnostic line is one line, whatever its message, file, path and hint hold', () => {
    const line = formatDiagnosticLine(validateRun.files[0]!.diagnostics[0]!);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toMatch(RAW);
  });

  it('validate --format github: a newline in a code cannot start a workflow command', () => {
    const out = formatGithub(validateRun);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^::warning /);
    expect(out).not.toMatch(RAW);
  });

  it.each([
    ['human', () => formatValidateHuman(validateRun), 5],
    ['junit', () => formatValidateJunit(validateRun), 9],
  ])('validate %s: no raw control character, the expected line count', (_n, f, lines) => {
    const out = f();
    expect(out).not.toMatch(RAW);
    expect(out.trimEnd().split('\n')).toHaveLength(lines);
  });

  it('validate sarif: the message text is escaped and still JSON', () => {
    const log = JSON.parse(formatSarif(validateRun)) as { runs: { results: { message: { text: string } }[] }[] };
    expect(log.runs[0]!.results[0]!.message.text).not.toMatch(RAW);
  });

  const testRun: TestRun = {
    files: [{
      file: 't.test.yaml', criteria: { file: 'c.yaml', id: 'x', version: '1.0.0' }, diagnostics: [],
      cases: [
        { name: `passes${HOSTILE.newline}`, file: 't.test.yaml', line: 3, asOf: '2026-11-25', ok: true, failures: [] },
        { name: `fails\nok 3 - forged too ${HOSTILE.clear}`, file: 't.test.yaml', line: 9, asOf: '2026-11-25', ok: false,
          failures: [{ criterion: `c${HOSTILE.bidi}`, expected: 'pass', actual: 'fail', reasons: [`r ${HOSTILE.overwrite}`], missing: [`m ${HOSTILE.nel}`] }] },
      ],
    }],
  };

  it('elig test --format tap: a newline in a case name cannot forge an ok line', () => {
    const tap = formatTestTap(testRun);
    expect(tap).not.toMatch(RAW);
    const points = tap.split('\n').filter((l) => /^\s*(not )?ok\b/.test(l));
    expect(points).toHaveLength(2);
    expect(points[0]).toMatch(/^ok 1 - /);
    expect(points[1]).toMatch(/^not ok 2 - /);
  });

  it.each([
    ['human', () => formatTestHuman(testRun)],
    ['junit', () => formatTestJunit(testRun)],
  ])('elig test %s: no raw control character', (_n, f) => {
    expect(f()).not.toMatch(RAW);
  });
});
