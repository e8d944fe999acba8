/**
 * Pull All: a vault for every remote secret no vault is linked to yet. Each path becomes a
 * vault of the same name (folders kept: `team/app` -> "team/app"), linked and pulled; progress
 * is reported after each. A path whose name a vault already has is skipped with the reason
 * (link it from that vault: Coffer never merges into a vault the user did not point at the
 * secret). A path that fails to link leaves no vault behind, so a failed Pull All leaves no
 * empty or half-made vaults.
 *
 * A pipeline: six secrets are read at a time, and each read secret waits for one of two
 * writers, which makes its vault and links it with the value just read (the first link's
 * check-and-set is against that read's version; a conflict reads again). The reads of later
 * secrets go on while earlier vaults are written. More writers do not help (measured with 1 to
 * 6: they share the page's thread; 4 and 6 were slower). A secret whose read fails creates no
 * vault at all.
 *
 * With a profile that stages vaults (pull-all-batch.ts; the session does), a writer builds the
 * vault in memory and links it there: the entries, the audit record (through `record`, with the
 * vault open as ever) and the link record are made by the same code as for any vault, and the
 * vault is stored with its link in one transaction shared with the other vaults ready by then
 * (a group commit). A vault is then stored whole or not at all: nothing is deleted after a
 * failure because nothing half-made was stored. Without staging, each vault is created, opened,
 * linked and closed, and deleted again if its link fails.
 */
import type { RecordableAuditEvent } from '../../audit';
import type { VaultId } from '../../ids';
import type { CorruptDataError } from '../../storage';
import type { Vault } from '../../vault';
import type { RemoteSecret, SecretsProvider } from '../types';
import { ProviderLinkError } from './errors';
import { limiter, pool } from './local';
import {
  COMMIT_BATCH,
  COMMIT_GROUP,
  groupCommit,
  stagerOf,
  type VaultCommit,
  type VaultCommitResult,
} from './pull-all-batch';
import type { ProviderRecords } from './records';
import type { LinkOutcome, PullAllOptions, PullAllResult, VaultAccess } from './types';

/** How many remote secrets Pull All reads at once. */
export const PULL_ALL_CONCURRENCY = 6;
/** How many new vaults Pull All makes and links at once. */
export const PULL_ALL_WRITERS = 2;
/** How many secrets may be read ahead of the writers (each held in memory until written). */
const READ_AHEAD = 4 * PULL_ALL_CONCURRENCY;

export interface PullAllContext {
  readonly vaults: VaultAccess;
  readonly records: ProviderRecords;
  connect(): Promise<SecretsProvider>;
  link(
    vault: Vault,
    path: string,
    memoryOnly: boolean,
    record: ((event: RecordableAuditEvent) => unknown) | undefined,
    /** The remote as Pull All just read it, for the link's first attempt. */
    remote: RemoteSecret | undefined,
  ): Promise<LinkOutcome>;
}

/** The id of the record an error names (CorruptDataError: `record.id`; ProviderLinkError: `vaultId`). */
function errorVault(error: CorruptDataError | ProviderLinkError): string {
  return (error instanceof ProviderLinkError ? error.vaultId : error.record.id) ?? 'unknown';
}

const byPath = <T extends { path: string }>(a: T, b: T) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

