import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesEqual, concat, randomBytes } from './bytes';
import {
  AuthenticationError,
  KeyMismatchError,
  MalformedEnvelopeError,
  UnsupportedFormatError,
} from './errors';
import {
  assertKeyPurpose,
  type KeyId,
  keyIdLength,
  keyIdOf,
  type SealingKey,
  sealingPurposes,
} from './keys';

/**
 * The sealed envelope, Coffer's only ciphertext format (docs/crypto.md, "Envelope"):
 *
 *   offset  size  field
 *   0       1     format     = 0x01
 *   1       1     algorithm  = 0x01 (XChaCha20-Poly1305)
 *   2       16    key id     = keyIdOf(key)
 *   18      24    nonce      (random)
 *   42      n+16  ciphertext || Poly1305 tag
 *
 * The AEAD's associated data is `header (bytes 0..42) || context`, so the header and the
 * record's place (its context, see associatedData) are both authenticated.
 */
export const envelopeFormat = 0x01;
export const algorithmXChaCha20Poly1305 = 0x01;
export const nonceLength = 24;
export const tagLength = 16;
export const headerLength = 2 + keyIdLength + nonceLength;
export const envelopeOverhead = headerLength + tagLength;

function header(keyId: KeyId, nonce: Uint8Array): Uint8Array {
  return concat(new Uint8Array([envelopeFormat, algorithmXChaCha20Poly1305]), keyId, nonce);
}

/**
 * Seals plaintext under a key, bound to a context. Only a sealing key (kek, profile, storage,
 * sync, invite) is accepted, by the types and at run time (WrongKeyPurposeError): a vault key
 * is only derived from.
 * @example
 * const sealed = seal(storageKey, utf8('{"a":1}'), associatedData('update', vaultIdBytes, 7));
 */
export function seal(key: SealingKey, plaintext: Uint8Array, context: Uint8Array): Uint8Array {
  return sealWithNonce(key, plaintext, context, randomBytes(nonceLength));
}

/**
 * As `seal`, with a caller-chosen nonce: only for known-answer test vectors. Not exported from
 * the crypto module's index (a reused nonce under one key breaks XChaCha20-Poly1305); the
 * vector scripts and tests import it from this file.
 */
export function sealWithNonce(
  key: SealingKey,
  plaintext: Uint8Array,
  context: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  assertKeyPurpose(key, sealingPurposes, 'seal');
  if (nonce.length !== nonceLength)
    throw new TypeError(`nonce must be ${nonceLength} bytes, got ${nonce.length}`);
  const head = header(keyIdOf(key), nonce);
  const ciphertext = xchacha20poly1305(key, nonce, concat(head, context)).encrypt(plaintext);
  return concat(head, ciphertext);
}

/** What an envelope's header says, read without any key. */
export interface EnvelopeHeader {
  readonly format: number;
  readonly algorithm: number;
  readonly keyId: KeyId;
  readonly nonce: Uint8Array;
}

/** Parses and checks an envelope's header; rejects what this version cannot read. */
export function readEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  if (!(envelope instanceof Uint8Array))
    throw new TypeError(`an envelope must be a Uint8Array, got ${typeof envelope}`);
  if (envelope.length < 2) throw new MalformedEnvelopeError(envelope.length, envelopeOverhead);
  const format = envelope[0]!;
  const algorithm = envelope[1]!;
  if (format !== envelopeFormat) throw new UnsupportedFormatError('format', format);
  if (algorithm !== algorithmXChaCha20Poly1305)
    throw new UnsupportedFormatError('algorithm', algorithm);
  if (envelope.length < envelopeOverhead)
    throw new MalformedEnvelopeError(envelope.length, envelopeOverhead);
  return {
    format,
    algorithm,
    keyId: envelope.slice(2, 2 + keyIdLength) as KeyId,
    nonce: envelope.slice(2 + keyIdLength, headerLength),
  };
}

/**
 * Opens an envelope with a sealing key (WrongKeyPurposeError for another key, before anything
 * is read). Rejects, in this order: an unknown format or algorithm
 * (UnsupportedFormatError), a too-short envelope (MalformedEnvelopeError), another key's
 * envelope (KeyMismatchError), anything that does not authenticate (AuthenticationError).
 * Never returns unauthenticated bytes.
 * @example
 * const plaintext = open(storageKey, sealed, associatedData('update', vaultIdBytes, 7));
 */
export function open(key: SealingKey, envelope: Uint8Array, context: Uint8Array): Uint8Array {
  assertKeyPurpose(key, sealingPurposes, 'open');
  const parsed = readEnvelopeHeader(envelope);
  if (!bytesEqual(parsed.keyId, keyIdOf(key))) throw new KeyMismatchError();
  const head = envelope.subarray(0, headerLength);
  try {
    return xchacha20poly1305(key, parsed.nonce, concat(head, context)).decrypt(
      envelope.subarray(headerLength),
    );
  } catch {
    // noble throws a generic Error on a bad tag; the only other failures are length checks
    // that readEnvelopeHeader has already done.
    throw new AuthenticationError();
  }
}
