/**
 * Errors of the entry model. They carry data (which entry, which rule) and say in plain words
 * what was wrong.
 * Names are not secrets and may appear; values never do, in any message or property, because
 * errors end up in logs and bug reports. Each class has a stable `code` (src/core/errors).
 *
 * Error's own `name` property holds the class name, so the name an error is about is carried
 * as `entryName`.
 *
 * This file holds the errors about entries; the errors about names (name-errors.ts) and JSON
 * (json-errors.ts) are re-exported from here, so the vault's files import every error from one
 * place.
 */

import { CofferError } from '../errors';
import { showName } from './show-name';

export { InvalidJsonError, type JsonLocation, type JsonProblem } from './json-errors';
export {
  ConfusableNameError,
  InvalidNameError,
  InvalidNameStyleError,
  type NameRule,
} from './name-errors';

/**
 * A value whose canonical JSON is larger than the limit (`MAX_VALUE_BYTES`, 1 MiB of UTF-8).
 * @example
 * try {
 *   store.set('BIG', { kind: 'item', value: 'x'.repeat(2 ** 20) });
 * } catch (error) {
 *   if (error instanceof ValueTooLargeError) console.warn(`${error.size} > ${error.limit}`);
 * }
 */
export class ValueTooLargeError extends CofferError {
  override readonly name = 'ValueTooLargeError';
  override readonly code = 'value-too-large' as const;
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
export class NameTakenError extends CofferError {
  override readonly name = 'NameTakenError';
  override readonly code = 'name-taken' as const;
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
export class EntryNotFoundError extends CofferError {
  override readonly name = 'EntryNotFoundError';
  override readonly code = 'entry-not-found' as const;
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
export class InvalidEntryError extends CofferError {
  override readonly name = 'InvalidEntryError';
  override readonly code = 'invalid-entry' as const;
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
export class MalformedEntryError extends CofferError {
  override readonly name = 'MalformedEntryError';
  override readonly code = 'malformed-entry' as const;
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
