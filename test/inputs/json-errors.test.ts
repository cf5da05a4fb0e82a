/**
 * A JSON syntax error is located at its own line and column (issue 11 item 12), also when JSON.parse's
 * message names no position ("Unexpected token ',', "…" is not valid JSON"): the position used to be
 * lost and the error reported at line 1 (or the record's first line).
 */
import { describe, expect, it } from 'vitest';
import { jsonErrorLocation, jsonErrorMessage, jsonErrorOffset, parseJsonDocument } from '../../src/inputs/json.js';
import { parseNdjsonLine } from '../../src/inputs/ndjson.js';

function located(text: string): { line: number; column: number; message: string } {
  try {
    JSON.parse(text);
  } catch (e) {
    const at = jsonErrorLocation(text, e as Error)!;
    return { ...at, message: jsonErrorMessage(e) };
  }
  throw new Error('valid JSON');
}

describe('jsonErrorOffset: the first syntax error of a JSON text', () => {
  it.each([
    ['[1,2,3]', undefined],
    ['{"a":{"b":[true,false,null,-1.5e3,"\\u00e9\\n"]}}', undefined],
    ['  {"a": 1}  \n', undefined],
    ['[1,]', 3],
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['{"a":"x\ty"}', 7],
    ['"\\x"', 2],
    ['[01]', 2],
    ['{} x', 3],
    ['[1, 2', 5],
    ['', 0],
    ['{"a": tru}', 6],
  ])('%j → %s', (text, offset) => expect(jsonErrorOffset(text)).toBe(offset));

  it('agrees with JSON.parse on validity, and survives deep nesting', () => {
    expect(jsonErrorOffset('['.repeat(200_000))).toBe(200_000);
    expect(jsonErrorOffset(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toBeUndefined();
  });
});

describe('a JSON syntax error is located where it is', () => {
  it.each([
    ['{"id": "b", "x": [1,2,\n\n 3,, 4]}', 3, 4, "Unexpected token ','"],
    ['[\n  {"id": "a"},\n  {"id": "b",\n   "sex": "female"\n   "birthDate": "2000-01-01"}\n]', 5, 4, "Expected ',' or '}' after property value"],
    ['{\n  "id": "x",\n  "tags": [1, 2,]\n}', 3, 17, "Unexpected token ']'"],
    ['{"a": 1} trailing', 1, 10, 'Unexpected non-whitespace character after JSON'],
  ])('%j → line %i column %i', (text, line, column, message) => {
    expect(located(text)).toEqual({ line, column, message });
  });

  it('a whole-file error carries line and column in its diagnostic', () => {
    const r = parseJsonDocument('in.json', '{"id": "b",\n "x": [1,\n\n 3,, 4]}');
    expect('error' in r && r.error.kind === 'error' && r.error.diagnostic.location).toMatchObject({ file: 'in.json', line: 4, column: 4 });
  });

  it('an NDJSON line error carries the column within the line', () => {
    const item = parseNdjsonLine('in.ndjson', 7, 7, '{"a": [1,,2]}')!;
    expect(item.kind === 'error' && item.diagnostic.location).toMatchObject({ line: 7, column: 10 });
  });
});
