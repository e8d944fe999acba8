/**
 * Playwright fixtures for Coffer's browser and end-to-end tests.
 *
 * - `app`: the built app (dist/) served by the project's own server on a free port, with the
 *   signaling relay and a transcript of everything the relay received.
 * - `harness`: the browser-test harness (dist-harness/), a page that exposes core modules.
 * - `openTabs(n)`: n pages of one browser context: tabs sharing storage, locks and workers.
 * - `launchDevice(name)`: a separate Chromium process with its own profile directory: another
 *   device. It can be restarted with its data kept.
 * - `offlineApp`: an app server of the test's own, so the test can take the network away for real
 *   (`goOffline()` stops the server and sets the context offline).
 *
 * COFFER_DEVICE_LOG_DIR: each device's console, with y-webrtc's own log switched on (lib0 reads
 * `localStorage.log`), goes to a file of its own there, each line with the time it arrived. For
 * sync flakes that only show under load: what crossed, when, and which connections came and went.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, test as base, chromium, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium';
import { type CofferServer, startCofferServer } from '../src/server/server';

// COFFER_DIST_DIR, COFFER_HARNESS_DIR: builds elsewhere (several people testing one checkout,
// each with builds of their own).
const distDir = process.env.COFFER_DIST_DIR ?? new URL('../dist', import.meta.url).pathname;
const harnessDir =
  process.env.COFFER_HARNESS_DIR ?? new URL('../dist-harness', import.meta.url).pathname;
/** The built app the fixtures serve, for tests that start servers of their own. */
export const appDistDir = distDir;

export interface ServedApp {
  readonly url: string;
  readonly server: CofferServer;
  /** Every message the signaling relay received, in order. */
  readonly transcript: string[];
}

export interface Device {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser and starts it again on the same profile directory. */
  restart(): Promise<Device>;
}

export interface OfflineApp extends ServedApp {
  /** Stops the server and sets the context offline. Call it again after a navigation. */
  goOffline(context: BrowserContext): Promise<void>;
  goOnline(context: BrowserContext): Promise<void>;
}

async function serve(root: string): Promise<ServedApp> {
  const transcript: string[] = [];
  const server = await startCofferServer({
    root,
    port: 0,
    signaling: { onMessage: (message) => transcript.push(message) },
  });
  return { url: server.url, server, transcript };
}

async function launchDeviceAt(name: string, profileDir: string): Promise<Device> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    args: [...chromiumArgs],
    serviceWorkers: 'allow',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logDir = process.env.COFFER_DEVICE_LOG_DIR;
  if (logDir) {
    await context.addInitScript(() => localStorage.setItem('log', 'y-webrtc'));
    const file = join(logDir, `${name}-${process.pid}-${Date.now()}.log`);
    page.on('console', (message) => appendFileSync(file, `${Date.now()} ${message.text()}\n`));
  }
  return {
    name,
    context,
    page,
    async restart() {
      await context.close();
      return launchDeviceAt(name, profileDir);
    },
  };
}

export const test = base.extend<
  {
    openTabs: (count: number) => Promise<Page[]>;
    launchDevice: (name: string) => Promise<Device>;
    offlineApp: OfflineApp;
  },
  { app: ServedApp; harness: ServedApp }
>({
  app: [
    async ({}, use) => {
      const served = await serve(distDir);
      await use(served);
      await served.server.close();
    },
    { scope: 'worker' },
  ],
  harness: [
    async ({}, use) => {
      const served = await serve(harnessDir);
      await use(served);
      await served.server.close();
    },
    { scope: 'worker' },
  ],
  openTabs: async ({ context }, use) => {
    await use(async (count) => Promise.all(Array.from({ length: count }, () => context.newPage())));
  },
  launchDevice: async ({}, use) => {
    const devices: Device[] = [];
    const dirs: string[] = [];
    await use(async (name) => {
      const dir = await mkdtemp(join(tmpdir(), `coffer-device-${name}-`));
      dirs.push(dir);
      const device = await launchDeviceAt(name, dir);
      devices.push(device);
      const restart = device.restart.bind(device);
      return {
        ...device,
        async restart() {
          const restarted = await restart();
          devices.push(restarted);
          return restarted;
        },
      };
    });
    await Promise.all(devices.map((device) => device.context.close().catch(() => {})));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  },
  offlineApp: async ({}, use) => {
    const served = await serve(distDir);
    let server: CofferServer | undefined = served.server;
    const port = served.server.port;
    await use({
      ...served,
      async goOffline(context) {
        // Chromium 150 drops the emulated offline state when a page navigates (a reload served
        // by the service worker included) while Playwright still thinks it is set, so it is
        // switched off and on: calling this again after a navigation puts it back.
        await context.setOffline(false);
        await context.setOffline(true);
        await server?.close();
        server = undefined;
      },
      async goOnline(context) {
        server ??= await startCofferServer({ root: distDir, port });
        await context.setOffline(false);
      },
    });
    await server?.close();
  },
});

export { expect } from '@playwright/test';
