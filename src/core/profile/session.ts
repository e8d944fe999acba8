import {
  asKey,
  createKeyring,
  defaultKdfPolicy,
  generateKey,
  type KdfPolicy,
  type KdfProgress,
  type KdfRunner,
  KeyringDamagedError,
  type ProfileKey,
  randomBytes,
  rewrapKeyring,
  toBase64url,
  unlockKeyring,
  type VaultKey,
  wipe,
} from '../crypto';
import type { HolderInfo, VaultMutex } from '../lock';
import {
  type CofferDatabase,
  CorruptDataError,
  deleteVaultRecords,
  type OpenedVaultRecord,
  openVaultRecord,
  readDeviceRecord,
  readKeyring,
  readSettings,
  readVaultRows,
  sealVaultRecord,
  writeDeviceRecord,
  writeKeyring,
  writeSettings,
  writeVaultRow,
} from '../storage';
import type { DeviceIdentity } from '../sync/device';
import {
  type CompactionPolicy,
  defaultCompactionPolicy,
  type NameStyle,
  type OpenVaultOptions,
  type PreparedVault,
  VaultHandle,
  validateVaultName,
} from '../vault';
import {
  NoProfileError,
  ProfileExistsError,
  ProfileLockedError,
  VaultNameTakenError,
  VaultNotFoundError,
} from './errors';
import { newVaultId, type VaultId } from './ids';

/** What the profile needs from the platform, passed in by the composition root. */
export interface CofferOptions {
  readonly db: CofferDatabase;
  readonly kdf: KdfRunner;
  readonly mutex: VaultMutex;
  readonly kdfPolicy?: KdfPolicy;
  readonly clock?: () => number;
  readonly compaction?: CompactionPolicy;
  /** The name other devices see for this one until the user changes it (e.g. "Chrome on Linux"). */
  readonly defaultDeviceName?: string;
}

/** This profile's device: its signing identity and the name other devices see. */
export interface ThisDevice extends DeviceIdentity {
  readonly name: string;
}

/** A vault received from another device by invitation. */
export interface JoinedVault {
  readonly id: string;
  readonly name: string;
  readonly key: VaultKey;
  /** The device that let this one in: trusted until the vault's device list arrives. */
  readonly introducedBy: string;
  /** The vault's other devices as the inviter listed them: trusted likewise. */
  readonly members?: readonly string[];
}

/** A vault as the list shows it. */
export interface VaultSummary {
  readonly id: VaultId;
  readonly name: string;
  readonly createdAt: number;
}

export interface CreateVaultOptions {
  /** 'environment' switches on Kinesis-style names (UPPER_SNAKE_CASE). Default 'default'. */
  readonly nameStyle?: NameStyle;
}

const lockNameFor = (vaultId: string) => `coffer/vault/${vaultId}`;
const discardPrepared = (prepared: PreparedVault) => {
  prepared.store.dispose();
  prepared.doc.destroy();
};
const sameName = (a: string, b: string) =>
  a.normalize('NFC').toLocaleLowerCase('en') === b.normalize('NFC').toLocaleLowerCase('en');
const newEntryId = () => toBase64url(randomBytes(12));

/**
 * The entry point: a browser's Coffer profile, locked until its passphrase is entered.
 * @example
 * const coffer = new Coffer({ db, kdf, mutex });
 * const session = (await coffer.hasProfile()) ? await coffer.unlock(passphrase) : await coffer.createProfile(passphrase);
 */
export class Coffer {
  constructor(private readonly options: CofferOptions) {}

