/**
 * Shared by the epoch tests and the vector script: a seeded random source, device identities
 * from fixed seeds, and a vault id and cause.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../../src/core/crypto';
import { type DeviceIdentity, deviceIdentityFromSecret } from '../../../src/core/device';
import { asMembershipOperationId, type RandomSource } from '../../../src/core/epochs';
import { type DeviceId, vaultIdOf } from '../../../src/core/ids';

/**
 * A deterministic random source for tests and vectors: the ChaCha20 (RFC 8439) keystream of
 * key SHA-256(UTF-8(seed)), a 12-byte zero nonce and counter 0, handed out in order.
 * Never for anything but tests.
 */
export function seededRandom(seed: string): RandomSource & { readonly used: () => number } {
  const stream = chacha20(sha256(utf8(seed)), new Uint8Array(12), new Uint8Array(1 << 16));
  let at = 0;
  const source = (length: number) => {
    if (at + length > stream.length) throw new Error('the seeded random source ran out');
    const out = stream.slice(at, at + length);
    at += length;
    return out;
  };
  return Object.assign(source, { used: () => at });
}

/** A device identity from a fixed seed: secret key = SHA-256(UTF-8("coffer test device " + i)). */
export function testDevice(index: number): DeviceIdentity {
  return deviceIdentityFromSecret(sha256(utf8(`coffer test device ${index}`)));
}

export function testDevices(count: number, from = 0): DeviceIdentity[] {
  return Array.from({ length: count }, (_, i) => testDevice(from + i));
}

export const idsOf = (devices: readonly DeviceIdentity[]): DeviceId[] => devices.map((d) => d.id);

export const vaultA = vaultIdOf(sha256(utf8('vault A')).slice(0, 16));
export const vaultB = vaultIdOf(sha256(utf8('vault B')).slice(0, 16));

export const causeOf = (label: string) => asMembershipOperationId(sha256(utf8(label)));

/** The seed of the vectors' randomness (make-vectors.ts). */
export const vectorSeed = 'coffer/v1/epoch test vectors';

/** RFC 8032 section 7.1's tests 1, 2 and 3: the vectors' three devices. */
export const rfc8032Secrets = [
  '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
];
