import { fromBase64url, InvalidBase64urlError, toBase64url } from '../crypto';
import { type IdKind, InvalidEntryIdError, InvalidIdError } from './errors';

/** A vault's id: 16 random bytes as canonical unpadded base64url (22 characters). */
export type VaultId = string & { readonly __brand: 'VaultId' };
/** An entry's id: 8 to 64 base64url characters, opaque, compared as written. */
export type EntryId = string & { readonly __brand: 'EntryId' };
/** A device's id: its 32-byte Ed25519 public key as canonical unpadded base64url (43). */
export type DeviceId = string & { readonly __brand: 'DeviceId' };
/** An integration's id: 16 random bytes as canonical unpadded base64url (22 characters). */
export type IntegrationId = string & { readonly __brand: 'IntegrationId' };
/** An invitation's id: 16 bytes derived from its secret, canonical unpadded base64url (22). */
export type InviteId = string & { readonly __brand: 'InviteId' };

export const vaultIdLength = 16;
export const integrationIdLength = 16;
export const devicePublicKeyLength = 32;
export const inviteIdLength = 16;

/** What arrived, in words: a type or a length, never the value. */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Characters of unpadded base64url for `bytes` bytes. */
const encodedLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

/**
 * Why `value` is not the canonical base64url of exactly `bytes` bytes, or undefined if it is.
 */
function problemWithBytesId(
  kind: IdKind,
  value: unknown,
  bytes: number,
): InvalidIdError | undefined {
  const length = encodedLength(bytes);
  if (typeof value !== 'string') {
    return new InvalidIdError(
      kind,
      'not-a-string',
      `expected a string, got ${describeType(value)}`,
    );
  }
  if (value.length !== length) {
    return new InvalidIdError(
      kind,
      'length',
      `expected ${length} base64url characters, got ${value.length} characters`,
    );
  }
  try {
    fromBase64url(value);
  } catch (error) {
    if (!(error instanceof InvalidBase64urlError)) throw error;
    return error.reason === 'trailing-bits'
      ? new InvalidIdError(
          kind,
          'not-canonical',
          `expected the canonical base64url spelling of ${bytes} bytes; the last character has non-zero unused bits`,
          { cause: error },
        )
      : new InvalidIdError(
          kind,
          'character',
          `expected only base64url characters (A–Z, a–z, 0–9, "-" and "_"); character ${error.position} is not one`,
          { cause: error },
        );
  }
  return undefined;
}

function idOfBytes(kind: IdKind, bytes: Uint8Array, expected: number): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== expected) {
    throw new InvalidIdError(
      kind,
      'length',
      `expected ${expected} bytes, got ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : describeType(bytes)}`,
    );
  }
  return toBase64url(bytes);
}

// Vault ids ------------------------------------------------------------------------------

export const isVaultId = (value: unknown): value is VaultId =>
  problemWithBytesId('vault', value, vaultIdLength) === undefined;

/** Checks and brands a vault id; InvalidIdError (kind 'vault') saying what arrived otherwise. */
export function asVaultId(value: unknown): VaultId {
  const problem = problemWithBytesId('vault', value, vaultIdLength);
  if (problem) throw problem;
  return value as VaultId;
}

/** The vault id spelling 16 bytes (the profile makes them at random). */
export const vaultIdOf = (bytes: Uint8Array): VaultId =>
  idOfBytes('vault', bytes, vaultIdLength) as VaultId;

// Entry ids ------------------------------------------------------------------------------

const MIN_ENTRY_ID_LENGTH = 8;
const MAX_ENTRY_ID_LENGTH = 64;
const entryIdPattern = /^[A-Za-z0-9_-]+$/;

/**
 * Whether `value` is a well-formed entry id.
 * @example
 * isEntryId('Qm9vbXNoYWthbGFr'); // true
 * isEntryId('a b');              // false
 */
export function isEntryId(value: unknown): value is EntryId {
  return (
    typeof value === 'string' &&
    value.length >= MIN_ENTRY_ID_LENGTH &&
    value.length <= MAX_ENTRY_ID_LENGTH &&
    entryIdPattern.test(value)
  );
}

/**
 * Checks that a string is a well-formed entry id and brands it; InvalidEntryIdError otherwise.
 * @example
 * const id = asEntryId(newId()); // newId: () => string, injected by the platform
 */
export function asEntryId(value: unknown): EntryId {
  if (isEntryId(value)) return value;
  if (typeof value !== 'string') {
    throw new InvalidEntryIdError(
      'not-a-string',
      `an entry id is a string, got ${describeType(value)}`,
    );
  }
  if (value.length < MIN_ENTRY_ID_LENGTH || value.length > MAX_ENTRY_ID_LENGTH) {
    throw new InvalidEntryIdError(
      'length',
      `an entry id has ${MIN_ENTRY_ID_LENGTH} to ${MAX_ENTRY_ID_LENGTH} characters, this one has ${value.length}`,
    );
  }
  throw new InvalidEntryIdError(
    'character',
    'an entry id has only base64url characters (A–Z, a–z, 0–9, "_" and "-")',
  );
}

// Device ids -----------------------------------------------------------------------------

export const isDeviceId = (value: unknown): value is DeviceId =>
  problemWithBytesId('device', value, devicePublicKeyLength) === undefined;

/** Checks and brands a device id; InvalidIdError (kind 'device') saying what arrived otherwise. */
export function asDeviceId(value: unknown): DeviceId {
  const problem = problemWithBytesId('device', value, devicePublicKeyLength);
  if (problem) throw problem;
  return value as DeviceId;
}

/** The device id of an Ed25519 public key (32 bytes). */
export const deviceIdOf = (publicKey: Uint8Array): DeviceId =>
  idOfBytes('device', publicKey, devicePublicKeyLength) as DeviceId;

/** The Ed25519 public key a device id spells (checked again: the brand may have been forged). */
export const publicKeyOfDevice = (id: DeviceId): Uint8Array => fromBase64url(asDeviceId(id));

// Invitation ids -------------------------------------------------------------------------

export const isInviteId = (value: unknown): value is InviteId =>
  problemWithBytesId('invite', value, inviteIdLength) === undefined;

/** Checks and brands an invitation id; InvalidIdError (kind 'invite') otherwise. */
export function asInviteId(value: unknown): InviteId {
  const problem = problemWithBytesId('invite', value, inviteIdLength);
  if (problem) throw problem;
  return value as InviteId;
}

/** The invitation id spelling 16 bytes (derived from the invitation's secret). */
export const inviteIdOf = (bytes: Uint8Array): InviteId =>
  idOfBytes('invite', bytes, inviteIdLength) as InviteId;

// Integration ids ------------------------------------------------------------------------

export const isIntegrationId = (value: unknown): value is IntegrationId =>
  problemWithBytesId('integration', value, integrationIdLength) === undefined;

/** Checks and brands an integration id; InvalidIdError (kind 'integration') otherwise. */
export function asIntegrationId(value: unknown): IntegrationId {
  const problem = problemWithBytesId('integration', value, integrationIdLength);
  if (problem) throw problem;
  return value as IntegrationId;
}

/** The integration id spelling 16 bytes (made at random when an integration is created). */
export const integrationIdOf = (bytes: Uint8Array): IntegrationId =>
  idOfBytes('integration', bytes, integrationIdLength) as IntegrationId;
