import { type StorageKey, seal } from '../crypto';
import { CofferError } from '../errors';
import { snapshotContext, updateContext } from './contexts';
import type { CofferDatabase, UpdateRow } from './db';
import { type CorruptDataError, mapStorageError } from './errors';
import { addRows, openRows, openSnapshot, readLog, rowsAfter } from './log-rows';

/**
 * A vault's encrypted, append-only log of Yjs updates, compacted into a snapshot beside writes.
 *
 * - `append` seals before the IndexedDB transaction opens (awaiting anything but IndexedDB
 *   inside a transaction lets it commit half done), then adds one row; the promise resolves
 *   once the transaction has committed.
 * - Rows are added, never overwritten: if another holder (a tab that stole the vault while our
 *   write was in flight) took our sequence number, we read what it wrote, hand it to
 *   `onExternalUpdates`, and retry at the next number.
 * - `compact` stores a snapshot of the whole state, then deletes the rows it covers, without
 *   holding up appends; it never replaces a newer snapshot (see `compact`).
 */

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
export class LogClosedError extends CofferError {
  override readonly name = 'LogClosedError';
  override readonly code = 'log-closed' as const;
  constructor(readonly vaultId: string) {
    super(`vault ${vaultId} is no longer held here, so nothing more is written to it`);
  }
}

/**
 * What a vault handle needs from where its document is kept: VaultLog (sealed rows in
 * IndexedDB) or MemoryVaultLog (a memory-only vault's updates, kept in the session's memory).
 */
export interface UpdateLog {
  /** Sequence number of the last stored update (or of the snapshot, if none came after it). */
  readonly headSeq: number;
  readonly rowsSinceSnapshot: number;
  readonly bytesSinceSnapshot: number;
  readonly snapshotBytes: number;
  attach(callbacks: Pick<VaultLogOptions, 'onExternalUpdates' | 'mayWrite'>): void;
  refresh(): Promise<LogRefresh>;
  append(update: Uint8Array): Promise<number>;
  /**
   * Appends updates as consecutive rows, stored together or not at all; resolves with the
   * last one's sequence number (the head, unchanged, for none).
   */
  appendAll(updates: readonly Uint8Array[]): Promise<number>;
  compact(state: Uint8Array): Promise<void>;
  compactWith(
    make: () => Promise<{ readonly seq: number; readonly bytes: Uint8Array } | undefined>,
  ): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Seals a vault's whole state as its snapshot covering `seq`: what compaction stores, and what
 * a memory-only vault turned back into a stored one is written as.
 */
export function sealSnapshot(
  key: StorageKey,
  vaultId: string,
  seq: number,
  state: Uint8Array,
): Uint8Array {
  return seal(key, state, snapshotContext(vaultId, seq));
}

export class VaultLog implements UpdateLog {
  #head: number;
  #snapshotSeq: number;
  /** Stored size of each row after the snapshot, by seq: what compaction decisions weigh. */
  readonly #rowSizes = new Map<number, number>();
  #rowBytes = 0;
  #snapshotBytes: number;
  #queue: Promise<unknown> = Promise.resolve();
  #compacting: Promise<void> | undefined;

  private constructor(
    private options: VaultLogOptions,
    loaded: LoadedLog,
    rows: readonly UpdateRow[],
    snapshotBytes: number,
  ) {
    this.#head = loaded.headSeq;
    this.#snapshotSeq = loaded.snapshotSeq;
    this.#countRows(rows);
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
    }
    const openedSnapshot = openSnapshot(key, vaultId, snapshot);
    updates.push(...openedSnapshot.updates);
    damaged.push(...openedSnapshot.damaged);
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
    return { log: new VaultLog(options, loaded, rows, snapshotBytes), loaded };
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
    const openedSnapshot = openSnapshot(key, vaultId, snapshot);
    for (const update of openedSnapshot.updates) update.fill(0);
    damaged.push(...openedSnapshot.damaged);
    const opened = openRows(key, vaultId, rows);
    for (const update of opened.updates) update.fill(0);
    damaged.push(...opened.damaged);
    return { damaged, records: rows.length + (snapshot ? 1 : 0) };
  }

