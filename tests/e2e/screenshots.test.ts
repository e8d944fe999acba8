/**
 * Screenshots of each screen at 1280×800 and 360×740, light and dark, for review. Always
 * attached to the test's output; with COFFER_SCREENSHOTS=1 also written to docs/screenshots/
 * as <screen>-<width>-<theme>.png.
 */
import { mkdir } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from '../fixtures';
import { passphrase, unlock, watchCsp } from './support';

const sizes = [
  { width: 1280, height: 800 },
  { width: 360, height: 740 },
] as const;
const themes = ['light', 'dark'] as const;
const docsDir = new URL('../../docs/screenshots/', import.meta.url).pathname;
const toDocs = process.env.COFFER_SCREENSHOTS === '1';

async function shoot(page: Page, testInfo: TestInfo, screen: string): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const theme of themes) {
      await page.emulateMedia({ colorScheme: theme });
      const name = `${screen}-${size.width}-${theme}.png`;
      const shot = await page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
      if (toDocs) {
        await mkdir(docsDir, { recursive: true });
        await page.screenshot({ path: `${docsDir}${name}`, fullPage: true });
      }
      expect(shot.byteLength).toBeGreaterThan(0);
    }
  }
}

test('screenshots of every screen', async ({ page, app }, testInfo) => {
  test.setTimeout(180_000);
  const csp = await watchCsp(page);
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
  await shoot(page, testInfo, 'first-run');

  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await expect(page.getByRole('meter', { name: 'Passphrase strength' })).toBeVisible();
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('I understand that a forgotten passphrase cannot be recovered').check();
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    timeout: 20_000,
  });
  await shoot(page, testInfo, 'home');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Entries per page', { exact: true }).selectOption({ label: '25' });
  await expect(page.getByLabel('Entries per page', { exact: true })).toHaveAccessibleDescription(
    /Saved/,
  );
  await shoot(page, testInfo, 'settings');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  await shoot(page, testInfo, 'unlock');
  await unlock(page);
  expect(csp).toEqual([]);
});
