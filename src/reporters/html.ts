/**
 * HTML report: one self-contained file for people (research coordinators) — inline CSS, script and
 * SVG, no network (a Content-Security-Policy forbids any fetch), opens from disk in a locked-down
 * browser. It shows the stamp, the attrition funnel as a chart with its counts, the per-criterion
 * status table, the worklist of data that would decide the indeterminate patients, and a patient
 * table (filter by verdict, by criterion status and by missing data item, search by id, sort, pages)
 * whose rows expand to every criterion with its protocol text, reasons, evidence and missing data.
 *
 * Streamed like the other reporters: `begin` writes the head and the stamp; each patient is one
 * `<script type="application/json">` element (its data, never markup) whose attributes carry what
 * the filters need (id, source, verdict, one status letter per criterion, missing data items), so
 * memory is constant per patient written, and the page reads only those attributes at load, parses a
 * patient's JSON when its row is expanded, and draws only the page of rows on screen; `end` writes
 * the summary sections (known only then) and the inline script.
 *
 * Escaping: text in markup goes through `htmlText`/`htmlAttr`; data embedded in script elements
 * through `scriptJson` (`<`, `>`, `&`, U+2028/9 as \u escapes, so no `</script>` or `<!--` can
 * appear); the inline script builds rows with textContent only, never innerHTML.
 */
import type { CriterionResult, Evidence, PatientResult, ReportMeta, ReportSummary } from '../model.js';
import { VERDICTS } from '../model.js';
import { checkedPatients, sourceLabel, unmappedText } from './common.js';
import { HTML_CLIENT, HTML_STYLE } from './html-assets.js';
import type { ProtocolCriterion, Reporter, ReporterOptions } from './types.js';

