/**
 * An unlocked profile (made by Coffer, coffer.ts): its vaults' catalog, opening vaults under
 * their single-opener lock, this device's identity, settings, and locking.
 */
import { type KdfPolicy, type KdfProgress, type ProfileKey, wipe } from '../crypto';
import type { VaultId } from '../ids';
import type { IntegrationsApi } from '../integrations';
import type { HolderInfo } from '../lock';
import { type CorruptDataError, MemoryVaultStore, readSettings, writeSettings } from '../storage';
import { systemScheduler } from '../time';
import { type OpenVaultOptions, type Vault, type VaultHandle, vaultView } from '../vault';
import { CatalogNames } from './catalog-names';
import {
  commitVaults,
  type FilledVaultCommit,
  type FilledVaultResult,
  type StagedVault,
  stageVault,
} from './create-filled-vault';
import { ProfileLockedError } from './errors';
import { newEntryId } from './ids';
import { rewriteKeyring } from './keyring-passphrase';
import type { LazyIntegrations } from './lazy-integrations';
import type { LazyProviders, ProvidersApi } from './lazy-providers';
import { openVault } from './open-vault';
import { filledVaultDeps, lockNameFor, type SessionParts } from './session-parts';
import { integrationsFor, providersFor } from './session-services';
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
  readCatalog,
} from './vault-catalog';
import {
  checkVault,
  createVault,
  deleteVault,
  removeUnreadableVault,
  renameVault,
  setVaultMemoryOnly,
} from './vault-lifecycle';

/** An unlocked profile. Holds the profile key in memory until `lock()`. */
export class Session {
  #profileKey: ProfileKey | undefined;
  #device: Promise<ThisDevice> | undefined;
  readonly #open = new Set<VaultHandle>();
  #integrations: LazyIntegrations | undefined;
  #providers: LazyProviders | undefined;
  /** Memory-only vaults' documents: kept while unlocked, zeroed by `lock()`. */
  readonly #memory = new MemoryVaultStore();
  /** Vault names createVault has opened (catalog-names.ts); dropped by `lock()`. */
  readonly #names = new CatalogNames();

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
  checkVault(selector: VaultSelector): Promise<VaultCheck> {
    return checkVault(this.#parts(), selector);
  }

  /**
   * Removes a catalog record that cannot be read, and the vault contents stored with it, for
   * good. Only for records `catalog()` lists as unreadable: a readable vault is deleted with
   * `deleteVault`. Rejects with VaultNotFoundError if there is no such unreadable record.
   */
  removeUnreadableVault(id: VaultId): Promise<void> {
    return removeUnreadableVault(this.#parts(), id);
  }

  /** Catalog records that could not be read (each names its vault id); the others are listed. */
  async damagedVaults(): Promise<CorruptDataError[]> {
    return (await this.#catalog('checking vaults')).damaged;
  }

  /**
   * Creates an empty vault (`memoryOnly`: its entries are never stored on this device, see
   * `setVaultMemoryOnly`). Rejects with InvalidNameError or VaultNameTakenError.
   */
  createVault(name: string, options: CreateVaultOptions = {}): Promise<VaultSummary> {
    return createVault(this.#parts(), name, options);
  }

  /** The catalog's readable vaults' names (catalog-names.ts), checking the profile is unlocked. */
  #catalogNames(profileKey: ProfileKey, operation: string): Promise<string[]> {
    return this.#names.read(this.options.db, profileKey, () => this.#key(operation));
  }

  /** Renames a vault. Works while it is open elsewhere: the name lives in the catalog. */
  renameVault(selector: VaultSelector, newName: string): Promise<VaultSummary> {
    return renameVault(this.#parts(), selector, newName);
  }

  /** Deletes a vault for good; by default VaultBusyError if another tab holds it (`signal` waits). */
  deleteVault(selector: VaultSelector, options: { signal?: AbortSignal } = {}): Promise<void> {
    return deleteVault(this.#parts(), selector, options);
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
  setVaultMemoryOnly(
    selector: VaultSelector,
    on: boolean,
    options: MemoryOnlyOptions = {},
  ): Promise<VaultSummary> {
    return setVaultMemoryOnly(this.#parts(), selector, on, options);
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
  openVault(selector: VaultSelector, options: OpenVaultOptions = {}): Promise<Vault> {
    return openVault(this.#parts(), selector, options, (handle) => {
      this.#open.add(handle);
      handle.onClose(() => this.#open.delete(handle));
    });
  }

  /** The vault if this session has it open (a run shares it in turn), else undefined. */
  openedVault(id: VaultId): Vault | undefined {
    const handle = [...this.#open].find((open) => open.id === id && !open.closed);
    return handle && vaultView(handle);
  }

  /** The profile's integrations, their grants and run history (src/core/integrations). */
  get integrations(): IntegrationsApi {
    this.#integrations ??= integrationsFor(this.#parts(), this, () => this.device());
    return this.#integrations;
  }

  /**
   * Vault links to HashiCorp Vault and AWS Secrets Manager: settings, sync, Pull All
   * (src/core/providers). Loaded on first use; the clients use the integrations platform's
   * fetch, page origin and scheduler.
   */
  get providers(): ProvidersApi {
    this.#providers ??= providersFor(this.#parts(), this, (id, on, options) =>
      this.setVaultMemoryOnly({ id }, on, options),
    );
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
    return stageVault(filledVaultDeps(this.#parts()), name, options, fill);
  }

  /** @internal Stores staged vaults (`stageVault`); one result per vault, in order. */
  commitVaults(batch: readonly FilledVaultCommit[]): Promise<FilledVaultResult[]> {
    return commitVaults(filledVaultDeps(this.#parts()), batch);
  }

  /** What vault-lifecycle.ts and open-vault.ts are given of this session. */
  #parts(): SessionParts {
    return {
      options: this.options,
      db: this.options.db,
      profileKey: (doing) => this.#key(doing),
      clock: this.#clock,
      newId: newEntryId,
      memory: this.#memory,
      catalog: (doing) => this.#catalog(doing),
      find: (selector, doing) => this.#find(selector, doing),
      catalogNames: (profileKey, doing) => this.#catalogNames(profileKey, doing),
      device: () => this.#device,
      withVault: (selector, fn) => this.withVault(selector, fn),
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
    this.#names.clear();
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
