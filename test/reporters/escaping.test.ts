/** Each format survives hostile text: CSV/formula injection, XML escaping, TAP directives, Markdown tables. */
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/reporters/csv.js';
import { xmlAttr, xmlText } from '../../src/reporters/junit.js';
import { mdCell } from '../../src/reporters/markdown.js';
import { tapDescription } from '../../src/reporters/tap.js';
import { REPORTERS, type PatientResult, type ReportFormat, type ReportMeta, type ReportSummary } from '../../src/index.js';

describe('csvCell (RFC 4180, formula injection)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', 'two\\nlines'], // one row per line: the line break is a visible escape (visible.ts)
    ['=1+2', "'=1+2"],
    ['+44 20', "'+44 20"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\\t=cmd"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    [' padded ', '" padded "'],
    ['a-b', 'a-b'],
  ])('%j → %j', (input, out) => expect(csvCell(input)).toBe(out));
});

describe('xml escaping', () => {
  it.each([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['bell\u0007', 'bell\uFFFD'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['pair 😀 kept', 'pair 😀 kept'],
  ])('text %j', (input, out) => expect(xmlText(input)).toBe(out));
  it.each([
    ['"quoted" \'single\'', '&quot;quoted&quot; &apos;single&apos;'],
    ['line\nbreak\ttab', 'line&#10;break&#9;tab'],
  ])('attribute %j', (input, out) => expect(xmlAttr(input)).toBe(out));
});

describe('tapDescription', () => {
  it.each([
    ['P-1', 'P-1'],
    ['a # SKIP b', 'a \\# SKIP b'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\\\nlines'], // visible escape \n, its backslash escaped for TAP
  ])('%j → %j', (input, out) => expect(tapDescription(input)).toBe(out));
});

describe('mdCell', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['<script>', '&lt;script&gt;'],
    ['*bold* _em_ `code` [link](x)', '\\*bold\\* \\_em\\_ \\`code\\` \\[link\\](x)'],
    ['two\nlines', 'two\\\\nlines'], // the visible escape \n, its backslash escaped for Markdown
  ])('%j → %j', (input, out) => expect(mdCell(input)).toBe(out));
});

// one hostile patient through every machine-readable format
const EVIL = '=cmd|\'/C calc\'!A0 <b>&"# SKIP\\';
const meta: ReportMeta = { tool: { name: 'elig', version: '0.0.0' }, criteria: { id: 't', version: '1.0.0', sha256: 'ab'.repeat(32) }, vocabulary: { version: '0.0.0', sha256: 'cd'.repeat(32) }, asOf: '2026-11-25' };
const patients: PatientResult[] = [
  { id: EVIL, source: { file: 'in,1.csv', record: 2 }, verdict: 'ineligible', criteria: [
    { id: 'c', kind: 'inclusion', status: 'fail', text: 'T <&>', reasons: [{ code: 'compare', status: 'fail', text: `${EVIL} reason` }] },
    { id: 'd', kind: 'inclusion', status: 'unknown', text: 'U', reasons: [{ code: 'missing', status: 'unknown', text: 'no "x"' }], missing: [{ item: 'measurement:x', description: 'x <now>' }] },
  ] },
  { id: 'E', source: { file: 'in.json' }, verdict: 'error', criteria: [], diagnostics: [{ code: 'record/invalid', severity: 'error', message: `bad ${EVIL}` }] },
];
const summary: ReportSummary = {
  patients: 2, verdicts: { eligible: 0, ineligible: 1, indeterminate: 0, error: 1 },
  criteria: [{ id: 'c', kind: 'inclusion', pass: 0, fail: 1, unknown: 0, not_applicable: 0 }, { id: 'd', kind: 'inclusion', pass: 0, fail: 0, unknown: 1, not_applicable: 0 }],
  funnel: [{ id: 'c', kind: 'inclusion', possiblyEligible: 0, surelyEligible: 0 }, { id: 'd', kind: 'inclusion', possiblyEligible: 0, surelyEligible: 0 }],
  worklist: [],
};
function render(format: ReportFormat): string {
  const r = REPORTERS[format]({ color: false, width: 80, details: false, summary: true, criteria: [{ id: 'c', kind: 'inclusion', text: 'T' }, { id: 'd', kind: 'inclusion', text: 'U' }], meta });
  return r.begin(meta) + patients.map((p) => r.patient(p) + (r.terminator ?? '')).join(r.separator ?? '') + r.end(summary);
}

/** Minimal RFC 4180 reader, enough to check the shape of our own output. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  return rows;
}

/** Well-formedness essentials: balanced elements, no raw < or stray & in text or attributes. */
function checkXml(xml: string): void {
  const stack: string[] = [];
  const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z]+)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g)) {
    const [, close, name, attrs, selfClose, text] = m;
    const content = text ?? attrs ?? '';
    expect(content.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toMatch(/[&<]/);
    if (!name) continue;
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(stack).toEqual([]);
  expect(body.replace(/<(\/?)([A-Za-z]+)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|[^<]+/g, '')).toBe('');
}

describe('hostile ids and text in every format', () => {
  it('csv: every row has the header\'s column count and no cell starts a formula', () => {
    const rows = parseCsv(render('csv').replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows[1]!.slice(0, 5)).toEqual([`'${EVIL}`, 'ineligible', 'in,1.csv#2', 'fail', 'unknown']);
  });

  it('junit: well-formed, one suite per patient, counts match', () => {
    const xml = render('junit');
    checkXml(xml);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toMatch(/tests="2" failures="1" errors="0" skipped="1"/);
    expect(xml).toMatch(/tests="1" failures="0" errors="1" skipped="0"/);
  });

  it('tap: the id cannot become a directive; one correlated test point per patient; plan last', () => {
    const tap = render('tap');
    const top = tap.split('\n').filter((l) => /^(not )?ok /.test(l));
    expect(top).toHaveLength(2);
    expect(top[0]).not.toMatch(/[^\\]# SKIP/);
    expect(tap.trimEnd().split('\n').at(-1)).toBe('1..2');
    expect(tap.startsWith('TAP version 14\n')).toBe(true);
  });

  it('ndjson: every line parses; meta first, summary last, one patient line per patient', () => {
    const lines = render('ndjson').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string });
    expect(lines.map((l) => l.type)).toEqual(['meta', 'patient', 'patient', 'summary']);
    expect(lines[1]!.id).toBe(EVIL);
  });

  it('markdown: every table row has its header\'s cell count', () => {
    const md = render('markdown');
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const ls = block.split('\n').filter(Boolean);
      for (const l of ls) expect(cells(l), l).toBe(cells(ls[0]!));
    }
    expect(rows.some((l) => l.includes('<b>'))).toBe(false);
  });
});
