/**
 * The pure JSON diff that history's comparison uses: paths for objects and arrays, one change
 * where types differ, nothing for equal values, inputs left as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffJson } from '../../../src/core/vault/history';
import type { JsonValue } from '../../../src/core/vault/json';

const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

describe('diffJson', () => {
  it('gives added, removed and changed paths, in path order', () => {
    expect(
      diffJson(
        { a: 1, b: [1, 2, 3], c: { d: 'x' }, gone: true },
        { a: 2, b: [1, 5], c: { d: 'x', e: null }, z: [] },
      ),
    ).toEqual([
      { path: ['a'], change: 'changed', before: 1, after: 2 },
      { path: ['b', 1], change: 'changed', before: 2, after: 5 },
      { path: ['b', 2], change: 'removed', before: 3 },
      { path: ['c', 'e'], change: 'added', after: null },
      { path: ['gone'], change: 'removed', before: true },
      { path: ['z'], change: 'added', after: [] },
    ]);
  });

  it('a change of type is one change at its path; -0 and 0 differ', () => {
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([
      { path: ['a'], change: 'changed', before: [1], after: { 0: 1 } },
    ]);
    expect(diffJson(-0, 0)).toHaveLength(1);
    expect(diffJson('x', 'x')).toEqual([]);
  });

  it('keys such as __proto__ are compared as data', () => {
    const before = JSON.parse('{"__proto__": {"a": 1}}') as JsonValue;
    const after = JSON.parse('{"__proto__": {"a": 2}}') as JsonValue;
    expect(diffJson(before, after)).toEqual([
      { path: ['__proto__', 'a'], change: 'changed', before: 1, after: 2 },
    ]);
  });

  it('is empty exactly when the values are equal, and leaves its inputs as they were', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const textA = JSON.stringify(a);
        const textB = JSON.stringify(b);
        const changes = diffJson(a, b);
        expect(changes.length === 0).toBe(sameJson(a, b));
        expect(diffJson(a, structuredClone(a))).toEqual([]);
        expect(JSON.stringify(a)).toBe(textA);
        expect(JSON.stringify(b)).toBe(textB);
      }),
    );
  });
});

/** Deep equality of JSON values where key order does not matter and -0 is not 0. */
function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameJson(item, b[i]!))
    );
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      ka.length === kb.length &&
      ka.every(
        (key, i) => key === kb[i] && sameJson(a[key]!, (b as Record<string, JsonValue>)[key]!),
      )
    );
  }
  return Object.is(a, b);
}
