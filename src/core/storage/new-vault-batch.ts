/**
 * New vaults stored already filled, several in one durable transaction (Pull All; see
 * src/core/profile/create-filled-vault.ts): each vault's catalog row, its first snapshot (a
 * stored vault; a memory-only one has none) and its provider records are added together, so
 * a vault is either wholly there or not at all, and one commit to disk serves many vaults.
 *
 * Everything arrives sealed (catalog row and provider rows under the profile key, the snapshot
 * under the vault's storage key, docs/crypto.md "Records"): nothing is sealed here, and nothing
 * but IndexedDB is awaited inside the transaction. Rows are added, never put: a vault id that
 * exists already (never, for a fresh random id) aborts the transaction rather than replace a
 * vault.
 */
import type { CofferDatabase, ProviderRow, SnapshotRow, VaultRow } from './db';
import { mapStorageError } from './errors';

/** One new vault's rows, as they are stored. */
export interface NewVaultRows {
  readonly catalog: VaultRow;
  /** The vault's whole document as its snapshot; absent for a memory-only vault. */
  readonly snapshot?: SnapshotRow;
  /** Its provider records (the link Pull All made), each under the vault's id. */
  readonly providers?: readonly ProviderRow[];
}

/** Checks that every row of a new vault is under that vault's id (a bug, never user input). */
function checkRows(vault: NewVaultRows): void {
  const id = vault.catalog?.id;
  if (typeof id !== 'string' || !(vault.catalog.sealed instanceof Uint8Array)) {
    throw new TypeError('a new vault needs its sealed catalog row');
  }
  if (vault.snapshot && vault.snapshot.vault !== id) {
    throw new TypeError(`the snapshot of new vault ${id} is under vault ${vault.snapshot.vault}`);
  }
  for (const row of vault.providers ?? []) {
    if (row.id !== id) throw new TypeError(`a provider row of new vault ${id} is under ${row.id}`);
  }
}

/**
 * Adds the vaults in one `strict` readwrite transaction (flushed to disk before it resolves):
 * all of them, or, on any failure, none (StorageFullError for a full disk, else
 * StorageUnavailableError; what was stored before is untouched).
 */
export async function addNewVaults(
  db: CofferDatabase,
  vaults: readonly NewVaultRows[],
): Promise<void> {
  for (const vault of vaults) checkRows(vault);
  if (vaults.length === 0) return;
  try {
    // IndexedDB directly, as the update log's appends do (log-rows.ts addRows): one request per
    // row, without Dexie's promise and transaction wrappers.
    if (!db.strict.isOpen()) await db.strict.open();
    const idb = db.strict.backendDB();
    await new Promise<void>((resolve, reject) => {
      const tx = idb.transaction(['vaults', 'snapshots', 'providers'], 'readwrite', {
        durability: 'strict',
      });
      tx.oncomplete = () => resolve();
      tx.onabort = () =>
        reject(tx.error ?? new DOMException('the write was aborted', 'AbortError'));
      try {
        const catalog = tx.objectStore('vaults');
        const snapshots = tx.objectStore('snapshots');
        const providers = tx.objectStore('providers');
        for (const vault of vaults) {
          catalog.add(vault.catalog);
          if (vault.snapshot) snapshots.add(vault.snapshot);
          for (const row of vault.providers ?? []) providers.add(row);
        }
      } catch (error) {
        // A request refused as it was made (a bad key): the ones made before must not commit.
        tx.onabort = () => reject(error);
        tx.abort();
      }
    });
  } catch (error) {
    throw mapStorageError(
      error,
      vaults.length === 1 ? 'creating the vault' : `creating ${vaults.length} vaults`,
    );
  }
}
