/**
 * Pull All: a vault for every remote secret no vault is linked to yet. Each path becomes a
 * vault of the same name (folders kept: `team/app` -> "team/app"), linked and pulled; six
 * paths are fetched at a time and progress is reported after each. A path whose name a vault
 * already has is skipped with the reason (link it from that vault: Coffer never merges into a
 * vault the user did not point at the secret). A vault created for a path that then fails to
 * link is deleted again, so a failed Pull All leaves no empty vaults behind.
 */
import type { RecordableAuditEvent } from '../../audit';
import type { VaultId } from '../../ids';
import type { CorruptDataError } from '../../storage';
import type { Vault } from '../../vault';
import type { SecretsProvider } from '../types';
import { ProviderLinkError } from './errors';
import { pool } from './local';
import type { ProviderRecords } from './records';
import type { LinkOutcome, PullAllOptions, PullAllResult, VaultAccess } from './types';

/** How many remote secrets Pull All reads at once. */
export const PULL_ALL_CONCURRENCY = 6;

export interface PullAllContext {
  readonly vaults: VaultAccess;
  readonly records: ProviderRecords;
  connect(): Promise<SecretsProvider>;
  link(
    vault: Vault,
    path: string,
    memoryOnly: boolean,
    record: ((event: RecordableAuditEvent) => unknown) | undefined,
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
    const vault = await ctx.vaults.createVault(
      path,
      options.memoryOnly ? { memoryOnly: true } : {},
    );
    names.set(vault.name, vault.id);
    const record = options.record
      ? (event: RecordableAuditEvent) => options.record?.(vault.id, event)
      : undefined;
    let outcome: LinkOutcome;
    try {
      outcome = await ctx.vaults.withVault({ id: vault.id }, (open) =>
        ctx.link(open, path, options.memoryOnly === true, record),
      );
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

  await pool(paths, PULL_ALL_CONCURRENCY, async (path) => {
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
