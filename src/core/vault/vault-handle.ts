import * as Y from 'yjs';
import { deriveSubkey, type VaultKey } from '../crypto';
import type { DeviceId, EntryId } from '../ids';
import { createListeners } from '../listeners';
import type { Lease, VaultMutex } from '../lock';
import { type CofferDatabase, CorruptDataError, VaultLog, type VaultLogOptions } from '../storage';
import { concurrentlyEditedEntries, knowledgeOf } from './concurrent-edits';
import type {
  ConnectionValue,
  Entry,
  EntryChanges,
  EntryKind,
  EntrySummary,
  JsonValue,
  NameStyle,
  VisibleEntry,
} from './entry-model';
import { createEntryStore, type EntryStore } from './entry-model';
import { EntryNotFoundError } from './errors';
import {
  type AuthorStatus,
  authorStatus,
  type DeviceRecord,
  deleteInvite,
  deleteReview,
  type InviteRecord,
  type ReviewMark,
  readDeviceRecord,
  readDevices,
  readInviteRecord,
  readInvites,
  readReviews,
  removalPoint,
  touchesDevices,
  writeDevice,
  writeInvite,
  writeReview,
} from './members';

/** Changes received together are merged into one saved row up to this many bytes. */
const mergeBatchesUpTo = 64 * 1024;

/** A change made through this handle, as it was saved: what sync seals and sends to peers. */
export interface LocalChange {
  readonly update: Uint8Array;
  /** The document's state vector just before the change (docs/sync.md, "Edits made apart"). */
  readonly knowledge: Uint8Array;
}

/** A verified change from another device, to apply and save. */
export interface RemoteChange {
  readonly update: Uint8Array;
  /** The author's state vector before the change; empty or absent for a whole-state checkpoint. */
  readonly knowledge?: Uint8Array;
  /** The device that wrote it. */
  readonly author: DeviceId;
}

export interface RemoteApplyResult {
  /** Changes that added something new here (the rest were already known). */
  readonly changed: number;
  /** Changes whose bytes Yjs could not read: authentic but malformed, skipped. */
  readonly malformed: number;
  /** Entries (by id) that were edited here and there while apart, now marked for review. */
  readonly concurrent: readonly EntryId[];
  /** True if the device list changed, so envelopes waiting for an unknown author may now pass. */
  readonly devicesChanged: boolean;
}

/** Where a change to the document came from, for views that refresh on change. */
export type ChangeOrigin = 'local' | 'remote' | 'storage';

/** A review mark with the entry's current name (undefined if it was deleted since). */
export interface EntryReview extends ReviewMark {
  readonly name: string | undefined;
}

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

/**
 * Some of the vault's stored records could not be read, so what is in memory may lack entries
 * or changes: writing now could bury the damaged part under a new state. Entry writes are
 * held back until the user decides (`acceptDamage()`); the damaged records stay as they are.
 */
