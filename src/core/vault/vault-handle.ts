import * as Y from 'yjs';
import { deriveSubkey, type VaultKey } from '../crypto';
import type { Lease, VaultMutex } from '../lock';
import { type CofferDatabase, CorruptDataError, type LoadedLog, VaultLog } from '../storage';
import type {
  ConnectionValue,
  Entry,
  EntryKind,
  EntrySummary,
  JsonValue,
  NameStyle,
} from './entry-model';
import { createEntryStore, type EntryStore } from './entry-model';

/** Why a handle stopped working. */
export type VaultCloseReason = 'closed' | 'taken-over' | 'profile-locked';

/** The handle was closed (by its user, by a take-over in another tab, or by locking the profile). */
export class VaultClosedError extends Error {
  override readonly name = 'VaultClosedError';
  constructor(
    readonly vaultName: string,
    readonly reason: VaultCloseReason,
  ) {
    super(
      reason === 'taken-over'
        ? `vault "${vaultName}" was taken over by another tab or window; open it again to take it back`
        : reason === 'profile-locked'
          ? `vault "${vaultName}" was closed because the profile was locked`
          : `vault "${vaultName}" is closed`,
    );
  }
}

/** How long to wait for the vault, and what to do when someone else has it. */
export interface OpenVaultOptions {
  /** Abort waiting (for example `AbortSignal.timeout(5000)`): rejects with LockWaitAbortedError. */
  readonly signal?: AbortSignal;
  /** Do not wait: reject with VaultBusyError at once if another tab holds the vault. */
  readonly ifAvailable?: boolean;
  /** Take the vault from its current holder, whose handle closes with reason 'taken-over'. */
  readonly steal?: boolean;
}

/** Options of `set`. The kind defaults to the entry's current kind, or 'item' for a new entry. */
export interface SetOptions {
  readonly kind?: EntryKind;
  /** For secrets: once set, the app never shows the value again (code and references still can). */
  readonly writeOnly?: boolean;
}

/**
 * When the handle compacts its log into a snapshot: once the rows since the last snapshot
 * number `everyRows`, or weigh more than the snapshot itself (and at least `minBytes`). Stored
 * bytes then stay within about twice the compacted state plus `minBytes`, and the cost of
 * compacting (proportional to the vault) is spread over as many writes as the vault is big.
 */
export interface CompactionPolicy {
  readonly everyRows: number;
  readonly minBytes: number;
  /** On close, compact if at least this many rows are waiting, so the next open is fast. */
  readonly onCloseRows: number;
}

export const defaultCompactionPolicy: CompactionPolicy = {
  everyRows: 500,
  minBytes: 2048,
  onCloseRows: 16,
};

interface HandleParts {
  readonly db: CofferDatabase;
  readonly vaultId: string;
  readonly vaultName: string;
  readonly key: VaultKey;
  readonly lease: Lease;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly compaction: CompactionPolicy;
}

/**
 * An open vault: the one opener's view of it, across every tab of the browser.
 *
 * Reads come from the decrypted document in memory; every change is one encrypted row,
 * durable when its promise resolves. Close it when done (or use `await using`), so a waiting
 * tab can open it.
 *
 * @example
 * await using vault = await session.openVault('my-vault');
 * const myData = await vault.get('my-item');
 * await vault.set('API_KEY', 'sk-live-...', { kind: 'secret', writeOnly: true });
 */
export class VaultHandle implements AsyncDisposable {
  #doc!: Y.Doc;
  #store!: EntryStore;
  #log!: VaultLog;
  #damaged: CorruptDataError[] = [];
  #closeReason: VaultCloseReason | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #closeListeners = new Set<(reason: VaultCloseReason) => void>();
  readonly #parts: HandleParts;

  private constructor(parts: HandleParts) {
    this.#parts = parts;
    void parts.lease.lost.then((reason) => {
      if (reason === 'stolen') this.#markClosed('taken-over');
    });
  }

  /** @internal Opened by Session.openVault, which holds the lease already. */
  static async open(parts: HandleParts): Promise<VaultHandle> {
    const handle = new VaultHandle(parts);
    await handle.#load();
    return handle;
  }

  /** The vault's id (opaque, stable across renames). */
  get id(): string {
    return this.#parts.vaultId;
  }

  /** The vault's name when it was opened. */
  get name(): string {
    return this.#parts.vaultName;
  }

  /** True once closed, for whatever reason (see `closeReason`). */
  get closed(): boolean {
    return this.#closeReason !== undefined;
  }

