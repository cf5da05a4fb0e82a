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

/** Where to look and what may be done: the real machine by default, a pretend one in tests. */
export interface ChromiumHost {
  exists(path: string): boolean;
  platform: string;
  uid: number | undefined;
  run(cmd: string, args: string[]): { status: number | null; stderr: string; error?: Error };
  log(line: string): void;
}

const REAL: ChromiumHost = {
  exists: existsSync,
  platform: process.platform,
  uid: process.getuid?.(),
  run: (cmd, args) => {
    const r = spawnSync(cmd, args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', timeout: 150_000 });
    return { status: r.status, stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
  },
  log: (line) => void process.stderr.write(`${line}\n`),
};

/** Chromium is there, or installed with apt-get (root on Debian); else why it cannot be had. */
export function ensureChromium(host: ChromiumHost = REAL): { ok: true } | { ok: false; why: string } {
  if (host.exists(CHROMIUM)) return { ok: true };
  if (host.platform !== 'linux' || !host.exists('/usr/bin/apt-get')) return { ok: false, why: `no ${CHROMIUM} and no apt-get to install it` };
  if (host.uid !== 0) return { ok: false, why: `no ${CHROMIUM}, and installing it needs root (apt-get install chromium)` };
  host.log('browser test: installing Debian\'s chromium (apt-get update && apt-get install -y chromium)…');
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const r = host.run('apt-get', args);
    if (r.status !== 0) return { ok: false, why: `apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}` };
  }
  return host.exists(CHROMIUM) ? { ok: true } : { ok: false, why: `apt-get install chromium did not provide ${CHROMIUM}` };
}

/** A fresh headless Chromium with its own user data directory. */
export async function launch(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'elig-chromium-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, deviceScaleFactor: 1, offline: true,
  });
}
