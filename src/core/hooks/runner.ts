/**
 * The page's side of the hook sandbox, as the app sees it: `createHookRunner` checks each run's
 * input (input.ts), queues runs one at a time, gives each the Worker of the moment
 * (worker-slot.ts) and lets run.ts carry it out. The contract is in index.ts; the messages in
 * protocol.ts.
 */
import { systemScheduler } from '../time';
import { HookError } from './errors';
import { checkLimits, defaultHookLimits, inputText } from './input';
import { startRun } from './run';
import type {
  HookHost,
  HookInput,
  HookLimits,
  HookOutcome,
  HookRunner,
  HookRunnerOptions,
  HookWorkerLike,
} from './types';
import { createWorkerSlot, type Slot } from './worker-slot';

/**
 * A hook runner over Workers from `spawn`: one Worker at a time, reused while runs end
 * normally, replaced after a timeout, a memory failure, a crash or a cancel. Runs are queued:
 * one runs at a time.
 * @example
 * const runner = createHookRunner(spawnHookWorker);
 * const outcome = await runner.run({ hook: 'after', code, response, vault: {}, kept: {} }, host);
 */
export function createHookRunner(
  spawn: () => HookWorkerLike,
  options: HookRunnerOptions = {},
): HookRunner {
  const scheduler = options.scheduler ?? systemScheduler;
  const startupMs = options.startupMs ?? 30_000;
  const workers = createWorkerSlot(spawn);
  let nextRunId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  const disposer: { current: (() => void) | undefined } = { current: undefined };

  const runOne = (
    input: HookInput,
    host: HookHost,
    limits: HookLimits,
    signal: AbortSignal | undefined,
    text: string,
  ): Promise<HookOutcome> => {
    if (signal?.aborted) {
      return Promise.resolve({
        ok: false,
        error: new HookError('cancelled', input.hook, 'the run was cancelled', {}),
      });
    }
    let slot: Slot;
    try {
      slot = workers.ensure();
    } catch (error) {
      return Promise.reject(error);
    }
    return startRun({
      runId: nextRunId++,
      input,
      text,
      host,
      limits,
      signal,
      slot,
      scheduler,
      startupMs,
      retire: workers.retire,
      disposer,
    });
  };

  return {
    run(input, host, runOptions = {}) {
      const limits = runOptions.limits ?? defaultHookLimits;
      let text: string;
      try {
        checkLimits(limits);
        text = inputText(input);
      } catch (error) {
        return Promise.reject(error);
      }
      const signal = runOptions.signal;
      let began = false;
      const turn = queue.then(() => {
        began = true;
        return runOne(input, host, limits, signal, text);
      });
      queue = turn.catch(() => undefined);
      if (!signal) return turn;
      // Cancelled while it waits for its turn: settle now (nothing ran, nothing to close).
      // Once it runs, the run's own handler ends it, after closing what the hook opened.
      return new Promise<HookOutcome>((resolve, reject) => {
        const onAbort = () => {
          if (began) return;
          resolve({
            ok: false,
            error: new HookError('cancelled', input.hook, 'the run was cancelled'),
          });
        };
        signal.addEventListener('abort', onAbort, { once: true });
        turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    prepare() {
      try {
        workers.ensure();
      } catch {
        // The next run reports it.
      }
    },
    dispose() {
      disposer.current?.();
      workers.retireCurrent();
    },
  };
}
