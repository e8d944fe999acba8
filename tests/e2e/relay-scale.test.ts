/**
 * Two Coffer server instances sharing one Redis and one PostgreSQL (docs/deploy.md), with
 * devices in separate Chromium processes:
 *
 * - A device on instance 1 and one on instance 2 pair by invitation and sync: the invitation
 *   room has no relay, so they can only meet through the signaling shared over Redis.
 * - Instance 1 is killed (SIGKILL, no shutdown) while a device behind it is adding entries; its
 *   address then leads to instance 2, as a load balancer's health check would make it; the
 *   entries reach the other device, which was closed all the while, through the mailbox relay
 *   (PostgreSQL) alone; instance 1 comes back and both devices carry on.
 *
 * Each instance is its own Node process (as `node src/server/main.ts` runs), so a kill is a
 * real one: whatever it had not stored is gone with it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, connect as netConnect, type Socket } from 'node:net';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { appDistDir, type Device, expect, test } from '../fixtures';
import { type RunningService, startPostgres, startRedis } from '../support/services';
import { invite, joinByLink } from './pairing';
import { addItem, createProfile, createVault, unlock } from './support';

const serverModule = new URL('../../src/server/server.ts', import.meta.url).pathname;
const relayModule = new URL('../../src/server/relay/index.ts', import.meta.url).pathname;

interface Instance {
  readonly port: number;
  readonly url: string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** One Coffer server process on `port` (0: a free one), configured from the environment. */