/** Text content: & < > escaped; characters HTML does not allow as text (C0 controls but tab/LF/CR, lone surrogates) replaced by U+FFFD. */
export function htmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value. */
export function htmlAttr(s: string): string {
  return htmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON to embed in a `<script type="application/json">` element: `<`, `>` and `&` only occur inside
 * JSON strings, where their \u escapes mean the same to JSON.parse, so the element's text can never
 * contain `</script` or `<!--`.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One piece of evidence on one line: `egfr = 95 mL/min/1.73m2 on 2026-11-10 (measurements[0])`. */
export function evidenceText(e: Evidence): string {
  const value = e.value === null ? 'not recorded' : String(e.value);
  return `${e.item} = ${value}${e.unit ? ` ${e.unit}` : ''}${e.date ? ` on ${e.date}` : ''}${e.source ? ` (${e.source})` : ''}`;
}

/** A criterion result as the page needs it: the protocol text and kind are written once, in `begin`. */
interface PageCriterion {
  id: string;
  s: CriterionResult['status'];
  /** Reasons: status, text, evidence lines. */
  r: { s: string; t: string; e?: string[] }[];
  /** Missing data: item and description. */
  m?: { i: string; d: string }[];
}

function pageCriterion(c: CriterionResult): PageCriterion {
  const out: PageCriterion = {
    id: c.id,
    s: c.status,
    r: c.reasons.map((r) => {
      const e: string[] = [];
      if (r.observed) e.push(evidenceText(r.observed));
      if (r.derivation) {
        e.push(`${r.derivation.calculator} (${r.derivation.method})`);
        for (const i of r.derivation.inputs) e.push(`  from ${evidenceText(i)}`);
      }
      return e.length ? { s: r.status, t: r.text, e } : { s: r.status, t: r.text };
    }),
  };
  if (c.missing?.length) out.m = c.missing.map((m) => ({ i: m.item, d: m.description }));
  return out;
}

const STATUS_LABEL = { pass: 'pass', fail: 'fail', unknown: 'unknown', not_applicable: 'n/a' } as const;
/** One letter per criterion in the `data-s` attribute (protocol order; `.` when the record has no result). */
const STATUS_CODE = { pass: 'p', fail: 'f', unknown: 'u', not_applicable: 'n' } as const;

/** The attrition funnel as an SVG bar chart: possibly eligible (light) and surely eligible (dark) after each criterion. */
export function funnelSvg(s: ReportSummary): string {
  const steps = [{ id: '(checked)', possiblyEligible: checkedPatients(s), surelyEligible: checkedPatients(s) }, ...(s.funnel ?? [])];
  const total = Math.max(1, checkedPatients(s));
  const rowH = 22;
  const labelW = 200;
  const barW = 420;
  const width = labelW + barW + 120;
  const height = steps.length * rowH + 28;
  const out = [
    `<svg class="funnel" role="img" aria-labelledby="funnel-title funnel-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`,
    '<title id="funnel-title">Attrition funnel</title>',
    `<desc id="funnel-desc">Of ${checkedPatients(s)} checked patients, ${steps.at(-1)!.possiblyEligible} remain possibly eligible and ${steps.at(-1)!.surelyEligible} surely eligible after the last criterion. The table below gives every count.</desc>`,
  ];
  steps.forEach((f, i) => {
    const y = i * rowH + 4;
    const wp = Math.round((f.possiblyEligible / total) * barW);
    const ws = Math.round((f.surelyEligible / total) * barW);
    const label = f.id.length > 28 ? `${f.id.slice(0, 27)}…` : f.id;
    out.push(
      `<g><text x="${labelW - 6}" y="${y + 15}" text-anchor="end" class="fl">${htmlText(label)}</text>`,
      `<rect x="${labelW}" y="${y + 2}" width="${wp}" height="${rowH - 6}" class="fp"/>`,
      `<rect x="${labelW}" y="${y + 2}" width="${ws}" height="${rowH - 6}" class="fs"/>`,
      `<text x="${labelW + wp + 6}" y="${y + 15}" class="fn">${f.possiblyEligible} / ${f.surelyEligible}</text></g>`,
    );
  });
  const ly = steps.length * rowH + 10;
  out.push(
    `<rect x="${labelW}" y="${ly}" width="12" height="12" class="fp"/><text x="${labelW + 18}" y="${ly + 11}" class="fn">possibly eligible</text>`,
    `<rect x="${labelW + 150}" y="${ly}" width="12" height="12" class="fs"/><text x="${labelW + 168}" y="${ly + 11}" class="fn">surely eligible</text>`,
    '</svg>',
  );
  return out.join('\n');
}

const STATUS_FOOTER = `Statuses: ${Object.entries(STATUS_LABEL).map(([k, l]) => (k === l ? k : `${l} = ${k.replace('_', ' ')}`)).join(', ')}. A verdict is ineligible if any criterion fails, indeterminate if none fails and some are unknown, eligible if all pass or do not apply; error: the record could not be read.`;

const th = (cells: readonly string[]): string => `<tr>${cells.map((c) => `<th scope="col">${c}</th>`).join('')}</tr>`;
const td = (cells: readonly (string | number)[], numeric: readonly number[] = []): string =>
  `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`)).join('')}</tr>`;

function summarySections(s: ReportSummary, protocol: readonly ProtocolCriterion[]): string {
  const out: string[] = [];
  const v = s.verdicts;
  out.push(
    '<section aria-labelledby="h-verdicts"><h2 id="h-verdicts">Verdicts</h2>',
    `<p>${s.patients} patient${s.patients === 1 ? '' : 's'} checked.</p>`,
    `<ul class="verdicts" id="verdict-counts">${VERDICTS.map((x) => `<li><span class="badge v-${x}">${x}</span> <span class="count" data-verdict="${x}">${v[x]}</span></li>`).join('')}</ul>`,
    '</section>',
  );
  let prev = checkedPatients(s);
  out.push(
    '<section aria-labelledby="h-funnel"><h2 id="h-funnel">Attrition funnel</h2>',
    '<p class="note">Checked patients (verdict not error) still possibly eligible (no criterion failed so far) and surely eligible (every criterion so far passed or not applicable), after each criterion in protocol order.</p>',
    funnelSvg(s),
    '<table id="funnel-table"><caption>Attrition funnel counts</caption><thead>',
    th(['after criterion', 'possibly eligible', 'surely eligible', 'ruled out here']),
    '</thead><tbody>',
    td(['(checked)', prev, prev, ''], [1, 2, 3]),
  );
  for (const f of s.funnel ?? []) {
    out.push(td([`${htmlText(f.id)}${f.kind === 'exclusion' ? ' <span class="kind">(exclusion)</span>' : ''}`, f.possiblyEligible, f.surelyEligible, prev - f.possiblyEligible], [1, 2, 3]));
    prev = f.possiblyEligible;
  }
  out.push('</tbody></table></section>');

  const text = new Map(protocol.map((c) => [c.id, c.text]));
  out.push(
    '<section aria-labelledby="h-criteria"><h2 id="h-criteria">Criteria</h2>',
    '<table id="criteria-table"><caption>Patients per status, per criterion (protocol order)</caption><thead>',
    th(['criterion', 'kind', 'pass', 'fail', 'unknown', 'n/a', 'protocol text']),
    '</thead><tbody>',
  );
  for (const c of s.criteria) {
    out.push(td([htmlText(c.id), c.kind, c.pass, c.fail, c.unknown, c.not_applicable, `<span class="ptext">${htmlText(text.get(c.id) ?? '')}</span>`], [2, 3, 4, 5]));
  }
  out.push('</tbody></table></section>');

  out.push(
    '<section aria-labelledby="h-worklist" id="worklist"><h2 id="h-worklist">Worklist</h2>',
    `<p class="note">Data that would decide the ${v.indeterminate} indeterminate patient${v.indeterminate === 1 ? '' : 's'}. <em>Unblocks</em>: patients for whom this item is the only missing data; <em>patients</em>: patients whose unknown criteria list it.</p>`,
    '<p class="screen-only"><button type="button" id="print-worklist">Print the worklist</button></p>',
  );
  if (!s.worklist?.length) out.push('<p>Nothing to collect.</p>');
  else {
    out.push('<table id="worklist-table"><caption>Data items to collect, most unblocking first</caption><thead>', th(['data item', 'unblocks', 'patients', 'criteria', 'patient ids']), '</thead><tbody>');
    for (const w of s.worklist) {
      out.push(`<tr data-item="${htmlAttr(w.item)}"><th scope="row">${htmlText(w.item)}</th><td class="num">${w.unblocks}</td><td class="num">${w.patients}</td><td>${w.criteria.map(htmlText).join(', ')}</td><td class="ids"></td></tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');

  if (s.unmapped?.length) {
    out.push(
      '<section aria-labelledby="h-unmapped" id="unmapped"><h2 id="h-unmapped">Unmapped record entries</h2>',
      '<p class="note">Entries that map to no concept and that no criterion names: elig could not read them. Each patient\'s are listed when its row is expanded.</p>',
      '<table id="unmapped-table"><caption>Record entries elig could not read, most patients first</caption><thead>',
      th(['code', 'domain', 'name', 'patients', 'entries']),
      '</thead><tbody>',
      ...s.unmapped.map((u) => td([htmlText(u.code), u.domain, htmlText(u.name ?? ''), u.patients, u.entries], [3, 4])),
      '</tbody></table></section>',
    );
  }
  return out.join('\n');
}

