/** YAML input: one record, a list of records, or a multi-document stream (`---`). */
import { parseYamlStream } from '../language/yaml-source.js';
import { recordsOf } from './json.js';
import type { InputItem } from './types.js';
import type { YamlPiece } from './yaml-stream.js';
import { parseYaml } from '../language/yaml-source.js';

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

/**
 * Parse one piece from the streaming splitter: a whole document (one record or a list) or one
 * item of a top-level list. Line numbers are shifted back into the original file.
 */
export function parseYamlPiece(file: string, piece: YamlPiece, firstRecord: number): InputItem[] {
  const p = parseYaml(file, piece.text);
  const shift = piece.line - 1;
  if (p.diagnostics.length) {
    const d = p.diagnostics[0]!;
    const line = (d.location?.line ?? 1) + shift;
    const diagnostic = { ...d, location: { ...d.location, file, line, record: firstRecord } };
    delete diagnostic.frame;
    return [{ kind: 'error', source: { file, record: firstRecord, line }, diagnostic }];
  }
  // a null record (`- ~`, `- null`, `--- ~`, an empty `-` item) is reported as a record that is not an
  // object, never dropped; only a document with no content at all (comments) is not a record
  if ((p.value === null || p.value === undefined) && !piece.item && !/^\s*[^\s#]/m.test(piece.text)) return [];
  if (piece.item || !Array.isArray(p.value)) {
    return [{ kind: 'record', raw: p.value, source: { file, record: firstRecord, line: piece.line } }];
  }
  // a flow list or a list document that was not split: one record per element
  const nodes = p.doc?.contents && 'items' in p.doc.contents ? (p.doc.contents as { items: { range?: [number, number, number] }[] }).items : [];
  return (p.value as unknown[]).map((raw, i) => {
    const r = nodes[i]?.range;
    const line = r ? p.source.position(r[0]).line + shift : piece.line;
    return { kind: 'record' as const, raw, source: { file, record: firstRecord + i, line } };
  });
}
