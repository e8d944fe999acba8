/**
 * Key epochs: how a vault's key changes when a member or a device is removed (issue 15,
 * "Removal rotates the key"; docs/crypto.md, "Key epochs", is the specification). Pure core:
 * bytes in, bytes out; nothing here stores, sends or decides who may rotate.
 *
 * Contract:
 * - A vault's key lives in epochs 0, 1, 2, ... Rotating makes a fresh random 32-byte vault key
 *   for epoch N + 1 and a signed **epoch record**: the vault id, the epoch number, the id of the
 *   membership operation that caused it, the new key sealed to each remaining device (an
 *   ephemeral X25519 agreement with the device's Ed25519 key mapped to X25519, HKDF-SHA-256,
 *   XChaCha20-Poly1305 in Coffer's envelope), and the previous key sealed under the new one.
 *   A device left out of the list gets nothing of the new key, whatever else it holds.
 * - Whoever holds epoch N's key can open N - 1's from N's record, and so on back to the start
 *   (`openPreviousKey`, `walkEpochHistory`): history stays readable to every later member.
 * - The record's bytes are canonical (recipients sorted by device bytes, fixed lengths): the
 *   same inputs and randomness give the same bytes. Randomness comes from `random` (default:
 *   crypto's randomBytes), drawn in a documented order, which is how the vectors are built.
 * - Every record is signed by the rotating device ("coffer/v1/epoch"), checked before anything
 *   else is read from it. `verifyEpochRecord` checks a record with no key at all.
 * - All functions are async and reject, never throw synchronously. Errors (errors.ts) carry the
 *   epoch, vault and device concerned, never key material: EpochRecordMalformedError,
 *   EpochRecordUnsupportedError, EpochWrongVaultError, EpochUnexpectedSignerError,
 *   EpochBadSignatureError, EpochNotForThisDeviceError, EpochRecordDamagedError,
 *   EpochKeyMismatchError, EpochChainBrokenError.
 * - Not here: which epoch is current, who may rotate, and choosing between two rotations made
 *   concurrently: those are the membership rules' (docs/sync.md), which give `cause`.
 */
export {
  EpochBadSignatureError,
  EpochChainBrokenError,
  EpochError,
  type EpochErrorCode,
  EpochKeyMismatchError,
  EpochNotForThisDeviceError,
  EpochRecordDamagedError,
  EpochRecordMalformedError,
  EpochRecordUnsupportedError,
  EpochUnexpectedSignerError,
  EpochWrongVaultError,
  type MalformedReason,
} from './errors';
export { epochRecordVersion, maxRecipients } from './format';
export { openEpochRecord, openPreviousKey, verifyEpochRecord, walkEpochHistory } from './open';
export { rotateEpoch } from './rotate';
export {
  asMembershipOperationId,
  type EpochKey,
  type EpochRecordInfo,
  type MembershipOperationId,
  type OpenEpochOptions,
  type OpenedEpoch,
  type RandomSource,
  type RotatedEpoch,
  type RotateEpochOptions,
  type VerifyEpochOptions,
} from './types';
