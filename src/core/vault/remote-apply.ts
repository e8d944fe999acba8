/**
 * Applying verified changes from other devices to a vault's document: what each added, which
 * were malformed, which entries were edited here and there while apart, and whether the device
 * list changed. Saving what was added, and marking entries for review, is the handle's job.
 */
import * as Y from 'yjs';
import type { DeviceId, EntryId } from '../ids';
import { concurrentlyEditedEntries, knowledgeOf } from './concurrent-edits';
import type { RemoteApplyResult, RemoteChange } from './handle-types';
import { readReviews, touchesDevices, writeReview } from './members';
import { updateExtentOf } from './update-news';

export interface AppliedRemote {
  /** The updates that added something new here, in order: what to save. */
  readonly added: readonly Uint8Array[];
  readonly changed: number;
  readonly malformed: number;
  /** Entries edited concurrently, with the devices whose changes met ours. */
  readonly concurrent: ReadonlyMap<EntryId, ReadonlySet<DeviceId>>;
  readonly devicesChanged: boolean;
}

/** Applies `changes` to `doc` with origin 'sync', in order; an unreadable one is skipped. */
export function applyRemoteChanges(doc: Y.Doc, changes: readonly RemoteChange[]): AppliedRemote {
  const added: Uint8Array[] = [];
  const concurrent = new Map<EntryId, Set<DeviceId>>();
  let knowledge: (() => Map<number, number>) | undefined;
  /** Whether the change being applied found the document empty: nothing here to conflict with. */
  let intoEmpty = false;
  let author: DeviceId | undefined;
  let devicesChanged = false;
  let malformed = 0;
  let changed = 0;
  const capture = (update: Uint8Array, origin: unknown) => {
    if (origin === 'sync') added.push(update);
  };
  /** Whether the last 'sync' transaction changed the document (as Yjs decides to emit 'update'). */
  let addedSomething = false;
  const inspect = (transaction: Y.Transaction) => {
    if (transaction.origin !== 'sync') return;
    if (transaction.deleteSet.clients.size > 0 || grew(transaction)) addedSomething = true;
    if (touchesDevices(transaction, doc)) devicesChanged = true;
    if (!knowledge || intoEmpty) return;
    for (const id of concurrentlyEditedEntries(doc, transaction, knowledge)) {
      const devices = concurrent.get(id) ?? new Set<DeviceId>();
      if (author !== undefined) devices.add(author);
      concurrent.set(id, devices);
    }
  };
  doc.on('update', capture);
  doc.on('afterTransaction', inspect);
  try {
    for (const change of changes) {
      const before = added.length;
      // Into an empty document (a device's first sync), what the change adds is the change
      // itself: save its bytes rather than have Yjs encode them again for the event. The same
      // for a change that is (almost) all new here (savedAsItCame).
      intoEmpty = doc.store.clients.size === 0;
      const asItCame = !intoEmpty && savedAsItCame(doc, change.update);
      if (intoEmpty || asItCame) doc.off('update', capture);
      const stateBefore = asItCame ? Y.encodeStateVector(doc) : undefined;
      try {
        author = change.author;
        let known: Map<number, number> | undefined;
        knowledge = () => {
          known ??= knowledgeOf(change.update, change.knowledge);
          return known;
        };
        addedSomething = false;
        Y.applyUpdate(doc, change.update, 'sync');
        const whole = doc.store.pendingStructs === null && doc.store.pendingDs === null;
        if (intoEmpty && doc.store.clients.size > 0) {
          added.push(whole ? change.update : Y.encodeStateAsUpdate(doc));
        } else if (asItCame && addedSomething) {
          added.push(whole ? change.update : Y.encodeStateAsUpdate(doc, stateBefore));
        }
      } catch {
        // Authentic (it was signed and sealed) yet unreadable: a faulty peer build. Skip it.
        malformed++;
      } finally {
        if (intoEmpty || asItCame) doc.on('update', capture);
      }
      if (added.length > before) changed++;
    }
  } finally {
    doc.off('update', capture);
    doc.off('afterTransaction', inspect);
  }
  return { added, changed, malformed, concurrent, devicesChanged };
}

