import type { ProfileKey } from '../crypto';
import { createHookRunner, HookEngineError, type HookRunner, type HookWorkerLike } from '../hooks';
import type { IntegrationId, VaultId } from '../ids';
import { parseTemplate, type TemplatePart } from '../references';
import {
  appendRunRecord,
  type CofferDatabase,
  CorruptDataError,
  deleteRunRecords,
  readRunRecords,
} from '../storage';
import type { Scheduler } from '../time';
import type { Vault } from '../vault';
import { checkDraft } from './integration-model';
import { IntegrationStore } from './integration-store';
import { walkPath } from './request-build';
import { runIntegration } from './run';
import type {
  FieldProblem,
  Grant,
  Integration,
  IntegrationDraft,
  IntegrationField,
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
}

export interface IntegrationsDeps {
  readonly db: CofferDatabase;
  readonly profileKey: (doing: string) => ProfileKey;
  readonly scheduler: Scheduler;
  readonly vaults: VaultDirectory & { listVaults(): Promise<readonly VaultListing[]> };
  readonly platform: IntegrationPlatform;
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

  constructor(private readonly deps: IntegrationsDeps) {
    this.#store = new IntegrationStore({
      db: deps.db,
      profileKey: deps.profileKey,
      clock: () => deps.scheduler.now(),
    });
    this.#access = new VaultAccess(deps.vaults);
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
    const problems: FieldProblem[] = [];
    const problem = (error: unknown, field: IntegrationField) => {
      const coded = error as { code?: string; message?: string; vault?: VaultId };
      problems.push({
        field,
        code: coded.code ?? 'unexpected',
        message: coded.message ?? String(error),
        ...(coded.vault ? { vault: coded.vault } : {}),
      });
    };
    if (draft.defaultVault && !chooser.defaultVault()) {
      problem(
        { code: 'reference-unresolved', message: 'the default vault no longer exists' },
        { part: 'default-vault' },
      );
    }
    // Each field on its own, so every field with a problem says so, not only the first.
    const fieldsOf = (request: IntegrationDraft['request']) => {
      const out: { field: IntegrationField; parts: TemplatePart[] }[] = [];
      const single = (field: IntegrationField, text: string) => {
        try {
          out.push({ field, parts: parseTemplate(text) });
        } catch (error) {
          problem(error, field);
        }
      };
      single({ part: 'url' }, request.url);
      request.query.forEach((pair, index) => {
        single({ part: 'query', index, side: 'name' }, pair.name);
        single({ part: 'query', index, side: 'value' }, pair.value);
      });
      request.headers.forEach((pair, index) => {
        single({ part: 'header', index, side: 'name' }, pair.name);
        single({ part: 'header', index, side: 'value' }, pair.value);
      });
      if (request.body.type !== 'none') single({ part: 'body' }, request.body.text);
      return out;
    };
    const entries = new EntryReader(this.deps.vaults);
    try {
      for (const { field, parts } of fieldsOf(draft.request)) {
        for (const part of parts) {
          if (part.kind !== 'reference' || part.reference.scope !== 'vault') continue;
          const reference = part.reference;
          try {
            const target = chooser.find(reference.vault, reference.source, field);
            chooser.require(target, 'read', field);
            const entry = await entries.entry(target, reference.entry);
            if (entry === 'unknown') continue;
            if (!entry) {
              problem(
                {
                  code: 'reference-unresolved',
                  message: `${reference.source}: vault "${target.name}" has no entry ${reference.entry}`,
                },
                field,
              );
              continue;
            }
            walkPath(entry.value as never, reference, field);
          } catch (error) {
            problem(error, field);
          }
        }
      }
    } finally {
      await entries.close();
    }
    return problems;
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

/**
 * Reads entries for `check` and the `@{` suggestions without waiting for anything: a vault open
 * in this tab is read through its handle; another is opened only if free, and closed after.
 * A vault busy elsewhere gives 'unknown' (its names are not checked now; the run checks them).
 */
class EntryReader {
  readonly #found = new Map<VaultId, Vault | undefined>();
  readonly #owned: Vault[] = [];

  constructor(private readonly vaults: VaultDirectory) {}

  async #vault(target: VaultListing): Promise<Vault | undefined> {
    if (this.#found.has(target.id)) return this.#found.get(target.id);
    let vault = this.vaults.openedVault(target.id);
    if (!vault) {
      try {
        vault = await this.vaults.openVault({ id: target.id }, { ifAvailable: true });
        this.#owned.push(vault);
      } catch {
        vault = undefined;
      }
    }
    this.#found.set(target.id, vault);
    return vault;
  }

  async entry(target: VaultListing, name: string) {
    const vault = await this.#vault(target);
    if (!vault) return 'unknown' as const;
    return vault.getEntry(name);
  }

  async names(target: VaultListing): Promise<string[] | undefined> {
    const vault = await this.#vault(target);
    return vault ? (await vault.list()).map((entry) => entry.name) : undefined;
  }

  /** Closes what this reader opened (never the tab's own handles). */
  async close(): Promise<void> {
    const owned = this.#owned.splice(0);
    this.#found.clear();
    await Promise.all(owned.map((vault) => vault.close().catch(() => undefined)));
  }
}