  get #policy(): KdfPolicy {
    return this.options.kdfPolicy ?? defaultKdfPolicy;
  }

  async hasProfile(): Promise<boolean> {
    return (await readKeyring(this.options.db)) !== undefined;
  }

  /** Creates the profile. Rejects with ProfileExistsError if there is one already. */
  async createProfile(
    passphrase: string,
    progress?: { onProgress?: KdfProgress },
  ): Promise<Session> {
    if (await this.hasProfile()) throw new ProfileExistsError();
    const { keyring, profileKey } = await createKeyring(passphrase, {
      kdf: this.options.kdf,
      policy: this.#policy,
      ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    await writeKeyring(this.options.db, keyring);
    return new Session(this.options, profileKey, this.#policy);
  }

  /**
   * Unlocks the profile. Rejects with WrongPassphraseError, NoProfileError, CorruptDataError
   * (the keyring is damaged), UnsupportedFormatError (written by a newer Coffer) or
   * KdfParamsBelowFloorError (refused). Upgrades the KDF parameters when the target has risen.
   */
  async unlock(passphrase: string, progress?: { onProgress?: KdfProgress }): Promise<Session> {
    const keyring = await readKeyring(this.options.db);
    if (!keyring) throw new NoProfileError();
    let unlocked: Awaited<ReturnType<typeof unlockKeyring>>;
    try {
      unlocked = await unlockKeyring(keyring, passphrase, {
        kdf: this.options.kdf,
        policy: this.#policy,
        ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
      });
    } catch (error) {
      if (error instanceof KeyringDamagedError) {
        throw new CorruptDataError(
          { store: 'keyring' },
          error.reason === 'wrapped-key' ? 'authentication' : 'malformed',
          { cause: error },
        );
      }
      throw error;
    }
    if (unlocked.upgraded) await writeKeyring(this.options.db, unlocked.upgraded);
    return new Session(this.options, unlocked.profileKey, this.#policy);
  }
}

/**
 * An unlocked profile. Holds the profile key in memory until `lock()`.
 */
export class Session {
  #profileKey: ProfileKey | undefined;
  #device: Promise<ThisDevice> | undefined;
  readonly #open = new Set<VaultHandle>();

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
    return this.options.clock ?? Date.now;
  }

  async #catalog(
    operation: string,
  ): Promise<{ vaults: OpenedVaultRecord[]; damaged: CorruptDataError[] }> {
    const key = this.#key(operation);
    const rows = await readVaultRows(this.options.db);
    const vaults: OpenedVaultRecord[] = [];
    const damaged: CorruptDataError[] = [];
    for (const row of rows) {
      try {
        vaults.push(openVaultRecord(key, row));
      } catch (error) {
        if (error instanceof CorruptDataError) damaged.push(error);
        else throw error;
      }
    }
    return { vaults, damaged };
  }

  async #find(name: string, operation: string): Promise<OpenedVaultRecord> {
    const { vaults } = await this.#catalog(operation);
    const found =
      vaults.find((vault) => vault.metadata.name === name) ??
      vaults.find((vault) => sameName(vault.metadata.name, name));
    if (!found) throw new VaultNotFoundError(name);
    return found;
  }

  /** Every readable vault, sorted by name. */
  async listVaults(): Promise<VaultSummary[]> {
    const { vaults } = await this.#catalog('listing vaults');
    return vaults
      .map((vault) => ({
        id: vault.id as VaultId,
        name: vault.metadata.name,
        createdAt: vault.metadata.createdAt,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Catalog records that could not be read (each names its vault id); the others are listed. */
  async damagedVaults(): Promise<CorruptDataError[]> {
    return (await this.#catalog('checking vaults')).damaged;
  }

  /** Creates an empty vault. Rejects with InvalidNameError or VaultNameTakenError. */
  async createVault(name: string, options: CreateVaultOptions = {}): Promise<VaultSummary> {
    const profileKey = this.#key('creating a vault');
    const trimmed = validateVaultName(name);
    const { vaults } = await this.#catalog('creating a vault');
    if (vaults.some((vault) => sameName(vault.metadata.name, trimmed)))
      throw new VaultNameTakenError(trimmed);
    const id = newVaultId();
    const key = generateKey('vault');
    const createdAt = this.#clock();
    await writeVaultRow(
      this.options.db,
      sealVaultRecord(profileKey, id, key, { name: trimmed, createdAt }),
      'creating the vault',
    );
    if (options.nameStyle && options.nameStyle !== 'default') {
      await this.withVault(trimmed, (vault) => vault.setNameStyle(options.nameStyle!));
    }
    return { id, name: trimmed, createdAt };
  }

  /** Renames a vault. Works while it is open elsewhere: the name lives in the catalog. */
  async renameVault(name: string, newName: string): Promise<VaultSummary> {
    const profileKey = this.#key('renaming a vault');
    const trimmed = validateVaultName(newName);
    const { vaults } = await this.#catalog('renaming a vault');
    const target = await this.#find(name, 'renaming a vault');
    if (vaults.some((vault) => vault.id !== target.id && sameName(vault.metadata.name, trimmed)))
      throw new VaultNameTakenError(trimmed);
    const metadata = { ...target.metadata, name: trimmed };
    await writeVaultRow(
      this.options.db,
      sealVaultRecord(profileKey, target.id, target.key, metadata),
      'renaming the vault',
    );
    return { id: target.id as VaultId, name: trimmed, createdAt: metadata.createdAt };
  }

  /**
   * Deletes a vault and everything in it, for good. It must not be open anywhere: by default
   * rejects with VaultBusyError if another tab holds it (pass `signal` to wait instead).
   */
  async deleteVault(name: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const target = await this.#find(name, 'deleting a vault');
    const lease = await this.options.mutex.acquire(
      lockNameFor(target.id),
      options.signal ? { signal: options.signal } : { ifAvailable: true },
    );
    try {
      await deleteVaultRecords(this.options.db, target.id);
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
  async whoHolds(name: string): Promise<HolderInfo | undefined> {
    const target = await this.#find(name, 'checking who has a vault open');
    return this.options.mutex.whoHolds(lockNameFor(target.id));
  }

  /**
   * This profile's device identity, made (and saved, sealed) the first time it is asked for.
   * @example
   * const device = await session.device(); // { id, name, publicKey, secretKey }
   */
  device(): Promise<ThisDevice> {
    this.#key('reading the device key');
    this.#device ??= (async () => {
      const key = this.#key('reading the device key');
      // Ed25519 loads with the first vault opened, not with the unlock screen.
      const { deviceIdentityFromSecret, generateDeviceIdentity } = await import('../sync/device');
      const saved = await readDeviceRecord(this.options.db, key);
      if (saved) return { ...deviceIdentityFromSecret(saved.secretKey), name: saved.name };
      const identity = generateDeviceIdentity();
      const name = this.options.defaultDeviceName ?? 'This device';
      await writeDeviceRecord(this.options.db, key, {
        secretKey: identity.secretKey,
        name,
        createdAt: this.#clock(),
      });
      return { ...identity, name };
    })();
    this.#device.catch(() => {
      this.#device = undefined;
    });
    return this.#device;
  }

  /** Renames this device as other devices see it (1-100 characters). */
  async setDeviceName(name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100)
      throw new RangeError(`a device name has 1 to 100 characters, got ${trimmed.length}`);
    const device = await this.device();
    await writeDeviceRecord(this.options.db, this.#key('renaming this device'), {
      secretKey: device.secretKey,
      name: trimmed,
      createdAt: this.#clock(),
    });
    this.#device = Promise.resolve({ ...device, name: trimmed });
  }

  /**
   * Adds a vault received by invitation: its key is re-sealed under this profile's key. If
   * this profile has the vault already, returns it as it is; if the name is taken by another
   * vault, adds " (2)", " (3)", ... so nothing here is renamed.
   */
  async addJoinedVault(vault: JoinedVault): Promise<VaultSummary> {
    const profileKey = this.#key('adding a vault');
    const key = asKey(vault.key, 'vault');
    const { vaults } = await this.#catalog('adding a vault');
    const here = vaults.find((existing) => existing.id === vault.id);
    if (here)
      return {
        id: here.id as VaultId,
        name: here.metadata.name,
        createdAt: here.metadata.createdAt,
      };
    const base = validateVaultName(vault.name);
    let name = base;
    for (let n = 2; vaults.some((existing) => sameName(existing.metadata.name, name)); n++) {
      name = `${base.slice(0, 90)} (${n})`;
    }
    const createdAt = this.#clock();
    await writeVaultRow(
      this.options.db,
      sealVaultRecord(profileKey, vault.id, key, {
        name,
        createdAt,
        introducedBy: vault.introducedBy,
        ...(vault.members !== undefined ? { introducedMembers: vault.members } : {}),
      }),
      'adding the vault',
    );
    return { id: vault.id as VaultId, name, createdAt };
  }

  /**
   * Opens a vault: waits while another tab holds it (see OpenVaultOptions), then loads and
   * decrypts it. Close the handle when done.
   * @example
   * await using vault = await session.openVault('my-vault');
   * const myData = await vault.get('my-item');
   */
  async openVault(name: string, options: OpenVaultOptions = {}): Promise<VaultHandle> {
    const target = await this.#find(name, 'opening a vault');
    const common = {
      db: this.options.db,
      vaultId: target.id,
      key: target.key,
      clock: this.#clock,
      newId: newEntryId,
    };
    // Read and build the vault while waiting for its lock (another tab may hold it): once the
    // lock is ours, only what that tab wrote meanwhile is left to read.
    const prepared = VaultHandle.prepare(common);
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
      const lockName = lockNameFor(target.id);
      const handle = await VaultHandle.open(
        {
          ...common,
          vaultName: target.metadata.name,
          lease,
          hasWaiters: () => this.options.mutex.hasWaiters(lockName),
          compaction: this.options.compaction ?? defaultCompactionPolicy,
          ...(target.metadata.introducedBy !== undefined
            ? { introducedBy: target.metadata.introducedBy }
            : {}),
          ...(target.metadata.introducedMembers !== undefined
            ? { introducedMembers: target.metadata.introducedMembers }
            : {}),
          ...(this.#device ? { deviceId: (await this.#device).id } : {}),
        },
        prepared,
      );
      this.#open.add(handle);
      handle.onClose(() => this.#open.delete(handle));
      return handle;
    } catch (error) {
      await lease.release();
      throw error;
    }
  }

  /**
   * Opens a vault, runs `fn` with it, and closes it whatever happens.
   * @example
   * const myData = await session.withVault('my-vault', (vault) => vault.get('my-item'));
   */
  async withVault<T>(
    name: string,
    fn: (vault: VaultHandle) => Promise<T> | T,
    options: OpenVaultOptions = {},
  ): Promise<T> {
    const vault = await this.openVault(name, options);
    try {
      return await fn(vault);
    } finally {
      await vault.close();
    }
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
    const keyring = await readKeyring(this.options.db);
    if (!keyring) throw new NoProfileError();
    const rewrapped = await rewrapKeyring(keyring, current, next, {
      kdf: this.options.kdf,
      policy: this.policy,
      ...(progress?.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    await writeKeyring(this.options.db, rewrapped);
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

  /** Closes every open vault and drops the keys from memory. */
  async lock(): Promise<void> {
    const handles = [...this.#open];
    if (this.#profileKey) wipe(this.#profileKey);
    this.#profileKey = undefined;
    this.#device = undefined;
    await Promise.all(handles.map((handle) => handle.closeWith('profile-locked')));
  }
}
