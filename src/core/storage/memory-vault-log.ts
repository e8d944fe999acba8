/**
 * Where a memory-only vault's document lives (docs/data-model.md, "Memory-only vaults"): its
 * Yjs updates in plain bytes, in the memory of the unlocked session, never in IndexedDB.
 *
 * - `MemoryVaultStore` is one session's: every memory-only vault's updates, by vault id. It
 *   outlives the vault's handles (closing and opening the vault again in the same session
 *   keeps its content) and is cleared, bytes zeroed, when the profile locks.
 * - `MemoryVaultLog` is the UpdateLog a handle uses for such a vault: the same calls as
 *   VaultLog, over the store. Appending keeps the update; compacting replaces what is kept with
 *   the state. Nothing is sealed: the bytes never leave memory.
 */
import { open, type StorageKey } from '../crypto';
import { snapshotContext } from './contexts';
import type { LoadedLog, LogRefresh, UpdateLog, VaultLogOptions } from './vault-log';
import { LogClosedError } from './vault-log';

interface Kept {
  /** The updates in order: the compacted state (if compacted) first, then each later update. */
  updates: Uint8Array[];
  /** How many of `updates` came before the last compaction (0 or 1: the state). */
  compacted: number;
  /** Bumped by every compaction (and replacement), so a log that read before it reads again. */
  generation: number;
  /** Sequence number of the last update, counting from the vault's first write in memory. */
  head: number;
}

/** Every memory-only vault's document bytes, for one unlocked session. */
export class MemoryVaultStore {
  readonly #vaults = new Map<string, Kept>();
  #cleared = false;

  /** True once `clear()` ran (the profile locked): nothing is kept any more. */
  get cleared(): boolean {
    return this.#cleared;
  }

  #kept(vaultId: string): Kept {
    let kept = this.#vaults.get(vaultId);
    if (!kept) {
      kept = { updates: [], compacted: 0, generation: 0, head: 0 };
      // After clear(), reads see an empty vault and nothing is kept again.
      if (!this.#cleared) this.#vaults.set(vaultId, kept);
    }
    return kept;
  }

  /** @internal What MemoryVaultLog reads; the arrays are the store's own: copy before keeping. */
  snapshot(vaultId: string): Readonly<Kept> {
    return this.#kept(vaultId);
  }

  /** Copies of the updates kept for a vault, in order (empty for one never filled). */
  read(vaultId: string): Uint8Array[] {
    return this.#kept(vaultId).updates.map((update) => update.slice());
  }

