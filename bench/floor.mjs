#!/usr/bin/env node
/** The floor: read every line of an NDJSON file and JSON.parse it, nothing else. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const rl = createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity });
let n = 0;
for await (const line of rl) {
  if (!line) continue;
  JSON.parse(line);
  n++;
}
process.stderr.write(`${n} records\n`);
