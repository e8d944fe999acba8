import { describe, expect, it } from 'vitest';
import { InvalidJsonError, ValueTooLargeError } from '../../../src/core/vault/errors';
import { validateJsonValue } from '../../../src/core/vault/json';
import { MAX_JSON_DEPTH, MAX_VALUE_BYTES } from '../../../src/core/vault/json-limits';
import { checkJsonValue } from '../../../src/core/vault/json-size';
import { utf8Length } from '../../../src/core/vault/text-measure';
import { canary, expectNoLeak, thrown } from './support';

function jsonError(value: unknown): InvalidJsonError {
  const error = thrown(() => validateJsonValue(value));
  expect(error).toBeInstanceOf(InvalidJsonError);
  return error as InvalidJsonError;
}

const nested = (depth: number): unknown => {
  let value: unknown = canary;
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { k: value };
  return value;
};

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('validateJsonValue', () => {
  it.each([
    null,
    true,
    false,
    0,
    -1.5,
    1e300,
    '',
    'text with "quotes" and \\ and \n',
    'unpaired \ud800 surrogate',
    [],
    {},
    [1, 'two', null, [true], { three: 3 }],
    { servers: [{ host: 'a', port: 8080 }], tls: { enabled: false } },
    Object.assign(Object.create(null) as object, { nullPrototype: true }),
  ])('accepts and copies %j', (value) => {
    const copy = validateJsonValue(value);
    expect(copy).toEqual(value);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
    if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
  });

  it('returns a deep copy: changing the argument afterwards changes nothing', () => {
    const value = { list: [1, { deep: 'x' }] };
    const copy = validateJsonValue(value) as { list: [number, { deep: string }] };
    value.list.push(2);
    (value.list[1] as { deep: string }).deep = 'changed';
    expect(copy).toEqual({ list: [1, { deep: 'x' }] });
  });

  it('does not modify its input', () => {
    const value = { a: [1, 2, { b: -0 }] };
    const before = structuredClone(value);
    validateJsonValue(value);
    expect(value).toEqual(before);
    expect(Object.is(value.a[2] && (value.a[2] as { b: number }).b, -0)).toBe(true);
  });

  it('accepts -0 and stores it as 0, as JSON would', () => {
    expect(Object.is(validateJsonValue(-0), 0)).toBe(true);
    expect(Object.is((validateJsonValue([-0]) as number[])[0], 0)).toBe(true);
  });

  it('keeps a "__proto__" key as a key, not as a prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const copy = validateJsonValue(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    [
      { servers: [{}, {}, { port: Number.NaN }] },
      '$.servers[2].port',
      'not-finite',
      'NaN is not a JSON number',
    ],
    [{ a: Number.POSITIVE_INFINITY }, '$.a', 'not-finite', 'Infinity is not a JSON number'],
    [[Number.NEGATIVE_INFINITY], '$[0]', 'not-finite', '-Infinity is not a JSON number'],
    [{ a: undefined }, '$.a', 'undefined', 'undefined is not a JSON value'],
    [[undefined], '$[0]', 'undefined', 'undefined is not a JSON value'],
    [undefined, '$', 'undefined', 'undefined is not a JSON value'],
    [{ f: () => canary }, '$.f', 'function', 'a function is not a JSON value'],
    [{ s: Symbol(canary) }, '$.s', 'symbol', 'a symbol is not a JSON value'],
    [{ n: 10n }, '$.n', 'bigint', 'a bigint is not a JSON number'],
    [{ when: new Date(0) }, '$.when', 'not-plain', 'a Date is not plain JSON'],
    [{ m: new Map([[canary, canary]]) }, '$.m', 'not-plain', 'a Map is not plain JSON'],
    [{ s: new Set([canary]) }, '$.s', 'not-plain', 'a Set is not plain JSON'],
    [{ p: new Point(1, 2) }, '$.p', 'not-plain', 'a Point is not plain JSON'],
    [{ bytes: new Uint8Array([1]) }, '$.bytes', 'not-plain', 'a Uint8Array is not plain JSON'],
    [{ boxed: new String(canary) }, '$.boxed', 'not-plain', 'a String is not plain JSON'],
    [{ re: /x/ }, '$.re', 'not-plain', 'a RegExp is not plain JSON'],
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    [{ list: [1, , 3] }, '$.list[1]', 'sparse-array', 'the array has a hole here'],
    [{ 'my key': { 'a.b': [0, Number.NaN] } }, '$["my key"]["a.b"][1]', 'not-finite', 'NaN'],
  ] as const)('refuses %s at %s (%s)', (value, path, reason, words) => {
    const error = jsonError(value);
    expect(error.path).toBe(path);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(
      `Invalid JSON at ${path}: ${error.message.split(': ').slice(1).join(': ')}`,
    );
    expect(error.message).toContain(words);
    expectNoLeak(error);
  });

  it('refuses an array with extra properties', () => {
    const list = Object.assign([1, 2], { extra: canary });
    const error = jsonError({ list });
    expect(error.reason).toBe('array-property');
    expect(error.path).toBe('$.list.extra');
    expectNoLeak(error);
  });

  it('refuses symbol keys', () => {
    const error = jsonError({ a: { [Symbol('k')]: canary, b: 1 } });
    expect(error.reason).toBe('symbol-key');
    expect(error.path).toBe('$.a');
  });

  it('refuses getters without running them', () => {
    let ran = false;
    const value = {
      get secret() {
        ran = true;
        return canary;
      },
    };
    const error = jsonError({ outer: value });
    expect(error.reason).toBe('accessor');
    expect(error.path).toBe('$.outer.secret');
    expect(ran).toBe(false);
  });

  it('refuses cycles and names where the value comes back', () => {
    const value: Record<string, unknown> = { name: canary, children: [{}] };
    (value.children as Record<string, unknown>[])[0]!.parent = value;
    const error = jsonError(value);
    expect(error.reason).toBe('cycle');
    expect(error.path).toBe('$.children[0].parent');
    expectNoLeak(error);
  });

  it('accepts shared (non-cyclic) references, copying each', () => {
    const shared = { x: 1 };
    const copy = validateJsonValue({ a: shared, b: shared }) as { a: object; b: object };
    expect(copy).toEqual({ a: { x: 1 }, b: { x: 1 } });
    expect(copy.a).not.toBe(copy.b);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(() => validateJsonValue(nested(MAX_JSON_DEPTH))).not.toThrow();
    const error = jsonError(nested(MAX_JSON_DEPTH + 1));
    expect(error.reason).toBe('too-deep');
    expect(error.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    expectNoLeak(error);
    // Far deeper input is refused just the same, without exhausting the stack.
    expect(jsonError(nested(100_000)).reason).toBe('too-deep');
  });

  it('refuses a small graph that stands for an enormous text, quickly', () => {
    let value: unknown = [canary];
    for (let level = 0; level < 60; level++) value = [value, value];
    const started = performance.now();
    const error = thrown(() => validateJsonValue(value));
    expect(error).toBeInstanceOf(ValueTooLargeError);
    expect(performance.now() - started).toBeLessThan(5_000);
    expectNoLeak(error);
  });

  it('cuts very long keys in paths', () => {
    const key = 'k'.repeat(500);
    const error = jsonError({ [key]: Number.NaN });
    expect(error.path!.length).toBeLessThan(60);
    expect(error.path).toMatch(/^\$\["k+…"\]$/);
  });
});

