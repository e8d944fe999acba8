/**
 * Errors of key epochs. They carry data (the vault, the epoch, the device, which check failed),
 * never key material.
 *
 * They extend `EpochError`, an abstract CofferError whose code is one of the `epoch-*` codes of
 * core/errors: `instanceof EpochError` catches any of them, `code` tells them apart.
 */
import { CofferError } from '../errors';
import type { DeviceId, VaultId } from '../ids';

/** The codes of this module's errors (each in core/errors' `errorCodes`). */
export type EpochErrorCode =
  | 'epoch-record-malformed'
  | 'epoch-record-unsupported'
  | 'epoch-wrong-vault'
  | 'epoch-unexpected-signer'
  | 'epoch-bad-signature'
  | 'epoch-not-for-device'
  | 'epoch-record-damaged'
  | 'epoch-key-mismatch'
  | 'epoch-chain-broken';

/**
 * The base of this module's errors: switch on `code` or use `instanceof`.
 * @example
 * if (error instanceof EpochError && error.code === 'epoch-not-for-device') showRemoved();
 */
export abstract class EpochError extends CofferError {
  abstract override readonly code: EpochErrorCode;
}

/** Why bytes are not an epoch record (docs/crypto.md, "Key epochs", reading rules). */
export type MalformedReason =
  | 'not-bytes'
  | 'too-short'
  | 'magic'
  | 'epoch'
  | 'history-length'
  | 'history-mismatch'
  | 'recipient-count'
  | 'wrapped-length'
  | 'recipient-order'
  | 'length';

/** The bytes do not have an epoch record's layout. `offset` is where the reader stopped. */
export class EpochRecordMalformedError extends EpochError {
  override readonly name = 'EpochRecordMalformedError';
  override readonly code = 'epoch-record-malformed' as const;
  constructor(
    readonly reason: MalformedReason,
    readonly offset: number,
  ) {
    super(`not a valid epoch record (${reason}, at byte ${offset})`);
  }
}

/** A version this implementation does not read: rejected, never guessed. */
export class EpochRecordUnsupportedError extends EpochError {
  override readonly name = 'EpochRecordUnsupportedError';
  override readonly code = 'epoch-record-unsupported' as const;
  constructor(readonly version: number) {
    super(`epoch record version ${version} is not supported by this version of Coffer`);
  }
}

/** The record is another vault's. */
export class EpochWrongVaultError extends EpochError {
  override readonly name = 'EpochWrongVaultError';
  override readonly code = 'epoch-wrong-vault' as const;
  constructor(
    readonly expected: VaultId,
    readonly actual: VaultId,
  ) {
    super(`the epoch record is for vault ${actual}, not ${expected}`);
  }
}

/** The record is signed by another device than the caller required. */
export class EpochUnexpectedSignerError extends EpochError {
  override readonly name = 'EpochUnexpectedSignerError';
  override readonly code = 'epoch-unexpected-signer' as const;
  constructor(
    readonly expected: DeviceId,
    readonly actual: DeviceId,
    readonly epoch: number,
  ) {
    super(`epoch ${epoch}'s record is signed by device ${actual}, not ${expected}`);
  }
}

/** The signature does not verify with the signer the record names: forged or modified. */
export class EpochBadSignatureError extends EpochError {
  override readonly name = 'EpochBadSignatureError';
  override readonly code = 'epoch-bad-signature' as const;
  constructor(
    readonly signer: DeviceId,
    readonly epoch: number,
  ) {
    super(`epoch ${epoch}'s record does not verify with its signer ${signer}`);
  }
}

/** The record seals its key to other devices only (for example: this device was removed). */
export class EpochNotForThisDeviceError extends EpochError {
  override readonly name = 'EpochNotForThisDeviceError';
  override readonly code = 'epoch-not-for-device' as const;
  constructor(
    readonly device: DeviceId,
    readonly epoch: number,
  ) {
    super(`epoch ${epoch}'s key is not sealed to device ${device}`);
  }
}

/**
 * The record is well formed and correctly signed, but what it seals does not open or does not
 * match its own key ids: the signer wrote a bad record (a correct signature over damage).
 */
export class EpochRecordDamagedError extends EpochError {
  override readonly name = 'EpochRecordDamagedError';
  override readonly code = 'epoch-record-damaged' as const;
  constructor(
    readonly part: 'wrapped-key' | 'history',
    readonly epoch: number,
  ) {
    super(`epoch ${epoch}'s record is signed but its ${part} does not open or does not match`);
  }
}

/** A key offered to open a record's history is not that record's key. */
export class EpochKeyMismatchError extends EpochError {
  override readonly name = 'EpochKeyMismatchError';
  override readonly code = 'epoch-key-mismatch' as const;
  constructor(readonly epoch: number) {
    super(`the key offered is not epoch ${epoch}'s key`);
  }
}

/** Records that should form a chain do not (an epoch number out of step, a missing record). */
export class EpochChainBrokenError extends EpochError {
  override readonly name = 'EpochChainBrokenError';
  override readonly code = 'epoch-chain-broken' as const;
  constructor(
    readonly reason: 'no-record-for-key' | 'epoch-out-of-step',
    readonly epoch: number,
  ) {
    super(`the epoch chain is broken at epoch ${epoch} (${reason})`);
  }
}
