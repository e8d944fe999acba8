/**
 * Lock-module bindings for browser tests (`window.harness.locks`):
 * - the vault mutex contract over the real `navigator.locks`, each client a same-origin iframe
 *   (a Web Locks client of its own, with its own clientId) whose removal is a closed tab;
 * - one VaultMutex per page over `navigator.locks` and a BroadcastChannel, for tests that drive
 *   several real tabs, with a read-modify-write counter in IndexedDB to catch overlapping holders.
 */
import {
  createVaultMutex,
  type HolderChannel,
  type Lease,
  type LeaseLostReason,
  type LockManagerLike,
  type VaultMutex,
} from '../../../src/core/lock';
import {
  type ContractClient,
  type VaultMutexContractEnv,
  vaultMutexScenarios,
} from '../../contract/vault-mutex.contract';

// The platform's objects are what the lock module's interfaces describe (checked by tsc).
const platformLocks: LockManagerLike = navigator.locks;
const holderChannel = (name: string): HolderChannel => new BroadcastChannel(name);

const randomId = () => Math.random().toString(36).slice(2, 10);

function errorInfo(error: unknown) {
  const e = error as Error & Record<string, unknown>;
  return {
    name: e?.name,
    message: e?.message,
    lockName: e?.lockName,
    holder: e?.holder,
    timedOut: e?.timedOut,
    stack: e?.stack,
  };
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: ReturnType<typeof errorInfo> };

/** Runs an async call and returns its result or its error's name, message and data. */
async function attempt<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error: errorInfo(error) };
  }
}

async function countLocks(locks: LockManagerLike, lockName: string) {
  const { held = [], pending = [] } = await locks.query();
  return {
    held: held.filter((lock) => lock.name === lockName).length,
    pending: pending.filter((lock) => lock.name === lockName).length,
  };
}

/**
 * Clients are iframes with no src: each keeps the initial about:blank document of this origin,
 * so its `navigator.locks` is a separate Web Locks client of the same lock space. Removing the
 * iframe destroys its document, which releases its locks and drops its requests, as closing a
 * tab does. The mutex code itself runs in this page; only the platform objects are the frame's.
 */
function iframeEnv(): VaultMutexContractEnv & { dispose(): void } {
  const channelName = `coffer/test-holders/${randomId()}`;
  const frames = new Map<ContractClient, { frame: HTMLIFrameElement; channel: BroadcastChannel }>();
  return {
    async client(label) {
      const frame = document.createElement('iframe');
      frame.hidden = true;
      document.body.append(frame);
      const view = frame.contentWindow as (Window & typeof globalThis) | null;
      if (!view) throw new Error('the client iframe has no window');
      const channel = new view.BroadcastChannel(channelName);
      const client: ContractClient = {
        label,
        mutex: createVaultMutex({
          locks: view.navigator.locks,
          channel,
          holderLabel: label,
          // Every holder in the scenarios answers; the margin is for a loaded CI machine.
          holderReplyTimeoutMs: 2000,
        }),
      };
      frames.set(client, { frame, channel });
      return client;
    },
    async crash(client) {
      const entry = frames.get(client);
      if (!entry) throw new Error(`no such client: ${client.label}`);
      entry.frame.remove();
      frames.delete(client);
    },
    snapshot: (lockName) => countLocks(platformLocks, lockName),
    lockName: (hint) => `coffer/test/${hint}/${randomId()}`,
    dispose() {
      for (const { frame, channel } of frames.values()) {
        channel.close();
        frame.remove();
      }
      frames.clear();
    },
  };
}

/** This page as one tab: its mutex, leases and the outcome of requests still waiting. */
const tab: {
  label?: string;
  mutex?: VaultMutex;
  leases: Map<string, Lease>;
  lost: Map<string, LeaseLostReason>;
  waiting: Map<string, Promise<Attempt<{ since: number }>>>;
} = { leases: new Map(), lost: new Map(), waiting: new Map() };

function mutex(): VaultMutex {
  if (!tab.mutex) throw new Error('call harness.locks.start(label) first');
  return tab.mutex;
}

interface AcquireRequest {
  ifAvailable?: boolean;
  steal?: boolean;
  timeoutMs?: number;
}

function acquireInTab(lockName: string, request: AcquireRequest) {
  return attempt(async () => {
    const lease = await mutex().acquire(lockName, {
      ...(request.ifAvailable ? { ifAvailable: true } : {}),
      ...(request.steal ? { steal: true } : {}),
      ...(request.timeoutMs ? { signal: AbortSignal.timeout(request.timeoutMs) } : {}),
    });
    tab.leases.set(lockName, lease);
    tab.lost.delete(lockName);
    void lease.lost.then((reason) => tab.lost.set(lockName, reason));
    return { since: lease.since };
  });
}

