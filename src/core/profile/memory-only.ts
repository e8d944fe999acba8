/**
 * Moving a vault between IndexedDB and the session's memory (Session.setVaultMemoryOnly; see
 * docs/data-model.md, "Memory-only vaults"). The caller holds the vault's single-opener lock,
 * so nothing writes the vault meanwhile.
 *
 * Order makes each move safe to interrupt: the copy that will remain is made first (in memory,
 * or sealed as a snapshot), then one durable transaction changes the catalog flag together with
 * the vault's rows. Until it commits the vault is what it was; after, it is the other kind.
 */
import { deriveSubkey, type ProfileKey } from '../crypto';
import {
  type CofferDatabase,
  type MemoryVaultStore,
  moveVaultToMemory,
  moveVaultToStorage,
  sealCatalogRow,
  sealSnapshot,
} from '../storage';
import { encodeVaultState, VaultDamagedError } from '../vault';
import type { CatalogVault } from './vault-catalog';

export interface MemoryMove {
  readonly db: CofferDatabase;
  readonly profileKey: ProfileKey;
  readonly memory: MemoryVaultStore;
  readonly vault: CatalogVault;
  readonly clock: () => number;
  readonly newId: () => string;
}

const partsOf = (move: MemoryMove) => ({
  db: move.db,
  vaultId: move.vault.id,
  key: move.vault.key,
  clock: move.clock,
  newId: move.newId,
});

/**
 * Copies the stored vault into memory, then flags it and deletes its rows in one transaction.
 * A vault whose stored records do not all open is not moved (VaultDamagedError): that would
 * delete them, and a device that still has what they held could no longer fill the gap.
 */
export async function moveToMemory(move: MemoryMove): Promise<void> {
  const { db, memory, vault } = move;
  const { state, damaged } = await encodeVaultState(partsOf(move));
  if (damaged.length > 0) {
    state.fill(0);
    throw new VaultDamagedError(
      vault.metadata.name,
      damaged.map((error) => error.record),
    );
  }
  memory.replace(vault.id, state);
  state.fill(0);
  const row = sealCatalogRow(move.profileKey, vault.id, vault.key, vault.metadata, true);
  try {
    await moveVaultToMemory(db, row);
  } catch (error) {
    // Still a stored vault with every row in place: the memory copy is not its content.
    memory.drop(vault.id);
    throw error;
  }
}

/**
 * Clears the flag; with `keepLocalCopy`, in the same transaction as storing what memory holds
 * as the vault's sealed snapshot. The memory copy is dropped once that has committed.
 */
export async function moveToStorage(move: MemoryMove, keepLocalCopy: boolean): Promise<void> {
  const { db, memory, vault } = move;
  let snapshot: { seq: number; bytes: Uint8Array } | undefined;
  if (keepLocalCopy && memory.has(vault.id)) {
    const { state } = await encodeVaultState({ ...partsOf(move), memory });
    // A fresh log: the snapshot covers seq 1, the next change is row 2.
    const seq = 1;
    const key = deriveSubkey(vault.key, 'storage');
    snapshot = { seq, bytes: sealSnapshot(key, vault.id, seq, state) };
    state.fill(0);
  }
  const row = sealCatalogRow(move.profileKey, vault.id, vault.key, vault.metadata, false);
  await moveVaultToStorage(db, row, snapshot);
  memory.drop(vault.id);
}
