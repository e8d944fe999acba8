import type { VaultId } from '../ids';
import { type HolderInfo, LockWaitAbortedError, VaultBusyError } from '../lock';
import type { OpenVaultOptions, Vault } from '../vault';
import { RunCancelledError } from './errors';

/**
 * How a run opens vaults, keeping "one opener at a time" without deadlocking its own tab.
 *
 * - Runs of this tab take turns per vault (a FIFO here), so two runs never hold one vault at
 *   once, even when both would use the same handle.
 * - On its turn, a run uses the tab's own handle if the vault is already open in this session
 *   (the user has it on screen): asking the vault's Web Lock again would wait for ourselves for
 *   ever. It then shares that handle in turn and never closes it.
 * - Otherwise it opens the vault through the session (the Web Lock): at once if free, else it
 *   reports who holds it and waits, until the holder closes it or the run is cancelled.
 * A lease's `release` closes what the run opened and ends its turn; it never rejects.
 */
export interface VaultDirectory {
  openVault(selector: { readonly id: VaultId }, options: OpenVaultOptions): Promise<Vault>;
  /** The vault if this session has it open, else undefined. */
  openedVault(id: VaultId): Vault | undefined;
  whoHolds(selector: { readonly id: VaultId }): Promise<HolderInfo | undefined>;
}

export interface VaultLease {
  readonly vault: Vault;
  /** True when the run uses the tab's handle (it will not close it). */
  readonly shared: boolean;
  release(): Promise<void>;
}

export interface AcquireOptions {
  readonly signal?: AbortSignal;
  /** Called once when the vault is busy elsewhere and the run starts to wait. */
  readonly onWaiting?: (holder: HolderInfo | undefined) => void;
  readonly onWaitingOver?: () => void;
}

export class VaultAccess {
  readonly #turns = new Map<VaultId, Promise<void>>();
  /** Runs of this tab holding or waiting for each vault. */
  readonly #queued = new Map<VaultId, number>();

  constructor(private readonly directory: VaultDirectory) {}

  async acquire(id: VaultId, options: AcquireOptions = {}): Promise<VaultLease> {
    const ahead = this.#queued.get(id) ?? 0;
    this.#queued.set(id, ahead + 1);
    let turnEnded = false;
    let endTurnNow: () => void = () => undefined;
    const endTurn = () => {
      if (turnEnded) return;
      turnEnded = true;
      const left = (this.#queued.get(id) ?? 1) - 1;
      if (left > 0) this.#queued.set(id, left);
      else this.#queued.delete(id);
      endTurnNow();
    };
    if (ahead > 0) {
      options.onWaiting?.({ label: 'another run in this tab', since: undefined, heldHere: true });
    }
    try {
      endTurnNow = await this.#takeTurn(id, options.signal);
    } catch (error) {
      endTurn();
      throw error;
    } finally {
      if (ahead > 0) options.onWaitingOver?.();
    }
    try {
      const open = this.directory.openedVault(id);
      if (open && !open.closed) {
        return { vault: open, shared: true, release: async () => endTurn() };
      }
      const vault = await this.#open(id, options);
      return {
        vault,
        shared: false,
        release: async () => {
          try {
            await vault.close();
          } catch {
            // Closing a vault that is already closed (locked profile, taken over) is fine.
          } finally {
            endTurn();
          }
        },
      };
    } catch (error) {
      endTurn();
      throw error;
    }
  }

  async #open(id: VaultId, options: AcquireOptions): Promise<Vault> {
    try {
      // `ifAvailable` takes no signal: it never waits.
      return await this.directory.openVault({ id }, { ifAvailable: true });
    } catch (error) {
      if (!(error instanceof VaultBusyError)) throw error;
    }
    const holder = await this.directory.whoHolds({ id }).catch(() => undefined);
    options.onWaiting?.(holder);
    try {
      return await this.directory.openVault(
        { id },
        options.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      if (error instanceof LockWaitAbortedError) {
        throw new RunCancelledError('waiting for a vault open elsewhere');
      }
      throw error;
    } finally {
      options.onWaitingOver?.();
    }
  }

  /** Waits for this tab's earlier runs on the vault; resolves with the function that ends ours. */
  async #takeTurn(id: VaultId, signal: AbortSignal | undefined): Promise<() => void> {
    const before = this.#turns.get(id) ?? Promise.resolve();
    let end!: () => void;
    const mine = new Promise<void>((resolve) => {
      end = resolve;
    });
    const tail = before.then(() => mine);
    this.#turns.set(id, tail);
    void tail.then(() => {
      if (this.#turns.get(id) === tail) this.#turns.delete(id);
    });
    if (signal?.aborted) {
      void before.then(end);
      throw new RunCancelledError('waiting for a vault');
    }
    if (signal) {
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new RunCancelledError('waiting for a vault'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([before, aborted]);
      } catch (error) {
        // Our place in the line passes on as soon as the run before us ends.
        void before.then(end);
        throw error;
      } finally {
        if (onAbort) signal.removeEventListener('abort', onAbort);
      }
    } else {
      await before;
    }
    return end;
  }
}
