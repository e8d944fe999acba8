/**
 * Runs one sync step (steps.ts) for the engine: checks the link may sync, builds the step's
 * context (client, vault writes marked as the engine's own, record saves, the audit trail),
 * and records that the vault was filled.
 */
import { providerSyncEvent } from '../../audit-trail';
import type { Vault } from '../../vault';
import type { SecretsProvider } from '../types';
import type { SyncCore } from './engine-core';
import { ProviderLinkError } from './errors';
import { notPending, requireLink } from './guards';
import type { ProviderLink, VaultProviderRecord } from './link';
import { applyLocal } from './local';
import type { LocalPlan } from './merge';
import { type StepContext, type StepOptions, syncStep } from './steps';
import type { SyncOptions, SyncOutcome } from './types';

export async function runStep(
  core: SyncCore,
  vault: Vault,
  mode: 'pull' | 'push',
  options: StepOptions,
): Promise<SyncOutcome> {
  const record = await core.records.vault(vault.id);
  const link = requireLink(vault.id, record.link);
  if (!link.enabled) {
    throw new ProviderLinkError(
      'disabled',
      { vaultId: vault.id, path: link.path },
      `the link of vault ${vault.id} is paused`,
    );
  }
  notPending(vault.id, link);
  const outcome = await syncStep(
    await stepContext(core, vault, record, options),
    { ...record, link },
    mode,
    options,
  );
  if (!outcome.remoteGone) core.loaded.add(vault.id);
  return outcome;
}

/** What a step needs of the engine, for one vault. */
export async function stepContext(
  core: SyncCore,
  vault: Vault,
  record: VaultProviderRecord,
  sync: SyncOptions,
): Promise<StepContext> {
  const provider = await core.providerFor(vault.id, record);
  return {
    vault,
    provider,
    now: core.deps.scheduler.now,
    loaded: core.loaded.has(vault.id),
    apply: (plan) => applyMarked(core, vault, plan),
    save: (next) => core.records.saveVault(vault.id, next),
    audit: (action, link, counts, conflicts) =>
      audit(sync, action, link, provider, counts, conflicts),
  };
}

async function applyMarked(core: SyncCore, vault: Vault, plan: LocalPlan): Promise<void> {
  core.applying.add(vault.id);
  try {
    await applyLocal(vault, plan);
  } finally {
    core.applying.delete(vault.id);
  }
}

function audit(
  options: SyncOptions,
  action: 'provider-pull' | 'provider-push',
  link: ProviderLink,
  provider: SecretsProvider,
  counts: { added: readonly string[]; changed: readonly string[]; removed: readonly string[] },
  conflicts: number,
): void {
  if (!options.record) return;
  const event = providerSyncEvent(action, {
    path: link.path,
    provider: provider.kind,
    added: counts.added.length,
    changed: counts.changed.length,
    removed: counts.removed.length,
    conflicts,
  });
  if (!event) return;
  try {
    // Auditing must not break the sync it records; a rejected promise is the trail's to report.
    void Promise.resolve(options.record(event)).catch(() => undefined);
  } catch {
    // as above
  }
}
