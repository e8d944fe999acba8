/**
 * Snapshots made off the page's thread. Folding a vault's log means encoding its whole Yjs
 * document (85-125 ms at 10,000 entries) and sealing it (30-40 ms): on the page, the write that
 * arrives meanwhile waits that long. A snapshot maker keeps a replica of what is stored, fed
 * each stored update as it is saved, in a Worker, and makes the sealed snapshot there; the page
 * only stores it.
 *
 * Contract:
 * - `stored(updates, headSeq)`: updates as stored, in order (the loaded snapshot and rows at
 *   open, then every row saved or found), and the log's head seq once they are. Their buffers
 *   may be transferred: the caller no longer uses them.
 * - `make()`: the sealed snapshot of everything given so far and the seq it covers (the last
 *   `headSeq` given), or undefined if nothing was given. Sealed exactly as `VaultLog.compact`
 *   seals: storage key, `snapshotContext(vaultId, seq)`.
 * - `close()`: ends the replica; a `make()` still running rejects.
 */
import type { StorageKey } from '../crypto';

export interface SnapshotMaker {
  stored(updates: readonly Uint8Array[], headSeq: number): void;
  make(): Promise<{ readonly seq: number; readonly bytes: Uint8Array } | undefined>;
  close(): void;
}

/** Makes a snapshot maker for one open vault (the app passes one backed by a Worker). */
export type SnapshotMakerFactory = (vault: {
  readonly vaultId: string;
  readonly key: StorageKey;
}) => SnapshotMaker;

/** The messages of the snapshot Worker (snapshot-worker.ts). */
export type SnapshotWorkerRequest =
  | { readonly type: 'init'; readonly vaultId: string; readonly key: Uint8Array }
  | { readonly type: 'stored'; readonly updates: Uint8Array[]; readonly headSeq: number }
  | { readonly type: 'make'; readonly id: number };

export type SnapshotWorkerReply =
  | { readonly id: number; readonly seq: number; readonly bytes: Uint8Array | null }
  | { readonly id: number; readonly error: string };

/** What `createWorkerSnapshotMaker` needs of a Worker (a test passes an in-process twin). */
export interface WorkerLike {
  postMessage(message: SnapshotWorkerRequest, transfer?: Transferable[]): void;
  addEventListener(
    type: 'message',
    listener: (event: MessageEvent<SnapshotWorkerReply>) => void,
  ): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

/**
 * A SnapshotMakerFactory that runs each vault's replica in its own Worker from `spawn`.
 * @example
 * const snapshots = createWorkerSnapshotMaker(() => new Worker(url, { type: 'module' }));
 */
export function createWorkerSnapshotMaker(spawn: () => WorkerLike): SnapshotMakerFactory {
  return ({ vaultId, key }) => {
    const worker = spawn();
    const waiting = new Map<
      number,
      { resolve: (value: SnapshotWorkerReply) => void; reject: (error: Error) => void }
    >();
    let next = 0;
    let closed = false;
    const failAll = (error: Error) => {
      for (const { reject } of waiting.values()) reject(error);
      waiting.clear();
    };
    worker.addEventListener('message', (event) => {
      const pending = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      pending?.resolve(event.data);
    });
    worker.addEventListener('error', () => failAll(new Error('the snapshot worker failed')));
    // The key is copied into the Worker, as the KDF Worker gets the passphrase: same origin,
    // same process, gone when the vault closes.
    worker.postMessage({ type: 'init', vaultId, key: key.slice() });
    return {
      stored(updates, headSeq) {
        if (closed) return;
        const copies = updates.map((update) => update.slice());
        worker.postMessage(
          { type: 'stored', updates: copies, headSeq },
          copies.map((copy) => copy.buffer),
        );
      },
      make() {
        if (closed) return Promise.reject(new Error('the snapshot maker is closed'));
        const id = next++;
        return new Promise<SnapshotWorkerReply>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          worker.postMessage({ type: 'make', id });
        }).then((reply) => {
          if ('error' in reply) throw new Error(`the snapshot worker failed: ${reply.error}`);
          return reply.bytes ? { seq: reply.seq, bytes: reply.bytes } : undefined;
        });
      },
      close() {
        if (closed) return;
        closed = true;
        failAll(new Error('the snapshot maker is closed'));
        worker.terminate();
      },
    };
  };
}
