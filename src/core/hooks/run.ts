/**
 * One run on the page, as a state machine over the Worker's messages: it sends the run, checks
 * each message against the run's state (started, calls out, replies sent), answers the guest's
 * vault calls through the HookHost, keeps the clock (watchdog.ts) and settles the run's
 * HookOutcome once every vault the hook opened is closed. The messages are in protocol.ts.
 */
import type { Scheduler } from '../time';
import type { JsonValue } from '../vault';
import { HookEngineError, HookError, type HookErrorKind, messageOf } from './errors';
import { type HookWorkerMessage, readWorkerMessage, type VaultOp } from './protocol';
import type { HookHost, HookInput, HookLimits, HookOutcome } from './types';
import { createRunClock } from './watchdog';
import type { Slot } from './worker-slot';

export interface RunSetup {
  readonly runId: number;
  readonly input: HookInput;
  /** The input as JSON text (input.ts). */
  readonly text: string;
  readonly host: HookHost;
  readonly limits: HookLimits;
  readonly signal: AbortSignal | undefined;
  /** The Worker the run goes to. */
  readonly slot: Slot;
  readonly scheduler: Scheduler;
  /** How long the Worker may take to load the engine. */
  readonly startupMs: number;
  /** Terminates a Worker for good (worker-slot.ts). */
  readonly retire: (slot: Slot) => void;
  /** What the runner's `dispose()` calls: the run sets it while it goes, and clears it. */
  readonly disposer: { current: (() => void) | undefined };
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

/**
 * Runs one hook on `setup.slot`'s Worker. Resolves its outcome; rejects with HookEngineError
 * when the engine cannot start.
 */
export function startRun(setup: RunSetup): Promise<HookOutcome> {
  const { runId, input, host, limits, signal, scheduler, startupMs, retire, disposer } = setup;
  const current = setup.slot;
  const hook = input.hook;
  const failure = (kind: HookErrorKind, detail: string, where = {}): HookOutcome => ({
    ok: false,
    error: new HookError(kind, hook, detail, where),
  });

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
    const clock = createRunClock(scheduler, limits.timeMs, () => {
      retire(current);
      end(
        failure(
          'timeout',
          `the hook ran longer than its time limit (${limits.timeMs} ms) and was stopped`,
        ),
      );
    });
    const cancelStartup = scheduler.after(startupMs, () => {
      if (started || finished) return;
      fail(new HookEngineError(`the hook engine did not start within ${startupMs} ms`));
    });

    // The clock runs unless the Worker is idle while a vault is opening.
    const updateClock = () =>
      clock.update(!finished && started && !(pendingOpens.size > 0 && idleSeq === seq));

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
      if (disposer.current === onDispose) disposer.current = undefined;
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
    disposer.current = onDispose;

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
        budgetMs: clock.budget(),
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
                  if (typeof handleId === 'string') void host.closeVault(handleId).catch(() => {});
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
        input: setup.text,
        timeMs: limits.timeMs,
        memoryBytes: limits.memoryBytes,
      });
    } catch (error) {
      fail(new HookEngineError(`the hook Worker could not be reached: ${messageOf(error)}`));
    }
  });
}
