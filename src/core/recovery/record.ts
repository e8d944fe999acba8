/**
 * The recovery record (docs/crypto.md, "Recovery kit"): the profile key sealed under a key
 * derived from the recovery code, stored as the `keyring` store's row "recovery". 225 bytes:
 *
 *   offset  size  field
 *   0       4     magic "CFRC"
 *   4       1     version = 0x01
 *   5       16    profile id (the keyring's)
 *   21      16    recovery key id = keyIdOf(recovery key)
 *   37      90    seal(recovery key, profile key, ad("recovery-key", bytes 0..37))
 *   127     66    seal(profile key, u64be(created at, ms), ad("recovery-info", bytes 0..37))
 *   193     32    checksum = SHA-256(bytes 0..193)
 *
 *   recovery key = HKDF-SHA-256(ikm = code bytes, salt = profile id, info = "coffer/v1/recovery")
 *
 * The code has 128 random bits, so no slow KDF is needed: a guess costs an attacker one HKDF,
 * and 2^127 of them on average. The second envelope, under the profile key, holds when the
 * code was made (a timestamp is never stored in the clear) and lets an unlocked profile tell
 * its own record from one someone else wrote.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  asKey,
  associatedData,
  bytesEqual,
  concat,
  keyIdOf,
  open,
  type ProfileId,
  type ProfileKey,
  type SymmetricKey,
  seal,
  u64be,
  utf8,
} from '../crypto';
import { errorCode } from '../errors';
import { CorruptDataError, type CorruptionReason, type RecordRef } from '../storage';
import type { RecoveryCodeBytes } from './code';
import { RecoveryCodeWrongError } from './errors';

export type RecoveryKey = SymmetricKey<'recovery'>;

export const recoveryMagic = new Uint8Array([0x43, 0x46, 0x52, 0x43]);
export const recoveryVersion = 0x01;
const headerLength = 37;
const wrappedLength = 90;
const infoLength = 66;
const checksumOffset = headerLength + wrappedLength + infoLength;
export const recoveryRecordLength = checksumOffset + 32;

/** Which record a damaged recovery record is reported as. */
export const recoveryRecordRef: RecordRef = { store: 'keyring', id: 'recovery' };

const damaged = (reason: CorruptionReason, cause?: unknown) =>
  new CorruptDataError(recoveryRecordRef, reason, cause === undefined ? undefined : { cause });

/** `HKDF-SHA-256(ikm = code bytes, salt = profile id, info = "coffer/v1/recovery", 32)`. */
export function deriveRecoveryKey(code: RecoveryCodeBytes, profileId: ProfileId): RecoveryKey {
  return asKey(hkdf(sha256, code, profileId, utf8('coffer/v1/recovery'), 32), 'recovery');
}

/** A recovery record read without any key: its header fields and its two envelopes. */
export interface ParsedRecoveryRecord {
  readonly profileId: ProfileId;
  readonly recoveryKeyId: Uint8Array;
  readonly header: Uint8Array;
  readonly wrappedProfileKey: Uint8Array;
  readonly info: Uint8Array;
}

/**
 * Reads a recovery record's layout. The checksum is checked first, so any flipped byte is
 * damage (CorruptDataError), never a wrong code; a version from a newer Coffer is
 * 'unsupported-format'.
 */
export function parseRecoveryRecord(bytes: Uint8Array): ParsedRecoveryRecord {
  if (!(bytes instanceof Uint8Array) || bytes.length < 36) throw damaged('malformed');
  if (!bytesEqual(bytes.subarray(0, 4), recoveryMagic)) throw damaged('malformed');
  const body = bytes.subarray(0, bytes.length - 32);
  if (!bytesEqual(sha256(body), bytes.subarray(bytes.length - 32))) throw damaged('malformed');
  if (bytes[4] !== recoveryVersion) throw damaged('unsupported-format');
  if (bytes.length !== recoveryRecordLength) throw damaged('malformed');
  return {
    profileId: bytes.slice(5, 21) as ProfileId,
    recoveryKeyId: bytes.slice(21, 37),
    header: bytes.slice(0, headerLength),
    wrappedProfileKey: bytes.slice(headerLength, headerLength + wrappedLength),
    info: bytes.slice(headerLength + wrappedLength, checksumOffset),
  };
}

/**
 * A new recovery record for this profile key and code, made at `createdAt` (ms since the
 * epoch). `sealers` replace `seal` for the known-answer vectors only (tests/vectors/
 * recovery.json, fixed nonces); the app never passes them.
 */
