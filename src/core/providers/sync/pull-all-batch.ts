/**
 * What Pull All's fast path needs of the profile, and its group commit.
 *
 * The profile (Session) can build a new vault in memory and store it later, many at once
 * (src/core/profile/create-filled-vault.ts): `stageVault` hands the new vault, open, to a fill
 * function (Pull All links it there, so the entries, the audit record and the link record are
 * made exactly as for any vault), and `commitVaults` stores staged vaults with their provider
 * rows in one durable transaction. Pull All reaches these through the VaultAccess it was given
 * (the session), found structurally: a VaultAccess without them gets the slower path of
 * createVault, withVault and the link (pull-all.ts).
 *
 * The group commit: a vault ready to be stored waits for others (COMMIT_GROUP of them), or
 * until Pull All has nothing else being read or made, and they are stored in one transaction;
 * while one commits, the next group gathers. The disk's flushes are shared, and no vault waits
 * for others that are not on their way.
 */
import type { VaultId } from '../../ids';
import type { ProviderRow } from '../../storage';
import type { Vault } from '../../vault';
import type { VaultAccess, VaultListing } from './types';

/**
 * Vaults are stored COMMIT_GROUP at a time (fewer when nothing else is being read or made: see
 * pull-all.ts), at most COMMIT_BATCH in one transaction (a failed one costs at most these). One
 * durable commit a vault was measured to cost more than the vault itself.
 */
export const COMMIT_GROUP = 10;
export const COMMIT_BATCH = 25;

/** A vault the profile staged (Session.stageVault's StagedVault): opaque here. */
export interface StagedVaultLike {
  readonly id: VaultId;
  readonly name: string;
  /** Drops it unstored. */
  discard(): void;
}

/** One vault for `commitVaults`: the staged vault and its provider rows. */
export interface VaultCommit<S extends StagedVaultLike = StagedVaultLike> {
  readonly staged: S;
  readonly providers?: readonly ProviderRow[];
}

export type VaultCommitResult =
  | { readonly ok: true; readonly vault: VaultListing }
  | { readonly ok: false; readonly error: unknown };

/** Session.stageVault and Session.commitVaults, as Pull All uses them. */
export interface VaultStager {
  stageVault<T>(
    name: string,
    options: { readonly memoryOnly?: boolean },
    fill: (vault: Vault) => Promise<T>,
  ): Promise<{ readonly staged: StagedVaultLike; readonly result: T }>;
  commitVaults(batch: readonly VaultCommit[]): Promise<VaultCommitResult[]>;
}

/** The stager behind `vaults`, if it is one (the session is). */
export function stagerOf(vaults: VaultAccess): VaultStager | undefined {
  const candidate = vaults as VaultAccess & Partial<VaultStager>;
  return typeof candidate.stageVault === 'function' && typeof candidate.commitVaults === 'function'
    ? (candidate as VaultAccess & VaultStager)
    : undefined;
}

/** A group commit: `add` an item, `flush` what waits (see `groupCommit`). */
export interface GroupCommit<I, R> {
  /** Resolves with the item's own result once its group is committed (or rejects with its error). */
  add(item: I): Promise<R>;
  /** Commits what waits now, however few. */
  flush(): void;
}

/**
 * Commits items in groups, one group at a time: a group starts once `min` items wait (at most
 * `max` go in it), or on `flush`. Each item's promise settles with its own result.
 */
export function groupCommit<I, R>(
  commit: (items: I[]) => Promise<R[]>,
  limits: { readonly min: number; readonly max: number },
): GroupCommit<I, R> {
  const queue: { item: I; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let running = false;
  let flushing = false;
  const drain = async () => {
    running = true;
    while (queue.length >= limits.min || (flushing && queue.length > 0)) {
      const group = queue.splice(0, limits.max);
      if (queue.length === 0) flushing = false;
      try {
        const results = await commit(group.map((waiting) => waiting.item));
        group.forEach((waiting, i) => {
          if (i < results.length) waiting.resolve(results[i] as R);
          else waiting.reject(new Error('the commit gave no result for this item'));
        });
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    running = false;
  };
  return {
    add: (item) =>
      new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!running && queue.length >= limits.min) void drain();
      }),
    flush: () => {
      if (queue.length === 0) return;
      flushing = true;
      if (!running) void drain();
    },
  };
}
