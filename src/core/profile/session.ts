/**
 * An unlocked profile (made by Coffer, coffer.ts): its vaults' catalog, opening vaults under
 * their single-opener lock, this device's identity, settings, and locking.
 */
import {
  deriveSubkey,
  generateKey,
  type KdfPolicy,
  type KdfProgress,
  type ProfileKey,
  randomBytes,
  toBase64url,
  wipe,
} from '../crypto';
import type { VaultId } from '../ids';
import type { IntegrationsApi } from '../integrations';
import type { HolderInfo, VaultMutex } from '../lock';
import {
  CorruptDataError,
  deleteVaultRecords,
  MemoryVaultStore,
  mapStorageError,
  openVaultRecord,
  readSettings,
  readVaultRows,
  VaultLog,
  type VaultRow,
  writeSettings,
} from '../storage';
import { systemScheduler } from '../time';
import {
  defaultCompactionPolicy,
  discardPrepared,
  type OpenVaultOptions,
  prepareVault,
  type Vault,
  VaultHandle,
  validateVaultName,
  vaultView,
} from '../vault';
import {
  commitVaults,
  type FilledVaultCommit,
  type FilledVaultDeps,
  type FilledVaultResult,
  type StagedVault,
  stageVault,
} from './create-filled-vault';
import { ProfileLockedError, VaultNotFoundError } from './errors';
import { newVaultId } from './ids';
import { rewriteKeyring } from './keyring-passphrase';
import { type LazyIntegrations, lazyIntegrations } from './lazy-integrations';
import { type LazyProviders, lazyProviders, type ProvidersApi } from './lazy-providers';
import { moveToMemory, moveToStorage } from './memory-only';
import type {
  CofferOptions,
  CreateVaultOptions,
  JoinedVault,
  MemoryOnlyOptions,
  ThisDevice,
  VaultCatalog,
  VaultCheck,
  VaultSelector,
  VaultSummary,
} from './session-types';
import { checkDeviceName, loadThisDevice, renameThisDevice } from './this-device';
import {
  addJoinedVaultRow,
  type CatalogRead,
  type CatalogVault,
  copyableEntries,
  describeCatalog,
  findVault,
  introductionOf,
  readCatalog,
  saveCatalogRow,
  summaryOf,
} from './vault-catalog';
import { assertNameFree } from './vault-naming';

const lockNameFor = (vaultId: string) => `coffer/vault/${vaultId}`;
/** Byte-for-byte equality (of sealed rows: nothing secret is compared). */
const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);
const newEntryId = () => toBase64url(randomBytes(12));

/** An unlocked profile. Holds the profile key in memory until `lock()`. */
export class Session {
  #profileKey: ProfileKey | undefined;
  #device: Promise<ThisDevice> | undefined;
  readonly #open = new Set<VaultHandle>();
  #integrations: LazyIntegrations | undefined;
  #providers: LazyProviders | undefined;
  /** Memory-only vaults' documents: kept while unlocked, zeroed by `lock()`. */
  readonly #memory = new MemoryVaultStore();
  /**
   * Vault names createVault has opened, by catalog row id, with the sealed bytes they came
   * from: a row whose bytes are unchanged is not opened again (the same bytes under the same
   * key and id open to the same name), so creating many vaults (Pull All) does not open the
   * whole catalog again for each. Names only, never a key; dropped by `lock()`.
   */
  readonly #openedNames = new Map<string, { readonly sealed: Uint8Array; readonly name: string }>();

  /** @internal Made by Coffer.createProfile and Coffer.unlock. */
  constructor(
    private readonly options: CofferOptions,
    profileKey: ProfileKey,
    private readonly policy: KdfPolicy,
  ) {
    this.#profileKey = profileKey;
  }

  get locked(): boolean {
    return this.#profileKey === undefined;
  }

  #key(operation: string): ProfileKey {
    if (!this.#profileKey) throw new ProfileLockedError(operation);
    return this.#profileKey;
  }

