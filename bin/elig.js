#!/usr/bin/env node
import module from 'node:module';
import v8 from 'node:v8';

// Node ≥ 22.1 keeps compiled code between runs (as tsc does); Node 20 has no such cache
module.enableCompileCache?.();
// V8 optimises a function once it has run for a small budget of bytecode (67,584 in Node 20). elig's
// engine is many mid-sized closures, so a short check (1,000 records) spent more CPU optimising them
// with TurboFan, re-optimising after early deopts, than evaluating: a larger budget optimises only what
// stays hot. Measured (docs/development.md, "Start-up"): a 1,000-patient check of the seed trial
// halves its CPU time. A long run gets V8's default back after 2,048 records (Io.longRun, src/cli/io.ts):
// kept, the large budget cost 12-18 % more CPU at 100k records. A budget given to node itself
// (node --interrupt-budget=n bin/elig.js, as bench/startup.mjs does) is kept.
if (!process.execArgv.some((a) => a.startsWith('--interrupt-budget'))) v8.setFlagsFromString('--interrupt-budget=1000000');
const { main, nodeIo } = await import('../dist/bundle/elig.js');
process.exitCode = await main(process.argv.slice(2), nodeIo());
