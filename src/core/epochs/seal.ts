/**
 * The two ways an epoch record seals a key (docs/crypto.md, "Key epochs"):
 *
 *   to a device (a sealed box, HPKE base mode in shape):
 *     X      = the device's Ed25519 public key mapped to X25519 (RFC 7748's birational map)
 *     e, E   = a fresh X25519 key pair, E = X25519(e, 9), for this one recipient
 *     ss     = X25519(e, X)                       (all zeros: rejected)
 *     W      = HKDF(ss, context("epoch-wrap", vault id, epoch, device id, E), 32)
 *     wrapped = envelope(W, epoch key, context("epoch-key", vault id, epoch, device id))
 *   the device opens it with its Ed25519 seed mapped to X25519 (SHA-512(seed)[0..32], clamped).
 *
 *   to later epochs (the history chain):
 *     H       = HKDF(epoch key, "coffer/v1/epoch-history", 32)
 *     history = envelope(H, previous epoch key, context("epoch-history", vault id, epoch))
 *
 * `envelope` is Coffer's envelope, byte for byte (format, algorithm, key id, nonce,
 * XChaCha20-Poly1305 with aad = header || context). It is written here with noble directly,
 * not with crypto's `seal`, for two reasons: `seal` draws its nonce itself, and the record's
 * randomness must come from the caller's source (the test vectors are built from a seed); and
 * `seal` only takes keys of its sealing purposes, which W and H are not (they exist for one
 * record and never leave this file). Everything else is crypto's: the context encoding, HKDF
 * labels, key ids, the header reader.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  algorithmXChaCha20Poly1305,
  associatedData,
  bytesEqual,
  concat,
  envelopeFormat,
  envelopeOverhead,
  hkdfLabel,
  readEnvelopeHeader,
  wipe,
} from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import { EpochRecordDamagedError } from './errors';

export const nonceBytes = 24;
export const x25519SecretBytes = 32;
const headerBytes = envelopeOverhead - 16;

/** Coffer's envelope under a one-off key, with the caller's nonce. */
function sealEnvelope(
  key: Uint8Array,
  plaintext: Uint8Array,
  context: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  const header = concat(
    new Uint8Array([envelopeFormat, algorithmXChaCha20Poly1305]),
    hkdfLabel(key, 'key-id', 16),
    nonce,
  );
  return concat(header, xchacha20poly1305(key, nonce, concat(header, context)).encrypt(plaintext));
}

/**
 * Opens what `sealEnvelope` made, or throws `damaged` for anything that does not open (unknown
 * format, another key's envelope, a bad tag). The record around it is already verified, so
 * the reason does not matter to the caller: the signer sealed something that does not open.
 */
function openEnvelope(
  key: Uint8Array,
  envelope: Uint8Array,
  context: Uint8Array,
  damaged: EpochRecordDamagedError,
): Uint8Array {
  let nonce: Uint8Array;
  try {
    nonce = readEnvelopeHeader(envelope).nonce;
  } catch {
    // Its own errors (unsupported format, too short) all mean "does not open" here.
    throw damaged;
  }
  if (!bytesEqual(envelope.subarray(2, 18), hkdfLabel(key, 'key-id', 16))) throw damaged;
  const head = envelope.subarray(0, headerBytes);
  try {
    return xchacha20poly1305(key, nonce, concat(head, context)).decrypt(
      envelope.subarray(headerBytes),
    );
  } catch {
    // A bad tag: noble throws a plain Error, and nothing was returned.
    throw damaged;
  }
}

/**
 * The X25519 public key of a device, checked: a valid Ed25519 point that is not of small order
 * (a small-order key would make the shared secret guessable by anyone). TypeError otherwise.
 */
export function deviceX25519PublicKey(devicePublicKey: Uint8Array): Uint8Array {
  let point: ReturnType<typeof ed25519.Point.fromBytes>;
  try {
    point = ed25519.Point.fromBytes(devicePublicKey);
  } catch {
    throw new TypeError('a device key is not a valid Ed25519 public key');
  }
  if (point.isSmallOrder()) throw new TypeError('a device key is a small-order Ed25519 point');
  return ed25519.utils.toMontgomery(devicePublicKey);
}

