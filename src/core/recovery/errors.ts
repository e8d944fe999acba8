/**
 * Errors of the recovery kit. They name a group of the code at most, never the code itself.
 */
import { CofferError } from '../errors';

/** Why a typed recovery code cannot be a recovery code (before anything is read or derived). */
export type RecoveryCodeProblem =
  /** Too few or too many characters (or groups). */
  | 'length'
  /** A character that is not in the code's alphabet at that place. */
  | 'character'
  /** The group's check character does not match its other characters: a typo. */
  | 'check';

/**
 * The text is not a well-formed recovery code: a typo the check characters caught, a missing
 * or extra character, or a character the code never has. `group` (1 to 5) says where, when it
 * can be told; the code is never in the message.
 */
export class RecoveryCodeInvalidError extends CofferError {
  override readonly name = 'RecoveryCodeInvalidError';
  override readonly code = 'recovery-code-invalid' as const;
  constructor(
    readonly problem: RecoveryCodeProblem,
    /** 1-based group of the code that looks wrong; undefined when the length is off overall. */
    readonly group: number | undefined,
  ) {
    super(
      group === undefined
        ? 'the recovery code does not have the right number of characters'
        : problem === 'check'
          ? `group ${group} of the recovery code looks mistyped`
          : problem === 'length'
            ? `group ${group} of the recovery code has the wrong number of characters`
            : `group ${group} of the recovery code has a character a code never has`,
    );
  }
}

/** A well-formed recovery code that is not this profile's current one. Nothing was changed. */
export class RecoveryCodeWrongError extends CofferError {
  override readonly name = 'RecoveryCodeWrongError';
  override readonly code = 'recovery-code-wrong' as const;
  constructor() {
    super(
      'this recovery code does not open this profile (it may have been replaced by a newer one)',
    );
  }
}

/** This profile has no recovery code: none was made, or it was removed. */
export class RecoveryNotSetError extends CofferError {
  override readonly name = 'RecoveryNotSetError';
  override readonly code = 'recovery-not-set' as const;
  constructor() {
    super('this profile has no recovery code');
  }
}