  get closeReason(): VaultCloseReason | undefined {
    return this.#closeReason;
  }

  /** Stored records that could not be read when the vault was opened; the rest opened. */
  get damaged(): readonly CorruptDataError[] {
    return this.#damaged;
  }

  /**
   * True when some stored changes decrypted but wait for a damaged one they build on (Yjs
   * applies a device's changes in order). They are kept, not compacted away, so a synced peer
   * that still has the damaged change can fill the gap.
   */
  get heldBackChanges(): boolean {
    const store = this.#doc.store;
    return store.pendingStructs !== null || store.pendingDs !== null;
  }

  /** Calls `listener` once when the handle closes, with the reason. Returns an unsubscribe. */
  onClose(listener: (reason: VaultCloseReason) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  async #load(): Promise<void> {
    const { db, vaultId, key, lease } = this.#parts;
    const storageKey = deriveSubkey(key, 'storage');
    const { log, loaded } = await VaultLog.load({
      db,
      vaultId,
      key: storageKey,
      mayWrite: () => !this.closed && lease.since > 0,
      onExternalUpdates: (updates) => {
        // Another holder wrote while we did: its changes are as real as ours.
        Y.transact(
          this.#doc,
          () => {
            for (const update of updates) Y.applyUpdate(this.#doc, update, 'storage');
          },
          'storage',
        );
      },
    });
    this.#log = log;
    this.#damaged = [...loaded.damaged];
    this.#doc = this.#buildDoc(loaded);
    this.#store = createEntryStore(this.#doc, {
      clock: this.#parts.clock,
      newId: this.#parts.newId,
    });
  }

  #buildDoc(loaded: LoadedLog): Y.Doc {
    const doc = new Y.Doc({ gc: true });
    Y.transact(
      doc,
      () => {
        loaded.updates.forEach((update, index) => {
          try {
            Y.applyUpdate(doc, update, 'storage');
          } catch (error) {
            // Authenticated but not a Yjs update: written by a faulty build. Report, keep going.
            this.#damaged.push(
              new CorruptDataError(
                { store: 'updates', vaultId: this.#parts.vaultId, seq: index },
                'malformed',
                { cause: error },
              ),
            );
          }
        });
      },
      'storage',
    );
    return doc;
  }

  #markClosed(reason: VaultCloseReason): void {
    if (this.#closeReason) return;
    this.#closeReason = reason;
    for (const listener of this.#closeListeners) {
      try {
        listener(reason);
      } catch (error) {
        console.error('a vault close listener failed', error);
      }
    }
    this.#closeListeners.clear();
  }

  #assertOpen(): void {
    if (this.#closeReason) throw new VaultClosedError(this.#parts.vaultName, this.#closeReason);
  }

  /** Runs one change at a time: apply to the document, persist, and on failure roll back. */
  #mutate<T>(operation: string, change: (store: EntryStore) => T): Promise<T> {
    const run = async (): Promise<T> => {
      this.#assertOpen();
      const updates: Uint8Array[] = [];
      const capture = (update: Uint8Array, origin: unknown) => {
        if (origin !== 'storage') updates.push(update);
      };
      this.#doc.on('update', capture);
      let result: T;
      try {
        result = change(this.#store);
      } finally {
        this.#doc.off('update', capture);
      }
      if (updates.length === 0) return result;
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      try {
        await this.#log.append(update);
      } catch (error) {
        // Keep memory equal to what is on disk: the change did not happen.
        await this.#reload();
        if (this.#closeReason) throw new VaultClosedError(this.#parts.vaultName, this.#closeReason);
        throw error;
      }
      if (this.#compactionDue()) void this.#enqueue(() => this.#compactNow());
      return result;
    };
    return this.#enqueue(run, operation);
  }

  #enqueue<T>(work: () => Promise<T>, _operation?: string): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reload(): Promise<void> {
    const previousDoc = this.#doc;
    const previousStore = this.#store;
    await this.#load();
    previousStore.dispose();
    previousDoc.destroy();
  }

  #compactionDue(): boolean {
    const { everyRows, minBytes } = this.#parts.compaction;
    const log = this.#log;
    return (
      log.rowsSinceSnapshot >= everyRows ||
      log.bytesSinceSnapshot >= Math.max(minBytes, log.snapshotBytes)
    );
  }

  async #compactNow(): Promise<void> {
    if (this.#closeReason || this.#damaged.length > 0) return;
    await this.#log.compact(Y.encodeStateAsUpdate(this.#doc));
  }

  /**
   * The value of an entry, or `undefined` if there is none. Items give their JSON value,
   * secrets their value (write-only ones too: this is the API, not the UI), connections
   * `{ type, fields }`.
   */
  async get(name: string): Promise<JsonValue | ConnectionValue | undefined> {
    this.#assertOpen();
    return this.#store.get(name)?.value;
  }

  /** The whole entry (kind, value, flags, times), or `undefined`. */
  async getEntry(name: string): Promise<Entry | undefined> {
    this.#assertOpen();
    return this.#store.get(name);
  }

  async has(name: string): Promise<boolean> {
    this.#assertOpen();
    return this.#store.has(name);
  }

  /** Every entry's name, kind and times, sorted by name. Values are not included. */
  async list(): Promise<EntrySummary[]> {
    this.#assertOpen();
    return this.#store.list();
  }

  /**
   * Creates or replaces an entry. Rejects with InvalidNameError, InvalidJsonError,
   * ValueTooLargeError or InvalidEntryError before anything changes, and with
   * StorageFullError if the browser is out of space (the change is then undone).
   */
  set(name: string, value: JsonValue | ConnectionValue, options: SetOptions = {}): Promise<void> {
    return this.#mutate(`saving "${name}"`, (store) => {
      const existing = store.get(name);
      const kind = options.kind ?? existing?.kind ?? 'item';
      store.set(name, {
        kind,
        value,
        ...(options.writeOnly !== undefined ? { writeOnly: options.writeOnly } : {}),
      } as never);
    });
  }

  /**
   * Creates or replaces many entries as one change (one row, one durable write): for imports.
   * All are validated first; if any is invalid, none is written.
   * @example
   * await vault.setMany([{ name: 'DB_HOST', value: 'db.internal' }, { name: 'DB_PASSWORD', value: 'pw', kind: 'secret' }]);
   */
  setMany(
    entries: ReadonlyArray<{ name: string; value: JsonValue | ConnectionValue } & SetOptions>,
  ): Promise<void> {
    return this.#mutate(`saving ${entries.length} entries`, (store) => {
      const inputs = entries.map((entry) => {
        const kind = entry.kind ?? store.get(entry.name)?.kind ?? 'item';
        return {
          name: entry.name,
          input: {
            kind,
            value: entry.value,
            ...(entry.writeOnly !== undefined ? { writeOnly: entry.writeOnly } : {}),
          },
        };
      });
      store.setMany(inputs as never);
    });
  }

  /** Renames an entry, keeping its value and identity. NameTakenError if the name is used. */
  rename(name: string, newName: string): Promise<void> {
    return this.#mutate(`renaming "${name}"`, (store) => store.rename(name, newName));
  }

  /** Deletes an entry. Resolves true if there was one. */
  delete(name: string): Promise<boolean> {
    return this.#mutate(`deleting "${name}"`, (store) => store.delete(name));
  }

  /** The vault's naming rule: 'default' or 'environment' (Kinesis-style UPPER_SNAKE). */
  async nameStyle(): Promise<NameStyle> {
    this.#assertOpen();
    return this.#store.nameStyle;
  }

  setNameStyle(style: NameStyle): Promise<void> {
    return this.#mutate('changing the naming rule', (store) => {
      store.nameStyle = style;
    });
  }

  /** Compacts the log into a snapshot now (normally automatic). */
  compact(): Promise<void> {
    return this.#enqueue(async () => {
      this.#assertOpen();
      await this.#compactNow();
    });
  }

  /** Bytes this vault occupies in storage (snapshot plus rows since), for tests and settings. */
  get storedBytes(): number {
    return this.#log.snapshotBytes + this.#log.bytesSinceSnapshot;
  }

  /**
   * Closes the vault: waits for pending writes, compacts if worthwhile, releases the lock so a
   * waiting tab gets it. Safe to call more than once.
   */
  async close(): Promise<void> {
    await this.#closeWith('closed');
  }

  /** @internal Used when the profile locks. */
  async closeWith(reason: VaultCloseReason): Promise<void> {
    await this.#closeWith(reason);
  }

  async #closeWith(reason: VaultCloseReason): Promise<void> {
    if (!this.#closeReason) {
      await this.#enqueue(async () => {
        if (
          !this.#closeReason &&
          this.#log.rowsSinceSnapshot >= this.#parts.compaction.onCloseRows
        ) {
          await this.#compactNow().catch(() => undefined);
        }
      });
      this.#markClosed(reason);
    }
    await this.#queue;
    await this.#parts.lease.release();
    this.#store.dispose();
    this.#doc.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

export type { Lease, VaultMutex };
