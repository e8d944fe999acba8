/**
 * What a new user meets around the vaults: the vault used last opens again after unlock; the
 * eviction notice's Dismiss lasts (sealed) until storage persistence changes; a vault's actions
 * sit with the vault; long names end in an ellipsis; and on a 360 px phone one pane shows at a
 * time (vaults, then entries, then the entry), each with a way back.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createProfile, createVault, unlock, vaultActions, watchCsp } from './support';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });
const vaultList = (page: Page) => sidebar(page).getByRole('list');
const storageWarning = (page: Page) => page.getByRole('region', { name: 'Storage warning' });
const backupReminder = (page: Page) =>
  page.getByRole('region', { name: 'Backup reminder', includeHidden: true });
const recoveryOffer = (page: Page) =>
  page.getByRole('region', { name: 'Save your recovery kit', includeHidden: true });

/**
 * Makes the page see storage as persisted or not, as a browser that refuses (or grants)
 * `navigator.storage.persist()` would; read by the app when it starts.
 */
async function storagePersisted(page: Page, persisted: boolean): Promise<void> {
  await page.addInitScript((value) => {
    const answer = () => Promise.resolve(value);
    Object.defineProperty(navigator.storage, 'persisted', { value: answer, configurable: true });
    Object.defineProperty(navigator.storage, 'persist', { value: answer, configurable: true });
  }, persisted);
}

