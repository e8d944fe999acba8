/**
 * An encrypted backup made in one browser opens in a second, fresh one from the first-run
 * screen: the vault and its entries are there. The downloaded file holds no plaintext, and a
 * wrong backup passphrase creates nothing.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '../fixtures';
import { addItem, addSecret, atRestForms, createProfile, createVault, watchCsp } from './support';

const backupPassphrase = 'juniper-copper-lagoon-violet-93';
const profilePassphrase = 'ember-walnut-glacier-sonnet-15';
const canaries = {
  vault: 'canary-vault-b4c6',
  item: 'CANARY-item-value-e2e-8d1f',
  secret: 'CANARY-secret-value-e2e-27aa',
  writeOnly: 'CANARY-writeonly-e2e-f00d',
};

test('a backup made here restores in a fresh browser, and holds no plaintext', async ({
  page,
  app,
  browser,
}) => {
  // Four key derivations at the default cost, in two browsers.
  test.setTimeout(240_000);
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await createVault(page, canaries.vault);
  await addItem(page, 'config', JSON.stringify({ note: canaries.item }));
  await addSecret(page, 'API_TOKEN', canaries.secret);
  await addSecret(page, 'DEPLOY_KEY', canaries.writeOnly, { writeOnly: true });
  await expect(page.getByRole('region', { name: 'Backup reminder' })).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Make a backup' });
  await form.getByLabel('Backup passphrase', { exact: true }).fill(backupPassphrase);
  await form.getByLabel('Repeat backup passphrase', { exact: true }).fill(backupPassphrase);
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await form.getByRole('button', { name: 'Back up everything' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^coffer-backup-\d{4}-\d{2}-\d{2}\.coffer-backup$/);
  await expect(form.getByRole('status')).toContainText('Backup made');
  // The reminder goes once a backup is made.
  await expect(page.getByRole('region', { name: 'Backup reminder' })).toHaveCount(0);
  await expect(page.getByText(/^Last backup:|Last backup: /)).toBeVisible();
  // Nothing typed is kept in the form.
  await expect(form.getByLabel('Backup passphrase', { exact: true })).toHaveValue('');

  // The file as it sits in the download folder: no canary in any form, nor the passphrase.
  const path = (await download.path())!;
  const bytes = await readFile(path);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('CFBK');
  const asText = [bytes.toString('latin1'), bytes.toString('hex'), bytes.toString('base64')].join(
    '\n',
  );
  for (const canary of [...Object.values(canaries), backupPassphrase, 'API_TOKEN']) {
    for (const form of atRestForms(canary)) expect(asText, canary).not.toContain(form);
  }

  // A second, fresh browser: restore from the first-run screen.
  const context = await browser.newContext();
  const fresh = await context.newPage();
  const freshCsp = await watchCsp(fresh);
  await fresh.goto(app.url);
  await expect(fresh.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
  await fresh.getByRole('button', { name: 'Restore from a backup' }).click();
  const restore = fresh.getByRole('form', { name: 'Restore from a backup' });
  await restore.getByLabel('Backup file').setInputFiles(path);

  // A wrong passphrase first: said plainly, and no profile is made.
  await restore.getByLabel('Backup passphrase', { exact: true }).fill('not-the-backup-passphrase');
  await restore.getByRole('button', { name: 'Open backup' }).click();
  await expect(restore.getByRole('alert')).toContainText('That backup passphrase is not right', {
    timeout: 60_000,
  });
  await expect(fresh.getByRole('button', { name: 'Lock', exact: true })).toHaveCount(0);

  await restore.getByLabel('Backup passphrase', { exact: true }).fill(backupPassphrase);
  await restore.getByRole('button', { name: 'Open backup' }).click();
  const protect = fresh.getByRole('form', { name: 'Protect the restored profile' });
  await expect(protect.getByRole('status')).toContainText('1 vault and your settings', {
    timeout: 60_000,
  });
  await protect.getByLabel('Passphrase', { exact: true }).fill(profilePassphrase);
  await protect.getByLabel('Repeat passphrase', { exact: true }).fill(profilePassphrase);
  await protect.getByRole('button', { name: 'Restore and create profile' }).click();
  await expect(fresh.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    timeout: 60_000,
  });

  const vaults = fresh.getByRole('navigation', { name: 'Vaults' });
  await vaults.getByRole('button', { name: canaries.vault }).click();
  const list = fresh.getByRole('list', { name: 'Entries' });
  for (const name of ['config', 'API_TOKEN', 'DEPLOY_KEY']) {
    await expect(list.getByRole('button', { name })).toBeVisible();
  }
  await list.getByRole('button', { name: 'config' }).click();
  await expect(fresh.getByText(canaries.item)).toBeVisible();
  // A write-only secret came back write-only: never shown.
  await expect(fresh.getByText(canaries.writeOnly)).toHaveCount(0);
  // The restored browser had a backup made (its settings came with it): no reminder yet.
  await expect(fresh.getByRole('region', { name: 'Backup reminder' })).toHaveCount(0);
  expect(freshCsp).toEqual([]);
  await context.close();

  // The same file restored into the profile it came from: a new vault beside the original.
  await page.getByText('Restore a backup into this profile').click();
  const inSettings = page.getByRole('form', { name: 'Restore a backup' });
  await inSettings.getByLabel('Backup file').setInputFiles(path);
  await inSettings.getByLabel('Backup passphrase', { exact: true }).fill(backupPassphrase);
  await inSettings.getByRole('button', { name: 'Restore' }).click();
  await expect(inSettings.getByRole('status')).toContainText(
    `was restored as “${canaries.vault} (restored)”`,
    { timeout: 60_000 },
  );
  const sidebar = page.getByRole('navigation', { name: 'Vaults' });
  await expect(sidebar.getByRole('button', { name: `${canaries.vault} (restored)` })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: canaries.vault, exact: true })).toBeVisible();
  expect(csp).toEqual([]);
});
