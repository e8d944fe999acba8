/**
 * Time and chance as inputs: the one way core reads the clock, waits, repeats or draws a random
 * jitter, so tests drive all three and never sleep to prove that nothing happened.
 *
 * Contract:
 * - `now()` is milliseconds since the epoch (the same scale as `Date.now`). It is the local
 *   device's clock: fine for display and for local deadlines, never for a rule another device
 *   must agree with (see docs/sync.md on revocation).
 * - `after(ms, task)` runs `task` once, no sooner than `ms` from now; `every(ms, task)` runs it
 *   each `ms`. Both return a cancel function; cancelling twice, or after the task ran, is a
 *   no-op. A task that throws is reported to `console.error` and does not stop an `every`.
 * - `random()` is uniform in [0, 1): for jitter and back-off only, never for keys or ids (those
 *   come from the crypto layer's `randomBytes`).
 * - `systemScheduler` is the real one; `createManualScheduler` is its twin for tests: time moves
 *   only when the test calls `advance(ms)`, which runs every task that falls due in order of its
 *   due time (then of scheduling), including tasks that those tasks schedule within the window.
 */

/** Milliseconds since the epoch, from whatever clock the caller trusts for local deadlines. */
export type Clock = () => number;

/** Stops a scheduled task; safe to call more than once. */
export type Cancel = () => void;

export interface Scheduler {
  now(): number;
  after(ms: number, task: () => void): Cancel;
  every(ms: number, task: () => void): Cancel;
  random(): number;
}

function guarded(task: () => void): () => void {
  return () => {
    try {
      task();
    } catch (error) {
      console.error('coffer: a scheduled task failed', error);
    }
  };
}

/** The browser's (or Node's) own clock and timers. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  after(ms, task) {
    const timer = setTimeout(guarded(task), ms);
    return () => clearTimeout(timer);
  },
  every(ms, task) {
    const timer = setInterval(guarded(task), ms);
    return () => clearInterval(timer);
  },
  random: () => Math.random(),
};

export interface ManualScheduler extends Scheduler {
  /** Moves time forward by `ms`, running each task that falls due, in due order. */
  advance(ms: number): void;
  /** Tasks scheduled and not yet run or cancelled (a repeating task counts once). */
  readonly pending: number;
}

interface ManualTask {
  readonly order: number;
  due: number;
  readonly interval: number | undefined;
  readonly run: () => void;
  cancelled: boolean;
}

/**
 * A scheduler whose time moves only by `advance`.
 * @example
 * const time = createManualScheduler({ start: 1_000, random: () => 0.5 });
 * let fired = false;
 * time.after(100, () => { fired = true; });
 * time.advance(99); // fired === false
 * time.advance(1); // fired === true
 */
export function createManualScheduler(
  options: { readonly start?: number; readonly random?: () => number } = {},
): ManualScheduler {
  let current = options.start ?? 0;
  let order = 0;
  const tasks = new Set<ManualTask>();
  const schedule = (ms: number, task: () => void, interval: number | undefined): Cancel => {
    const entry: ManualTask = {
      order: order++,
      due: current + Math.max(0, ms),
      interval,
      run: guarded(task),
      cancelled: false,
    };
    tasks.add(entry);
    return () => {
      entry.cancelled = true;
      tasks.delete(entry);
    };
  };
  const nextDue = (until: number): ManualTask | undefined => {
    let next: ManualTask | undefined;
    for (const task of tasks) {
      if (task.due > until) continue;
      if (!next || task.due < next.due || (task.due === next.due && task.order < next.order)) {
        next = task;
      }
    }
    return next;
  };
  return {
    now: () => current,
    after: (ms, task) => schedule(ms, task, undefined),
    every: (ms, task) => schedule(ms, task, Math.max(1, ms)),
    random: options.random ?? (() => 0.5),
    advance(ms) {
      const until = current + Math.max(0, ms);
      for (let task = nextDue(until); task; task = nextDue(until)) {
        current = Math.max(current, task.due);
        if (task.interval === undefined) tasks.delete(task);
        else task.due += task.interval;
        task.run();
      }
      current = until;
    },
    get pending() {
      return tasks.size;
    },
  };
}
