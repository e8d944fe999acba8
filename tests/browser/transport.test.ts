/**
 * The transport contract (tests/contract/transport.contract.ts) over y-webrtc in Chromium: each
 * device a browser context of its own (no shared BroadcastChannel, so peers meet over WebRTC on
 * loopback, host candidates only), signaling through the project's own relay, which a case
 * stops and starts again. tests/unit/sync/transport.test.ts runs the same cases over the
 * in-memory network.
 *
 * The harness is served from `COFFER_HARNESS_DIR` (default dist-harness/, as `npm run
 * test:browser` builds it), by a server of this file's own so that the relay can be restarted.
 * Alone, on a build of its own:
 *
 *   npx vite build --mode harness --outDir "$PWD/dist-harness-transport"
 *   COFFER_HARNESS_DIR=dist-harness-transport npx playwright test -c tests/playwright.config.ts \
 *     tests/browser/transport.test.ts --output test-results/playwright-transport
 */
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { type CofferServer, startCofferServer } from '../../src/server/server';
import {
  type ContractDevice,
  type ContractPeer,
  type ContractRoom,
  relayJunkMessage,
  type TransportContractEnv,
  transportScenarios,
} from '../contract/transport.contract';
import { expect, test } from '../fixtures';

const harnessDir = resolve(
  new URL('../..', import.meta.url).pathname,
  process.env.COFFER_HARNESS_DIR ?? 'dist-harness',
);

/** The harness and its relay on a port of their own; `setUp(false)` stops both, `true` restarts. */
async function servedHarness() {
  let server: CofferServer | undefined = await startCofferServer({ root: harnessDir, port: 0 });
  const port = server.port;
  const url = server.url;
  return {
    url,
    signalingUrl: `${url.replace(/^http/, 'ws')}/signal`,
    async setUp(up: boolean) {
      if (!up) {
        await server?.close();
        server = undefined;
      } else {
        server ??= await startCofferServer({ root: harnessDir, port });
      }
    },
    close: () => server?.close(),
  };
}

type Served = Awaited<ReturnType<typeof servedHarness>>;

async function publish(signalingUrl: string, text: string): Promise<void> {
  const socket = new WebSocket(signalingUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await new Promise<void>((resolve, reject) =>
    socket.send(text, (error) => (error ? reject(error) : resolve())),
  );
  socket.close();
}

interface OpenDevice {
  readonly page: Page;
  /** Errors Playwright saw thrown in the page. */
  readonly errors: string[];
}

async function openDevice(browser: Browser, url: string): Promise<OpenDevice> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  // The harness's page with only the transport bindings (harness/transport.html).
  await page.goto(`${url}/transport.html`);
  await expect(page.locator('#status')).toHaveText('ready');
  return { page, errors };
}

/**
 * Devices by label, each a browser context of its own, kept from one scenario to the next:
 * loading the harness is most of a scenario's time otherwise. Scenarios use rooms of their own,
 * so what one leaves behind is nothing to the next; a device's errors count from when a
 * scenario takes it.
 */
