import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8 } from './bytes';

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
  | 'device-seed';

/** A 32-byte symmetric key for one purpose. */
export type SymmetricKey<P extends KeyPurpose> = Uint8Array & { readonly __keyPurpose: P };

export type KeyEncryptionKey = SymmetricKey<'kek'>;
export type ProfileKey = SymmetricKey<'profile'>;
export type VaultKey = SymmetricKey<'vault'>;
export type StorageKey = SymmetricKey<'storage'>;

export const keyLength = 32;
export const keyIdLength = 16;

/** A key's public fingerprint: `HKDF-SHA-256(ikm = key, info = "coffer/v1/key-id")[0..16]`. */
export type KeyId = Uint8Array & { readonly __brand: 'KeyId' };

/** Checks length and brands bytes as a key of a purpose. */
export function asKey<P extends KeyPurpose>(bytes: Uint8Array, purpose: P): SymmetricKey<P> {
  if (!(bytes instanceof Uint8Array) || bytes.length !== keyLength) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new TypeError(`a ${purpose} key must be ${keyLength} bytes, got ${got}`);
  }
  return bytes as SymmetricKey<P>;
}

/** A fresh random key. */
export function generateKey<P extends KeyPurpose>(purpose: P): SymmetricKey<P> {
  return asKey(randomBytes(keyLength), purpose);
}

/** `HKDF-SHA-256(ikm = key, salt = none, info = "coffer/v1/" || label, L)`. */
export function hkdfLabel(key: Uint8Array, label: string, length: number): Uint8Array {
  return hkdf(sha256, key, undefined, utf8(`coffer/v1/${label}`), length);
}

/** A per-purpose subkey: `HKDF-SHA-256(ikm = key, info = "coffer/v1/" || purpose)`. */
export function deriveSubkey<P extends KeyPurpose>(
  key: SymmetricKey<KeyPurpose>,
  purpose: P,
): SymmetricKey<P> {
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
