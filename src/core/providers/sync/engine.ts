/**
 * ProviderSync (`session.providers`): settings, links, and the sync steps between a vault and
 * its remote secret. The public class only; each group of operations has its own file:
 * engine-core.ts (queues, clients, records), guards.ts, linking.ts, step-runner.ts,
 * remote-admin.ts, migration-context.ts (with migrate.ts), auto-sync.ts, pull-all.ts. Every
 * operation on one vault's link runs after the previous one finished (a queue per vault), so
 * an auto-save push and a pull the user asked for never interleave.
 */
import type { VaultId } from '../../ids';
import type { Vault } from '../../vault';
import { effectiveSettings } from '../settings';
import type { ConnectionReport, DeletedSecret, ProviderSettings } from '../types';
import { AUTO_SAVE_DELAY_MS, autoSyncOnUnlock, watchVault } from './auto-sync';
import { SyncCore } from './engine-core';
import { ProviderLinkError } from './errors';
import { defaultPath, normalisePath } from './guards';
import type { ProviderLink } from './link';
import { forgetVault, linkVault, setLinkMemoryOnly, setLinkOptions, unlinkVault } from './linking';
import { migrateLink, resumeLink, undoLink } from './migrate';
import { migrationContext } from './migration-context';
import { pullAllPaths } from './pull-all';
import { deleteRemote, destroyRemote, restoreRemote } from './remote-admin';
import { runStep } from './step-runner';
import { PUSH_ATTEMPTS, type Resolution } from './steps';
import type {
  AutoSyncReport,
  LinkChoice,
  LinkOptions,
  LinkOutcome,
  MigrateOutcome,
  ProviderSyncDeps,
  PullAllOptions,
  PullAllResult,
  PushOptions,
  SyncOptions,
  SyncOutcome,
} from './types';

export { AUTO_SAVE_DELAY_MS, defaultPath, PUSH_ATTEMPTS };

export class ProviderSync {
  readonly #core: SyncCore;

  constructor(deps: ProviderSyncDeps) {
    this.#core = new SyncCore(deps);
  }

  // ---- settings ------------------------------------------------------------------------------

  defaults(): Promise<ProviderSettings | undefined> {
    return this.#core.defaults();
  }

  /** Saves the profile-wide settings after the client's check (ProviderSettingsError). */
  async saveDefaults(settings: ProviderSettings | undefined): Promise<void> {
    const checked = settings === undefined ? undefined : this.#core.check(settings);
    await this.#core.records.saveDefaults(checked === undefined ? {} : { settings: checked });
  }

  async vaultSettings(vaultId: VaultId): Promise<{
    settings?: ProviderSettings;
    usesDefaults: boolean;
    override?: ProviderSettings;
    link?: ProviderLink;
  }> {
    const record = await this.#core.records.vault(vaultId);
    const { settings, usesDefaults } = effectiveSettings(await this.defaults(), record.override);
    return {
      usesDefaults,
      ...(settings ? { settings } : {}),
      ...(record.override ? { override: record.override } : {}),
      ...(record.link ? { link: record.link } : {}),
    };
  }

