/**
 * ProviderSync (`session.providers`): settings, links, and the sync steps between a vault and
 * its remote secret. The merge rules are merge.ts's; the mapping of entries to keys is
 * mapping.ts's; migration and Pull All have their own files. Every operation on one vault's
 * link runs after the previous one finished (a queue per vault), so an auto-save push and a
 * pull the user asked for never interleave.
 */
import { providerSyncEvent } from '../../audit-trail';
import type { VaultId } from '../../ids';
import type { JsonValue, Vault } from '../../vault';
import { providerFor } from '../factory';
import { checkProviderSettings, effectiveSettings } from '../settings';
import type { ConnectionReport, DeletedSecret, ProviderSettings, SecretsProvider } from '../types';
import { canonicalJson } from './digest';
import { ProviderLinkError } from './errors';
import type { ProviderLink, VaultProviderRecord } from './link';
import { applyLocal, pool } from './local';
import type { LocalPlan } from './merge';
import { type MigrationContext, migrateLink, resumeLink, undoLink } from './migrate';
import { pullAllPaths } from './pull-all';
import { ProviderRecords } from './records';
import {
  firstLink,
  PUSH_ATTEMPTS,
  type Resolution,
  type StepContext,
  type StepOptions,
  syncStep,
} from './steps';
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

export { PUSH_ATTEMPTS };
/** The quiet time after a local change before `watch` pushes. */
export const AUTO_SAVE_DELAY_MS = 800;

/** `team/App Config!` -> `team/app-config-`: lowercase, [a-z0-9-_/] kept, others '-', trimmed. */
export function defaultPath(vaultName: string): string {
  return vaultName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_/-]/g, '-')
    .replace(/\/+/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '');
}

function normalisePath(vaultId: string, path: string): string {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || /[\p{Cc}]/u.test(trimmed)) {
    throw new ProviderLinkError(
      'bad-path',
      { vaultId },
      'a remote path is not empty and has no control characters',
    );
  }
  return trimmed;
}

function requireLink(vaultId: string, link: ProviderLink | undefined): ProviderLink {
  if (!link) {
    throw new ProviderLinkError('not-linked', { vaultId }, `vault ${vaultId} is not linked`);
  }
  return link;
}

function notPending(vaultId: string, link: ProviderLink): void {
  if (link.migration) {
    throw new ProviderLinkError(
      'migration-pending',
      { vaultId, path: link.path },
      `vault ${vaultId}: a move of its remote path was interrupted; resume or undo it first`,
    );
  }
}

export class ProviderSync {
  readonly #deps: ProviderSyncDeps;
  readonly #records: ProviderRecords;
  readonly #providers = new Map<string, Promise<SecretsProvider>>();
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Memory-only vaults filled since unlock: before that, a missing key is not a deletion. */
  readonly #loaded = new Set<string>();
  /** Vaults the engine is writing: their change events are its own, not the user's. */
  readonly #applying = new Set<string>();
  readonly #watchers = new Set<() => void>();

  constructor(deps: ProviderSyncDeps) {
    this.#deps = deps;
    this.#records = new ProviderRecords(deps.db, deps.profileKey);
  }

  // ---- settings ------------------------------------------------------------------------------

  async defaults(): Promise<ProviderSettings | undefined> {
    return (await this.#records.defaults()).settings;
  }

  /** Saves the profile-wide settings after the client's check (ProviderSettingsError). */
  async saveDefaults(settings: ProviderSettings | undefined): Promise<void> {
    const checked = settings === undefined ? undefined : this.#check(settings);
    await this.#records.saveDefaults(checked === undefined ? {} : { settings: checked });
  }

  async vaultSettings(vaultId: VaultId): Promise<{
    settings?: ProviderSettings;
    usesDefaults: boolean;
    override?: ProviderSettings;
    link?: ProviderLink;
  }> {
    const record = await this.#records.vault(vaultId);
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
    return this.#serial(vaultId, async () => {
      const checked = settings === undefined ? undefined : this.#check(settings);
      const record = await this.#records.vault(vaultId);
      await this.#records.saveVault(vaultId, {
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
    const provider = await this.#makeClient(settings);
    return provider.test(signal);
  }

  defaultPath(vaultName: string): string {
    return defaultPath(vaultName);
  }

  /** The link of a vault, if it has one (ProviderLinkError for a record of the wrong shape). */
  async linkOf(vaultId: VaultId): Promise<ProviderLink | undefined> {
    return (await this.#records.vault(vaultId)).link;
  }

  // ---- linking -------------------------------------------------------------------------------

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
    return this.#serial(vault.id, () => this.#linkUnion(vault, path, undefined, options, sync));
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
    const result = await this.#serial(vault.id, () =>
      this.#linkUnion(vault, path, choice, options, sync),
    );
    if (result.state !== 'linked') throw new Error('unreachable: a choice was given');
    return result.outcome;
  }

