/**
 * The at-rest side of memory-only vaults (docs/data-model.md, "Memory-only vaults"): the flag in
 * the vault's catalog row, and the two moves between IndexedDB and memory, each one durable
 * transaction that changes the flag together with the vault's rows, so a crash never leaves the
 * values readable at rest while the flag is on, and never loses the only copy.
 *
 * The flag is one more field of the catalog row's sealed JSON metadata (docs/crypto.md,
 * "Records"): `"memoryOnly": true`, present only when on.
 */
import type { ProfileKey, VaultKey } from '../crypto';
import type { CofferDatabase, VaultRow } from './db';
import { mapStorageError } from './errors';
import { sealVaultRecord, type VaultMetadata } from './records';

/** Seals a catalog row with `memoryOnly` set as given (records.ts writes it only when on). */
export function sealCatalogRow(
  profileKey: ProfileKey,
  id: string,
  key: VaultKey,
  metadata: VaultMetadata,
  memoryOnly: boolean,
): VaultRow {
  const { memoryOnly: _was, ...rest } = metadata;
  return sealVaultRecord(profileKey, id, key, memoryOnly ? { ...rest, memoryOnly: true } : rest);
}

/**
 * Turns a vault memory-only at rest: its catalog row (sealed with the flag on) replaces the old
 * one and its snapshot and update rows are deleted, in one durable transaction. The caller has
 * already copied the vault's state into memory: if this fails, nothing at rest changed.
 */
export async function moveVaultToMemory(db: CofferDatabase, row: VaultRow): Promise<void> {
  const { strict } = db;
  try {
    await strict.transaction('rw', [strict.vaults, strict.snapshots, strict.updates], async () => {
      await strict.vaults.put(row);
      await strict.snapshots.delete(row.id);
      await deleteRows(db, row.id);
    });
  } catch (error) {
    throw mapStorageError(error, 'moving the vault to memory only (nothing was changed)');
  }
}

/**
 * Turns a vault back into a stored one: its catalog row (flag off) replaces the old one and,
 * with `snapshot`, the state kept in memory is stored as its snapshot, in one durable
 * transaction. Any rows left under the vault's id are deleted in it too, so the vault starts
 * from exactly the snapshot (or empty). If this fails, nothing at rest changed.
 */
export async function moveVaultToStorage(
  db: CofferDatabase,
  row: VaultRow,
  snapshot: { readonly seq: number; readonly bytes: Uint8Array } | undefined,
): Promise<void> {
  const { strict } = db;
  try {
    await strict.transaction('rw', [strict.vaults, strict.snapshots, strict.updates], async () => {
      await strict.vaults.put(row);
      await deleteRows(db, row.id);
      if (snapshot) await strict.snapshots.put({ vault: row.id, ...snapshot });
      else await strict.snapshots.delete(row.id);
    });
  } catch (error) {
    throw mapStorageError(error, 'storing the vault on this device again (nothing was changed)');
  }
}

function deleteRows(db: CofferDatabase, vaultId: string): Promise<number> {
  return db.strict.updates
    .where('[vault+seq]')
    .between([vaultId, 0], [vaultId, Number.MAX_SAFE_INTEGER], true, true)
    .delete();
}
