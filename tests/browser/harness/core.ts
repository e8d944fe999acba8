/**
 * Core bindings for browser tests: a Coffer over the real platform (IndexedDB, Web Locks,
 * the scrypt Worker), and helpers to dump what is stored. Tests call these through
 * `window.harness.core` in `page.evaluate`.
 */
import { createBrowserPlatform, spawnKdfWorker } from '../../../src/app/platform';
import { createWorkerKdfRunner, type KdfPolicy } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import { defaultCompactionPolicy, handleOf, type VaultHandle } from '../../../src/core/vault';

/** Low scrypt cost for tests that create many profiles; the floor test uses the real one. */
export const fastPolicy: KdfPolicy = {
  floor: { algorithm: 'scrypt', logN: 10, r: 8, p: 1 },
  target: { algorithm: 'scrypt', logN: 10, r: 8, p: 1 },
};

type Platform = ReturnType<typeof createBrowserPlatform>;

const state: {
  platform?: Platform;
  session?: Session;
  vaults: Map<string, VaultHandle>;
  events: string[];
} = { vaults: new Map(), events: [] };

function platform(): Platform {
  if (!state.platform) throw new Error('call harness.core.start() first');
  return state.platform;
}

function session(): Session {
  if (!state.session) throw new Error('no session: create or unlock a profile first');
  return state.session;
}

function errorInfo(error: unknown) {
  const e = error as Error & Record<string, unknown>;
  return {
    name: e?.name,
    message: e?.message,
    record: e?.record,
    reason: e?.reason,
    problem: e?.problem,
  };
}

/** Runs a call and returns its result or its error's name, message and data (for Playwright). */
export async function attempt<T>(
  fn: () => Promise<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; error: ReturnType<typeof errorInfo> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error: errorInfo(error) };
  }
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Every value of every object store of every IndexedDB database of the origin, as JSON-able data. */
async function dumpIndexedDb(): Promise<Record<string, Record<string, unknown[]>>> {
  const out: Record<string, Record<string, unknown[]>> = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(info.name!);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const stores: Record<string, unknown[]> = {};
    for (const storeName of Array.from(db.objectStoreNames)) {
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const request = db.transaction(storeName, 'readonly').objectStore(storeName).getAllKeys();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      stores[storeName] = [...keys.map((key) => ({ key })), ...rows];
    }
    out[info.name] = stores;
    db.close();
  }
  return out;
}

/** Serializes anything stored (bytes as hex and as raw latin1 text) so a test can search it. */
function serializeForSearch(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
      const bytes = v instanceof Uint8Array ? v : new Uint8Array(v);
      return { hex: toHex(bytes), latin1: String.fromCharCode(...bytes) };
    }
    return v;
  });
}

