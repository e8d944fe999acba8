/**
 * Errors of the lock module. They carry the lock's name and what is known about its holder,
 * never anything from inside a vault.
 */

import { CofferError } from '../errors';

/**
 * Who holds a lock, as far as the holder told us. `label` and `since` are undefined when the
 * lock is held but its holder did not answer (an older tab, or one with no holder channel).
 *
 * @example
 * const holder: HolderInfo = { label: 'Tab opened 10:42', since: Date.now(), heldHere: false };
 * const text = holder.label ? `Open in ${holder.label}` : 'Open in another tab';
 */
export interface HolderInfo {
  /** The holder's label, e.g. "Tab opened 10:42". */
  readonly label: string | undefined;
  /** When the holder was granted the lock, in ms on the holder's clock. */
  readonly since: number | undefined;
  /** True when the holder is this mutex (this tab) itself. */
  readonly heldHere: boolean;
}

/**
 * `ifAvailable` was asked and someone else holds the lock (or is ahead in the queue).
 *
 * @example
 * try {
 *   await mutex.acquire('coffer/vault/v1', { ifAvailable: true });
 * } catch (error) {
 *   if (error instanceof VaultBusyError) console.warn(`busy since ${error.holder?.since}`);
 * }
 */
export class VaultBusyError extends CofferError {
  override readonly name = 'VaultBusyError';
  override readonly code = 'vault-busy' as const;
  constructor(
    readonly lockName: string,
    readonly holder: HolderInfo | undefined,
  ) {
    super(
      holder?.label
        ? `lock "${lockName}" is held by ${holder.label}`
        : `lock "${lockName}" is held by another tab or worker`,
    );
  }
}

/** True for the DOMException that `AbortSignal.timeout()` aborts with. */
function isTimeout(reason: unknown): boolean {
  return (
    typeof reason === 'object' &&
    reason !== null &&
    (reason as { readonly name?: unknown }).name === 'TimeoutError'
  );
}

/**
 * The signal aborted while waiting for the lock. `timedOut` tells a timeout
 * (`AbortSignal.timeout()`) from any other abort; `reason` is the signal's reason as given.
 *
 * @example
 * try {
 *   await mutex.acquire('coffer/vault/v1', { signal: AbortSignal.timeout(5000) });
 * } catch (error) {
 *   if (error instanceof LockWaitAbortedError && error.timedOut) console.warn(error.message);
 * }
 */
export class LockWaitAbortedError extends CofferError {
  override readonly name = 'LockWaitAbortedError';
  override readonly code = 'lock-wait-aborted' as const;
  readonly timedOut: boolean;
  constructor(
    readonly lockName: string,
    readonly reason: unknown,
  ) {
    const timedOut = isTimeout(reason);
    super(
      timedOut
        ? `waiting for lock "${lockName}" timed out`
        : `waiting for lock "${lockName}" was aborted`,
      { cause: reason },
    );
    this.timedOut = timedOut;
  }
}

/**
 * An argument the mutex cannot use: says which one, what was expected and what arrived.
 *
 * @example
 * const error = new InvalidLockRequestError('lockName', 'a non-empty string', '""');
 * error.message; // 'invalid lockName: expected a non-empty string, got ""'
 */
export class InvalidLockRequestError extends CofferError {
  override readonly name = 'InvalidLockRequestError';
  override readonly code = 'invalid-lock-request' as const;
  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly received: string,
  ) {
    super(`invalid ${argument}: expected ${expected}, got ${received}`);
  }
}

/**
 * A short description of a value for error messages: its type, and the value itself when it is
 * short and cannot be a secret (lock names and flags only reach here).
 *
 * @example
 * describeValue(''); // '""'
 * describeValue({ steal: true }); // 'an object'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length <= 60 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  }
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
