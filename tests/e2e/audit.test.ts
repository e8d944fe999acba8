/**
 * The audit log end to end: actions in the app become records, the Audit log dialog shows them
 * verified, newest first, filters them, and exports them; no record shows a value.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '../fixtures';
import { addSecret, createProfile, createVault } from './support';

const secret = 'sk-audit-CANARY-5d0c2e';

test('copying a secret is in the audit log, verified, filterable and exported', async ({
  app,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  await createProfile(page, app.url);
  await createVault(page, 'Audited');
  await addSecret(page, 'API_KEY', secret);

  await page.getByRole('button', { name: 'API_KEY', exact: true }).click();
  const details = page.locator('section.entry-details');
  // The clipboard answers a focused page only (under load, another window may have focus).
  await page.bringToFront();
  await details.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(details.getByText(/^Copied\./)).toBeVisible({ timeout: 30_000 });

  await details.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(details.getByText(secret)).toBeVisible();

  await page.getByRole('button', { name: 'Audit log' }).click();
  const dialog = page.getByRole('dialog', { name: 'Audit log of Audited' });
  await expect(dialog.getByText(/^All \d+ records verified$/)).toBeVisible();
  const table = dialog.getByRole('table');
  const rows = table.getByRole('row');
  // Header, then newest first: shown, copied, created, opened.
  await expect(rows.nth(1)).toContainText('Showed a secret');
  await expect(rows.nth(2)).toContainText('Copied a secret');
  await expect(rows.nth(2)).toContainText('API_KEY');
  await expect(table).toContainText('Created an entry');
  await expect(table).toContainText('Opened the vault');
  await expect(dialog).not.toContainText(secret);

  await dialog.getByLabel('Action').selectOption({ label: 'Created an entry' });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('API_KEY');
  await dialog.getByLabel('Action').selectOption({ label: 'Any action' });

  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^Audited-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^time,action,entry,/);
  expect(csv).toContain('secret-copied');
  expect(csv).not.toContain(secret);
  // The export itself is recorded.
  await expect(rows.nth(1)).toContainText('Exported');
  await dialog.getByRole('button', { name: 'Close' }).click();
  // Writing records did not reload the entry's view: the secret shown is still shown.
  await expect(details.getByText(secret)).toBeVisible();
});
