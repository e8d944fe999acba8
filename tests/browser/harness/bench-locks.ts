/**
 * The lock hand-off benchmark (`lock_handoff_ms`, bench/workloads/lock-handoff.ts), one tab's
 * side of it: two pages of one browser context run this, one holding a vault while the other
 * waits in `openVault`, and swap roles each round. Times are epoch milliseconds
 * (`performance.timeOrigin + performance.now()`), so the workload can subtract one page's
 * times from the other's.
 */
import { core } from './core';

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const passphrase = 'a benchmark passphrase';
const vaultName = 'handoff';
const epoch = () => performance.timeOrigin + performance.now();

/**
 * When this page's vault lock was last granted and last given back, seen at `navigator.locks`
 * itself. That splits a hand-off into the closing tab's work up to its release, the Web Locks
 * transfer between the tabs, and the opening tab's load after its grant, which the vault API
 * does not expose. The wrapper only takes two timestamps around the app's own callback.
 */
const lockTimes: { granted: number | undefined; released: number | undefined } = {
  granted: undefined,
  released: undefined,
};

function instrumentLocks(): void {
  const locks = navigator.locks;
  type Callback = (lock: Lock | null) => unknown;
  const request = locks.request.bind(locks) as (
    name: string,
    options: LockOptions,
    callback: Callback,
  ) => Promise<unknown>;
  Object.defineProperty(locks, 'request', {
    configurable: true,
    value: (name: string, options: LockOptions, callback: Callback) =>
      request(name, options, async (lock) => {
        if (lock === null || !name.startsWith('coffer/vault/')) return callback(lock);
        lockTimes.granted = epoch();
        try {
          return await callback(lock);
        } finally {
          lockTimes.released = epoch();
        }
      }),
  });
}

/** Tells this page's messages apart: a BroadcastChannel also delivers to the sender's page. */
const tabId = crypto.randomUUID();
interface ClockMessage {
  readonly from: string;
  readonly ping?: number;
  readonly pong?: number;
  readonly at?: number;
}

/** Answers the other tab's clock pings with this page's epoch time. */
function answerClockPings(): void {
  const channel = new BroadcastChannel('coffer/bench-clock');
  channel.onmessage = ({ data }: MessageEvent<ClockMessage>) => {
    if (data.from !== tabId && data.ping !== undefined) {
      channel.postMessage({ from: tabId, pong: data.ping, at: epoch() } satisfies ClockMessage);
    }
  };
}

let opening: Promise<{ openedAt: number; grantedAt: number }> | undefined;

export const benchLocks = {
  /** Tab A: a profile and a vault of `n` entries, left open (this tab holds its lock). */
  async create({ n }: { n: number }) {
    instrumentLocks();
    answerClockPings();
    core.start({ fast: true, holderLabel: 'bench tab A' });
    must(await core.createProfile(passphrase));
    must(await core.createVault(vaultName));
    must(await core.open(vaultName));
    const vault = core.vault(vaultName);
    // The same entries as `open_ms` (bench.ts), so the load part of a hand-off compares with it.
    const batch = 1000;
    for (let start = 0; start < n; start += batch) {
      const entries = [];
      for (let i = start; i < Math.min(n, start + batch); i++) {
        entries.push({
          name: `ENTRY_${String(i).padStart(6, '0')}`,
          value: { url: `https://service-${i}.example`, user: `user${i}`, note: 'x'.repeat(40) },
        });
      }
      await vault.setMany(entries);
    }
    // Closing compacts the log into a snapshot, as a vault that has been used once is stored.
    must(await core.close(vaultName));
    must(await core.open(vaultName));
    return { visibility: document.visibilityState, storedBytes: core.vault(vaultName).storedBytes };
  },

  /** Tab B: unlocks the profile tab A created (one IndexedDB, shared by the tabs). */
  async join() {
    instrumentLocks();
    answerClockPings();
    core.start({ fast: true, holderLabel: 'bench tab B' });
    must(await core.unlock(passphrase));
    return { visibility: document.visibilityState };
  },

  /**
   * This page's clock minus the other tab's, from `count` pings over a BroadcastChannel: the
   * offset of the ping with the shortest round trip, and that round trip (the offset's bound).
   */
  async clockOffset(count: number) {
    const channel = new BroadcastChannel('coffer/bench-clock');
    let best = { offset: 0, roundTrip: Number.POSITIVE_INFINITY };
    try {
      for (let ping = 0; ping < count; ping++) {
        const sent = epoch();
        const other = await new Promise<number>((resolve) => {
          channel.onmessage = ({ data }: MessageEvent<ClockMessage>) => {
            if (data.from !== tabId && data.pong === ping && data.at !== undefined)
              resolve(data.at);
          };
          channel.postMessage({ from: tabId, ping } satisfies ClockMessage);
        });
        const received = epoch();
        if (received - sent < best.roundTrip) {
          best = { offset: (sent + received) / 2 - other, roundTrip: received - sent };
        }
      }
    } finally {
      channel.close();
    }
    return best;
  },

  /** The waiting tab: calls openVault, which waits for the lock; `opened` gives the outcome. */
  beginOpen() {
    lockTimes.granted = undefined;
    opening = core.open(vaultName).then((result) => {
      const openedAt = epoch();
      must(result);
      if (lockTimes.granted === undefined) throw new Error('the vault opened without a grant');
      return { openedAt, grantedAt: lockTimes.granted };
    });
    // Nothing to return while it waits: the holder checks that the request is queued.
    return true;
  },

  /**
   * Resolves once another tab's request for a vault lock is queued, so that the hand-off
   * measured starts with the waiter already waiting (not with its request still on the way).
   */
  async untilSomeoneWaits(timeoutMs = 10_000) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const { pending = [] } = await navigator.locks.query();
      if (pending.some((lock) => lock.name?.startsWith('coffer/vault/'))) return true;
      if (performance.now() > deadline) throw new Error('no other tab is waiting for the vault');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  },

  /** The holding tab: closes the vault, timing the call and the lock's release. */
  async close() {
    lockTimes.released = undefined;
    const closing = epoch();
    must(await core.close(vaultName));
    const closed = epoch();
    if (lockTimes.released === undefined) throw new Error('close() did not release the lock');
    return { closing, released: lockTimes.released, closed };
  },

  /** The waiting tab, after the hand-off: its times, and the vault checked to be whole. */
  async opened({ n }: { n: number }) {
    if (!opening) throw new Error('beginOpen() was not called in this tab');
    const times = await opening;
    opening = undefined;
    const listed = must(await core.list(vaultName)).length;
    if (listed !== n) throw new Error(`the vault opened with ${listed} of ${n} entries`);
    return times;
  },
};
