/**
 * Errors of the hook sandbox. A hook's failure is an outcome (`{ ok: false, error }`), not a
 * rejection: HookError carries what happened (`kind`), in which hook, where in the user's code
 * (`line`, `column`, 1-based, counted in the code as the user wrote it) and a `detail` written
 * for the person who wrote the hook.
 *
 * The engine's own details name API calls and JSON paths, never a value. But a `thrown` or
 * `host` detail is the message of what the hook threw, in the hook's own words, and a hook can
 * throw a secret (`throw new Error(vault.API_KEY)`): so `detail` is kept out of `message`
 * (which ends up in logs), and whoever shows `detail` passes it through the masker first.
 */
import { CofferError } from '../errors';

/**
 * What ended a hook run.
 * - `timeout`: it ran past its time limit (time spent waiting for a vault to open is not counted).
 * - `memory`: it ran out of its memory limit.
 * - `thrown`: it threw (or rejected) and did not catch it; `detail` is `Name: message`.
 * - `syntax`: the code does not parse.
 * - `not-json`: a value that crosses to the page (debug, keep, set, the returned value, the final
 *   request) is not plain JSON; `detail` says which call and which path.
 * - `host`: a call to the page (openVault, get, set, ...) failed and the hook did not catch it.
 * - `cancelled`: the run was cancelled through its AbortSignal.
 * - `crashed`: the engine's Worker failed or broke the protocol; the Worker is replaced.
 */
export type HookErrorKind =
  | 'timeout'
  | 'memory'
  | 'thrown'
  | 'syntax'
  | 'not-json'
  | 'host'
  | 'cancelled'
  | 'crashed';

/**
 * A hook run that failed.
 * @example
 * const outcome = await runner.run(input, host, {});
 * if (!outcome.ok && outcome.error.kind === 'thrown') {
 *   console.warn(`line ${outcome.error.line}: ${outcome.error.detail}`);
 * }
 */
export class HookError extends CofferError {
  override readonly name = 'HookError';
  override readonly code = 'hook-failed' as const;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    readonly kind: HookErrorKind,
    readonly hook: 'before' | 'after',
    readonly detail: string,
    where: { readonly line?: number | undefined; readonly column?: number | undefined } = {},
  ) {
    const at = where.line === undefined ? '' : ` at line ${where.line}`;
    super(`the ${hook} hook failed (${kind})${at}`);
    this.line = where.line;
    this.column = where.column;
  }
}

/**
 * The hook engine could not start: the Worker could not be created, or the QuickJS WebAssembly
 * module could not be fetched or compiled (offline before it was cached, or a CSP that forbids
 * WebAssembly). No hook code ran.
 * @example
 * try {
 *   await runner.run(input, host, {});
 * } catch (error) {
 *   if (error instanceof HookEngineError) showEngineMissing();
 * }
 */
export class HookEngineError extends CofferError {
  override readonly name = 'HookEngineError';
  override readonly code = 'hook-engine-unavailable' as const;
  constructor(
    readonly detail: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`the hook engine is not available: ${detail}`, options);
  }
}

/** The message of something thrown, for a detail: an Error's own, else a generic one. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'the call failed';
