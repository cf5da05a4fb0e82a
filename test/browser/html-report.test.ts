/**
 * The HTML report in a real browser (headless Chromium): `elig check --format html` on the sample
 * patients, checked against the JSON report of the same run — verdict counts, funnel and criteria
 * tables, a patient's expanded criteria with reasons and missing data — then the filters, search,
 * sort and keyboard, axe-core (no serious or critical violation), and a screenshot compared in
 * presence, dimensions and size with the one committed in docs/. Needs `npm run build` (the real
 * executable) and Chromium (installed by ./chromium.ts where missing; skipped with the reason where
 * it cannot be).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/index.js';
import { ensureChromium, launch } from './chromium.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/elig.js');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));
const SCREENSHOT = join(ROOT, 'docs/html-report.png');
const LABEL: Record<string, string> = { pass: 'pass', fail: 'fail', unknown: 'unknown', not_applicable: 'n/a' };

const dir = mkdtempSync(join(tmpdir(), 'elig-html-'));
const html = join(dir, 'report.html');

function check(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, 'check', '-c', 'criteria/nct06691152.yaml', '--as-of', '2026-11-25', '--fail-on', 'none', ...args, 'fixtures/patients'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`elig check ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** PNG width and height from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

let browser: BrowserContext | undefined;
let page: Page;
let report: Report;
let skipped = '';
const requests: string[] = [];

beforeAll(async () => {
  if (!built) {
    skipped = 'the bundle is not built (npm run build)';
  } else {
    const chromium = ensureChromium();
    if (!chromium.ok) skipped = chromium.why;
  }
  if (skipped) {
    process.stderr.write(`\n*** SKIPPED: HTML report browser test: ${skipped} ***\n\n`);
    return;
  }
  const out = check(['--format', 'html', '-o', html]);
  expect(out).toBe('');
  // the HTML report shows every reason: the JSON report's full depth (--details)
  report = JSON.parse(check(['--format', 'json', '--summary', '--details'])) as Report;
  browser = await launch();
  page = await browser.newPage();
  page.on('request', (r) => {
    if (!/^(file|data|about):/.test(r.url())) requests.push(r.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${html}`);
  await page.waitForSelector('body[data-ready]');
  expect(errors).toEqual([]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

const rowCount = () => page.locator('#patient-table tbody tr.patient').count();
const statusLine = () => page.locator('#status-line').textContent();
const cellNumbers = async (selector: string) =>
  page.locator(selector).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));

describe('HTML report in Chromium', () => {
  it('loads every patient, offline, with the stamp of the JSON report', async (ctx) => {
    if (skipped) return ctx.skip();
    expect(await page.getAttribute('body', 'data-ready')).toBe(String(report.patients.length));
    expect(await rowCount()).toBe(report.patients.length);
    expect(await page.textContent('#stamp-criteria')).toBe(`${report.meta.criteria.id} v${report.meta.criteria.version}`);
    expect(await page.textContent('#stamp-sha')).toBe(report.meta.criteria.sha256);
    expect(await page.textContent('#stamp-asof')).toBe(report.meta.asOf);
    expect(await page.textContent('#stamp-tool')).toBe(`elig ${report.meta.tool.version}`);
    expect(await page.textContent('#stamp-vocabulary')).toBe(`v${report.meta.vocabulary.version} (SHA-256 ${report.meta.vocabulary.sha256})`);
    expect(requests).toEqual([]);
  });

  it('verdict counts, funnel and per-criterion table match the JSON report', async (ctx) => {
    if (skipped) return ctx.skip();
    const s = report.summary;
    for (const v of ['eligible', 'ineligible', 'indeterminate', 'error'] as const) {
      expect(await page.textContent(`#verdict-counts [data-verdict="${v}"]`), v).toBe(String(s.verdicts[v]));
    }
    const funnel = await cellNumbers('#funnel-table tbody tr');
    const checked = s.patients - s.verdicts.error;
    expect(funnel[0]).toEqual(['(checked)', String(checked), String(checked), '']);
    let prev = checked;
    expect(funnel.slice(1)).toEqual(s.funnel!.map((f) => {
      const row = [`${f.id}${f.kind === 'exclusion' ? ' (exclusion)' : ''}`, String(f.possiblyEligible), String(f.surelyEligible), String(prev - f.possiblyEligible)];
      prev = f.possiblyEligible;
      return row;
    }));
    const criteria = await cellNumbers('#criteria-table tbody tr');
    expect(criteria.map((r) => r.slice(0, 6))).toEqual(s.criteria.map((c) => [c.id, c.kind, c.pass, c.fail, c.unknown, c.not_applicable].map(String)));
    const unmapped = s.unmapped?.length ? await cellNumbers('#unmapped-table tbody tr') : [];
    expect(unmapped).toEqual((s.unmapped ?? []).map((u) => [u.code, u.domain, u.name ?? '', String(u.patients), String(u.entries)]));
    const worklist = await cellNumbers('#worklist-table tbody tr');
    expect(worklist.map((r) => r.slice(0, 4))).toEqual(s.worklist!.map((w) => [w.item, String(w.unblocks), String(w.patients), w.criteria.join(', ')]));
  });

  it('search by id, then a patient expands (keyboard) to every criterion with the JSON report\'s status, reasons and missing data', async (ctx) => {
    if (skipped) return ctx.skip();
    const p = report.patients.find((x) => x.verdict === 'indeterminate')!;
    await page.fill('#f-search', p.id);
    const rows = page.locator('#patient-table tbody tr.patient');
    const ids = await rows.locator('button.expand').allTextContents();
    expect(ids).toContain(p.id);
    expect(ids.every((id) => id.toLowerCase().includes(p.id.toLowerCase()))).toBe(true);
    const button = rows.locator('button.expand', { hasText: p.id }).first();
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator(`#${await button.getAttribute('aria-controls')}`);
    const shown = await detail.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.getAttribute('data-criterion'),
      status: tr.querySelector('.badge')!.textContent,
      reasons: [...tr.querySelectorAll('ul.reasons > li')].map((li) => li.firstChild!.textContent),
      missing: [...tr.querySelectorAll('ul.missing > li')].map((li) => li.textContent),
    })));
    expect(shown).toEqual(p.criteria.map((c) => ({
      id: c.id, status: LABEL[c.status], reasons: c.reasons.map((r) => r.text), missing: (c.missing ?? []).map((m) => m.description),
    })));
    expect(shown.some((c) => c.status === 'unknown' && c.missing.length)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await detail.count()).toBe(0);
    await page.fill('#f-search', '');
    expect(await rowCount()).toBe(report.patients.length);
  });

  it('filters by verdict, by criterion status and by missing data item; sorts by id', async (ctx) => {
    if (skipped) return ctx.skip();
    const s = report.summary;
    await page.selectOption('#f-verdict', 'ineligible');
    expect(await rowCount()).toBe(s.verdicts.ineligible);
    expect(new Set(await page.locator('#patient-table tbody tr.patient').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-verdict'))))).toEqual(new Set(['ineligible']));
    expect(await statusLine()).toBe(`Showing 1–${s.verdicts.ineligible} of ${s.verdicts.ineligible} patients (${s.patients} in the report)`);
    await page.selectOption('#f-verdict', '');
    const c = s.criteria.find((x) => x.fail > 0 && x.unknown > 0)!;
    await page.selectOption('#f-criterion', c.id);
    await page.selectOption('#f-status', 'fail');
    expect(await rowCount()).toBe(c.fail);
    await page.selectOption('#f-status', 'unknown');
    expect(await rowCount()).toBe(c.unknown);
    await page.click('#f-reset');
    await expect.poll(rowCount).toBe(s.patients);
    // the worklist's "show" button: the indeterminate patients who need the item
    const w = s.worklist![0]!;
    await page.locator('#worklist-table tbody tr').first().locator('button').click();
    expect(await page.inputValue('#f-needs')).toBe(w.item);
    expect(await rowCount()).toBe(w.patients);
    await page.click('#f-reset');
    await expect.poll(rowCount).toBe(s.patients);
    await page.click('#patient-table thead th[data-key="id"] button');
    expect(await page.getAttribute('#patient-table thead th[data-key="id"]', 'aria-sort')).toBe('ascending');
    const sorted = report.patients.map((p) => p.id).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
    expect(await page.locator('#patient-table tbody button.expand').allTextContents()).toEqual(sorted);
    await page.click('#patient-table thead th[data-key="id"] button');
    expect(await page.getAttribute('#patient-table thead th[data-key="id"]', 'aria-sort')).toBe('descending');
    expect(await page.locator('#patient-table tbody button.expand').allTextContents()).toEqual([...sorted].reverse());
    await page.click('#patient-table thead th[data-key="order"] button');
    expect(await page.locator('#patient-table tbody button.expand').allTextContents()).toEqual(report.patients.map((p) => p.id));
  });

  it('pages a long list', async (ctx) => {
    if (skipped) return ctx.skip();
    await page.selectOption('#f-size', '50');
    expect(await page.isDisabled('#p-next')).toBe(report.patients.length <= 50);
    expect(await page.textContent('#p-info')).toBe(`Page 1 of ${Math.ceil(report.patients.length / 50)}`);
    await page.selectOption('#f-size', '100');
  });

  it('print: no controls; "Print the worklist" prints the worklist alone', async (ctx) => {
    if (skipped) return ctx.skip();
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('#filters')).toBe(false);
    expect(await page.isVisible('#print-worklist')).toBe(false);
    expect(await page.isVisible('#funnel-table')).toBe(true);
    expect(await page.isVisible('#worklist-table')).toBe(true);
    await page.evaluate(() => (globalThis as unknown as { document: { body: { classList: { add(c: string): void } } } }).document.body.classList.add('print-worklist'));
    expect(await page.isVisible('#funnel-table')).toBe(false);
    expect(await page.isVisible('#patient-table')).toBe(false);
    expect(await page.isVisible('#worklist-table')).toBe(true);
    expect(await page.isVisible('#stamp')).toBe(true);
    await page.evaluate(() => (globalThis as unknown as { document: { body: { classList: { remove(c: string): void } } } }).document.body.classList.remove('print-worklist'));
    await page.emulateMedia({ media: 'screen' });
    expect(await page.isVisible('#filters')).toBe(true);
  });

  it('axe-core: no serious or critical violation (with a patient expanded)', async (ctx) => {
    if (skipped) return ctx.skip();
    await page.locator('#patient-table tbody button.expand').first().click();
    await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const result = await page.evaluate(async () => {
      // runs in the page (no DOM types in this project's compiler settings)
      const g = globalThis as unknown as { document: unknown; axe: { run: (c: unknown, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[]; passes: unknown[] }> } };
      const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
      return { passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })) };
    });
    expect(result.passes).toBeGreaterThan(10);
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  }, 120_000);

  it('screenshot: present, same dimensions and about the size of the one in docs/', async (ctx) => {
    if (skipped) return ctx.skip();
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    if (process.env.ELIG_UPDATE_SCREENSHOT) writeFileSync(SCREENSHOT, readFileSync(shot));
    expect(existsSync(SCREENSHOT), 'docs/html-report.png is committed').toBe(true);
    expect(pngSize(shot)).toEqual(pngSize(SCREENSHOT));
    const ratio = statSync(shot).size / statSync(SCREENSHOT).size;
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  });
});
