/**
 * The PWA: the manifest is linked and complete, and a new version is offered through the
 * update prompt. The update is real: a second server serves a copy of dist/ whose sw.js differs
 * by a comment, which the browser sees as a new service worker that installs and waits.
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CofferServer, startCofferServer } from '../../src/server/server';
import { expect, test } from '../fixtures';
import { watchCsp } from './support';

const distDir = new URL('../../dist', import.meta.url).pathname;

test('the manifest is linked, with name, icons (192, 512, maskable) and theme colour', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await page.goto(app.url);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await page.request.get(new URL(href!, app.url).href);
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as {
    name: string;
    theme_color: string;
    display: string;
    icons: { src: string; sizes: string; purpose?: string }[];
  };
  expect(manifest.name).toBe('Coffer');
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.display).toBe('standalone');
  const sizes = manifest.icons.map(
    (icon) => `${icon.sizes}${icon.purpose ? ` ${icon.purpose}` : ''}`,
  );
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
  // Every icon is served.
  for (const icon of manifest.icons) {
    expect((await page.request.get(new URL(icon.src, app.url).href)).ok()).toBe(true);
  }
  expect(csp).toEqual([]);
});

test('a new version is offered by the update prompt, and Reload moves onto it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  // Both versions are copies, so a rebuild of dist/ during the test cannot change them.
  const currentDir = await mkdtemp(join(tmpdir(), 'coffer-dist-now-'));
  const changedDir = await mkdtemp(join(tmpdir(), 'coffer-dist-next-'));
  await cp(distDir, currentDir, { recursive: true });
  await cp(currentDir, changedDir, { recursive: true });
  let server: CofferServer | undefined = await startCofferServer({ root: currentDir, port: 0 });
  try {
    const port = server.port;
    const url = server.url;
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 15_000,
    });
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    await expect(page.getByText('A new version of Coffer is ready.')).toBeHidden();

    // "Deploy" a new version on the same origin: sw.js differs by one comment.
    await appendFile(join(changedDir, 'sw.js'), '\n// the next version\n');
    await server.close();
    server = undefined;
    server = await startCofferServer({ root: changedDir, port });

    // A navigation makes the browser check sw.js; the new worker installs and waits.
    await page.reload();
    const prompt = page
      .getByRole('status')
      .filter({ hasText: 'A new version of Coffer is ready.' });
    await expect(prompt).toBeVisible({ timeout: 20_000 });
    expect(
      await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting),
    ).toBe(true);

    await prompt.getByRole('button', { name: 'Reload' }).click();
    // The waiting worker takes over and the page reloads onto it; nothing is waiting any more.
    await page.waitForFunction(
      async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return !!registration?.active && !registration.waiting && !registration.installing;
      },
      undefined,
      { timeout: 20_000 },
    );
    await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
    await expect(page.getByText('A new version of Coffer is ready.')).toBeHidden();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      firstWorker,
    );
    expect(csp).toEqual([]);
  } finally {
    await server?.close();
    await rm(currentDir, { recursive: true, force: true });
    await rm(changedDir, { recursive: true, force: true });
  }
});
