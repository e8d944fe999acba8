/**
 * Syncing nobody clicked: the pulls at unlock (auto-sync and memory-only links) and the
 * debounced auto-save push after local changes (`watch`).
 */
import type { VaultId } from '../../ids';
import type { JsonValue, Vault } from '../../vault';
import { digestOf } from './digest';
import type { SyncCore } from './engine-core';
import type { ProviderLink } from './link';
import { pool } from './local';
import { readLocal } from './mapping';
import type { AutoSyncReport, SyncOptions, SyncOutcome } from './types';

/** The quiet time after a local change before `watch` pushes. */
export const AUTO_SAVE_DELAY_MS = 800;

type Step = (vault: Vault, options: SyncOptions) => Promise<SyncOutcome>;

export async function autoSyncOnUnlock(
  core: SyncCore,
  pull: Step,
  options: { signal?: AbortSignal },
): Promise<AutoSyncReport> {
  const { records } = await core.records.all();
  const known = new Map(
    (await core.deps.vaults.listVaults()).map((vault) => [vault.id as string, vault]),
  );
  const due = [...records].filter(
    ([id, record]) =>
      known.has(id) &&
      record.link?.enabled === true &&
      record.link.migration === undefined &&
      (record.link.autoSync || record.link.memoryOnly || known.get(id)?.memoryOnly === true),
  );
  const pulled: { vaultId: VaultId; outcome: SyncOutcome }[] = [];
  const failed: { vaultId: string; error: unknown }[] = [];
  await pool(due, 3, async ([id]) => {
    const vaultId = id as VaultId;
    const sync = options.signal ? { signal: options.signal } : {};
    try {
      const open = core.deps.vaults.openedVault(vaultId);
      const outcome = open
        ? await pull(open, sync)
        : await core.deps.vaults.withVault({ id: vaultId }, (vault) => pull(vault, sync), {
            ifAvailable: true,
          });
      pulled.push({ vaultId, outcome });
    } catch (error) {
      failed.push({ vaultId, error });
    }
  });
  return { pulled, failed };
}

export function watchVault(
  core: SyncCore,
  push: Step,
  vault: Vault,
  onOutcome: (result: { outcome: SyncOutcome } | { error: unknown }) => void,
  options: SyncOptions,
): () => void {
  let cancel: (() => void) | undefined;
  let stopped = false;
  const run = async () => {
    try {
      // In the vault's queue, so the check sees every change to the link asked for before it.
      const link = await core.serial(vault.id, async () => {
        const current = (await core.records.vault(vault.id)).link;
        return !stopped && current?.enabled === true && current.autoSync && !current.migration
          ? current
          : undefined;
      });
      if (!link) return;
      // Most local changes of a vault are not entries (audit records, reviews, the device
      // list): push only when an entry the remote tracks differs from the last synced state.
      if (matchesBase((await readLocal(vault)).tracked, link)) return;
      onOutcome({ outcome: await push(vault, options) });
    } catch (error) {
      if (!stopped) onOutcome({ error });
    }
  };
  const offChange = vault.onChange((origin) => {
    if (origin !== 'local' || stopped || core.applying.has(vault.id)) return;
    cancel?.();
    cancel = core.deps.scheduler.after(AUTO_SAVE_DELAY_MS, () => {
      cancel = undefined;
      void run();
    });
  });
  const stop = () => {
    stopped = true;
    cancel?.();
    offChange();
    offClose();
    core.watchers.delete(stop);
  };
  const offClose = vault.onClose(stop);
  core.watchers.add(stop);
  return stop;
}

/** True when every tracked local value is the one last synced, and no synced key is gone. */
function matchesBase(local: ReadonlyMap<string, JsonValue>, link: ProviderLink): boolean {
  if (link.conflicts.length > 0) return false;
  for (const [key, value] of local) {
    if (link.base[key] === undefined || digestOf(link.salt, value) !== link.base[key]) return false;
  }
  return Object.keys(link.base).every((key) => local.has(key));
}
