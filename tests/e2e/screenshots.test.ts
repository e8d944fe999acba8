/**
 * Screenshots of each screen at 1280×800 and 360×740, light and dark, for review. Always
 * attached to the test's output; with COFFER_SCREENSHOTS=1 also written to docs/screenshots/
 * as <screen>-<width>-<theme>.png.
 */
import { mkdir } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from '../fixtures';
import { startHttpRecorder } from '../support/http-recorder';
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

/** One view as the README shows it: 1280×800, light, the viewport only, as `<name>.png`. */
async function shootReadme(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.setViewportSize(sizes[0]);
  await page.emulateMedia({ colorScheme: 'light' });
  const shot = await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  if (toDocs) {
    await mkdir(docsDir, { recursive: true });
    await page.screenshot({ path: `${docsDir}${name}.png` });
  }
  expect(shot.byteLength).toBeGreaterThan(0);
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

  // A vault with an item and a masked secret: what a user sees most of the time.
  await page.setViewportSize(sizes[0]);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('dialog').getByLabel('Vault name').fill('my-vault');
  await page.getByRole('dialog').getByRole('button', { name: 'Create vault' }).click();
  await page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'my-vault' })
    .click();
  await expect(page.getByRole('heading', { name: 'my-vault', level: 2 })).toBeVisible();
  for (const entry of [
    { name: 'API_KEY', kind: 'Secret', secret: 'sk-live-4f9a8c2e71b0' },
    {
      name: 'my-item',
      kind: 'Item',
      json: '{"servers": ["db-1.internal", "db-2.internal"], "port": 5432}',
    },
  ]) {
    await page.getByRole('button', { name: 'New entry' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(entry.name);
    await dialog.getByRole('radio', { name: entry.kind }).check();
    if (entry.secret) await dialog.getByLabel('Secret value', { exact: true }).fill(entry.secret);
    if (entry.json) await dialog.getByLabel('Value (JSON)').fill(entry.json);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }
  // After a save the pane shows the saved entry; the list is one step back.
  await page.getByRole('button', { name: 'Back to entries' }).click();
  await expect(page.getByRole('list', { name: 'Entries' })).toBeVisible();
  await shoot(page, testInfo, 'vault');
  await page
    .getByRole('list', { name: 'Entries' })
    .getByRole('button', { name: 'API_KEY' })
    .click();
  await shoot(page, testInfo, 'secret');

  // An integration that uses the vault, after a run: the request with references, the seed
  // hook, and the run's masked output; then the vault permissions.
  const recorder = await startHttpRecorder();
  try {
    await page.setViewportSize(sizes[0]);
    await page.getByRole('button', { name: 'Integrations', exact: true }).click();
    const list = page.getByRole('navigation', { name: 'Integrations' });
    await list.getByRole('button', { name: 'New integration' }).click();
    const create = page.getByRole('dialog', { name: 'New integration' });
    await create.getByRole('textbox', { name: 'Integration name' }).fill('weather');
    await create.getByRole('button', { name: 'Create integration' }).click();
    await expect(create).toBeHidden();
    await page.getByRole('combobox', { name: 'Default vault' }).selectOption({ label: 'my-vault' });
    await page
      .getByRole('combobox', { name: 'URL' })
      .fill(`${recorder.origin}/echo/forecast?city=@{keep.my_data.servers[0]}`);
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByRole('combobox', { name: 'Header 1 name' }).fill('Authorization');
    await page.getByRole('combobox', { name: 'Header 1 value' }).fill('Bearer @{vault.API_KEY}');
    await page
      .getByRole('textbox', { name: 'Before hook' })
      .fill(
        [
          "const my_data = await withVault('my-vault', v => v.get('my-item'));",
          `debug(my_data, { label: "Here's what was in the vault" });`,
          'keep({ my_data });',
        ].join('\n'),
      );
    await list.getByRole('button', { name: 'Vault permissions' }).click();
    await page.getByRole('button', { name: 'Add permission' }).click();
    const form = page.getByRole('form', { name: 'Add permission' });
    await form.getByRole('combobox', { name: 'Vault' }).selectOption({ label: 'my-vault' });
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form).toBeHidden();
    await page.getByRole('button', { name: 'Back to weather' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('main').getByText(/^Succeeded in /)).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByRole('region', { name: 'Request sent' })).toContainText('••••');
    await page.getByRole('region', { name: 'Debug output' }).scrollIntoViewIfNeeded();
    await shootReadme(page, testInfo, 'integrations-editor');
    await shoot(page, testInfo, 'integrations-editor');

    await page.setViewportSize(sizes[0]);
    await list.getByRole('button', { name: 'Vault permissions' }).click();
    await expect(page.getByRole('heading', { name: 'Vault permissions' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'weather', exact: true })).toBeVisible();
    await shootReadme(page, testInfo, 'integrations-permissions');
    await shoot(page, testInfo, 'integrations-permissions');
  } finally {
    await recorder.close();
  }
  expect(csp).toEqual([]);
});
