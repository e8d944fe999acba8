/**
 * Entry ids: random and opaque, so an entry keeps its identity through renames, and two
 * devices that create the same name while apart create two entries, never one overwritten.
 */
import { InvalidEntryIdError } from './errors';
import { describeType } from './model-describe';

/**
 * An entry's id: 8 to 64 base64url characters (`A–Z a–z 0–9 _ -`). Opaque, not secret.
 * The profile makes them from 12 random bytes (16 characters).
 * @example
 * const id: EntryId = asEntryId('Qm9vbXNoYWthbGFr');
 */
export type EntryId = string & { readonly __brand: 'EntryId' };

const MIN_ID_LENGTH = 8;
const MAX_ID_LENGTH = 64;
const idPattern = /^[A-Za-z0-9_-]+$/;

/**
 * Whether `value` is a well-formed entry id.
 * @example
 * isEntryId('Qm9vbXNoYWthbGFr'); // true
 * isEntryId('a b');              // false
 */
export function isEntryId(value: unknown): value is EntryId {
  return (
    typeof value === 'string' &&
    value.length >= MIN_ID_LENGTH &&
    value.length <= MAX_ID_LENGTH &&
    idPattern.test(value)
  );
}

/**
 * Checks that a string is a well-formed entry id and brands it; InvalidEntryIdError otherwise.
 * @example
 * const id = asEntryId(newId()); // newId: () => string, injected by the platform
 */
export function asEntryId(value: unknown): EntryId {
  if (isEntryId(value)) return value;
  if (typeof value !== 'string') {
    throw new InvalidEntryIdError(
      'not-a-string',
      `an entry id is a string, got ${describeType(value)}`,
    );
  }
  if (value.length < MIN_ID_LENGTH || value.length > MAX_ID_LENGTH) {
    throw new InvalidEntryIdError(
      'length',
      `an entry id has ${MIN_ID_LENGTH} to ${MAX_ID_LENGTH} characters, this one has ${value.length}`,
    );
  }
  throw new InvalidEntryIdError(
    'character',
    'an entry id has only base64url characters (A–Z, a–z, 0–9, "_" and "-")',
  );
}
