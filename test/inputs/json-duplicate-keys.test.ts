/**
 * Duplicate keys in a JSON record (src/inputs/json.ts): the fast path counts the keys the text writes
 * and the keys the parsed value holds; only when they differ are the objects' keys collected to name
 * the duplicate. Every duplicate is still found, wherever it is, and no valid record is refused.
 */
import { describe, expect, it } from 'vitest';
import { keyTokenCount, parseJsonRecord, parsedKeyCount } from '../../src/inputs/json.js';

describe('parseJsonRecord: duplicate keys', () => {
  it.each([
    ['top level', '{"id":"A","id":"B"}', 'id', 1, 11],
    ['nested object', '{"id":"A","sex":{"code":"F","code":"M"}}', 'code', 1, 29],
    ['object in an array', '{"id":"A","measurements":[{"code":"egfr"},{"code":"x","value":1,"value":2}]}', 'value', 1, 65],
    ['escaped key equal to a plain one', '{"id":"A","\\u0069d":"B"}', 'id', 1, 11],
    ['after a string with escaped quotes and backslashes', '{"note":"a \\"q\\" \\\\","x":1,"x":2}', 'x', 1, 28],
    ['__proto__ twice', '{"__proto__":1,"__proto__":2}', '__proto__', 1, 16],
    ['on a later line', '{\n  "id": "A",\n  "id": "B"\n}', 'id', 3, 3],
  ])('%s', (_name, text, key, line, column) => {
    const r = parseJsonRecord(text);
    expect('error' in r && r.duplicate).toEqual({ key, line, column });
  });

  it.each([
    ['keys alike in sibling objects', '{"a":{"x":1},"b":{"x":2}}'],
    ['a key equal to a string value', '{"id":"id","x":"id"}'],
    ['strings holding braces, commas and quotes', '{"t":"{\\"id\\":1,\\"id\\":2}","u":"a,b:[c]"}'],
    ['a string ending in an escaped backslash', '{"a":"\\\\","b":"\\\\\\\\"}'],
    ['arrays of scalars and empty objects', '{"a":[1,"x",{},[],{"b":null}],"c":{}}'],
    ['a key that is a number', '{"1":1,"01":2}'],
    ['__proto__ once', '{"__proto__":{"x":1},"y":2}'],
  ])('%s: accepted', (_name, text) => {
    const r = parseJsonRecord(text);
    expect(r).toEqual({ value: JSON.parse(text) });
    expect(keyTokenCount(text)).toBe(parsedKeyCount(JSON.parse(text)));
  });

  it('counts the keys a text writes, duplicates included', () => {
    expect(keyTokenCount('{"a":1,"a":2,"b":[{"c":"}"},{"c":","}]}')).toBe(5);
    expect(parsedKeyCount(JSON.parse('{"a":1,"a":2,"b":[{"c":"}"},{"c":","}]}'))).toBe(4);
  });
});
