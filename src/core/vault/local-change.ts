/**
 * What one local change did to a vault's document: the update it made (merged into one when
 * Yjs emitted several), and what the document knew before it (the state vector sync sends with
 * the change). Updates applied from storage or sync during the change are not its own.
 */
import * as Y from 'yjs';

export interface CapturedChange<T> {
  readonly result: T;
  /** Undefined when the change changed nothing: nothing to save. */
  readonly update: Uint8Array | undefined;
  readonly knowledge: Uint8Array;
}

/** Runs `change` (which edits `doc`) and captures the update it made locally. */
export function captureLocalChange<T>(doc: Y.Doc, change: () => T): CapturedChange<T> {
  const updates: Uint8Array[] = [];
  const capture = (update: Uint8Array, origin: unknown) => {
    if (origin !== 'storage' && origin !== 'sync') updates.push(update);
  };
  const knowledge = Y.encodeStateVector(doc);
  doc.on('update', capture);
  let result: T;
  try {
    result = change();
  } finally {
    doc.off('update', capture);
  }
  if (updates.length === 0) return { result, update: undefined, knowledge };
  const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
  return { result, update, knowledge };
}
