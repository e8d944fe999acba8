import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createProfile, unlock, watchCsp } from './support';

const idleMessage = 'Locked after a while without activity.';

/**
 * Two unlocked tabs of one browser, auto-lock at 1 minute. The pages run Playwright's fake
 * clock (installed before the app loads), so the minutes pass in an instant.
 */
async function twoUnlockedTabs(
  openTabs: (count: number) => Promise<Page[]>,
  url: string,
): Promise<{ a: Page; b: Page; csp: string[][] }> {
  const [a, b] = (await openTabs(2)) as [Page, Page];
  const csp = [await watchCsp(a), await watchCsp(b)];
  // Playwright's clock belongs to the context: one install fakes time in both tabs, and one
  // fastForward moves both (calling it per page would move them twice).
  await a.clock.install();
  await createProfile(a, url);
  await a.getByRole('button', { name: 'Settings' }).click();
  const autoLock = a.getByLabel('Lock after inactivity', { exact: true });
  await autoLock.selectOption({ label: '1 minute' });
  await expect(autoLock).toHaveAccessibleDescription(/Saved/);
  await b.goto(url);
  await unlock(b);
  // support's unlock() waits for a button named like "Lock", which "Unlock" also matches.
  await expect(b.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    timeout: 20_000,
  });
  return { a, b, csp };
}

test('idle for the auto-lock time locks every tab', async ({ openTabs, app }) => {
  const { a, b, csp } = await twoUnlockedTabs(openTabs, app.url);
  await a.clock.fastForward('01:05');
  for (const page of [a, b]) {
    await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  }
  await expect(a.getByRole('status')).toHaveText(idleMessage);
  // Whichever tab's timer fires first broadcasts the lock; every tab says it was the idle time.
  await expect(b.getByRole('status')).toHaveText(idleMessage);
  expect(csp.flat()).toEqual([]);
});

test('activity in one tab keeps every tab unlocked', async ({ openTabs, app }) => {
  const { a, b, csp } = await twoUnlockedTabs(openTabs, app.url);
  // Start both idle timers from now: unlocking tab B may have taken a while of real time.
  await a.keyboard.press('Tab');
  await b.keyboard.press('Tab');
  await a.clock.fastForward('00:40');
  // A key press in tab A counts for both: it is broadcast to the other tabs.
  await a.keyboard.press('Tab');
  await a.clock.fastForward('00:40');
  for (const page of [a, b]) {
    await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeHidden();
  }
  // And with no more activity, both lock after the full minute.
  await a.clock.fastForward('00:30');
  for (const page of [a, b]) {
    await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  }
  expect(csp.flat()).toEqual([]);
});

test('"Lock" in one tab locks the other at once', async ({ openTabs, app }) => {
  const { a, b, csp } = await twoUnlockedTabs(openTabs, app.url);
  await b.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(b.getByRole('status')).toHaveText('Locked.');
  await expect(a.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  await expect(a.getByRole('status')).toHaveText('Locked from another tab.');
  expect(csp.flat()).toEqual([]);
});
