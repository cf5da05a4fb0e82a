#!/usr/bin/env node
// How each criterion of the given criteria files is decided, from the markers their notes carry:
// "STANDS IN FOR DATA" (an attestation standing in for data the record model cannot hold yet) and
// "genuine … judgement" (a clinician's judgement, recorded as a finding). Every other criterion is
// decided from record data. Usage: node scripts/criteria-sources.mjs criteria/nct*.yaml [--list]
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const list = process.argv.includes('--list');
const rows = [];
const total = { criteria: 0, data: 0, standIn: 0, judgement: 0 };
for (const file of files) {
  const doc = parse(readFileSync(file, 'utf8'));
  const row = { id: doc.id, criteria: 0, data: 0, standIn: 0, judgement: 0 };
  for (const kind of ['inclusion', 'exclusion']) {
    for (const c of doc[kind] ?? []) {
      const note = String(c.note ?? '');
      const how = note.includes('STANDS IN FOR DATA') ? 'standIn' : /genuine [a-z ]*judgement/i.test(note) ? 'judgement' : 'data';
      row.criteria++;
      row[how]++;
      if (list && how !== 'data') console.log(`${doc.id}\t${kind}\t${c.id}\t${how}`);
    }
  }
  for (const k of Object.keys(total)) total[k] += row[k];
  rows.push(row);
}
const share = (r) => (r.data + r.standIn === 0 ? '–' : `${((100 * r.data) / (r.data + r.standIn)).toFixed(1)} %`);
console.log('| trial | criteria | decided from data | attestations standing in for data | genuine judgements | from data (of non-judgements) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.id} | ${r.criteria} | ${r.data} | ${r.standIn} | ${r.judgement} | ${share(r)} |`);
console.log(`| **all** | ${total.criteria} | ${total.data} | ${total.standIn} | ${total.judgement} | ${share(total)} |`);
