import { sha256 } from '@noble/hashes/sha2.js';
import { associatedData } from './associated-data';
import { bytesEqual, concat, randomBytes, wipe } from './bytes';
import { open, seal } from './envelope';
import { KeyringDamagedError, UnsupportedFormatError, WrongPassphraseError } from './errors';
import {
  assertAtOrAboveFloor,
  deriveKeyEncryptionKey,
  isBelowTarget,
  isPlausible,
  type KdfPolicy,
  type KdfProgress,
  type KdfRunner,
  normalizePassphrase,
  type ScryptParams,
} from './kdf';
import { asKey, generateKey, type KeyId, keyIdLength, keyIdOf, type ProfileKey } from './keys';

/**
 * The keyring: the one record that turns a passphrase into the profile key (docs/crypto.md,
 * "Keyring"). 195 bytes:
 *
 *   offset  size  field
 *   0       4     magic "CFRK"
 *   4       1     version = 0x01
 *   5       1     kdf = 0x01 (scrypt)
 *   6       1     logN            (N = 2^logN)
 *   7       1     r
 *   8       1     p
 *   9       32    salt
 *   41      16    profile id
 *   57      16    kek id          = keyIdOf(kek)
 *   73      90    wrapped profile key: seal(kek, profile key, ad("profile-key", bytes 0..73))
 *   163     32    checksum        = SHA-256(bytes 0..163)
 */
export const keyringMagic = new Uint8Array([0x43, 0x46, 0x52, 0x4b]);
export const keyringVersion = 0x01;
export const kdfScrypt = 0x01;
export const saltLength = 32;
export const profileIdLength = 16;
const headerLength = 73;
const wrappedKeyLength = 90;
const checksumOffset = headerLength + wrappedKeyLength;
export const keyringLength = checksumOffset + 32;

export type ProfileId = Uint8Array & { readonly __brand: 'ProfileId' };

/** A parsed keyring: its parameters, and the sealed profile key. */
export interface ParsedKeyring {
  readonly params: ScryptParams;
  readonly salt: Uint8Array;
  readonly profileId: ProfileId;
  readonly kekId: KeyId;
  readonly header: Uint8Array;
  readonly wrappedProfileKey: Uint8Array;
}

/** Options every keyring operation needs. */
export interface KeyringOptions {
  readonly kdf: KdfRunner;
  readonly policy: KdfPolicy;
  readonly onProgress?: KdfProgress;
}

function encodeHeader(
  params: ScryptParams,
  salt: Uint8Array,
  profileId: ProfileId,
  kekId: KeyId,
): Uint8Array {
  return concat(
    keyringMagic,
    new Uint8Array([keyringVersion, kdfScrypt, params.logN, params.r, params.p]),
    salt,
    profileId,
    kekId,
  );
}

/**
 * Reads a keyring. The checksum is checked first, so a flipped byte anywhere is reported as
 * damage (KeyringDamagedError), never as a wrong passphrase; then the version
 * (UnsupportedFormatError for a keyring from a newer Coffer).
 */
export function parseKeyring(bytes: Uint8Array): ParsedKeyring {
  if (!(bytes instanceof Uint8Array) || bytes.length < 5) throw new KeyringDamagedError('length');
  if (!bytesEqual(bytes.subarray(0, 4), keyringMagic)) throw new KeyringDamagedError('magic');
  if (bytes.length < 32) throw new KeyringDamagedError('length');
  const body = bytes.subarray(0, bytes.length - 32);
  if (!bytesEqual(sha256(body), bytes.subarray(bytes.length - 32)))
    throw new KeyringDamagedError('checksum');
  if (bytes[4] !== keyringVersion) throw new UnsupportedFormatError('format', bytes[4]!);
  if (bytes[5] !== kdfScrypt) throw new UnsupportedFormatError('kdf', bytes[5]!);
  if (bytes.length !== keyringLength) throw new KeyringDamagedError('length');
  const params: ScryptParams = { algorithm: 'scrypt', logN: bytes[6]!, r: bytes[7]!, p: bytes[8]! };
  if (!isPlausible(params)) throw new KeyringDamagedError('implausible-params');
  return {
    params,
    salt: bytes.slice(9, 41),
    profileId: bytes.slice(41, 57) as ProfileId,
    kekId: bytes.slice(57, 57 + keyIdLength) as KeyId,
    header: bytes.slice(0, headerLength),
    wrappedProfileKey: bytes.slice(headerLength, checksumOffset),
  };
}

