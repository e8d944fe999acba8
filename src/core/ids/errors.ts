/**
 * Errors of the ids module. They carry data (which kind of id, what was wrong, how long it
 * was) and never quote the value: a string that was meant to be an id may be anything.
 */

import { CofferTypeError } from '../errors';

/** The kinds of id this module knows. */
export type IdKind = 'vault' | 'entry' | 'device' | 'invite' | 'integration';

/**
 * Why a value is not a usable id: not a string; the wrong length; a character outside
 * base64url; base64url that is not the one canonical spelling of its bytes (a last character
 * with non-zero unused bits); or, for a new entry id, one already in use (a broken random
 * source).
 */
export type IdProblem = 'not-a-string' | 'length' | 'character' | 'not-canonical' | 'in-use';

/**
 * A value that is not a well-formed id of the expected kind. A TypeError, as the checks it
 * replaces threw.
 * @example
 * try {
 *   asVaultId('short');
 * } catch (error) {
 *   if (error instanceof InvalidIdError) console.warn(error.kind, error.reason); // 'vault' 'length'
 * }
 */
export class InvalidIdError extends CofferTypeError {
  override readonly name: string = 'InvalidIdError';
  override readonly code: 'invalid-id' | 'invalid-entry-id' = 'invalid-id';
  constructor(
    readonly kind: IdKind,
    readonly reason: IdProblem,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`not a usable ${kind} id: ${problem}`, options);
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
export class InvalidEntryIdError extends InvalidIdError {
  override readonly name = 'InvalidEntryIdError';
  override readonly code = 'invalid-entry-id' as const;
  declare readonly reason: 'not-a-string' | 'length' | 'character' | 'in-use';
  constructor(reason: 'not-a-string' | 'length' | 'character' | 'in-use', problem: string) {
    super('entry', reason, problem);
  }
}
