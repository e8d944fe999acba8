import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8 } from './bytes';
import { WrongKeyPurposeError } from './errors';

/**
 * What a key is for. The brand keeps a vault key from being passed where a profile key is
 * expected, and raw bytes from being passed as either.
 */
export type KeyPurpose =
  | 'kek'
  | 'profile'
  | 'vault'
  | 'storage'
  | 'transport'
  | 'sync'
  | 'invite'
  | 'device-seed'
  | 'recovery';

/** A 32-byte symmetric key for one purpose. */
export type SymmetricKey<P extends KeyPurpose> = Uint8Array & { readonly __keyPurpose: P };

/**
 * The purposes whose keys seal and open records (`seal`, `open`): the kek (the keyring's wrapped
 * profile key), the profile key (catalog rows, settings, device record), the storage key
 * (update and snapshot rows), the sync key (sync envelopes) and invite keys (join requests and
 * answers), and the recovery key (the recovery record's wrapped profile key, like the kek: it
 * seals nothing else). A vault key never seals anything itself: it is only derived from.
 */
export type SealingPurpose = 'kek' | 'profile' | 'storage' | 'sync' | 'invite' | 'recovery';
/** The purposes whose keys are derived from (`deriveSubkey`), never used directly. */
export type RootPurpose = 'vault';
/** What `deriveSubkey` derives from a root key (docs/crypto.md, "Key hierarchy"). */
export type SubkeyPurpose = 'storage' | 'sync' | 'transport';

export const sealingPurposes: readonly SealingPurpose[] = [
  'kek',
  'profile',
  'storage',
  'sync',
  'invite',
  'recovery',
];
export const rootPurposes: readonly RootPurpose[] = ['vault'];
export const subkeyPurposes: readonly SubkeyPurpose[] = ['storage', 'sync', 'transport'];

/** A key that `seal` and `open` accept. */
export type SealingKey = SymmetricKey<SealingPurpose>;
/** A key that `deriveSubkey` accepts. */
export type RootKey = SymmetricKey<RootPurpose>;

export type KeyEncryptionKey = SymmetricKey<'kek'>;
export type ProfileKey = SymmetricKey<'profile'>;
export type VaultKey = SymmetricKey<'vault'>;
export type StorageKey = SymmetricKey<'storage'>;

export const keyLength = 32;
export const keyIdLength = 16;

/** A key's public fingerprint: `HKDF-SHA-256(ikm = key, info = "coffer/v1/key-id")[0..16]`. */
export type KeyId = Uint8Array & { readonly __brand: 'KeyId' };

// The brand exists only for the compiler; at run time a key's purpose is what `asKey` recorded
// for that very Uint8Array (every key is made by asKey: generated, derived, unwrapped, parsed).
// A copy (`slice`) or a view (`subarray`) is not a key until it is branded again.
const purposes = new WeakMap<Uint8Array, KeyPurpose>();

/**
 * Checks length and brands bytes as a key of a purpose. The same bytes (the same Uint8Array)
 * cannot be branded for a second purpose: `asKey(vaultKey, 'storage')` throws
 * WrongKeyPurposeError instead of turning a vault key into a storage key.
 */
export function asKey<P extends KeyPurpose>(bytes: Uint8Array, purpose: P): SymmetricKey<P> {
  if (!(bytes instanceof Uint8Array) || bytes.length !== keyLength) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new TypeError(`a ${purpose} key must be ${keyLength} bytes, got ${got}`);
  }
  const known = purposes.get(bytes);
  if (known !== undefined && known !== purpose)
    throw new WrongKeyPurposeError('brand', [purpose], known);
  purposes.set(bytes, purpose);
  return bytes as SymmetricKey<P>;
}

/** The purpose `asKey` branded this key with; undefined for bytes never branded. */
export function purposeOf(key: Uint8Array): KeyPurpose | undefined {
  return purposes.get(key);
}

/**
 * Refuses, at run time, a key whose purpose is not one of `allowed` (or bytes never branded by
 * `asKey`): what the types already refuse, for callers that cast or come from plain JavaScript.
 */
export function assertKeyPurpose<P extends KeyPurpose>(
  key: Uint8Array,
  allowed: readonly P[],
  operation: WrongKeyPurposeError['operation'],
): asserts key is SymmetricKey<P> {
  if (!(key instanceof Uint8Array))
    throw new TypeError(`a key must be a Uint8Array, got ${key === null ? 'null' : typeof key}`);
  const purpose = purposes.get(key);
  if (purpose === undefined || !(allowed as readonly KeyPurpose[]).includes(purpose))
    throw new WrongKeyPurposeError(operation, allowed, purpose);
}

/** A fresh random key. */
export function generateKey<P extends KeyPurpose>(purpose: P): SymmetricKey<P> {
  return asKey(randomBytes(keyLength), purpose);
}

/** `HKDF-SHA-256(ikm = key, salt = none, info = "coffer/v1/" || label, L)`. */
export function hkdfLabel(key: Uint8Array, label: string, length: number): Uint8Array {
  return hkdf(sha256, key, undefined, utf8(`coffer/v1/${label}`), length);
}

/**
 * A per-purpose subkey of a root (vault) key: `HKDF-SHA-256(ikm = key, info = "coffer/v1/" ||
 * purpose)`. Only a root key is derived from, and only into a subkey purpose
 * (WrongKeyPurposeError otherwise).
 */
export function deriveSubkey<P extends SubkeyPurpose>(key: RootKey, purpose: P): SymmetricKey<P> {
  assertKeyPurpose(key, rootPurposes, 'derive');
  if (!(subkeyPurposes as readonly string[]).includes(purpose))
    throw new WrongKeyPurposeError('derive', subkeyPurposes, purpose);
  return asKey(hkdfLabel(key, purpose, keyLength), purpose);
}

// Every seal and open needs the key's id, and an HKDF per call was a tenth of a durable
// write's time. Keys never change once made; a wiped key (all zeros) is worked out afresh, so it
// no longer matches what it sealed before.
const keyIds = new WeakMap<Uint8Array, KeyId>();

/** The key's id, stored beside what it seals so a wrong key is told apart from damage. */
export function keyIdOf(key: SymmetricKey<KeyPurpose>): KeyId {
  const known = keyIds.get(key);
  if (known && key.some((byte) => byte !== 0)) return known.slice() as KeyId;
  const id = hkdfLabel(key, 'key-id', keyIdLength) as KeyId;
  keyIds.set(key, id.slice() as KeyId);
  return id;
}
