/**
 * An in-memory twin of the Web Locks API for Node tests, with the browser's semantics for
 * exclusive locks (https://w3c.github.io/web-locks/): per-name FIFO queues, locks held until the
 * callback's promise settles, `ifAvailable`, `steal`, `signal`, and `query()`.
 *
 * One manager is one origin's lock space. `forClient(id)` gives the view of one tab (frame,
 * worker) of that origin, and `crashClient(id)` does what closing that tab does.
 */
import type {
  GrantedLock,
  LockInfoLike,
  LockManagerLike,
  LockRequestOptions,
  LockSnapshotLike,
} from './lock-manager';

/**
 * The twin: a lock manager for the client `'default'`, plus per-client views over the same lock
 * space and a way to crash a client.
 *
 * @example
 * const locks = createMemoryLockManager();
 * const tab1 = locks.forClient('tab-1');
 * const tab2 = locks.forClient('tab-2');
 * void tab1.request('a', {}, () => new Promise(() => {})); // held until tab-1 goes away
 * locks.crashClient('tab-1');
 * await tab2.request('a', {}, () => 'granted');
 */
export interface MemoryLockManager extends LockManagerLike {
  /** The view of one client (tab). Views of the same id share the client until it crashes. */
  forClient(clientId: string): LockManagerLike;
  /**
   * Does what closing or crashing the tab does: its held locks are released and its pending
   * requests dropped. Their promises never settle (nobody is left to see them), and the
   * client's existing views reject every later call. `forClient(id)` afterwards is a new tab.
   */
  crashClient(clientId: string): void;
}

type Callback = (lock: GrantedLock | null) => unknown;

interface Client {
  readonly id: string;
  alive: boolean;
}

interface Request {
  readonly seq: number;
  readonly name: string;
  readonly client: Client;
  readonly callback: Callback;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  /** pending -> held -> done; a held lock may also end 'stolen' or 'crashed'. */
  state: 'pending' | 'held' | 'done' | 'stolen' | 'crashed';
  detachSignal?: () => void;
}

/** The DOMException the platform uses, so tests can check `name` exactly as in the browser. */
const domError = (message: string, name: string): DOMException => new DOMException(message, name);

const defaultClientId = 'default';

/**
 * Creates an empty lock space (one origin). See MemoryLockManager.
 *
 * @example
 * const locks = createMemoryLockManager();
 * const mutex = createVaultMutex({ locks: locks.forClient('tab-1'), holderLabel: 'tab 1' });
 */