/** A tiny key-value store in IndexedDB, shared by every tab of the origin. */
async function openCounterDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('state');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** One transaction over the store; resolves with `fn`'s result once it has committed. */
function inTransaction<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore, done: (value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('state', mode, { durability: 'strict' });
    let result: T;
    fn(tx.objectStore('state'), (value) => {
      result = value;
    });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Adds `delta` to the number stored at `key` in one transaction (atomic across tabs). */
function addTo(db: IDBDatabase, key: string, delta: number): Promise<number> {
  return inTransaction<number>(db, 'readwrite', (store, done) => {
    const get = store.get(key);
    get.onsuccess = () => {
      const next = ((get.result as number | undefined) ?? 0) + delta;
      store.put(next, key);
      if (key === 'holders') {
        const max = store.get('maxHolders');
        max.onsuccess = () =>
          store.put(Math.max((max.result as number | undefined) ?? 0, next), 'maxHolders');
      }
      done(next);
    };
  });
}

function readKey(db: IDBDatabase, key: string): Promise<number> {
  return inTransaction<number>(db, 'readonly', (store, done) => {
    const get = store.get(key);
    get.onsuccess = () => done((get.result as number | undefined) ?? 0);
  });
}

function writeKey(db: IDBDatabase, key: string, value: number): Promise<void> {
  return inTransaction<void>(db, 'readwrite', (store, done) => {
    store.put(value, key);
    done();
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const locks = {
  /** The contract's scenarios, by name. */
  scenarioNames: () => vaultMutexScenarios.map((scenario) => scenario.name),
  /** Runs one contract scenario over navigator.locks, with iframes as the clients. */
  runScenario: (name: string) =>
    attempt(async () => {
      const scenario = vaultMutexScenarios.find((candidate) => candidate.name === name);
      if (!scenario) throw new Error(`no such scenario: ${name}`);
      const env = iframeEnv();
      try {
        await scenario.run(env);
      } finally {
        env.dispose();
      }
      return true;
    }),

  /** Makes this page a tab with a mutex over navigator.locks and the app's holder channel. */
  start(label: string) {
    tab.label = label;
    tab.mutex = createVaultMutex({
      locks: platformLocks,
      channel: holderChannel('coffer/vault-holders'),
      holderLabel: label,
    });
    return true;
  },
  acquire: (lockName: string, request: AcquireRequest = {}) => acquireInTab(lockName, request),
  /** Starts acquiring without waiting for the grant; `waitAcquired` gives the outcome. */
  beginAcquire(lockName: string, request: AcquireRequest = {}) {
    tab.waiting.set(lockName, acquireInTab(lockName, request));
    return true;
  },
  waitAcquired(lockName: string) {
    const waiting = tab.waiting.get(lockName);
    if (!waiting) throw new Error(`no acquire of ${lockName} was begun in this tab`);
    return waiting;
  },
  /** Whether the begun acquire has settled yet, without waiting for it. */
  async acquireSettled(lockName: string) {
    const waiting = tab.waiting.get(lockName);
    if (!waiting) return false;
    return Promise.race([waiting.then(() => true), sleep(0).then(() => false)]);
  },
  release: (lockName: string) =>
    attempt(async () => {
      const lease = tab.leases.get(lockName);
      if (!lease) throw new Error(`this tab has no lease of ${lockName}`);
      await lease.release();
      return true;
    }),
  /** 'released', 'stolen', or undefined while the lease lasts. */
  lostReason: (lockName: string) => tab.lost.get(lockName),
  whoHolds: (lockName: string) => attempt(() => mutex().whoHolds(lockName)),
  snapshot: (lockName: string) => countLocks(platformLocks, lockName),

  /**
   * `cycles` times: acquire, read the counter from IndexedDB, pause, write it back plus one,
   * release. The read and the write are separate transactions, so only the lock keeps
   * increments from being lost; `holders` (updated atomically) records overlapping holders.
   */
  counterCycles: (options: { lockName: string; dbName: string; cycles: number }) =>
    attempt(async () => {
      const db = await openCounterDb(options.dbName);
      try {
        for (let cycle = 0; cycle < options.cycles; cycle++) {
          const lease = await mutex().acquire(options.lockName);
          await addTo(db, 'holders', 1);
          const read = await readKey(db, 'counter');
          await sleep(1 + Math.floor(Math.random() * 4));
          await writeKey(db, 'counter', read + 1);
          await addTo(db, 'holders', -1);
          await lease.release();
        }
      } finally {
        db.close();
      }
      return true;
    }),
  readCounter: (dbName: string) =>
    attempt(async () => {
      const db = await openCounterDb(dbName);
      try {
        return {
          counter: await readKey(db, 'counter'),
          holders: await readKey(db, 'holders'),
          maxHolders: await readKey(db, 'maxHolders'),
        };
      } finally {
        db.close();
      }
    }),
};
