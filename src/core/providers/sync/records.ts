/**
 * Reading and writing the sealed provider records (src/core/storage/provider-records.ts) as the
 * shapes in link.ts. A record that does not open is the storage layer's CorruptDataError; one
 * of the wrong shape is ProviderLinkError('invalid-record'); either concerns only its own id.
 *
 * A vault being made by Pull All (staged: built in memory, not stored yet) has its record held
 * here instead (`stage`): reads of it see what was saved for it since, without asking
 * IndexedDB (where it cannot be yet), and saves are kept for Pull All to seal (`sealStaged`)
 * and store in the same transaction as the vault itself.
 */
import type { ProfileKey } from '../../crypto';
import {
  type CofferDatabase,
  type CorruptDataError,
  deleteProviderRow,
  openProviderRecord,
  type ProviderRow,
  readProviderRow,
  readProviderRows,
  sealProviderRecord,
  writeProviderRow,
} from '../../storage';
import type { ProviderLinkError } from './errors';
import {
  type DefaultsRecord,
  parseDefaultsRecord,
  parseVaultRecord,
  type VaultProviderRecord,
} from './link';

export const DEFAULTS_ID = 'defaults';

export class ProviderRecords {
  /** Records of staged vaults (see the module's comment), by vault id: none saved yet is `{}`. */
  readonly #staged = new Map<string, VaultProviderRecord>();
  /** How many `pinDefaults` holds are on, and the defaults read under them. */
  #pins = 0;
  #pinned: Promise<DefaultsRecord> | undefined;

  constructor(
    private readonly db: CofferDatabase,
    private readonly profileKey: (doing: string) => ProfileKey,
  ) {}

  /** Holds the record of vault `vaultId` here until `unstage` (a vault not stored yet). */
  stage(vaultId: string): void {
    this.#staged.set(vaultId, {});
  }

  /** Stops holding a staged vault's record; returns it as last saved. */
  unstage(vaultId: string): VaultProviderRecord | undefined {
    const record = this.#staged.get(vaultId);
    this.#staged.delete(vaultId);
    return record;
  }

  /** A staged vault's record sealed as its row (none for an empty record: nothing to store). */
  sealStaged(vaultId: string, record: VaultProviderRecord): ProviderRow | undefined {
    const key = this.profileKey('saving a provider link');
    if (record.override === undefined && record.link === undefined) return undefined;
    return sealProviderRecord(key, vaultId, record);
  }

  async defaults(): Promise<DefaultsRecord> {
    const key = this.profileKey('reading provider settings');
    if (this.#pins > 0) {
      this.#pinned ??= this.#readDefaults(key);
      this.#pinned.catch(() => {
        this.#pinned = undefined;
      });
      return this.#pinned;
    }
    return this.#readDefaults(key);
  }

  async #readDefaults(key: ProfileKey): Promise<DefaultsRecord> {
    const row = await readProviderRow(this.db, DEFAULTS_ID);
    return row ? parseDefaultsRecord(openProviderRecord(key, row)) : {};
  }

  /**
   * Until the returned function is called, `defaults()` reads the record once and then gives
   * what it read (and what `saveDefaults` here saves): Pull All links a hundred vaults with the
   * settings it started with, rather than reading and opening the record for each.
   */
  pinDefaults(): () => void {
    this.#pins += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#pins -= 1;
      if (this.#pins === 0) this.#pinned = undefined;
    };
  }

  async saveDefaults(record: DefaultsRecord): Promise<void> {
    const key = this.profileKey('saving provider settings');
    if (record.settings === undefined) await deleteProviderRow(this.db, DEFAULTS_ID);
    else await writeProviderRow(this.db, sealProviderRecord(key, DEFAULTS_ID, record));
    if (this.#pins > 0) this.#pinned = Promise.resolve(record.settings === undefined ? {} : record);
  }

  /** The vault's record (`{}` when there is none). */
  async vault(vaultId: string): Promise<VaultProviderRecord> {
    const key = this.profileKey('reading a provider link');
    const staged = this.#staged.get(vaultId);
    if (staged) return staged;
    const row = await readProviderRow(this.db, vaultId);
    return row ? parseVaultRecord(vaultId, openProviderRecord(key, row)) : {};
  }

  /** Saves a vault's record; an empty one deletes the row. */
  async saveVault(vaultId: string, record: VaultProviderRecord): Promise<void> {
    const key = this.profileKey('saving a provider link');
    if (this.#staged.has(vaultId)) {
      this.#staged.set(vaultId, record);
      return;
    }
    if (record.override === undefined && record.link === undefined) {
      return deleteProviderRow(this.db, vaultId);
    }
    await writeProviderRow(this.db, sealProviderRecord(key, vaultId, record));
  }

  /** Deletes a vault's record without reading it. */
  async remove(vaultId: string): Promise<void> {
    this.profileKey('removing a provider link');
    if (this.#staged.has(vaultId)) {
      this.#staged.set(vaultId, {});
      return;
    }
    await deleteProviderRow(this.db, vaultId);
  }

  /** Every vault's record; the ones that do not open or parse are listed apart. */
  async all(): Promise<{
    records: Map<string, VaultProviderRecord>;
    damaged: (CorruptDataError | ProviderLinkError)[];
  }> {
    const key = this.profileKey('reading provider links');
    const records = new Map<string, VaultProviderRecord>();
    const damaged: (CorruptDataError | ProviderLinkError)[] = [];
    for (const row of await readProviderRows(this.db)) {
      if (row.id === DEFAULTS_ID) continue;
      try {
        records.set(row.id, parseVaultRecord(row.id, openProviderRecord(key, row)));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'corrupt-data' && code !== 'provider-link-invalid') throw error;
        damaged.push(error as CorruptDataError | ProviderLinkError);
      }
    }
    return { records, damaged };
  }
}