  async #linkUnion(
    vault: Vault,
    rawPath: string,
    choice: LinkChoice | undefined,
    options: LinkOptions,
    sync: SyncOptions,
  ): Promise<LinkOutcome> {
    const path = normalisePath(vault.id, rawPath);
    const record = await this.#records.vault(vault.id);
    if (record.link) {
      throw new ProviderLinkError(
        'already-linked',
        { vaultId: vault.id, path: record.link.path },
        `vault ${vault.id} is already linked; unlink it first`,
      );
    }
    const memoryOnly = options.memoryOnly ?? (await this.#storedInMemory(vault.id));
    const result = await firstLink(await this.#context(vault, record, sync), record, {
      path,
      choice,
      autoSync: options.autoSync ?? true,
      memoryOnly,
      ...(sync.signal ? { signal: sync.signal } : {}),
    });
    if (result.state === 'linked') this.#loaded.add(vault.id);
    return result;
  }

  /**
   * Removes the link (the vault's own settings stay). `keepLocalCopy: false` also deletes the
   * synced entries from the vault (the remote keeps them). A memory-only vault stays so: store
   * it with `session.setVaultMemoryOnly(id, false, { keepLocalCopy: true })` once it is closed.
   */
  unlink(vault: Vault, options: { keepLocalCopy: boolean }): Promise<void> {
    return this.#serial(vault.id, async () => {
      const record = await this.#records.vault(vault.id);
      const link = requireLink(vault.id, record.link);
      await this.#records.saveVault(vault.id, record.override ? { override: record.override } : {});
      this.#loaded.delete(vault.id);
      if (!options.keepLocalCopy) {
        const synced = new Set(link.names);
        for (const entry of await vault.list()) {
          if (entry.kind !== 'connection' && synced.has(entry.name)) await vault.delete(entry.name);
        }
      }
    });
  }

  /**
   * Deletes the vault's provider record whatever state it is in (its link and its own
   * settings): how the user clears a record that does not open (CorruptDataError) or has the
   * wrong shape, or one left by a vault deleted elsewhere. Nothing remote or in the vault changes.
   */
  forget(vaultId: VaultId): Promise<void> {
    return this.#serial(vaultId, async () => {
      await this.#records.remove(vaultId);
      this.#loaded.delete(vaultId);
    });
  }

  async #storedInMemory(vaultId: VaultId): Promise<boolean> {
    const vaults = await this.#deps.vaults.listVaults();
    return vaults.find((vault) => vault.id === vaultId)?.memoryOnly === true;
  }

  /** Turns syncing of a link on or off, and auto-sync. */
  setOptions(vaultId: VaultId, options: { autoSync?: boolean; enabled?: boolean }): Promise<void> {
    return this.#serial(vaultId, async () => {
      const record = await this.#records.vault(vaultId);
      const link = requireLink(vaultId, record.link);
      await this.#records.saveVault(vaultId, {
        ...record,
        link: {
          ...link,
          ...(options.autoSync === undefined ? {} : { autoSync: options.autoSync }),
          ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
        },
      });
    });
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
    return this.#serial(vaultId, async () => {
      const record = await this.#records.vault(vaultId);
      const link = requireLink(vaultId, record.link);
      await this.#deps.storageMode?.(vaultId, on, { keepLocalCopy: options.keepLocalCopy ?? true });
      await this.#records.saveVault(vaultId, { ...record, link: { ...link, memoryOnly: on } });
      // Off without a local copy: the vault is empty here until pulled, like after an unlock.
      if (!on && options.keepLocalCopy === false) this.#loaded.delete(vaultId);
    });
  }

  // ---- sync steps ----------------------------------------------------------------------------

  /** Brings the remote's changes into the vault; local changes not pushed yet stay. */
  pull(vault: Vault, options: SyncOptions = {}): Promise<SyncOutcome> {
    return this.#serial(vault.id, () => this.#step(vault, 'pull', options));
  }

  /**
   * Merges and writes the result with check-and-set; if the remote moved meanwhile, merges
   * again (up to PUSH_ATTEMPTS), so another writer's change is kept, never overwritten.
   */
  push(vault: Vault, options: PushOptions = {}): Promise<SyncOutcome> {
    return this.#serial(vault.id, () => this.#step(vault, 'push', options));
  }

  /** Settles conflicts: 'mine' writes the vault's value to the remote, 'theirs' takes the remote's. */
  resolve(vault: Vault, choices: Resolution, options: SyncOptions = {}): Promise<SyncOutcome> {
    return this.#serial(vault.id, () =>
      this.#step(vault, 'push', { ...options, resolve: choices }),
    );
  }

  async #step(vault: Vault, mode: 'pull' | 'push', options: StepOptions): Promise<SyncOutcome> {
    const record = await this.#records.vault(vault.id);
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
      await this.#context(vault, record, options),
      { ...record, link },
      mode,
      options,
    );
    if (!outcome.remoteGone) this.#loaded.add(vault.id);
    return outcome;
  }

  /** What a step needs of the engine, for one vault. */
  async #context(
    vault: Vault,
    record: VaultProviderRecord,
    sync: SyncOptions,
  ): Promise<StepContext> {
    const provider = await this.#providerFor(vault.id, record);
    return {
      vault,
      provider,
      now: this.#deps.scheduler.now,
      loaded: this.#loaded.has(vault.id),
      apply: (plan) => this.#apply(vault, plan),
      save: (next) => this.#records.saveVault(vault.id, next),
      audit: (action, link, counts, conflicts) =>
        this.#audit(sync, action, link, provider, counts, conflicts),
    };
  }

  async #apply(vault: Vault, plan: LocalPlan): Promise<void> {
    this.#applying.add(vault.id);
    try {
      await applyLocal(vault, plan);
    } finally {
      this.#applying.delete(vault.id);
    }
  }

  // ---- the remote secret ---------------------------------------------------------------------

  /** Soft-deletes the linked secret (KV v2: undeletable; AWS: a recovery window). */
  deleteRemote(vault: Vault, signal?: AbortSignal): Promise<DeletedSecret> {
    return this.#serial(vault.id, async () => {
      const record = await this.#records.vault(vault.id);
      const link = requireLink(vault.id, record.link);
      notPending(vault.id, link);
      const provider = await this.#providerFor(vault.id, record);
      return provider.delete(link.path, signal);
    });
  }

  /**
   * Destroys the linked secret for good. `confirmName` must be the remote path (else
   * ProviderLinkError 'confirm-mismatch' and nothing is deleted). The vault keeps its entries;
   * the link is paused and forgets its base, so a push after re-enabling writes them again.
   */
  destroyRemote(vault: Vault, confirmName: string, signal?: AbortSignal): Promise<void> {
    return this.#serial(vault.id, async () => {
      const record = await this.#records.vault(vault.id);
      const link = requireLink(vault.id, record.link);
      notPending(vault.id, link);
      if (confirmName !== link.path) {
        throw new ProviderLinkError(
          'confirm-mismatch',
          { vaultId: vault.id, path: link.path },
          'type the remote path exactly to destroy it; nothing was deleted',
        );
      }
      const provider = await this.#providerFor(vault.id, record);
      await provider.destroy(link.path, signal);
      await this.#records.saveVault(vault.id, {
        ...record,
        link: { ...link, enabled: false, remoteVersion: 'absent', base: {}, conflicts: [] },
      });
    });
  }

  /** Restores a soft-deleted linked secret (KV v2 undelete, AWS RestoreSecret). */
  restoreRemote(vault: Vault, signal?: AbortSignal): Promise<void> {
    return this.#serial(vault.id, async () => {
      const record = await this.#records.vault(vault.id);
      const link = requireLink(vault.id, record.link);
      const provider = await this.#providerFor(vault.id, record);
      await provider.restore(link.path, signal);
    });
  }

  // ---- migration -----------------------------------------------------------------------------

  /** Moves the linked secret to `newPath` (see migrate.ts for the stages). */
  migrate(vault: Vault, newPath: string, signal?: AbortSignal): Promise<MigrateOutcome> {
    return this.#serial(vault.id, async () =>
      migrateLink(await this.#migration(vault, signal), normalisePath(vault.id, newPath)),
    );
  }

  /** Continues an interrupted migration from its recorded stage. */
  resumeMigration(vault: Vault, signal?: AbortSignal): Promise<MigrateOutcome> {
    return this.#serial(vault.id, async () => resumeLink(await this.#migration(vault, signal)));
  }

  /** Reverses an interrupted migration: the link points at the old path, the copy is deleted. */
  undoMigration(vault: Vault, signal?: AbortSignal): Promise<MigrateOutcome> {
    return this.#serial(vault.id, async () => undoLink(await this.#migration(vault, signal)));
  }

  async #migration(vault: Vault, signal: AbortSignal | undefined): Promise<MigrationContext> {
    const record = await this.#records.vault(vault.id);
    const link = requireLink(vault.id, record.link);
    const provider = await this.#providerFor(vault.id, record);
    let current: VaultProviderRecord = { ...record, link };
    return {
      vaultId: vault.id,
      provider,
      link,
      ...(signal ? { signal } : {}),
      save: async (next: ProviderLink) => {
        current = { ...current, link: next };
        await this.#records.saveVault(vault.id, current);
      },
    };
  }

  // ---- many vaults ---------------------------------------------------------------------------

  /**
   * Creates a vault for every remote path no vault is linked to, links it and pulls (six at a
   * time). A path whose name a vault already has is skipped (link it from that vault).
   */
  pullAll(options: PullAllOptions = {}): Promise<PullAllResult> {
    return pullAllPaths(
      {
        vaults: this.#deps.vaults,
        records: this.#records,
        connect: async () => {
          const settings = await this.defaults();
          if (!settings) {
            throw new ProviderLinkError('no-settings', {}, 'no provider settings are saved');
          }
          return this.#connect(settings);
        },
        link: (vault, path, memoryOnly, record) =>
          this.link(vault, path, { memoryOnly, autoSync: true }, record ? { record } : {}),
      },
      options,
    );
  }

  /**
   * Pulls every enabled link with auto-sync, and every memory-only link (their values live
   * only in memory, so each unlock fills them again). A vault busy in another tab, or failing,
   * is reported in `failed`; the others go on.
   */
  async autoSyncOnUnlock(options: { signal?: AbortSignal } = {}): Promise<AutoSyncReport> {
    const { records } = await this.#records.all();
    const known = new Map(
      (await this.#deps.vaults.listVaults()).map((vault) => [vault.id as string, vault]),
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
        const open = this.#deps.vaults.openedVault(vaultId);
        const outcome = open
          ? await this.pull(open, sync)
          : await this.#deps.vaults.withVault({ id: vaultId }, (vault) => this.pull(vault, sync), {
              ifAvailable: true,
            });
        pulled.push({ vaultId, outcome });
      } catch (error) {
        failed.push({ vaultId, error });
      }
    });
    return { pulled, failed };
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
    let cancel: (() => void) | undefined;
    let stopped = false;
    const run = async () => {
      try {
        // In the vault's queue, so the check sees every change to the link asked for before it.
        const due = await this.#serial(vault.id, async () => {
          const link = (await this.#records.vault(vault.id)).link;
          return !stopped && link?.enabled === true && link.autoSync && !link.migration;
        });
        if (!due) return;
        onOutcome({ outcome: await this.push(vault, options) });
      } catch (error) {
        if (!stopped) onOutcome({ error });
      }
    };
    const offChange = vault.onChange((origin) => {
      if (origin !== 'local' || stopped || this.#applying.has(vault.id)) return;
      cancel?.();
      cancel = this.#deps.scheduler.after(AUTO_SAVE_DELAY_MS, () => {
        cancel = undefined;
        void run();
      });
    });
    const stop = () => {
      stopped = true;
      cancel?.();
      offChange();
      offClose();
      this.#watchers.delete(stop);
    };
    const offClose = vault.onClose(stop);
    this.#watchers.add(stop);
    return stop;
  }

  /** Drops what the engine holds in memory (clients, their tokens) and stops watchers: the profile locked. */
  dispose(): void {
    for (const stop of [...this.#watchers]) stop();
    this.#providers.clear();
    this.#loaded.clear();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  #check(settings: ProviderSettings): ProviderSettings {
    return (this.#deps.checkSettings ?? checkProviderSettings)(settings);
  }

  async #providerFor(vaultId: string, record: VaultProviderRecord): Promise<SecretsProvider> {
    const { settings } = effectiveSettings(await this.defaults(), record.override);
    if (!settings) {
      throw new ProviderLinkError(
        'no-settings',
        { vaultId },
        `vault ${vaultId} has no provider settings, and the profile has no defaults`,
      );
    }
    return this.#connect(settings);
  }

  /** One client per distinct settings (a logged-in AppRole token is reused). */
  #connect(settings: ProviderSettings): Promise<SecretsProvider> {
    const key = canonicalJson(settings as unknown as JsonValue);
    let provider = this.#providers.get(key);
    if (!provider) {
      provider = this.#makeClient(settings);
      this.#providers.set(key, provider);
      provider.catch(() => this.#providers.delete(key));
    }
    return provider;
  }

  async #makeClient(settings: ProviderSettings): Promise<SecretsProvider> {
    if (this.#deps.connect) return this.#deps.connect(settings);
    const clients = this.#deps.clients ?? {};
    return providerFor(settings, {
      ...clients,
      fetch: clients.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      now: clients.now ?? this.#deps.scheduler.now,
      scheduler: clients.scheduler ?? this.#deps.scheduler,
    });
  }

  #serial<T>(vaultId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(vaultId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(vaultId, settled);
    void settled.then(() => {
      if (this.#queues.get(vaultId) === settled) this.#queues.delete(vaultId);
    });
    return run;
  }

  #audit(
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
}