/** Whether the transaction added structs (its state vector moved). */
function grew(transaction: Y.Transaction): boolean {
  for (const [client, clock] of transaction.afterState)
    if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

/**
 * Whether a change is saved as it came rather than as Yjs encodes what it added: when sync's
 * checks already decoded it (update-news.ts) and found it builds on this document's state with
 * at most a quarter of its clocks known here. Encoding what a large change added costs about as
 * much as applying it (1.4 s of a 10,000-entry first open in a Chromium profile); the known
 * part saved again is a few redundant bytes that the next compaction folds away.
 */
function savedAsItCame(doc: Y.Doc, update: Uint8Array): boolean {
  const extent = updateExtentOf(update);
  if (!extent || doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false;
  let total = 0;
  let known = 0;
  for (const [client, { from, to }] of extent) {
    const state = Y.getState(doc.store, client);
    // A gap: Yjs would hold the change back; leave it to the event.
    if (from > state) return false;
    total += to - from;
    known += Math.min(to, state) - from;
  }
  return known * 4 <= total;
}

/** Changes received together are merged into one saved row up to this many bytes. */
const mergeBatchesUpTo = 64 * 1024;

/**
 * The rows to save for what remote changes added: one merged row for a small batch; for a
 * large one, each as it came (merging costs about as much as the updates weigh: 350 ms for a
 * 2.7 MB first sync).
 */
export function rowsToSave(added: readonly Uint8Array[]): readonly Uint8Array[] {
  if (added.length <= 1) return added;
  const bytes = added.reduce((sum, update) => sum + update.length, 0);
  return bytes <= mergeBatchesUpTo ? [Y.mergeUpdates([...added])] : added;
}

/**
 * Marks entries edited here and there while apart for review, naming the devices involved
 * (this one too, if known) beside those of an earlier mark.
 */
export function markForReview(
  doc: Y.Doc,
  concurrent: ReadonlyMap<EntryId, ReadonlySet<DeviceId>>,
  at: number,
  self: DeviceId | undefined,
): void {
  for (const [entryId, devices] of concurrent) {
    const existing = readReviews(doc).find((mark) => mark.entryId === entryId);
    const all = new Set([...(existing?.devices ?? []), ...devices]);
    if (self) all.add(self);
    writeReview(doc, { entryId, at, devices: [...all].sort() });
  }
}

/**
 * A batch at least this big is shown before it is saved, a turn of the event loop apart: a
 * small one (an edit) is saved at once, since sealing it costs less than the wait.
 */
export const yieldBeforeSavingBytes = 64 * 1024;

function byteLengthOf(rows: readonly Uint8Array[]): number {
  let total = 0;
  for (const row of rows) total += row.length;
  return total;
}

/** What `applyAndSave` needs from the handle, inside its change queue. */
export interface RemoteSaveHost {
  /** Tells the views that the document changed (before it is saved). */
  shown(): void;
  /**
   * Resolves on a later turn of the event loop (a macrotask), so that views told by `shown`
   * can read the change before a large batch is sealed and saved, which holds the page's
   * thread for a while (about 0.1 s for a 3 MB first sync).
   */
  yieldToViews(): Promise<void>;
  /** Saves rows together; on failure memory goes back to what is saved, and it rejects. */
  persist(rows: readonly Uint8Array[]): Promise<void>;
  /** Makes `mark` a change of this device's own, saved like any. */
  markForReview(mark: (doc: Y.Doc) => void): Promise<unknown>;
  now(): number;
  readonly self: DeviceId | undefined;
}

/**
 * Applies verified changes from other devices, saves what they add (one row for a small batch),
 * and marks entries edited here and there while apart for review.
 */
export async function applyAndSave(
  doc: Y.Doc,
  changes: readonly RemoteChange[],
  host: RemoteSaveHost,
): Promise<RemoteApplyResult> {
  const applied = applyRemoteChanges(doc, changes);
  const { added, concurrent } = applied;
  if (added.length > 0) {
    host.shown();
    const rows = rowsToSave(added);
    if (byteLengthOf(rows) >= yieldBeforeSavingBytes) await host.yieldToViews();
    await host.persist(rows);
  }
  if (concurrent.size > 0) {
    const at = host.now();
    await host.markForReview((d) => markForReview(d, concurrent, at, host.self));
  }
  return {
    changed: applied.changed,
    malformed: applied.malformed,
    concurrent: [...concurrent.keys()],
    devicesChanged: applied.devicesChanged,
  };
}