function wrapKeyOf(
  shared: Uint8Array,
  vaultId: VaultId,
  epoch: number,
  device: DeviceId,
  ephemeral: Uint8Array,
): Uint8Array {
  const info = associatedData('epoch-wrap', vaultId, epoch, device, ephemeral);
  return hkdf(sha256, shared, undefined, info, 32);
}

export interface WrapInput {
  readonly vaultId: VaultId;
  readonly epoch: number;
  readonly device: DeviceId;
  /** The device's X25519 public key (`deviceX25519PublicKey`). */
  readonly deviceX25519: Uint8Array;
  readonly key: Uint8Array;
  /** 32 bytes from the random source: the ephemeral X25519 secret. */
  readonly ephemeralSecret: Uint8Array;
  readonly nonce: Uint8Array;
}

/** Seals the epoch key to one device. Returns the ephemeral public key and the envelope. */
export function wrapForDevice(input: WrapInput): { ephemeral: Uint8Array; wrapped: Uint8Array } {
  const ephemeral = x25519.getPublicKey(input.ephemeralSecret);
  // noble rejects a low-order peer key here as well; deviceX25519PublicKey has already refused.
  const shared = x25519.getSharedSecret(input.ephemeralSecret, input.deviceX25519);
  const wrapKey = wrapKeyOf(shared, input.vaultId, input.epoch, input.device, ephemeral);
  const wrapped = sealEnvelope(
    wrapKey,
    input.key,
    associatedData('epoch-key', input.vaultId, input.epoch, input.device),
    input.nonce,
  );
  wipe(shared, wrapKey);
  return { ephemeral, wrapped };
}

export interface UnwrapInput {
  readonly vaultId: VaultId;
  readonly epoch: number;
  readonly device: DeviceId;
  /** The device's Ed25519 secret key (the RFC 8032 seed). */
  readonly deviceSecret: Uint8Array;
  readonly ephemeral: Uint8Array;
  readonly wrapped: Uint8Array;
}

/** Opens the epoch key sealed to this device (EpochRecordDamagedError if it does not open). */
export function unwrapForDevice(input: UnwrapInput): Uint8Array {
  const damaged = new EpochRecordDamagedError('wrapped-key', input.epoch);
  const secret = ed25519.utils.toMontgomerySecret(input.deviceSecret);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secret, input.ephemeral);
  } catch {
    // A small-order ephemeral key (an all-zero shared secret): refused, as the spec says.
    throw damaged;
  } finally {
    wipe(secret);
  }
  const wrapKey = wrapKeyOf(shared, input.vaultId, input.epoch, input.device, input.ephemeral);
  try {
    return openEnvelope(
      wrapKey,
      input.wrapped,
      associatedData('epoch-key', input.vaultId, input.epoch, input.device),
      damaged,
    );
  } finally {
    wipe(shared, wrapKey);
  }
}

/** `HKDF(epoch key, "coffer/v1/epoch-history", 32)`: seals only the previous epoch's key. */
function historyKeyOf(epochKey: Uint8Array): Uint8Array {
  return hkdfLabel(epochKey, 'epoch-history', 32);
}

/** Seals the previous epoch's key under this epoch's history key. */
export function sealHistory(
  vaultId: VaultId,
  epoch: number,
  epochKey: Uint8Array,
  previousKey: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  const historyKey = historyKeyOf(epochKey);
  const sealed = sealEnvelope(
    historyKey,
    previousKey,
    associatedData('epoch-history', vaultId, epoch),
    nonce,
  );
  wipe(historyKey);
  return sealed;
}

/** Opens the previous epoch's key with this epoch's key (EpochRecordDamagedError if not). */
export function openHistory(
  vaultId: VaultId,
  epoch: number,
  epochKey: Uint8Array,
  history: Uint8Array,
): Uint8Array {
  const historyKey = historyKeyOf(epochKey);
  try {
    return openEnvelope(
      historyKey,
      history,
      associatedData('epoch-history', vaultId, epoch),
      new EpochRecordDamagedError('history', epoch),
    );
  } finally {
    wipe(historyKey);
  }
}
