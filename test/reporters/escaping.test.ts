/** Each format survives hostile text: CSV/formula injection, XML escaping, TAP directives, Markdown tables. */
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/reporters/csv.js';
import { xmlAttr, xmlText } from '../../src/reporters/junit.js';
import { mdCell } from '../../src/reporters/markdown.js';
import { tapDescription } from '../../src/reporters/tap.js';
import { htmlAttr, htmlText, scriptJson } from '../../src/reporters/html.js';
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

describe('html escaping', () => {
  it.each([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['bell\u0007', 'bell\uFFFD'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['pair 😀 ≥ ≤ × kept', 'pair 😀 ≥ ≤ × kept'],
  ])('text %j', (input, out) => expect(htmlText(input)).toBe(out));
  it.each([
    ['"quoted" \'single\'', '&quot;quoted&quot; &#39;single&#39;'],
    ['a<b>', 'a&lt;b&gt;'],
  ])('attribute %j', (input, out) => expect(htmlAttr(input)).toBe(out));
  it.each([
    ['</script><script>alert(1)</script>'],
    ['<!-- <script>'],
    ['a & b \u2028 \u2029'],
  ])('script JSON %j: no markup, same value back', (input) => {
    const json = scriptJson({ id: input });
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ id: input });
  });

  it('a <script> in a patient id, a reason or a diagnostic stays data: the only script elements are the report\'s own', () => {
    const SCRIPT = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const hostile: PatientResult[] = [
      { id: SCRIPT, source: { file: `${SCRIPT}.json`, record: 2 }, verdict: 'indeterminate', criteria: [
        { id: 'c', kind: 'inclusion', status: 'unknown', text: 'T', reasons: [{ code: 'missing', status: 'unknown', text: `lab text ${SCRIPT}`, observed: { item: 'x', value: SCRIPT, source: 'measurements[0]' } }], missing: [{ item: `measurement:${SCRIPT}`, description: SCRIPT }] },
      ], unmapped: [{ domain: 'medication', code: SCRIPT, name: SCRIPT, source: 'medications[0]' }] },
      { id: 'E', source: { file: 'in.json' }, verdict: 'error', criteria: [], diagnostics: [{ code: 'record/invalid', severity: 'error', message: SCRIPT }] },
    ];
    const sum: ReportSummary = {
      patients: 2, verdicts: { eligible: 0, ineligible: 0, indeterminate: 1, error: 1 },
      criteria: [{ id: 'c', kind: 'inclusion', pass: 0, fail: 0, unknown: 1, not_applicable: 0 }],
      funnel: [{ id: 'c', kind: 'inclusion', possiblyEligible: 1, surelyEligible: 0 }],
      worklist: [{ item: `measurement:${SCRIPT}`, criteria: ['c'], patients: 1, unblocks: 1 }],
      unmapped: [{ domain: 'medication', code: SCRIPT, name: SCRIPT, patients: 1, entries: 1 }],
    };
    const hostileMeta: ReportMeta = { ...meta, criteria: { ...meta.criteria, title: SCRIPT } };
    const r = REPORTERS.html({ color: false, width: 80, details: false, summary: true, criteria: [{ id: 'c', kind: 'inclusion', text: SCRIPT }], meta: hostileMeta });
    const html = r.begin(hostileMeta) + hostile.map((p) => r.patient(p)).join('') + r.end(sum);
    // the protocol, one element per patient, and the report's own script: nothing else opens a script or an img
    const opened = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(opened.map((o) => o.replace(/ data-.*>$/, '>'))).toEqual(['<script type="application/json" id="elig-protocol">', ...hostile.map(() => '<script type="application/json" class="elig-patient">'), '<script>']);
    expect(html).not.toMatch(/<img/);
    expect(html.match(/<\/script>/g)).toHaveLength(opened.length);
    // the attributes hold the id, source and missing items escaped; the JSON the reasons and diagnostics
    expect(opened[1]).toBe(`<script type="application/json" class="elig-patient" data-id="${htmlAttr(SCRIPT)}" data-src="${htmlAttr(`${SCRIPT}.json#2`)}" data-v="indeterminate" data-s="u" data-um="1" data-n="${htmlAttr(`measurement:${SCRIPT}`)}">`);
    const data = [...html.matchAll(/<script type="application\/json" class="elig-patient"[^>]*>(.*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as { c: { r: { t: string; e?: string[] }[]; m?: { d: string }[] }[]; d?: string[] });
    expect(data[0]!.c[0]!.r[0]).toEqual({ s: 'unknown', t: `lab text ${SCRIPT}`, e: [`x = ${SCRIPT} (measurements[0])`] });
    expect(data[0]!.c[0]!.m).toEqual([{ i: `measurement:${SCRIPT}`, d: SCRIPT }]);
    expect(data[1]!.d).toEqual([`error record/invalid: ${SCRIPT}`]);
    expect((data[0] as { u?: string[] }).u).toHaveLength(1);
    expect((data[0] as { u?: string[] }).u![0]).toContain(SCRIPT);
    expect(html).toContain(`<th scope="row">${htmlText(SCRIPT)}</th><td>medication</td><td>${htmlText(SCRIPT)}</td>`);
    expect(html).toContain(`<h1>Screening report: ${htmlText(SCRIPT)}</h1>`);
  });
});
