import { fromBase64url, randomBytes, toBase64url } from '../crypto';

/** A vault's id: 16 random bytes as unpadded base64url (22 characters). Opaque, not secret. */
export type VaultId = string & { readonly __brand: 'VaultId' };

export function newVaultId(): VaultId {
  return toBase64url(randomBytes(16)) as VaultId;
}

/** Checks that a string is a well-formed vault id. */
export function asVaultId(value: string): VaultId {
  if (typeof value !== 'string' || value.length !== 22) {
    throw new TypeError(
      `a vault id is 22 base64url characters, got ${typeof value === 'string' ? `${value.length} characters` : typeof value}`,
    );
  }
  fromBase64url(value);
  return value as VaultId;
}
