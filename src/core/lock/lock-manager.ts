/**
 * The part of the Web Locks API (`LockManager`) that Coffer uses, as a structural type, so core
 * can take the browser's `navigator.locks` or the in-memory twin without naming the DOM.
 */

/**
 * Options of a lock request. Coffer only takes exclusive locks.
 *
 * @example
 * const options: LockRequestOptions = { mode: 'exclusive', ifAvailable: true };
 */
export interface LockRequestOptions {
  readonly mode?: 'exclusive';
  /** Do not wait: call the callback with `null` at once if the lock cannot be granted now. */
  readonly ifAvailable?: boolean;
  /** Release whoever holds the lock (their request rejects with an AbortError) and take it. */
  readonly steal?: boolean;
  /** Aborts the request while it waits; ignored once the lock is granted. */
  readonly signal?: AbortSignal;
}

/**
 * A granted lock, as the callback sees it.
 *
 * @example
 * const callback = (lock: GrantedLock | null) => (lock ? `holding ${lock.name}` : 'busy');
 */
export interface GrantedLock {
  readonly name: string;
}

/**
 * One held or pending lock in a `query()` snapshot. `clientId` names the tab, frame or worker.
 *
 * @example
 * const info: LockInfoLike = { name: 'coffer/vault/v1', mode: 'exclusive', clientId: 'tab-1' };
 */
export interface LockInfoLike {
  readonly name?: string;
  readonly mode?: string;
  readonly clientId?: string;
}

/**
 * What `query()` returns: held locks, then pending requests, each in the order they came.
 *
 * @example
 * const snapshot: LockSnapshotLike = { held: [{ name: 'a', clientId: 'tab-1' }], pending: [] };
 */
export interface LockSnapshotLike {
  readonly held?: readonly LockInfoLike[];
  readonly pending?: readonly LockInfoLike[];
}

/**
 * The minimal subset of the DOM `LockManager` Coffer relies on. `navigator.locks` satisfies it;
 * so does `createMemoryLockManager()` for Node.
 *
 * The lock is held until the promise the callback returns settles, and `request` resolves or
 * rejects with the callback's result after the lock is released.
 *
 * @example
 * async function bump(locks: LockManagerLike, counter: { value: number }) {
 *   await locks.request('counter', { mode: 'exclusive' }, async () => {
 *     counter.value += 1;
 *   });
 * }
 */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: LockRequestOptions,
    callback: (lock: GrantedLock | null) => Promise<T> | T,
  ): Promise<T>;
  query(): Promise<LockSnapshotLike>;
}
