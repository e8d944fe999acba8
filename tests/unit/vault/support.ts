import * as Y from 'yjs';
import { createEntryStore, type EntryStore } from '../../../src/core/vault/entry-model';

/** A canary: planted in values, it must never show up in an error. */
export const canary = 'CANARY-4f1e9b-secret';

/** Asserts that `error` does not carry `secret` in any form it could be logged in. */
export function expectNoLeak(error: unknown, secret = canary): void {
  const forms = [
    String(error),
    JSON.stringify(error),
    error instanceof Error ? error.message : '',
    error instanceof Error ? (error.stack ?? '') : '',
    JSON.stringify(Object.entries(error as object)),
  ];
  for (const form of forms) {
    if (form.includes(secret)) throw new Error(`the secret leaked into: ${form.slice(0, 200)}`);
  }
}

/** Runs `fn`, expects it to throw, and returns the error. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}

export interface Replica {
  readonly doc: Y.Doc;
  readonly store: EntryStore;
  /** Sets the replica's clock. */
  at(time: number): Replica;
}

/**
 * A store over a fresh (or given) document, with a settable clock and ids `<prefix>00000001`,
 * `<prefix>00000002`, ... The clientID is fixed when given, so Yjs's tie-breaks are known.
 */
export function replica(
  options: { prefix?: string; clientID?: number; time?: number; from?: Y.Doc } = {},
): Replica {
  const doc = new Y.Doc();
  if (options.clientID !== undefined) doc.clientID = options.clientID;
  if (options.from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(options.from), 'remote');
  let time = options.time ?? 1_000;
  let counter = 0;
  const prefix = options.prefix ?? 'id';
  const store = createEntryStore(doc, {
    clock: () => time,
    newId: () => `${prefix}${String(++counter).padStart(8, '0')}`,
  });
  const self: Replica = {
    doc,
    store,
    at(next: number) {
      time = next;
      return self;
    },
  };
  return self;
}

/** Sends `from`'s changes that `to` lacks. */
export function send(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
}

/** The updates `fn` makes on `doc`, one per transaction. */
export function updatesOf(doc: Y.Doc, fn: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listener = (update: Uint8Array) => updates.push(update);
  doc.on('update', listener);
  try {
    fn();
  } finally {
    doc.off('update', listener);
  }
  return updates;
}

/** Everything a store shows, for comparing replicas: list, every value (or its error), duplicates. */
export function contents(store: EntryStore): unknown {
  return {
    list: store.list(),
    values: store.list().map((summary) => {
      try {
        return store.get(summary.name);
      } catch (error) {
        return { error: (error as Error).name };
      }
    }),
    duplicates: store.duplicates(),
    nameStyle: store.nameStyle,
  };
}
