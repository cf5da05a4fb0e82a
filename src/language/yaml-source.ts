/**
 * YAML (and JSON, which is YAML) parsing with limits and source positions. Maps a document path
 * to file:line:col and renders a code frame. Pure: takes text, returns values.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import { diag } from '../diagnostics.js';
import { visible } from '../visible.js';
import type { Diagnostic, SourceLocation } from '../model.js';

export const LIMITS = {
  /** Criteria files and single records: 5 MiB of text. */
  maxTextBytes: 5 * 1024 * 1024,
  maxAliasCount: 100,
};

export type PathSeg = string | number;

export class SourceText {
  readonly lineCounter = new LineCounter();
  constructor(readonly file: string, readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    const p = this.lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  }

  location(range: readonly [number, number, ...number[]] | undefined, path?: PathSeg[]): SourceLocation {
    const loc: SourceLocation = { file: this.file };
    if (range) {
      const a = this.position(range[0]);
      const b = this.position(range[1]);
      loc.line = a.line;
      loc.column = a.column;
      loc.endLine = b.line;
      loc.endColumn = b.column;
    }
    if (path && path.length) loc.path = formatPath(path);
    return loc;
  }

  /** Three lines of context with a caret under the column; control characters in them as visible escapes. */
  frame(loc: SourceLocation): string | undefined {
    if (loc.line === undefined) return undefined;
    const lines = this.text.split(/\r?\n/);
    const from = Math.max(1, loc.line - 1);
    const to = Math.min(lines.length, loc.line + 1);
    const width = String(to).length;
    const out: string[] = [];
    for (let n = from; n <= to; n++) {
      const mark = n === loc.line ? '>' : ' ';
      const line = lines[n - 1] ?? '';
      out.push(`${mark} ${String(n).padStart(width)} | ${visible(line)}`);
      if (n === loc.line) {
        const col = Math.max(1, loc.column ?? 1);
        const end = loc.endLine === loc.line && loc.endColumn ? loc.endColumn : col + 1;
        // the caret under the escaped text: columns counted in the line as shown
        const from = visible(line.slice(0, col - 1)).length + Math.max(0, col - 1 - line.length);
        const len = Math.max(1, visible(line.slice(col - 1, end - 1)).length + Math.max(0, end - 1 - Math.max(line.length, col - 1)));
        out.push(`  ${' '.repeat(width)} | ${' '.repeat(from)}${'^'.repeat(Math.min(len, 60))}`);
      }
    }
    return out.join('\n');
  }
}

export function formatPath(path: readonly PathSeg[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s;
}

/** Find the YAML node at a path (with `keyOf` set, the key node of the last segment). */
export function nodeAt(doc: Document, path: readonly PathSeg[], keyOf = false): Node | undefined {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node as Node;
      if (keyOf && i === path.length - 1) return pair.key as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return node as Node;
      node = item;
    } else {
      return node as Node;
    }
  }
  return node as Node;
}

export interface ParsedYaml {
  source: SourceText;
  doc?: Document;
  value?: unknown;
  diagnostics: Diagnostic[];
}

/**
 * The document's syntax errors, first cause only: once the parser has lost its way (an unclosed quote,
 * a tab, a bad indent), every later token is "unexpected", and one typo used to give hundreds of
 * errors. Errors are taken in text order up to and including the first that is not a duplicate key;
 * the rest are counted in its hint, not listed.
 */
function syntaxDiagnostics(source: SourceText, doc: Document): Diagnostic[] {
  const out: Diagnostic[] = [];
  const errors = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  for (const [i, e] of errors.entries()) {
    const loc = source.location(e.pos);
    const duplicate = e.code === 'DUPLICATE_KEY';
    const msg = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    const rest = errors.length - i - 1;
    const hint = !duplicate && rest
      ? `${rest} more syntax error${rest === 1 ? '' : 's'} after this one not shown: they most likely follow from it; fix this one and run again`
      : undefined;
    out.push(diag(duplicate ? 'syntax/duplicate-key' : 'syntax/yaml', msg, loc, { frame: source.frame(loc) ?? '', ...(hint ? { hint } : {}) }));
    if (!duplicate) break;
  }
  return out;
}

/** Parse one YAML/JSON document with limits; syntax problems are diagnostics with positions. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const source = new SourceText(file, text);
  if (text.length > LIMITS.maxTextBytes) {
    return { source, diagnostics: [diag('file/too-large', `${file} is larger than ${LIMITS.maxTextBytes} bytes`, { file })] };
  }
  const doc = parseDocument(text, { lineCounter: source.lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });
  const diagnostics = syntaxDiagnostics(source, doc);
  if (diagnostics.length) return { source, doc, diagnostics };
  try {
    const value = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
    return { source, doc, value, diagnostics };
  } catch (e) {
    return { source, doc, diagnostics: [diag('syntax/alias-limit', (e as Error).message, { file })] };
  }
}

/** Parse a multi-document YAML stream; each document keeps its own positions. */
export function parseYamlStream(file: string, text: string): { source: SourceText; docs: ParsedYaml[] } {
  const source = new SourceText(file, text);
  const docs = parseAllDocuments(text, { lineCounter: source.lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });
  const list = Array.isArray(docs) ? docs : [];
  return {
    source,
    docs: list.map((doc) => {
      const diagnostics = syntaxDiagnostics(source, doc);
      if (diagnostics.length) return { source, doc, diagnostics };
      try {
        return { source, doc, value: doc.toJS({ maxAliasCount: LIMITS.maxAliasCount }), diagnostics };
      } catch (e) {
        return { source, doc, diagnostics: [diag('syntax/alias-limit', (e as Error).message, { file })] };
      }
    }),
  };
}
