/** YAML input: one record, a list of records, or a multi-document stream (`---`). */
import { parseYamlStream } from '../language/yaml-source.js';
import { recordsOf } from './json.js';
import type { InputItem } from './types.js';

export function parseYamlRecords(file: string, text: string): InputItem[] {
  const { docs, source } = parseYamlStream(file, text);
  const out: InputItem[] = [];
  let record = 1;
  for (const d of docs) {
    if (d.diagnostics.length) {
      const first = d.diagnostics[0]!;
      out.push({ kind: 'error', source: { file, record, ...(first.location?.line ? { line: first.location.line } : {}) }, diagnostic: first });
      record++;
      continue;
    }
    if (d.value === null || d.value === undefined) continue; // empty document
    const line = d.doc?.contents?.range ? source.position(d.doc.contents.range[0]).line : undefined;
    const items = recordsOf(file, d.value, record, line);
    // for lists, give each record its own line
    if (Array.isArray(d.value) && d.doc?.contents && 'items' in d.doc.contents) {
      const nodes = (d.doc.contents as { items: { range?: [number, number, number] }[] }).items;
      items.forEach((it, i) => {
        const r = nodes[i]?.range;
        if (r) it.source.line = source.position(r[0]).line;
      });
    }
    out.push(...items);
    record += items.length;
  }
  return out;
}
