/**
 * One hook run inside the Worker, from start to end: a fresh QuickJS runtime and context with
 * the prelude, the hook's code evaluated, the guest's jobs driven until it is idle or done, and
 * one report to the page ('idle', 'done' or 'failed'); then every handle, the context and the
 * runtime are freed. Replies from the page resume it (`ActiveRun.reply`).
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { settleHostCall } from './host-calls';
import {
  describeThrown,
  finishRun,
  hookFileName,
  hookPosition,
  readGuestMessage,
  type Where,
  wrapHook,
} from './marshal';
import { prelude, preludeFileName } from './prelude';
import type { HookWorkerMessage, HookWorkerRequest, WorkerFailureKind } from './protocol';
import { atCeiling, type Instance, newHookRuntime, RunLimits } from './quickjs';

/** The longest failure detail sent to the page. */
const MAX_DETAIL = 2_000;

export type RunRequest = Extract<HookWorkerRequest, { type: 'run' }>;

/** A run that waits for the page's replies. */
export interface ActiveRun {
  readonly runId: number;
  reply(message: Extract<HookWorkerRequest, { type: 'reply' }>): void;
}

/**
 * Starts the hook of `request` on `engine`, posting its messages through `post`; `ended` is
 * called once when the run is over, with whether the instance is still fit for another run.
 * @throws what the engine throws if it cannot make a runtime.
 */
export function runHook(
  engine: Instance,
  request: RunRequest,
  now: () => number,
  post: (message: HookWorkerMessage) => void,
  ended: (healthy: boolean) => void,
): ActiveRun {
  const runId = request.runId;
  const limits = new RunLimits(engine, now, request.timeMs);
  let fatal: { readonly detail: string; readonly where: Where } | undefined;
  let broken: string | undefined;
  let seq = 0;
  let over = false;
  const handles: QuickJSHandle[] = [];
  const keep = <T extends QuickJSHandle>(handle: T): T => {
    handles.push(handle);
    return handle;
  };

  const runtime = newHookRuntime(engine, request.memoryBytes, () =>
    limits.interrupt(Boolean(fatal || broken)),
  );
  const context: QuickJSContext = runtime.newContext();

  const fromGuest = (text: string) => {
    const event = readGuestMessage(text, runId);
    if (event?.type === 'not-json') fatal ??= { detail: event.detail, where: event.where };
    else if (event?.type === 'post') post(event.message);
    else if (event?.type === 'broken') broken = event.reason;
  };

  const fail = (kind: WorkerFailureKind, detail: string, where: Where = {}) => {
    // A thrown message or a JSON path can be long; the page takes 10,000 characters at most.
    const short = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail;
    post({ type: 'failed', runId, kind, detail: short, ...where });
  };

  const stopDetail = (kind: 'timeout' | 'memory') =>
    kind === 'timeout'
      ? `the hook ran longer than its time limit (${request.timeMs} ms)`
      : `the hook used more than its memory limit (${Math.round(request.memoryBytes / 1024 / 1024)} MiB)`;

  let api: QuickJSHandle | undefined;
  let promise: QuickJSHandle | undefined;

  /** Reports a failure already known (broken, not JSON, stopped); false if there is none. */
  const failKnown = (): boolean => {
    const stop = limits.stop;
    if (broken) fail('crashed', broken);
    else if (fatal) fail('not-json', fatal.detail, fatal.where);
    else if (stop) fail(stop, stopDetail(stop));
    else return false;
    return true;
  };

  const failFromError = (error: QuickJSHandle, compiling: boolean) => {
    // No position for a stopped hook: QuickJS reports the interrupted frame's start, not the
    // line the hook was on, and a wrong line is worse than none.
    if (failKnown()) return;
    const info = limits.wrapUp(() => describeThrown(context, api, error, keep));
    const where = hookPosition(info.stack);
    if ((info.name === 'InternalError' && info.message === 'out of memory') || atCeiling(engine)) {
      return fail('memory', stopDetail('memory'));
    }
    if (compiling && info.name === 'SyntaxError') {
      return fail('syntax', `SyntaxError: ${info.message}`, where);
    }
    if (info.host) return fail('host', info.message, where);
    const detail = info.name ? `${info.name}: ${info.message}` : `threw ${info.message}`;
    return fail('thrown', detail, where);
  };

  const end = () => {
    if (over) return;
    over = true;
    let healthy = broken === undefined && limits.stop === undefined;
    try {
      for (const handle of handles) if (handle.alive) handle.dispose();
      context.dispose();
      runtime.dispose();
    } catch {
      healthy = false;
    }
    ended(healthy);
  };

  const settle = () => {
    if (!promise) return;
    const state = context.getPromiseState(promise);
    if (state.type === 'pending') {
      if (failKnown()) end();
      else post({ type: 'idle', runId, seq });
      return;
    }
    if (state.type === 'rejected') {
      keep(state.error);
      failFromError(state.error, false);
      end();
      return;
    }
    if (state.value !== promise) keep(state.value);
    if (failKnown()) {
      end();
      return;
    }
    const finished = finishRun(context, api!, state.value, keep, runId);
    if ('error' in finished) failFromError(finished.error, false);
    else post(finished.done);
    end();
  };

  /** Runs the guest's pending jobs, then reports where the hook stands. */
  const drive = () => {
    try {
      for (;;) {
        const jobs = runtime.executePendingJobs();
        if (jobs.error) jobs.error.dispose();
        if (!runtime.hasPendingJob() || broken || fatal || limits.stop) break;
      }
      settle();
    } catch (error) {
      crash(error);
    }
  };

  const crash = (error: unknown) => {
    if (over) return;
    const detail = error instanceof Error ? error.message : 'unknown failure';
    const stop = limits.stop;
    fail(
      stop ?? (atCeiling(engine) ? 'memory' : 'crashed'),
      stop ? stopDetail(stop) : `the engine failed: ${detail}`,
    );
    broken ??= detail;
    end();
  };

  try {
    const send = keep(
      context.newFunction('send', (text) => {
        fromGuest(context.getString(text));
      }),
    );
    const preludeFn = keep(
      context.unwrapResult(context.evalCode(prelude, preludeFileName, { type: 'global' })),
    );
    api = keep(
      context.unwrapResult(
        context.callFunction(
          preludeFn,
          context.undefined,
          send,
          keep(context.newString(request.input)),
          keep(context.newString(request.hook)),
        ),
      ),
    );
    const evaluated = context.evalCode(wrapHook(request.code), hookFileName, { type: 'global' });
    if (evaluated.error) {
      keep(evaluated.error);
      failFromError(evaluated.error, true);
      end();
    } else {
      promise = keep(evaluated.value);
      drive();
    }
  } catch (error) {
    crash(error);
  }

  return {
    runId,
    reply(message) {
      if (over) return;
      seq = message.seq;
      limits.setBudget(message.budgetMs);
      const failure = settleHostCall(context, api!, message);
      if (failure) crash(failure.error);
      else drive();
    },
  };
}
