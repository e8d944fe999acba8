/**
 * Device identities: the Ed25519 key pair each profile (browser) signs with, and the one way
 * core signs and checks a signature (docs/crypto.md, "Device record"). Sync, team, epochs and
 * audit all sign with it, so it sits below them.
 *
 * Contract:
 * - A `DeviceIdentity` is an id (`DeviceId`, the public key in base64url), the 32-byte public
 *   key and the 32-byte secret key (`DeviceSecretKey`). The secret is kept sealed under the
 *   profile key and only in memory while the profile is unlocked (profile's this-device.ts).
 * - `generateDeviceIdentity()` makes a fresh one; `deviceIdentityFromSecret(secret)` rebuilds
 *   one from its secret and throws a TypeError for anything but `deviceSecretKeyLength` bytes.
 * - `signAs(identity, domain, message)` signs `"coffer/v1/" || domain || 0x00 || message`, so a
 *   signature made for one purpose never verifies for another. `verifySignature` checks one
 *   (strict RFC 8032, no ZIP-215 leniency: one valid signature encoding per message) and never
 *   throws: false for anything wrong. Signatures are `signatureLength` (64) bytes.
 * - Small on purpose: profile loads it lazily (`await import('../device')`) so Ed25519 ships
 *   with the first vault opened, not with the unlock screen. Keep it free of anything heavier.
 * - Depends on crypto (bytes) and ids only.
 */
export {
  type DeviceIdentity,
  type DeviceSecretKey,
  deviceIdentityFromSecret,
  deviceSecretKeyLength,
  generateDeviceIdentity,
  signAs,
  signatureLength,
  verifySignature,
} from './device';
