/**
 * The full handle of an open vault, inside core: lifecycle and lease, the change queue, entry
 * reads and writes, remote changes from sync, and `members`. The UI and hooks never hold one:
 * they get a `Vault` (vault.ts), which has no key and no way to inject remote changes.
 *
 * The parts it is built from: vault-loader.ts (reading the vault), change-queue.ts (one change
 * at a time), handle-compaction.ts over compaction.ts (when and how to fold the log),
 * remote-apply.ts (what a peer's changes did), handle-parts.ts (`members`, `audit`, `team`),
 * local-change.ts (what a local change made).
 */
import * as Y from 'yjs';
import { deriveSubkey, type VaultKey } from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import { createListeners } from '../listeners';
import type { CorruptDataError, UpdateLog, VaultLogOptions } from '../storage';
import type { VaultAudit } from './audit-store';
import { ChangeQueue } from './change-queue';
import type { EntryStore } from './entry-model';
import { EntryOperations } from './entry-operations';
import { HandleCompaction } from './handle-compaction';
import { VaultClosedError, type VaultCloseReason, VaultDamagedError } from './handle-errors';
import { documentParts } from './handle-parts';
import type { ChangeOrigin, LocalChange, RemoteApplyResult, RemoteChange } from './handle-types';
import { captureLocalChange } from './local-change';
import { OffThreadSnapshots } from './off-thread-snapshots';
import { applyAndSave } from './remote-apply';
import type { VaultTeam } from './team-log';
import { rootsTouchedBy, type UpdateRoots } from './update-roots';
import { loadVault, type PreparedVault, type VaultParts } from './vault-loader';
import type { VaultMembers } from './vault-members';

let keyOf: (handle: VaultHandle) => VaultKey;

/**
 * The vault's key, for sync's derivations and for handing to an invited device. Core only:
 * the architecture test keeps src/ui and src/app from importing it.
 */
export function vaultKeyOf(handle: VaultHandle): VaultKey {
  return keyOf(handle);
}

/** Checks of what this device's member may do; each throws TeamPermissionError if not. */
export interface EntryPermissions {
  write(): void;
  useWriteOnly(): void;
}

/**
 * An open vault: the one opener's view of it, across every tab of the browser.
 *
 * Reads come from the decrypted document in memory; every change is one encrypted row,
 * durable when its promise resolves. Close it when done (or use `await using`), so a waiting
 * tab can open it.
 */
export class VaultHandle extends EntryOperations implements AsyncDisposable {
  static {
    keyOf = (handle) => {
      handle.#assertOpen();
      return handle.#parts.key;
    };
  }

  #doc!: Y.Doc;
  #store!: EntryStore;
  #log!: UpdateLog;
  #damaged: CorruptDataError[] = [];
  #closeReason: VaultCloseReason | undefined;
  #damageAccepted = false;
  /** Snapshots made off the page's thread, once the vault is big enough (VaultParts.snapshots). */
  readonly #snapshots: OffThreadSnapshots;
  readonly #queue = new ChangeQueue();
  readonly #compaction: HandleCompaction;
  readonly #closeListeners = createListeners<VaultCloseReason>('vault close');
  readonly #localChangeListeners = createListeners<LocalChange>('local vault change');
  readonly #changeListeners = createListeners<ChangeOrigin>('vault change');
  #selfDeviceId: DeviceId | undefined;
  #permissions: EntryPermissions | undefined;
  readonly #parts: VaultParts;
  /** The devices that hold the vault and its invitations. */
  readonly members: VaultMembers;
  /** The vault's audit records (docs/audit.md, "In the app"). */
  readonly audit: VaultAudit;
  /** The membership log and the team state derived from it. */
  readonly team: VaultTeam;

