/**
 * The single-opener mutex: one exclusive Web Lock per vault, held for as long as the vault is
 * open, across every tab and worker of the origin.
 */

import { type Clock, type Scheduler, systemScheduler } from '../time';
import {
  describeValue,
  type HolderInfo,
  InvalidLockRequestError,
  LockWaitAbortedError,
  VaultBusyError,
} from './errors';
import type { HolderChannel } from './holder-channel';
import { createHolderAnnouncer, type HolderState } from './holder-protocol';
import type { LockManagerLike, LockRequestOptions } from './lock-manager';

/**
 * Why a lease ended: `'released'` (its holder called `release()`) or `'stolen'` (another
 * request took the lock with `steal: true`, or the platform otherwise took it away).
 *
 * @example
 * void lease.lost.then((reason) => {
 *   if (reason === 'stolen') console.warn('another tab took over this vault');
 * });
 */
export type LeaseLostReason = 'released' | 'stolen';

/**
 * A held lock. Release it when done; until then nobody else in the origin can acquire it,
 * except by stealing it.
 *
 * @example
 * const lease = await mutex.acquire('coffer/vault/v1');
 * try {
 *   // ... only this tab writes the vault here ...
 * } finally {
 *   await lease.release();
 * }
 */
export interface Lease {
  readonly name: string;
  /** When the lock was granted, in ms on the mutex's clock. */
  readonly since: number;
  /** Resolves once, when the lease ends, with the reason. */
  readonly lost: Promise<LeaseLostReason>;
  /**
   * Releases the lock. Idempotent; resolves when the lock has been released (at once if it was
   * stolen: the stealer's lock is never touched).
   */
  release(): Promise<void>;
}

/**
 * How to acquire. At most one of `signal`, `ifAvailable`, `steal`: the Web Locks API refuses the
 * other combinations, and so does the mutex.
 *
 * @example
 * const wait5s: AcquireOptions = { signal: AbortSignal.timeout(5000) };
 * const noWait: AcquireOptions = { ifAvailable: true };
 */
export interface AcquireOptions {
  /** Give up waiting when it aborts: LockWaitAbortedError. Ignored once the lock is granted. */
  readonly signal?: AbortSignal;
  /** Do not wait: VaultBusyError at once if someone holds the lock or is queued for it. */
  readonly ifAvailable?: boolean;
  /** Take the lock from its holder at once (their lease's `lost` says 'stolen'). */
  readonly steal?: boolean;
}

/**
 * The mutex the vault layer uses. Lock names are any non-empty string not starting with "-"
 * (Web Locks reserves those); the vault layer passes `coffer/vault/<vaultId>`.
 *
 * @example
 * const lease = await mutex.acquire('coffer/vault/v1', { signal: AbortSignal.timeout(5000) });
 * const holder = await mutex.whoHolds('coffer/vault/v1'); // { label, since, heldHere: true }
 * await lease.release();
 */
export interface VaultMutex {
  /** Waits for the lock (see AcquireOptions) and resolves with its lease. Never throws. */
  acquire(lockName: string, options?: AcquireOptions): Promise<Lease>;
  /**
   * Who holds the lock, or undefined if nobody does. Label and since come from the holder's
   * answer on the holder channel; they are undefined if it did not answer in time.
   */
  whoHolds(lockName: string): Promise<HolderInfo | undefined>;
  /** Whether anyone (this tab or another) is queued for the lock: a holder may then hurry. */
  hasWaiters(lockName: string): Promise<boolean>;
}

/**
 * What the mutex is built on.
 *
 * @example
 * const options: VaultMutexOptions = {
 *   locks: createMemoryLockManager(),
 *   channel: createMemoryChannelHub().channel(),
 *   holderLabel: 'Tab opened 10:42',
 * };
 */