  #countRows(rows: readonly UpdateRow[]): void {
    for (const row of rows) {
      const size = row.bytes?.length ?? 0;
      this.#rowBytes += size - (this.#rowSizes.get(row.seq) ?? 0);
      this.#rowSizes.set(row.seq, size);
    }
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
    this.#countRows(rows);
    const { updates, damaged } = openRows(key, vaultId, rows);
    return { stale: false, updates, damaged };
  }

  /** Rows written since the last snapshot: what compaction would remove. */
  get rowsSinceSnapshot(): number {
    return this.#rowSizes.size;
  }

  get bytesSinceSnapshot(): number {
    return this.#rowBytes;
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
    return this.appendAll([update]);
  }

  /**
   * Appends updates as consecutive rows in one transaction (one commit to wait for, rather
   * than one per row: a first sync saves a checkpoint and the changes since together).
   */
  appendAll(updates: readonly Uint8Array[]): Promise<number> {
    return this.#serialize(async () => {
      const { db, vaultId, key } = this.options;
      if (updates.length === 0) return this.#head;
      for (let attempt = 0; ; attempt++) {
        this.#assertMayWrite();
        const first = this.#head + 1;
        const rows = updates.map((update, i) => ({
          vault: vaultId,
          seq: first + i,
          bytes: seal(key, update, updateContext(vaultId, first + i)),
        }));
        try {
          await addRows(db, rows);
          for (const row of rows) {
            this.#rowSizes.set(row.seq, row.bytes.length);
            this.#rowBytes += row.bytes.length;
          }
          this.#head = first + rows.length - 1;
          return this.#head;
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
    this.#countRows(rows);
    // A damaged row from another writer is skipped here; reopening the vault reports it.
    const { updates } = openRows(key, vaultId, rows);
    if (updates.length > 0) this.options.onExternalUpdates?.(updates);
  }

  /**
   * Replaces the snapshot with `state`, the encoding of the whole document as of our head, and
   * then deletes the rows it covers. Runs beside appends rather than before the next one: the
   * snapshot goes in a transaction of its own on `snapshots` alone (which an append to
   * `updates` does not wait for), and the covered rows go in a second, short one. Between the
   * two, and if the second never runs, a reader still sees one consistent vault: it reads the
   * snapshot and the rows after it in one transaction, and rows the snapshot covers are never
   * read (the next compaction deletes them). A newer snapshot (another holder's) is never
   * replaced. While one compaction runs, asking for another returns the running one.
   */
  compact(state: Uint8Array): Promise<void> {
    const seq = this.#head;
    return this.compactWith(async () => {
      const { key, vaultId } = this.options;
      return { seq, bytes: sealSnapshot(key, vaultId, seq, state) };
    });
  }

  /**
   * `compact` with a snapshot sealed elsewhere (a SnapshotMaker's Worker): `make` gives the
   * sealed state and the seq it covers, which must be a seq this log has stored.
   */
  compactWith(
    make: () => Promise<{ readonly seq: number; readonly bytes: Uint8Array } | undefined>,
  ): Promise<void> {
    if (this.#compacting) return this.#compacting;
    const running = (async () => {
      this.#assertMayWrite();
      const made = await make();
      if (made) await this.#store(made.seq, made.bytes);
    })().finally(() => {
      this.#compacting = undefined;
    });
    this.#compacting = running;
    return running;
  }

  async #store(seq: number, bytes: Uint8Array): Promise<void> {
    this.#assertMayWrite();
    if (seq <= this.#snapshotSeq || seq > this.#head) return;
    const { db, vaultId } = this.options;
    let stored = false;
    try {
      await db.relaxed.transaction('rw', db.relaxed.snapshots, async () => {
        const current = await db.relaxed.snapshots.get(vaultId);
        if (current && current.seq >= seq) return;
        await db.relaxed.snapshots.put({ vault: vaultId, seq, bytes });
        stored = true;
      });
    } catch (error) {
      throw mapStorageError(error, 'compacting the vault');
    }
    if (!stored) return;
    this.#snapshotSeq = seq;
    this.#snapshotBytes = bytes.length;
    for (const [rowSeq, size] of this.#rowSizes) {
      if (rowSeq > seq) continue;
      this.#rowSizes.delete(rowSeq);
      this.#rowBytes -= size;
    }
    try {
      await db.relaxed.updates
        .where('[vault+seq]')
        .between([vaultId, 0], [vaultId, seq], true, true)
        .delete();
    } catch {
      // The snapshot is stored and covers these rows: left in place they are never read, and
      // the next compaction deletes them.
    }
  }

  /** Resolves when every write queued so far, and a running compaction, have finished. */
  async flush(): Promise<void> {
    await this.#queue;
    await this.#compacting?.catch(() => undefined);
  }
}
