/**
 * The mailbox relay through the app (issue 18): a change made while the other device is closed
 * reaches it when it next opens, through the relay alone; a stranger is refused and the real
 * devices do not notice; the relay's storage, read in full from its SQLite file, holds no
 * canary and no vault name.
 *
 * The server is the project's own (startCofferServer, as `npm start` runs it) with the relay
 * on a SQLite file of this test's, so its storage can be read byte for byte afterwards. Each
 * device is a Chromium process of its own.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import type { VaultKey } from '../../src/core/crypto';
import { relayRoomOf } from '../../src/core/relay';
import { relayTransport } from '../../src/core/sync/relay-transport';
import { type CofferServer, startCofferServer } from '../../src/server/server';
import { appDistDir, expect, test } from '../fixtures';
import { NodeWebSocket } from '../unit/sync/relay-test-server';
import { pair } from './pairing';
import { addItem, createProfile, createVault, unlock } from './support';

const vaultName = 'Relay CANARY-vault-5d3a';
const canaryEntry = 'CANARY_RELAY_ENTRY_a81f';
const canaryValue = 'CANARY-relay-value-0c6e';

const statusLine = (page: Page) =>
  page.getByRole('status').filter({ hasText: /Online|Connected|Connecting|Offline/ });

/** The relay's room names and their stored sizes. */
const roomBytes = (server: CofferServer) => new Map(server.relayStats().roomBytes);
const totalBytes = (server: CofferServer) =>
  [...roomBytes(server).values()].reduce((a, b) => a + b, 0);

let dir: string;
let server: CofferServer;