export async function pullAllPaths(
  ctx: PullAllContext,
  options: PullAllOptions,
): Promise<PullAllResult> {
  // The profile's links and vaults are read while the provider connects and lists (awaited
  // after it, so a provider's error is still the one reported when both fail).
  const reads = [ctx.records.all(), ctx.vaults.listVaults()] as const;
  for (const read of reads) read.catch(() => undefined);
  const provider = await ctx.connect();
  const paths = await provider.list(options.signal);
  const { records, damaged } = await reads[0];
  const vaults = await reads[1];
  const exists = new Set<string>(vaults.map((vault) => vault.id));
  const linkedPaths = new Set<string>();
  const linkedVaults = new Set<string>();
  for (const [vaultId, record] of records) {
    // A record left by a vault deleted since links nothing.
    if (!record.link || !exists.has(vaultId)) continue;
    linkedVaults.add(vaultId);
    linkedPaths.add(record.link.path);
    if (record.link.migration) linkedPaths.add(record.link.migration.to);
  }
  const names = new Map(vaults.map((vault) => [vault.name, vault.id]));
  const created: { path: string; vaultId: VaultId }[] = [];
  const linkedAlready: string[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let done = 0;
  /** Paths being read or made into staged vaults (the staged path only). */
  let making = 0;
  const reading = limiter(PULL_ALL_CONCURRENCY);
  const writing = limiter(PULL_ALL_WRITERS);

  /** Makes the vault of `path`; staged, resolves with the step that stores it. */
  const one = async (path: string): Promise<(() => Promise<void>) | undefined> => {
    if (linkedPaths.has(path)) {
      linkedAlready.push(path);
      return;
    }
    const holder = names.get(path);
    if (holder !== undefined) {
      skipped.push({
        path,
        reason: linkedVaults.has(holder)
          ? `the vault named ${path} is linked to another secret`
          : `a vault named ${path} exists; link it from the vault instead`,
      });
      return;
    }
    options.signal?.throwIfAborted();
    if (!commit) {
      const remote = await reading(() => provider.read(path, options.signal));
      await writing(() => make(path, remote));
      return;
    }
    // Staged, the writer's slot (and the read-ahead's) is free again while the vault waits
    // for its commit; once nothing is being read or made, the vaults waiting are stored.
    making += 1;
    try {
      const remote = await reading(() => provider.read(path, options.signal));
      return await writing(() => stage(path, remote));
    } finally {
      making -= 1;
      if (making === 0) commit.flush();
    }
  };

  /** Links the new vault `open` with `remote`; its audit records are saved before this resolves. */
  const linkNew = async (open: Vault, path: string, remote: RemoteSecret | undefined) => {
    // The audit record is saved into the vault: wait for it before the vault closes.
    const saving: Promise<unknown>[] = [];
    const record = options.record
      ? (event: RecordableAuditEvent) => {
          const saved = Promise.resolve(options.record?.(open, event));
          saving.push(saved);
          return saved;
        }
      : undefined;
    try {
      return await ctx.link(open, path, options.memoryOnly === true, record, remote);
    } finally {
      await Promise.allSettled(saving);
    }
  };

  const stager = stagerOf(ctx.vaults);
  const commit =
    stager &&
    groupCommit<VaultCommit, VaultCommitResult>(
      async (items) => {
        // Cancelled: the vaults still waiting are dropped (a group already writing completes).
        if (options.signal?.aborted) {
          for (const item of items) item.staged.discard();
          options.signal.throwIfAborted();
        }
        return stager.commitVaults(items);
      },
      { min: COMMIT_GROUP, max: COMMIT_BATCH },
    );
  const storage = options.memoryOnly ? { memoryOnly: true } : {};

  /**
   * The fast path: the vault made in memory and linked there (in a writer's slot); resolves
   * with the step that stores it with its link (run outside the slot, in a group commit).
   */
  const stage = async (
    path: string,
    remote: RemoteSecret | undefined,
  ): Promise<() => Promise<void>> => {
    if (!stager || !commit) throw new Error('unreachable: staging without a stager');
    options.signal?.throwIfAborted();
    const { staged, result } = await stager.stageVault(path, storage, async (open) => {
      ctx.records.stage(open.id);
      try {
        const outcome = await linkNew(open, path, remote);
        return { outcome, record: ctx.records.unstage(open.id) ?? {} };
      } finally {
        ctx.records.unstage(open.id);
      }
    });
    let row: ReturnType<ProviderRecords['sealStaged']>;
    try {
      // An empty vault always links; anything else is a bug, not a reason to keep a vault.
      if (result.outcome.state !== 'linked') {
        staged.discard();
        return async () => {
          skipped.push({ path, reason: 'the new vault was not empty' });
        };
      }
      options.signal?.throwIfAborted();
      row = ctx.records.sealStaged(staged.id, result.record);
    } catch (error) {
      staged.discard();
      throw error;
    }
    // Queued now, so that a flush when nothing else is being made includes it.
    const storing = commit.add({ staged, providers: row ? [row] : [] });
    storing.catch(() => undefined);
    return async () => {
      const stored = await storing;
      if (!stored.ok) throw stored.error;
      names.set(stored.vault.name, stored.vault.id);
      created.push({ path, vaultId: stored.vault.id });
    };
  };

  /** Without staging: create, open, link, close; a vault whose link fails is deleted again. */
  const make = async (path: string, remote: RemoteSecret | undefined) => {
    options.signal?.throwIfAborted();
    const vault = await ctx.vaults.createVault(path, storage);
    names.set(vault.name, vault.id);
    let outcome: LinkOutcome;
    try {
      outcome = await ctx.vaults.withVault({ id: vault.id }, (open) => linkNew(open, path, remote));
    } catch (error) {
      await ctx.vaults.deleteVault({ id: vault.id }).catch(() => undefined);
      throw error;
    }
    if (outcome.state !== 'linked') {
      await ctx.vaults.deleteVault({ id: vault.id }).catch(() => undefined);
      skipped.push({ path, reason: 'the new vault was not empty' });
      return;
    }
    created.push({ path, vaultId: vault.id });
  };

  // Every link of this run uses the settings it started with (read once, not once a vault).
  const unpin = ctx.records.pinDefaults();
  try {
    const failed = (path: string, error: unknown) => {
      if (options.signal?.aborted) throw error;
      skipped.push({ path, reason: (error as Error).message });
    };
    const finished = () => {
      done += 1;
      options.onProgress?.({ done, total: paths.length });
    };
    const storing: Promise<void>[] = [];
    await pool(paths, READ_AHEAD, async (path) => {
      try {
        const store = await one(path);
        if (store) {
          const stored = store().then(finished, (error: unknown) => {
            failed(path, error);
            finished();
          });
          // Awaited below, after the reads; until then a rejection (an abort) is not unhandled.
          stored.catch(() => undefined);
          storing.push(stored);
          return;
        }
      } catch (error) {
        failed(path, error);
      }
      finished();
    });
    commit?.flush();
    await Promise.all(storing);
  } finally {
    unpin();
  }
  return {
    created: created.sort(byPath),
    linkedAlready: linkedAlready.sort(),
    skipped: skipped.sort(byPath),
    damagedLinks: damaged
      .map((error) => errorVault(error))
      .filter((id) => exists.has(id))
      .sort(),
  };
}
