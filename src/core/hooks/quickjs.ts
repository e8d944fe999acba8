/**
 * QuickJS and its limits: an engine instance over a WebAssembly.Memory capped at the engine's
 * base plus the run's memory limit, a runtime with QuickJS's own memory and stack limits, and
 * the interrupt handler's time and memory checks (RunLimits). See engine.ts's header for why
 * each limit is where it is.
 */
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';

const PAGE = 65_536;
/** The engine's initial linear memory (the Emscripten build's INITIAL_MEMORY). */
const BASE_BYTES = 16 * 1024 * 1024;
/** wasm32 as this build allows it: 2 GiB. */
const MAX_PAGES = 32_768;
/** QuickJS's own stack limit; small enough that the host's stack is never the one to overflow. */
const MAX_STACK_BYTES = 256 * 1024;
/** Time granted to read a stopped hook's error (where it stood). */
const WRAP_UP_MS = 50;

/** A QuickJS module over its own linear memory, made for one memory limit. */
export interface Instance {
  readonly module: QuickJSWASMModule;
  readonly memory: WebAssembly.Memory;
  readonly memoryBytes: number;
  readonly ceilingBytes: number;
}

/** A new instance of the compiled engine whose memory can grow to its base plus `memoryBytes`. */
export async function newInstance(
  wasmModule: WebAssembly.Module,
  memoryBytes: number,
): Promise<Instance> {
  const pages = Math.min(MAX_PAGES, BASE_BYTES / PAGE + Math.ceil(memoryBytes / PAGE));
  const memory = new WebAssembly.Memory({ initial: BASE_BYTES / PAGE, maximum: pages });
  const module = await newQuickJSWASMModuleFromVariant(
    newVariant(RELEASE_SYNC, { wasmModule, wasmMemory: memory }),
  );
  return { module, memory, memoryBytes, ceilingBytes: pages * PAGE };
}

/** Whether the instance's memory has reached its ceiling. */
export function atCeiling(engine: Instance): boolean {
  return engine.memory.buffer.byteLength >= engine.ceilingBytes;
}

/**
 * Whether the instance's memory grew past half its limit: a later run would start with less
 * room below the ceiling, so it is dropped.
 */
export function outgrown(engine: Instance): boolean {
  return engine.memory.buffer.byteLength > BASE_BYTES + engine.memoryBytes / 2;
}

/** A runtime on `engine` with QuickJS's memory and stack limits and `interrupt` as its handler. */
export function newHookRuntime(
  engine: Instance,
  memoryBytes: number,
  interrupt: () => boolean,
): QuickJSRuntime {
  const runtime = engine.module.newRuntime();
  runtime.setMemoryLimit(memoryBytes);
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  runtime.setInterruptHandler(interrupt);
  return runtime;
}

/** One run's soft limits, as the interrupt handler checks them. */
export class RunLimits {
  private deadline: number;
  private wrapUpUntil: number | undefined;
  /** The limit that stopped the hook, once one has. */
  stop: 'timeout' | 'memory' | undefined;

  constructor(
    private readonly engine: Instance,
    private readonly now: () => number,
    timeMs: number,
  ) {
    this.deadline = now() + timeMs;
  }

  /** A new deadline, `budgetMs` from now (each reply from the page carries the budget left). */
  setBudget(budgetMs: number): void {
    this.deadline = this.now() + budgetMs;
  }

  /**
   * The interrupt handler's answer: true stops the guest. `halted` says the run has already
   * failed, so the guest stops at once (unless wrapping up).
   */
  interrupt(halted: boolean): boolean {
    if (this.wrapUpUntil !== undefined) return this.now() > this.wrapUpUntil;
    if (halted) return true;
    if (this.now() > this.deadline) {
      this.stop ??= 'timeout';
      return true;
    }
    if (atCeiling(this.engine)) {
      this.stop ??= 'memory';
      return true;
    }
    return false;
  }

  /** Runs `read` with a short time of its own, even after the hook was stopped. */
  wrapUp<T>(read: () => T): T {
    this.wrapUpUntil = this.now() + WRAP_UP_MS;
    try {
      return read();
    } finally {
      this.wrapUpUntil = undefined;
    }
  }
}
