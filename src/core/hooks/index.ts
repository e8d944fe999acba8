/**
 * Hooks: user-written JavaScript that an integration runs before its HTTP request (to change
 * it) and after (to read the response), in a sandbox.
 *
 * Contract:
 * - The hook runs in QuickJS (WebAssembly) inside a dedicated Worker that the page can
 *   terminate. The guest sees no host globals: no fetch, IndexedDB, DOM, timers, keys,
 *   WebAssembly, importScripts, postMessage or self; only the API below. The page, not the
 *   hook, sends the HTTP request.
 * - The code is the body of an async function in strict mode: top-level `await` and `return`
 *   work; lines and columns in errors are the user's own.
 * - Globals: `request` (before hook: a mutable copy of `input.request`, whose final value is
 *   returned as `outcome.request`; after hook: frozen, if given), `response` (after hook,
 *   frozen), `vault` (frozen: the entries given in `input.vault`), `kept` (frozen: what earlier
 *   hooks kept), `debug(value, { label })`, `console.log(...values)` (= debug; several values
 *   arrive as one array), `keep({ name: value })`, `openVault(name)` -> a handle with
 *   `get/set/delete/has/list/close` (each a Promise answered by the page), and
 *   `withVault(name, async (v) => ...)`, which always closes the vault and returns the
 *   callback's result. `await using` is not supported by this engine (QuickJS 0.32 does not
 *   parse it; `Symbol.asyncDispose` does not exist there), so handles have no
 *   `Symbol.asyncDispose` today; the prelude adds it if a later engine has the symbol.
 * - Everything that crosses to the page (debug and kept values, set values, the returned
 *   value, the final request) must be plain JSON: otherwise the run fails with kind
 *   'not-json' and a detail such as `debug(): value.callback is a function, not JSON`. A hook
 *   that returns `undefined` has no result.
 * - A host call that rejects rejects the guest's promise with an Error carrying the host
 *   error's message; uncaught, the run fails with kind 'host' at the line of the call.
 * - Limits (`defaultHookLimits`: 10 s, 64 MiB): the engine stops the hook at its deadline or
 *   memory ceiling; a watchdog on the page terminates the Worker shortly after the deadline if
 *   the engine did not. Time spent while the hook waits for `openVault` (another holder has
 *   the vault) is not counted.
 * - `run` resolves a HookOutcome for everything the hook does, and rejects only for bad input
 *   (TypeError/RangeError) or when the engine cannot start (HookEngineError). Runs are queued
 *   one at a time; one cancelled while it waits for its turn settles at once. Every vault the
 *   hook opened is closed before `run` settles.
 * - A hook that waits on a promise nothing can settle (no code running, no host call out: the
 *   guest has no timers or events) ends at once as 'thrown', rather than at its time limit.
 * - A HookError's `message` (for logs) holds the kind, hook and line only; `detail` may quote
 *   what the hook threw, so it goes through the masker before anyone sees it.
 * - `prepare()` starts the Worker ahead of the first run; the engine's first load costs
 *   ~100-200 ms (compiling the WebAssembly, and V8 compiling QuickJS's functions as they first
 *   run), later runs a few ms each.
 * - A Worker is reused for the next run after a normal end ('thrown', 'syntax', 'not-json',
 *   'host' or success) and replaced after 'timeout', 'memory', 'crashed', 'cancelled' and a
 *   hook stuck on a promise; each run gets a fresh QuickJS runtime and context.
 * - The app makes the Worker: `new Worker(new URL('../core/hooks/hook-worker.ts',
 *   import.meta.url), { type: 'module', name: 'coffer-hooks' })`. The server sends that file
 *   with a CSP that allows WebAssembly (src/server/csp.ts).
 */
export { HookEngineError, HookError, type HookErrorKind } from './errors';
export { defaultHookLimits } from './input';
export type { VaultOp } from './protocol';
export { createHookRunner } from './runner';
export type {
  HookHost,
  HookInput,
  HookLimits,
  HookOutcome,
  HookRunner,
  HookRunnerOptions,
  HookRunOptions,
  HookWorkerLike,
} from './types';
