/**
 * The page's side of the hook sandbox: starts the hook Worker, answers its calls through the
 * HookHost, keeps the time limit with a watchdog that terminates the Worker, and turns the
 * Worker's report into a HookOutcome. The contract is in index.ts; the messages in protocol.ts.
 */
import { type Cancel, type Scheduler, systemScheduler } from '../time';
import type { JsonValue } from '../vault';
import { HookEngineError, HookError, type HookErrorKind } from './errors';
import {
  type HookWorkerMessage,
  type HookWorkerRequest,
  MAX_JSON_CHARS,
  readWorkerMessage,
  type VaultOp,
} from './protocol';

export interface HookLimits {
  /** Milliseconds the hook may run, not counting waits for a vault to open. */
  readonly timeMs: number;
  /** Bytes of memory the engine may use for the hook, on top of its own ~16 MiB. */
  readonly memoryBytes: number;
}

/** 10 seconds and 64 MiB. */
export const defaultHookLimits: HookLimits = Object.freeze({
  timeMs: 10_000,
  memoryBytes: 64 * 1024 * 1024,
});

export interface HookInput {
  readonly hook: 'before' | 'after';
  /** The body of an async function: top-level `await` and `return` work. */
  readonly code: string;
  /** The before hook's `request` (a mutable copy; its final value is returned). */
  readonly request?: JsonValue;
  /** The after hook's `response`: `{ status, statusText, headers, body }` (read-only). */
  readonly response?: JsonValue;
  /** The guest's `vault`: entries of the default vault the integration may read (frozen). */
  readonly vault: Readonly<Record<string, JsonValue>>;
  /** The guest's `kept`: what earlier hooks kept (frozen). */
  readonly kept: Readonly<Record<string, JsonValue>>;
}

/** The page's side of the guest's API; the runner calls it when the guest does. */
export interface HookHost {
  /**
   * Opens the named vault and resolves an id for it once it is open. May wait for another
   * holder: the hook's time does not run while it does. `signal` aborts when the run ends
   * first; a handle resolved after that is closed by the runner.
   */
  openVault(name: string, signal: AbortSignal): Promise<string>;
  vaultCall(
    handle: string,
    op: VaultOp,
    args: readonly JsonValue[],
  ): Promise<JsonValue | undefined>;
  closeVault(handle: string): Promise<void>;
  debug(value: JsonValue, label: string | undefined): void;
  keep(values: Readonly<Record<string, JsonValue>>): void;
}

export type HookOutcome =
  | { readonly ok: true; readonly result: JsonValue | undefined; readonly request?: JsonValue }
  | { readonly ok: false; readonly error: HookError };

export interface HookRunOptions {
  readonly limits?: HookLimits;
  readonly signal?: AbortSignal;
}

export interface HookRunner {
  run(input: HookInput, host: HookHost, options?: HookRunOptions): Promise<HookOutcome>;
  /**
   * Starts a Worker now, so the engine is loaded and warm when the first hook runs (its first
   * load costs ~100-200 ms). Optional; failures surface at the next `run`.
   */
  prepare(): void;
  /** Terminates the Worker; a run in progress ends as 'cancelled'. Later runs start another. */
  dispose(): void;
}

