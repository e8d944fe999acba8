/**
 * The replica a snapshot Worker keeps (snapshot-worker.ts is its Worker wiring): one vault's
 * stored state, which seals a snapshot of itself on request. Its document collects garbage like
 * the page's, so the snapshot is the one the page would have made.
 */
import * as Y from 'yjs';
import { asKey, type StorageKey, seal } from '../crypto';
import { snapshotContext } from './contexts';
import type { SnapshotWorkerReply, SnapshotWorkerRequest } from './snapshot-maker';

/** Handles one request; returns the reply to post (with its transferable buffer), if any. */
export type SnapshotReplica = (
  request: SnapshotWorkerRequest,
) => { readonly reply: SnapshotWorkerReply; readonly transfer: Transferable[] } | undefined;

export function createSnapshotReplica(): SnapshotReplica {
  const doc = new Y.Doc({ gc: true });
  let vaultId = '';
  let key: StorageKey | undefined;
  let headSeq = 0;
  let given = false;
  return (request) => {
    if (request.type === 'init') {
      vaultId = request.vaultId;
      key = asKey(request.key, 'storage');
      return undefined;
    }
    if (request.type === 'stored') {
      Y.transact(doc, () => {
        for (const update of request.updates) {
          try {
            Y.applyUpdate(doc, update);
          } catch {
            // Unreadable on the page too (reported there as damage); the replica skips it alike.
          }
        }
      });
      headSeq = request.headSeq;
      given = true;
      return undefined;
    }
    try {
      if (!key) throw new Error('no key yet');
      if (!given) return { reply: { id: request.id, seq: 0, bytes: null }, transfer: [] };
      const bytes = seal(key, Y.encodeStateAsUpdate(doc), snapshotContext(vaultId, headSeq));
      return { reply: { id: request.id, seq: headSeq, bytes }, transfer: [bytes.buffer] };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'unknown';
      return { reply: { id: request.id, error: name }, transfer: [] };
    }
  };
}