describe('value size', () => {
  // A string of n ASCII characters serializes to n + 2 bytes (its quotes).
  const atSize = (bytes: number) => 'x'.repeat(bytes - 2);

  it(`accepts exactly ${MAX_VALUE_BYTES} bytes and refuses one more`, () => {
    const fits = checkJsonValue(atSize(MAX_VALUE_BYTES), { entryName: 'BIG' });
    expect(fits.size).toBe(MAX_VALUE_BYTES);
    const error = thrown(() =>
      checkJsonValue(atSize(MAX_VALUE_BYTES + 1), { entryName: 'BIG' }),
    ) as ValueTooLargeError;
    expect(error).toBeInstanceOf(ValueTooLargeError);
    expect(error.entryName).toBe('BIG');
    expect(error.size).toBe(MAX_VALUE_BYTES + 1);
    expect(error.limit).toBe(MAX_VALUE_BYTES);
    expect(error.message).toBe(
      `the value of "BIG" is too large: ${MAX_VALUE_BYTES + 1} bytes as JSON, the limit is ${MAX_VALUE_BYTES} bytes`,
    );
  });

  it('measures UTF-8 of the canonical serialization (escapes, multi-byte characters, pairs)', () => {
    expect(checkJsonValue({ a: [1, true, null] }).text).toBe('{"a":[1,true,null]}');
    expect(checkJsonValue('é').size).toBe(4);
    expect(checkJsonValue('€').size).toBe(5);
    expect(checkJsonValue('😀').size).toBe(6);
    expect(checkJsonValue('\n').size).toBe(4);
    expect(checkJsonValue('\ud800').size).toBe(8); // escaped as \ud800
    expect(utf8Length('a€😀')).toBe(1 + 3 + 4);
    // Multi-byte characters at the boundary: 3 bytes each.
    const euros = `${'€'.repeat(Math.floor((MAX_VALUE_BYTES - 2) / 3))}`;
    const padding = MAX_VALUE_BYTES - 2 - utf8Length(euros);
    expect(checkJsonValue(euros + 'a'.repeat(padding)).size).toBe(MAX_VALUE_BYTES);
    expect(() => checkJsonValue(`${euros}${'a'.repeat(padding)}é`)).toThrow(ValueTooLargeError);
  });

  it('never puts the value in the error', () => {
    const error = thrown(() => checkJsonValue(canary.repeat(60_000), { entryName: 'BIG' }));
    expect(error).toBeInstanceOf(ValueTooLargeError);
    expectNoLeak(error);
  });
});

describe('errors never contain the value', () => {
  it.each([
    { secret: canary, bad: Number.NaN },
    [canary, undefined],
    { [canary.slice(0, 3)]: canary, d: new Date() },
    { nested: { deeper: [canary, () => canary] } },
  ])('%#', (value) => {
    expectNoLeak(jsonError(value));
  });
});
