/**
 * The Worker's side of the hook sandbox, its message loop: takes the page's `run` and `reply`
 * messages (protocol.ts), runs one hook at a time (guest-run.ts) and keeps the engine loaded
 * and warm between runs. hook-worker.ts starts it in the browser; tests start it in a Node
 * worker thread. QuickJS and its limits are in quickjs.ts, the JSON out of the guest in
 * marshal.ts, the calls to the page in host-calls.ts.
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
import { type ActiveRun, type RunRequest, runHook } from './guest-run';
import type { HookWorkerMessage, HookWorkerRequest } from './protocol';
import { type Instance, newInstance, outgrown } from './quickjs';

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

/** The memory limit the Worker prepares an instance for before any run asks (the default's). */
const WARM_UP_MEMORY_BYTES = 64 * 1024 * 1024;
/** A hook that goes through the prelude, the JSON walk and a result, to warm the engine. */
const warmUpRun: RunRequest = {
  type: 'run',
  runId: 0,
  hook: 'before',
  code: 'debug({ a: [1, "b"] }); request.x = 1; return { ok: true };',
  input: '{"request":{},"vault":{},"kept":{}}',
  timeMs: 5_000,
  memoryBytes: WARM_UP_MEMORY_BYTES,
};

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
    instance = await newInstance(wasmModule, memoryBytes);
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

  async function start(request: RunRequest): Promise<void> {
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
        if (!healthy || outgrown(engine)) {
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
