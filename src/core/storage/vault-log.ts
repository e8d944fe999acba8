import {
  AuthenticationError,
  associatedData,
  KeyMismatchError,
  MalformedEnvelopeError,
  open,
  type StorageKey,
  seal,
  UnsupportedFormatError,
} from '../crypto';
import type { CofferDatabase, UpdateRow } from './db';
import { CorruptDataError, type CorruptionReason, mapStorageError, type RecordRef } from './errors';

/**
 * A vault's encrypted, append-only log of Yjs updates, with atomic compaction into a snapshot.
 *
 * - `append` seals before the IndexedDB transaction opens (awaiting anything but IndexedDB
 *   inside a transaction lets it commit half done), then adds one row; the promise resolves
 *   once the transaction has committed.
 * - Rows are added, never overwritten: if another holder (a tab that stole the vault while our
 *   write was in flight) took our sequence number, we read what it wrote, hand it to
 *   `onExternalUpdates`, and retry at the next number.
 * - `compact` writes a snapshot of the whole state and deletes the rows it covers in one
 *   transaction, and refuses to replace a newer snapshot.
 */

const updateContext = (vaultId: string, seq: number) => associatedData('update', vaultId, seq);
const snapshotContext = (vaultId: string, seq: number) => associatedData('snapshot', vaultId, seq);

function reasonOf(error: unknown): CorruptionReason {
  if (error instanceof KeyMismatchError) return 'key-mismatch';
  if (error instanceof UnsupportedFormatError) return 'unsupported-format';
  if (error instanceof AuthenticationError) return 'authentication';
  if (error instanceof MalformedEnvelopeError) return 'malformed';
  return 'malformed';
}

function openRecord(
  key: StorageKey,
  bytes: unknown,
  context: Uint8Array,
  record: RecordRef,
): Uint8Array {
  try {
    if (!(bytes instanceof Uint8Array)) throw new MalformedEnvelopeError(0, 0);
    return open(key, bytes, context);
  } catch (error) {
    throw new CorruptDataError(record, reasonOf(error), { cause: error });
  }
}

/** The update rows of a vault after `afterSeq`, in sequence order. */
function rowsAfter(db: CofferDatabase, vaultId: string, afterSeq: number): Promise<UpdateRow[]> {
  return db.relaxed.updates
    .where('[vault+seq]')
    .between([vaultId, afterSeq + 1], [vaultId, Number.MAX_SAFE_INTEGER], true, true)
    .toArray();
}

/**
 * The vault's snapshot and the update rows after `afterSeq(snapshot)`, read in one transaction
 * so that a compaction by another holder cannot fall between the two reads.
 */
