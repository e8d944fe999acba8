/**
 * The runner's one Worker: spawned when a run (or `prepare`) needs it, reused while runs end
 * normally, and retired (terminated, never used again) after a failure, a timeout, a cancel, or
 * a message that arrives when no run listens.
 */
import { HookEngineError, messageOf } from './errors';
import type { HookWorkerLike } from './types';

export interface Slot {
  readonly worker: HookWorkerLike;
  /** The run that listens, if any. */
  onMessage: ((data: unknown) => void) | undefined;
  onFailure: ((startup: boolean) => void) | undefined;
}

export interface WorkerSlot {
  /**
   * The current Worker, spawned if there is none.
   * @throws HookEngineError if `spawn` throws.
   */
  ensure(): Slot;
  /** Terminates `old`'s Worker; the next `ensure` spawns another if `old` was current. */
  retire(old: Slot): void;
  /** Retires the current Worker, if any. */
  retireCurrent(): void;
}

export function createWorkerSlot(spawn: () => HookWorkerLike): WorkerSlot {
  let slot: Slot | undefined;

  const retire = (old: Slot) => {
    if (slot === old) slot = undefined;
    old.onMessage = undefined;
    old.onFailure = undefined;
    try {
      old.worker.terminate();
    } catch {
      // Already gone.
    }
  };

  const ensure = (): Slot => {
    if (slot) return slot;
    let worker: HookWorkerLike;
    try {
      worker = spawn();
    } catch (error) {
      throw new HookEngineError(`the hook Worker could not be created: ${messageOf(error)}`, {
        cause: error,
      });
    }
    const made: Slot = { worker, onMessage: undefined, onFailure: undefined };
    worker.addEventListener('message', (event) => {
      if (made.onMessage) made.onMessage(event.data);
      else retire(made); // A Worker that speaks out of turn is not trusted again.
    });
    worker.addEventListener('error', () => {
      const failure = made.onFailure;
      retire(made);
      failure?.(false);
    });
    worker.addEventListener('messageerror', () => {
      const failure = made.onFailure;
      retire(made);
      failure?.(false);
    });
    slot = made;
    return made;
  };

  return {
    ensure,
    retire,
    retireCurrent() {
      if (slot) retire(slot);
    },
  };
}
