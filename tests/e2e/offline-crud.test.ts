/**
 * Offline use: after one online visit, the app reloads, unlocks and works with no server at
 * all (the service worker serves the app; the vaults live in IndexedDB).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, type OfflineApp, test } from '../fixtures';
import { createProfile, unlock, vaultActions, watchCsp } from './support';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });
const vaultButton = (page: Page, name: string) =>
  sidebar(page).getByRole('list').getByRole('button', { name, exact: true });

/** Creates the profile online, waits for the service worker, then takes the server away. */
async function offlineAndUnlocked(page: Page, context: BrowserContext, served: OfflineApp) {
  await createProfile(page, served.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 15_000,
  });
  await served.goOffline(context);
  await page.reload();
  await served.goOffline(context);
  await unlockFully(page);
}

/** support's unlock() waits for a button named like "Lock", which "Unlock" also matches. */
async function unlockFully(page: Page) {
  await unlock(page);
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    timeout: 20_000,
  });
}

test('offline: reload, unlock and change a setting with no server', async ({
  page,
  context,
  offlineApp,
}) => {
  // Three key derivations: near the default minute on a busy machine.
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  await offlineAndUnlocked(page, context, offlineApp);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  await page.getByRole('button', { name: 'Settings' }).click();
  const pageSize = page.getByLabel('Entries per page', { exact: true });
  await pageSize.selectOption({ label: '25' });
  await expect(pageSize).toHaveAccessibleDescription(/Saved/);
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.reload();
  await offlineApp.goOffline(context);
  await unlockFully(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(pageSize.locator('option:checked')).toHaveText('25');
  expect(csp).toEqual([]);
});

test('offline: create, read, update and delete a vault and its entries', async ({
  page,
  context,
  offlineApp,
}) => {
  // Three key derivations and a dozen steps: more than the default minute on a busy machine.
  test.setTimeout(150_000);
  const csp = await watchCsp(page);
  await offlineAndUnlocked(page, context, offlineApp);

  // Create a vault.
  await sidebar(page).getByRole('button', { name: 'Create vault' }).click();
  const create = page.getByRole('dialog', { name: 'Create vault' });
  await create.getByLabel('Vault name').fill('field-notes');
  await create.getByRole('button', { name: 'Create vault' }).click();
  await expect(create).toBeHidden();
  await expect(vaultButton(page, 'field-notes')).toHaveAttribute('aria-current', 'page');

  // Create an item and a secret.
  await page.getByRole('button', { name: 'New entry' }).click();
  let dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByRole('radio', { name: 'Item' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('config');
  await dialog.getByLabel('Value (JSON)').fill('{"mode":"offline"}');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();

  await page.getByRole('button', { name: 'New entry' }).click();
  dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('token');
  await dialog.getByLabel('Secret value', { exact: true }).fill('s3cr3t-offline');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();

  // Read, after a reload and unlock with the server still gone.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.reload();
  await offlineApp.goOffline(context);
  await unlockFully(page);
  await vaultButton(page, 'field-notes').click();
  await page.getByRole('button', { name: 'config', exact: true }).click();
  await expect(page.locator('pre.value-view')).toContainText('"mode": "offline"');

  // Update.
  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await edit.getByLabel('Value (JSON)').fill('{"mode":"edited"}');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.locator('pre.value-view')).toContainText('"mode": "edited"');

  // Delete the entry, then the vault.
  await page.getByRole('button', { name: 'Delete', exact: true }).last().click();
  const confirm = page.getByRole('dialog', { name: 'Delete entry' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('button', { name: 'config', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'token', exact: true })).toBeVisible();

  await (await vaultActions(page)).getByRole('button', { name: 'Delete…' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete vault' });
  await remove.getByLabel("Type the vault's name to confirm").fill('field-notes');
  await remove.getByRole('button', { name: 'Delete vault' }).click();
  await expect(remove).toBeHidden();
  await expect(sidebar(page).getByText('No vaults yet.')).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(csp).toEqual([]);
});
