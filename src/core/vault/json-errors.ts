/**
 * Errors about JSON values and texts: a value that is not plain JSON, or a text that does not
 * parse. Neither the value nor the text is ever part of the error.
 * Each class has a stable `code` (src/core/errors).
 */

import { CofferError } from '../errors';

/**
 * What is wrong with a JSON value or text. Value checks report the first four groups; text
 * parsing reports the rest (and 'too-deep').
 * @example
 * const reason: JsonProblem = 'not-finite'; // NaN or ±Infinity
 */
export type JsonProblem =
  // a value that is not plain JSON
  | 'undefined'
  | 'function'
  | 'symbol'
  | 'bigint'
  | 'not-finite'
  | 'cycle'
  | 'not-plain'
  | 'sparse-array'
  | 'array-property'
  | 'symbol-key'
  | 'accessor'
  | 'too-deep'
  // JSON text that does not parse
  | 'not-text'
  | 'empty'
  | 'unexpected-end'
  | 'unexpected-character'
  | 'unterminated-string'
  | 'invalid-escape'
  | 'control-character'
  | 'invalid-number'
  | 'number-out-of-range'
  | 'trailing-comma'
  | 'trailing-content'
  | 'comment'
  | 'single-quote';

/**
 * Where a JSON problem is: a path into a value, or a place in a text.
 * @example
 * const inValue: JsonLocation = { path: '$.servers[2].port' };
 * const inText: JsonLocation = { line: 2, column: 15, offset: 16 };
 */
export type JsonLocation =
  | { readonly path: string }
  | { readonly line: number; readonly column: number; readonly offset: number };

/**
 * A value that is not plain JSON (`path` says where, like `$.servers[2].port`), or a JSON text
 * that does not parse (`line` and `column`, 1-based, and the 0-based UTF-16 `offset`).
 * Neither the value nor the text is ever part of the error.
 * @example
 * try {
 *   validateJsonValue({ port: Number.NaN });
 * } catch (error) {
 *   if (error instanceof InvalidJsonError) console.warn(error.path, error.reason); // '$.port' 'not-finite'
 * }
 */
export class InvalidJsonError extends CofferError {
  override readonly name = 'InvalidJsonError';
  override readonly code = 'invalid-json' as const;
  readonly reason: JsonProblem;
  /** What is wrong, in plain words, without the place (the message adds the place). */
  readonly problem: string;
  /** Where in the value, for value checks; `undefined` for text. */
  readonly path: string | undefined;
  /** 1-based line in the text, for text; `undefined` for values. */
  readonly line: number | undefined;
  /** 1-based column (in characters, a surrogate pair counting as one), for text. */
  readonly column: number | undefined;
  /** 0-based offset in UTF-16 code units (what editors use), for text. */
  readonly offset: number | undefined;

  constructor(location: JsonLocation, reason: JsonProblem, problem: string) {
    super(
      'path' in location
        ? `Invalid JSON at ${location.path}: ${problem}`
        : `Invalid JSON at line ${location.line}, column ${location.column}: ${problem}`,
    );
    this.reason = reason;
    this.problem = problem;
    if ('path' in location) {
      this.path = location.path;
      this.line = undefined;
      this.column = undefined;
      this.offset = undefined;
    } else {
      this.path = undefined;
      this.line = location.line;
      this.column = location.column;
      this.offset = location.offset;
    }
  }
}
