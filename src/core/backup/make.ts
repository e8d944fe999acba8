/**
 * Collecting a backup's contents from an unlocked profile: each vault's name, creation time,
 * naming rule and a copy of its content maps; and, for a whole-profile backup, the profile's
 * settings record. Goes through the Session like any other reader: each vault is read under its
 * single-opener lock (or through the handle this session already has open).
 */
import * as Y from 'yjs';
import type { VaultId } from '../ids';
import { type Session, VaultNotFoundError, type VaultSummary } from '../profile';
import { handleOf, type Vault } from '../vault';
import { copyContent } from './content-copy';
import type { BackupProgress } from './file';
import type { BackupContents, BackupVault } from './payload';

export interface CollectOptions {
  /** Only these vaults (a vault's backup: scope 'vault', no settings). Default: every vault. */
  readonly vaults?: readonly VaultId[];
  /** Gives up waiting for a vault another tab holds. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly now?: () => number;
}

/** What was collected, and what was left out and why (the UI says so). */
export interface Collected {
  readonly contents: BackupContents;
  /** Memory-only vaults: their values live in an outside secrets manager, not in the backup. */
  readonly memoryOnly: readonly VaultSummary[];
  /** Vaults with stored records that did not open: backed up with what could be read. */
  readonly partial: readonly VaultSummary[];
}

async function readVault(
  session: Session,
  summary: VaultSummary,
  signal: AbortSignal | undefined,
): Promise<{ vault: BackupVault; partial: boolean }> {
  const already = session.openedVault(summary.id);
  const vault: Vault =
    already ?? (await session.openVault({ id: summary.id }, signal ? { signal } : {}));
  try {
    const state = handleOf(vault).encodeState();
    const full = new Y.Doc();
    try {
      Y.applyUpdate(full, state);
      const copy = copyContent(full);
      try {
        return {
          vault: {
            name: summary.name,
            createdAt: summary.createdAt,
            nameStyle: await vault.nameStyle(),
            content: Y.encodeStateAsUpdate(copy),
          },
          partial: vault.damaged.length > 0,
        };
      } finally {
        copy.destroy();
      }
    } finally {
      full.destroy();
      state.fill(0);
    }
  } finally {
    if (!already) await vault.close();
  }
}

/**
 * Reads what a backup of the profile (or of `options.vaults`) holds. Rejects like openVault
 * (VaultNotFoundError for an id that is not here, LockWaitAbortedError on `signal`).
 * @example
 * const { contents } = await collectBackup(session);
 */
export async function collectBackup(
  session: Session,
  options: CollectOptions = {},
): Promise<Collected> {
  const all = await session.listVaults();
  const chosen = options.vaults
    ? options.vaults.map((id) => {
        const found = all.find((vault) => vault.id === id);
        if (!found) throw new VaultNotFoundError({ id });
        return found;
      })
    : all;
  const memoryOnly = chosen.filter((vault) => vault.memoryOnly);
  const stored = chosen.filter((vault) => !vault.memoryOnly);
  const vaults: BackupVault[] = [];
  const partial: VaultSummary[] = [];
  for (const [index, summary] of stored.entries()) {
    const read = await readVault(session, summary, options.signal);
    vaults.push(read.vault);
    if (read.partial) partial.push(summary);
    options.onProgress?.({ phase: 'collecting', fraction: (index + 1) / stored.length });
  }
  const profile = options.vaults === undefined;
  const saved = profile ? await session.loadSettings() : null;
  const settings =
    typeof saved === 'object' && saved !== null && !Array.isArray(saved)
      ? (saved as Record<string, unknown>)
      : null;
  return {
    contents: {
      createdAt: (options.now ?? Date.now)(),
      scope: profile ? 'profile' : 'vault',
      settings,
      vaults,
    },
    memoryOnly,
    partial,
  };
}