test.describe('with a relay on a SQLite file of its own', () => {
  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coffer-relay-e2e-'));
    server = await startCofferServer({
      root: appDistDir,
      port: 0,
      relay: { storage: { kind: 'sqlite', file: join(dir, 'relay.sqlite') } },
    });
  });
  test.afterEach(async () => {
    await server.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  test('a change made while the other device is closed reaches it through the relay alone; a stranger is refused; the relay stores no canary', async ({
    launchDevice,
  }) => {
    test.setTimeout(300_000);
    const url = server.url;
    const [a, first] = await Promise.all([launchDevice('a'), launchDevice('b')]);
    await pair(a, first, url, vaultName, ['first_entry', '{"n":1}']);
    for (const page of [a.page, first.page])
      await expect(statusLine(page)).toContainText('relay reached', { timeout: 30_000 });

    // The vault's relay room: the only room, since the invitation room has none.
    await expect.poll(() => roomBytes(server).size, { timeout: 30_000 }).toBe(1);
    const [room] = [...roomBytes(server).keys()];
    expect(room).toMatch(/^coffer-relay-[A-Za-z0-9_-]{43}$/);

    // (b) A stranger who knows the room's name but not its token: a token that opens another
    // room, and none at all. Each is refused; it learns nothing of the room's document.
    const strangers: { doc: Y.Doc; transport: ReturnType<ReturnType<typeof relayTransport>> }[] =
      [];
    for (const token of [
      relayRoomOf(new Uint8Array(32).fill(9) as unknown as VaultKey).token,
      '',
    ]) {
      const doc = new Y.Doc();
      const transport = relayTransport({
        relays: () => [`${url.replace(/^http/, 'ws')}/relay`],
        network: { online: () => true, onChange: () => () => {} },
        WebSocket: NodeWebSocket,
      })({ name: 'stranger', password: 'stranger', doc, relay: { room: room!, token } });
      strangers.push({ doc, transport });
    }
    for (const { doc, transport } of strangers) {
      await expect
        .poll(() => transport.status().relayProblem?.reason, { timeout: 15_000 })
        .toBe('unauthorized');
      expect(transport.status().state).toBe('offline');
      expect(doc.getMap('envelopes').size).toBe(0);
      await transport.destroy();
    }
    expect(server.relayStats().refused.unauthorized ?? 0).toBeGreaterThanOrEqual(2);
    // The real devices did not notice.
    for (const page of [a.page, first.page]) {
      await expect(statusLine(page)).toContainText('Connected to 1 device');
      await expect(statusLine(page)).toContainText('relay reached');
      await expect(page.locator('.relay-problem')).toHaveCount(0);
    }

    // (a) B closes; A writes the canary, waits for the relay to hold it, and closes too.
    await first.context.close();
    const before = totalBytes(server);
    await addItem(a.page, canaryEntry, JSON.stringify({ token: canaryValue }));
    await expect.poll(() => totalBytes(server), { timeout: 30_000 }).toBeGreaterThan(before);
    await a.context.close();

    // B opens with A closed: only the relay can bring it the canary.
    const b = await first.restart();
    await b.page.goto(url);
    await unlock(b.page);
    await b.page
      .getByRole('navigation', { name: 'Vaults' })
      .getByRole('list')
      .getByRole('button', { name: vaultName, exact: true })
      .click();
    await expect(b.page.getByRole('button', { name: canaryEntry, exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(statusLine(b.page)).toContainText('relay reached');
    await b.page.getByRole('button', { name: canaryEntry, exact: true }).click();
    await expect(b.page.getByText(canaryValue).first()).toBeVisible();
    await b.context.close();

    // (c) The relay's storage in full: the SQLite file (and any journal beside it), read as bytes
    // once the server has stored every room and closed.
    await server.close();
    const files = await readdir(dir);
    expect(files.some((name) => name.startsWith('relay.sqlite'))).toBe(true);
    let stored = Buffer.alloc(0);
    for (const name of files) stored = Buffer.concat([stored, await readFile(join(dir, name))]);
    expect(stored.length).toBeGreaterThan(before);
    for (const secret of [vaultName, 'CANARY-vault', canaryEntry, canaryValue, 'first_entry']) {
      expect(stored.includes(Buffer.from(secret, 'utf8')), `the relay stored "${secret}"`).toBe(
        false,
      );
      expect(stored.includes(Buffer.from(secret, 'utf16le')), `the relay stored "${secret}"`).toBe(
        false,
      );
    }
  });
});

test('Settings → Sync: relay addresses are checked with a clear error, nothing saved is lost; the switch turns the relay off', async ({
  page,
  app,
}) => {
  test.setTimeout(180_000);
  await createProfile(page, app.url);
  await createVault(page, 'Solo');
  await expect(statusLine(page)).toContainText('relay reached', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Settings' }).click();
  const addresses = page.getByLabel('Relay addresses', { exact: true });
  const relaySwitch = page.getByRole('switch', {
    name: 'Use a relay for devices that are not open at the same time',
  });
  await expect(relaySwitch).toBeChecked();
  await expect(relaySwitch).toHaveAccessibleDescription(/only ever sees sealed bytes/);
  await addresses.fill('ws://127.0.0.1:9/relay\nhttps://relay.example/relay');
  await page.getByRole('button', { name: 'Save relay addresses' }).click();
  await expect(addresses).toHaveAccessibleDescription(
    'Line 2 must start with wss:// (or ws:// on your own network).',
  );
  // Locking and unlocking: nothing was saved; the bad text is gone, the default stands.
  await page.getByRole('button', { name: 'Lock now' }).click();
  await unlock(page);
  await expect(statusLine(page)).toContainText('relay reached', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(addresses).toHaveValue('');

  // A relay nobody answers at: the vault says so, and still works.
  await addresses.fill('ws://127.0.0.1:9/relay');
  await page.getByRole('button', { name: 'Save relay addresses' }).click();
  await expect(addresses).toHaveAccessibleDescription(/Saved/);
  await page.getByRole('button', { name: 'Lock now' }).click();
  await unlock(page);
  await expect(statusLine(page)).toContainText(/reaching the relay|relay not reached/, {
    timeout: 30_000,
  });

  // Off: no relay at all.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(addresses).toHaveValue('ws://127.0.0.1:9/relay');
  await relaySwitch.click();
  await expect(relaySwitch).not.toBeChecked();
  await expect(addresses).toBeDisabled();
  await page.getByRole('button', { name: 'Lock now' }).click();
  await unlock(page);
  await expect(statusLine(page)).toContainText(/Online|Connected/, { timeout: 30_000 });
  await expect(statusLine(page)).not.toContainText('relay');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(relaySwitch).not.toBeChecked();
});