export interface VaultMutexOptions {
  /** `navigator.locks` in the browser, `createMemoryLockManager()` in Node. */
  readonly locks: LockManagerLike;
  /** Where holders announce themselves: `new BroadcastChannel(...)`, the same name in every tab. */
  readonly channel?: HolderChannel;
  /** Time for `since` and the wait for the holder's answer (the system's by default). */
  readonly scheduler?: Scheduler;
  /** Milliseconds for `since`, in place of the scheduler's `now` (kept for older callers). */
  readonly clock?: Clock;
  /** Shown to waiting tabs, e.g. "Tab opened 10:42". */
  readonly holderLabel?: string;
  /** How long `whoHolds` waits for the holder's answer; 200 ms by default. */
  readonly holderReplyTimeoutMs?: number;
}

const defaultHolderReplyTimeoutMs = 200;

function invalidAcquire(lockName: unknown, options: unknown): InvalidLockRequestError | undefined {
  const nameError = invalidLockName(lockName);
  if (nameError) return nameError;
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    return new InvalidLockRequestError('options', 'an object or undefined', describeValue(options));
  }
  const { signal, ifAvailable, steal } = options as Record<string, unknown>;
  for (const [flag, value] of [
    ['ifAvailable', ifAvailable],
    ['steal', steal],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      return new InvalidLockRequestError(`options.${flag}`, 'a boolean', describeValue(value));
    }
  }
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof (signal as { aborted?: unknown }).aborted !== 'boolean' ||
      typeof (signal as { addEventListener?: unknown }).addEventListener !== 'function')
  ) {
    return new InvalidLockRequestError('options.signal', 'an AbortSignal', describeValue(signal));
  }
  if (steal && ifAvailable) {
    return new InvalidLockRequestError(
      'options',
      'at most one of steal (take the lock now) and ifAvailable (give up if it is taken)',
      'both',
    );
  }
  if (signal !== undefined && (steal || ifAvailable)) {
    return new InvalidLockRequestError(
      'options',
      `no signal with ${steal ? 'steal' : 'ifAvailable'}, which never waits`,
      `a signal and ${steal ? 'steal' : 'ifAvailable'}`,
    );
  }
  return undefined;
}

function invalidLockName(lockName: unknown): InvalidLockRequestError | undefined {
  if (typeof lockName !== 'string' || lockName.length === 0) {
    return new InvalidLockRequestError(
      'lockName',
      'a non-empty string such as "coffer/vault/<vaultId>"',
      describeValue(lockName),
    );
  }
  if (lockName.startsWith('-')) {
    return new InvalidLockRequestError(
      'lockName',
      'a name not starting with "-" (Web Locks reserves those)',
      describeValue(lockName),
    );
  }
  return undefined;
}

interface HeldLease extends Lease {
  readonly label: string | undefined;
}

const holderState = (lease: HeldLease): HolderState =>
  lease.label === undefined ? { since: lease.since } : { label: lease.label, since: lease.since };

/**
 * Creates the mutex over a lock manager and, optionally, a holder channel.
 *
 * @example
 * // In the browser (app/main.ts wires the platform in):
 * const mutex = createVaultMutex({
 *   locks: navigator.locks,
 *   channel: new BroadcastChannel('coffer/vault-holders'),
 *   holderLabel: 'Tab opened 10:42',
 * });
 * // In Node tests, two "tabs" over one lock space:
 * const locks = createMemoryLockManager();
 * const hub = createMemoryChannelHub();
 * const tab1 = createVaultMutex({ locks: locks.forClient('tab-1'), channel: hub.channel() });
 * const tab2 = createVaultMutex({ locks: locks.forClient('tab-2'), channel: hub.channel() });
 */
