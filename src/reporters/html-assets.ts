/**
 * The inline style sheet and script of the HTML report (see html.ts). Plain strings: the report must
 * work offline with nothing but itself. The script reads the protocol and the patients from their
 * `application/json` elements, and builds only the rows of the current page, with textContent
 * (never innerHTML), so a record's text can never become markup.
 * Colours: every text/background pair has a contrast ratio of at least 4.5:1 (WCAG 2 AA).
 */

export const HTML_STYLE = String.raw`
:root { color-scheme: light; --fg: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --focus: #1d4ed8; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; margin: 0 auto; padding: 0 1.25rem 2rem; max-width: 80rem; }
h1 { font-size: 1.5rem; margin: 1.25rem 0 .5rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; border-bottom: 2px solid var(--fg); padding-bottom: .15rem; }
.stamp { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0; font-size: .9rem; }
.stamp div { display: flex; gap: .4rem; }
.stamp dt { font-weight: 600; }
.stamp dd { margin: 0; overflow-wrap: anywhere; }
.note { color: var(--muted); max-width: 60rem; }
table { border-collapse: collapse; margin: .5rem 0; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--fg); white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.kind { color: var(--muted); font-weight: normal; }
.ptext { color: var(--muted); font-weight: normal; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .85rem; font-weight: 600; white-space: nowrap; }
.s-pass, .v-eligible { background: #d7f0dc; color: #0b5d1e; }
.s-fail, .v-ineligible { background: #fbd9d7; color: #8a1108; }
.s-unknown, .v-indeterminate { background: #fff1c2; color: #5c4100; }
.s-not_applicable { background: #e8e8e8; color: #333; }
.v-error { background: #eedcf5; color: #5e1a7a; }
.verdicts { list-style: none; padding: 0; display: flex; gap: 1.5rem; flex-wrap: wrap; }
.verdicts .count { font-weight: 600; font-size: 1.1rem; }
svg.funnel { max-width: 52rem; display: block; font: 12px system-ui, sans-serif; }
svg .fl, svg .fn { fill: #1a1a1a; }
svg .fp { fill: #a9cbeb; }
svg .fs { fill: #1f5f99; }
button, input, select { font: inherit; color: var(--fg); }
button { background: #f3f3f3; border: 1px solid #595959; border-radius: .25rem; padding: .15rem .6rem; cursor: pointer; }
button:hover { background: #e4e4e4; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
input, select { border: 1px solid #595959; border-radius: .25rem; padding: .15rem .35rem; background: #fff; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: .5rem 0; }
.controls div { display: flex; flex-direction: column; font-size: .9rem; }
.controls label { font-weight: 600; }
thead th button { background: none; border: 0; padding: 0; font-weight: 700; text-decoration: underline dotted; }
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
button.expand { background: none; border: 0; padding: 0; font-weight: 600; text-align: left; }
button.expand::before { content: "\25B8  "; }
button.expand[aria-expanded="true"]::before { content: "\25BE  "; }
tr.detail > td { background: #fafafa; padding: .25rem .5rem .75rem 1.5rem; }
tr.detail table { font-size: .92rem; }
tr.detail ul { margin: 0; padding-left: 1.1rem; }
.ev { display: block; color: var(--muted); font-size: .85rem; white-space: pre-wrap; }
.ids { font-size: .85rem; overflow-wrap: anywhere; }
.pager { display: flex; align-items: center; gap: .75rem; margin: .5rem 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  .screen-only, .skip, noscript { display: none !important; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  thead th button { text-decoration: none; }
  th[aria-sort] button::after, button.expand::before { content: none; }
  .badge { border: 1px solid currentColor; }
  body.print-worklist main > section:not(#worklist), body.print-worklist footer { display: none; }
}
`;

