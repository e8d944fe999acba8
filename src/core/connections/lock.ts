import { InvalidLockRequestError, type LockManagerLike } from '../lock';
import type { ConnectionValue } from '../vault';
import type { NamedConnection } from './apply';
import { fetchToken, type TokenDeps } from './token';
import { refreshDue, tokenState, withToken } from './token-state';

/**
 * The Web Lock that serialises token upkeep of one connection across the tabs and workers of
 * this browser.
 * @example
 * connectionLockName('01J…'); // 'coffer/connection/01J…'
 */
export function connectionLockName(connectionId: string): string {
  return `coffer/connection/${connectionId}`;
}

/**
 * Runs `fn` holding the connection's exclusive lock (`locks` is `navigator.locks` in the browser,
 * `createMemoryLockManager()` in Node), and resolves or rejects with its result once the lock is
 * released. Two tabs never run `fn` for one connection at once, so a refresh token is used once.
 * Devices are coordinated by `TokenUpkeepDeps.coordinate` (lease.ts), not by this lock.
 * @example
 * await withConnectionLock(locks, entryId, async () => refreshIfDue());
 */
export async function withConnectionLock<T>(
  locks: LockManagerLike,
  connectionId: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (typeof connectionId !== 'string' || connectionId === '') {
    throw new InvalidLockRequestError(
      'connectionId',
      'a non-empty string',
      typeof connectionId === 'string' ? '""' : typeof connectionId,
    );
  }
  return locks.request(connectionLockName(connectionId), { mode: 'exclusive' }, () => fn());
}

/**
 * What `ensureAccessToken` needs: the token deps, the lock manager, and how to read and write
 * the connection (the caller's vault: `write` must be ONE `vault.set` of the whole value).
 */
export interface TokenUpkeepDeps extends TokenDeps {
  readonly locks: LockManagerLike;
  /** Reads the connection as stored now (called after the lock is granted). */
  readonly read: () => Promise<NamedConnection>;
  /** Stores the connection's new value, in one write. */
  readonly write: (value: ConnectionValue) => Promise<void>;
  /**
   * Called under the lock when a refresh is due, before the token request: coordinates with
   * other devices (see lease.ts). Resolves undefined to go on and refresh, or with the
   * connection another device already refreshed (used as it is unless still due).
   */
  readonly coordinate?: (current: NamedConnection) => Promise<NamedConnection | undefined>;
  /** Called under the lock when the token request failed (to record it), before rejecting. */
  readonly recordFailure?: (error: unknown) => Promise<void>;
}

/**
 * Options of `ensureAccessToken`. `rejected`: an access token the API refused (401
 * `invalid_token`): it is replaced even if not due, unless another tab already replaced it.
 */
export interface EnsureTokenOptions {
  readonly rejected?: string;
}

/**
 * The connection with a usable access token: under the connection's lock, re-reads it, and
 * gets and stores a new token only when the stored one is due (`refreshDue`) or is the one the
 * API rejected. A tab that waited for the lock finds the token the other tab stored, and does
 * not spend the (rotated) refresh token again.
 * @example
 * const { value } = await ensureAccessToken(deps, entryId);
 * const { request } = applyConnection(base, { name, value });
 */
export async function ensureAccessToken(
  deps: TokenUpkeepDeps,
  connectionId: string,
  options: EnsureTokenOptions = {},
): Promise<NamedConnection> {
  return withConnectionLock(deps.locks, connectionId, async () => {
    const current = await deps.read();
    const state = tokenState(current.value);
    const rejected = options.rejected !== undefined && state?.accessToken === options.rejected;
    if (!rejected && !refreshDue(state, deps.now())) return current;
    const other = await deps.coordinate?.(current);
    if (other && !refreshDue(tokenState(other.value), deps.now())) return other;
    const latest = other ?? current;
    let token: Awaited<ReturnType<typeof fetchToken>>;
    try {
      token = await fetchToken(latest, deps);
    } catch (error) {
      await deps.recordFailure?.(error).catch(() => undefined);
      throw error;
    }
    const value = withToken(latest.value, token);
    await deps.write(value);
    return { name: latest.name, value };
  });
}
