/**
 * Coffer's ids: the one place that says what each id looks like, brands it, and checks it.
 * Every layer (profile, vault, storage, sync, ui) takes its id types from here, so a vault id
 * cannot be passed where a device id belongs, and no layer needs a cast to make one.
 *
 * Contract:
 * - Ids are public, not secret: they may appear in messages, logs and (hashed) room names.
 *   Errors still never quote a value that failed a check: it may not have been an id at all.
 * - VaultId: 16 random bytes as canonical unpadded base64url, 22 characters.
 * - DeviceId: the device's 32-byte Ed25519 public key as canonical unpadded base64url,
 *   43 characters. `publicKeyOfDevice` reads the key back.
 * - InviteId: 16 bytes derived from the invitation's secret (HKDF label "invite-id"),
 *   canonical unpadded base64url, 22 characters.
 * - EntryId: 8 to 64 characters of the base64url alphabet (A–Z a–z 0–9 - _). Opaque: never
 *   decoded, compared as written, so each entry id has one spelling by construction. The
 *   profile makes them from 12 random bytes (16 characters).
 * - "Canonical" is the spelling `toBase64url` (crypto, over @scure/base) produces: no padding,
 *   no whitespace, no '+' or '/', and a last character whose unused low bits are zero. So each
 *   byte string has exactly one id, and a peer cannot name the same device or vault two ways.
 * - `isX(value)` answers without throwing; `asX(value)` checks and brands, or throws
 *   InvalidIdError (a TypeError) with `kind` and `reason` (InvalidEntryIdError for entries);
 *   `xOf(bytes)` makes the id of bytes of the right length.
 * - Depends on nothing in core but crypto's base64url codec.
 */
export { type IdKind, type IdProblem, InvalidEntryIdError, InvalidIdError } from './errors';
export {
  asDeviceId,
  asEntryId,
  asIntegrationId,
  asInviteId,
  asVaultId,
  type DeviceId,
  deviceIdOf,
  devicePublicKeyLength,
  type EntryId,
  type IntegrationId,
  type InviteId,
  integrationIdLength,
  integrationIdOf,
  inviteIdLength,
  inviteIdOf,
  isDeviceId,
  isEntryId,
  isIntegrationId,
  isInviteId,
  isVaultId,
  publicKeyOfDevice,
  type VaultId,
  vaultIdLength,
  vaultIdOf,
} from './ids';
