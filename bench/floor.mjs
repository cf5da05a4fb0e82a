#!/usr/bin/env node
/**
 * The floor: read every line of an NDJSON file and JSON.parse it, nothing else; for a CSV file,
 * read it and parse every row with csv-parse (the parser elig uses), nothing else.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

const file = process.argv[2];
let n = 0;
if (file.endsWith('.csv')) {
  for await (const row of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) if (row.length) n++;
  n--; // the header
} else {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    JSON.parse(line);
    n++;
  }
}
process.stderr.write(`${n} records\n`);
