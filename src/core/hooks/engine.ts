/**
 * The Worker's side of the hook sandbox: runs one hook at a time in QuickJS and answers the
 * page's runner (protocol.ts). hook-worker.ts starts it in the browser; tests start it in a
 * Node worker thread.
 *
 * - The WebAssembly module is compiled once per Worker (`compile`) and kept. A QuickJS instance
 *   (its linear memory) is reused by later runs with the same memory limit, but every run gets a
 *   fresh runtime and context, so nothing a hook defines is seen by the next. An instance whose
 *   memory grew past half its limit, or that failed, is dropped and the next run makes another
 *   (a few ms from the compiled module).
 * - Memory: the instance's linear memory is a `WebAssembly.Memory` whose `maximum` is the
 *   engine's base (16 MiB) plus the run's limit, so allocation past it fails inside the engine
 *   ('out of memory') instead of growing the Worker towards 2 GiB; QuickJS's own
 *   `setMemoryLimit` counts its allocations on top, and the interrupt handler stops the hook
 *   when the memory reaches its ceiling.
 * - Time: the interrupt handler stops the hook at its deadline (the soft limit); every reply
 *   from the page carries the budget left, so time the page did not count (waiting for a vault
 *   to open) is not counted here either. The page's watchdog terminates the Worker if this
 *   soft limit is not enough.
 * - The stack: `setMaxStackSize` keeps deep recursion an InternalError inside the engine. A
 *   failure of the engine itself (a host stack overflow, an abort) is reported as 'crashed' and
 *   the page replaces the Worker.
 */
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { prelude, preludeFileName } from './prelude';
import type { HookWorkerMessage, HookWorkerRequest, VaultOp, WorkerFailureKind } from './protocol';
import { vaultOps } from './protocol';

/** What the engine needs of the Worker's global scope. */
export interface HookWorkerScope {
  postMessage(message: HookWorkerMessage): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

export interface HookEngineOptions {
  /** Compiles the QuickJS WebAssembly module (called once, on the first run). */
  readonly compile: () => Promise<WebAssembly.Module>;
  /** Milliseconds, monotonic enough for a deadline (`performance.now` in a Worker). */
  readonly now: () => number;
}

/** The hook's code is the body of this async function, on the hook's own first line. */
export const wrapperPrefix = '(async () => { "use strict"; ';
const wrapperSuffix = '\n})()';
const hookFileName = 'hook.js';

const PAGE = 65_536;
/** The engine's initial linear memory (the Emscripten build's INITIAL_MEMORY). */
const BASE_BYTES = 16 * 1024 * 1024;
/** wasm32 as this build allows it: 2 GiB. */
const MAX_PAGES = 32_768;
/** QuickJS's own stack limit; small enough that the host's stack is never the one to overflow. */
const MAX_STACK_BYTES = 256 * 1024;
/** The memory limit the Worker prepares an instance for before any run asks (the default's). */
const WARM_UP_MEMORY_BYTES = 64 * 1024 * 1024;
/** A hook that goes through the prelude, the JSON walk and a result, to warm the engine. */
const warmUpRun: Extract<HookWorkerRequest, { type: 'run' }> = {
  type: 'run',
  runId: 0,
  hook: 'before',
  code: 'debug({ a: [1, "b"] }); request.x = 1; return { ok: true };',
  input: '{"request":{},"vault":{},"kept":{}}',
  timeMs: 5_000,
  memoryBytes: WARM_UP_MEMORY_BYTES,
};
/** The longest failure detail sent to the page. */
const MAX_DETAIL = 2_000;
/** Time granted to read a stopped hook's error (where it stood). */
const WRAP_UP_MS = 50;

interface Instance {
  readonly module: QuickJSWASMModule;
  readonly memory: WebAssembly.Memory;
  readonly memoryBytes: number;
  readonly ceilingBytes: number;
}

interface Where {
  readonly line?: number;
  readonly column?: number;
}

/** Where the first frame of the hook's own code is, in the user's lines and columns. */
export function hookPosition(stack: string): Where {
  const match = /hook\.js:(\d+)(?::(\d+))?/.exec(stack);
  if (!match) return {};
  const line = Number(match[1]);
  if (match[2] === undefined) return { line };
  const raw = Number(match[2]);
  const column = line === 1 ? Math.max(1, raw - wrapperPrefix.length) : raw;
  return { line, column };
}

/** Starts answering the page's messages on `scope`. */
export function serveHookWorker(scope: HookWorkerScope, options: HookEngineOptions): void {
  let compiled: Promise<WebAssembly.Module> | undefined;
  let instance: Instance | undefined;
  let active: ActiveRun | undefined;

  const post = (message: HookWorkerMessage) => scope.postMessage(message);

  async function instanceFor(memoryBytes: number): Promise<Instance> {
    compiled ??= options.compile();
    const wasmModule = await compiled;
    if (instance && instance.memoryBytes === memoryBytes) return instance;
    const pages = Math.min(MAX_PAGES, BASE_BYTES / PAGE + Math.ceil(memoryBytes / PAGE));
    const memory = new WebAssembly.Memory({ initial: BASE_BYTES / PAGE, maximum: pages });
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(RELEASE_SYNC, { wasmModule, wasmMemory: memory }),
    );
    instance = { module, memory, memoryBytes, ceilingBytes: pages * PAGE };
    return instance;
  }