export const core = {
  start(
    options: {
      fast?: boolean;
      databaseName?: string;
      holderLabel?: string;
      /** Leave a small vault's rows as rows on close, for tests that tamper with rows. */
      keepRows?: boolean;
      /** Make every snapshot in the snapshot Worker, however small the vault. */
      offThread?: boolean;
    } = {},
  ) {
    const compaction = {
      ...defaultCompactionPolicy,
      ...(options.keepRows ? { onCloseSmallBytes: 0 } : {}),
      ...(options.offThread ? { offThreadFromBytes: 0 } : {}),
    };
    state.platform = createBrowserPlatform({
      ...(options.fast ? { kdfPolicy: fastPolicy } : {}),
      ...(options.keepRows || options.offThread ? { compaction } : {}),
      ...(options.databaseName ? { databaseName: options.databaseName } : {}),
      ...(options.holderLabel ? { holderLabel: options.holderLabel } : {}),
    });
    return true;
  },
  createProfile: (passphrase: string) =>
    attempt(async () => {
      const progress: number[] = [];
      state.session = await platform().coffer.createProfile(passphrase, {
        onProgress: (f) => progress.push(f),
      });
      return { progressReports: progress.length };
    }),
  unlock: (passphrase: string) =>
    attempt(async () => {
      const started = performance.now();
      const progress: number[] = [];
      state.session = await platform().coffer.unlock(passphrase, {
        onProgress: (f) => progress.push(f),
      });
      return { ms: performance.now() - started, progressReports: progress.length };
    }),
  lock: () => attempt(() => session().lock()),
  changePassphrase: (current: string, next: string) =>
    attempt(() => session().changePassphrase(current, next)),
  createVault: (name: string, nameStyle?: 'default' | 'environment') =>
    attempt(() => session().createVault(name, nameStyle ? { nameStyle } : {})),
  listVaults: () => attempt(() => session().listVaults()),
  renameVault: (name: string, newName: string) =>
    attempt(() => session().renameVault(name, newName)),
  open: (
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean; timeoutMs?: number } = {},
  ) =>
    attempt(async () => {
      const handle = await session().openVault(name, {
        ...(options.ifAvailable ? { ifAvailable: true } : {}),
        ...(options.steal ? { steal: true } : {}),
        ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
      });
      handle.onClose((reason) => state.events.push(`${name}:closed:${reason}`));
      // Benchmarks and tests reach below the app's view (encodeState, the log's bytes).
      state.vaults.set(name, handleOf(handle));
      return { damaged: handle.damaged.map(errorInfo), heldBack: handle.heldBackChanges };
    }),
  vault(name: string): VaultHandle {
    const handle = state.vaults.get(name);
    if (!handle) throw new Error(`vault ${name} is not open in this page`);
    return handle;
  },
  set: (
    vault: string,
    name: string,
    value: unknown,
    options: { kind?: 'item' | 'secret' | 'connection'; writeOnly?: boolean } = {},
  ) => attempt(() => core.vault(vault).set(name, value as never, options)),
  get: (vault: string, name: string) => attempt(() => core.vault(vault).get(name)),
  list: (vault: string) => attempt(() => core.vault(vault).list()),
  close: (vault: string) =>
    attempt(async () => {
      await core.vault(vault).close();
      state.vaults.delete(vault);
    }),
  events: () => [...state.events],
  dumpIndexedDb,
  /** Everything the origin stores (IndexedDB, localStorage, Cache Storage) as one searchable string. */
  async dumpEverything(): Promise<string> {
    const caches_: Record<string, string[]> = {};
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      caches_[cacheName] = [];
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        caches_[cacheName].push(request.url, response ? await response.text() : '');
      }
    }
    const local: Record<string, string | null> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      local[key] = localStorage.getItem(key);
    }
    return serializeForSearch({
      indexedDb: await dumpIndexedDb(),
      localStorage: local,
      caches: caches_,
    });
  },
  /** Flips one bit of one stored row (store, primary key, byte index) with raw IndexedDB. */
  async tamper(
    store: 'keyring' | 'vaults' | 'updates' | 'snapshots',
    key: IDBValidKey,
    field: 'bytes' | 'sealed',
    index: number,
  ) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('coffer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(store, 'readwrite');
      const objectStore = tx.objectStore(store);
      const get = objectStore.get(key);
      get.onsuccess = () => {
        const row = get.result as Record<string, Uint8Array>;
        const bytes = new Uint8Array(row[field]!);
        bytes[index] = bytes[index]! ^ 0x01;
        objectStore.put({ ...row, [field]: bytes });
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  },
  /** A KDF run in the real Worker, timed, with the longest main-thread stall seen meanwhile. */
  async timeWorkerKdf(logN: number) {
    const kdf = createWorkerKdfRunner(spawnKdfWorker);
    let longestStall = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 10);
    const started = performance.now();
    let reports = 0;
    await kdf(
      {
        passphrase: new TextEncoder().encode('pw'),
        salt: new Uint8Array(32),
        params: { algorithm: 'scrypt', logN, r: 8, p: 1 },
      },
      () => reports++,
    );
    clearInterval(ticker);
    return { ms: performance.now() - started, longestStall, reports };
  },
};