function sealKeyring(
  params: ScryptParams,
  salt: Uint8Array,
  profileId: ProfileId,
  kek: Uint8Array,
  profileKey: ProfileKey,
): Uint8Array {
  const kekKey = asKey(kek, 'kek');
  const header = encodeHeader(params, salt, profileId, keyIdOf(kekKey));
  const wrapped = seal(kekKey, profileKey, associatedData('profile-key', header));
  const body = concat(header, wrapped);
  return concat(body, sha256(body));
}

/**
 * Seals a given profile key under `passphrase` at the policy's target parameters with a new
 * salt, keeping `profileId`: the whole keyring, for one put of the keyring row. Recovery uses
 * it to seal the key a recovery code opened under a new passphrase; the functions below use it
 * for a new, upgraded or re-wrapped keyring. Rejects with KdfParamsBelowFloorError when the
 * target is below the floor, InvalidPassphraseError for a passphrase that cannot be normalised.
 */
export async function keyringForProfileKey(
  passphrase: string,
  profileId: ProfileId,
  profileKey: ProfileKey,
  options: KeyringOptions,
): Promise<Uint8Array> {
  const params = options.policy.target;
  assertAtOrAboveFloor(params, options.policy.floor);
  const salt = randomBytes(saltLength);
  const secret = normalizePassphrase(passphrase);
  try {
    const kek = await deriveKeyEncryptionKey(
      options.kdf,
      { passphrase: secret, salt, params },
      options.onProgress,
    );
    try {
      return sealKeyring(params, salt, profileId, kek, profileKey);
    } finally {
      wipe(kek);
    }
  } finally {
    wipe(secret);
  }
}

/**
 * A new keyring with a fresh random profile key, sealed under the passphrase at the policy's
 * target parameters.
 * @example
 * const { keyring, profileKey } = await createKeyring('correct horse battery staple', { kdf: inProcessKdf, policy: defaultKdfPolicy });
 */
export async function createKeyring(
  passphrase: string,
  options: KeyringOptions,
): Promise<{ keyring: Uint8Array; profileKey: ProfileKey; profileId: ProfileId }> {
  const profileKey = generateKey('profile');
  const profileId = randomBytes(profileIdLength) as ProfileId;
  const keyring = await keyringForProfileKey(passphrase, profileId, profileKey, options);
  return { keyring, profileKey, profileId };
}

/**
 * Opens a keyring with a passphrase. Rejects with KeyringDamagedError or
 * UnsupportedFormatError (see parseKeyring), KdfParamsBelowFloorError before deriving anything
 * from parameters below the floor, WrongPassphraseError when the derived key's id differs.
 * When the stored parameters are below the policy's target, `upgraded` holds a re-sealed
 * keyring for the caller to store.
 */
export async function unlockKeyring(
  keyring: Uint8Array,
  passphrase: string,
  options: KeyringOptions,
): Promise<{ profileKey: ProfileKey; profileId: ProfileId; upgraded: Uint8Array | undefined }> {
  const parsed = parseKeyring(keyring);
  assertAtOrAboveFloor(parsed.params, options.policy.floor);
  const secret = normalizePassphrase(passphrase);
  let kek: Uint8Array;
  try {
    kek = await deriveKeyEncryptionKey(
      options.kdf,
      { passphrase: secret, salt: parsed.salt, params: parsed.params },
      options.onProgress,
    );
  } finally {
    wipe(secret);
  }
  try {
    const kekKey = asKey(kek, 'kek');
    if (!bytesEqual(keyIdOf(kekKey), parsed.kekId)) throw new WrongPassphraseError();
    let profileKey: ProfileKey;
    try {
      profileKey = asKey(
        open(kekKey, parsed.wrappedProfileKey, associatedData('profile-key', parsed.header)),
        'profile',
      );
    } catch {
      throw new KeyringDamagedError('wrapped-key');
    }
    const upgraded = isBelowTarget(parsed.params, options.policy.target)
      ? await keyringForProfileKey(passphrase, parsed.profileId, profileKey, options)
      : undefined;
    return { profileKey, profileId: parsed.profileId, upgraded };
  } finally {
    wipe(kek);
  }
}

/**
 * A keyring for a new passphrase that seals the same profile key (so no vault is re-encrypted).
 * The current passphrase is checked first. The caller stores the result in one write, which is
 * what makes a change atomic: until that write lands, the old keyring (and passphrase) stands.
 */
export async function rewrapKeyring(
  keyring: Uint8Array,
  currentPassphrase: string,
  newPassphrase: string,
  options: KeyringOptions,
): Promise<Uint8Array> {
  normalizePassphrase(newPassphrase);
  const { profileKey, profileId } = await unlockKeyring(keyring, currentPassphrase, {
    ...options,
    policy: { ...options.policy, target: options.policy.floor },
  });
  return keyringForProfileKey(newPassphrase, profileId, profileKey, options);
}