  // Load the engine and run a throwaway hook as soon as the Worker starts: V8 compiles each
  // WebAssembly function the first time it runs, and QuickJS's parser alone costs ~150 ms the
  // first time; a Worker started ahead of its first hook (HookRunner.prepare) hides that.
  // A run that arrives before the engine is loaded warms it itself: no throwaway hook then.
  let warmUpWanted = true;
  const warming = instanceFor(WARM_UP_MEMORY_BYTES).then(
    (engine) => {
      if (!warmUpWanted) return;
      const drop = () => {
        if (instance === engine) instance = undefined;
      };
      try {
        runHook(
          engine,
          warmUpRun,
          options.now,
          () => {},
          (healthy) => healthy || drop(),
        );
      } catch {
        drop();
      }
    },
    () => {
      // Reported to the first run, which tries again.
      compiled = undefined;
    },
  );

  scope.addEventListener('message', ({ data }) => {
    const request = data as HookWorkerRequest;
    if (request?.type === 'run') {
      if (active) {
        post({
          type: 'failed',
          runId: request.runId,
          kind: 'crashed',
          detail: 'a run is already going',
        });
        return;
      }
      void start(request);
    } else if (request?.type === 'reply') {
      if (active && active.runId === request.runId) active.reply(request);
    }
  });

  async function start(request: Extract<HookWorkerRequest, { type: 'run' }>): Promise<void> {
    const runId = request.runId;
    let engine: Instance;
    // A placeholder, so a second run message that arrives while the engine loads is refused.
    active = { runId, reply: () => {} };
    warmUpWanted = false;
    try {
      await warming;
      engine = await instanceFor(request.memoryBytes);
    } catch (error) {
      active = undefined;
      compiled = undefined;
      instance = undefined;
      post({
        type: 'unavailable',
        runId,
        detail: error instanceof Error ? error.message : 'unknown',
      });
      return;
    }
    post({ type: 'started', runId });
    let over = false;
    let run: ActiveRun;
    try {
      run = runHook(engine, request, options.now, post, (healthy) => {
        over = true;
        active = undefined;
        // Dropped instances: a failed one, and one whose memory grew (a later run would start
        // with less room below the ceiling).
        if (!healthy || engine.memory.buffer.byteLength > BASE_BYTES + engine.memoryBytes / 2) {
          if (instance === engine) instance = undefined;
        }
      });
    } catch (error) {
      // The engine could not even make a runtime: it is broken, and so is this Worker.
      active = undefined;
      if (instance === engine) instance = undefined;
      const detail = error instanceof Error ? error.message : 'unknown failure';
      post({ type: 'failed', runId, kind: 'crashed', detail: `the engine failed: ${detail}` });
      return;
    }
    // A hook that needs no reply ends within runHook.
    if (!over) active = run;
  }
}

