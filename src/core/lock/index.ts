/**
 * The single-opener lock: a vault has one opener at a time across every tab, frame and worker
 * of the browser (design invariant 5). docs/locking.md describes the design.
 *
 * Contract:
 * - `createVaultMutex({ locks, channel, scheduler, holderLabel })` builds the mutex over a
 *   LockManagerLike: `navigator.locks` in the browser, `createMemoryLockManager()` in Node.
 *   core never names `navigator`: the platform passes it in. The scheduler (core/time) gives
 *   `since` and times the wait for a holder's answer; `clock` still overrides `since`.
 * - `acquire(lockName, options)` takes an exclusive Web Lock named `lockName` and resolves with
 *   a Lease once granted. Waiters are served first come, first served. Options (at most one):
 *   - `signal`: abort the wait; rejects with LockWaitAbortedError (`timedOut` for
 *     `AbortSignal.timeout()`). Once granted, the signal is ignored.
 *   - `ifAvailable`: reject at once with VaultBusyError (naming the holder when it answers)
 *     when someone holds the lock or waits for it.
 *   - `steal`: take the lock at once, ahead of any waiter; the old lease's `lost` resolves
 *     'stolen', and its `release()` no longer touches the lock.
 * - A lease is held until `release()` (idempotent; resolves when the lock is really released),
 *   a steal, or the end of its tab: a closed or crashed tab releases its locks.
 * - `whoHolds(lockName)` says whether the lock is held (from `locks.query()`), and by whom
 *   (label and since, which the holder announces on the HolderChannel when asked).
 * - Async calls reject, never throw. Bad arguments reject with InvalidLockRequestError, which
 *   says what was expected and what arrived.
 * - `createMemoryLockManager()` and `createMemoryChannelHub()` are the Node twins of
 *   `navigator.locks` and `BroadcastChannel`, with the same semantics; the contract suite in
 *   tests/contract/vault-mutex.contract.ts runs against both.
 */
export {
  type HolderInfo,
  InvalidLockRequestError,
  LockWaitAbortedError,
  VaultBusyError,
} from './errors';
export {
  createMemoryChannelHub,
  type HolderChannel,
  type HolderChannelEvent,
  type MemoryChannelHub,
} from './holder-channel';
export type {
  GrantedLock,
  LockInfoLike,
  LockManagerLike,
  LockRequestOptions,
  LockSnapshotLike,
} from './lock-manager';
export { createMemoryLockManager, type MemoryLockManager } from './memory-lock-manager';
export {
  type AcquireOptions,
  createVaultMutex,
  type Lease,
  type LeaseLostReason,
  type VaultMutex,
  type VaultMutexOptions,
} from './vault-mutex';