export function createVaultMutex(options: VaultMutexOptions): VaultMutex {
  const { locks } = options;
  if (typeof locks?.request !== 'function' || typeof locks.query !== 'function') {
    throw new InvalidLockRequestError(
      'options.locks',
      'a LockManager (navigator.locks or createMemoryLockManager())',
      describeValue(locks),
    );
  }
  const scheduler = options.scheduler ?? systemScheduler;
  const clock = options.clock ?? (() => scheduler.now());
  const label = options.holderLabel;
  /** The lease this mutex holds for each lock name. */
  const leases = new Map<string, HeldLease>();
  const announcer = createHolderAnnouncer({
    channel: options.channel,
    replyTimeoutMs: options.holderReplyTimeoutMs ?? defaultHolderReplyTimeoutMs,
    scheduler,
    heldHere: (lockName) => {
      const lease = leases.get(lockName);
      return lease && holderState(lease);
    },
  });

  const isHeld = async (lockName: string): Promise<boolean> => {
    const snapshot = await locks.query();
    return (snapshot.held ?? []).some((lock) => lock.name === lockName);
  };

  const whoHolds = async (lockName: string): Promise<HolderInfo | undefined> => {
    const invalid = invalidLockName(lockName);
    if (invalid) throw invalid;
    const own = leases.get(lockName);
    if (own) return { label: own.label, since: own.since, heldHere: true };
    if (!(await isHeld(lockName))) return undefined;
    const answer = await announcer.ask(lockName);
    if (answer) return { label: answer.label, since: answer.since, heldHere: false };
    // No answer: the holder may have released meanwhile, or be unable to answer.
    if (!(await isHeld(lockName))) return undefined;
    return { label: undefined, since: undefined, heldHere: false };
  };

  const acquire = (lockName: string, acquireOptions: AcquireOptions = {}): Promise<Lease> => {
    const invalid = invalidAcquire(lockName, acquireOptions);
    if (invalid) return Promise.reject(invalid);
    // An already-aborted signal needs no check here: the lock manager rejects it at once.
    const { signal, ifAvailable, steal } = acquireOptions;

    return new Promise<Lease>((resolve, reject) => {
      let granted: HeldLease | undefined;
      let busy = false;
      let endHold!: () => void;
      const hold = new Promise<void>((resolveHold) => {
        endHold = resolveHold;
      });
      let endLease!: (reason: LeaseLostReason) => void;
      const lost = new Promise<LeaseLostReason>((resolveLost) => {
        endLease = resolveLost;
      });

      const requestOptions: LockRequestOptions = {
        mode: 'exclusive',
        ...(ifAvailable ? { ifAvailable: true } : {}),
        ...(steal ? { steal: true } : {}),
        ...(signal ? { signal } : {}),
      };

      const onGranted = (): Promise<void> => {
        const lease: HeldLease = {
          name: lockName,
          since: clock(),
          label,
          lost,
          release: () => {
            endHold();
            return lost.then(() => undefined);
          },
        };
        granted = lease;
        leases.set(lockName, lease);
        announcer.acquired(lockName, holderState(lease));
        resolve(lease);
        return hold;
      };

      const onEnded = (reason: LeaseLostReason, lease: HeldLease): void => {
        // A stolen lease's callback is still waiting on `hold`; let it finish.
        endHold();
        if (leases.get(lockName) === lease) leases.delete(lockName);
        if (reason === 'released') announcer.released(lockName);
        endLease(reason);
      };

      let request: Promise<void>;
      try {
        request = locks.request(lockName, requestOptions, (lock) => {
          if (lock === null) {
            busy = true;
            return undefined;
          }
          return onGranted();
        });
      } catch (error) {
        // A LockManagerLike that throws instead of rejecting: still reject, never throw.
        reject(error);
        return;
      }

      request.then(
        () => {
          if (granted) {
            onEnded('released', granted);
            return;
          }
          if (!busy) {
            reject(new Error(`lock "${lockName}" was neither granted nor refused`));
            return;
          }
          // The holder is decoration on the error; failing to learn it must not hide the error.
          whoHolds(lockName)
            .catch(() => undefined)
            .then((holder) => reject(new VaultBusyError(lockName, holder)));
        },
        (error: unknown) => {
          if (granted) {
            // Our callback never rejects, so a granted request only fails when the platform
            // breaks the lock: a steal (AbortError).
            onEnded('stolen', granted);
            return;
          }
          reject(signal?.aborted ? new LockWaitAbortedError(lockName, signal.reason) : error);
        },
      );
    });
  };

  const hasWaiters = async (lockName: string): Promise<boolean> => {
    const invalid = invalidLockName(lockName);
    if (invalid) throw invalid;
    const snapshot = await locks.query();
    return (snapshot.pending ?? []).some((lock) => lock.name === lockName);
  };

  return { acquire, whoHolds, hasWaiters };
}