test('the vault used last reopens after unlock; the eviction notice stays dismissed until persistence changes', async ({
  page,
  app,
}) => {
  // Four unlocks and two tabs: about 30 s alone, twice that beside another browser test on a
  // 2-core machine.
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  await storagePersisted(page, false);
  await createProfile(page, app.url);
  await expect(storageWarning(page)).toBeVisible();
  await createVault(page, 'first');
  await createVault(page, 'second');
  await vaultList(page).getByRole('button', { name: 'first', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'first', level: 2 })).toBeVisible();
  await storageWarning(page).getByRole('button', { name: 'Dismiss' }).click();
  await expect(storageWarning(page)).toHaveCount(0);

  // Lock and unlock, and reload: "first" is open again and the notice stays away.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await unlock(page);
  await expect(page.getByRole('heading', { name: 'first', level: 2 })).toBeVisible();
  await expect(vaultList(page).getByRole('button', { name: 'first' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await page.reload();
  await unlock(page);
  await expect(page.getByRole('heading', { name: 'first', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New entry' })).toBeVisible();
  await expect(storageWarning(page)).toHaveCount(0);
  // Nothing of either choice is readable at rest: not in localStorage, and the profile store
  // holds them only sealed (its records contain neither the setting names nor the vault id).
  const atRest = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('coffer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const rows = await new Promise<{ sealed: Uint8Array }[]>((resolve, reject) => {
      const request = db.transaction('profile').objectStore('profile').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const vaultIds = await new Promise<string[]>((resolve, reject) => {
      const request = db.transaction('vaults').objectStore('vaults').getAllKeys();
      request.onsuccess = () => resolve(request.result as string[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return {
      localStorage: Object.keys(localStorage),
      text: rows.map((row) => new TextDecoder('latin1').decode(row.sealed)).join('\n'),
      vaultIds,
      rows: rows.length,
    };
  });
  expect(atRest.localStorage).toEqual([]);
  expect(atRest.rows).toBeGreaterThan(0);
  for (const plain of ['evictionNoticeDismissed', 'lastVaultId', ...atRest.vaultIds]) {
    expect(atRest.text).not.toContain(plain);
  }

  // The browser starts persisting Coffer's storage: the choice is cleared, so when it stops
  // persisting again, the notice is back.
  const persisting = await page.context().newPage();
  await storagePersisted(persisting, true);
  await persisting.goto(app.url);
  await unlock(persisting);
  await expect(persisting.getByRole('heading', { name: 'first', level: 2 })).toBeVisible();
  await expect(storageWarning(persisting)).toHaveCount(0);
  await persisting.getByRole('button', { name: 'Lock', exact: true }).click();
  await persisting.close();
  await page.reload();
  await unlock(page);
  await expect(storageWarning(page)).toBeVisible();
  expect(csp).toEqual([]);
});

test('a vault`s actions sit with the vault, and a long name ends in an ellipsis', async ({
  page,
  app,
}) => {
  await createProfile(page, app.url);
  const long = `a-very-long-vault-name-${'x'.repeat(70)}`;
  await createVault(page, long);
  // The sidebar has no vault actions; the vault's own pane has them, behind one button.
  await expect(sidebar(page).getByRole('button', { name: /Rename|Delete/ })).toHaveCount(0);
  const actions = await vaultActions(page);
  await expect(actions.getByRole('button', { name: 'Rename…' })).toBeVisible();
  await expect(actions.getByRole('button', { name: 'Delete…' })).toBeVisible();
  await expect(actions.getByRole('switch', { name: 'Environment-style names' })).toBeVisible();
  // The name is cut with an ellipsis where it does not fit, and is whole in its title.
  for (const element of [
    vaultList(page).getByRole('button').locator('.truncate'),
    page.getByRole('heading', { level: 2, name: long }),
  ]) {
    const style = await element.evaluate((node) => {
      const css = getComputedStyle(node);
      return { overflow: css.textOverflow, cut: node.scrollWidth > node.clientWidth };
    });
    expect(style).toEqual({ overflow: 'ellipsis', cut: true });
  }
  await expect(vaultList(page).getByRole('button', { name: long })).toHaveAttribute('title', long);
  // A single-device vault does not say "no other device connected", and adding a device is
  // not as loud as New entry.
  await expect(page.getByText('Online · only this device has this vault')).toBeVisible();
  await expect(page.getByText(/no other device connected/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add a device' })).toHaveClass(/secondary/);
  await expect(page.getByRole('button', { name: 'New entry' })).not.toHaveClass(/secondary/);
  // One way back from an entry, not two.
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByLabel('Name', { exact: true }).fill('item');
  await dialog.getByLabel('Value (JSON)').fill('1');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Back to entries' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close', exact: true })).toHaveCount(0);
});

test('on a 360 px phone: vaults, then entries, then the entry, one pane at a time', async ({
  page,
  app,
}, testInfo) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await storagePersisted(page, false);
  await createProfile(page, app.url);
  // First the vault list, with the storage warning, and nothing else.
  await expect(sidebar(page)).toBeVisible();
  await expect(storageWarning(page)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Choose a vault' })).toBeHidden();
  await expect(recoveryOffer(page)).toBeVisible();
  await createVault(page, 'phone');
  // The vault fills the screen: the list, the warning and the notices are out of the way.
  await expect(sidebar(page)).toBeHidden();
  await expect(storageWarning(page)).toBeHidden();
  await expect(recoveryOffer(page)).toBeHidden();
  await expect(backupReminder(page)).toBeHidden();
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByLabel('Name', { exact: true }).fill('config');
  await dialog.getByLabel('Value (JSON)').fill('{"a":1}');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  // The entry is in view at the top, not below the fold.
  const heading = page.getByRole('heading', { name: /^config Item/ });
  await expect(heading).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('phone-entry.png') });
  await page.getByRole('button', { name: 'Back to entries' }).click();
  await expect(page.getByRole('list', { name: 'Entries' })).toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('phone-entries.png') });
  // The vault's actions are in its menu.
  await expect(page.getByRole('button', { name: 'Rename…' })).toHaveCount(0);
  await (await vaultActions(page)).getByRole('button', { name: 'Rename…' }).click();
  await page.keyboard.press('Escape');
  // Back to the vault list.
  await page.getByRole('button', { name: 'Vaults', exact: true }).click();
  await expect(sidebar(page)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Entries' })).toBeHidden();
  // The notices are here, under the vault list, once: not in a hidden pane as well.
  await expect(sidebar(page).getByRole('region', { name: 'Backup reminder' })).toBeVisible();
  await expect(sidebar(page).getByRole('region', { name: 'Save your recovery kit' })).toBeVisible();
  await expect(backupReminder(page)).toHaveCount(1);
  await expect(recoveryOffer(page)).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('phone-vaults.png') });
});
