/**
 * The types of key epochs: what goes in, what comes out.
 */
import { randomBytes, type VaultKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { DeviceId, VaultId } from '../ids';
import { causeLength } from './format';

/**
 * The id of the membership operation that caused a rotation (a removal): 32 opaque bytes the
 * caller gives, recorded and signed so every peer can tie the new epoch to its cause.
 */
export type MembershipOperationId = Uint8Array & { readonly __brand: 'MembershipOperationId' };

/** Checks and brands 32 bytes as a membership operation id (TypeError otherwise). */
export function asMembershipOperationId(bytes: Uint8Array): MembershipOperationId {
  if (!(bytes instanceof Uint8Array) || bytes.length !== causeLength) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new TypeError(`a membership operation id is ${causeLength} bytes, got ${got}`);
  }
  return bytes as MembershipOperationId;
}

/**
 * Where a rotation's randomness comes from: `length` bytes per call, cryptographically secure.
 * Injected so the test vectors can be built from a seed; the default is crypto's randomBytes.
 */
export type RandomSource = (length: number) => Uint8Array;

export const systemRandom: RandomSource = randomBytes;

export interface RotateEpochOptions {
  readonly vaultId: VaultId;
  /** The epoch being replaced, with its key; undefined for a vault's first record (epoch 0). */
  readonly previous: { readonly epoch: number; readonly key: VaultKey } | undefined;
  readonly cause: MembershipOperationId;
  /** Every device that keeps the vault (1 to 1000, no duplicates); removed ones left out. */
  readonly devices: readonly DeviceId[];
  /** The rotating device: it signs the record. It need not be among `devices`. */
  readonly signer: DeviceIdentity;
  readonly random?: RandomSource;
  /**
   * Called between recipients so a long rotation does not hold the thread (each recipient
   * costs two X25519 operations, a few milliseconds in JavaScript). The platform passes a
   * macrotask yield (a MessageChannel round trip, `scheduler.yield`); without it the rotation
   * runs in one go.
   */
  readonly yieldToEventLoop?: () => Promise<void>;
  /** Recipients sealed between two yields (default 1: a slice is then one recipient, a few ms). */
  readonly recipientsPerSlice?: number;
}

export interface RotatedEpoch {
  readonly epoch: number;
  /** The signed epoch record, to publish to the vault's devices. */
  readonly record: Uint8Array;
  /** The new epoch's vault key: everything written from now on is under it. */
  readonly key: VaultKey;
}

/** What anyone can read and check in a record, with no key. */
export interface EpochRecordInfo {
  readonly vaultId: VaultId;
  readonly epoch: number;
  readonly cause: MembershipOperationId;
  readonly signer: DeviceId;
  /** key id (docs/crypto.md) of the epoch's key and of the previous one (zeros at epoch 0). */
  readonly keyId: Uint8Array;
  readonly previousKeyId: Uint8Array;
  /** The devices the key is sealed to, in the record's order (sorted by their bytes). */
  readonly recipients: readonly DeviceId[];
}

export interface VerifyEpochOptions {
  readonly vaultId: VaultId;
  /** When given, a record signed by any other device is refused. */
  readonly expectedSigner?: DeviceId;
}

export interface OpenEpochOptions extends VerifyEpochOptions {
  /** This device: its id finds its slot, its secret key opens it. */
  readonly device: DeviceIdentity;
}

export interface OpenedEpoch extends EpochRecordInfo {
  readonly key: VaultKey;
  /** The previous epoch's key, from the history; undefined at epoch 0. */
  readonly previousKey: VaultKey | undefined;
}

export interface EpochKey {
  readonly epoch: number;
  readonly key: VaultKey;
}
