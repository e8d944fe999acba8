import { describe, expect, it } from 'vitest';
import { ImportFormatError, parseJsonImport } from '../../../src/core/transfer';

const failure = (text: string, run = (t: string) => parseJsonImport(t)) => {
  try {
    run(text);
  } catch (error) {
    return error as ImportFormatError;
  }
  throw new Error('expected the file to be refused');
};

describe('parseJsonImport', () => {
  it('a flat object: one entry per key, the exact JSON value, lines and record numbers', () => {
    const parsed = parseJsonImport(
      '{\n  "PORT": 8080,\n  "DEBUG": false,\n  "NAME": "x",\n  "NONE": null\n}',
    );
    expect(parsed.records.map((r) => [r.name, r.input.value, r.from.line, r.from.record])).toEqual([
      ['PORT', 8080, 2, 1],
      ['DEBUG', false, 3, 2],
      ['NAME', 'x', 4, 3],
      ['NONE', null, 5, 4],
    ]);
    expect(parsed.records[0]!.input.kind).toBe('secret');
  });

  it('keeps file order, even for keys that look like numbers', () => {
    const parsed = parseJsonImport('{"b": 1, "2": 2, "a": 3}');
    expect(parsed.records.map((r) => r.name)).toEqual(['b', '2', 'a']);
  });

  it('nested objects stay whole under their top-level key by default', () => {
    const parsed = parseJsonImport('{"db": {"host": "h", "ports": [1, 2]}}', { kind: 'item' });
    expect(parsed.records).toEqual([
      {
        name: 'db',
        input: { kind: 'item', value: { host: 'h', ports: [1, 2] } },
        from: { record: 1, line: 1 },
      },
    ]);
  });

  it('or are flattened to dotted paths (arrays and empty objects are leaves)', () => {
    const parsed = parseJsonImport(
      '{"db": {"host": "h", "tls": {"on": true}, "ports": [1], "x": {}}, "k": 1}',
      {
        nested: 'flatten',
      },
    );
    expect(parsed.records.map((r) => [r.name, r.input.value])).toEqual([
      ['db.host', 'h'],
      ['db.tls.on', true],
      ['db.ports', [1]],
      ['db.x', {}],
      ['k', 1],
    ]);
  });

  it.each([
    ['an array', '[1, 2]', 'an array'],
    ['a string', '"text"', 'a string'],
    ['a number', '42', 'a number'],
    ['null', 'null', 'null'],
  ])('refuses %s at the top level', (_, text, words) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect(error.message).toContain(`holds ${words}`);
    expect(error.message).toContain('object of NAME: value');
  });

  it('refuses a duplicate key with the line of the second one (JSON.parse would keep one)', () => {
    const text = '{\n  "A": "CANARY-one",\n  "B": 1,\n  "A": "CANARY-two"\n}';
    expect(JSON.parse(text)).toEqual({ A: 'CANARY-two', B: 1 });
    const error = failure(text);
    expect(error.from.line).toBe(4);
    expect(error.message).toContain('first on line 2');
    expect(error.message).not.toContain('CANARY');
  });

  it('finds duplicates in nested objects, and tells keys from string values', () => {
    expect(failure('{"a": {"x": 1,\n"x": 2}}').from.line).toBe(2);
    expect(failure('{"a": {"k": "\\"x\\""}, "b": {"\\u0078": 1, "x": 2}}').message).toContain(
      'twice',
    );
    // The same key in two different objects, and a value equal to a key, are fine.
    expect(parseJsonImport('{"a": {"x": "x"}, "b": {"x": ["x", {"x": 1}]}}').records).toHaveLength(
      2,
    );
  });

  it('says the line and column of a syntax error, never the text', () => {
    const error = failure('{\n  "A": "CANARY-value",\n}');
    // The trailing comma is the fault, on line 2.
    expect(error.from.line).toBe(2);
    expect(error.message).toContain('column');
    expect(error.message).not.toContain('CANARY');
  });

  it('refuses binary junk and an empty file', () => {
    expect(failure('\0\x01\x02garbage').message).toContain('binary');
    expect(failure('').message).toContain('empty');
  });
});
