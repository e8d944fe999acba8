/**
 * What every part of the engine shares: the records, the per-vault queues, the clients (one
 * per distinct settings), and the memory-only bookkeeping. ProviderSync holds one privately;
 * the operation files (linking.ts, step-runner.ts, remote-admin.ts, migration-context.ts,
 * auto-sync.ts) take it as their first argument.
 */
import type { JsonValue } from '../../vault';
import { providerFor } from '../factory';
import { checkProviderSettings, effectiveSettings } from '../settings';
import type { ProviderSettings, SecretsProvider } from '../types';
import { canonicalJson } from './digest';
import { ProviderLinkError } from './errors';
import type { VaultProviderRecord } from './link';
import { ProviderRecords } from './records';
import type { ProviderSyncDeps } from './types';

export class SyncCore {
  readonly deps: ProviderSyncDeps;
  readonly records: ProviderRecords;
  /** Memory-only vaults filled since unlock: before that, a missing key is not a deletion. */
  readonly loaded = new Set<string>();
  /** Vaults the engine is writing: their change events are its own, not the user's. */
  readonly applying = new Set<string>();
  readonly watchers = new Set<() => void>();
  readonly #providers = new Map<string, Promise<SecretsProvider>>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(deps: ProviderSyncDeps) {
    this.deps = deps;
    this.records = new ProviderRecords(deps.db, deps.profileKey);
  }

  async defaults(): Promise<ProviderSettings | undefined> {
    return (await this.records.defaults()).settings;
  }

  check(settings: ProviderSettings): ProviderSettings {
    return (this.deps.checkSettings ?? checkProviderSettings)(settings);
  }

  async providerFor(vaultId: string, record: VaultProviderRecord): Promise<SecretsProvider> {
    const { settings } = effectiveSettings(await this.defaults(), record.override);
    if (!settings) {
      throw new ProviderLinkError(
        'no-settings',
        { vaultId },
        `vault ${vaultId} has no provider settings, and the profile has no defaults`,
      );
    }
    return this.connect(settings);
  }

  /** One client per distinct settings (a logged-in AppRole token is reused). */
  connect(settings: ProviderSettings): Promise<SecretsProvider> {
    const key = canonicalJson(settings as unknown as JsonValue);
    let provider = this.#providers.get(key);
    if (!provider) {
      provider = this.makeClient(settings);
      this.#providers.set(key, provider);
      provider.catch(() => this.#providers.delete(key));
    }
    return provider;
  }

  async makeClient(settings: ProviderSettings): Promise<SecretsProvider> {
    if (this.deps.connect) return this.deps.connect(settings);
    const clients = this.deps.clients ?? {};
    return providerFor(settings, {
      ...clients,
      fetch: clients.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      now: clients.now ?? this.deps.scheduler.now,
      scheduler: clients.scheduler ?? this.deps.scheduler,
    });
  }

  /** Runs `task` after every earlier task of the same vault settled (a queue per vault). */
  serial<T>(vaultId: string, task: () => Promise<T>): Promise<T> {
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

  /** Stops watchers and drops the clients (their tokens) and the bookkeeping. */
  dispose(): void {
    for (const stop of [...this.watchers]) stop();
    this.#providers.clear();
    this.loaded.clear();
  }
}
