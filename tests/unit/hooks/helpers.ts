/**
 * Test doubles for the hook runner: a real engine in a Node worker thread (so `terminate` is a
 * real one), and an in-memory HookHost that records every call.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HookHost, HookWorkerLike, VaultOp } from '../../../src/core/hooks';
import type { JsonValue } from '../../../src/core/vault';

const require = createRequire(import.meta.url);
// The ESM build of tsx's API (require.resolve would give its CommonJS twin).
const tsxApi = pathToFileURL(require.resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
const entry = new URL('./node-hook-worker.ts', import.meta.url).href;

/** Every worker spawned, so a test can tell a reused Worker from a new one. */
export interface Spawner {
  readonly spawn: () => HookWorkerLike;
  readonly count: () => number;
  readonly terminated: () => number;
  readonly closeAll: () => Promise<void>;
}

export function nodeWorkerSpawner(): Spawner {
  const workers: Worker[] = [];
  let terminated = 0;
  const spawn = (): HookWorkerLike => {
    const worker = new Worker(
      `import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`,
      { eval: true },
    );
    workers.push(worker);
    let ended = false;
    const errorListeners: Array<(event: Event) => void> = [];
    worker.on('exit', () => {
      if (ended) return;
      ended = true;
      for (const listener of errorListeners) listener(new Event('error'));
    });
    return {
      postMessage: (message) => worker.postMessage(message),
      addEventListener(type: string, listener: (event: never) => void) {
        const call = listener as (event: unknown) => void;
        if (type === 'message') worker.on('message', (data: unknown) => call({ data }));
        else if (type === 'error') {
          errorListeners.push(call);
          worker.on('error', () => {
            if (!ended) call(new Event('error'));
          });
        } else worker.on('messageerror', () => call(new Event('messageerror')));
      },
      terminate() {
        if (!ended) terminated += 1;
        ended = true;
        void worker.terminate();
      },
    };
  };
  return {
    spawn,
    count: () => workers.length,
    terminated: () => terminated,
    closeAll: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

export interface FakeHost extends HookHost {
  readonly vaults: Map<string, Map<string, JsonValue>>;
  readonly debugs: Array<{ value: JsonValue; label: string | undefined }>;
  readonly kept: Array<Readonly<Record<string, JsonValue>>>;
  /** 'open my-vault', 'get h1 my-item', 'close h1', ... in the order the host saw them. */
  readonly calls: string[];
  /** Handles opened and not yet closed. */
  readonly openHandles: Set<string>;
}

/**
 * An in-memory host: vaults by name, each a map of items. Opening a vault that does not exist
 * rejects; `openDelayMs` makes openVault wait (as for another holder) before it resolves.
 */
export function fakeHost(
  vaults: Record<string, Record<string, JsonValue>>,
  options: { readonly openDelayMs?: number } = {},
): FakeHost {
  const stores = new Map(
    Object.entries(vaults).map(([name, items]) => [name, new Map(Object.entries(items))]),
  );
  const handles = new Map<string, string>();
  const openHandles = new Set<string>();
  const calls: string[] = [];
  let next = 1;
  const storeOf = (handle: string) => {
    const name = handles.get(handle);
    if (name === undefined || !openHandles.has(handle)) throw new Error(`no open vault ${handle}`);
    return stores.get(name)!;
  };
  return {
    vaults: stores,
    debugs: [],
    kept: [],
    calls,
    openHandles,
    async openVault(name: string, signal: AbortSignal) {
      calls.push(`open ${name}`);
      if (options.openDelayMs) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, options.openDelayMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
        });
      }
      if (!stores.has(name)) throw new Error(`there is no vault named ${name}`);
      const handle = `h${next++}`;
      handles.set(handle, name);
      openHandles.add(handle);
      return handle;
    },
    async vaultCall(handle: string, op: VaultOp, args: readonly JsonValue[]) {
      calls.push(`${op} ${handle}${args.length ? ` ${JSON.stringify(args)}` : ''}`);
      const store = storeOf(handle);
      const key = args[0] as string;
      switch (op) {
        case 'get':
          if (!store.has(key)) throw new Error(`there is no item named ${key}`);
          return store.get(key);
        case 'set':
          store.set(key, args[1]!);
          return undefined;
        case 'delete':
          return store.delete(key);
        case 'has':
          return store.has(key);
        case 'list':
          return [...store.keys()];
      }
    },
    async closeVault(handle: string) {
      calls.push(`close ${handle}`);
      openHandles.delete(handle);
    },
    debug(value, label) {
      this.debugs.push({ value, label });
    },
    keep(values) {
      this.kept.push(values);
    },
  };
}
