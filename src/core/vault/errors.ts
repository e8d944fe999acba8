/**
 * Errors of the entry model. They carry data (which entry, which rule) and say in plain words
 * what was wrong. Names are not secrets and may appear; values never do, in any message or
 * property, because errors end up in logs and bug reports.
 *
 * Error's own `name` property holds the class name, so the name an error is about is carried
 * as `entryName` (or `rejectedName`).
 */

import type { NameStyle } from './entry-types';
import { describeCharacter } from './model-describe';

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
  | 'bidi-control'
  | 'invisible-character'
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

/** Look-alike ASCII characters, named so a message about them can be read in any font. */
const asciiLookalikes: Readonly<Record<string, string>> = {
  '0': 'digit zero',
  '1': 'digit one',
  I: 'capital letter I',
  O: 'capital letter O',
  l: 'small letter L',
  '|': 'vertical line',
};

const isShown = (character: string) =>
  !/^[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}]$/u.test(character);

/**
 * One or more characters of a name in plain words, for ConfusableNameError. `words` adds the
 * names of ASCII look-alikes ("1" and "l" side by side need them; "о" vs "o" does not, since
 * the Cyrillic one is named).
 */
function describeCharacters(characters: readonly string[], words = false): string {
  if (characters.length === 1) {
    const character = characters[0]!;
    const word = words ? asciiLookalikes[character] : undefined;
    return word === undefined
      ? describeCharacter(character)
      : `${JSON.stringify(character)} (${word})`;
  }
  return characters.every(isShown)
    ? JSON.stringify(characters.join(''))
    : characters.map((character) => describeCharacter(character)).join(', ');
}

/**
 * Where two confusable names differ: the part between their common beginning and their common
 * end, or, when the two parts have the same length, the first character that differs by more
 * than letter case (or by case, if that is all).
 */
function differenceOf(
  rejectedName: string,
  existingName: string,
): {
  readonly position: number;
  readonly rejectedCharacters: string;
  readonly existingCharacters: string;
  readonly problem: string;
} {
  const rejected = Array.from(rejectedName);
  const existing = Array.from(existingName);
  const shorter = Math.min(rejected.length, existing.length);
  let start = 0;
  while (start < shorter && rejected[start] === existing[start]) start++;
  let end = 0;
  while (
    end < shorter - start &&
    rejected[rejected.length - 1 - end] === existing[existing.length - 1 - end]
  ) {
    end++;
  }
  const ours = rejected.slice(start, rejected.length - end);
  const theirs = existing.slice(start, existing.length - end);
  if (ours.length === theirs.length && ours.length > 0) {
    const differing = ours.map((_, at) => at).filter((at) => ours[at] !== theirs[at]);
    const lookalike = differing.find((at) => ours[at]!.toLowerCase() !== theirs[at]!.toLowerCase());
    const at = lookalike ?? differing[0]!;
    const position = start + at + 1;
    const mine = ours[at]!;
    const other = theirs[at]!;
    const words = mine < '\x80' && other < '\x80';
    return {
      position,
      rejectedCharacters: mine,
      existingCharacters: other,
      problem:
        lookalike === undefined
          ? `the names differ only in letter case (character ${position} is ${JSON.stringify(mine)}, not ${JSON.stringify(other)})`
          : `character ${position} is ${describeCharacters([mine], words)}, which looks like ${describeCharacters([other], words)}`,
    };
  }
  const position = start + 1;
  const result = {
    position,
    rejectedCharacters: ours.join(''),
    existingCharacters: theirs.join(''),
  };
  if (ours.length === 0) {
    return {
      ...result,
      problem: `character ${position} of the existing name is ${describeCharacters(theirs)}, which this one lacks`,
    };
  }
  if (theirs.length === 0) {
    return {
      ...result,
      problem: `${ours.length === 1 ? `character ${position} is` : `characters ${position}–${start + ours.length} are`} ${describeCharacters(ours)}, which the existing name does not have`,
    };
  }
  return {
    ...result,
    problem:
      ours.length === 1
        ? `character ${position} is ${describeCharacters(ours)}, which looks like ${describeCharacters(theirs)}`
        : `characters ${position}–${start + ours.length} are ${describeCharacters(ours)}, which look like ${describeCharacters(theirs)}`,
  };
}

/**
 * A new name (of an entry or a vault) that could be mistaken for an existing one: the same
 * Unicode skeleton (UTS #39), as given or once both are lowercase. It says which existing name,
 * and where they differ: `position` (1-based, in characters) and the characters there.
 * @example
 * try {
 *   store.set('KEY_l', { kind: 'secret', value: 'v' }); // while KEY_1 exists
 * } catch (error) {
 *   if (error instanceof ConfusableNameError) console.warn(error.existingName); // 'KEY_1'
 * }
 * // "KEY_l" looks the same as the existing entry "KEY_1": character 5 is "l" (small letter L),
 * // which looks like "1" (digit one); choose a name that cannot be mistaken for it
 */
export class ConfusableNameError extends Error {
  override readonly name = 'ConfusableNameError';
  /** The refused new name. */
  readonly rejectedName: string;
  /** The name already in use that it looks like. */
  readonly existingName: string;
  readonly subject: 'entry' | 'vault';
  /** 1-based position (in characters) in `rejectedName` where the two names start to differ. */
  readonly position: number;
  /** The characters of `rejectedName` at `position` that differ (empty if it lacks some). */
  readonly rejectedCharacters: string;
  /** The characters of `existingName` they stand for (empty if the rejected name adds some). */
  readonly existingCharacters: string;

  constructor(details: {
    readonly rejectedName: string;
    readonly existingName: string;
    readonly subject: 'entry' | 'vault';
  }) {
    const difference = differenceOf(details.rejectedName, details.existingName);
    super(
      `${showName(details.rejectedName)} looks the same as the existing ${details.subject} ${showName(details.existingName)}: ${difference.problem}; choose a name that cannot be mistaken for it`,
    );
    this.rejectedName = details.rejectedName;
    this.existingName = details.existingName;
    this.subject = details.subject;
    this.position = difference.position;
    this.rejectedCharacters = difference.rejectedCharacters;
    this.existingCharacters = difference.existingCharacters;
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

// InvalidEntryIdError lives with the id formats in src/core/ids; re-exported for the vault's callers.
export { InvalidEntryIdError } from '../ids';

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
