#!/usr/bin/env node
// A long fuzzing campaign over the property suite (test/property): `npm run fuzz -- --count 100000
// [--seed n]`. COUNT counts generated inputs; the figures (inputs, records in and out, crashes,
// time) are printed at the end, and progress every 250 inputs on stderr.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const count = Number(opt('count', '10000'));
const seed = Number(opt('seed', String(Date.now() % 2 ** 31)));
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--count n] [--seed n]\n');
  process.exit(2);
}
process.stderr.write(`fuzz: seed ${seed}, count ${count}\n`);
const r = spawnSync('npx', ['vitest', 'run', 'test/property', '--reporter', 'dot'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_COUNT: String(count), FUZZ_SEED: String(seed), FUZZ_REPORT: '1' },
});
process.exit(r.status ?? 2);