async function startInstance(
  name: string,
  env: { REDIS_URL: string; DATABASE_URL: string },
  port = 0,
): Promise<Instance> {
  const script = `
    import { startCofferServer } from ${JSON.stringify(serverModule)};
    import { relayOptionsFromEnv } from ${JSON.stringify(relayModule)};
    const relay = { ...relayOptionsFromEnv(process.env), instanceName: process.env.INSTANCE };
    const server = await startCofferServer({
      root: process.env.ROOT, port: Number(process.env.PORT), relay,
      signaling: { redisUrl: relay.redisUrl, instanceId: process.env.INSTANCE },
    });
    await server.relay.bridge.ready;
    process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
    console.log('READY ' + server.port);`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      env: { ...process.env, ...env, ROOT: appDistDir, PORT: String(port), INSTANCE: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) resolve(Number(ready[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`)));
  });
  return {
    port: listening,
    url: `http://localhost:${listening}`,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * One address in front of the instances, as a load balancer with health checks: each new
 * connection goes to the first backend that accepts it; one whose backend dies is closed.
 */
async function startFailover(backends: () => readonly number[]) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const tryBackend = (index: number) => {
      const port = backends()[index];
      if (port === undefined) {
        client.destroy();
        return;
      }
      const upstream = netConnect(port, '127.0.0.1');
      sockets.add(upstream);
      // Refused: that backend is down, try the next.
      upstream.once('error', () => {
        upstream.destroy();
        tryBackend(index + 1);
      });
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
      upstream.on('close', () => sockets.delete(upstream));
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function query<Row extends object>(databaseUrl: string, text: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Whether PostgreSQL holds what a device sent after `since`: a room was stored after it (only
 * the surviving instance can have done so, after the device's resync with it), and no store has
 * followed for longer than Hocuspocus' longest store delay (maxDebounce, 10 s), so the changes
 * the device sent live afterwards are in too.
 */
async function storedSinceAndSettled(databaseUrl: string, since: Date): Promise<boolean> {
  const [row] = await query<{ settled: boolean }>(
    databaseUrl,
    `select coalesce(max(updated_at) > $1 and now() - max(updated_at) > interval '12 seconds', false)
       as settled from coffer_relay_rooms`,
    [since],
  );
  return row?.settled === true;
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });
const entry = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const connected = (page: Page) =>
  page.getByRole('status').filter({ hasText: 'Connected to 1 device' });

/** A on `urlA` makes a vault and invites; B on `urlB` (another instance) joins it. */
async function pairAcross(a: Device, urlA: string, b: Device, urlB: string, vault: string) {
  await createProfile(a.page, urlA);
  await createVault(a.page, vault);
  await addItem(a.page, 'first', '{"n":1}');
  const link = await invite(a.page);
  await createProfile(b.page, urlB);
  // The same invitation, opened on the other instance's address.
  await joinByLink(b, link.replace(urlA, urlB));
  const join = b.page.getByRole('dialog', { name: 'Join a shared vault' });
  await join.getByRole('button', { name: 'Join vault' }).click();
  await expect(join.getByText(new RegExp(`Added “${vault}”`))).toBeVisible({ timeout: 60_000 });
  await join.getByRole('button', { name: 'Done' }).click();
  await expect(entry(b.page, 'first')).toBeVisible({ timeout: 30_000 });
  for (const page of [a.page, b.page]) {
    await expect(connected(page)).toBeVisible({ timeout: 30_000 });
  }
}

let redis: RunningService;
let postgres: RunningService;
const cleanups: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
});

test.afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

test.afterAll(async () => {
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

const services = () => ({ REDIS_URL: redis.url, DATABASE_URL: postgres.url });

/** Instances 'one' and 'two', started side by side; each is stopped after the test. */
async function startInstances(): Promise<[Instance, Instance]> {
  const starting = [startInstance('one', services()), startInstance('two', services())] as const;
  // Stopped after the test even if the other one failed to start.
  for (const instance of starting) cleanups.push(() => instance.then((it) => it.stop()));
  return [await starting[0], await starting[1]];
}

test('devices on two instances pair through the shared signaling and sync', async ({
  launchDevice,
}) => {
  test.setTimeout(240_000);
  const [one, two] = await startInstances();
  const [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);

  await pairAcross(a, one.url, b, two.url, 'Across instances');
  await addItem(b.page, 'from_b', '{"via":"two"}');
  await expect(entry(a.page, 'from_b')).toBeVisible({ timeout: 30_000 });
  await addItem(a.page, 'from_a', '{"via":"one"}');
  await expect(entry(b.page, 'from_a')).toBeVisible({ timeout: 30_000 });
});

test('an instance killed mid-stream loses nothing; devices carry on through the other', async ({
  launchDevice,
}) => {
  test.setTimeout(420_000);
  const started = await startInstances();
  let one = started[0];
  const two = started[1];
  // Address one prefers instance one, address two instance two; each falls back to the other.
  const addressOne = await startFailover(() => [one.port, two.port]);
  cleanups.push(() => addressOne.close());
  const addressTwo = await startFailover(() => [two.port, one.port]);
  cleanups.push(() => addressTwo.close());
  let [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);
  const vault = 'Failover';
  await pairAcross(a, addressOne.url, b, addressTwo.url, vault);

  // B closes: from now on, what A writes can reach it only through the relay.
  await b.context.close();
  const written = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
  const canary = `relay-canary-${randomUUID()}`;
  let killedAt = new Date();
  for (const [index, name] of written.entries()) {
    await addItem(a.page, name, `{"i":${index},"note":"${canary}"}`);
    if (index === 2) {
      await one.kill(); // mid-stream, without a chance to store anything
      const [row] = await query<{ now: Date }>(postgres.url, 'select now()', []);
      killedAt = row!.now;
    }
  }
  // A's relay connection comes back through address one, now served by instance two, and
  // hands over what instance one had not stored. Only then may A close.
  await expect
    .poll(() => storedSinceAndSettled(postgres.url, killedAt), {
      timeout: 120_000,
      intervals: [1000],
    })
    .toBe(true);
  await a.context.close();

  // B opens with A closed: everything comes from PostgreSQL, through instance two.
  b = await b.restart();
  await b.page.goto(addressTwo.url);
  await unlock(b.page);
  await sidebar(b.page).getByRole('list').getByRole('button', { name: vault, exact: true }).click();
  for (const name of written) {
    await expect(entry(b.page, name)).toBeVisible({ timeout: 60_000 });
  }
  // The relay's database in full holds sealed bytes only: no value, no vault name.
  const rooms = await query<{ name: string; state: Buffer }>(
    postgres.url,
    'select name, state from coffer_relay_rooms',
    [],
  );
  expect(rooms.length).toBeGreaterThan(0);
  for (const room of rooms) {
    const dump = Buffer.concat([Buffer.from(room.name), room.state]);
    for (const secret of [canary, vault]) {
      expect(dump.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(dump.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
  }

  // Instance one comes back on its port; A, behind it again, and B carry on together.
  one = await startInstance('one', services(), one.port);
  cleanups.push(() => one.stop());
  a = await a.restart();
  await a.page.goto(addressOne.url);
  await unlock(a.page);
  await sidebar(a.page).getByRole('list').getByRole('button', { name: vault, exact: true }).click();
  await addItem(b.page, 'after_restart', '{"ok":true}');
  await expect(entry(a.page, 'after_restart')).toBeVisible({ timeout: 60_000 });
  for (const page of [a.page, b.page]) {
    await expect(connected(page)).toBeVisible({ timeout: 60_000 });
  }
});
