/**
 * Sentences for the recovery kit's errors (src/core/recovery), chosen by code. They name the
 * group of the code that looks wrong, never the code.
 */
import type {
  RecoveryCodeInvalidError,
  RecoveryCodeWrongError,
  RecoveryNotSetError,
} from '../../core/recovery';

export type RecoveryCoreError =
  | RecoveryCodeInvalidError
  | RecoveryCodeWrongError
  | RecoveryNotSetError;

/** What went wrong with a recovery code, in words a person can act on. */
export function recoveryErrorText(error: RecoveryCoreError): string {
  switch (error.code) {
    case 'recovery-code-invalid':
      if (error.group === undefined)
        return 'That is not a whole recovery code: it has 31 letters and digits in 5 groups. Check that none is missing.';
      return error.problem === 'check'
        ? `Group ${error.group} of the code looks mistyped. Compare it with your kit, character by character.`
        : error.problem === 'length'
          ? `Group ${error.group} of the code has a character too many or too few.`
          : `Group ${error.group} of the code has a character a recovery code never has.`;
    case 'recovery-code-wrong':
      return 'This recovery code does not open this profile. If you made a new code since, only the newest one works.';
    case 'recovery-not-set':
      return 'This profile has no recovery code, so only its passphrase can open it.';
  }
}
