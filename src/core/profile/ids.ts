import { randomBytes, toBase64url } from '../crypto';
import { type VaultId, vaultIdLength, vaultIdOf } from '../ids';

/** A new vault's id: 16 random bytes (the format is in src/core/ids). */
export function newVaultId(): VaultId {
  return vaultIdOf(randomBytes(vaultIdLength));
}

/** Random bytes for entry ids, drawn for many at once (a call each cost more than the id). */
let entryIdPool: Uint8Array = new Uint8Array(0);
let entryIdAt = 0;

/** A new entry id: 12 random bytes, base64url (16 characters). */
export function newEntryId(): string {
  if (entryIdAt + 12 > entryIdPool.length) {
    entryIdPool = randomBytes(12 * 64);
    entryIdAt = 0;
  }
  entryIdAt += 12;
  return toBase64url(entryIdPool.subarray(entryIdAt - 12, entryIdAt));
}
