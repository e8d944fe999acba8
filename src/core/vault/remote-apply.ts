/**
 * Applying verified changes from other devices to a vault's document: what each added, which
 * were malformed, which entries were edited here and there while apart, and whether the device
 * list changed. Saving what was added, and marking entries for review, is the handle's job.
 */
import * as Y from 'yjs';
import type { DeviceId, EntryId } from '../ids';
import { concurrentlyEditedEntries, knowledgeOf } from './concurrent-edits';
import type { RemoteChange } from './handle-types';
import { touchesDevices } from './members';

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
  let author: DeviceId | undefined;
  let devicesChanged = false;
  let malformed = 0;
  let changed = 0;
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
  return { added, changed, malformed, concurrent, devicesChanged };
}
