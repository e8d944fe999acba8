import { expect, test } from '../fixtures';

test('the app loads, its service worker takes control, and it reloads offline', async ({
  page,
  context,
  offlineApp,
}) => {
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  await page.goto(offlineApp.url);
  await expect(page.getByRole('heading', { name: 'Coffer' })).toBeVisible();

  // The service worker is installed, activated and controls this page (clientsClaim).
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 15_000,
  });

  await offlineApp.goOffline(context);
  // Prove the network is really gone: the server no longer answers.
  const reachable = await page.evaluate(async (url) => {
    try {
      await fetch(`${url}/definitely-not-cached-${Date.now()}`, { cache: 'no-store' });
      return true;
    } catch {
      return false;
    }
  }, offlineApp.url);
  expect(reachable).toBe(false);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Coffer' })).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');

  // A deep link that was never visited is served the app shell from the cache too.
  await page.goto(`${offlineApp.url}/some/deep/link`);
  await expect(page.getByRole('heading', { name: 'Coffer' })).toBeVisible();

  expect(cspViolations).toEqual([]);
});
