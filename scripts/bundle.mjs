#!/usr/bin/env node
/**
 * Bundle the command line into dist/bundle/ (run by `npm run build` after tsc): Node 20 has no
 * module compile cache, and resolving and linking the ~150 ES modules of elig, zod, yaml and
 * commander one by one cost ≈ 125 ms of every `elig check`. Code splitting keeps the lazily loaded
 * subcommands lazy, so `elig --version` loads only the small entry chunk. The worker thread of
 * `check --jobs` is a second entry point beside it (pool.ts finds it as ./worker.js).
 * @lhncbc/ucum-lhc stays outside (CommonJS with large data tables, loaded on first use).
 *
 * Less to parse on every start (docs/development.md, "Third pass: start-up"): zod's 40-odd message
 * locales (366 KB of its 751 KB) are left out, since elig uses only English, which zod loads by
 * itself (`import { z } from 'zod'` keeps the `z.locales` namespace, so esbuild cannot drop them);
 * and whitespace and syntax are minified (names are kept, so stack traces still name functions).
 * Together: 6 % fewer instructions for a `check` of cached criteria.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The build's identity: a sha256 over tsc's output and the locked dependencies that the bundle
 * carries. The loaded-criteria cache (src/cli/criteria-cache.ts) keys its entries by it, so a
 * rebuilt elig never reads what another build validated, even when the version number is the same
 * (every development build is 0.1.0).
 */
function buildId() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== outdir) walk(p);
      } else if (e.name.endsWith('.js')) hash.update(p).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk('dist');
  hash.update(readFileSync('package-lock.json'));
  return hash.digest('hex');
}

/** zod's `export * as locales from "../locales/index.js"` resolves to an empty module (`z.locales` is never used). */
const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) => (/[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: 'zod-locales', namespace: 'elig-empty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'elig-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const outdir = 'dist/bundle';
rmSync(outdir, { recursive: true, force: true });
const id = buildId();
await build({
  entryPoints: { elig: 'dist/cli/entry.js', worker: 'dist/cli/worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@lhncbc/ucum-lhc'],
  // CommonJS dependencies (commander) call require() for Node's built-in modules
  banner: { js: "import { createRequire as __eligCreateRequire } from 'node:module'; const require = __eligCreateRequire(import.meta.url);" },
  // chunks beside the entries: pool.ts (in a chunk) finds the worker entry as ./worker.js
  chunkNames: '[name]-[hash]',
  define: { __ELIG_BUILD_ID__: JSON.stringify(id) },
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [zodWithoutLocales],
});