/** What the runner needs of a Worker (the app passes a real module Worker). */
export interface HookWorkerLike {
  postMessage(message: HookWorkerRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface HookRunnerOptions {
  /** The watchdog's clock and timers (systemScheduler by default). */
  readonly scheduler?: Scheduler;
  /** How long a new Worker may take to load the engine before the run fails. Default 30 s. */
  readonly startupMs?: number;
}

/** The hard limit's margin over the soft one, so the engine normally stops the hook first. */
function graceFor(timeMs: number): number {
  return Math.min(1_000, Math.max(100, timeMs / 4));
}

const MAX_TIME_MS = 10 * 60 * 1000;
const MIN_MEMORY = 1024 * 1024;
const MAX_MEMORY = 1024 * 1024 * 1024;

function checkLimits(limits: HookLimits): void {
  if (!Number.isFinite(limits.timeMs) || limits.timeMs <= 0 || limits.timeMs > MAX_TIME_MS) {
    throw new RangeError(
      `limits.timeMs must be over 0 and at most ${MAX_TIME_MS}, not ${limits.timeMs}`,
    );
  }
  if (
    !Number.isSafeInteger(limits.memoryBytes) ||
    limits.memoryBytes < MIN_MEMORY ||
    limits.memoryBytes > MAX_MEMORY
  ) {
    throw new RangeError(
      `limits.memoryBytes must be a whole number from ${MIN_MEMORY} to ${MAX_MEMORY}, not ${limits.memoryBytes}`,
    );
  }
}

function inputText(input: HookInput): string {
  if (input.hook !== 'before' && input.hook !== 'after') {
    throw new TypeError(`input.hook must be 'before' or 'after', not ${String(input.hook)}`);
  }
  if (typeof input.code !== 'string') throw new TypeError('input.code must be a string');
  if (input.hook === 'before' && input.request === undefined) {
    throw new TypeError('a before hook needs input.request');
  }
  const text = JSON.stringify({
    request: input.request,
    response: input.response,
    vault: input.vault,
    kept: input.kept,
  });
  if (text.length > MAX_JSON_CHARS) {
    throw new RangeError(`the hook's input is more than ${MAX_JSON_CHARS} characters as JSON`);
  }
  return text;
}

function parseJson(text: string): { readonly value: JsonValue } | undefined {
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The argument lists each vault operation takes (the prelude sends only these). */
function argsFit(op: VaultOp, args: readonly JsonValue[]): boolean {
  switch (op) {
    case 'list':
      return args.length === 0;
    case 'set':
      return args.length === 2 && typeof args[0] === 'string';
    default:
      return args.length === 1 && typeof args[0] === 'string';
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'the call failed';

interface Slot {
  readonly worker: HookWorkerLike;
  /** The run that listens, if any. */
  onMessage: ((data: unknown) => void) | undefined;
  onFailure: ((startup: boolean) => void) | undefined;
}

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
  let slot: Slot | undefined;
  let nextRunId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  let disposeCurrent: (() => void) | undefined;

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

  const ensureSlot = (): Slot => {
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

  const runOne = (
    input: HookInput,
    host: HookHost,
    limits: HookLimits,
    signal: AbortSignal | undefined,
    text: string,
  ): Promise<HookOutcome> => {
    const hook = input.hook;
    const failure = (kind: HookErrorKind, detail: string, where = {}): HookOutcome => ({
      ok: false,
      error: new HookError(kind, hook, detail, where),
    });
    if (signal?.aborted) return Promise.resolve(failure('cancelled', 'the run was cancelled'));
    let current: Slot;
    try {
      current = ensureSlot();
    } catch (error) {
      return Promise.reject(error);
    }
    const runId = nextRunId++;

    return new Promise<HookOutcome>((resolve, reject) => {
      const ended = new AbortController();
      const vaults = new Map<number, { readonly handle: string; closed: boolean }>();
      let nextVault = 1;
      const pendingOpens = new Set<number>();
      /** Calls of the guest not answered yet (open, call, close). */
      const unanswered = new Set<number>();
      let started = false;
      let finished = false;
      let seq = 0;
      let idleSeq = -1;
      let spent = 0;
      let since: number | undefined;
      let cancelWatchdog: Cancel | undefined;
      const hardMs = limits.timeMs + graceFor(limits.timeMs);
      const cancelStartup = scheduler.after(startupMs, () => {
        if (started || finished) return;
        fail(new HookEngineError(`the hook engine did not start within ${startupMs} ms`));
      });

      // The clock runs unless the Worker is idle while a vault is opening.
      const updateClock = () => {
        const running = !finished && started && !(pendingOpens.size > 0 && idleSeq === seq);
        if (running && since === undefined) {
          since = scheduler.now();
          cancelWatchdog = scheduler.after(Math.max(0, hardMs - spent), () => {
            retire(current);
            end(
              failure(
                'timeout',
                `the hook ran longer than its time limit (${limits.timeMs} ms) and was stopped`,
              ),
            );
          });
        } else if (!running && since !== undefined) {
          spent += scheduler.now() - since;
          since = undefined;
          cancelWatchdog?.();
          cancelWatchdog = undefined;
        }
      };
      const budget = () =>
        Math.max(0, limits.timeMs - spent - (since === undefined ? 0 : scheduler.now() - since));

      const closeLeftovers = async () => {
        const open = [...vaults.values()].filter((vault) => !vault.closed);
        for (const vault of open) vault.closed = true;
        await Promise.all(
          open.map((vault) =>
            Promise.resolve()
              .then(() => host.closeVault(vault.handle))
              .catch(() => undefined),
          ),
        );
      };

      const settleRun = (settle: () => void) => {
        if (finished) return;
        finished = true;
        updateClock();
        cancelStartup();
        signal?.removeEventListener('abort', onAbort);
        ended.abort();
        if (disposeCurrent === onDispose) disposeCurrent = undefined;
        current.onMessage = undefined;
        current.onFailure = undefined;
        void closeLeftovers().then(settle);
      };
      const end = (outcome: HookOutcome) => settleRun(() => resolve(outcome));
      const fail = (error: HookEngineError) => {
        retire(current);
        settleRun(() => reject(error));
      };
      const crash = (detail: string) => {
        retire(current);
        end(failure('crashed', detail));
      };
      const onAbort = () => {
        retire(current);
        end(failure('cancelled', 'the run was cancelled'));
      };
      const onDispose = () => {
        retire(current);
        end(failure('cancelled', 'the hook runner was disposed'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      disposeCurrent = onDispose;

      const reply = (
        id: number,
        answer: { ok: true; value?: string } | { ok: false; message: string },
      ) => {
        if (finished) return;
        unanswered.delete(id);
        seq += 1;
        current.worker.postMessage({
          type: 'reply',
          runId,
          id,
          seq,
          budgetMs: budget(),
          ...answer,
        });
        updateClock();
      };
      const answer = (id: number, call: () => Promise<JsonValue | undefined>) => {
        Promise.resolve()
          .then(call)
          .then(
            (value) => {
              let json: string | undefined;
              try {
                json = value === undefined ? undefined : JSON.stringify(value);
              } catch {
                reply(id, {
                  ok: false,
                  message: 'the page answered with a value that is not JSON',
                });
                return;
              }
              reply(id, json === undefined ? { ok: true } : { ok: true, value: json });
            },
            (error: unknown) => reply(id, { ok: false, message: messageOf(error) }),
          );
      };

      const handle = (message: HookWorkerMessage) => {
        if (message.type === 'open' || message.type === 'call' || message.type === 'close') {
          if (unanswered.has(message.id)) return crash('the hook Worker reused a call id');
          unanswered.add(message.id);
        }
        switch (message.type) {
          case 'started':
            if (started) return crash('the hook Worker started twice');
            started = true;
            cancelStartup();
            updateClock();
            return;
          case 'unavailable':
            return fail(new HookEngineError(message.detail));
          case 'open': {
            const id = message.id;
            pendingOpens.add(id);
            Promise.resolve()
              .then(() => host.openVault(message.name, ended.signal))
              .then(
                (handleId) => {
                  pendingOpens.delete(id);
                  if (finished) {
                    if (typeof handleId === 'string')
                      void host.closeVault(handleId).catch(() => {});
                    return;
                  }
                  if (typeof handleId !== 'string') {
                    reply(id, { ok: false, message: 'openVault(): the page gave no vault' });
                    return;
                  }
                  const vaultNo = nextVault++;
                  vaults.set(vaultNo, { handle: handleId, closed: false });
                  reply(id, { ok: true, value: String(vaultNo) });
                },
                (error: unknown) => {
                  pendingOpens.delete(id);
                  reply(id, { ok: false, message: messageOf(error) });
                },
              );
            return;
          }
          case 'call': {
            const vault = vaults.get(message.vault);
            const args = parseJson(message.args);
            if (!args || !Array.isArray(args.value) || !argsFit(message.op, args.value)) {
              return crash(`the hook Worker sent bad arguments for ${message.op}()`);
            }
            if (!vault || vault.closed) {
              reply(message.id, { ok: false, message: `${message.op}(): this vault is not open` });
              return;
            }
            const list = args.value;
            answer(message.id, () => host.vaultCall(vault.handle, message.op, list));
            return;
          }
          case 'close': {
            const vault = vaults.get(message.vault);
            if (!vault) return crash('the hook Worker closed a vault it never opened');
            if (vault.closed) {
              reply(message.id, { ok: true });
              return;
            }
            vault.closed = true;
            answer(message.id, async () => {
              await host.closeVault(vault.handle);
              return undefined;
            });
            return;
          }
          case 'debug': {
            const value = parseJson(message.value);
            if (!value) return crash('the hook Worker sent a debug value that is not JSON');
            try {
              host.debug(value.value, message.label);
            } catch (error) {
              console.error('coffer: a hook host failed to take a debug value', error);
            }
            return;
          }
          case 'keep': {
            const values = parseJson(message.values);
            if (!values || !isRecord(values.value)) {
              return crash('the hook Worker sent kept values that are not a JSON object');
            }
            try {
              host.keep(values.value);
            } catch (error) {
              console.error('coffer: a hook host failed to take kept values', error);
            }
            return;
          }
          case 'idle':
            if (message.seq > seq) return crash('the hook Worker answered a reply never sent');
            if (message.seq === seq) {
              idleSeq = seq;
              if (unanswered.size === 0) {
                // No code runs and no call is out: nothing can ever wake the hook (it has no
                // timers or events), so it would only wait for the time limit.
                retire(current);
                end(
                  failure(
                    'thrown',
                    'the hook is waiting for a promise that nothing will ever settle',
                  ),
                );
                return;
              }
              updateClock();
            }
            return;
          case 'done': {
            const result = message.result === undefined ? undefined : parseJson(message.result);
            const request = message.request === undefined ? undefined : parseJson(message.request);
            if (
              (message.result !== undefined && !result) ||
              (message.request !== undefined && !request) ||
              (hook === 'before') !== (request !== undefined)
            ) {
              return crash('the hook Worker reported a result of the wrong shape');
            }
            end({
              ok: true,
              result: result?.value,
              ...(request ? { request: request.value } : {}),
            });
            return;
          }
          case 'failed': {
            if (
              message.kind === 'timeout' ||
              message.kind === 'memory' ||
              message.kind === 'crashed'
            ) {
              retire(current);
            }
            end(
              failure(message.kind, message.detail, { line: message.line, column: message.column }),
            );
            return;
          }
        }
      };

      current.onMessage = (data) => {
        const message = readWorkerMessage(data);
        if (!message || message.runId !== runId) {
          return crash('the hook Worker sent a message that does not fit the protocol');
        }
        if (!started && message.type !== 'started' && message.type !== 'unavailable') {
          return crash('the hook Worker spoke before it started');
        }
        handle(message);
      };
      current.onFailure = () => {
        if (!started) fail(new HookEngineError('the hook Worker failed to load'));
        else crash('the hook Worker failed');
      };

      try {
        current.worker.postMessage({
          type: 'run',
          runId,
          hook,
          code: input.code,
          input: text,
          timeMs: limits.timeMs,
          memoryBytes: limits.memoryBytes,
        });
      } catch (error) {
        fail(new HookEngineError(`the hook Worker could not be reached: ${messageOf(error)}`));
      }
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
        ensureSlot();
      } catch {
        // The next run reports it.
      }
    },
    dispose() {
      disposeCurrent?.();
      if (slot) retire(slot);
    },
  };
}
