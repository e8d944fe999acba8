/**
 * What the session's parts (vault-lifecycle.ts, open-vault.ts, session-services.ts, and
 * create-filled-vault.ts through `filledVaultDeps`) are given of an unlocked Session: its
 * platform, its key by way of a check, its memory-only store and its catalog reads. Built by
 * the Session on each call; holds nothing of its own.
 */
import type { ProfileKey } from '../crypto';
import type { CofferDatabase, MemoryVaultStore } from '../storage';
import type { Vault } from '../vault';
import type { FilledVaultDeps } from './create-filled-vault';
import type { CofferOptions, ThisDevice, VaultSelector } from './session-types';
import type { CatalogRead, CatalogVault } from './vault-catalog';

/** The single-opener lock's name for a vault (the id only: lock names are visible to tabs). */
export const lockNameFor = (vaultId: string) => `coffer/vault/${vaultId}`;

export interface SessionParts {
  readonly options: CofferOptions;
  readonly db: CofferDatabase;
  /** The profile key, or ProfileLockedError naming what was being done. */
  readonly profileKey: (doing: string) => ProfileKey;
  readonly clock: () => number;
  /** New entry ids. */
  readonly newId: () => string;
  /** Memory-only vaults' documents (docs/data-model.md, "Memory-only vaults"). */
  readonly memory: MemoryVaultStore;
  /** The whole catalog, read now. */
  readonly catalog: (doing: string) => Promise<CatalogRead>;
  /** The vault a selector names, from the whole catalog. */
  readonly find: (selector: VaultSelector, doing: string) => Promise<CatalogVault>;
  /** The readable vaults' names (catalog-names.ts). */
  readonly catalogNames: (profileKey: ProfileKey, doing: string) => Promise<string[]>;
  /** This device's identity if the session has started loading it, else undefined. */
  readonly device: () => Promise<ThisDevice> | undefined;
  /** Session.withVault. */
  readonly withVault: <T>(
    selector: VaultSelector,
    fn: (vault: Vault) => Promise<T> | T,
  ) => Promise<T>;
}

/** What stageVault and commitVaults (create-filled-vault.ts) are given of the session. */
export function filledVaultDeps(parts: SessionParts): FilledVaultDeps {
  return {
    db: parts.db,
    profileKey: parts.profileKey,
    clock: parts.clock,
    newId: parts.newId,
    deviceId: async () => {
      const device = parts.device();
      return device ? (await device).id : undefined;
    },
    memory: parts.memory,
    catalogNames: (doing) => parts.catalogNames(parts.profileKey(doing), doing),
  };
}
