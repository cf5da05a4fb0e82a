/** JSON input: one record (an object) or a list of records (an array). */
import { diag } from '../diagnostics.js';
import type { InputItem } from './types.js';
import { fhirItems, isFhirResource } from './fhir/bundle.js';

/** Map a JSON.parse error position to line:column. */
export function jsonErrorLocation(text: string, err: Error): { line: number; column: number } | undefined {
  const m = /position (\d+)/.exec(err.message) ?? /at (\d+)/.exec(err.message);
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  // some JSON.parse messages name no position ("Unexpected token ',', "…" is not valid JSON"): find it
  const pos = m ? Number(m[1]) : jsonErrorOffset(text);
  if (pos === undefined) return undefined;
  return offsetLocation(text, pos);
}

/**
 * JSON.parse, refusing a record with a duplicate key (ambiguous: which value is meant? JSON.parse
 * would keep the last silently; YAML records refuse them too). The error is located in `text`.
 */
export function parseJsonRecord(text: string): { value: unknown } | { error: Error; duplicate?: { key: string; line: number; column: number } } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: e as Error };
  }
  // a duplicate key leaves fewer keys in the parsed value than the text names: counting both is cheaper
  // than collecting every object's keys, which is done only when the counts differ
  if (typeof value === 'object' && value !== null && keyTokenCount(text) !== parsedKeyCount(value)) {
    const dup = findDuplicateKey(text);
    if (dup) return { error: new Error(`key "${dup.key}" appears twice in one object`), duplicate: { key: dup.key, ...offsetLocation(text, dup.offset) } };
  }
  return { value };
}

/**
 * How many object keys `text` (valid JSON) writes, duplicates included: one pass that jumps over
 * strings with indexOf and allocates nothing but the nesting stack.
 */
export function keyTokenCount(text: string): number {
  const inObject: boolean[] = [];
  const len = text.length;
  let n = 0;
  let expectKey = false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // the closing quote: the next one not escaped (preceded by an even number of backslashes)
      let j = text.indexOf('"', i + 1);
      while (j >= 0) {
        let b = j - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      i = j < 0 ? len : j;
      if (expectKey) {
        n++;
        expectKey = false;
      }
    } else if (c === 123 /* { */) {
      inObject.push(true);
      expectKey = true;
    } else if (c === 91 /* [ */) {
      inObject.push(false);
      expectKey = false;
    } else if (c === 125 || c === 93) {
      inObject.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      expectKey = inObject[inObject.length - 1] === true;
    }
  }
  return n;
}

/** How many keys the objects of a parsed JSON value hold (an explicit stack: no recursion). */
export function parsedKeyCount(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) stack.push(x[i]);
    } else {
      const o = x as Record<string, unknown>;
      const keys = Object.keys(o);
      n += keys.length;
      for (let i = 0; i < keys.length; i++) stack.push(o[keys[i]!]);
    }
  }
  return n;
}

/**
 * The offset of the first JSON syntax error in `text` (RFC 8259), undefined when it is valid JSON. For
 * the JSON.parse messages that name no position. Iterative (an explicit stack), so deep nesting
 * cannot overflow the call stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  const stack: ('[' | '{')[] = [];
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let i = 0;
  const space = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  /** A string at i (on its opening quote); false with i on the offending character. */
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else return (i++, false);
      } else i++;
    }
    return false;
  };
  let state: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after' = 'value';
  for (;;) {
    space();
    if (state === 'after') {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      const c = text[i];
      if (c === ',') {
        i++;
        state = top === '[' ? 'value' : 'key';
      } else if ((top === '[' && c === ']') || (top === '{' && c === '}')) {
        i++;
        stack.pop();
      } else return i;
      continue;
    }
    if (i >= n) return i;
    const c = text[i]!;
    if (state === 'key' || state === 'key-or-close') {
      if (state === 'key-or-close' && c === '}') {
        i++;
        stack.pop();
        state = 'after';
        continue;
      }
      if (c !== '"' || !string()) return i;
      space();
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
      continue;
    }
    if (state === 'value-or-close' && c === ']') {
      i++;
      stack.pop();
      state = 'after';
      continue;
    }
    state = 'after';
    if (c === '{' || c === '[') {
      i++;
      stack.push(c);
      state = c === '{' ? 'key-or-close' : 'value-or-close';
    } else if (c === '"') {
      if (!string()) return i;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.exec(text)) return i;
      i = NUMBER.lastIndex;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return i;
  }
}

/** JSON.parse's message without the position or the excerpt it names (the diagnostic carries line:col instead). */
export function jsonErrorMessage(e: unknown): string {
  return (e as Error).message.replace(/^JSON\.parse: /, '').replace(/ (?:in JSON )?at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '').replace(/^(?:\.\.\.)?".*" is not valid JSON$/s, 'not valid JSON');
}

/** A whole file as one JSON value, or the located `syntax/json` error item that stands for it. */
export function parseJsonDocument(file: string, text: string): { value: unknown } | { error: InputItem } {
  const r = parseJsonRecord(text);
  if ('value' in r) return { value: r.value };
  const pos = r.duplicate ? { line: r.duplicate.line, column: r.duplicate.column } : jsonErrorLocation(text, r.error);
  const d = r.duplicate ? diag('syntax/duplicate-key', r.error.message, { file, ...(pos ?? {}) }) : diag('syntax/json', jsonErrorMessage(r.error), { file, ...(pos ?? {}) });
  return { error: { kind: 'error', source: { file, record: 1, ...(pos ? { line: pos.line } : {}) }, diagnostic: d } };
}

export function parseJsonRecords(file: string, text: string): InputItem[] {
  const doc = parseJsonDocument(file, text);
  if ('error' in doc) return [doc.error];
  const value = doc.value;
  // FHIR R4 (a Bundle or a Patient) is detected by content: src/inputs/fhir/
  if (isFhirResource(value)) return fhirItems(file, value);
  return recordsOf(file, value);
}

/** One value → records: an array is a list of records, anything else one record. */
export function recordsOf(file: string, value: unknown, startRecord = 1, line?: number): InputItem[] {
  if (Array.isArray(value)) {
    return value.map((raw, i) => ({ kind: 'record', raw, source: { file, record: startRecord + i } }));
  }
  return [{ kind: 'record', raw: value, source: { file, record: startRecord, ...(line !== undefined ? { line } : {}) } }];
}

/**
 * The first key that appears twice in one JSON object of `text` (already known to be valid JSON), with
 * its offset; JSON.parse would keep the last silently. One linear pass; keys are decoded only when a
 * key contains an escape.
 */
export function findDuplicateKey(text: string): { key: string; offset: number } | undefined {
  const frames: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) {
          escaped = true;
          i++;
        } else if (d === 34) break;
      }
      const top = frames[frames.length - 1];
      if (expectKey && top) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (top.has(key)) return { key, offset: start };
        top.add(key);
        expectKey = false;
      }
    } else if (c === 123 /* { */) {
      frames.push(new Set());
      expectKey = true;
    } else if (c === 91 /* [ */) {
      frames.push(undefined);
      expectKey = false;
    } else if (c === 125 || c === 93) {
      frames.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      expectKey = frames[frames.length - 1] !== undefined;
    }
  }
  return undefined;
}

/** line:column of an offset in `text` (1-based). */
export function offsetLocation(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}