class DevicePool {
  readonly #devices = new Map<string, Promise<OpenDevice>>();
  constructor(
    private readonly browser: Browser,
    private readonly url: string,
  ) {}
  get(label: string): Promise<OpenDevice> {
    let device = this.#devices.get(label);
    if (!device) {
      device = openDevice(this.browser, this.url);
      this.#devices.set(label, device);
    }
    return device;
  }
  async close() {
    for (const device of this.#devices.values())
      await (await device).page
        .context()
        .close()
        .catch(() => {});
  }
}

function browserEnv(browser: Browser, served: Served, pool: DevicePool) {
  const rogues: Page[] = [];
  const roguesByRoom = new Map<string, Page>();
  let rooms = 0;
  const env: TransportContractEnv = {
    async device(label): Promise<ContractDevice> {
      const { page, errors } = await pool.get(label);
      const since = {
        inPage: (await page.evaluate(() => window.harness.transport.uncaught())).length,
        errors: errors.length,
      };
      return {
        label,
        async join(room): Promise<ContractPeer> {
          const id = await page.evaluate(([r, d]) => window.harness.transport.join(r, d), [
            room,
            label,
          ] as const);
          return {
            write: (entries) =>
              page.evaluate(([i, e]) => window.harness.transport.write(i, e), [
                id,
                entries,
              ] as const),
            contents: () => page.evaluate((i) => window.harness.transport.contents(i), id),
            orderViolations: () =>
              page.evaluate((i) => window.harness.transport.orderViolations(i), id),
            status: () => page.evaluate((i) => window.harness.transport.status(i), id),
            heard: () => page.evaluate((i) => window.harness.transport.heard(i), id),
            leave: () => page.evaluate((i) => window.harness.transport.leave(i), id),
          };
        },
        async uncaught() {
          const inPage = await page.evaluate(() => window.harness.transport.uncaught());
          return [...new Set([...inPage.slice(since.inPage), ...errors.slice(since.errors)])];
        },
      };
    },
    room: (hint) => ({
      name: `coffer-test-${hint}-${Date.now().toString(36)}-${rooms++}`,
      password: `password-${Math.random().toString(36).slice(2)}`,
    }),
    setRelay: (up) => served.setUp(up),
    async junkFromRelay(room, kind) {
      await publish(served.signalingUrl, await relayJunkMessage(room, kind));
    },
    async junkFromPeer(room: ContractRoom, kind) {
      let page = roguesByRoom.get(room.name);
      if (!page) {
        page = (await openDevice(browser, served.url)).page;
        rogues.push(page);
        roguesByRoom.set(room.name, page);
        await page.evaluate((r) => window.harness.transport.rogueJoin(r), room);
      }
      const rogue = page;
      await expect
        .poll(() => rogue.evaluate(() => window.harness.transport.rogueConnected()), {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
      const sent = await rogue.evaluate((k) => window.harness.transport.rogueSend(k), kind);
      expect(sent, `the rogue sent '${kind}' to someone`).toBeGreaterThan(0);
    },
  };
  return {
    env,
    dispose: () =>
      Promise.all(
        rogues.map((page) =>
          page
            .context()
            .close()
            .catch(() => {}),
        ),
      ),
  };
}

test.describe('the transport contract over y-webrtc in Chromium', () => {
  // Most cases take a second or two; one whose peers offered to each other at once waits for
  // the transport to drop the stuck connection (8 to 16 s), and some cases connect several times.
  test.describe.configure({ timeout: 120_000 });
  let served: Served;
  let pool: DevicePool;
  test.beforeAll(async ({ browser }) => {
    served = await servedHarness();
    pool = new DevicePool(browser, served.url);
    // The devices the scenarios use, loaded at once.
    await Promise.all(['a', 'b', 'c'].map((label) => pool.get(label)));
  });
  test.afterAll(async () => {
    await pool?.close();
    await served?.close();
  });

  for (const scenario of transportScenarios) {
    test(scenario.name, async ({ browser }) => {
      const { env, dispose } = browserEnv(browser, served, pool);
      try {
        await scenario.run(env);
      } finally {
        await dispose();
        await served.setUp(true);
      }
    });
  }
});

test.describe('the y-webrtc transport beyond the contract', () => {
  let served: Served;
  test.beforeAll(async () => {
    served = await servedHarness();
  });
  test.afterAll(async () => {
    await served?.close();
  });

  test('the full harness page (index.html) loads and carries the transport bindings too', async ({
    page,
  }) => {
    await page.goto(served.url);
    await expect(page.locator('#status')).toHaveText('ready');
    expect(await page.evaluate(() => typeof window.harness.transport.join)).toBe('function');
  });

  test('two tabs of one browser in a room meet over WebRTC, and no update is copied between tabs', async ({
    browser,
  }) => {
    // Two pages of one context share a BroadcastChannel scope, as two tabs of a browser do.
    const context = await browser.newContext();
    try {
      const [a, b] = await Promise.all([context.newPage(), context.newPage()]);
      for (const page of [a, b]) {
        await page.goto(`${served.url}/transport.html`);
        await expect(page.locator('#status')).toHaveText('ready');
      }
      const room = { name: `coffer-test-tabs-${Date.now().toString(36)}`, password: 'pw' };
      // What y-webrtc would post to the other tabs on the room's channel, counted in tab a.
      await a.evaluate((name) => {
        const channel = new BroadcastChannel(name);
        (window as unknown as { posted: number }).posted = 0;
        channel.onmessage = () => {
          (window as unknown as { posted: number }).posted++;
        };
      }, room.name);
      const ida = await a.evaluate((r) => window.harness.transport.join(r, 'a'), room);
      const idb = await b.evaluate((r) => window.harness.transport.join(r, 'b'), room);
      const peersOf = (page: Page, id: number) =>
        page.evaluate((i) => window.harness.transport.status(i).peers, id);
      await expect.poll(() => peersOf(a, ida), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => peersOf(b, idb), { timeout: 30_000 }).toBe(1);
      // Joining posts a few messages before the room leaves the channel; none after that.
      await a.waitForTimeout(500);
      const before = await a.evaluate(() => (window as unknown as { posted: number }).posted);
      await b.evaluate(
        (i) => window.harness.transport.write(i, [{ key: 'b.1', size: 200_000 }]),
        idb,
      );
      await expect
        .poll(() => a.evaluate((i) => window.harness.transport.contents(i), ida), {
          timeout: 30_000,
        })
        .toEqual({ 'b.1': 200_000 });
      await a.waitForTimeout(500);
      expect(await a.evaluate(() => (window as unknown as { posted: number }).posted)).toBe(before);
    } finally {
      await context.close();
    }
  });

  test('a device that forwards nothing sends no peer update back; one that forwards does', async ({
    browser,
  }) => {
    const [writer, listener] = await Promise.all([
      openDevice(browser, served.url),
      openDevice(browser, served.url),
    ]);
    try {
      /** Bytes that come back to the writer after the listener received its 1 MB write. */
      const echoed = async (forward: boolean) => {
        const room = { name: `coffer-test-forward-${forward}-${Date.now()}`, password: 'pw' };
        const w = await writer.page.evaluate(
          (r) => window.harness.transport.joinCounting(r, 'w', true),
          room,
        );
        const l = await listener.page.evaluate(
          (o) => window.harness.transport.joinCounting(o.room, 'l', o.forward),
          { room, forward },
        );
        for (const [page, id] of [
          [writer.page, w],
          [listener.page, l],
        ] as const) {
          await expect
            .poll(() => page.evaluate((i) => window.harness.transport.status(i).peers, id), {
              timeout: 30_000,
            })
            .toBe(1);
        }
        await writer.page.waitForTimeout(500);
        const before = await writer.page.evaluate(() => window.harness.transport.receivedBytes());
        await writer.page.evaluate(
          (i) => window.harness.transport.write(i, [{ key: 'w.1', size: 1_000_000 }]),
          w,
        );
        await expect
          .poll(() => listener.page.evaluate((i) => window.harness.transport.contents(i), l), {
            timeout: 30_000,
          })
          .toEqual({ 'w.1': 1_000_000 });
        // The listener's own write still reaches the writer.
        await listener.page.evaluate(
          (i) => window.harness.transport.write(i, [{ key: 'l.1', size: 10 }]),
          l,
        );
        await expect
          .poll(() => writer.page.evaluate((i) => window.harness.transport.contents(i), w), {
            timeout: 30_000,
          })
          .toEqual({ 'w.1': 1_000_000, 'l.1': 10 });
        await writer.page.waitForTimeout(1000);
        const after = await writer.page.evaluate(() => window.harness.transport.receivedBytes());
        for (const [page, id] of [
          [writer.page, w],
          [listener.page, l],
        ] as const)
          await page.evaluate((i) => window.harness.transport.leave(i), id);
        return after - before;
      };
      // Forwarding (y-webrtc's way, the default): the megabyte comes straight back.
      expect(await echoed(true)).toBeGreaterThan(1_000_000);
      expect(await echoed(false)).toBeLessThan(10_000);
    } finally {
      await Promise.all([writer.page.context().close(), listener.page.context().close()]);
    }
  });

  test('a connection that never opens is dropped after 8 to 16 s of its clock, and the peers try again', async ({
    browser,
  }) => {
    const [a, b] = await Promise.all([
      openDevice(browser, served.url),
      openDevice(browser, served.url),
    ]);
    try {
      const room = { name: `coffer-test-stuck-${Date.now().toString(36)}`, password: 'pw' };
      const ids = [
        await a.page.evaluate((r) => window.harness.transport.joinWithClock(r, 'a', true), room),
        await b.page.evaluate((r) => window.harness.transport.joinWithClock(r, 'b', false), room),
      ] as const;
      const peersOf = (page: Page, id: number) =>
        page.evaluate((i) => window.harness.transport.status(i).peers, id);
      // a's connections are stuck: nothing connects while the clocks stand still.
      await a.page.waitForTimeout(3000);
      expect([await peersOf(a.page, ids[0]), await peersOf(b.page, ids[1])]).toEqual([0, 0]);
      // 60 s later by their clocks, both ends drop it; y-webrtc announces again and a's next
      // connection opens. That takes real seconds (a new offer, ICE on loopback), more on a
      // busy 2-core machine running another browser test beside this one.
      for (const device of [a, b])
        await device.page.evaluate(() => window.harness.transport.skipTime(60_000));
      await expect.poll(() => peersOf(a.page, ids[0]), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => peersOf(b.page, ids[1]), { timeout: 30_000 }).toBe(1);
      for (const device of [a, b]) {
        expect(await device.page.evaluate(() => window.harness.transport.uncaught())).toEqual([]);
        expect(device.errors).toEqual([]);
      }
    } finally {
      await Promise.all([a.page.context().close(), b.page.context().close()]);
    }
  });
});