  get #clock(): () => number {
    return this.options.clock ?? systemScheduler.now;
  }

  #catalog(operation: string): Promise<CatalogRead> {
    return readCatalog(this.options.db, this.#key(operation));
  }

  async #find(selector: VaultSelector, operation: string): Promise<CatalogVault> {
    return findVault((await this.#catalog(operation)).vaults, selector);
  }

  /**
   * The vault `selector` names, as `#find` finds it; by id, only its own row is read and opened
   * (opening a vault stays O(1) in the catalog's size). A row that does not open is not found,
   * as in `#find`, whose catalog read lists it apart.
   */
  async #findOne(selector: VaultSelector, operation: string): Promise<CatalogVault> {
    if (typeof selector === 'string') return this.#find(selector, operation);
    const profileKey = this.#key(operation);
    let row: VaultRow | undefined;
    try {
      row = await this.options.db.strict.vaults.get(selector.id);
    } catch (error) {
      throw mapStorageError(error, operation);
    }
    if (!row) throw new VaultNotFoundError({ id: selector.id });
    try {
      const opened = openVaultRecord(profileKey, row);
      return { ...opened, memoryOnly: opened.metadata.memoryOnly === true };
    } catch (error) {
      if (error instanceof CorruptDataError) throw new VaultNotFoundError({ id: selector.id });
      throw error;
    }
  }

  /** Every readable vault, sorted by name (then id, so two of one name keep their order). */
  async listVaults(): Promise<VaultSummary[]> {
    return [...(await this.catalog()).vaults];
  }

  /**
   * The vaults this profile can read, and the catalog records it cannot (each with its id, why
   * it does not open, and how many records of the vault's contents are stored). Nothing is
   * changed: an unreadable record stays as it is until the user removes it or joins the vault
   * again from another device (`addJoinedVault` then replaces it).
   */
  async catalog(): Promise<VaultCatalog> {
    return describeCatalog(this.options.db, await this.#catalog('listing vaults'));
  }

  /**
   * Checks that every stored record of a vault opens (authenticates under its key, in its
   * place), without building the vault or taking its lock: what the vault list uses to mark a
   * damaged vault before anyone opens it. Costs a decryption of the vault's storage.
   */
  async checkVault(selector: VaultSelector): Promise<VaultCheck> {
    const target = await this.#find(selector, 'checking a vault');
    const { damaged, records } = await VaultLog.verify({
      db: this.options.db,
      vaultId: target.id,
      key: deriveSubkey(target.key, 'storage'),
    });
    return { id: target.id, damaged, records };
  }

  /**
   * Removes a catalog record that cannot be read, and the vault contents stored with it, for
   * good. Only for records `catalog()` lists as unreadable: a readable vault is deleted with
   * `deleteVault`. Rejects with VaultNotFoundError if there is no such unreadable record.
   */
  async removeUnreadableVault(id: VaultId): Promise<void> {
    const { damaged } = await this.#catalog('removing an unreadable vault');
    if (!damaged.some((error) => error.record.vaultId === id)) {
      throw new VaultNotFoundError({ id });
    }
    await this.#deleteUnderLock(id, { ifAvailable: true });
  }

  async #deleteUnderLock(id: VaultId, options: OpenVaultOptions): Promise<void> {
    const lease = await this.options.mutex.acquire(lockNameFor(id), options);
    try {
      await deleteVaultRecords(this.options.db, id);
      this.#memory.drop(id);
    } finally {
      await lease.release();
    }
  }

  /** Catalog records that could not be read (each names its vault id); the others are listed. */
  async damagedVaults(): Promise<CorruptDataError[]> {
    return (await this.#catalog('checking vaults')).damaged;
  }

  /**
   * Creates an empty vault (`memoryOnly`: its entries are never stored on this device, see
   * `setVaultMemoryOnly`). Rejects with InvalidNameError or VaultNameTakenError.
   */
  async createVault(name: string, options: CreateVaultOptions = {}): Promise<VaultSummary> {
    const profileKey = this.#key('creating a vault');
    const trimmed = validateVaultName(name);
    const names = await this.#catalogNames(profileKey, 'creating a vault');
    // assertNameFree reads only the names of the records it is given.
    await assertNameFree(
      trimmed,
      names.map((taken) => ({ metadata: { name: taken } }) as CatalogVault),
    );
    const id = newVaultId();
    const key = generateKey('vault');
    const createdAt = this.#clock();
    const metadata = { name: trimmed, createdAt };
    const memoryOnly = options.memoryOnly === true;
    await saveCatalogRow(
      this.options.db,
      profileKey,
      { id, key, metadata, memoryOnly },
      'creating the vault',
    );
    if (options.nameStyle && options.nameStyle !== 'default') {
      await this.withVault({ id }, (vault) => vault.setNameStyle(options.nameStyle!));
    }
    return { id, name: trimmed, createdAt, memoryOnly };
  }

  /**
   * The names of the catalog's readable vaults, every row read now; a row is opened only if its
   * bytes differ from the ones its remembered name came from. A row that does not open is left
   * out, as `readCatalog` leaves it out of `vaults`.
   */
  async #catalogNames(profileKey: ProfileKey, operation: string): Promise<string[]> {
    const rows = await readVaultRows(this.options.db);
    // The profile may have been locked while the rows were read.
    this.#key(operation);
    const names: string[] = [];
    for (const row of rows) {
      const known = this.#openedNames.get(row.id);
      if (known && row.sealed instanceof Uint8Array && sameBytes(known.sealed, row.sealed)) {
        names.push(known.name);
        continue;
      }
      let opened: ReturnType<typeof openVaultRecord>;
      try {
        opened = openVaultRecord(profileKey, row);
      } catch (error) {
        if (error instanceof CorruptDataError) continue;
        throw error;
      }
      wipe(opened.key);
      this.#openedNames.set(row.id, { sealed: row.sealed.slice(), name: opened.metadata.name });
      names.push(opened.metadata.name);
    }
    return names;
  }

  /** Renames a vault. Works while it is open elsewhere: the name lives in the catalog. */
  async renameVault(selector: VaultSelector, newName: string): Promise<VaultSummary> {
    const profileKey = this.#key('renaming a vault');
    const trimmed = validateVaultName(newName);
    const { vaults } = await this.#catalog('renaming a vault');
    const target = await this.#find(selector, 'renaming a vault');
    await assertNameFree(
      trimmed,
      vaults.filter((vault) => vault.id !== target.id),
    );
    const metadata = { ...target.metadata, name: trimmed };
    await saveCatalogRow(
      this.options.db,
      profileKey,
      { ...target, metadata },
      'renaming the vault',
    );
    return { ...summaryOf(target), name: trimmed };
  }

  /** Deletes a vault for good; by default VaultBusyError if another tab holds it (`signal` waits). */
  async deleteVault(
    selector: VaultSelector,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    const target = await this.#find(selector, 'deleting a vault');
    await this.#deleteUnderLock(
      target.id,
      options.signal ? { signal: options.signal } : { ifAvailable: true },
    );
  }

  /**
   * Keeps a vault's entries in memory only on this device (`on`), or stores them again (off).
   * Memory-only: nothing of its document is in IndexedDB, only its catalog row with the flag;
   * the document lives in this session until `lock()`. Turning on moves what is stored into
   * memory and deletes the stored rows; turning off with `keepLocalCopy` stores what memory
   * holds as the vault's snapshot, without it the vault starts empty here. Each is one
   * transaction with the flag, so an interruption leaves the vault as it was.
   *
   * The vault must be closed (VaultBusyError if any tab, this one included, has it open).
   * Rejects with VaultDamagedError (turning on a vault whose records do not all open),
   * StorageFullError or StorageUnavailableError; nothing is changed then.
   */
  async setVaultMemoryOnly(
    selector: VaultSelector,
    on: boolean,
    options: MemoryOnlyOptions = {},
  ): Promise<VaultSummary> {
    const doing = on ? 'moving a vault to memory' : 'storing a vault on this device';
    const { id } = await this.#find(selector, doing);
    const lease = await this.options.mutex.acquire(lockNameFor(id), { ifAvailable: true });
    try {
      // Read again under the lock: the vault may have changed while it was held elsewhere.
      const vault = await this.#find({ id }, doing);
      if (vault.memoryOnly !== on) {
        const move = {
          db: this.options.db,
          profileKey: this.#key(doing),
          memory: this.#memory,
          vault,
          clock: this.#clock,
          newId: newEntryId,
        };
        if (on) await moveToMemory(move);
        else await moveToStorage(move, options.keepLocalCopy === true);
      }
      return { ...summaryOf(vault), memoryOnly: on };
    } finally {
      await lease.release();
    }
  }

  /**
   * Who has the vault open, if anyone: which tab (its label) and since when, for a waiting
   * screen such as "Open in another tab since 10:42". `heldHere` is true for this tab.
   * @example
   * const holder = await session.whoHolds('my-vault');
   * if (holder && !holder.heldHere) show(`Open in ${holder.label} since ${new Date(holder.since!).toLocaleTimeString()}`);
   */
  async whoHolds(selector: VaultSelector): Promise<HolderInfo | undefined> {
    const target = await this.#find(selector, 'checking who has a vault open');
    return this.options.mutex.whoHolds(lockNameFor(target.id));
  }

  /**
   * This profile's device identity, made (and saved, sealed) the first time it is asked for.
   * @example
   * const device = await session.device(); // { id, name, publicKey, secretKey }
   */
  async device(): Promise<ThisDevice> {
    // Async, so a locked profile rejects rather than throwing before a promise exists.
    this.#device ??= loadThisDevice(
      this.options.db,
      this.#key('reading the device key'),
      this.options.defaultDeviceName ?? 'This device',
      this.#clock,
    );
    this.#device.catch(() => {
      this.#device = undefined;
    });
    return this.#device;
  }

  /** Renames this device as other devices see it (1-100 characters). */
  async setDeviceName(name: string): Promise<void> {
    const trimmed = checkDeviceName(name);
    const device = await this.device();
    const key = this.#key('renaming this device');
    const renamed = await renameThisDevice(this.options.db, key, device, trimmed, this.#clock);
    this.#device = Promise.resolve(renamed);
  }

  /**
   * Adds a vault received by invitation: its key is re-sealed under this profile's key. If
   * this profile has the vault already, returns it as it is; if the name is taken by another
   * vault, adds " (2)", " (3)", ... so nothing here is renamed.
   */
  async addJoinedVault(vault: JoinedVault): Promise<VaultSummary> {
    const profileKey = this.#key('adding a vault');
    const { vaults } = await this.#catalog('adding a vault');
    return addJoinedVaultRow(this.options.db, profileKey, vaults, vault, this.#clock());
  }

  /**
   * Opens a vault: waits while another tab holds it (see OpenVaultOptions), then loads and
   * decrypts it. Close the handle when done.
   * @example
   * await using vault = await session.openVault('my-vault');
   * const myData = await vault.get('my-item');
   */
  async openVault(selector: VaultSelector, options: OpenVaultOptions = {}): Promise<Vault> {
    let target = await this.#findOne(selector, 'opening a vault');
    const partsFor = (vault: CatalogVault) => ({
      db: this.options.db,
      vaultId: vault.id,
      key: vault.key,
      clock: this.#clock,
      newId: newEntryId,
      // A memory-only vault's document is the session's, never the database's.
      ...(vault.memoryOnly ? { memory: this.#memory } : {}),
    });
    let common = partsFor(target);
    // Read and build the vault while waiting for its lock (another tab may hold it): once the
    // lock is ours, only what that tab wrote meanwhile is left to read.
    let prepared = prepareVault(common);
    prepared.catch(() => undefined);
    let lease: Awaited<ReturnType<VaultMutex['acquire']>>;
    try {
      lease = await this.options.mutex.acquire(lockNameFor(target.id), options);
    } catch (error) {
      void prepared.then(discardPrepared, () => undefined);
      throw error;
    }
    try {
      // The profile may have been locked while we waited for the vault.
      this.#key('opening a vault');
      // The holder we waited for may have moved the vault to memory or back: a vault must
      // never be written where its catalog row says it is not kept.
      const current = await this.#findOne({ id: target.id }, 'opening a vault');
      if (current.memoryOnly !== target.memoryOnly) {
        void prepared.then(discardPrepared, () => undefined);
        target = current;
        common = partsFor(current);
        prepared = prepareVault(common);
      }
      const lockName = lockNameFor(target.id);
      const handle = await VaultHandle.open(
        {
          ...common,
          vaultName: target.metadata.name,
          lease,
          hasWaiters: () => this.options.mutex.hasWaiters(lockName),
          compaction: this.options.compaction ?? defaultCompactionPolicy,
          // Off-thread snapshots are sealed for IndexedDB: a memory-only vault compacts in place.
          ...(this.options.snapshots && !target.memoryOnly
            ? { snapshots: this.options.snapshots }
            : {}),
          ...introductionOf(target.metadata),
          ...(this.#device ? { deviceId: (await this.#device).id } : {}),
        },
        prepared,
      );
      this.#open.add(handle);
      handle.onClose(() => this.#open.delete(handle));
      return vaultView(handle);
    } catch (error) {
      await lease.release();
      throw error;
    }
  }

  /** The vault if this session has it open (a run shares it in turn), else undefined. */
  openedVault(id: VaultId): Vault | undefined {
    const handle = [...this.#open].find((open) => open.id === id && !open.closed);
    return handle && vaultView(handle);
  }

  /** The profile's integrations, their grants and run history (src/core/integrations). */
  get integrations(): IntegrationsApi {
    const { db, integrations: platform = {} } = this.options;
    const profileKey = (doing: string) => this.#key(doing);
    const device = () => this.device();
    this.#integrations ??= lazyIntegrations({ db, profileKey, vaults: this, platform, device });
    return this.#integrations;
  }

  /**
   * Vault links to HashiCorp Vault and AWS Secrets Manager: settings, sync, Pull All
   * (src/core/providers). Loaded on first use; the clients use the integrations platform's
   * fetch, page origin and scheduler.
   */
  get providers(): ProvidersApi {
    const { db, integrations: platform = {} } = this.options;
    this.#providers ??= lazyProviders({
      db,
      profileKey: (doing) => this.#key(doing),
      vaults: this,
      scheduler: platform.scheduler ?? systemScheduler,
      clients: {
        ...(platform.fetch ? { fetch: platform.fetch } : {}),
        ...(platform.pageOrigin ? { origin: platform.pageOrigin } : {}),
        now: this.#clock,
      },
      storageMode: (id, on, options) => this.setVaultMemoryOnly({ id }, on, options),
    });
    return this.#providers;
  }

  /**
   * Opens a vault, runs `fn` with it, and closes it whatever happens.
   * @example
   * const myData = await session.withVault('my-vault', (vault) => vault.get('my-item'));
   */
  async withVault<T>(
    selector: VaultSelector,
    fn: (vault: Vault) => Promise<T> | T,
    options: OpenVaultOptions = {},
  ): Promise<T> {
    const vault = await this.openVault(selector, options);
    try {
      return await fn(vault);
    } finally {
      await vault.close();
    }
  }

  /**
   * @internal Pull All (src/core/providers): a new vault built in memory and given to `fill`
   * open; stored by `commitVaults`, many in one transaction (create-filled-vault.ts).
   */
  stageVault<T>(
    name: string,
    options: CreateVaultOptions,
    fill: (vault: Vault) => Promise<T>,
  ): Promise<{ readonly staged: StagedVault; readonly result: T }> {
    return stageVault(this.#filled(), name, options, fill);
  }

  /** @internal Stores staged vaults (`stageVault`); one result per vault, in order. */
  commitVaults(batch: readonly FilledVaultCommit[]): Promise<FilledVaultResult[]> {
    return commitVaults(this.#filled(), batch);
  }

  #filled(): FilledVaultDeps {
    return {
      db: this.options.db,
      profileKey: (doing) => this.#key(doing),
      clock: this.#clock,
      newId: newEntryId,
      deviceId: async () => (this.#device ? (await this.#device).id : undefined),
      memory: this.#memory,
      catalogNames: (doing) => this.#catalogNames(this.#key(doing), doing),
    };
  }

  /**
   * Copies every entry `source` can read (write-only secrets and connections included, never
   * leaving core) into a new vault named `name`, in one change: how a user keeps what a
   * damaged vault still holds without writing to it. The source is not changed.
   */
  async copyIntoNewVault(source: Vault, name: string): Promise<VaultSummary> {
    const entries = await copyableEntries(source);
    const created = await this.createVault(name);
    if (entries.length > 0) {
      await this.withVault({ id: created.id }, (vault) => vault.setMany(entries));
    }
    return created;
  }

  /**
   * Changes the passphrase: re-seals the profile key under the new one in a single write, so an
   * interruption leaves the old passphrase working. Vaults are not re-encrypted.
   */
  async changePassphrase(
    current: string,
    next: string,
    progress?: { onProgress?: KdfProgress },
  ): Promise<void> {
    this.#key('changing the passphrase');
    await rewriteKeyring(this.options, this.policy, current, next, progress);
  }

  /**
   * The profile's settings as saved (a JSON object), or `undefined`. Sealed like everything
   * else: even preferences are not readable at rest.
   * @example
   * const settings = { autoLockMinutes: 5, ...((await session.loadSettings()) as object) };
   */
  async loadSettings(): Promise<unknown> {
    return readSettings(this.options.db, this.#key('reading settings'));
  }

  /** Saves the profile's settings (any JSON object), replacing what was saved. */
  async saveSettings(settings: Record<string, unknown>): Promise<void> {
    await writeSettings(this.options.db, this.#key('saving settings'), settings);
  }

  /**
   * Closes every open vault and drops the keys from memory, and memory-only vaults' contents
   * (their bytes zeroed: the next unlock finds them empty until filled again).
   */
  async lock(): Promise<void> {
    const handles = [...this.#open];
    if (this.#profileKey) wipe(this.#profileKey);
    this.#profileKey = undefined;
    this.#device = undefined;
    this.#openedNames.clear();
    this.#integrations?.dispose();
    this.#providers?.dispose();
    this.#providers = undefined;
    try {
      await Promise.all(handles.map((handle) => handle.closeWith('profile-locked')));
    } finally {
      // After the handles: closing may compact a memory-only vault into the store.
      this.#memory.clear();
    }
  }
}
