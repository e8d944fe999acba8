/**
 * Pull All: a vault for every remote secret no vault is linked to yet. Each path becomes a
 * vault of the same name (folders kept: `team/app` -> "team/app"), linked and pulled; progress
 * is reported after each. A path whose name a vault already has is skipped with the reason
 * (link it from that vault: Coffer never merges into a vault the user did not point at the
 * secret). A vault created for a path that then fails to link is deleted again, so a failed
 * Pull All leaves no empty vaults behind.
 *
 * A pipeline of two stages: six secrets are read at a time, and each read secret waits for one
 * of two writers, which creates its vault, links it with the value just read (the first link's
 * check-and-set is against that read's version; a conflict reads again) and closes it. The
 * reads of later secrets go on while earlier vaults are written. More writers do not help
 * (measured with 1 to 6: they share IndexedDB and the page's thread; 4 and 6 were slower).
 * A secret whose read fails creates no vault at all.
 */
import type { RecordableAuditEvent } from '../../audit';
import type { VaultId } from '../../ids';
import type { CorruptDataError } from '../../storage';
import type { Vault } from '../../vault';
import type { RemoteSecret, SecretsProvider } from '../types';
import { ProviderLinkError } from './errors';
import { limiter, pool } from './local';
import type { ProviderRecords } from './records';
import type { LinkOutcome, PullAllOptions, PullAllResult, VaultAccess } from './types';

/** How many remote secrets Pull All reads at once. */
export const PULL_ALL_CONCURRENCY = 6;
/** How many new vaults Pull All writes at once (create, link, close). */
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
  const provider = await ctx.connect();
  const paths = await provider.list(options.signal);
  const { records, damaged } = await ctx.records.all();
  const vaults = await ctx.vaults.listVaults();
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
  const reading = limiter(PULL_ALL_CONCURRENCY);
  const writing = limiter(PULL_ALL_WRITERS);

  const one = async (path: string) => {
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
    const remote = await reading(() => provider.read(path, options.signal));
    await writing(() => make(path, remote));
  };

  const make = async (path: string, remote: RemoteSecret | undefined) => {
    options.signal?.throwIfAborted();
    const vault = await ctx.vaults.createVault(
      path,
      options.memoryOnly ? { memoryOnly: true } : {},
    );
    names.set(vault.name, vault.id);
    let outcome: LinkOutcome;
    try {
      outcome = await ctx.vaults.withVault({ id: vault.id }, async (open) => {
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
      });
    } catch (error) {
      await ctx.vaults.deleteVault({ id: vault.id }).catch(() => undefined);
      throw error;
    }
    if (outcome.state !== 'linked') {
      // An empty vault always links; anything else is a bug, not a reason to keep a vault.
      await ctx.vaults.deleteVault({ id: vault.id }).catch(() => undefined);
      skipped.push({ path, reason: 'the new vault was not empty' });
      return;
    }
    created.push({ path, vaultId: vault.id });
  };

  await pool(paths, READ_AHEAD, async (path) => {
    try {
      await one(path);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      skipped.push({ path, reason: (error as Error).message });
    }
    done += 1;
    options.onProgress?.({ done, total: paths.length });
  });
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
