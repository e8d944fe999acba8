import Dexie, { type Table } from 'dexie';

/**
 * Coffer's IndexedDB schema: the one place that says what is stored. At rest there are only
 * opaque ids, sequence numbers and sealed envelopes (docs/crypto.md, "Records"): no name,
 * kind, value or timestamp is ever stored in the clear.
 */

/** The keyring (docs/crypto.md, "Keyring"): the profile key sealed under the passphrase. */
export interface KeyringRow {
  readonly id: 'keyring';
  readonly bytes: Uint8Array;
}

/** One vault in the catalog: its random id, and its key and metadata sealed under the profile key. */
export interface VaultRow {
  readonly id: string;
  readonly sealed: Uint8Array;
}

/** The fixed ids of the profile store's records. */
export type ProfileRecordId = 'settings' | 'device' | 'grants';

/** Profile-wide records sealed under the profile key (settings, the device key), by a fixed id. */
export interface ProfileRow {
  readonly id: ProfileRecordId;
  readonly sealed: Uint8Array;
}

/** One change to a vault's document: an encrypted Yjs update at a sequence number. */
export interface UpdateRow {
  readonly vault: string;
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** A vault's compacted state: the encrypted document, covering every update up to `seq`. */
export interface SnapshotRow {
  readonly vault: string;
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** One integration (docs/integrations.md, "Storage"): its request and hooks, sealed. */
export interface IntegrationRow {
  readonly id: string;
  readonly sealed: Uint8Array;
}

/**
 * Provider settings and links (src/core/providers): id "defaults" or a vault id, the rest
 * sealed under the profile key.
 */
export interface ProviderRow {
  readonly id: string;
  readonly sealed: Uint8Array;
}

/** One run of an integration, sealed; the last 50 per integration are kept. */
export interface RunRow {
  readonly integration: string;
  readonly seq: number;
  readonly sealed: Uint8Array;
}

export type StoreName =
  | 'keyring'
  | 'profile'
  | 'vaults'
  | 'updates'
  | 'snapshots'
  | 'integrations'
  | 'runs'
  | 'providers';

/** What IndexedDB looks like to Dexie: the browser's, or fake-indexeddb's in Node. */
export interface IndexedDbPlatform {
  readonly indexedDB: IDBFactory;
  readonly IDBKeyRange: typeof IDBKeyRange;
}

export class CofferDexie extends Dexie {
  keyring!: Table<KeyringRow, 'keyring'>;
  profile!: Table<ProfileRow, ProfileRecordId>;
  vaults!: Table<VaultRow, string>;
  updates!: Table<UpdateRow, [string, number]>;
  snapshots!: Table<SnapshotRow, string>;
  integrations!: Table<IntegrationRow, string>;
  runs!: Table<RunRow, [string, number]>;
  providers!: Table<ProviderRow, string>;

  constructor(name: string, platform: IndexedDbPlatform, durability: 'strict' | 'relaxed') {
    super(name, {
      indexedDB: platform.indexedDB,
      IDBKeyRange: platform.IDBKeyRange,
      chromeTransactionDurability: durability,
    });
    this.version(1).stores({
      keyring: 'id',
      vaults: 'id',
      updates: '[vault+seq]',
      snapshots: 'vault',
    });
    // Version 2 adds the profile's sealed settings.
    this.version(2).stores({ profile: 'id' });
    // Version 3 adds integrations and their run history.
    this.version(3).stores({ integrations: 'id', runs: '[integration+seq]' });
    // Version 4 adds provider settings and vault links (HashiCorp Vault, AWS Secrets Manager).
    this.version(4).stores({ providers: 'id' });
    // Coffer uses no live queries: without Dexie's observability and cache layers, a write is
    // one IndexedDB request, not one plus a range computation and a BroadcastChannel message
    // to every other tab (measured: about a third of a durable write's time).
    this.unuse({ stack: 'dbcore', name: 'Observability' });
    this.unuse({ stack: 'dbcore', name: 'Cache' });
  }
}

/**
 * Two connections to one database. IndexedDB sets durability per transaction but Dexie per
 * connection, so keys and the catalog go through `strict` (flushed to disk before the promise
 * resolves) and the update log through `relaxed` (handed to the OS: it survives a tab or browser
 * crash; docs/architecture.md says why that is the trade).
 */
export interface CofferDatabase {
  readonly name: string;
  readonly strict: CofferDexie;
  readonly relaxed: CofferDexie;
  close(): void;
}

export function openCofferDatabase(platform: IndexedDbPlatform, name = 'coffer'): CofferDatabase {
  const strict = new CofferDexie(name, platform, 'strict');
  const relaxed = new CofferDexie(name, platform, 'relaxed');
  return {
    name,
    strict,
    relaxed,
    close() {
      strict.close();
      relaxed.close();
    },
  };
}
