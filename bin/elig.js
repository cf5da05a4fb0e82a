#!/usr/bin/env node
import module from 'node:module';

// Node ≥ 22.1 keeps compiled code between runs (as tsc does); Node 20 has no such cache
module.enableCompileCache?.();
const { main, nodeIo } = await import('../dist/bundle/elig.js');
process.exitCode = await main(process.argv.slice(2), nodeIo());
