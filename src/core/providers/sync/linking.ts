/**
 * The link's administration: linking (first union of both sides), unlinking, forgetting a
 * record, and a link's options and storage mode. Each runs in the vault's queue.
 */
import type { VaultId } from '../../ids';
import type { Vault } from '../../vault';
import type { SyncCore } from './engine-core';
import { ProviderLinkError } from './errors';
import { normalisePath, requireLink } from './guards';
import { stepContext } from './step-runner';
import { type FirstLinkOptions, firstLink } from './steps';
import type { LinkChoice, LinkOptions, LinkOutcome, SyncOptions } from './types';

/**
 * Links `vault` to `rawPath`; without a choice, differing keys give `needs-choice`.
 * `prefetched`: the remote as the caller read it just before (Pull All), for the first attempt.
 */
export function linkVault(
  core: SyncCore,
  vault: Vault,
  rawPath: string,
  choice: LinkChoice | undefined,
  options: LinkOptions,
  sync: SyncOptions,
  prefetched?: FirstLinkOptions['prefetched'],
): Promise<LinkOutcome> {
  return core.serial(vault.id, async () => {
    const path = normalisePath(vault.id, rawPath);
    const record = await core.records.vault(vault.id);
    if (record.link) {
      throw new ProviderLinkError(
        'already-linked',
        { vaultId: vault.id, path: record.link.path },
        `vault ${vault.id} is already linked; unlink it first`,
      );
    }
    const memoryOnly = options.memoryOnly ?? (await storedInMemory(core, vault.id));
    const result = await firstLink(await stepContext(core, vault, record, sync), record, {
      path,
      choice,
      autoSync: options.autoSync ?? true,
      memoryOnly,
      ...(sync.signal ? { signal: sync.signal } : {}),
      ...(prefetched ? { prefetched } : {}),
    });
    if (result.state === 'linked') core.loaded.add(vault.id);
    return result;
  });
}

async function storedInMemory(core: SyncCore, vaultId: VaultId): Promise<boolean> {
  const vaults = await core.deps.vaults.listVaults();
  return vaults.find((vault) => vault.id === vaultId)?.memoryOnly === true;
}

export function unlinkVault(
  core: SyncCore,
  vault: Vault,
  options: { keepLocalCopy: boolean },
): Promise<void> {
  return core.serial(vault.id, async () => {
    const record = await core.records.vault(vault.id);
    const link = requireLink(vault.id, record.link);
    await core.records.saveVault(vault.id, record.override ? { override: record.override } : {});
    core.loaded.delete(vault.id);
    if (!options.keepLocalCopy) {
      const synced = new Set(link.names);
      for (const entry of await vault.list()) {
        if (entry.kind !== 'connection' && synced.has(entry.name)) await vault.delete(entry.name);
      }
    }
  });
}

export function forgetVault(core: SyncCore, vaultId: VaultId): Promise<void> {
  return core.serial(vaultId, async () => {
    await core.records.remove(vaultId);
    core.loaded.delete(vaultId);
  });
}

export function setLinkOptions(
  core: SyncCore,
  vaultId: VaultId,
  options: { autoSync?: boolean; enabled?: boolean },
): Promise<void> {
  return core.serial(vaultId, async () => {
    const record = await core.records.vault(vaultId);
    const link = requireLink(vaultId, record.link);
    await core.records.saveVault(vaultId, {
      ...record,
      link: {
        ...link,
        ...(options.autoSync === undefined ? {} : { autoSync: options.autoSync }),
        ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
      },
    });
  });
}

export function setLinkMemoryOnly(
  core: SyncCore,
  vaultId: VaultId,
  on: boolean,
  options: { keepLocalCopy?: boolean },
): Promise<void> {
  return core.serial(vaultId, async () => {
    const record = await core.records.vault(vaultId);
    const link = requireLink(vaultId, record.link);
    await core.deps.storageMode?.(vaultId, on, { keepLocalCopy: options.keepLocalCopy ?? true });
    await core.records.saveVault(vaultId, { ...record, link: { ...link, memoryOnly: on } });
    // Off without a local copy: the vault is empty here until pulled, like after an unlock.
    if (!on && options.keepLocalCopy === false) core.loaded.delete(vaultId);
  });
}