interface ActiveRun {
  readonly runId: number;
  reply(message: Extract<HookWorkerRequest, { type: 'reply' }>): void;
}

function runHook(
  engine: Instance,
  request: Extract<HookWorkerRequest, { type: 'run' }>,
  now: () => number,
  post: (message: HookWorkerMessage) => void,
  ended: (healthy: boolean) => void,
): ActiveRun {
  const runId = request.runId;
  let deadline = now() + request.timeMs;
  let stop: 'timeout' | 'memory' | undefined;
  let wrapUpUntil: number | undefined;
  let fatal: { readonly detail: string; readonly where: Where } | undefined;
  let broken: string | undefined;
  let seq = 0;
  let over = false;
  const handles: QuickJSHandle[] = [];
  const keep = <T extends QuickJSHandle>(handle: T): T => {
    handles.push(handle);
    return handle;
  };

  const runtime: QuickJSRuntime = engine.module.newRuntime();
  runtime.setMemoryLimit(request.memoryBytes);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  runtime.setInterruptHandler(() => {
    if (wrapUpUntil !== undefined) return now() > wrapUpUntil;
    if (fatal || broken) return true;
    if (now() > deadline) {
      stop ??= 'timeout';
      return true;
    }
    if (engine.memory.buffer.byteLength >= engine.ceilingBytes) {
      stop ??= 'memory';
      return true;
    }
    return false;
  });
  const context: QuickJSContext = runtime.newContext();

  const fromGuest = (text: string) => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      broken = 'the hook API sent text that is not JSON';
      return;
    }
    const m = message as { [key: string]: unknown };
    const id = m.id;
    const isId = (value: unknown): value is number => Number.isSafeInteger(value);
    switch (m.t) {
      case 'fail':
        if (typeof m.detail === 'string') {
          fatal ??= {
            detail: m.detail,
            where: hookPosition(typeof m.stack === 'string' ? m.stack : ''),
          };
        }
        return;
      case 'debug':
        post({
          type: 'debug',
          runId,
          value: JSON.stringify(m.value),
          ...(typeof m.label === 'string' ? { label: m.label } : {}),
        });
        return;
      case 'keep':
        post({ type: 'keep', runId, values: JSON.stringify(m.values) });
        return;
      case 'open':
        if (isId(id) && typeof m.name === 'string') {
          post({ type: 'open', runId, id, name: m.name });
          return;
        }
        break;
      case 'call':
        if (
          isId(id) &&
          isId(m.vault) &&
          typeof m.op === 'string' &&
          (vaultOps as readonly string[]).includes(m.op) &&
          Array.isArray(m.args)
        ) {
          const op = m.op as VaultOp;
          post({ type: 'call', runId, id, vault: m.vault, op, args: JSON.stringify(m.args) });
          return;
        }
        break;
      case 'close':
        if (isId(id) && isId(m.vault)) {
          post({ type: 'close', runId, id, vault: m.vault });
          return;
        }
        break;
    }
    broken = 'the hook API sent a message of an unknown shape';
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

  /** Reads a thrown value through the prelude's `describe`, within a short budget. */
  const readError = (error: QuickJSHandle) => {
    const blank = { name: '', message: '', stack: '', host: false };
    if (!api) return blank;
    wrapUpUntil = now() + WRAP_UP_MS;
    try {
      const fn = keep(context.getProp(api, 'describe'));
      const result = context.callFunction(fn, context.undefined, error);
      if (result.error) {
        result.error.dispose();
        return blank;
      }
      const text = context.getString(result.value);
      result.value.dispose();
      const parsed = JSON.parse(text) as typeof blank;
      return parsed;
    } catch {
      return blank;
    } finally {
      wrapUpUntil = undefined;
    }
  };

  const failFromError = (error: QuickJSHandle, compiling: boolean) => {
    if (broken) return fail('crashed', broken);
    if (fatal) return fail('not-json', fatal.detail, fatal.where);
    // No position for a stopped hook: QuickJS reports the interrupted frame's start, not the
    // line the hook was on, and a wrong line is worse than none.
    if (stop) return fail(stop, stopDetail(stop));
    const info = readError(error);
    const where = hookPosition(info.stack);
    const atCeiling = engine.memory.buffer.byteLength >= engine.ceilingBytes;
    if ((info.name === 'InternalError' && info.message === 'out of memory') || atCeiling) {
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
    let healthy = broken === undefined && stop === undefined;
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
      if (broken || fatal || stop) {
        if (broken) fail('crashed', broken);
        else if (fatal) fail('not-json', fatal.detail, fatal.where);
        else if (stop) fail(stop, stopDetail(stop));
        end();
        return;
      }
      post({ type: 'idle', runId, seq });
      return;
    }
    if (state.type === 'rejected') {
      keep(state.error);
      failFromError(state.error, false);
      end();
      return;
    }
    if (state.value !== promise) keep(state.value);
    if (broken || fatal || stop) {
      if (broken) fail('crashed', broken);
      else if (fatal) fail('not-json', fatal.detail, fatal.where);
      else if (stop) fail(stop, stopDetail(stop));
      end();
      return;
    }
    const finish = keep(context.getProp(api!, 'finish'));
    const result = context.callFunction(finish, context.undefined, state.value);
    if (result.error) {
      keep(result.error);
      failFromError(result.error, false);
      end();
      return;
    }
    const text = context.getString(result.value);
    result.value.dispose();
    const parsed = JSON.parse(text) as { result?: unknown; request?: unknown };
    post({
      type: 'done',
      runId,
      ...('result' in parsed ? { result: JSON.stringify(parsed.result) } : {}),
      ...('request' in parsed ? { request: JSON.stringify(parsed.request) } : {}),
    });
    end();
  };

  /** Runs the guest's pending jobs, then reports where the hook stands. */
  const drive = () => {
    try {
      for (;;) {
        const jobs = runtime.executePendingJobs();
        if (jobs.error) jobs.error.dispose();
        if (!runtime.hasPendingJob() || broken || fatal || stop) break;
      }
      settle();
    } catch (error) {
      crash(error);
    }
  };

  const crash = (error: unknown) => {
    if (over) return;
    const detail = error instanceof Error ? error.message : 'unknown failure';
    fail(
      stop ?? (engine.memory.buffer.byteLength >= engine.ceilingBytes ? 'memory' : 'crashed'),
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
    const evaluated = context.evalCode(
      `${wrapperPrefix}${request.code}${wrapperSuffix}`,
      hookFileName,
      { type: 'global' },
    );
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
      deadline = now() + message.budgetMs;
      const local: QuickJSHandle[] = [];
      let failure: { readonly error: unknown } | undefined;
      const hold = <T extends QuickJSHandle>(handle: T): T => {
        local.push(handle);
        return handle;
      };
      try {
        const settleFn = hold(context.getProp(api!, 'settle'));
        const value = message.ok ? message.value : message.message;
        const result = context.callFunction(
          settleFn,
          context.undefined,
          hold(context.newNumber(message.id)),
          message.ok ? context.true : context.false,
          value === undefined ? context.undefined : hold(context.newString(value)),
        );
        if (result.error) hold(result.error);
        else hold(result.value);
      } catch (error) {
        failure = { error };
      }
      try {
        for (const handle of local) if (handle.alive) handle.dispose();
      } catch (error) {
        failure ??= { error };
      }
      if (failure) crash(failure.error);
      else drive();
    },
  };
}
