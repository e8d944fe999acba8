/**
 * The browser's platform for core: IndexedDB, the Web Locks mutex with its holder channel, and
 * the scrypt Worker. Built here, once, and passed into core as plain arguments.
 */
import { createWorkerKdfRunner, type KdfPolicy, type KdfRunner } from '../core/crypto';
import { createVaultMutex, type VaultMutex } from '../core/lock';
import { Coffer } from '../core/profile';
import { type CofferDatabase, openCofferDatabase } from '../core/storage';

export interface BrowserPlatform {
  readonly db: CofferDatabase;
  readonly kdf: KdfRunner;
  readonly mutex: VaultMutex;
  readonly coffer: Coffer;
}

export interface BrowserPlatformOptions {
  readonly databaseName?: string;
  /** Shown to other tabs waiting for a vault this tab holds, e.g. "Tab opened 10:42". */
  readonly holderLabel?: string;
  /** Only tests lower this; the app always runs the default policy. */
  readonly kdfPolicy?: KdfPolicy;
}

export const spawnKdfWorker = (): Worker =>
  new Worker(new URL('../core/crypto/kdf-worker.ts', import.meta.url), {
    type: 'module',
    name: 'coffer-kdf',
  });

export function createBrowserPlatform(options: BrowserPlatformOptions = {}): BrowserPlatform {
  const db = openCofferDatabase({ indexedDB, IDBKeyRange }, options.databaseName ?? 'coffer');
  const kdf = createWorkerKdfRunner(spawnKdfWorker);
  const mutex = createVaultMutex({
    locks: navigator.locks,
    channel: new BroadcastChannel('coffer/vault-holders'),
    holderLabel:
      options.holderLabel ??
      `Tab opened ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
  });
  const coffer = new Coffer({
    db,
    kdf,
    mutex,
    ...(options.kdfPolicy ? { kdfPolicy: options.kdfPolicy } : {}),
  });
  return { db, kdf, mutex, coffer };
}