  /** Saves (or with `undefined` removes) a vault's own settings; its link stays. */
  saveOverride(vaultId: VaultId, settings: ProviderSettings | undefined): Promise<void> {
    return this.#core.serial(vaultId, async () => {
      const checked = settings === undefined ? undefined : this.#core.check(settings);
      const record = await this.#core.records.vault(vaultId);
      await this.#core.records.saveVault(vaultId, {
        ...(checked ? { override: checked } : {}),
        ...(record.link ? { link: record.link } : {}),
      });
    });
  }

  /** Logs in and lists once with `settings` (not saved), for the Test connection line. */
  async testConnection(
    settings: ProviderSettings,
    signal?: AbortSignal,
  ): Promise<ConnectionReport> {
    // A client of its own: settings being edited are not kept, nor a login made with them.
    const provider = await this.#core.makeClient(settings);
    return provider.test(signal);
  }

  defaultPath(vaultName: string): string {
    return defaultPath(vaultName);
  }

  /** The link of a vault, if it has one (ProviderLinkError for a record of the wrong shape). */
  async linkOf(vaultId: VaultId): Promise<ProviderLink | undefined> {
    return (await this.#core.records.vault(vaultId)).link;
  }

  // ---- linking (linking.ts) ------------------------------------------------------------------

  /**
   * Links the vault to `path`. An empty vault takes the remote's keys; an empty (or absent)
   * remote takes the vault's (if that write fails, nothing is linked and the error is
   * rethrown); when both have keys that differ, nothing is linked and the diff is returned:
   * call `linkWith` with the user's choice.
   */
  link(
    vault: Vault,
    path: string,
    options: LinkOptions = {},
    sync: SyncOptions = {},
  ): Promise<LinkOutcome> {
    return linkVault(this.#core, vault, path, undefined, options, sync);
  }

  /**
   * Links with the user's choice: the union of both sides' keys (nothing is lost), keys that
   * differ take the chosen side; written to the remote with check-and-set.
   */
  async linkWith(
    vault: Vault,
    path: string,
    choice: LinkChoice,
    options: LinkOptions = {},
    sync: SyncOptions = {},
  ): Promise<SyncOutcome> {
    const result = await linkVault(this.#core, vault, path, choice, options, sync);
    if (result.state !== 'linked') throw new Error('unreachable: a choice was given');
    return result.outcome;
  }

  /**
   * Removes the link (the vault's own settings stay). `keepLocalCopy: false` also deletes the
   * synced entries from the vault (the remote keeps them). A memory-only vault stays so: store
   * it with `session.setVaultMemoryOnly(id, false, { keepLocalCopy: true })` once it is closed.
   */
  unlink(vault: Vault, options: { keepLocalCopy: boolean }): Promise<void> {
    return unlinkVault(this.#core, vault, options);
  }

  /**
   * Deletes the vault's provider record whatever state it is in (its link and its own
   * settings): how the user clears a record that does not open (CorruptDataError) or has the
   * wrong shape, or one left by a vault deleted elsewhere. Nothing remote or in the vault changes.
   */
  forget(vaultId: VaultId): Promise<void> {
    return forgetVault(this.#core, vaultId);
  }

  /** Turns syncing of a link on or off, and auto-sync. */
  setOptions(vaultId: VaultId, options: { autoSync?: boolean; enabled?: boolean }): Promise<void> {
    return setLinkOptions(this.#core, vaultId, options);
  }

  /**
   * Keeps a linked vault's values out of IndexedDB (on), or stores them again (off; with
   * `keepLocalCopy` what memory holds now is written, else the vault starts empty on this
   * device and the next pull fills it). The vault must be closed (the storage move takes its
   * lock). The storage moves first, then the link records it: the catalog's flag is the truth,
   * and `autoSyncOnUnlock` reads both.
   */
  setMemoryOnly(
    vaultId: VaultId,
    on: boolean,
    options: { keepLocalCopy?: boolean } = {},
  ): Promise<void> {
    return setLinkMemoryOnly(this.#core, vaultId, on, options);
  }

  // ---- sync steps (step-runner.ts, steps.ts) -------------------------------------------------

  /** Brings the remote's changes into the vault; local changes not pushed yet stay. */
  pull(vault: Vault, options: SyncOptions = {}): Promise<SyncOutcome> {
    return this.#core.serial(vault.id, () => runStep(this.#core, vault, 'pull', options));
  }

  /**
   * Merges and writes the result with check-and-set; if the remote moved meanwhile, merges
   * again (up to PUSH_ATTEMPTS), so another writer's change is kept, never overwritten.
   */
  push(vault: Vault, options: PushOptions = {}): Promise<SyncOutcome> {
    return this.#core.serial(vault.id, () => runStep(this.#core, vault, 'push', options));
  }

  /** Settles conflicts: 'mine' writes the vault's value to the remote, 'theirs' takes the remote's. */
  resolve(vault: Vault, choices: Resolution, options: SyncOptions = {}): Promise<SyncOutcome> {
    return this.#core.serial(vault.id, () =>
      runStep(this.#core, vault, 'push', { ...options, resolve: choices }),
    );
  }

  // ---- the remote secret (remote-admin.ts) ---------------------------------------------------

  /** Soft-deletes the linked secret (KV v2: undeletable; AWS: a recovery window). */
  deleteRemote(vault: Vault, signal?: AbortSignal): Promise<DeletedSecret> {
    return deleteRemote(this.#core, vault, signal);
  }

  /**
   * Destroys the linked secret for good. `confirmName` must be the remote path (else
   * ProviderLinkError 'confirm-mismatch' and nothing is deleted). The vault keeps its entries;
   * the link is paused and forgets its base, so a push after re-enabling writes them again.
   */
  destroyRemote(vault: Vault, confirmName: string, signal?: AbortSignal): Promise<void> {
    return destroyRemote(this.#core, vault, confirmName, signal);
  }

  /** Restores a soft-deleted linked secret (KV v2 undelete, AWS RestoreSecret). */
  restoreRemote(vault: Vault, signal?: AbortSignal): Promise<void> {
    return restoreRemote(this.#core, vault, signal);
  }

  // ---- migration (migrate.ts, migration-context.ts) ------------------------------------------

  /** Moves the linked secret to `newPath` (see migrate.ts for the stages). */
  migrate(vault: Vault, newPath: string, signal?: AbortSignal): Promise<MigrateOutcome> {
    return this.#core.serial(vault.id, async () =>
      migrateLink(
        await migrationContext(this.#core, vault, signal),
        normalisePath(vault.id, newPath),
      ),
    );
  }

  /** Continues an interrupted migration from its recorded stage. */
  resumeMigration(vault: Vault, signal?: AbortSignal): Promise<MigrateOutcome> {
    return this.#core.serial(vault.id, async () =>
      resumeLink(await migrationContext(this.#core, vault, signal)),
    );
  }

  /** Reverses an interrupted migration: the link points at the old path, the copy is deleted. */
  undoMigration(vault: Vault, signal?: AbortSignal): Promise<MigrateOutcome> {
    return this.#core.serial(vault.id, async () =>
      undoLink(await migrationContext(this.#core, vault, signal)),
    );
  }

  // ---- many vaults, and syncing nobody clicked (pull-all.ts, auto-sync.ts) -------------------

  /**
   * Creates a vault for every remote path no vault is linked to, links it and pulls (six at a
   * time). A path whose name a vault already has is skipped (link it from that vault).
   */
  pullAll(options: PullAllOptions = {}): Promise<PullAllResult> {
    return pullAllPaths(
      {
        vaults: this.#core.deps.vaults,
        records: this.#core.records,
        connect: async () => {
          const settings = await this.defaults();
          if (!settings) {
            throw new ProviderLinkError('no-settings', {}, 'no provider settings are saved');
          }
          return this.#core.connect(settings);
        },
        link: (vault, path, memoryOnly, record, remote) =>
          linkVault(
            this.#core,
            vault,
            path,
            undefined,
            { memoryOnly, autoSync: true },
            record ? { record } : {},
            { path, remote },
          ),
      },
      options,
    );
  }

  /**
   * Pulls every enabled link with auto-sync, and every memory-only link (their values live
   * only in memory, so each unlock fills them again). A vault busy in another tab, or failing,
   * is reported in `failed`; the others go on.
   */
  autoSyncOnUnlock(options: { signal?: AbortSignal } = {}): Promise<AutoSyncReport> {
    return autoSyncOnUnlock(this.#core, (vault, sync) => this.pull(vault, sync), options);
  }

  /**
   * Auto-save: after local changes to `vault` (AUTO_SAVE_DELAY_MS of quiet), pushes if the
   * link is enabled with auto-sync, and reports each outcome or error. Returns the stop
   * function (also called when the vault closes or the profile locks).
   */
  watch(
    vault: Vault,
    onOutcome: (result: { outcome: SyncOutcome } | { error: unknown }) => void,
    options: SyncOptions = {},
  ): () => void {
    return watchVault(
      this.#core,
      (target, sync) => this.push(target, sync),
      vault,
      onOutcome,
      options,
    );
  }

  /** Drops what the engine holds in memory (clients, their tokens) and stops watchers: the profile locked. */
  dispose(): void {
    this.#core.dispose();
  }
}
