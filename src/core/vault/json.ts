/**
 * JSON values: what an item or a secret holds. Two entry points, one contract:
 * - `validateJsonValue` takes a value from code and returns a plain copy, or says where it is
 *   not JSON (`$.servers[2].port`);
 * - `parseJsonText` takes text from an editor and says at which line and column it breaks.
 * Neither ever puts the value or the text into an error: both may be secrets.
 */
import { InvalidJsonError, type JsonProblem, ValueTooLargeError } from './errors';
import { describeCharacter, describeType } from './model-describe';

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
 * Deepest nesting of arrays and objects accepted: `[[…]]` with 100 brackets is fine, 101 is
 * refused (reason 'too-deep'). Generous for configuration, and it bounds the recursion.
 * @example
 * const ok = validateJsonValue(JSON.parse('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)));
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Largest value an entry may hold: 1 MiB (1,048,576 bytes) of UTF-8 in its canonical JSON
 * serialization (`JSON.stringify` without spaces), so every device measures the same size.
 * @example
 * if (measureJson(value).size > MAX_VALUE_BYTES) console.warn('too large for an entry');
 */
export const MAX_VALUE_BYTES = 1024 * 1024;

/**
 * Past this many bytes (a lower bound, counted while walking) a value is refused without
 * being walked further: a small object graph that shares subtrees can stand for an enormous
 * JSON text, and must not hang the page. Below it, sizes in errors are exact.
 */
const MAX_WALK_BYTES = 4 * MAX_VALUE_BYTES;

/**
 * A validated value with its canonical serialization and that serialization's UTF-8 size.
 * @example
 * const { value, text, size } = checkJsonValue({ port: 8080 }, { entryName: 'config' });
 * // text === '{"port":8080}', size === 13
 */
export interface CheckedJson {
  readonly value: JsonValue;
  readonly text: string;
  readonly size: number;
}

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
 * `validateJsonValue`, then the canonical serialization and its size, refused with
 * ValueTooLargeError `{ entryName, size, limit }` above `limit` (default MAX_VALUE_BYTES).
 * @example
 * checkJsonValue('x'.repeat(2 ** 20), { entryName: 'BIG' });
 * // ValueTooLargeError: the value of "BIG" is too large: 1048578 bytes as JSON, the limit is 1048576 bytes
 */
export function checkJsonValue(
  value: unknown,
  options: { readonly entryName?: string; readonly limit?: number } = {},
): CheckedJson {
  const copy = new Walker(options.entryName).copy(value, 0);
  return measureJson(copy, options);
}

/**
 * The canonical serialization of an already valid value and its size in UTF-8 bytes; refused
 * with ValueTooLargeError above `limit` (default MAX_VALUE_BYTES).
 * @example
 * measureJson({ name: 'café' }).size; // 16
 */
export function measureJson(
  value: JsonValue,
  options: { readonly entryName?: string; readonly limit?: number } = {},
): CheckedJson {
  const limit = options.limit ?? MAX_VALUE_BYTES;
  const text = JSON.stringify(value);
  const size = utf8Length(text);
  if (size > limit) throw new ValueTooLargeError(options.entryName, size, limit);
  return { value, text, size };
}

/**
 * The length of `text` in UTF-8 bytes, without encoding it (an unpaired surrogate counts as
 * the 3 bytes of the replacement character an encoder writes for it).
 * @example
 * utf8Length('€'); // 3
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Sets an own data property. Plain assignment of `__proto__` would change the object's
 * prototype instead of adding the key that JSON allows.
 */
function setOwn(target: JsonObject, key: string, value: JsonValue): void {
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

/**
 * Parses JSON text typed by a person, with errors that point at the problem: `line` and
 * `column` (1-based, counting characters) and `offset` (0-based UTF-16, for editors), and a
 * reason such as 'trailing-comma', 'single-quote', 'comment', 'unterminated-string'. The
 * message describes what was found ("a letter", `"}"`) and never quotes the text. Accepts
 * exactly RFC 8259 JSON (duplicate keys: the last one wins, as with JSON.parse); refuses
 * nesting deeper than MAX_JSON_DEPTH and numbers too large to store ('number-out-of-range',
 * which JSON.parse would turn into Infinity and then null).
 * @example
 * parseJsonText('{ "port": 8080 }'); // { port: 8080 }
 * parseJsonText('{\n  "port": 8080,\n}');
 * // InvalidJsonError: Invalid JSON at line 2, column 15: a comma cannot come before "}" (trailing comma)
 */
export function parseJsonText(text: string): JsonValue {
  if (typeof text !== 'string') {
    throw new InvalidJsonError(
      { line: 1, column: 1, offset: 0 },
      'not-text',
      `expected the JSON as a string, got ${describeType(text)}`,
    );
  }
  return new TextParser(text).parseDocument();
}

const valueExpected = 'a value (an object, array, string, number, true, false or null)';

/** A recursive-descent parser over UTF-16 code units; positions are turned into lines at the end. */
class TextParser {
  #position = 0;
  #depth = 0;

  constructor(readonly text: string) {}

  parseDocument(): JsonValue {
    this.#skipWhitespace();
    if (this.#position >= this.text.length) {
      this.#fail(0, 'empty', `the text is empty; expected ${valueExpected}`);
    }
    const value = this.#parseValue();
    this.#skipWhitespace();
    if (this.#position < this.text.length) {
      this.#unexpected('the end of the text after the JSON value', 'trailing-content');
    }
    return value;
  }

  #fail(offset: number, reason: JsonProblem, problem: string): never {
    throw new InvalidJsonError(locate(this.text, offset), reason, problem);
  }

  /** An error at the current position, for a character that does not fit there. */
  #unexpected(expected: string, otherwise: JsonProblem = 'unexpected-character'): never {
    const at = this.#position;
    if (at >= this.text.length) {
      return this.#fail(at, 'unexpected-end', `the text ends too early; expected ${expected}`);
    }
    const character = String.fromCodePoint(this.text.codePointAt(at)!);
    if (character === '/') {
      return this.#fail(at, 'comment', 'JSON does not allow comments');
    }
    if (character === "'") {
      return this.#fail(at, 'single-quote', 'strings and property names need double quotes (")');
    }
    return this.#fail(at, otherwise, `expected ${expected}, found ${describeFound(character)}`);
  }

  #skipWhitespace(): void {
    const text = this.text;
    let position = this.#position;
    for (;;) {
      const unit = text.charCodeAt(position);
      if (unit === 0x20 || unit === 0x0a || unit === 0x0d || unit === 0x09) position++;
      else break;
    }
    this.#position = position;
  }

  #parseValue(): JsonValue {
    const unit = this.text.charCodeAt(this.#position);
    switch (unit) {
      case 0x7b: // {
        return this.#parseObject();
      case 0x5b: // [
        return this.#parseArray();
      case 0x22: // "
        return this.#parseString();
      case 0x74: // t
        return this.#parseLiteral('true', true);
      case 0x66: // f
        return this.#parseLiteral('false', false);
      case 0x6e: // n
        return this.#parseLiteral('null', null);
      default:
        if (unit === 0x2d || (unit >= 0x30 && unit <= 0x39)) return this.#parseNumber();
        if (unit === 0x2b || unit === 0x2e) {
          return this.#fail(
            this.#position,
            'invalid-number',
            'a number must start with a digit or "-" (not "+" or ".")',
          );
        }
        if (/[A-Za-z]/.test(this.text.charAt(this.#position))) {
          return this.#fail(
            this.#position,
            'unexpected-character',
            `expected ${valueExpected}, found a word that is not true, false or null (strings need double quotes)`,
          );
        }
        return this.#unexpected(valueExpected);
    }
  }

  #parseLiteral<T extends JsonValue>(word: string, value: T): T {
    const start = this.#position;
    if (
      !this.text.startsWith(word, start) ||
      /[A-Za-z0-9_]/.test(this.text.charAt(start + word.length))
    ) {
      return this.#fail(
        start,
        'unexpected-character',
        `expected ${valueExpected}, found a word that is not true, false or null (strings need double quotes)`,
      );
    }
    this.#position = start + word.length;
    return value;
  }

  #enter(): void {
    if (this.#depth >= MAX_JSON_DEPTH) {
      this.#fail(
        this.#position,
        'too-deep',
        `arrays and objects are nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    this.#depth++;
    this.#position++;
  }

  #parseArray(): JsonValue[] {
    this.#enter();
    const out: JsonValue[] = [];
    this.#skipWhitespace();
    if (this.text.charCodeAt(this.#position) === 0x5d) {
      this.#position++;
      this.#depth--;
      return out;
    }
    for (;;) {
      this.#skipWhitespace();
      out.push(this.#parseValue());
      this.#skipWhitespace();
      const unit = this.text.charCodeAt(this.#position);
      if (unit === 0x5d) {
        this.#position++;
        this.#depth--;
        return out;
      }
      if (unit !== 0x2c) this.#unexpected('"," or "]" after an array element');
      const comma = this.#position++;
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) === 0x5d) {
        this.#fail(comma, 'trailing-comma', 'a comma cannot come before "]" (trailing comma)');
      }
    }
  }

  #parseObject(): JsonObject {
    this.#enter();
    const out: JsonObject = {};
    this.#skipWhitespace();
    if (this.text.charCodeAt(this.#position) === 0x7d) {
      this.#position++;
      this.#depth--;
      return out;
    }
    for (;;) {
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) !== 0x22) {
        this.#unexpected('a property name in double quotes');
      }
      const key = this.#parseString();
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) !== 0x3a)
        this.#unexpected('":" after a property name');
      this.#position++;
      this.#skipWhitespace();
      setOwn(out, key, this.#parseValue());
      this.#skipWhitespace();
      const unit = this.text.charCodeAt(this.#position);
      if (unit === 0x7d) {
        this.#position++;
        this.#depth--;
        return out;
      }
      if (unit !== 0x2c) this.#unexpected('"," or "}" after a property value');
      const comma = this.#position++;
      this.#skipWhitespace();
      if (this.text.charCodeAt(this.#position) === 0x7d) {
        this.#fail(comma, 'trailing-comma', 'a comma cannot come before "}" (trailing comma)');
      }
    }
  }

  #parseString(): string {
    const text = this.text;
    const open = this.#position;
    let position = open + 1;
    let chunkStart = position;
    let out = '';
    for (;;) {
      if (position >= text.length) {
        return this.#fail(
          open,
          'unterminated-string',
          'the string that starts here is not closed with "',
        );
      }
      const unit = text.charCodeAt(position);
      if (unit === 0x22) {
        this.#position = position + 1;
        return out + text.slice(chunkStart, position);
      }
      if (unit < 0x20) {
        const name =
          unit === 0x0a || unit === 0x0d
            ? 'a line break'
            : unit === 0x09
              ? 'a tab'
              : 'a control character';
        const written =
          unit === 0x0a
            ? '\\n'
            : unit === 0x0d
              ? '\\r'
              : unit === 0x09
                ? '\\t'
                : `\\u${unit.toString(16).padStart(4, '0')}`;
        return this.#fail(
          position,
          'control-character',
          `a string cannot contain ${name} as it is; write it as ${written} (or close the string with ")`,
        );
      }
      if (unit !== 0x5c) {
        position++;
        continue;
      }
      out += text.slice(chunkStart, position);
      const escaped = text.charAt(position + 1);
      const simple = simpleEscapes[escaped];
      if (simple !== undefined) {
        out += simple;
        position += 2;
      } else if (
        escaped === 'u' &&
        /^[0-9A-Fa-f]{4}$/.test(text.slice(position + 2, position + 6))
      ) {
        out += String.fromCharCode(Number.parseInt(text.slice(position + 2, position + 6), 16));
        position += 6;
      } else {
        return this.#fail(
          position,
          'invalid-escape',
          'invalid escape in a string: after "\\" comes one of " \\ / b f n r t, or u and four hex digits',
        );
      }
      chunkStart = position;
    }
  }

  #parseNumber(): number {
    const text = this.text;
    const start = this.#position;
    let position = start;
    const digitsFrom = (from: number) => {
      let end = from;
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39)
        end++;
      return end;
    };
    if (text.charCodeAt(position) === 0x2d) position++;
    const integerEnd = digitsFrom(position);
    if (integerEnd === position) {
      this.#fail(start, 'invalid-number', 'a "-" must be followed by digits');
    }
    if (text.charCodeAt(position) === 0x30 && integerEnd > position + 1) {
      this.#fail(start, 'invalid-number', 'a number cannot start with 0 followed by more digits');
    }
    position = integerEnd;
    if (text.charCodeAt(position) === 0x2e) {
      const fractionEnd = digitsFrom(position + 1);
      if (fractionEnd === position + 1) {
        this.#fail(position, 'invalid-number', 'a decimal point must be followed by digits');
      }
      position = fractionEnd;
    }
    const exponent = text.charCodeAt(position);
    if (exponent === 0x65 || exponent === 0x45) {
      let from = position + 1;
      const sign = text.charCodeAt(from);
      if (sign === 0x2b || sign === 0x2d) from++;
      const exponentEnd = digitsFrom(from);
      if (exponentEnd === from) {
        this.#fail(position, 'invalid-number', 'an exponent ("e") must be followed by digits');
      }
      position = exponentEnd;
    }
    const value = Number(text.slice(start, position));
    if (!Number.isFinite(value)) {
      this.#fail(
        start,
        'number-out-of-range',
        'the number is too large to store (it would become Infinity)',
      );
    }
    this.#position = position;
    return value === 0 ? 0 : value;
  }
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** A found character in words: JSON punctuation as itself, anything else by its category. */
function describeFound(character: string): string {
  if (/^[A-Za-z]$/.test(character)) return 'a letter';
  if (/^[0-9]$/.test(character)) return 'a digit';
  if (/^[!-/:-@[-`{-~]$/.test(character)) return JSON.stringify(character);
  if (/^[\s\p{Cc}\p{Cf}\p{Cs}]$/u.test(character)) return describeCharacter(character);
  return 'a character that is not part of JSON syntax';
}

/** 1-based line and column (in code points) of a UTF-16 offset; CRLF, LF and CR end lines. */
function locate(text: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    const unit = text.charCodeAt(index);
    if (unit === 0x0a || (unit === 0x0d && text.charCodeAt(index + 1) !== 0x0a)) {
      line++;
      lineStart = index + 1;
    }
  }
  let column = 1;
  for (let index = lineStart; index < offset; index++) {
    const unit = text.charCodeAt(index);
    if (
      unit >= 0xd800 &&
      unit <= 0xdbff &&
      isLowSurrogate(text.charCodeAt(index + 1)) &&
      index + 1 < offset
    ) {
      index++;
    }
    column++;
  }
  return { line, column, offset };
}
