/**
 * One run's time on the page: the clock that counts the hook's time (stopped while the Worker
 * is idle waiting for a vault to open), the budget each reply carries to the engine, and the
 * watchdog that fires shortly after the deadline if the engine did not stop the hook itself.
 */
import type { Cancel, Scheduler } from '../time';

/** The hard limit's margin over the soft one, so the engine normally stops the hook first. */
function graceFor(timeMs: number): number {
  return Math.min(1_000, Math.max(100, timeMs / 4));
}

export interface RunClock {
  /**
   * Starts the clock and its watchdog if `running` and they are stopped; stops them, counting
   * the time spent, if not `running` and they go. Otherwise does nothing.
   */
  update(running: boolean): void;
  /** Milliseconds of the soft limit left. */
  budget(): number;
}

/**
 * A stopped clock for a run of `timeMs`; `expired` is called once the run has been running for
 * `timeMs` plus a grace, unless the clock is stopped first.
 */
export function createRunClock(
  scheduler: Scheduler,
  timeMs: number,
  expired: () => void,
): RunClock {
  const hardMs = timeMs + graceFor(timeMs);
  let spent = 0;
  let since: number | undefined;
  let cancelWatchdog: Cancel | undefined;
  return {
    update(running) {
      if (running && since === undefined) {
        since = scheduler.now();
        cancelWatchdog = scheduler.after(Math.max(0, hardMs - spent), expired);
      } else if (!running && since !== undefined) {
        spent += scheduler.now() - since;
        since = undefined;
        cancelWatchdog?.();
        cancelWatchdog = undefined;
      }
    },
    budget: () => Math.max(0, timeMs - spent - (since === undefined ? 0 : scheduler.now() - since)),
  };
}
