/**
 * History end to end: an item edited three times shows its versions, two of them compare side
 * by side with a diff by JSON path, and one is restored as the current value; a deleted entry
 * comes back from Recently deleted. A secret's versions stay masked until Show.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { addItem, createProfile, createVault, snap, vaultActions, watchCsp } from './support';

async function editItem(page: Page, json: string) {
  const details = page.locator('section.entry-details');
  await details.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await edit.getByLabel('Value (JSON)').fill(json);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
}

test('edit three times, compare two versions, restore one; restore a deleted entry', async ({
  page,
  app,
}, testInfo) => {
  // Many saved changes on a loaded machine: the default minute is not enough.
  test.setTimeout(240_000);
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await createVault(page, 'history-vault');
  await addItem(page, 'config', '{"port": 80}');
  await page.getByRole('button', { name: 'config', exact: true }).click();
  const details = page.locator('section.entry-details');
  for (const port of [81, 82, 83]) await editItem(page, `{"port": ${port}}`);
  await expect(details.locator('pre.value-view')).toContainText('83');

  await details.getByRole('button', { name: 'History' }).click();
  const versions = details.getByRole('list', { name: 'Versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(4);
  await expect(versions.getByRole('listitem').first()).toContainText('current');
  await expect(versions.getByRole('listitem').last()).toContainText('created');

  // Compare the first and the third version.
  const boxes = versions.getByRole('checkbox');
  await boxes.nth(3).check();
  await boxes.nth(1).check();
  await details.getByRole('button', { name: 'Compare selected' }).click();
  const compare = page.getByRole('dialog', { name: 'Compare versions' });
  await expect(compare).toBeVisible();
  const row = compare.getByRole('row', { name: /value\.port/ });
  await expect(row).toContainText('changed');
  await expect(row).toContainText('80');
  await expect(row).toContainText('82');
  await snap(page, testInfo, 'history-compare');
  await compare.getByRole('button', { name: 'Close' }).click();
  await expect(compare).toBeHidden();

  // Restore the first version: it becomes the current value, as a new version.
  await versions
    .getByRole('listitem')
    .last()
    .getByRole('button', { name: /^Restore/ })
    .click();
  await expect(details.getByRole('status')).toContainText('Restored the version');
  await expect(details.locator('pre.value-view')).toContainText('80');
  await expect(versions.getByRole('listitem')).toHaveCount(5);
  await snap(page, testInfo, 'history-list');

  // Delete it, then restore it from Recently deleted, with its history.
  await details.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete entry' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('button', { name: 'config', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Recently deleted' }).click();
  const deleted = page.getByRole('list', { name: 'Recently deleted entries' });
  await expect(deleted.getByRole('listitem')).toHaveCount(1);
  await expect(deleted).toContainText('90 days left');
  await snap(page, testInfo, 'recently-deleted');
  await deleted.getByRole('button', { name: 'Restore config' }).click();
  await expect(page.getByText('Restored “config”.')).toBeVisible();
  await expect(page.getByText('No recently deleted entries.')).toBeVisible();
  await page.getByRole('button', { name: 'config', exact: true }).click();
  await expect(details.locator('pre.value-view')).toContainText('80');
  await details.getByRole('button', { name: 'History' }).click();
  await expect(versions.getByRole('listitem')).toHaveCount(6);
  expect(csp).toEqual([]);
});

test('a secret’s versions stay masked until Show; bad retention input is refused', async ({
  page,
  app,
}) => {
  test.setTimeout(240_000);
  await createProfile(page, app.url);
  await createVault(page, 'secret-history');
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('TOKEN');
  await dialog.getByLabel('Secret value', { exact: true }).fill('canary-old-4711');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const details = page.locator('section.entry-details');
  await details.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await edit.getByLabel('Secret value', { exact: true }).fill('canary-new-4712');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await details.getByRole('button', { name: 'History' }).click();
  const boxes = details.getByRole('list', { name: 'Versions' }).getByRole('checkbox');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await details.getByRole('button', { name: 'Compare selected' }).click();
  const compare = page.getByRole('dialog', { name: 'Compare versions' });
  await expect(compare.getByRole('row', { name: /value/ })).toContainText('changed');
  expect(await page.content()).not.toContain('canary-old-4711');
  await compare.getByRole('button', { name: 'Show secret values' }).click();
  await expect(compare.getByRole('row', { name: /value/ })).toContainText('canary-old-4711');
  await compare.getByRole('button', { name: 'Close' }).click();

  // Retention: out of range is refused with the reason, and the saved setting stays.
  const actions = await vaultActions(page);
  const versionsField = actions.getByLabel('Versions kept per entry');
  await expect(versionsField).toHaveValue('50');
  await versionsField.fill('0');
  await page.getByRole('button', { name: 'Save history settings' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Versions kept per entry' }),
  ).toBeVisible();
  await versionsField.fill('20');
  await page.getByRole('button', { name: 'Save history settings' }).click();
  await expect(page.getByText('History settings saved.')).toBeVisible();
});
