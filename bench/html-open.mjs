#!/usr/bin/env node
/**
 * How the HTML report behaves in a real browser: file size per patient, time for headless Chromium
 * to open it (load + the inline script reading every patient and drawing the first page), and the
 * time of a search, a verdict filter and a criterion filter.
 *   node bench/generate.mjs 10000 bench/out/p10k.ndjson
 *   node bin/elig.js check -c criteria/nct06691152.yaml --as-of 2026-11-25 --fail-on none -f html -o bench/out/p10k.html bench/out/p10k.ndjson
 *   node bench/html-open.mjs bench/out/p10k.html
 * Needs Debian's chromium (/usr/bin/chromium) and the devDependency playwright-core.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/html-open.mjs <report.html>\n');
  process.exit(2);
}
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'elig-bench-')), {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await ctx.newPage();
const t0 = performance.now();
await page.goto(`file://${file}`, { timeout: 300_000 });
await page.waitForSelector('body[data-ready]', { timeout: 300_000 });
const open = performance.now() - t0;
const patients = Number(await page.getAttribute('body', 'data-ready'));
/** Time from setting a control to the next frame painted (filtering and drawing are synchronous). */
const timed = (id, value) => page.evaluate(([id, value]) => new Promise((resolve) => {
  const t = performance.now();
  const el = document.getElementById(id);
  if (el.tagName === 'SELECT' && typeof value === 'number') el.selectedIndex = value; else el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t), 0));
}), [id, value]);
const search = await timed('f-search', '12');
await timed('f-search', '');
const verdict = await timed('f-verdict', 'indeterminate');
await timed('f-verdict', '');
await timed('f-criterion', 5);
const criterion = await timed('f-status', 'unknown');
const t = performance.now();
await page.click('#patient-table thead th[data-key="id"] button');
const sort = performance.now() - t;
const status = await page.textContent('#status-line');
const scriptMs = Number(await page.getAttribute('body', 'data-script-ms'));
const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
await ctx.close();
const size = statSync(file).size;
const ms = (x) => `${Math.round(x)} ms`;
console.log(JSON.stringify({
  patients, bytes: size, bytesPerPatient: Math.round(size / patients), open: ms(open), openScript: ms(scriptMs), search: ms(search), verdictFilter: ms(verdict), criterionFilter: ms(criterion), sortById: ms(sort), statusLine: status, jsHeapMB: Math.round(heap / 1e6),
}, null, 2));
