import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidJsonError, type JsonProblem } from '../../../src/core/vault/errors';
import { MAX_JSON_DEPTH } from '../../../src/core/vault/json-limits';
import { parseJsonText } from '../../../src/core/vault/json-text';
import { canary, expectNoLeak, thrown } from './support';

function parseError(text: unknown): InvalidJsonError {
  const error = thrown(() => parseJsonText(text as string));
  expect(error).toBeInstanceOf(InvalidJsonError);
  return error as InvalidJsonError;
}

describe('parseJsonText: valid text', () => {
  it.each([
    '{}',
    '[]',
    ' \t\r\n null \n',
    'true',
    'false',
    '0',
    '-0.5e+10',
    '1E-7',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud800"',
    '{"servers": [{"host": "a", "port": 8080}], "tls": {"enabled": false}}',
    '{"a": 1, "a": 2}',
    '[1, [2, [3, {"x": [null]}]]]',
    '"😀 and é and \u2028"',
  ])('parses %j as JSON.parse does', (text) => {
    expect(parseJsonText(text)).toEqual(JSON.parse(text));
  });

  it('agrees with JSON.parse on any JSON text (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseJsonText(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps "__proto__" as a key, and turns -0 into 0', () => {
    const value = parseJsonText('{"__proto__": {"polluted": true}, "z": -0}') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'z']);
    expect(Object.is(value.z, 0)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(() => parseJsonText(deep(MAX_JSON_DEPTH))).not.toThrow();
    const error = parseError(deep(MAX_JSON_DEPTH + 1));
    expect(error.reason).toBe('too-deep');
    expect(error.column).toBe(MAX_JSON_DEPTH + 1);
    expect(parseError('['.repeat(1_000_000)).reason).toBe('too-deep');
  });
});

describe('parseJsonText: errors point at the problem', () => {
  it.each<[string, JsonProblem, number, number, string]>([
    ['', 'empty', 1, 1, 'the text is empty'],
    ['  \n  ', 'empty', 1, 1, 'the text is empty'],
    ['{\n  "port": 8080,\n}', 'trailing-comma', 2, 15, 'a comma cannot come before "}"'],
    ['[1, 2,]', 'trailing-comma', 1, 6, 'a comma cannot come before "]"'],
    ["{'port': 1}", 'single-quote', 1, 2, 'double quotes'],
    ['{"a": \'x\'}', 'single-quote', 1, 7, 'double quotes'],
    ['{\n  // the port\n  "port": 1\n}', 'comment', 2, 3, 'JSON does not allow comments'],
    ['[1, 2] /* end */', 'comment', 1, 8, 'comments'],
    ['{"a": "line\nbreak"}', 'control-character', 1, 12, 'write it as \\n'],
    ['{"a": "tab\there"}', 'control-character', 1, 11, 'write it as \\t'],
    ['{"a": "\\x41"}', 'invalid-escape', 1, 8, 'invalid escape'],
    ['{"a": "\\u12G4"}', 'invalid-escape', 1, 8, 'four hex digits'],
    ['{"a": "open', 'unterminated-string', 1, 7, 'not closed'],
    ['{"a": 01}', 'invalid-number', 1, 7, 'cannot start with 0'],
    ['{"a": -}', 'invalid-number', 1, 7, 'must be followed by digits'],
    ['{"a": 1.}', 'invalid-number', 1, 8, 'decimal point'],
    ['{"a": 1e}', 'invalid-number', 1, 8, 'exponent'],
    ['{"a": +1}', 'invalid-number', 1, 7, 'not "+" or "."'],
    ['{"a": .5}', 'invalid-number', 1, 7, 'not "+" or "."'],
    ['[1e999]', 'number-out-of-range', 1, 2, 'Infinity'],
    ['{"a": 1', 'unexpected-end', 1, 8, 'expected "," or "}"'],
    ['[1, 2', 'unexpected-end', 1, 6, 'expected "," or "]"'],
    ['{"a" 1}', 'unexpected-character', 1, 6, 'expected ":" after a property name, found a digit'],
    [
      '{"a": 1 "b": 2}',
      'unexpected-character',
      1,
      9,
      'expected "," or "}" after a property value, found "\\""',
    ],
    [
      '[1 2]',
      'unexpected-character',
      1,
      4,
      'expected "," or "]" after an array element, found a digit',
    ],
    ['{port: 1}', 'unexpected-character', 1, 2, 'a property name in double quotes, found a letter'],
    ['{"a": undefined}', 'unexpected-character', 1, 7, 'a word that is not true, false or null'],
    ['[NaN]', 'unexpected-character', 1, 2, 'a word that is not true, false or null'],
    ['[True]', 'unexpected-character', 1, 2, 'a word that is not true, false or null'],
    ['[nul]', 'unexpected-character', 1, 2, 'a word that is not true, false or null'],
    ['[nullx]', 'unexpected-character', 1, 2, 'a word that is not true, false or null'],
    [
      '{"a": 1};',
      'trailing-content',
      1,
      9,
      'expected the end of the text after the JSON value, found ";"',
    ],
    ['{} {}', 'trailing-content', 1, 4, 'found "{"'],
    [
      '\ufeff{}',
      'unexpected-character',
      1,
      1,
      'U+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible character',
    ],
    ['[1,\r\n2,\r\n]', 'trailing-comma', 2, 2, 'trailing comma'],
    ['[1,\r2,\r]', 'trailing-comma', 2, 2, 'trailing comma'],
    ['["😀😀", x]', 'unexpected-character', 1, 8, 'a word'],
    ['[\n  "😀", "é",\n  @\n]', 'unexpected-character', 3, 3, 'found "@"'],
  ])('%j: %s at line %i, column %i', (text, reason, line, column, words) => {
    const error = parseError(text);
    expect(error.reason).toBe(reason);
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toContain(`Invalid JSON at line ${line}, column ${column}: `);
    expect(error.message).toContain(words);
    expect(error.path).toBeUndefined();
  });

  it('gives editors the UTF-16 offset (a pair counts twice there, once in the column)', () => {
    const error = parseError('["😀", x]');
    expect(error.column).toBe(7);
    expect(error.offset).toBe(7);
    expect('["😀", x]'.charAt(error.offset!)).toBe('x');
  });

  it('refuses what is not a string', () => {
    const error = parseError(42);
    expect(error.reason).toBe('not-text');
    expect(error.message).toContain('got a number');
  });

  it('never echoes the text', () => {
    const texts = [
      `{"token": "${canary}" x}`,
      `{"token": ${canary}}`,
      `{"token": "${canary}\n"}`,
      `{"token": "${canary}`,
      `{${canary}: 1}`,
      `["${canary}",]`,
      `'${canary}'`,
      `"${canary}" ${canary}`,
      `{"a": "\\q${canary}"}`,
      `[-${canary}]`,
    ];
    for (const text of texts) expectNoLeak(parseError(text));
  });
});
