/**
 * The page-side runner's API as types: what `run` takes (the input and its limits), what it
 * resolves (HookOutcome), and what the runner needs of the app (the HookHost answering the
 * guest's calls, and a Worker). The contract is in index.ts.
 */
import type { Scheduler } from '../time';
import type { JsonValue } from '../vault';
import type { HookError } from './errors';
import type { HookWorkerRequest, VaultOp } from './protocol';

export interface HookLimits {
  /** Milliseconds the hook may run, not counting waits for a vault to open. */
  readonly timeMs: number;
  /** Bytes of memory the engine may use for the hook, on top of its own ~16 MiB. */
  readonly memoryBytes: number;
}

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
