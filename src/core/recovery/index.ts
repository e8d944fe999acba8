/**
 * The recovery kit (docs/crypto.md, "Recovery kit"; docs/recovery.md for users).
 *
 * Contract:
 * - A recovery code is 128 random bits written as 31 Crockford base32 symbols in five groups,
 *   each group with a mod-37 check symbol. `parseRecoveryCode` accepts lower case, spaces,
 *   dashes and the look-alikes I/L (1) and O (0), and names the group a typo is in
 *   (RecoveryCodeInvalidError), never the code.
 * - The code alone unseals the profile key: recovery key = HKDF-SHA-256(code, salt = profile
 *   id, "coffer/v1/recovery"). Its record is the `keyring` store's row "recovery"; the code is
 *   never stored. A new code replaces the row (the old code stops working); removing the row
 *   leaves no code.
 * - Making a code needs the passphrase (`makeRecoveryCode`). Recovering (`recoverWithCode`)
 *   writes a keyring for a new passphrase around the same profile key in one put: every vault
 *   stays, and the code keeps working. A recovery row this profile's key did not make is
 *   refused before anything is written, and the passphrase still unlocks.
 * - Errors: RecoveryCodeInvalidError, RecoveryCodeWrongError, RecoveryNotSetError, and
 *   CorruptDataError (store "keyring", id "recovery") for a damaged or foreign record.
 */

export {
  checkSymbol,
  formatRecoveryCode,
  groupSizes,
  parseRecoveryCode,
  type RecoveryCodeBytes,
  recoveryCodeBytes,
} from './code';
export {
  RecoveryCodeInvalidError,
  type RecoveryCodeProblem,
  RecoveryCodeWrongError,
  RecoveryNotSetError,
} from './errors';
export {
  deriveRecoveryKey,
  type OpenedRecoveryRecord,
  openRecoveryRecord,
  type ParsedRecoveryRecord,
  parseRecoveryRecord,
  type RecoveryKey,
  type RecoveryRecordState,
  recoveryRecordLength,
  recoveryRecordRef,
  recoveryRecordState,
  sealRecoveryRecord,
} from './record';
export {
  makeRecoveryCode,
  type NewRecoveryCode,
  type RecoveryStatus,
  readRecoveryStatus,
  recoverWithCode,
} from './recover';
