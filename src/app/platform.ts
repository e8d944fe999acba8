/**
 * The browser's platform for core: IndexedDB, the Web Locks mutex with its holder channel, and
 * the scrypt Worker. Built here, once, and passed into core as plain arguments.
 */
import { createWorkerKdfRunner, type KdfPolicy, type KdfRunner } from '../core/crypto';
import { createVaultMutex, type VaultMutex } from '../core/lock';
import { Coffer } from '../core/profile';
import { relayPath } from '../core/relay';
import {
  type CofferDatabase,
  createWorkerSnapshotMaker,
  openCofferDatabase,
} from '../core/storage';
import type { TransportFactory } from '../core/sync';
import type { CompactionPolicy } from '../core/vault';
import { lazyTransport } from './lazy-transport';

export interface BrowserPlatform {
  readonly db: CofferDatabase;
  readonly kdf: KdfRunner;
  readonly mutex: VaultMutex;
  readonly coffer: Coffer;
  /**
   * Joins sync rooms over WebRTC (through the signaling relays `signaling` names) and, for a
   * vault's room, over the mailbox relays `relays` names too: whichever is up carries changes.
   */
  readonly connect: TransportFactory;
  /** The signaling relays in use: the app server's own unless the settings name others. */
  readonly signaling: { get(): readonly string[]; set(urls: readonly string[]): void };
  /** The mailbox relays in use (none when turned off): the app server's own unless named. */
  readonly relays: {
    get(): readonly string[];
    set(urls: readonly string[], enabled: boolean): void;
  };
}

export interface BrowserPlatformOptions {
  readonly databaseName?: string;
  /** Shown to other tabs waiting for a vault this tab holds, e.g. "Tab opened 10:42". */
  readonly holderLabel?: string;
  /** Only tests lower this; the app always runs the default policy. */
  readonly kdfPolicy?: KdfPolicy;
  /** Only tests change this (to keep rows as rows); the app compacts as the default says. */
  readonly compaction?: CompactionPolicy;
}

/** The relay `npm start` serves beside the app, on the same origin. */
export const ownSignalingUrl = (): string => `${location.origin.replace(/^http/, 'ws')}/signal`;

/** The mailbox relay `npm start` serves beside the app, on the same origin. */
export const ownMailboxRelayUrl = (): string =>
  `${location.origin.replace(/^http/, 'ws')}${relayPath}`;

/** "Chromium on Linux", from the user agent: what other devices see until the user names it. */
export function describeThisDevice(): string {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? /Chromium/.test(ua) || /HeadlessChrome/.test(ua)
          ? 'Chromium'
          : 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'another system';
  return `${browser} on ${os}`;
}

export const spawnKdfWorker = (): Worker =>
  new Worker(new URL('../core/crypto/kdf-worker.ts', import.meta.url), {
    type: 'module',
    name: 'coffer-kdf',
  });

/** A vault's snapshot Worker (src/core/storage/snapshot-worker.ts): compaction off the page. */
export const spawnSnapshotWorker = (): Worker =>
  new Worker(new URL('../core/storage/snapshot-worker.ts', import.meta.url), {
    type: 'module',
    name: 'coffer-snapshots',
  });

/** The hook sandbox's Worker: QuickJS runs inside it (src/core/hooks). */
export const spawnHookWorker = (): Worker =>
  new Worker(new URL('../core/hooks/hook-worker.ts', import.meta.url), {
    type: 'module',
    name: 'coffer-hooks',
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
    defaultDeviceName: describeThisDevice(),
    snapshots: createWorkerSnapshotMaker(spawnSnapshotWorker),
    integrations: {
      fetch: (input, init) => fetch(input, init),
      pageOrigin: location.origin,
      hookWorker: spawnHookWorker,
      locks: navigator.locks,
      // Declared below; a run calls it only long after this function returned.
      connect: (room) => connect(room),
    },
    ...(options.kdfPolicy ? { kdfPolicy: options.kdfPolicy } : {}),
    ...(options.compaction ? { compaction: options.compaction } : {}),
  });
  let signalingUrls: readonly string[] = [ownSignalingUrl()];
  let relayUrls: readonly string[] = [ownMailboxRelayUrl()];
  const network = {
    online: () => navigator.onLine,
    onChange(listener: (online: boolean) => void) {
      const online = () => listener(true);
      const offline = () => listener(false);
      window.addEventListener('online', online);
      window.addEventListener('offline', offline);
      return () => {
        window.removeEventListener('online', online);
        window.removeEventListener('offline', offline);
      };
    },
  };
  // y-webrtc and the relay's Hocuspocus load with the first room joined, not with the page.
  const connect = lazyTransport(
    () =>
      import('./transports').then(({ browserTransports }) =>
        browserTransports({ signaling: () => signalingUrls, relays: () => relayUrls, network }),
      ),
    () => ({ state: network.online() ? 'connecting' : 'offline', peers: 0, peerDevices: [] }),
  );
  return {
    db,
    kdf,
    mutex,
    coffer,
    connect,
    signaling: {
      get: () => signalingUrls,
      set(urls) {
        signalingUrls = urls.length > 0 ? [...urls] : [ownSignalingUrl()];
      },
    },
    relays: {
      get: () => relayUrls,
      set(urls, enabled) {
        relayUrls = !enabled ? [] : urls.length > 0 ? [...urls] : [ownMailboxRelayUrl()];
      },
    },
  };
}
