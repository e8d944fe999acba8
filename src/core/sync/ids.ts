import { fromBase64url, toBase64url } from '../crypto';

/**
 * A device's id: its Ed25519 public key as unpadded base64url (43 characters). Public, not
 * secret: it names who wrote a change, and peers check signatures against it.
 */
export type DeviceId = string & { readonly __brand: 'DeviceId' };

export const devicePublicKeyLength = 32;
const deviceIdLength = 43;

export function deviceIdOf(publicKey: Uint8Array): DeviceId {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== devicePublicKeyLength) {
    throw new TypeError(
      `a device public key is ${devicePublicKeyLength} bytes, got ${publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : typeof publicKey}`,
    );
  }
  return toBase64url(publicKey) as DeviceId;
}

export function isDeviceId(value: unknown): value is DeviceId {
  return (
    typeof value === 'string' && value.length === deviceIdLength && /^[A-Za-z0-9_-]+$/.test(value)
  );
}

/** Checks and brands a device id; TypeError saying what arrived otherwise. */
export function asDeviceId(value: unknown): DeviceId {
  if (isDeviceId(value)) return value;
  throw new TypeError(
    `a device id is ${deviceIdLength} base64url characters, got ${typeof value === 'string' ? `${value.length} characters` : typeof value}`,
  );
}

export function publicKeyOfDevice(id: DeviceId): Uint8Array {
  return fromBase64url(asDeviceId(id));
}

/** An invitation's id: 16 bytes derived from its secret, as base64url (22 characters). */
export type InviteId = string & { readonly __brand: 'InviteId' };
