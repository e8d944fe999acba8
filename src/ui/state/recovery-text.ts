/**
 * What the recovery screens say when something fails: by error code (src/core/errors), with
 * the words of error-text.ts for the rest. Never the code or a passphrase.
 */
import { errorCode } from '../../core/errors';
import { type CoreError, describeError, errorText } from './error-text';

/** Why making (or removing) a recovery code failed. */
export function recoveryKitErrorText(error: unknown): string {
  switch (errorCode(error)) {
    case 'wrong-passphrase':
      return 'That passphrase is not right, so no code was made. Check Caps Lock and try again.';
    case undefined:
      return describeError(error);
    default:
      return errorText(error as CoreError);
  }
}

/** Why recovering with a code failed, on the unlock screen. */
export function recoverErrorText(error: unknown): string {
  switch (errorCode(error)) {
    case 'corrupt-data':
      return 'The stored recovery code cannot be used: it is damaged or was not made by this profile. Nothing was changed; your passphrase still works.';
    case 'invalid-passphrase':
      return 'Choose a new passphrase.';
    case undefined:
      return describeError(error);
    default:
      return errorText(error as CoreError);
  }
}
