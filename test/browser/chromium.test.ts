/** The browser tests' Chromium setup: used when there, installed with apt-get as root, else a reason to skip. */
import { describe, expect, it } from 'vitest';
import { CHROMIUM, ensureChromium, type ChromiumHost } from './chromium.js';

function host(opts: { files?: readonly string[]; uid?: number; platform?: string; fail?: string; installs?: boolean }) {
  const files = new Set(opts.files ?? []);
  const ran: string[] = [];
  const h: ChromiumHost = {
    exists: (p) => files.has(p),
    platform: opts.platform ?? 'linux',
    uid: opts.uid,
    run: (cmd, args) => {
      ran.push(`${cmd} ${args.join(' ')}`);
      if (args[0] === opts.fail) return { status: 100, stderr: 'E: Unable to locate package chromium\n' };
      if (args[0] === 'install' && opts.installs !== false) files.add(CHROMIUM);
      return { status: 0, stderr: '' };
    },
    log: () => undefined,
  };
  return { h, ran };
}

describe('ensureChromium', () => {
  it('uses an installed Chromium without running anything', () => {
    const { h, ran } = host({ files: [CHROMIUM], uid: 1000 });
    expect(ensureChromium(h)).toEqual({ ok: true });
    expect(ran).toEqual([]);
  });
  it('installs it with apt-get update and install as root', () => {
    const { h, ran } = host({ files: ['/usr/bin/apt-get'], uid: 0 });
    expect(ensureChromium(h)).toEqual({ ok: true });
    expect(ran).toEqual(['apt-get update', 'apt-get install -y chromium']);
  });
  it.each([
    ['not root', { files: ['/usr/bin/apt-get'], uid: 1000 }, 'needs root'],
    ['no apt-get', { uid: 0 }, 'no apt-get'],
    ['not Linux', { files: ['/usr/bin/apt-get'], uid: 0, platform: 'darwin' }, 'no apt-get'],
    ['the package cannot be installed', { files: ['/usr/bin/apt-get'], uid: 0, fail: 'install' }, 'Unable to locate package chromium'],
    ['the package does not provide the binary', { files: ['/usr/bin/apt-get'], uid: 0, installs: false }, 'did not provide'],
  ] as const)('skips with the reason when %s', (_n, opts, why) => {
    const r = ensureChromium(host(opts).h);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toContain(why);
  });
});
