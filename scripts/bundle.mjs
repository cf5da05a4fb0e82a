#!/usr/bin/env node
/**
 * Bundle the command line into dist/bundle/ (run by `npm run build` after tsc): Node 20 has no
 * module compile cache, and resolving and linking the ~150 ES modules of elig, zod, yaml and
 * commander one by one cost ≈ 125 ms of every `elig check`. Code splitting keeps the lazily loaded
 * subcommands lazy, so `elig --version` loads only the small entry chunk. The worker thread of
 * `check --jobs` is a second entry point beside it (pool.ts finds it as ./worker.js).
 * @lhncbc/ucum-lhc stays outside (CommonJS with large data tables, loaded on first use).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist/bundle';
rmSync(outdir, { recursive: true, force: true });
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
  logLevel: 'warning',
  legalComments: 'none',
});
