/**
 * Keys are branded by purpose (src/core/crypto/keys.ts), and the brand is enforced twice:
 * by the compiler (each `@ts-expect-error` below fails `npm run typecheck` if the misuse it marks
 * ever compiles again) and at run time (WrongKeyPurposeError, for code that casts).
 *
 * - `seal`/`open` take only sealing keys: kek, profile, storage, sync, invite.
 * - `deriveSubkey` takes only a root key (vault), and derives only storage, sync or transport.
 * - `sealWithNonce` is not exported from src/core/crypto.
 */
import { describe, expect, it } from 'vitest';
import * as crypto from '../../../src/core/crypto';
import {
  asKey,
  associatedData,
  deriveSubkey,
  generateKey,
  type KeyPurpose,
  open,
  purposeOf,
  type SymmetricKey,
  seal,
  utf8,
  WrongKeyPurposeError,
} from '../../../src/core/crypto';
import { sealWithNonce } from '../../../src/core/crypto/envelope';

const context = associatedData('test');
const plaintext = utf8('hello');
const nonce = new Uint8Array(24).fill(7);

describe('key purposes: the types refuse misuse', () => {
  it('seal and open take the sealing purposes, and nothing else', () => {
    for (const purpose of ['kek', 'profile', 'storage', 'sync', 'invite'] as const) {
      const key = generateKey(purpose);
      expect(open(key, seal(key, plaintext, context), context)).toEqual(plaintext);
    }
    const vaultKey = generateKey('vault');
    const transportKey = generateKey('transport');
    const seedKey = generateKey('device-seed');
    const anyKey: SymmetricKey<KeyPurpose> = generateKey('storage');
    const bytes = new Uint8Array(32);
    // @ts-expect-error a vault key is only derived from, never sealed with
    expect(() => seal(vaultKey, plaintext, context)).toThrow(WrongKeyPurposeError);
    // @ts-expect-error a transport key is a password, not a sealing key
    expect(() => seal(transportKey, plaintext, context)).toThrow(WrongKeyPurposeError);
    // @ts-expect-error a device seed is an Ed25519 seed, not a sealing key
    expect(() => seal(seedKey, plaintext, context)).toThrow(WrongKeyPurposeError);
    // @ts-expect-error a key of unknown purpose is not a sealing key
    seal(anyKey, plaintext, context);
    // @ts-expect-error raw bytes are not a key
    expect(() => seal(bytes, plaintext, context)).toThrow(WrongKeyPurposeError);
    const sealed = seal(generateKey('storage'), plaintext, context);
    // @ts-expect-error a vault key does not open either
    expect(() => open(vaultKey, sealed, context)).toThrow(WrongKeyPurposeError);
    // @ts-expect-error nor do raw bytes
    expect(() => open(bytes, sealed, context)).toThrow(WrongKeyPurposeError);
    // @ts-expect-error sealWithNonce (vectors only) is as strict
    expect(() => sealWithNonce(vaultKey, plaintext, context, nonce)).toThrow(WrongKeyPurposeError);
  });

  it('deriveSubkey takes a root (vault) key and derives storage, sync or transport keys', () => {
    const vaultKey = generateKey('vault');
    const storage: SymmetricKey<'storage'> = deriveSubkey(vaultKey, 'storage');
    const sync: SymmetricKey<'sync'> = deriveSubkey(vaultKey, 'sync');
    const transport: SymmetricKey<'transport'> = deriveSubkey(vaultKey, 'transport');
    expect(purposeOf(storage)).toBe('storage');
    expect(purposeOf(sync)).toBe('sync');
    expect(purposeOf(transport)).toBe('transport');
    // @ts-expect-error a storage key is not derived from
    expect(() => deriveSubkey(storage, 'sync')).toThrow(WrongKeyPurposeError);
    // @ts-expect-error nor is a profile key (the vault keys under it are random, not derived)
    expect(() => deriveSubkey(generateKey('profile'), 'storage')).toThrow(WrongKeyPurposeError);
    // @ts-expect-error nor raw bytes
    expect(() => deriveSubkey(new Uint8Array(32), 'storage')).toThrow(WrongKeyPurposeError);
    // @ts-expect-error a vault key is random, never derived
    expect(() => deriveSubkey(vaultKey, 'vault')).toThrow(WrongKeyPurposeError);
    // @ts-expect-error nor is a kek (it comes from the passphrase)
    expect(() => deriveSubkey(vaultKey, 'kek')).toThrow(WrongKeyPurposeError);
  });

  it('sealWithNonce is not exported from the crypto module', () => {
    expect('sealWithNonce' in crypto).toBe(false);
    // @ts-expect-error not an export of src/core/crypto
    expect(crypto.sealWithNonce).toBeUndefined();
  });
});

describe('key purposes: the run-time check', () => {
  it('refuses a cast key, naming the purposes and never the key', () => {
    const vaultKey = generateKey('vault');
    const cast = vaultKey as unknown as SymmetricKey<'storage'>;
    let caught: unknown;
    try {
      seal(cast, plaintext, context);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WrongKeyPurposeError);
    expect(caught).toBeInstanceOf(TypeError);
    const error = caught as WrongKeyPurposeError;
    expect(error.name).toBe('WrongKeyPurposeError');
    expect(error.code).toBe('wrong-key-purpose');
    expect(error.operation).toBe('seal');
    expect(error.actual).toBe('vault');
    expect(error.expected).toEqual(['kek', 'profile', 'storage', 'sync', 'invite', 'recovery']);
    const hex = Buffer.from(vaultKey).toString('hex');
    expect(error.message).not.toContain(hex);
    expect(error.message).not.toContain(Buffer.from(vaultKey).toString('base64url'));
  });

  it('refuses bytes that were never branded, even cast', () => {
    const bytes = new Uint8Array(32).fill(1) as SymmetricKey<'storage'>;
    expect(() => seal(bytes, plaintext, context)).toThrow(WrongKeyPurposeError);
    expect(purposeOf(bytes)).toBeUndefined();
    // A copy of a key is not a key until branded.
    const key = generateKey('storage');
    expect(() => seal(key.slice() as SymmetricKey<'storage'>, plaintext, context)).toThrow(
      WrongKeyPurposeError,
    );
  });

  it('one Uint8Array is a key of one purpose: asKey will not rebrand it', () => {
    const vaultKey = generateKey('vault');
    expect(() => asKey(vaultKey, 'storage')).toThrow(WrongKeyPurposeError);
    expect(purposeOf(vaultKey)).toBe('vault');
    // Branding again for the same purpose is fine (a kek checked twice, say).
    expect(asKey(vaultKey, 'vault')).toBe(vaultKey);
    // The same bytes, copied, may be branded anew: the check is on the object, not the value.
    const storage = asKey(vaultKey.slice(), 'storage');
    expect(open(storage, seal(storage, plaintext, context), context)).toEqual(plaintext);
  });

  it('deriveSubkey refuses a cast key and a cast subkey purpose', () => {
    const storage = deriveSubkey(generateKey('vault'), 'storage');
    expect(() => deriveSubkey(storage as unknown as SymmetricKey<'vault'>, 'sync')).toThrow(
      WrongKeyPurposeError,
    );
    expect(() => deriveSubkey(generateKey('vault'), 'invite' as 'sync')).toThrow(
      WrongKeyPurposeError,
    );
  });
});
