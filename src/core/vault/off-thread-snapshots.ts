/**
 * When a vault's snapshots are made off the page's thread (storage's SnapshotMaker, a Worker in
 * the app), and what the maker's replica is fed. The Worker starts only once a vault stores
 * `fromBytes` or more and a compaction is due: a small vault is encoded on the page in well
 * under a millisecond, and opening a vault, handing it over and a first sync do not pay for a
 * replica they may never use. Until then the stored updates are kept (references to buffers the
 * page already holds; after a compaction on the page, just its state) and handed over at start.
 */
import type { StorageKey } from '../crypto';
import type { SnapshotMaker, SnapshotMakerFactory } from '../storage';

export class OffThreadSnapshots {
  readonly #factory: SnapshotMakerFactory | undefined;
  readonly #vault: { readonly vaultId: string; readonly key: () => StorageKey };
  readonly #fromBytes: number;
  #maker: SnapshotMaker | undefined;
  #pending: Uint8Array[] = [];
  #head = 0;

  constructor(
    factory: SnapshotMakerFactory | undefined,
    vault: { readonly vaultId: string; readonly key: () => StorageKey },
    fromBytes: number,
  ) {
    this.#factory = factory;
    this.#vault = vault;
    this.#fromBytes = fromBytes;
  }

  /** Everything stored, as (re)loaded: any replica so far is dropped. */
  reset(updates: Uint8Array[], headSeq: number): void {
    this.close();
    if (!this.#factory) return;
    this.#pending = updates;
    this.#head = headSeq;
  }

  /** Updates just stored (saved here, or found from another holder), and the head after them. */
  stored(updates: readonly Uint8Array[], headSeq: number): void {
    if (this.#maker) this.#maker.stored(updates, headSeq);
    else if (this.#factory) {
      this.#pending.push(...updates);
      this.#head = headSeq;
    }
  }

  /** A compaction on the page stored `state` as of `headSeq`: it replaces what is kept. */
  compactedOnPage(state: Uint8Array, headSeq: number): void {
    if (this.#maker || !this.#factory) return;
    this.#pending = [state];
    this.#head = headSeq;
  }

  /** The maker for a vault that stores `bytes` now, started if it is time; else undefined. */
  makerFor(bytes: number): SnapshotMaker | undefined {
    if (this.#maker || !this.#factory || bytes < this.#fromBytes) return this.#maker;
    this.#maker = this.#factory({ vaultId: this.#vault.vaultId, key: this.#vault.key() });
    this.#maker.stored(this.#pending, this.#head);
    this.#pending = [];
    return this.#maker;
  }

  close(): void {
    this.#maker?.close();
    this.#maker = undefined;
    this.#pending = [];
  }
}
