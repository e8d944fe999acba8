/**
 * The limits every JSON value of a vault is held to, in one place so that validation, parsing
 * and measuring agree, and every device refuses the same values.
 */

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
export const MAX_WALK_BYTES = 4 * MAX_VALUE_BYTES;
