/**
 * Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core
 * (never a browser download). Installed with apt-get where it is missing and we are root (CI runs
 * as root on a fresh machine); where it cannot be installed the caller skips with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium's path, installing the Debian package when missing; or why it cannot be had. */
export function ensureChromium(): { ok: true } | { ok: false; why: string } {
  if (existsSync(CHROMIUM)) return { ok: true };
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) return { ok: false, why: 'no /usr/bin/chromium and no apt-get to install it' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'no /usr/bin/chromium, and installing it needs root (apt-get install chromium)' };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  process.stderr.write('browser test: installing Debian\'s chromium (apt-get update && apt-get install -y chromium)…\n');
  const steps = [['update'], ['install', '-y', 'chromium']];
  for (const args of steps) {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 150_000 });
    if (r.status !== 0) return { ok: false, why: `apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')}` };
  }
  return existsSync(CHROMIUM) ? { ok: true } : { ok: false, why: 'apt-get install chromium did not provide /usr/bin/chromium' };
}

/** A fresh headless Chromium with its own user data directory. */
export async function launch(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'elig-chromium-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, deviceScaleFactor: 1, offline: true,
  });
}