const PATIENTS_SECTION = `<section aria-labelledby="h-patients" id="patients"><h2 id="h-patients">Patients</h2>
<noscript><p>The patient table needs JavaScript; the summary above does not.</p></noscript>
<form class="controls screen-only" id="filters" role="search" aria-label="Filter patients">
<div><label for="f-search">Patient id contains</label><input id="f-search" type="search" autocomplete="off"></div>
<div><label for="f-verdict">Verdict</label><select id="f-verdict"><option value="">any</option></select></div>
<div><label for="f-criterion">Criterion</label><select id="f-criterion"><option value="">any</option></select></div>
<div><label for="f-status">with status</label><select id="f-status"><option value="">any</option><option value="pass">pass</option><option value="fail">fail</option><option value="unknown">unknown</option><option value="not_applicable">n/a</option></select></div>
<div><label for="f-needs">Needs data item</label><select id="f-needs"><option value="">any</option></select></div>
<div><label for="f-size">Rows per page</label><select id="f-size"><option>50</option><option selected>100</option><option>250</option></select></div>
<div><button type="reset" id="f-reset">Clear filters</button></div>
</form>
<p id="status-line" role="status" aria-live="polite"></p>
<table id="patient-table"><caption class="sr-only">Patients, one row each; expand a row for every criterion</caption>
<thead><tr>
<th scope="col" aria-sort="none" data-key="id"><button type="button">Patient</button></th>
<th scope="col" aria-sort="none" data-key="verdict"><button type="button">Verdict</button></th>
<th scope="col" aria-sort="none" data-key="fail"><button type="button">Failed</button></th>
<th scope="col" aria-sort="none" data-key="unknown"><button type="button">Unknown</button></th>
<th scope="col" aria-sort="ascending" data-key="order"><button type="button">Source (input order)</button></th>
</tr></thead>
<tbody></tbody></table>
<nav class="pager screen-only" aria-label="Pages"><button type="button" id="p-prev">Previous page</button> <span id="p-info"></span> <button type="button" id="p-next">Next page</button></nav>
</section>`;

