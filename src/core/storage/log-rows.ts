/**
 * The rows of a vault's log as IndexedDB holds them: reading them (the snapshot and the rows
 * after it, in one transaction), opening them (each authenticated in its place, a damaged one
 * reported by name), and adding one. VaultLog (vault-log.ts) is built on these.
 */
import { MalformedEnvelopeError, open, type StorageKey } from '../crypto';
import { snapshotContext, updateContext } from './contexts';
import type { CofferDatabase, UpdateRow } from './db';
import { CorruptDataError, corruptionReason, mapStorageError, type RecordRef } from './errors';

export function openRecord(
  key: StorageKey,
  bytes: unknown,
  context: Uint8Array,
  record: RecordRef,
): Uint8Array {
  try {
    if (!(bytes instanceof Uint8Array)) throw new MalformedEnvelopeError(0, 0);
    return open(key, bytes, context);
  } catch (error) {
    throw new CorruptDataError(record, corruptionReason(error), { cause: error });
  }
}

/** The update rows of a vault after `afterSeq`, in sequence order. */
export function rowsAfter(
  db: CofferDatabase,
  vaultId: string,
  afterSeq: number,
): Promise<UpdateRow[]> {
  return db.relaxed.updates
    .where('[vault+seq]')
    .between([vaultId, afterSeq + 1], [vaultId, Number.MAX_SAFE_INTEGER], true, true)
    .toArray();
}

/**
 * The vault's snapshot and the update rows after `afterSeq(snapshot)`, read in one transaction
 * so that a compaction by another holder cannot fall between the two reads.
 */
export async function readLog(
  db: CofferDatabase,
  vaultId: string,
  afterSeq: (snapshotSeq: number) => number,
): Promise<{ snapshot: { seq: number; bytes: Uint8Array } | undefined; rows: UpdateRow[] }> {
  try {
    return await db.relaxed.transaction('r', db.relaxed.snapshots, db.relaxed.updates, async () => {
      const snapshot = await db.relaxed.snapshots.get(vaultId);
      return { snapshot, rows: await rowsAfter(db, vaultId, afterSeq(snapshot?.seq ?? 0)) };
    });
  } catch (error) {
    throw mapStorageError(error, `reading vault ${vaultId}`);
  }
}

/** Opens update rows in order: the readable ones' plaintexts, and an error per damaged one. */
export function openRows(
  key: StorageKey,
  vaultId: string,
  rows: readonly UpdateRow[],
): { updates: Uint8Array[]; damaged: CorruptDataError[] } {
  const updates: Uint8Array[] = [];
  const damaged: CorruptDataError[] = [];
  for (const row of rows) {
    try {
      updates.push(
        openRecord(key, row.bytes, updateContext(vaultId, row.seq), {
          store: 'updates',
          vaultId,
          seq: row.seq,
        }),
      );
    } catch (error) {
      damaged.push(error as CorruptDataError);
    }
  }
  return { updates, damaged };
}

/**
 * Adds update rows in one readwrite transaction and resolves once it commits: IndexedDB
 * directly rather than through Dexie's table API. Every change takes this path, and Dexie's
 * promise and transaction wrappers cost about a third of it (write p50 1.54x -> 1.29x of
 * y-indexeddb, p95 2.44x -> 1.35x, docs/performance.md). Same store, rows and durability; a
 * failure (ConstraintError when another holder took a seq, QuotaExceededError) adds none of
 * them and rejects with the transaction's error, which mapStorageError turns into Coffer's own.
 */
export async function addRows(db: CofferDatabase, rows: readonly UpdateRow[]): Promise<void> {
  // Dexie opens its connection on first use; the log has used it to load, but be sure.
  if (!db.relaxed.isOpen()) await db.relaxed.open();
  const idb = db.relaxed.backendDB();
  return new Promise<void>((resolve, reject) => {
    const tx = idb.transaction('updates', 'readwrite', { durability: 'relaxed' });
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('the write was aborted', 'AbortError'));
    const store = tx.objectStore('updates');
    for (const row of rows) store.add(row);
  });
}

/** Opens a vault's snapshot like `openRows` opens rows: its plaintext, or the error naming it. */
export function openSnapshot(
  key: StorageKey,
  vaultId: string,
  snapshot: { readonly seq: number; readonly bytes: unknown } | undefined,
): { updates: Uint8Array[]; damaged: CorruptDataError[] } {
  if (!snapshot) return { updates: [], damaged: [] };
  const record = { store: 'snapshots', vaultId, seq: snapshot.seq } as const;
  try {
    return {
      updates: [openRecord(key, snapshot.bytes, snapshotContext(vaultId, snapshot.seq), record)],
      damaged: [],
    };
  } catch (error) {
    return { updates: [], damaged: [error as CorruptDataError] };
  }
}
