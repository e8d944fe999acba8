import { AuditTrail } from '../audit-trail';
import { withStaleTokenDropped } from '../connections';
import type { ProfileKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import { createHookRunner, HookEngineError, type HookRunner, type HookWorkerLike } from '../hooks';
import type { IntegrationId, VaultId } from '../ids';
import { createMemoryLockManager, type LockManagerLike } from '../lock';
import {
  appendRunRecord,
  type CofferDatabase,
  CorruptDataError,
  deleteRunRecords,
  readRunRecords,
} from '../storage';
import type { TransportFactory } from '../sync';
import type { Scheduler } from '../time';
import type { ConnectionField, ConnectionValue, Vault } from '../vault';
import {
  type ConnectionAuthDeps,
  LEASE_CONNECT_MS,
  LEASE_SETTLE_MS,
  LEASE_WAIT_MS,
  readConnection,
} from './connection-auth';
import { choicesOf } from './connection-choices';
import { problemsOf } from './draft-problems';
import { EntryReader } from './entry-reader';
import { checkDraft } from './integration-model';
import { IntegrationStore } from './integration-store';
import { runIntegration } from './run';
import { startRunSync } from './run-sync';
import type {
  ConnectionChoice,
  FieldProblem,
  Grant,
  Integration,
  IntegrationDraft,
  IntegrationSummary,
  IntegrationsApi,
  ReferenceNames,
  RunOptions,
  RunRecord,
} from './types';
import { VaultAccess, type VaultDirectory } from './vault-access';
import { VaultChooser, type VaultListing } from './vault-names';

/**
 * What integrations need from the browser: sending requests, and the hook engine. Each part
 * left out has a default: the global `fetch`, no page origin, the system scheduler, and no
 * hook Worker (a run with a hook then fails with HookEngineError).
 */
export interface IntegrationPlatform {
  readonly fetch?: typeof fetch;
  /** The page's origin, for the words of a CORS failure. */
  readonly pageOrigin?: string;
  /** Starts a hook Worker (the app: `new Worker(…hook-worker.ts…)`); the runner starts one when a hook first runs or the editor opens. */
  readonly hookWorker?: () => HookWorkerLike;
  readonly scheduler?: Scheduler;
  /**
   * The Web Locks of this browser (`navigator.locks`), for one token refresh at a time across
   * tabs; without it, one at a time in this instance only (Node tests).
   */
  readonly locks?: LockManagerLike;
  /** The cross-device refresh lease's timings (connection-auth.ts has the defaults). */
  readonly tokenLease?: {
    readonly settleMs?: number;
    readonly waitMs?: number;
    readonly connectMs?: number;
  };
  /** Joins a vault's sync room (the app's WebRTC transport): how a run meets other devices. */
  readonly connect?: TransportFactory;
}

export interface IntegrationsDeps {
  readonly db: CofferDatabase;
  readonly profileKey: (doing: string) => ProfileKey;
  readonly scheduler: Scheduler;
  readonly vaults: VaultDirectory & { listVaults(): Promise<readonly VaultListing[]> };
  readonly platform: IntegrationPlatform;
  /** This device (its id names a refresh lease; its keys sign what a run syncs). */
  readonly device?: () => Promise<DeviceIdentity & { readonly name: string }>;
}

type Checkable = Integration | (IntegrationDraft & { readonly id: IntegrationId });

/** The profile's integrations (docs/integrations.md): `session.integrations`. */
export class Integrations implements IntegrationsApi {
  readonly #store: IntegrationStore;
  readonly #access: VaultAccess;
  #runner: HookRunner | undefined;
  /** Names the hooks kept in each integration's last run, for `@{keep.` suggestions. */
  readonly #keptNames = new Map<IntegrationId, string[]>();
  #reads: Promise<unknown> = Promise.resolve();
  /** The platform's Web Locks; without them (Node), locks of this instance only. */
  readonly #locks: LockManagerLike;

  constructor(private readonly deps: IntegrationsDeps) {
    this.#store = new IntegrationStore({
      db: deps.db,
      profileKey: deps.profileKey,
      clock: () => deps.scheduler.now(),
    });
    this.#access = new VaultAccess(deps.vaults);
    this.#locks = deps.platform.locks ?? createMemoryLockManager();
  }

  list(): Promise<IntegrationSummary[]> {
    return this.#store.summaries();
  }

  get(id: IntegrationId): Promise<Integration> {
    return this.#store.get(id);
  }

  async create(name: string): Promise<Integration> {
    return this.#store.create(name);
  }

  async save(id: IntegrationId, draft: IntegrationDraft): Promise<Integration> {
    return this.#store.save(id, draft);
  }

  rename(id: IntegrationId, name: string): Promise<Integration> {
    return this.#store.rename(id, name);
  }

  async duplicate(id: IntegrationId): Promise<Integration> {
    const source = await this.#store.get(id);
    const copy = await this.#store.create(await this.#store.copyName(source.name), source);
    for (const grant of await this.#store.grants()) {
      if (grant.integration === id) await this.#store.setGrant({ ...grant, integration: copy.id });
    }
    return copy;
  }

  async delete(id: IntegrationId): Promise<void> {
    await this.#store.delete(id);
    this.#keptNames.delete(id);
  }

  grants(): Promise<Grant[]> {
    return this.#store.grants();
  }

  setGrant(grant: Grant): Promise<void> {
    return this.#store.setGrant(grant);
  }

  removeGrant(integration: IntegrationId, vault: VaultId): Promise<void> {
    return this.#store.removeGrant(integration, vault);
  }

  /**
   * Runs `read` after the reads of this tab's earlier `check` and `referenceNames` calls: each
   * opens vaults only if free, so two at once would find each other's vault busy and skip it.
   */
  #inTurn<T>(read: () => Promise<T>): Promise<T> {
    const result = this.#reads.then(read, read);
    this.#reads = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  check(integration: Checkable): Promise<FieldProblem[]> {
    return this.#inTurn(() => this.#check(integration));
  }

  async #check(integration: Checkable): Promise<FieldProblem[]> {
    const draft = checkDraft(integration);
    const chooser = await this.#chooser({ ...draft, id: integration.id });
    const entries = new EntryReader(this.deps.vaults);
    try {
      return await problemsOf(draft, chooser, entries);
    } finally {
      await entries.close();
    }
  }

  connections(integration: Checkable): Promise<ConnectionChoice[]> {
    return this.#inTurn(async () => {
      const chooser = await this.#chooser(integration);
      const reader = new EntryReader(this.deps.vaults);
      try {
        const lists = await Promise.all(
          chooser
            .readable()
            .map(async (vault) => choicesOf(vault, (await reader.list(vault)) ?? [])),
        );
        return lists.flat();
      } finally {
        await reader.close();
      }
    });
  }

  async createConnection(vault: VaultId, name: string, value: ConnectionValue): Promise<void> {
    await this.#withVault(vault, (open) => open.create(name, value, { kind: 'connection' }));
  }

  async updateConnection(
    vault: VaultId,
    name: string,
    fields: Readonly<Record<string, ConnectionField | null>>,
  ): Promise<void> {
    await this.#withVault(vault, async (open) => {
      const { value } = await readConnection(open, name);
      await open.update(name, { fields: withStaleTokenDropped(value.type, fields) });
    });
  }

  async #withVault<T>(id: VaultId, use: (vault: Vault) => Promise<T>): Promise<T> {
    const lease = await this.#access.acquire(id);
    try {
      return await use(lease.vault);
    } finally {
      await lease.release();
    }
  }

  referenceNames(integration: Checkable): Promise<ReferenceNames> {
    return this.#inTurn(() => this.#referenceNames(integration));
  }

  async #referenceNames(integration: Checkable): Promise<ReferenceNames> {
    const chooser = await this.#chooser(integration);
    const reader = new EntryReader(this.deps.vaults);
    try {
      const named = async (vault: VaultListing) => ({
        name: vault.name,
        entries: (await reader.names(vault)) ?? [],
      });
      const fallback = chooser.defaultVault();
      return {
        defaultVault:
          fallback && chooser.access(fallback.id) !== undefined ? await named(fallback) : undefined,
        vaults: await Promise.all(chooser.readable().map(named)),
        kept: this.#keptNames.get(integration.id) ?? [],
      };
    } finally {
      await reader.close();
    }
  }

  prepareHooks(): void {
    try {
      this.#hookRunner().prepare();
    } catch {
      // No engine here: the first run that needs one says so.
    }
  }

  #hookRunner(): HookRunner {
    const spawn = this.deps.platform.hookWorker;
    if (!spawn) throw new HookEngineError('this environment has no hook engine');
    this.#runner ??= createHookRunner(spawn, { scheduler: this.deps.scheduler });
    return this.#runner;
  }

  async run(id: IntegrationId, options: RunOptions = {}): Promise<RunRecord> {
    const [integration, vaults, grants] = await Promise.all([
      this.#store.get(id),
      this.deps.vaults.listVaults(),
      this.#store.grants(),
    ]);
    const chooser = new VaultChooser(integration, vaults, grants);
    const record = await runIntegration(
      {
        chooser,
        access: this.#access,
        http: {
          fetch: this.deps.platform.fetch ?? ((input, init) => globalThis.fetch(input, init)),
          pageOrigin: this.deps.platform.pageOrigin,
          scheduler: this.deps.scheduler,
        },
        hooks: () => this.#hookRunner(),
        scheduler: this.deps.scheduler,
        connections: {
          locks: this.#locks,
          fetch: this.deps.platform.fetch ?? ((input, init) => globalThis.fetch(input, init)),
          scheduler: this.deps.scheduler,
          ...this.#coordination(),
          lease: {
            settleMs: this.deps.platform.tokenLease?.settleMs ?? LEASE_SETTLE_MS,
            waitMs: this.deps.platform.tokenLease?.waitMs ?? LEASE_WAIT_MS,
            connectMs: this.deps.platform.tokenLease?.connectMs ?? LEASE_CONNECT_MS,
          },
        },
        ...(this.deps.device
          ? {
              recordRead: async (vault: Vault, entries: readonly string[]) => {
                if (entries.length === 0 || !this.deps.device) return;
                const device = await this.deps.device();
                await AuditTrail.of({
                  vault,
                  device,
                  clock: () => this.deps.scheduler.now(),
                }).integrationRun(integration.name, entries);
              },
            }
          : {}),
        save: async (make) => {
          let record: RunRecord | undefined;
          await appendRunRecord(this.deps.db, this.deps.profileKey('saving a run'), id, (seq) => {
            record = make(seq);
            return record;
          });
          return record!;
        },
      },
      integration,
      options,
    );
    this.#keptNames.set(id, [...record.keptNames]);
    return record;
  }

  async runs(id: IntegrationId): Promise<RunRecord[]> {
    const opened = await readRunRecords(
      this.deps.db,
      this.deps.profileKey('reading run history'),
      id,
    );
    return opened.filter(
      (run): run is RunRecord => !(run instanceof CorruptDataError) && isRun(run),
    );
  }

  async clearRuns(id: IntegrationId): Promise<void> {
    this.deps.profileKey('clearing run history');
    await deleteRunRecords(this.deps.db, id);
  }

  /** Stops the hook engine (the profile locked). */
  dispose(): void {
    this.#runner?.dispose();
    this.#runner = undefined;
  }

  /** Who a refresh lease names, and the sync that carries it (none without a device). */
  #coordination(): Pick<ConnectionAuthDeps, 'device' | 'sync'> {
    const device = this.deps.device;
    if (!device) return {};
    const connect = this.deps.platform.connect;
    return {
      device: async () => (await device()).id,
      ...(connect
        ? {
            sync: (vault: Vault) =>
              startRunSync({ connect, device, scheduler: this.deps.scheduler }, vault),
          }
        : {}),
    };
  }

  async #chooser(integration: Checkable): Promise<VaultChooser> {
    const [vaults, grants] = await Promise.all([
      this.deps.vaults.listVaults(),
      this.#store.grants(),
    ]);
    return new VaultChooser(integration, vaults, grants);
  }
}

function isRun(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const run = value as Record<string, unknown>;
  return (
    typeof run.seq === 'number' && typeof run.startedAt === 'number' && Array.isArray(run.debug)
  );
}
