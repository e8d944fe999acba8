/**
 * Errors of the entry model. They carry data (which entry, which rule) and say in plain words
 * what was wrong. Names are not secrets and may appear; values never do, in any message or
 * property, because errors end up in logs and bug reports.
 *
 * Error's own `name` property holds the class name, so the name an error is about is carried
 * as `entryName` (or `rejectedName`).
 */

import type { NameStyle } from './entry-types';

/**
 * Which naming rule a name broke.
 * @example
 * const rule: NameRule = 'lowercase'; // an environment-style name with a lowercase letter
 */
export type NameRule =
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'first-character'
  | 'character'
  | 'lowercase'
  | 'control-character'
  | 'unpaired-surrogate';

/** Longest name shown in a message; longer ones are cut (an argument mix-up should not dump a value). */
const maxShownName = 64;

/** A name as messages show it: quoted, and cut if very long. */
function showName(name: string): string {
  const codePoints = Array.from(name);
  const shown =
    codePoints.length > maxShownName ? `${codePoints.slice(0, maxShownName - 1).join('')}…` : name;
  return JSON.stringify(shown);
}

/**
 * A name (of an entry or of a vault) that breaks a naming rule. `rule` says which one; the
 * message says where and how to fix it.
 * @example
 * try {
 *   validateEntryName('api key', 'default');
 * } catch (error) {
 *   if (error instanceof InvalidNameError) console.warn(error.rule); // 'character'
 * }
 */
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
  /** The rejected name, or `undefined` when it was not a string. */
  readonly rejectedName: string | undefined;
  /** Whether an entry's or a vault's name was checked. */
  readonly subject: 'entry' | 'vault';
  /** The entry naming style that applied; `undefined` for vault names. */
  readonly style: NameStyle | undefined;
  readonly rule: NameRule;

  constructor(details: {
    readonly rejectedName: string | undefined;
    readonly subject: 'entry' | 'vault';
    readonly style: NameStyle | undefined;
    readonly rule: NameRule;
    /** What was wrong and how to fix it, in plain words. */
    readonly problem: string;
  }) {
    const what =
      details.subject === 'vault'
        ? 'vault name'
        : details.style === 'environment'
          ? 'environment-style name'
          : 'name';
    super(
      details.rejectedName === undefined
        ? `not a valid ${what}: ${details.problem}`
        : `${showName(details.rejectedName)} is not a valid ${what}: ${details.problem}`,
    );
    this.rejectedName = details.rejectedName;
    this.subject = details.subject;
    this.style = details.style;
    this.rule = details.rule;
  }
}

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
export class InvalidJsonError extends Error {
  override readonly name = 'InvalidJsonError';
  readonly reason: JsonProblem;
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

/**
 * A value whose canonical JSON is larger than the limit (`MAX_VALUE_BYTES`, 1 MiB of UTF-8).
 * @example
 * try {
 *   store.set('BIG', { kind: 'item', value: 'x'.repeat(2 ** 20) });
 * } catch (error) {
 *   if (error instanceof ValueTooLargeError) console.warn(`${error.size} > ${error.limit}`);
 * }
 */
export class ValueTooLargeError extends Error {
  override readonly name = 'ValueTooLargeError';
  /**
   * @param entryName the entry the value was for, when known.
   * @param size UTF-8 bytes of the canonical JSON; for values beyond 4 MiB, the count at which
   *   measuring stopped.
   */
  constructor(
    readonly entryName: string | undefined,
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `the value${entryName === undefined ? '' : ` of ${showName(entryName)}`} is too large: ${size} bytes as JSON, the limit is ${limit} bytes`,
    );
  }
}

/**
 * Another entry already has this name (a rename onto it, or a create-only `set`).
 * @example
 * try {
 *   store.rename('old', 'API_KEY');
 * } catch (error) {
 *   if (error instanceof NameTakenError) console.warn(`${error.entryName} is taken`);
 * }
 */
export class NameTakenError extends Error {
  override readonly name = 'NameTakenError';
  constructor(readonly entryName: string) {
    super(`an entry named ${showName(entryName)} already exists in this vault`);
  }
}

/**
 * No entry has this name (or id).
 * @example
 * try {
 *   store.rename('missing', 'other');
 * } catch (error) {
 *   if (error instanceof EntryNotFoundError) console.warn(error.entryName);
 * }
 */
export class EntryNotFoundError extends Error {
  override readonly name = 'EntryNotFoundError';
  readonly entryName: string | undefined;
  readonly entryId: string | undefined;
  constructor(ref: { readonly name: string } | { readonly id: string }) {
    super(
      'name' in ref
        ? `there is no entry named ${showName(ref.name)} in this vault`
        : `there is no entry with id ${JSON.stringify(ref.id)} in this vault`,
    );
    this.entryName = 'name' in ref ? ref.name : undefined;
    this.entryId = 'id' in ref ? ref.id : undefined;
  }
}

/**
 * An entry whose kind-specific shape is wrong: an unknown kind, a connection without a type, a
 * field that is not `{ value, secret }`, ... It says which part (`field`, like
 * `value.fields.password.secret`), what was expected, and what kind of thing arrived (a type
 * such as "a number", never the value).
 * @example
 * try {
 *   store.set('db', { kind: 'connection', value: { fields: {} } } as never);
 * } catch (error) {
 *   if (error instanceof InvalidEntryError) console.warn(error.field); // 'value.type'
 * }
 */
export class InvalidEntryError extends Error {
  override readonly name = 'InvalidEntryError';
  constructor(
    readonly entryName: string,
    readonly field: string,
    readonly expected: string,
    readonly received: string,
  ) {
    super(
      `${showName(entryName)} is not a valid entry: ${field} must be ${expected}, got ${received}`,
    );
  }
}

/**
 * An entry in the document does not have the layout this version writes (a key missing or of
 * the wrong type): written by a faulty build, or left half by concurrent changes. It names the
 * entry and the key, never the stored value.
 * @example
 * try {
 *   store.get('API_KEY');
 * } catch (error) {
 *   if (error instanceof MalformedEntryError) console.warn(error.entryId, error.key);
 * }
 */
export class MalformedEntryError extends Error {
  override readonly name = 'MalformedEntryError';
  constructor(
    readonly entryId: string,
    readonly entryName: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`entry ${showName(entryName)} (id ${entryId}) is damaged: ${key} ${problem}`);
  }
}

/**
 * A string that is not a well-formed entry id (see `asEntryId`), or a new id that is already
 * in use (a broken random source).
 * @example
 * try {
 *   asEntryId('no spaces allowed');
 * } catch (error) {
 *   if (error instanceof InvalidEntryIdError) console.warn(error.reason); // 'character'
 * }
 */
export class InvalidEntryIdError extends Error {
  override readonly name = 'InvalidEntryIdError';
  constructor(
    readonly reason: 'not-a-string' | 'length' | 'character' | 'in-use',
    problem: string,
  ) {
    super(`not a usable entry id: ${problem}`);
  }
}

/**
 * A name style other than 'default' or 'environment'.
 * @example
 * try {
 *   store.nameStyle = 'kebab' as NameStyle;
 * } catch (error) {
 *   if (error instanceof InvalidNameStyleError) console.warn(error.received); // 'a string'
 * }
 */
export class InvalidNameStyleError extends Error {
  override readonly name = 'InvalidNameStyleError';
  constructor(readonly received: string) {
    super(`a name style is 'default' or 'environment', got ${received}`);
  }
}