export function createMemoryLockManager(): MemoryLockManager {
  const clients = new Map<string, Client>();
  const held = new Map<string, Request>();
  const queues = new Map<string, Request[]>();
  let nextSeq = 0;

  const clientFor = (id: string): Client => {
    let client = clients.get(id);
    if (!client) {
      client = { id, alive: true };
      clients.set(id, client);
    }
    return client;
  };

  const queueOf = (name: string): Request[] => {
    let queue = queues.get(name);
    if (!queue) {
      queue = [];
      queues.set(name, queue);
    }
    return queue;
  };

  const removeFromQueue = (request: Request): void => {
    const queue = queues.get(request.name);
    if (!queue) return;
    const index = queue.indexOf(request);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) queues.delete(request.name);
  };

  const grant = (request: Request): void => {
    request.state = 'held';
    request.detachSignal?.();
    held.set(request.name, request);
    // The platform runs the callback in a task of its own, never inside request() itself.
    const waiting = Promise.resolve().then(() => request.callback({ name: request.name }));
    const settle = (outcome: () => void): void => {
      // A stolen or crashed lock was released already; its late settling must not release the
      // lock of whoever holds the name now.
      if (request.state !== 'held') return;
      request.state = 'done';
      held.delete(request.name);
      processQueue(request.name);
      outcome();
    };
    waiting.then(
      (value) => settle(() => request.resolve(value)),
      (error: unknown) => settle(() => request.reject(error)),
    );
  };

  const processQueue = (name: string): void => {
    if (held.has(name)) return;
    const next = queues.get(name)?.[0];
    if (!next) return;
    removeFromQueue(next);
    grant(next);
  };

  const request = (
    client: Client,
    name: string,
    options: LockRequestOptions,
    callback: Callback,
  ): Promise<unknown> =>
    new Promise((resolve, reject) => {
      // Checks in the order the specification makes them.
      if (!client.alive) {
        reject(domError(`client "${client.id}" has been closed`, 'InvalidStateError'));
        return;
      }
      if (typeof callback !== 'function') {
        reject(new TypeError('the lock callback must be a function'));
        return;
      }
      const mode: unknown = options.mode ?? 'exclusive';
      if (mode !== 'exclusive') {
        reject(
          mode === 'shared'
            ? domError(
                'the memory lock manager only implements exclusive locks',
                'NotSupportedError',
              )
            : new TypeError(`lock mode must be "shared" or "exclusive", got ${String(mode)}`),
        );
        return;
      }
      if (name.startsWith('-')) {
        reject(domError('lock names starting with "-" are reserved', 'NotSupportedError'));
        return;
      }
      if (options.steal && options.ifAvailable) {
        reject(domError('steal and ifAvailable cannot be used together', 'NotSupportedError'));
        return;
      }
      const { signal } = options;
      if (signal && (options.steal || options.ifAvailable)) {
        reject(domError('signal cannot be used with steal or ifAvailable', 'NotSupportedError'));
        return;
      }
      if (signal?.aborted) {
        reject(signal.reason ?? domError('the request was aborted', 'AbortError'));
        return;
      }

      const entry: Request = {
        seq: nextSeq++,
        name,
        client,
        callback,
        resolve,
        reject,
        state: 'pending',
      };

      if (options.steal) {
        const holder = held.get(name);
        if (holder) {
          holder.state = 'stolen';
          held.delete(name);
          holder.reject(domError(`lock "${name}" was stolen`, 'AbortError'));
        }
        queueOf(name).unshift(entry);
        processQueue(name);
        return;
      }

      // "Held or queued" in the specification; here a queue is never left waiting on a free
      // lock (grants happen as soon as it is free), so held covers both.
      if (options.ifAvailable && held.has(name)) {
        entry.state = 'done';
        Promise.resolve()
          .then(() => callback(null))
          .then(resolve, reject);
        return;
      }

      if (signal) {
        const onAbort = (): void => {
          if (entry.state !== 'pending') return;
          entry.state = 'done';
          removeFromQueue(entry);
          reject(signal.reason ?? domError('the request was aborted', 'AbortError'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.detachSignal = () => signal.removeEventListener('abort', onAbort);
      }
      queueOf(name).push(entry);
      processQueue(name);
    });

  const query = (client: Client): Promise<LockSnapshotLike> => {
    if (!client.alive) {
      return Promise.reject(domError(`client "${client.id}" has been closed`, 'InvalidStateError'));
    }
    const info = (entry: Request): LockInfoLike => ({
      name: entry.name,
      mode: 'exclusive',
      clientId: entry.client.id,
    });
    const pending = [...queues.values()].flat().sort((a, b) => a.seq - b.seq);
    return Promise.resolve({ held: [...held.values()].map(info), pending: pending.map(info) });
  };

  const viewOf = (client: Client): LockManagerLike => ({
    request: <T>(
      name: string,
      options: LockRequestOptions,
      callback: (lock: GrantedLock | null) => Promise<T> | T,
    ) => request(client, name, options, callback) as Promise<T>,
    query: () => query(client),
  });

  const crashClient = (clientId: string): void => {
    const client = clients.get(clientId);
    if (!client) return;
    client.alive = false;
    clients.delete(clientId);
    const freed = new Set<string>();
    for (const entry of [...held.values()]) {
      if (entry.client !== client) continue;
      entry.state = 'crashed';
      held.delete(entry.name);
      freed.add(entry.name);
    }
    for (const queue of [...queues.values()]) {
      for (const entry of [...queue]) {
        if (entry.client !== client) continue;
        entry.state = 'crashed';
        entry.detachSignal?.();
        removeFromQueue(entry);
      }
    }
    for (const name of freed) processQueue(name);
  };

  const defaultView = viewOf(clientFor(defaultClientId));
  return {
    request: defaultView.request,
    query: defaultView.query,
    forClient(clientId) {
      if (typeof clientId !== 'string' || clientId.length === 0) {
        throw new TypeError(`forClient expects a non-empty client id, got ${String(clientId)}`);
      }
      return viewOf(clientFor(clientId));
    },
    crashClient,
  };
}
