/**
 * The linked remote secret itself: soft delete, destroy (only with the path typed back), and
 * restore. Each runs in the vault's queue; none changes the vault's entries.
 */
import type { Vault } from '../../vault';
import type { DeletedSecret } from '../types';
import type { SyncCore } from './engine-core';
import { ProviderLinkError } from './errors';
import { notPending, requireLink } from './guards';

export function deleteRemote(
  core: SyncCore,
  vault: Vault,
  signal: AbortSignal | undefined,
): Promise<DeletedSecret> {
  return core.serial(vault.id, async () => {
    const record = await core.records.vault(vault.id);
    const link = requireLink(vault.id, record.link);
    notPending(vault.id, link);
    const provider = await core.providerFor(vault.id, record);
    return provider.delete(link.path, signal);
  });
}

export function destroyRemote(
  core: SyncCore,
  vault: Vault,
  confirmName: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  return core.serial(vault.id, async () => {
    const record = await core.records.vault(vault.id);
    const link = requireLink(vault.id, record.link);
    notPending(vault.id, link);
    if (confirmName !== link.path) {
      throw new ProviderLinkError(
        'confirm-mismatch',
        { vaultId: vault.id, path: link.path },
        'type the remote path exactly to destroy it; nothing was deleted',
      );
    }
    const provider = await core.providerFor(vault.id, record);
    await provider.destroy(link.path, signal);
    // Paused and without a base: a push after re-enabling writes the vault's entries again.
    await core.records.saveVault(vault.id, {
      ...record,
      link: { ...link, enabled: false, remoteVersion: 'absent', base: {}, conflicts: [] },
    });
  });
}

export function restoreRemote(
  core: SyncCore,
  vault: Vault,
  signal: AbortSignal | undefined,
): Promise<void> {
  return core.serial(vault.id, async () => {
    const record = await core.records.vault(vault.id);
    const link = requireLink(vault.id, record.link);
    const provider = await core.providerFor(vault.id, record);
    await provider.restore(link.path, signal);
  });
}
