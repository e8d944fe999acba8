import type { Page } from '@playwright/test';
import { vaultMutexScenarios } from '../contract/vault-mutex.contract';
import { expect, test } from '../fixtures';

async function openHarness(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('#status')).toHaveText('ready');
}

/** Opens `labels.length` tabs of one context on the harness, each with its own mutex. */
async function openLockTabs(
  openTabs: (count: number) => Promise<Page[]>,
  url: string,
  labels: string[],
): Promise<Page[]> {
  const pages = await openTabs(labels.length);
  await Promise.all(pages.map((page) => openHarness(page, url)));
  await Promise.all(
    pages.map((page, index) =>
      page.evaluate((label) => window.harness.locks.start(label), labels[index]!),
    ),
  );
  return pages;
}

const lockName = (hint: string) =>
  `coffer/vault/${hint}-${Math.random().toString(36).slice(2, 10)}`;

async function pendingCount(page: Page, name: string): Promise<number> {
  return (await page.evaluate((n) => window.harness.locks.snapshot(n), name)).pending;
}

test.describe('the vault mutex contract over navigator.locks', () => {
  // One harness page for every scenario: each makes its own clients and lock names and
  // disposes of them (vault-mutex.contract.ts), and loading the harness was most of each test.
  let page: Page;
  test.beforeAll(async ({ browser, harness }) => {
    page = await browser.newPage();
    await openHarness(page, harness.url);
  });
  test.afterAll(async () => {
    await page?.context().close();
  });

  test('the harness runs the same scenarios as the Node suite', async () => {
    const names = await page.evaluate(() => window.harness.locks.scenarioNames());
    expect(names).toEqual(vaultMutexScenarios.map((scenario) => scenario.name));
  });

  for (const scenario of vaultMutexScenarios) {
    test(scenario.name, async () => {
      const outcome = await page.evaluate(
        (name) => window.harness.locks.runScenario(name),
        scenario.name,
      );
      expect(outcome, outcome.ok ? '' : `${outcome.error.message}\n${outcome.error.stack}`).toEqual(
        {
          ok: true,
          value: true,
        },
      );
    });
  }
});

test.describe('the vault mutex across real tabs', () => {
  test('3 tabs × 20 read-modify-write cycles in IndexedDB: counter 60, never two holders', async ({
    harness,
    openTabs,
  }) => {
    const pages = await openLockTabs(openTabs, harness.url, ['tab-1', 'tab-2', 'tab-3']);
    const name = lockName('counter');
    const dbName = `coffer-lock-counter-${Math.random().toString(36).slice(2, 10)}`;
    const outcomes = await Promise.all(
      pages.map((page) =>
        page.evaluate((o) => window.harness.locks.counterCycles(o), {
          lockName: name,
          dbName,
          cycles: 20,
        }),
      ),
    );
    for (const outcome of outcomes) expect(outcome).toEqual({ ok: true, value: true });
    const result = await pages[0]!.evaluate((db) => window.harness.locks.readCounter(db), dbName);
    expect(result).toEqual({ ok: true, value: { counter: 60, holders: 0, maxHolders: 1 } });
  });

  test('closing the holding tab lets a waiting tab in', async ({ harness, openTabs }) => {
    const [holder, waiter] = await openLockTabs(openTabs, harness.url, ['tab-1', 'tab-2']);
    const name = lockName('close');
    expect(await holder!.evaluate((n) => window.harness.locks.acquire(n), name)).toMatchObject({
      ok: true,
    });
    await waiter!.evaluate((n) => window.harness.locks.beginAcquire(n), name);
    await expect.poll(() => pendingCount(waiter!, name)).toBe(1);
    // Still waiting a while later: only the holder's going away lets it in.
    await waiter!.waitForTimeout(200);
    expect(await waiter!.evaluate((n) => window.harness.locks.acquireSettled(n), name)).toBe(false);
    await holder!.close();
    const granted = await waiter!.evaluate((n) => window.harness.locks.waitAcquired(n), name);
    expect(granted).toMatchObject({ ok: true });
    const who = await waiter!.evaluate((n) => window.harness.locks.whoHolds(n), name);
    expect(who).toMatchObject({ ok: true, value: { label: 'tab-2', heldHere: true } });
  });

  test("steal across tabs: the old tab's lease reports 'stolen', its release leaves the lock alone", async ({
    harness,
    openTabs,
  }) => {
    const [first, second, third] = await openLockTabs(openTabs, harness.url, [
      'tab-1',
      'tab-2',
      'tab-3',
    ]);
    const name = lockName('steal');
    expect(await first!.evaluate((n) => window.harness.locks.acquire(n), name)).toMatchObject({
      ok: true,
    });
    const stolen = await second!.evaluate(
      (n) => window.harness.locks.acquire(n, { steal: true }),
      name,
    );
    expect(stolen).toMatchObject({ ok: true });
    await expect
      .poll(() => first!.evaluate((n) => window.harness.locks.lostReason(n), name))
      .toBe('stolen');
    expect(await first!.evaluate((n) => window.harness.locks.release(n), name)).toEqual({
      ok: true,
      value: true,
    });
    const busy = await third!.evaluate(
      (n) => window.harness.locks.acquire(n, { ifAvailable: true }),
      name,
    );
    expect(busy).toMatchObject({
      ok: false,
      error: {
        name: 'VaultBusyError',
        lockName: name,
        holder: { label: 'tab-2', heldHere: false },
      },
    });
    expect(await second!.evaluate((n) => window.harness.locks.lostReason(n), name)).toBeUndefined();
  });

  test("whoHolds from a waiting tab shows the holder tab's label and since", async ({
    harness,
    openTabs,
  }) => {
    const [holder, waiter] = await openLockTabs(openTabs, harness.url, [
      'Tab opened 10:42',
      'tab-2',
    ]);
    const name = lockName('who');
    const held = await holder!.evaluate((n) => window.harness.locks.acquire(n), name);
    if (!held.ok) throw new Error(held.error.message);
    await waiter!.evaluate(
      (n) => window.harness.locks.beginAcquire(n, { timeoutMs: 30_000 }),
      name,
    );
    await expect.poll(() => pendingCount(waiter!, name)).toBe(1);
    const who = await waiter!.evaluate((n) => window.harness.locks.whoHolds(n), name);
    expect(who).toEqual({
      ok: true,
      value: { label: 'Tab opened 10:42', since: held.value.since, heldHere: false },
    });
    await holder!.evaluate((n) => window.harness.locks.release(n), name);
    expect(await waiter!.evaluate((n) => window.harness.locks.waitAcquired(n), name)).toMatchObject(
      { ok: true },
    );
  });
});
