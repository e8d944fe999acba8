/**
 * Reading and writing the sealed provider records (src/core/storage/provider-records.ts) as the
 * shapes in link.ts. A record that does not open is the storage layer's CorruptDataError; one
 * of the wrong shape is ProviderLinkError('invalid-record'); either concerns only its own id.
 */
import type { ProfileKey } from '../../crypto';
import {
  type CofferDatabase,
  type CorruptDataError,
  deleteProviderRow,
  openProviderRecord,
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
  constructor(
    private readonly db: CofferDatabase,
    private readonly profileKey: (doing: string) => ProfileKey,
  ) {}

  async defaults(): Promise<DefaultsRecord> {
    const key = this.profileKey('reading provider settings');
    const row = await readProviderRow(this.db, DEFAULTS_ID);
    return row ? parseDefaultsRecord(openProviderRecord(key, row)) : {};
  }

  async saveDefaults(record: DefaultsRecord): Promise<void> {
    const key = this.profileKey('saving provider settings');
    if (record.settings === undefined) return deleteProviderRow(this.db, DEFAULTS_ID);
    await writeProviderRow(this.db, sealProviderRecord(key, DEFAULTS_ID, record));
  }

  /** The vault's record (`{}` when there is none). */
  async vault(vaultId: string): Promise<VaultProviderRecord> {
    const key = this.profileKey('reading a provider link');
    const row = await readProviderRow(this.db, vaultId);
    return row ? parseVaultRecord(vaultId, openProviderRecord(key, row)) : {};
  }

  /** Saves a vault's record; an empty one deletes the row. */
  async saveVault(vaultId: string, record: VaultProviderRecord): Promise<void> {
    const key = this.profileKey('saving a provider link');
    if (record.override === undefined && record.link === undefined) {
      return deleteProviderRow(this.db, vaultId);
    }
    await writeProviderRow(this.db, sealProviderRecord(key, vaultId, record));
  }

  /** Deletes a vault's record without reading it. */
  async remove(vaultId: string): Promise<void> {
    this.profileKey('removing a provider link');
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