async function readLog(
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
function openRows(
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

/** The decrypted contents of a vault's storage, in the order they must be applied. */
export interface LoadedLog {
  /** The snapshot's state (if any) first, then every readable update in sequence order. */
  readonly updates: readonly Uint8Array[];
  /** Records that failed to open; everything else was loaded. */
  readonly damaged: readonly CorruptDataError[];
  readonly headSeq: number;
  readonly snapshotSeq: number;
  /** Stored bytes of the snapshot and the rows, for compaction decisions and tests. */
  readonly storedBytes: number;
}

export interface VaultLogOptions {
  readonly db: CofferDatabase;
  readonly vaultId: string;
  readonly key: StorageKey;
  /** Updates written by another holder that we discovered while appending. */
  readonly onExternalUpdates?: (updates: readonly Uint8Array[]) => void;
  /** Checked before every write: false once our hold on the vault is gone. */
  readonly mayWrite?: () => boolean;
}

/** What changed in storage since a log was loaded (see `VaultLog.refresh`). */
export type LogRefresh =
  /** The snapshot was replaced (another holder compacted): load again from scratch. */
  | { readonly stale: true }
  /** Rows added after the loaded head, opened in order, and those that failed to open. */
  | {
      readonly stale: false;
      readonly updates: readonly Uint8Array[];
      readonly damaged: readonly CorruptDataError[];
    };

/** Raised when the vault log is asked to write after its holder lost the vault. */
export class LogClosedError extends Error {
  override readonly name = 'LogClosedError';
  constructor(readonly vaultId: string) {
    super(`vault ${vaultId} is no longer held here, so nothing more is written to it`);
  }
}

export class VaultLog {
  #head: number;
  #snapshotSeq: number;
  #rowsSinceSnapshot: number;
  #bytesSinceSnapshot: number;
  #snapshotBytes: number;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private options: VaultLogOptions,
    loaded: LoadedLog,
    rowCount: number,
    rowBytes: number,
    snapshotBytes: number,
  ) {
    this.#head = loaded.headSeq;
    this.#snapshotSeq = loaded.snapshotSeq;
    this.#rowsSinceSnapshot = rowCount;
    this.#bytesSinceSnapshot = rowBytes;
    this.#snapshotBytes = snapshotBytes;
  }

  /** Reads and decrypts a vault's snapshot and updates. Damaged records are reported, not fatal. */
  static async load(options: VaultLogOptions): Promise<{ log: VaultLog; loaded: LoadedLog }> {
    const { db, vaultId, key } = options;
    const { snapshot, rows } = await readLog(db, vaultId, (snapshotSeq) => snapshotSeq);
    const updates: Uint8Array[] = [];
    const damaged: CorruptDataError[] = [];
    let snapshotSeq = 0;
    let snapshotBytes = 0;
    if (snapshot) {
      snapshotSeq = snapshot.seq;
      snapshotBytes = snapshot.bytes?.length ?? 0;
      try {
        updates.push(
          openRecord(key, snapshot.bytes, snapshotContext(vaultId, snapshot.seq), {
            store: 'snapshots',
            vaultId,
            seq: snapshot.seq,
          }),
        );
      } catch (error) {
        damaged.push(error as CorruptDataError);
      }
    }
    const opened = openRows(key, vaultId, rows);
    updates.push(...opened.updates);
    damaged.push(...opened.damaged);
    const head = rows.reduce((max, row) => Math.max(max, row.seq), snapshotSeq);
    const rowBytes = rows.reduce((sum, row) => sum + (row.bytes?.length ?? 0), 0);
    const loaded: LoadedLog = {
      updates,
      damaged,
      headSeq: head,
      snapshotSeq,
      storedBytes: snapshotBytes + rowBytes,
    };
    return { log: new VaultLog(options, loaded, rows.length, rowBytes, snapshotBytes), loaded };
  }

  /**
   * Opens every stored record of a vault (its snapshot and change rows) to check that each
   * authenticates in its place, without building anything and without writing: the records
   * that do not open, and how many were checked.
   */
  static async verify(
    options: Pick<VaultLogOptions, 'db' | 'vaultId' | 'key'>,
  ): Promise<{ damaged: CorruptDataError[]; records: number }> {
    const { db, vaultId, key } = options;
    const { snapshot, rows } = await readLog(db, vaultId, (snapshotSeq) => snapshotSeq);
    const damaged: CorruptDataError[] = [];
    if (snapshot) {
      try {
        openRecord(key, snapshot.bytes, snapshotContext(vaultId, snapshot.seq), {
          store: 'snapshots',
          vaultId,
          seq: snapshot.seq,
        }).fill(0);
      } catch (error) {
        damaged.push(error as CorruptDataError);
      }
    }
    const opened = openRows(key, vaultId, rows);
    for (const update of opened.updates) update.fill(0);
    damaged.push(...opened.damaged);
    return { damaged, records: rows.length + (snapshot ? 1 : 0) };
  }

  get headSeq(): number {
    return this.#head;
  }

  /**
   * Sets what the log calls back into, for a log loaded before its holder existed (a tab that
   * reads a vault while it waits for the vault's lock).
   */
  attach(callbacks: Pick<VaultLogOptions, 'onExternalUpdates' | 'mayWrite'>): void {
    this.options = { ...this.options, ...callbacks };
  }

  /**
   * Catches up with what was written since the log was loaded: the rows after its head, or
   * `stale` if the snapshot it loaded has been replaced meanwhile (the rows it covered are gone).
   */
  async refresh(): Promise<LogRefresh> {
    const { db, vaultId, key } = this.options;
    const { snapshot, rows } = await readLog(db, vaultId, () => this.#head);
    if ((snapshot?.seq ?? 0) !== this.#snapshotSeq) return { stale: true };
    this.#head = rows.reduce((max, row) => Math.max(max, row.seq), this.#head);
    this.#rowsSinceSnapshot += rows.length;
    this.#bytesSinceSnapshot += rows.reduce((sum, row) => sum + (row.bytes?.length ?? 0), 0);
    const { updates, damaged } = openRows(key, vaultId, rows);
    return { stale: false, updates, damaged };
  }

  /** Rows written since the last snapshot: what compaction would remove. */
  get rowsSinceSnapshot(): number {
    return this.#rowsSinceSnapshot;
  }

  get bytesSinceSnapshot(): number {
    return this.#bytesSinceSnapshot;
  }

  get snapshotBytes(): number {
    return this.#snapshotBytes;
  }

  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #assertMayWrite(): void {
    if (this.options.mayWrite && !this.options.mayWrite())
      throw new LogClosedError(this.options.vaultId);
  }

  /** Appends one update; resolves with its sequence number once it is committed. */
  append(update: Uint8Array): Promise<number> {
    return this.#serialize(async () => {
      const { db, vaultId, key } = this.options;
      for (let attempt = 0; ; attempt++) {
        this.#assertMayWrite();
        const seq = this.#head + 1;
        const bytes = seal(key, update, updateContext(vaultId, seq));
        try {
          await db.relaxed.updates.add({ vault: vaultId, seq, bytes });
          this.#head = seq;
          this.#rowsSinceSnapshot++;
          this.#bytesSinceSnapshot += bytes.length;
          return seq;
        } catch (error) {
          if ((error as Error)?.name !== 'ConstraintError' || attempt >= 10) {
            throw mapStorageError(error, 'saving a change');
          }
          await this.#catchUp();
        }
      }
    });
  }

  /** Reads rows another holder appended after our head and hands them over. */
  async #catchUp(): Promise<void> {
    const { db, vaultId, key } = this.options;
    const rows = await rowsAfter(db, vaultId, this.#head);
    this.#head = rows.reduce((max, row) => Math.max(max, row.seq), this.#head);
    // A damaged row from another writer is skipped here; reopening the vault reports it.
    const { updates } = openRows(key, vaultId, rows);
    if (updates.length > 0) this.options.onExternalUpdates?.(updates);
  }

  /**
   * Replaces the snapshot and the rows it covers with `state`, the encoding of the whole
   * document as of our head. Atomic: either all of it happens or none.
   */
  compact(state: Uint8Array): Promise<void> {
    return this.#serialize(async () => {
      this.#assertMayWrite();
      const { db, vaultId, key } = this.options;
      const seq = this.#head;
      const bytes = seal(key, state, snapshotContext(vaultId, seq));
      const tables = [db.relaxed.snapshots, db.relaxed.updates];
      try {
        await db.relaxed.transaction('rw', tables, async () => {
          const current = await db.relaxed.snapshots.get(vaultId);
          // Never replace a newer snapshot (another holder's), whose covered rows are gone.
          if (current && current.seq >= seq) return;
          await db.relaxed.snapshots.put({ vault: vaultId, seq, bytes });
          await db.relaxed.updates
            .where('[vault+seq]')
            .between([vaultId, 0], [vaultId, seq], true, true)
            .delete();
        });
      } catch (error) {
        throw mapStorageError(error, 'compacting the vault');
      }
      this.#snapshotSeq = seq;
      this.#rowsSinceSnapshot = 0;
      this.#bytesSinceSnapshot = 0;
      this.#snapshotBytes = bytes.length;
    });
  }

  /** Resolves when every write queued so far has finished (successfully or not). */
  flush(): Promise<void> {
    return this.#queue.then(() => undefined);
  }
}