export function sealRecoveryRecord(
  code: RecoveryCodeBytes,
  profileId: ProfileId,
  profileKey: ProfileKey,
  createdAt: number,
  sealers: {
    readonly sealKey?: (key: RecoveryKey, plaintext: Uint8Array, context: Uint8Array) => Uint8Array;
    readonly sealInfo?: (key: ProfileKey, plaintext: Uint8Array, context: Uint8Array) => Uint8Array;
  } = {},
): Uint8Array {
  if (!(profileId instanceof Uint8Array) || profileId.length !== 16)
    throw new TypeError('a profile id is 16 bytes');
  if (!Number.isSafeInteger(createdAt) || createdAt < 0)
    throw new RangeError('createdAt must be a whole number of milliseconds since 1970');
  const recoveryKey = deriveRecoveryKey(code, profileId);
  const header = concat(
    recoveryMagic,
    new Uint8Array([recoveryVersion]),
    profileId,
    keyIdOf(recoveryKey),
  );
  const wrapped = (sealers.sealKey ?? seal)(
    recoveryKey,
    profileKey,
    associatedData('recovery-key', header),
  );
  const info = (sealers.sealInfo ?? seal)(
    profileKey,
    u64be(createdAt),
    associatedData('recovery-info', header),
  );
  recoveryKey.fill(0);
  const body = concat(header, wrapped, info);
  return concat(body, sha256(body));
}

/** What the code opens: the profile key, and when the record was made. */
export interface OpenedRecoveryRecord {
  readonly profileId: ProfileId;
  readonly profileKey: ProfileKey;
  readonly createdAt: number;
}

function readCreatedAt(plaintext: Uint8Array): number {
  if (plaintext.length !== 8) throw damaged('malformed');
  const view = new DataView(plaintext.buffer, plaintext.byteOffset, 8);
  const value = view.getBigUint64(0);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged('malformed');
  return Number(value);
}

/**
 * Opens a recovery record with a code. Rejects a damaged record (CorruptDataError, before any
 * key is derived), and a code whose key is not the record's (RecoveryCodeWrongError, before
 * anything is decrypted). Never returns a key from an envelope that fails.
 */
export function openRecoveryRecord(
  bytes: Uint8Array,
  code: RecoveryCodeBytes,
): OpenedRecoveryRecord {
  const parsed = parseRecoveryRecord(bytes);
  const recoveryKey = deriveRecoveryKey(code, parsed.profileId);
  try {
    if (!bytesEqual(keyIdOf(recoveryKey), parsed.recoveryKeyId)) throw new RecoveryCodeWrongError();
    let profileKey: ProfileKey;
    try {
      profileKey = asKey(
        open(recoveryKey, parsed.wrappedProfileKey, associatedData('recovery-key', parsed.header)),
        'profile',
      );
    } catch (error) {
      throw damaged('authentication', error);
    }
    let createdAt: number;
    try {
      createdAt = readCreatedAt(
        open(profileKey, parsed.info, associatedData('recovery-info', parsed.header)),
      );
    } catch (error) {
      profileKey.fill(0);
      throw error instanceof CorruptDataError ? error : damaged('authentication', error);
    }
    return { profileId: parsed.profileId, profileKey, createdAt };
  } finally {
    recoveryKey.fill(0);
  }
}

/** What an unlocked profile knows of its recovery record. */
export type RecoveryRecordState =
  /** This profile's record: made at `createdAt`. */
  | { readonly state: 'set'; readonly createdAt: number }
  /**
   * A record this profile's key did not make (another profile's, or one someone wrote into
   * this browser's storage), or one that is damaged: it cannot be trusted to recover this
   * profile, and making a new code replaces it.
   */
  | { readonly state: 'unusable'; readonly reason: 'foreign' | 'damaged' };

/**
 * Reads the record with the profile key (no code needed): when it was made, or why it cannot be
 * used. `profileId` is the keyring's.
 */
export function recoveryRecordState(
  bytes: Uint8Array,
  profileKey: ProfileKey,
  profileId: ProfileId,
): RecoveryRecordState {
  let parsed: ParsedRecoveryRecord;
  try {
    parsed = parseRecoveryRecord(bytes);
  } catch {
    return { state: 'unusable', reason: 'damaged' };
  }
  if (!bytesEqual(parsed.profileId, profileId)) return { state: 'unusable', reason: 'foreign' };
  let plaintext: Uint8Array;
  try {
    plaintext = open(profileKey, parsed.info, associatedData('recovery-info', parsed.header));
  } catch (error) {
    return {
      state: 'unusable',
      reason: errorCode(error) === 'key-mismatch' ? 'foreign' : 'damaged',
    };
  }
  try {
    return { state: 'set', createdAt: readCreatedAt(plaintext) };
  } catch {
    return { state: 'unusable', reason: 'damaged' };
  }
}