  /** True if anything is kept for the vault. */
  has(vaultId: string): boolean {
    return (this.#vaults.get(vaultId)?.updates.length ?? 0) > 0;
  }

  /** @internal Keeps one more update (a copy); returns its sequence number. */
  append(vaultId: string, update: Uint8Array): number {
    const kept = this.#kept(vaultId);
    kept.updates.push(update.slice());
    kept.head += 1;
    return kept.head;
  }

  /**
   * Replaces what is kept for a vault with `state` (a copy), the whole document: a compaction,
   * or a vault moved here from storage. The old bytes are zeroed.
   */
  replace(vaultId: string, state: Uint8Array): void {
    const kept = this.#kept(vaultId);
    for (const update of kept.updates) update.fill(0);
    kept.updates = [state.slice()];
    kept.compacted = 1;
    kept.generation += 1;
  }

  /** Forgets a vault, zeroing its bytes (it was moved back to storage, or deleted). */
  drop(vaultId: string): void {
    const kept = this.#vaults.get(vaultId);
    if (!kept) return;
    for (const update of kept.updates) update.fill(0);
    kept.updates = [];
    kept.generation += 1;
    this.#vaults.delete(vaultId);
  }

  /** Forgets every vault, zeroing the bytes; from now on nothing is kept (the profile locked). */
  clear(): void {
    for (const vaultId of [...this.#vaults.keys()]) this.drop(vaultId);
    this.#cleared = true;
  }
}

export interface MemoryVaultLogOptions
  extends Pick<VaultLogOptions, 'vaultId' | 'onExternalUpdates' | 'mayWrite'> {
  readonly store: MemoryVaultStore;
  /**
   * The vault's storage key, only to open a snapshot sealed elsewhere (`compactWith`, a
   * SnapshotMaker's output); nothing is sealed here.
   */
  readonly key?: StorageKey;
}

const sizeOf = (updates: readonly Uint8Array[]) =>
  updates.reduce((sum, update) => sum + update.length, 0);

/** A memory-only vault's log: VaultLog's calls over a MemoryVaultStore. */
export class MemoryVaultLog implements UpdateLog {
  #options: MemoryVaultLogOptions;
  /** How many of the store's updates this log has read or written. */
  #seen: number;
  #generation: number;

  private constructor(options: MemoryVaultLogOptions, seen: number, generation: number) {
    this.#options = options;
    this.#seen = seen;
    this.#generation = generation;
  }

  /** Reads what the store keeps for the vault (copies, so zeroing the store spares the doc). */
  static load(options: MemoryVaultLogOptions): { log: MemoryVaultLog; loaded: LoadedLog } {
    const kept = options.store.snapshot(options.vaultId);
    const updates = kept.updates.map((update) => update.slice());
    const log = new MemoryVaultLog(options, updates.length, kept.generation);
    const loaded: LoadedLog = {
      updates,
      damaged: [],
      headSeq: kept.head,
      snapshotSeq: 0,
      storedBytes: sizeOf(updates),
    };
    return { log, loaded };
  }

  get #kept() {
    return this.#options.store.snapshot(this.#options.vaultId);
  }

  get headSeq(): number {
    return this.#kept.head;
  }

  get rowsSinceSnapshot(): number {
    const kept = this.#kept;
    return kept.updates.length - kept.compacted;
  }

  get bytesSinceSnapshot(): number {
    const kept = this.#kept;
    return sizeOf(kept.updates.slice(kept.compacted));
  }

  get snapshotBytes(): number {
    const kept = this.#kept;
    return sizeOf(kept.updates.slice(0, kept.compacted));
  }

  attach(callbacks: Pick<VaultLogOptions, 'onExternalUpdates' | 'mayWrite'>): void {
    this.#options = { ...this.#options, ...callbacks };
  }

  #assertMayWrite(): void {
    const { mayWrite, store, vaultId } = this.#options;
    if ((mayWrite && !mayWrite()) || store.cleared) throw new LogClosedError(vaultId);
  }

  /** What was kept since this log read (another handle of this session, before it), or stale. */
  async refresh(): Promise<LogRefresh> {
    const kept = this.#kept;
    if (kept.generation !== this.#generation) return { stale: true };
    const updates = kept.updates.slice(this.#seen).map((update) => update.slice());
    this.#seen = kept.updates.length;
    return { stale: false, updates, damaged: [] };
  }

  async append(update: Uint8Array): Promise<number> {
    return this.appendAll([update]);
  }

  async appendAll(updates: readonly Uint8Array[]): Promise<number> {
    this.#assertMayWrite();
    let seq = this.#kept.head;
    for (const update of updates) seq = this.#options.store.append(this.#options.vaultId, update);
    this.#seen = this.#kept.updates.length;
    return seq;
  }

  /** Keeps `state`, the whole document as of the head, in place of every update so far. */
  async compact(state: Uint8Array): Promise<void> {
    this.#assertMayWrite();
    this.#options.store.replace(this.#options.vaultId, state);
    const kept = this.#kept;
    this.#seen = kept.updates.length;
    this.#generation = kept.generation;
  }

  /** `compact` with a snapshot sealed elsewhere: opened with the vault's key, then kept. */
  async compactWith(
    make: () => Promise<{ readonly seq: number; readonly bytes: Uint8Array } | undefined>,
  ): Promise<void> {
    this.#assertMayWrite();
    const { key, vaultId } = this.#options;
    const made = await make();
    // Without the key there is nothing to open it with: the updates stay as they are.
    if (!made || !key || made.seq !== this.headSeq) return;
    const state = open(key, made.bytes, snapshotContext(vaultId, made.seq));
    try {
      await this.compact(state);
    } finally {
      state.fill(0);
    }
  }

  /** Nothing is ever pending: every call above has finished when it resolves. */
  async flush(): Promise<void> {}
}
