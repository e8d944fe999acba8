/**
 * The size of a JSON value, as every device measures it: the UTF-8 length of its canonical
 * serialization (`JSON.stringify` without spaces). `checkJsonValue` validates and measures in
 * one call; `measureJson` measures a value already known to be valid. Above the limit both
 * throw ValueTooLargeError, which carries sizes and the entry's name, never the value.
 */
import { ValueTooLargeError } from './errors';
import { copyJsonValue, type JsonValue } from './json';
import { MAX_VALUE_BYTES } from './json-limits';
import { utf8Length } from './text-measure';

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
  const copy = copyJsonValue(value, options.entryName);
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