  private constructor(parts: VaultParts) {
    super();
    this.#parts = parts;
    this.#selfDeviceId = parts.deviceId;
    this.#snapshots = new OffThreadSnapshots(
      parts.snapshots,
      { vaultId: parts.vaultId, key: () => deriveSubkey(parts.key, 'storage') },
      parts.compaction.offThreadFromBytes,
    );
    this.#compaction = new HandleCompaction(parts, {
      queue: this.#queue,
      snapshots: this.#snapshots,
      log: () => this.#log,
      doc: () => this.#doc,
      closed: () => this.#closeReason !== undefined,
      damaged: () => this.#damaged.length > 0,
      assertOpen: () => this.#assertOpen(),
    });
    const views = documentParts(parts, {
      doc: () => this.#doc,
      assertOpen: () => this.#assertOpen(),
      mutate: (change) => this.#mutate((_store, doc) => change(doc)),
      self: () => this.#selfDeviceId,
      setSelf: (id) => {
        this.#selfDeviceId = id;
        this.#store.author = id;
      },
    });
    this.members = views.members;
    this.audit = views.audit;
    this.team = views.team;
    void parts.lease.lost.then((reason) => {
      if (reason === 'stolen') this.#markClosed('taken-over');
    });
  }

  /** @internal Opened by Session.openVault, which holds the lease already. */
  static async open(parts: VaultParts, prepared?: Promise<PreparedVault>): Promise<VaultHandle> {
    const handle = new VaultHandle(parts);
    handle.#adopt(await loadVault(parts, handle.#logCallbacks(), prepared));
    return handle;
  }

  /** The vault's id (opaque, stable across renames). */
  get id(): VaultId {
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
        this.#snapshots.stored(updates, this.#log.headSeq);
        this.#changeListeners.emit('storage');
      },
    };
  }

  #adopt(loaded: PreparedVault): void {
    this.#snapshots.reset(loaded.storedUpdates.splice(0), loaded.log.headSeq);
    this.#log = loaded.log;
    this.#damaged = loaded.damaged;
    this.#doc = loaded.doc;
    this.#store = loaded.store;
    // A store read ahead of the lock has no author yet (docs/history.md).
    this.#store.author = this.#selfDeviceId ?? '';
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
  #mutate<T>(change: (store: EntryStore, doc: Y.Doc) => T): Promise<T> {
    return this.#queue.run(async () => {
      this.#assertOpen();
      return this.#changeNow(change);
    });
  }

  /**
   * What this device's member may do here, as sync judges it from the team state (unset: a
   * vault without a team, or not synced, where this profile may do everything). Entry writes
   * and uses of write-only values ask it first, so a viewer's edit is refused here rather
   * than written and then refused by every other device.
   */
  setPermissions(permissions: EntryPermissions | undefined): void {
    this.#permissions = permissions;
  }

  protected override checkWriteOnlyUse(): void {
    this.#permissions?.useWriteOnly();
  }

  protected override now(): number {
    return this.#parts.clock();
  }

  protected override read<T>(read: (store: EntryStore, doc: Y.Doc) => T): T {
    this.#assertOpen();
    return read(this.#store, this.#doc);
  }

  /** `#mutate` for changes to entries: held back while the vault has unaccepted damage. */
  protected override writeEntries<T>(change: (store: EntryStore, doc: Y.Doc) => T): Promise<T> {
    return this.#queue.run(async () => {
      this.#assertOpen();
      this.#permissions?.write();
      if (this.writesHeld) {
        throw new VaultDamagedError(
          this.#parts.vaultName,
          this.#damaged.map((error) => error.record),
        );
      }
      return this.#changeNow(change);
    });
  }

  /** Applies a local change and saves it; only ever called from inside the queue. */
  async #changeNow<T>(change: (store: EntryStore, doc: Y.Doc) => T): Promise<T> {
    const doc = this.#doc;
    if (this.#parts.staged) {
      // Nothing is logged: the whole document is stored once staging ends (VaultParts.staged).
      const result = change(this.#store, doc);
      this.#changeListeners.emit('local');
      return result;
    }
    const { result, update, knowledge } = captureLocalChange(doc, () => change(this.#store, doc));
    if (!update) return result;
    await this.#persist([update]);
    this.#localChangeListeners.emit({ update, knowledge });
    this.#changeListeners.emit('local');
    return result;
  }

  /**
   * Saves updates already applied in memory, together; on failure, memory goes back to what
   * is saved.
   */
  async #persist(updates: readonly Uint8Array[]): Promise<void> {
    try {
      await this.#log.appendAll(updates);
    } catch (error) {
      // Keep memory equal to what is on disk: the change did not happen.
      await this.#reload();
      this.#changeListeners.emit('storage');
      if (this.#closeReason) throw new VaultClosedError(this.#parts.vaultName, this.#closeReason);
      throw error;
    }
    this.#snapshots.stored(updates, this.#log.headSeq);
    this.#compaction.afterWrite();
  }

  /**
   * Applies verified changes from other devices and saves what they add, in one row. Entries
   * that were edited here and there while apart are marked for review (a change of our own,
   * which sync sends on). Rejects like `set` if the change cannot be saved; memory then goes
   * back to what is saved, and the caller may offer the changes again later.
   */
  applyRemote(changes: readonly RemoteChange[]): Promise<RemoteApplyResult> {
    return this.#queue.run(async () => {
      this.#assertOpen();
      return applyAndSave(this.#doc, changes, {
        // Shown at once, saved next (this queue holds every later change until it is): another
        // device has these changes, so if saving fails the vault reloads what is saved and
        // sync brings them again.
        shown: () => this.#changeListeners.emit('remote'),
        yieldToViews: () => new Promise((resolve) => setTimeout(resolve, 0)),
        persist: (updates) => this.#persist(updates),
        markForReview: (mark) => this.#changeNow((_store, doc) => mark(doc)),
        now: () => this.#parts.clock(),
        self: this.#selfDeviceId,
      });
    });
  }

  /**
   * The root maps of the document that `update` would change if applied now (only what it
   * adds here counts): what sync judges a viewer's envelope by before applying it.
   */
  rootsTouchedBy(update: Uint8Array): UpdateRoots {
    this.#assertOpen();
    return rootsTouchedBy(this.#doc, update);
  }

  /** The whole document as one update: what a checkpoint carries to a new device. */
  encodeState(): Uint8Array {
    this.#assertOpen();
    return Y.encodeStateAsUpdate(this.#doc);
  }

  async #reload(): Promise<void> {
    const previousDoc = this.#doc;
    const previousStore = this.#store;
    this.#adopt(await loadVault(this.#parts, this.#logCallbacks()));
    previousStore.dispose();
    previousDoc.destroy();
  }

  /** Compacts the log into a snapshot now (normally automatic); resolves once it is stored. */
  compact(): Promise<void> {
    return this.#compaction.now();
  }

  /** Bytes this vault occupies in storage (snapshot plus rows since), for tests and settings. */
  get storedBytes(): number {
    return this.#compaction.storedBytes;
  }

  /**
   * Closes the vault: waits for pending writes, compacts if worthwhile, releases the lock so a
   * waiting tab gets it. Safe to call more than once.
   */
  async close(): Promise<void> {
    await this.closeWith('closed');
  }

  /** @internal `close`, with the reason the handle gives (Session.lock uses 'profile-locked'). */
  async closeWith(reason: VaultCloseReason): Promise<void> {
    if (!this.#closeReason) {
      // Compacts first if worthwhile (handle-compaction.ts), in the queue after pending writes.
      await this.#queue.run(() => this.#compaction.beforeClose());
      this.#markClosed(reason);
    }
    await this.#queue.idle();
    // A compaction started by a write may still be storing: the lock is released after it.
    await this.#log.flush().catch(() => undefined);
    this.#snapshots.close();
    await this.#parts.lease.release();
    this.#store.dispose();
    this.#doc.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