/** The inline script (ES2017, no template literals: it lives in one). */
export const HTML_CLIENT = String.raw`
(function () {
  'use strict';
  var T0 = performance.now();
  var VERDICTS = ['eligible', 'ineligible', 'indeterminate', 'error'];
  var LABEL = { pass: 'pass', fail: 'fail', unknown: 'unknown', not_applicable: 'n/a' };
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  var protocol = JSON.parse($('elig-protocol').textContent);
  var proto = {};
  protocol.forEach(function (c) { proto[c.id] = c; });

  // what the filters need comes from each patient element's attributes; its JSON is parsed only
  // when its row is expanded
  var CODE_OF = { pass: 'p', fail: 'f', unknown: 'u', not_applicable: 'n' };
  var index = {};
  protocol.forEach(function (c, i) { index[c.id] = i; });
  var nodes = document.querySelectorAll('script.elig-patient');
  var patients = new Array(nodes.length);
  for (var i = 0; i < nodes.length; i++) {
    var node = nodes[i], s = node.getAttribute('data-s') || '', fails = [], unknowns = [], needs = {};
    for (var j = 0; j < s.length; j++) {
      var ch = s.charAt(j);
      if (ch === 'f') fails.push(protocol[j].id);
      else if (ch === 'u') unknowns.push(protocol[j].id);
    }
    var n = node.getAttribute('data-n');
    if (n) n.split('\n').forEach(function (item) { needs[item] = true; });
    var id = node.getAttribute('data-id'), v = node.getAttribute('data-v');
    var um = Number(node.getAttribute('data-um') || 0);
    patients[i] = { node: node, p: null, id: id, um: um, src: node.getAttribute('data-src'), verdict: v, s: s, order: i, fails: fails, unknowns: unknowns, needs: needs, key: id.toLowerCase(), v: VERDICTS.indexOf(v) };
  }
  function data(x) { return x.p || (x.p = JSON.parse(x.node.textContent)); }

  var form = $('filters'), tbody = document.querySelector('#patient-table tbody');
  var f = { q: $('f-search'), verdict: $('f-verdict'), criterion: $('f-criterion'), status: $('f-status'), needs: $('f-needs'), size: $('f-size') };
  VERDICTS.forEach(function (v) { f.verdict.appendChild(new Option(v, v)); });
  protocol.forEach(function (c) { f.criterion.appendChild(new Option(c.id + (c.kind === 'exclusion' ? ' (exclusion)' : ''), c.id)); });

  // worklist: the ids of the indeterminate patients that need each item, and the "needs" filter
  var rows = document.querySelectorAll('#worklist-table tbody tr');
  for (var r = 0; r < rows.length; r++) {
    var item = rows[r].getAttribute('data-item');
    f.needs.appendChild(new Option(item, item));
    var ids = [];
    for (var n = 0; n < patients.length; n++) if (patients[n].verdict === 'indeterminate' && patients[n].needs[item]) ids.push(patients[n].id);
    var cell = rows[r].querySelector('td.ids');
    cell.textContent = ids.slice(0, 40).join(', ') + (ids.length > 40 ? ' and ' + (ids.length - 40) + ' more' : '');
    var show = el('button', 'screen-only', 'show');
    show.type = 'button';
    show.setAttribute('aria-label', 'show the indeterminate patients who need ' + item);
    show.setAttribute('data-item', item);
    show.addEventListener('click', function (ev) {
      form.reset();
      f.verdict.value = 'indeterminate';
      f.needs.value = ev.currentTarget.getAttribute('data-item');
      state.page = 0;
      apply();
      $('h-patients').scrollIntoView();
    });
    cell.appendChild(document.createTextNode(' '));
    cell.appendChild(show);
  }

  var state = { key: 'order', dir: 1, page: 0 };
  var expanded = {};
  var shown = patients;

  function matches(x) {
    var q = f.q.value.trim().toLowerCase();
    if (q && x.key.indexOf(q) < 0) return false;
    if (f.verdict.value && x.verdict !== f.verdict.value) return false;
    var crit = f.criterion.value, status = f.status.value;
    var at = crit ? x.s.charAt(index[crit]) : '';
    if (crit && status && at !== CODE_OF[status]) return false;
    if (crit && !status && (at === '' || at === '.')) return false;
    if (!crit && status && x.s.indexOf(CODE_OF[status]) < 0) return false;
    if (f.needs.value && !x.needs[f.needs.value]) return false;
    return true;
  }

  var SORT = {
    order: function (a, b) { return a.order - b.order; },
    id: function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : a.order - b.order; },
    verdict: function (a, b) { return a.v - b.v || a.order - b.order; },
    fail: function (a, b) { return a.fails.length - b.fails.length || a.order - b.order; },
    unknown: function (a, b) { return a.unknowns.length - b.unknowns.length || a.order - b.order; }
  };

  function apply() {
    shown = patients.filter(matches);
    var cmp = SORT[state.key];
    if (state.key !== 'order' || state.dir !== 1) shown.sort(function (a, b) { return state.dir * cmp(a, b); });
    var heads = document.querySelectorAll('#patient-table thead th');
    for (var h = 0; h < heads.length; h++) {
      heads[h].setAttribute('aria-sort', heads[h].getAttribute('data-key') === state.key ? (state.dir === 1 ? 'ascending' : 'descending') : 'none');
    }
    render();
  }

  function badge(cls, text) { return el('span', 'badge ' + cls, text); }

  function detail(x, id) {
    var p = data(x);
    var tr = el('tr', 'detail');
    tr.id = id;
    var td = el('td');
    td.colSpan = 5;
    if (p.u) {
      td.appendChild(el('p', 'unread', 'Record entries elig could not read (they map to no concept):'));
      var uu = el('ul', 'unmapped');
      p.u.forEach(function (u) { uu.appendChild(el('li', '', u)); });
      td.appendChild(uu);
    }
    if (p.d) {
      var ul = el('ul', 'diagnostics');
      p.d.forEach(function (d) { ul.appendChild(el('li', '', d)); });
      td.appendChild(ul);
    }
    if (p.c.length) {
      var t = el('table', 'criteria');
      t.appendChild(el('caption', '', 'Every criterion for ' + x.id + ' (' + x.src + ')'));
      var head = el('tr');
      ['criterion', 'status', 'reasons and evidence', 'data that would decide it'].forEach(function (h) {
        var th = el('th', '', h);
        th.scope = 'col';
        head.appendChild(th);
      });
      var thead = el('thead');
      thead.appendChild(head);
      t.appendChild(thead);
      var body = el('tbody');
      p.c.forEach(function (c) {
        var row = el('tr');
        row.setAttribute('data-criterion', c.id);
        var name = el('th');
        name.scope = 'row';
        var pc = proto[c.id];
        name.appendChild(el('span', '', c.id));
        if (pc && pc.kind === 'exclusion') name.appendChild(el('span', 'kind', ' (exclusion)'));
        if (pc) name.appendChild(el('span', 'ev ptext', pc.text));
        row.appendChild(name);
        var s = el('td');
        s.appendChild(badge('s-' + c.s, LABEL[c.s]));
        row.appendChild(s);
        var reasons = el('td');
        var ul = el('ul', 'reasons');
        c.r.forEach(function (rr) {
          var li = el('li', '', rr.t);
          if (rr.e) li.appendChild(el('span', 'ev', rr.e.join('\n')));
          ul.appendChild(li);
        });
        reasons.appendChild(ul);
        row.appendChild(reasons);
        var miss = el('td');
        if (c.m) {
          var mu = el('ul', 'missing');
          c.m.forEach(function (m) { mu.appendChild(el('li', '', m.d)); });
          miss.appendChild(mu);
        }
        row.appendChild(miss);
        body.appendChild(row);
      });
      t.appendChild(body);
      td.appendChild(t);
    }
    tr.appendChild(td);
    return tr;
  }

  function render() {
    var size = Number(f.size.value) || 100;
    var pages = Math.max(1, Math.ceil(shown.length / size));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * size, to = Math.min(shown.length, from + size);
    var frag = document.createDocumentFragment();
    for (var i = from; i < to; i++) {
      var x = shown[i], id = 'pd-' + x.order;
      var tr = el('tr', 'patient');
      tr.setAttribute('data-verdict', x.verdict);
      var th = el('th');
      th.scope = 'row';
      var b = el('button', 'expand', x.id);
      b.type = 'button';
      b.setAttribute('aria-expanded', expanded[x.order] ? 'true' : 'false');
      b.setAttribute('aria-controls', id);
      b.setAttribute('data-order', String(x.order));
      th.appendChild(b);
      tr.appendChild(th);
      var v = el('td');
      v.appendChild(badge('v-' + x.verdict, x.verdict));
      tr.appendChild(v);
      tr.appendChild(el('td', '', x.fails.join(', ')));
      tr.appendChild(el('td', '', x.unknowns.join(', ')));
      tr.appendChild(el('td', '', x.src + (x.um ? ' · ' + x.um + ' record entr' + (x.um === 1 ? 'y' : 'ies') + ' not read' : '')));
      frag.appendChild(tr);
      if (expanded[x.order]) frag.appendChild(detail(x, id));
    }
    tbody.textContent = '';
    tbody.appendChild(frag);
    $('status-line').textContent = shown.length
      ? 'Showing ' + (from + 1) + '–' + to + ' of ' + shown.length + ' patients' + (shown.length !== patients.length ? ' (' + patients.length + ' in the report)' : '')
      : 'No patient matches the filters (' + patients.length + ' in the report)';
    $('p-info').textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
    $('p-prev').disabled = state.page === 0;
    $('p-next').disabled = state.page >= pages - 1;
  }

  tbody.addEventListener('click', function (ev) {
    var b = ev.target.closest('button.expand');
    if (!b) return;
    var order = Number(b.getAttribute('data-order'));
    var open = !expanded[order];
    if (open) expanded[order] = true; else delete expanded[order];
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
    var tr = b.closest('tr');
    if (open) tr.parentNode.insertBefore(detail(patients[order], 'pd-' + order), tr.nextSibling);
    else if (tr.nextSibling && tr.nextSibling.className === 'detail') tr.parentNode.removeChild(tr.nextSibling);
  });
  var heads = document.querySelectorAll('#patient-table thead th');
  for (var h = 0; h < heads.length; h++) {
    heads[h].querySelector('button').addEventListener('click', function (ev) {
      var key = ev.currentTarget.parentNode.getAttribute('data-key');
      if (state.key === key) state.dir = -state.dir; else { state.key = key; state.dir = 1; }
      apply();
    });
  }
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  // 'input' only (selects fire it too): a 'change' when the search box loses focus would rebuild the
  // rows under the keyboard focus
  form.addEventListener('input', function () { state.page = 0; apply(); });
  form.addEventListener('reset', function () { setTimeout(function () { state.page = 0; apply(); }, 0); });
  $('p-prev').addEventListener('click', function () { state.page--; render(); });
  $('p-next').addEventListener('click', function () { state.page++; render(); });
  var printButton = $('print-worklist');
  if (printButton) printButton.addEventListener('click', function () {
    document.body.classList.add('print-worklist');
    window.print();
  });
  window.addEventListener('afterprint', function () { document.body.classList.remove('print-worklist'); });
  apply();
  document.body.setAttribute('data-script-ms', String(Math.round(performance.now() - T0)));
  document.body.setAttribute('data-ready', String(patients.length));
})();
`;