export class VaultDamagedError extends Error {
  override readonly name = 'VaultDamagedError';
  constructor(
    readonly vaultName: string,
    readonly damaged: readonly CorruptDataError['record'][],
  ) {
    super(
      `vault "${vaultName}" has ${damaged.length === 1 ? 'a damaged record' : `${damaged.length} damaged records`}, so changes to its entries are held back until you choose to write anyway (nothing stored was changed)`,
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
  /** On close, compact after any row a vault that stores less than this (re-sealing is cheap). */
  readonly onCloseSmallBytes: number;
}

export const defaultCompactionPolicy: CompactionPolicy = {
  everyRows: 500,
  minBytes: 2048,
  onCloseRows: 16,
  onCloseSmallBytes: 64 * 1024,
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
  /** This profile's device id, if it has one: named in review marks. */
  readonly deviceId?: DeviceId;
  /** For a vault received by invitation, the device that let this one in (see VaultMetadata). */
  readonly introducedBy?: string;
  /** With `introducedBy`: the other devices it listed in its answer (see VaultMetadata). */
  readonly introducedMembers?: readonly string[];
  /** Whether another tab waits for the vault: closing then hands it over without compacting. */
  readonly hasWaiters?: () => Promise<boolean>;
}

/** A vault read and built ahead of its lock (VaultHandle.prepare). */
export interface PreparedVault {
  readonly log: VaultLog;
  readonly damaged: CorruptDataError[];
  readonly doc: Y.Doc;
  store: EntryStore;
}

/** Applies decrypted stored updates to a prepared document; an unreadable one is reported. */
function applyStored(
  prepared: PreparedVault,
  updates: readonly Uint8Array[],
  vaultId: string,
  firstIndex: number,
): void {
  Y.transact(
    prepared.doc,
    () => {
      updates.forEach((update, index) => {
        try {
          Y.applyUpdate(prepared.doc, update, 'storage');
        } catch (error) {
          // Authenticated but not a Yjs update: written by a faulty build. Report, keep going.
          prepared.damaged.push(
            new CorruptDataError(
              { store: 'updates', vaultId, seq: firstIndex + index },
              'malformed',
              {
                cause: error,
              },
            ),
          );
        }
      });
    },
    'storage',
  );
}

function discard(prepared: PreparedVault): void {
  prepared.store?.dispose();
  prepared.doc.destroy();
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
  #damageAccepted = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #closeListeners = createListeners<VaultCloseReason>('vault close');
  readonly #localChangeListeners = createListeners<LocalChange>('local vault change');
  readonly #changeListeners = createListeners<ChangeOrigin>('vault change');
  #selfDeviceId: DeviceId | undefined;
  readonly #parts: HandleParts;

  private constructor(parts: HandleParts) {
    this.#parts = parts;
    this.#selfDeviceId = parts.deviceId;
    void parts.lease.lost.then((reason) => {
      if (reason === 'stolen') this.#markClosed('taken-over');
    });
  }

  /** @internal Opened by Session.openVault, which holds the lease already. */
  static async open(parts: HandleParts, prepared?: Promise<PreparedVault>): Promise<VaultHandle> {
    const handle = new VaultHandle(parts);
    await handle.#load(prepared);
    return handle;
  }

  /** The vault's id (opaque, stable across renames). */
  get id(): string {
    return this.#parts.vaultId;
  }

  /** True for a vault this profile received by invitation (rather than created). */
  get joined(): boolean {
    return this.#parts.introducedBy !== undefined;
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

  /**
   * True while entry writes are held back because stored records are damaged (see
   * VaultDamagedError), until `acceptDamage()`.
   */
  get writesHeld(): boolean {
    // Only stored damage counts: changes from peers may arrive out of order and wait for
    // their predecessors (heldBackChanges) without anything being damaged.
    return !this.#damageAccepted && this.#damaged.length > 0;
  }

  /**
   * The user chose to work with what could be read: entry writes go through from now on, for
   * this handle. The damaged records are still kept (never compacted away), so a device that
   * has the missing changes can still fill the gap.
   */
  acceptDamage(): void {
    this.#damageAccepted = true;
  }

  /** Calls `listener` once when the handle closes, with the reason. Returns an unsubscribe. */
  onClose(listener: (reason: VaultCloseReason) => void): () => void {
    return this.#closeListeners.add(listener);
  }

  /**
   * Calls `listener` with every change made through this handle, once it is saved: sync seals
   * these for the other devices. Returns an unsubscribe.
   */
  onLocalChange(listener: (change: LocalChange) => void): () => void {
    return this.#localChangeListeners.add(listener);
  }

  /** Calls `listener` after any change to the vault's contents, wherever it came from. */
  onChange(listener: (origin: ChangeOrigin) => void): () => void {
    return this.#changeListeners.add(listener);
  }

  #emitChange(origin: ChangeOrigin): void {
    this.#changeListeners.emit(origin);
  }

  /** What the log calls back into: another holder's rows, and whether this handle may write. */
  #logCallbacks(): Pick<VaultLogOptions, 'onExternalUpdates' | 'mayWrite'> {
    return {
      mayWrite: () => !this.closed && this.#parts.lease.since > 0,
      onExternalUpdates: (updates) => {
        // Another holder wrote while we did: its changes are as real as ours.
        Y.transact(
          this.#doc,
          () => {
            for (const update of updates) Y.applyUpdate(this.#doc, update, 'storage');
          },
          'storage',
        );
        this.#emitChange('storage');
      },
    };
  }

  /**
   * Takes a vault prepared while the lock was awaited, caught up with what its holder wrote
   * since; or, without one (or if the holder compacted meanwhile), reads it now.
   */
  async #load(prepared?: Promise<PreparedVault>): Promise<void> {
    let ready = prepared ? await prepared.catch(() => undefined) : undefined;
    if (ready) {
      ready.log.attach(this.#logCallbacks());
      const fresh = await ready.log.refresh();
      if (fresh.stale) {
        discard(ready);
        ready = undefined;
      } else {
        applyStored(ready, fresh.updates, this.#parts.vaultId, ready.log.headSeq);
        ready.damaged.push(...fresh.damaged);
      }
    }
    if (!ready) {
      ready = await VaultHandle.prepare(this.#parts);
      ready.log.attach(this.#logCallbacks());
    }
    this.#log = ready.log;
    this.#damaged = ready.damaged;
    this.#doc = ready.doc;
    this.#store = ready.store;
  }

  /**
   * Reads, decrypts and builds a vault without holding its lock: what a tab does while it
   * waits for the vault, so that once the lock is its own only the last changes remain to read
   * (`open(parts, prepared)`). Nothing is written.
   */
  static async prepare(
    parts: Pick<HandleParts, 'db' | 'vaultId' | 'key' | 'clock' | 'newId'>,
  ): Promise<PreparedVault> {
    const { db, vaultId, key } = parts;
    const { log, loaded } = await VaultLog.load({
      db,
      vaultId,
      key: deriveSubkey(key, 'storage'),
      // Until a holder attaches, the log writes nothing.
      mayWrite: () => false,
    });
    const prepared: PreparedVault = {
      log,
      damaged: [...loaded.damaged],
      doc: new Y.Doc({ gc: true }),
      store: undefined as unknown as EntryStore,
    };
    applyStored(prepared, loaded.updates, vaultId, 0);
    prepared.store = createEntryStore(prepared.doc, { clock: parts.clock, newId: parts.newId });
    return prepared;
  }

  #markClosed(reason: VaultCloseReason): void {
    if (this.#closeReason) return;
    this.#closeReason = reason;
    this.#closeListeners.emit(reason);
    this.#closeListeners.clear();
  }

  #assertOpen(): void {
    if (this.#closeReason) throw new VaultClosedError(this.#parts.vaultName, this.#closeReason);
  }

  /** Runs one change at a time: apply to the document, persist, and on failure roll back. */
  #mutate<T>(operation: string, change: (store: EntryStore, doc: Y.Doc) => T): Promise<T> {
    return this.#enqueue(async () => {
      this.#assertOpen();
      return this.#changeNow(change);
    }, operation);
  }

  /** `#mutate` for changes to entries: held back while the vault has unaccepted damage. */
  #mutateEntries<T>(operation: string, change: (store: EntryStore, doc: Y.Doc) => T): Promise<T> {
    return this.#enqueue(async () => {
      this.#assertOpen();
      if (this.writesHeld) {
        throw new VaultDamagedError(
          this.#parts.vaultName,
          this.#damaged.map((error) => error.record),
        );
      }
      return this.#changeNow(change);
    }, operation);
  }

  /** Applies a local change and saves it; only ever called from inside the queue. */
  async #changeNow<T>(change: (store: EntryStore, doc: Y.Doc) => T): Promise<T> {
    const updates: Uint8Array[] = [];
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin !== 'storage' && origin !== 'sync') updates.push(update);
    };
    const knowledge = Y.encodeStateVector(this.#doc);
    this.#doc.on('update', capture);
    let result: T;
    try {
      result = change(this.#store, this.#doc);
    } finally {
      this.#doc.off('update', capture);
    }
    if (updates.length === 0) return result;
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    await this.#persist(update);
    this.#localChangeListeners.emit({ update, knowledge });
    this.#emitChange('local');
    return result;
  }

  /** Saves an update already applied in memory; on failure, memory goes back to what is saved. */
  async #persist(update: Uint8Array): Promise<void> {
    try {
      await this.#log.append(update);
    } catch (error) {
      // Keep memory equal to what is on disk: the change did not happen.
      await this.#reload();
      this.#emitChange('storage');
      if (this.#closeReason) throw new VaultClosedError(this.#parts.vaultName, this.#closeReason);
      throw error;
    }
    if (this.#compactionDue()) void this.#enqueue(() => this.#compactNow());
  }

  /**
   * Applies verified changes from other devices and saves what they add, in one row. Entries
   * that were edited here and there while apart are marked for review (a change of our own,
   * which sync sends on). Rejects like `set` if the change cannot be saved; memory then goes
   * back to what is saved, and the caller may offer the changes again later.
   */
  applyRemote(changes: readonly RemoteChange[]): Promise<RemoteApplyResult> {
    return this.#enqueue(async () => {
      this.#assertOpen();
      const doc = this.#doc;
      const added: Uint8Array[] = [];
      const concurrent = new Map<EntryId, Set<DeviceId>>();
      let knowledge: (() => Map<number, number>) | undefined;
      let author: DeviceId | undefined;
      let devicesChanged = false;
      let malformed = 0;
      const capture = (update: Uint8Array, origin: unknown) => {
        if (origin === 'sync') added.push(update);
      };
      const inspect = (transaction: Y.Transaction) => {
        if (transaction.origin !== 'sync') return;
        if (touchesDevices(transaction, doc)) devicesChanged = true;
        if (!knowledge) return;
        for (const id of concurrentlyEditedEntries(doc, transaction, knowledge)) {
          const devices = concurrent.get(id) ?? new Set<DeviceId>();
          if (author !== undefined) devices.add(author);
          concurrent.set(id, devices);
        }
      };
      doc.on('update', capture);
      doc.on('afterTransaction', inspect);
      let changed = 0;
      try {
        for (const change of changes) {
          const before = added.length;
          // Into an empty document (a device's first sync), what the change adds is the change
          // itself: save its bytes rather than have Yjs encode them again for the event.
          const intoEmpty = doc.store.clients.size === 0;
          if (intoEmpty) doc.off('update', capture);
          try {
            author = change.author;
            let known: Map<number, number> | undefined;
            knowledge = () => {
              known ??= knowledgeOf(change.update, change.knowledge);
              return known;
            };
            Y.applyUpdate(doc, change.update, 'sync');
            const whole = doc.store.pendingStructs === null && doc.store.pendingDs === null;
            if (intoEmpty && doc.store.clients.size > 0) {
              added.push(whole ? change.update : Y.encodeStateAsUpdate(doc));
            }
          } catch {
            // Authentic (it was signed and sealed) yet unreadable: a faulty peer build. Skip it.
            malformed++;
          } finally {
            if (intoEmpty) doc.on('update', capture);
          }
          if (added.length > before) changed++;
        }
      } finally {
        doc.off('update', capture);
        doc.off('afterTransaction', inspect);
      }
      if (added.length > 0) {
        // Shown at once, saved next (this queue holds every later change until it is): another
        // device has these changes, so if saving fails the vault reloads what is saved and
        // sync brings them again.
        this.#emitChange('remote');
        // Merging costs about as much as the updates weigh (350 ms for a 2.7 MB first sync):
        // large batches are saved as they came, one row each.
        const bytes = added.reduce((sum, update) => sum + update.length, 0);
        if (added.length === 1 || bytes <= mergeBatchesUpTo) {
          await this.#persist(added.length === 1 ? added[0]! : Y.mergeUpdates(added));
        } else {
          for (const update of added) await this.#persist(update);
        }
      }
      if (concurrent.size > 0) {
        const at = this.#parts.clock();
        const self = this.#selfDeviceId;
        await this.#changeNow((_store, d) => {
          for (const [entryId, devices] of concurrent) {
            const existing = readReviews(d).find((mark) => mark.entryId === entryId);
            const all = new Set([...(existing?.devices ?? []), ...devices]);
            if (self) all.add(self);
            writeReview(d, { entryId, at, devices: [...all].sort() });
          }
        });
      }
      return { changed, malformed, concurrent: [...concurrent.keys()], devicesChanged };
    });
  }

  /** The whole document as one update: what a checkpoint carries to a new device. */
  encodeState(): Uint8Array {
    this.#assertOpen();
    return Y.encodeStateAsUpdate(this.#doc);
  }

  /** @internal The vault's key, for sync's derivations and for handing to an invited device. */
  get vaultKey(): VaultKey {
    this.#assertOpen();
    return this.#parts.key;
  }

  // ---------- devices, invitations and reviews (members.ts) ----------

  /** The devices that hold this vault, oldest first, removed ones included (marked). */
  devices(): DeviceRecord[] {
    this.#assertOpen();
    return readDevices(this.#doc);
  }

  /** Where `author` stands in the device list (a removed one: see `removalPoint`). */
  authorStatus(author: string): AuthorStatus {
    const status = authorStatus(this.#doc, author);
    // Until the device list arrives, the device that let us in is the one we trust, and the
    // devices it named in its answer; once the list names a device, the list decides.
    if (
      status === 'unknown' &&
      (author === this.#parts.introducedBy || this.#parts.introducedMembers?.includes(author))
    )
      return 'allowed';
    return status;
  }

  /**
   * Makes sure this device is in the vault's device list. A vault created here with an empty
   * list (new, or from before sync) gets this device as its first member; a vault joined by
   * invitation waits for the inviting device's record. Keeps the device's name current.
   */
  claimDevice(device: { id: DeviceId; name: string }, mayFound: boolean): Promise<AuthorStatus> {
    this.#selfDeviceId = device.id;
    return this.#mutate('adding this device to the vault', (_store, doc) => {
      const record = readDeviceRecord(doc, device.id);
      if (!record) {
        if (!mayFound || readDevices(doc).length > 0) return 'unknown';
        writeDevice(doc, {
          id: device.id,
          name: device.name,
          addedAt: this.#parts.clock(),
          addedBy: null,
        });
        return 'allowed';
      }
      if (record.revokedAfterSeq !== undefined) return 'revoked';
      if (record.name !== device.name) writeDevice(doc, { ...record, name: device.name });
      return 'allowed';
    });
  }

  /** Admits a device (an invitation was accepted). */
  addDevice(record: DeviceRecord): Promise<void> {
    return this.#mutate('adding a device', (_store, doc) => {
      const existing = readDeviceRecord(doc, record.id);
      if (existing && existing.revokedAfterSeq === undefined) return;
      writeDevice(doc, record);
    });
  }

  /**
   * For a removed device, the id (base64url) of its last envelope accepted before its removal,
   * or null if none; undefined if it is not removed.
   */
  removalPoint(author: string): string | null | undefined {
    this.#assertOpen();
    return removalPoint(this.#doc, author);
  }

  /**
   * Removes a device: of its envelopes, only `after.envelope` (the id of the last one accepted
   * from it here, null if none) and its ancestors in its chain are accepted by every device
   * from now on; `after.seq` is that envelope's seq, for display. It keeps what it already
   * had (docs/sync.md, "Removing a device").
   */
  revokeDevice(
    id: string,
    after: { readonly seq: number; readonly envelope: string | null },
    by: DeviceId,
  ): Promise<boolean> {
    return this.#mutate('removing a device', (_store, doc) => {
      const existing = readDeviceRecord(doc, id);
      if (!existing || existing.revokedAfterSeq !== undefined) return false;
      writeDevice(doc, {
        ...existing,
        revokedAfterSeq: after.seq,
        ...(after.envelope !== null ? { revokedAfterEnvelope: after.envelope } : {}),
        revokedAt: this.#parts.clock(),
        revokedBy: by,
      });
      return true;
    });
  }

  invites(): InviteRecord[] {
    this.#assertOpen();
    return readInvites(this.#doc);
  }

  invite(id: string): InviteRecord | undefined {
    this.#assertOpen();
    return readInviteRecord(this.#doc, id);
  }

  saveInvite(record: InviteRecord): Promise<void> {
    return this.#mutate('saving an invitation', (_store, doc) => writeInvite(doc, record));
  }

  removeInvite(id: string): Promise<boolean> {
    return this.#mutate('removing an invitation', (_store, doc) => deleteInvite(doc, id));
  }

  /** Entries marked for review after edits made apart, with their current names. */
  reviews(): EntryReview[] {
    this.#assertOpen();
    return readReviews(this.#doc)
      .map((mark) => ({ ...mark, name: this.#nameOf(mark.entryId) }))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  }

  #nameOf(entryId: EntryId): string | undefined {
    try {
      return this.#store.getById(entryId)?.name;
    } catch {
      // A malformed entry still has a review mark worth showing; its name is what is missing.
      return undefined;
    }
  }

  /** Clears the review mark of an entry (by name). Resolves true if there was one. */
  clearReview(name: string): Promise<boolean> {
    return this.#mutateEntries(`marking "${name}" as reviewed`, (store, doc) => {
      const entry = store.get(name);
      return entry ? deleteReview(doc, entry.id) : false;
    });
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

  /**
   * On close: after `onCloseRows` rows, so the next open is quick; and for a small vault after
   * any row, since re-sealing a few KiB costs nothing and leaves nothing but the state at rest.
   */
  #compactionDueOnClose(): boolean {
    const log = this.#log;
    if (log.rowsSinceSnapshot >= this.#parts.compaction.onCloseRows) return true;
    return (
      log.rowsSinceSnapshot > 0 &&
      log.snapshotBytes + log.bytesSinceSnapshot < this.#parts.compaction.onCloseSmallBytes
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

  /**
   * The entry as the app may see it: a write-only secret comes without its value. What UI code
   * reads, so that a write-only value never reaches it.
   */
  async visibleEntry(name: string): Promise<VisibleEntry | undefined> {
    this.#assertOpen();
    const entry = this.#store.get(name);
    if (entry?.kind !== 'secret' || !entry.writeOnly) return entry as VisibleEntry | undefined;
    const { value: _hidden, ...rest } = entry;
    return { ...rest, writeOnly: true };
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
    return this.#mutateEntries(`saving "${name}"`, (store) => {
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
    return this.#mutateEntries(`saving ${entries.length} entries`, (store) => {
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

  /**
   * Creates an entry; rejects with NameTakenError if the name is in use (`set` would replace
   * it), and otherwise like `set`.
   */
  create(
    name: string,
    value: JsonValue | ConnectionValue,
    options: SetOptions = {},
  ): Promise<EntrySummary> {
    return this.#mutateEntries(`creating "${name}"`, (store) =>
      store.set(
        name,
        {
          kind: options.kind ?? 'item',
          value,
          ...(options.writeOnly !== undefined ? { writeOnly: options.writeOnly } : {}),
        } as never,
        { mode: 'create' },
      ),
    );
  }

  /**
   * Changes an entry (by name, or `{ id }` so a rename elsewhere cannot redirect it) in one
   * change: any of its name, kind, write-only flag and value (see EntryChanges). Leaving out
   * the value keeps it, so no caller ever needs a write-only value it may not see. Rejects
   * like `set`, and with EntryNotFoundError; nothing changes on error.
   * @example
   * await vault.update({ id }, { name: 'STRIPE_KEY', writeOnly: true }); // value untouched
   */
  update(entry: string | { readonly id: EntryId }, changes: EntryChanges): Promise<EntrySummary> {
    const label = typeof entry === 'string' ? `"${entry}"` : `entry ${entry.id}`;
    return this.#mutateEntries(`changing ${label}`, (store) => {
      const id = typeof entry === 'string' ? store.get(entry)?.id : entry.id;
      if (id === undefined) throw new EntryNotFoundError({ name: entry as string });
      return store.update(id, changes);
    });
  }

  /** Renames an entry, keeping its value and identity. NameTakenError if the name is used. */
  rename(name: string, newName: string): Promise<void> {
    return this.#mutateEntries(`renaming "${name}"`, (store) => store.rename(name, newName));
  }

  /** Deletes an entry. Resolves true if there was one. */
  delete(name: string): Promise<boolean> {
    return this.#mutateEntries(`deleting "${name}"`, (store) => store.delete(name));
  }

  /** The vault's naming rule: 'default' or 'environment' (Kinesis-style UPPER_SNAKE). */
  async nameStyle(): Promise<NameStyle> {
    this.#assertOpen();
    return this.#store.nameStyle;
  }

  setNameStyle(style: NameStyle): Promise<void> {
    return this.#mutateEntries('changing the naming rule', (store) => {
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
        if (this.#closeReason || !this.#compactionDueOnClose()) return;
        // A tab waiting for the vault has already read it: compacting now would replace what it
        // read and make it read everything again. It compacts when its own writes call for it.
        if (await this.#parts.hasWaiters?.().catch(() => false)) return;
        await this.#compactNow().catch(() => undefined);
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
