import { randomBytes } from '../crypto';
import { type VaultId, vaultIdLength, vaultIdOf } from '../ids';

/** A new vault's id: 16 random bytes (the format is in src/core/ids). */
export function newVaultId(): VaultId {
  return vaultIdOf(randomBytes(vaultIdLength));
}