export function htmlReporter(opts: Pick<ReporterOptions, 'criteria'>): Reporter {
  const index = new Map(opts.criteria.map((c, i) => [c.id, i]));
  return {
    begin(meta: ReportMeta) {
      const c = meta.criteria;
      const title = c.title ?? c.id;
      return [
        '<!doctype html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
        `<title>Screening report · ${htmlText(c.id)} v${htmlText(c.version)} · as of ${htmlText(meta.asOf)}</title>`,
        `<style>${HTML_STYLE}</style>`,
        '</head>',
        '<body>',
        '<a class="skip screen-only" href="#patients">Skip to the patients</a>',
        '<header>',
        `<h1>Screening report: ${htmlText(title)}</h1>`,
        '<dl class="stamp" id="stamp">',
        `<div><dt>Criteria</dt><dd id="stamp-criteria">${htmlText(c.id)} v${htmlText(c.version)}</dd></div>`,
        `<div><dt>SHA-256</dt><dd id="stamp-sha"><code>${htmlText(c.sha256)}</code></dd></div>`,
        `<div><dt>Vocabulary</dt><dd id="stamp-vocabulary">v${htmlText(meta.vocabulary.version)} (SHA-256 <code>${htmlText(meta.vocabulary.sha256)}</code>)</dd></div>`,
        ...(c.imports ?? []).map((i) => `<div><dt>Imports</dt><dd>${htmlText(i.path)} (SHA-256 <code>${htmlText(i.sha256)}</code>)</dd></div>`),
        `<div><dt>As of</dt><dd id="stamp-asof">${htmlText(meta.asOf)}</dd></div>`,
        `<div><dt>Tool</dt><dd id="stamp-tool">elig ${htmlText(meta.tool.version)}</dd></div>`,
        c.file ? `<div><dt>File</dt><dd>${htmlText(c.file)}</dd></div>` : '',
        '</dl>',
        '</header>',
        '<main>',
        `<script type="application/json" id="elig-protocol">${scriptJson(opts.criteria.map((x) => ({ id: x.id, kind: x.kind, text: x.text })))}</script>`,
        '',
      ].join('\n');
    },
    patient(p: PatientResult) {
      const data: Record<string, unknown> = { c: p.criteria.map(pageCriterion) };
      if (p.diagnostics?.length) data.d = p.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`);
      if (p.unmapped?.length) data.u = p.unmapped.map(unmappedText);
      // what the filters need, in attributes: the page reads these at load and parses a patient's
      // JSON only when its row is expanded
      const codes = new Array<string>(opts.criteria.length).fill('.');
      const needs = new Set<string>();
      for (const c of p.criteria) {
        const i = index.get(c.id);
        if (i !== undefined) codes[i] = STATUS_CODE[c.status];
        if (c.status === 'unknown') for (const m of c.missing ?? []) needs.add(m.item);
      }
      const src = sourceLabel(p.source);
      const attrs = `data-id="${htmlAttr(p.id)}" data-src="${htmlAttr(src)}" data-v="${p.verdict}" data-s="${codes.join('')}"${p.unmapped?.length ? ` data-um="${p.unmapped.length}"` : ''}${needs.size ? ` data-n="${htmlAttr([...needs].join('\n'))}"` : ''}`;
      return `<script type="application/json" class="elig-patient" ${attrs}>${scriptJson(data)}</script>\n`;
    },
    end(summary: ReportSummary) {
      return `${summarySections(summary, opts.criteria)}\n${PATIENTS_SECTION}\n</main>\n<footer><p>${STATUS_FOOTER}</p></footer>\n<script>${HTML_CLIENT}</script>\n</body>\n</html>\n`;
    },
  };
}
