import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, utf8 } from '../crypto';
import { type DeviceId, deviceIdOf } from '../ids';

/**
 * A device's signing identity: an Ed25519 key pair, one per profile (browser). The secret half
 * is kept sealed under the profile key (docs/crypto.md, "Device record") and only in memory
 * while the profile is unlocked.
 */
export type DeviceSecretKey = Uint8Array & { readonly __brand: 'DeviceSecretKey' };

export interface DeviceIdentity {
  readonly id: DeviceId;
  readonly publicKey: Uint8Array;
  readonly secretKey: DeviceSecretKey;
}

export const deviceSecretKeyLength = 32;
export const signatureLength = 64;

export function deviceIdentityFromSecret(secretKey: Uint8Array): DeviceIdentity {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== deviceSecretKeyLength) {
    throw new TypeError(
      `a device secret key is ${deviceSecretKeyLength} bytes, got ${secretKey instanceof Uint8Array ? `${secretKey.length} bytes` : typeof secretKey}`,
    );
  }
  const publicKey = ed25519.getPublicKey(secretKey);
  return { id: deviceIdOf(publicKey), publicKey, secretKey: secretKey as DeviceSecretKey };
}

export function generateDeviceIdentity(): DeviceIdentity {
  return deviceIdentityFromSecret(ed25519.utils.randomSecretKey());
}

/** `"coffer/v1/" || domain || 0x00 || message`: a signature for one purpose never verifies for another. */
function signedMessage(domain: string, message: Uint8Array): Uint8Array {
  return concat(utf8(`coffer/v1/${domain}`), new Uint8Array([0]), message);
}

/** Signs `message` for `domain` (for example "sync-envelope"). */
export function signAs(identity: DeviceIdentity, domain: string, message: Uint8Array): Uint8Array {
  return ed25519.sign(signedMessage(domain, message), identity.secretKey);
}

/**
 * Verifies a signature made by `signAs`. Strict RFC 8032 verification (no ZIP-215 leniency), so
 * one message has one valid encoding of a signature. Never throws: false for anything wrong.
 */
export function verifySignature(
  publicKey: Uint8Array,
  domain: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== signatureLength || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(signature, signedMessage(domain, message), publicKey, { zip215: false });
  } catch {
    // noble throws on an invalid point encoding: that is a bad signature, nothing more.
    return false;
  }
}
