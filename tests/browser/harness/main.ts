/**
 * The browser-test harness: exposes core modules on `window.harness` so Playwright can drive
 * them in real Chromium (IndexedDB, WebCrypto, Web Locks, Workers) across tabs and devices.
 * It is built to dist-harness/ by `npm run build:harness` and never ships with the app.
 * Each area keeps its bindings in a file of its own; this file only gathers them.
 */
import { bench } from './bench';
import { benchHooks } from './bench-hooks';
import { benchImport } from './bench-import';
import { benchLocks } from './bench-locks';
import { benchProviders } from './bench-providers';
// Sets window.benchUi: the UI benchmark mounts the app's own components.
import './bench-ui';
import { benchSync } from './bench-sync';
import { benchSyncRelay } from './bench-sync-relay';
import { core } from './core';
import { locks } from './locks';
import { joinPlainRoom } from './plain-room';
import { sync } from './sync';
import { transport } from './transport';

const harness = {
  ready: true,
  joinPlainRoom,
  rooms: new Map<string, ReturnType<typeof joinPlainRoom>>(),
  locks,
  core,
  bench,
  benchHooks,
  benchImport,
  benchLocks,
  benchProviders,
  benchSync,
  benchSyncRelay,
  sync,
  transport,
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
