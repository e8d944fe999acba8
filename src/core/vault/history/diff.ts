/**
 * A small pure diff of two JSON values by path: what was added, removed or changed. Objects
 * are compared key by key (keys sorted, so the result is the same everywhere), arrays index by
 * index; anything else (or a change of type) is one change at its path.
 */
import type { JsonValue } from '../json';

/**
 * A path into a JSON value: object keys and array indices.
 * @example
 * const path: JsonPath = ['servers', 0, 'host'];
 */
export type JsonPath = readonly (string | number)[];

/**
 * One difference. `before` is absent for an addition, `after` for a removal.
 * @example
 * const change: JsonChange = { path: ['port'], change: 'changed', before: 80, after: 443 };
 */
export interface JsonChange {
  readonly path: JsonPath;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

type JsonObject = { readonly [key: string]: JsonValue };

const isObject = (value: JsonValue): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const own = (object: JsonObject, key: string): boolean => Object.hasOwn(object, key);

/**
 * The differences from `before` to `after`, in path order; empty when they are equal (`-0`
 * and `0` differ: they are different JSON texts). Inputs are not modified.
 * @example
 * diffJson({ a: 1, b: [1] }, { a: 2, b: [1, 2] });
 * // [{ path: ['a'], change: 'changed', before: 1, after: 2 }, { path: ['b', 1], change: 'added', after: 2 }]
 */
export function diffJson(before: JsonValue, after: JsonValue): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before, after, [], out);
  return out;
}

function walk(before: JsonValue, after: JsonValue, path: JsonPath, out: JsonChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) walk(before[i]!, after[i]!, [...path, i], out);
    for (let i = common; i < before.length; i++) {
      out.push({ path: [...path, i], change: 'removed', before: before[i]! });
    }
    for (let i = common; i < after.length; i++) {
      out.push({ path: [...path, i], change: 'added', after: after[i]! });
    }
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const inBefore = own(before, key);
      const inAfter = own(after, key);
      if (inBefore && inAfter) walk(before[key]!, after[key]!, [...path, key], out);
      else if (inBefore)
        out.push({ path: [...path, key], change: 'removed', before: before[key]! });
      else out.push({ path: [...path, key], change: 'added', after: after[key]! });
    }
    return;
  }
  if (!Object.is(before, after)) out.push({ path, change: 'changed', before, after });
}
