/**
 * Wires migrate.ts's stages to the engine: the link's client, and a save that keeps the rest
 * of the vault's record (its own settings) while the link moves.
 */
import type { Vault } from '../../vault';
import type { SyncCore } from './engine-core';
import { requireLink } from './guards';
import type { ProviderLink, VaultProviderRecord } from './link';
import type { MigrationContext } from './migrate';

export async function migrationContext(
  core: SyncCore,
  vault: Vault,
  signal: AbortSignal | undefined,
): Promise<MigrationContext> {
  const record = await core.records.vault(vault.id);
  const link = requireLink(vault.id, record.link);
  const provider = await core.providerFor(vault.id, record);
  let current: VaultProviderRecord = { ...record, link };
  return {
    vaultId: vault.id,
    provider,
    link,
    ...(signal ? { signal } : {}),
    save: async (next: ProviderLink) => {
      current = { ...current, link: next };
      await core.records.saveVault(vault.id, current);
    },
  };
}
