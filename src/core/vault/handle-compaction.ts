/**
 * When an open vault folds its log into a snapshot (VaultHandle's compaction): after a write
 * that calls for it, on request (`compact`), and on close. A part of the handle, given its
 * state through `CompactionHost`; compaction.ts says when it is due.
 *
 * Nothing is compacted once the handle is closed or while stored records are damaged (they are
 * kept, so a device that has the missing changes can fill the gap). Failing to compact loses
 * nothing: the rows stay, and the next write tries again.
 */
import * as Y from 'yjs';
import type { UpdateLog } from '../storage';
import type { ChangeQueue } from './change-queue';
import { compactionDue, compactionDueOnClose } from './compaction';
import type { OffThreadSnapshots } from './off-thread-snapshots';
import type { VaultParts } from './vault-loader';

/** What compaction reads of the handle; the log and document change when the vault reloads. */
export interface CompactionHost {
  readonly queue: ChangeQueue;
  readonly snapshots: OffThreadSnapshots;
  readonly log: () => UpdateLog;
  readonly doc: () => Y.Doc;
  readonly closed: () => boolean;
  readonly damaged: () => boolean;
  /** Throws VaultClosedError once the handle is closed. */
  readonly assertOpen: () => void;
}

export class HandleCompaction {
  /** The policy, and whether another tab waits (closing then hands over without compacting). */
  readonly #parts: Pick<VaultParts, 'compaction' | 'hasWaiters'>;
  readonly #host: CompactionHost;

  constructor(parts: Pick<VaultParts, 'compaction' | 'hasWaiters'>, host: CompactionHost) {
    this.#parts = parts;
    this.#host = host;
  }

  /** Bytes the vault occupies in storage (snapshot plus rows since). */
  get storedBytes(): number {
    const log = this.#host.log();
    return log.snapshotBytes + log.bytesSinceSnapshot;
  }

  /** After a write has been stored: compacts soon if the log calls for it. */
  afterWrite(): void {
    if (compactionDue(this.#host.log(), this.#parts.compaction)) this.#soon();
  }

  /**
   * Folds the log into a snapshot without making the next write wait for it. With a snapshot
   * maker, the snapshot is encoded and sealed off the page's thread and only stored here; without
   * one, the state is encoded in the queue (where memory equals what is saved) after the write
   * that called for it has returned, and sealed and stored beside later writes.
   */
  #soon(): void {
    const { queue, snapshots } = this.#host;
    if (snapshots.makerFor(this.storedBytes)) {
      // Failing to compact loses nothing (the rows stay); the next write tries again.
      this.#start()?.catch(() => undefined);
      return;
    }
    queueMicrotask(() => {
      void queue.run(async () => {
        if (!compactionDue(this.#host.log(), this.#parts.compaction)) return;
        this.#start()?.catch(() => undefined);
      });
    });
  }

  /** Starts a compaction of what is stored; on the page, only from inside the queue. */
  #start(): Promise<void> | undefined {
    const { snapshots } = this.#host;
    if (this.#host.closed() || this.#host.damaged()) return undefined;
    const log = this.#host.log();
    const maker = snapshots.makerFor(this.storedBytes);
    if (maker) return log.compactWith(() => maker.make());
    const state = Y.encodeStateAsUpdate(this.#host.doc());
    snapshots.compactedOnPage(state, log.headSeq);
    return log.compact(state);
  }

  /** Compacts now (`handle.compact()`); resolves once the snapshot is stored. */
  async now(): Promise<void> {
    // Started in the queue (where memory equals what is saved), stored outside it, so writes
    // made meanwhile do not wait.
    // Wrapped, so the queue's task ends when the compaction has started, not when it is stored.
    const started = await this.#host.queue.run(async () => {
      this.#host.assertOpen();
      // One that is running may cover less than is stored now (see beforeClose).
      await this.#flush();
      return { stored: this.#start() };
    });
    await started.stored;
  }

  /** What closing does in the queue before the handle is marked closed: compacts if worthwhile. */
  async beforeClose(): Promise<void> {
    // A compaction a write started may still run, covering less than is stored now: let it
    // end, then judge what is left (asking while it runs would only join it).
    await this.#flush();
    if (this.#host.closed() || !compactionDueOnClose(this.#host.log(), this.#parts.compaction))
      return;
    // A tab waiting for the vault has already read it: compacting now would replace what it
    // read and make it read everything again. It compacts when its own writes call for it.
    if (await this.#parts.hasWaiters?.().catch(() => false)) return;
    await this.#start()?.catch(() => undefined);
  }

  /** Waits for a compaction that is storing; its failure loses nothing (the rows stay). */
  #flush(): Promise<unknown> {
    return this.#host
      .log()
      .flush()
      .catch(() => undefined);
  }
}
