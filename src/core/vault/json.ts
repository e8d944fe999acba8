/**
 * JSON values: the types an item or a secret holds, and `validateJsonValue`, which takes a value
 * from code and returns a plain copy, or says where it is not JSON (`$.servers[2].port`).
 * Text from an editor goes through `parseJsonText` (json-text.ts); sizes and the canonical
 * serialization are in json-size.ts, the limits in json-limits.ts. No error ever holds the
 * value: it may be a secret.
 */
import { InvalidJsonError, type JsonProblem, ValueTooLargeError } from './errors';
import { MAX_JSON_DEPTH, MAX_VALUE_BYTES, MAX_WALK_BYTES } from './json-limits';
import { describeType } from './model-describe';

/**
 * A JSON value as parsed: objects, arrays, strings, finite numbers, booleans and null.
 * @example
 * const config: JsonValue = { servers: ['a', 'b'], port: 8080, tls: true, proxy: null };
 */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

/**
 * A JSON scalar.
 * @example
 * const port: JsonPrimitive = 8080;
 */
export type JsonPrimitive = string | number | boolean | null;

/**
 * A JSON object.
 * @example
 * const server: JsonObject = { host: 'db.internal', port: 5432 };
 */
export type JsonObject = { [key: string]: JsonValue };

/**
 * Checks that `value` is plain JSON and returns a deep copy of it (so later changes to the
 * argument change nothing). `-0` becomes `0`, as JSON would make it. Refused, with
 * InvalidJsonError `{ path, reason }`: undefined, functions, symbols, bigints, NaN and
 * ±Infinity, cycles, objects that are not plain (Date, Map, Set, class instances, typed
 * arrays, boxed primitives), sparse arrays or arrays with extra properties, symbol keys,
 * getters and setters, and nesting deeper than MAX_JSON_DEPTH. Values beyond 4 MiB are
 * refused with ValueTooLargeError before they are walked to the end.
 * @example
 * validateJsonValue({ servers: [{ port: 8080 }] }); // a copy
 * validateJsonValue({ servers: [{}, {}, { port: Number.NaN }] });
 * // InvalidJsonError: Invalid JSON at $.servers[2].port: NaN is not a JSON number
 */
export function validateJsonValue(value: unknown): JsonValue {
  return new Walker(undefined).copy(value, 0);
}

/**
 * `validateJsonValue` for the value of an entry: a ValueTooLargeError then names the entry.
 * @example
 * const copy = copyJsonValue({ port: 8080 }, 'config');
 */
export function copyJsonValue(value: unknown, entryName: string | undefined): JsonValue {
  return new Walker(entryName).copy(value, 0);
}

/**
 * Sets an own data property. Plain assignment of `__proto__` would change the object's
 * prototype instead of adding the key that JSON allows.
 */
export function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const maxShownKey = 40;

/**
 * `$.servers[2].port`; keys that are not identifiers are quoted (`$["my key"]`), and very long
 * keys are cut, since the path goes into messages.
 */
function formatPath(segments: readonly (string | number)[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (identifier.test(segment) && segment.length <= maxShownKey) path += `.${segment}`;
    else {
      const characters = Array.from(segment);
      const shown =
        characters.length > maxShownKey
          ? `${characters.slice(0, maxShownKey - 1).join('')}…`
          : segment;
      path += `[${JSON.stringify(shown)}]`;
    }
  }
  return path;
}

/** One walk over a value: checks it, copies it, and bounds the work it may take. */
class Walker {
  readonly #segments: (string | number)[] = [];
  readonly #ancestors = new Set<object>();
  #counted = 0;

  constructor(readonly entryName: string | undefined) {}

  #fail(reason: JsonProblem, problem: string): never {
    throw new InvalidJsonError({ path: formatPath(this.#segments) }, reason, problem);
  }

  #count(bytes: number): void {
    this.#counted += bytes;
    if (this.#counted > MAX_WALK_BYTES) {
      throw new ValueTooLargeError(this.entryName, this.#counted, MAX_VALUE_BYTES);
    }
  }

  copy(value: unknown, depth: number): JsonValue {
    switch (typeof value) {
      case 'string':
        this.#count(value.length + 2);
        return value;
      case 'boolean':
        this.#count(4);
        return value;
      case 'number':
        if (!Number.isFinite(value))
          this.#fail('not-finite', `${describeType(value)} is not a JSON number`);
        this.#count(1);
        return value === 0 ? 0 : value;
      case 'undefined':
        return this.#fail(
          'undefined',
          'undefined is not a JSON value (leave the property out, or use null)',
        );
      case 'bigint':
        return this.#fail('bigint', 'a bigint is not a JSON number (store it as a string)');
      case 'function':
        return this.#fail('function', 'a function is not a JSON value');
      case 'symbol':
        return this.#fail('symbol', 'a symbol is not a JSON value');
      default:
        break;
    }
    if (value === null) {
      this.#count(4);
      return null;
    }
    const container = value as object;
    if (this.#ancestors.has(container)) {
      this.#fail('cycle', 'the value contains itself (a cycle)');
    }
    if (depth >= MAX_JSON_DEPTH) {
      this.#fail('too-deep', `arrays and objects are nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const prototype: unknown = Object.getPrototypeOf(container);
    this.#ancestors.add(container);
    try {
      if (Array.isArray(container) && prototype === Array.prototype) {
        return this.#copyArray(container, depth + 1);
      }
      if (prototype === Object.prototype || prototype === null) {
        return this.#copyObject(container, depth + 1);
      }
      return this.#fail(
        'not-plain',
        `${describeType(container)} is not plain JSON (use objects, arrays, strings, numbers, booleans and null)`,
      );
    } finally {
      this.#ancestors.delete(container);
    }
  }

  #copyArray(array: readonly unknown[], depth: number): JsonValue[] {
    this.#count(2);
    const length = array.length;
    const out: JsonValue[] = new Array(length);
    for (let index = 0; index < length; index++) {
      this.#segments.push(index);
      const descriptor = Object.getOwnPropertyDescriptor(array, index);
      if (descriptor === undefined) {
        this.#fail('sparse-array', 'the array has a hole here (a sparse array)');
      }
      if (!('value' in descriptor)) {
        this.#fail('accessor', 'the element is a getter or setter, not a plain value');
      }
      out[index] = this.copy(descriptor.value, depth);
      this.#segments.pop();
      this.#count(1);
    }
    if (Object.keys(array).length !== length) {
      const extra = Object.keys(array).find((key) => !/^(0|[1-9][0-9]*)$/.test(key)) ?? '';
      this.#segments.push(extra);
      this.#fail('array-property', 'the array has a property that is not an index');
    }
    if (Object.getOwnPropertySymbols(array).length > 0) {
      this.#fail('symbol-key', 'the array has a symbol key');
    }
    return out;
  }

  #copyObject(object: object, depth: number): JsonObject {
    if (Object.getOwnPropertySymbols(object).length > 0) {
      this.#fail('symbol-key', 'the object has a symbol key');
    }
    this.#count(2);
    const out: JsonObject = {};
    for (const key of Object.keys(object)) {
      this.#segments.push(key);
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor === undefined || !('value' in descriptor)) {
        this.#fail('accessor', 'the property is a getter or setter, not a plain value');
      }
      this.#count(key.length + 4);
      setOwn(out, key, this.copy(descriptor.value, depth));
      this.#segments.pop();
    }
    return out;
  }
}
