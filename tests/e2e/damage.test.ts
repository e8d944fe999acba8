/**
 * Damage a user can see. Records are changed straight through IndexedDB, from outside the
 * app's code (a flipped byte, two records swapped, a catalog record restored beside a new vault
 * of its name); then the app, reloaded and unlocked, must say what is damaged, never pass a
 * damaged vault off as an empty one, hold back writes until the user decides, and leave the
 * damaged record exactly as it was.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  addItem,
  createProfile,
  createVault,
  rewriteRecord,
  seriousAxeViolations,
  storedKeys,
  unlock,
  watchCsp,
} from './support';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });
const vaultList = (page: Page) => sidebar(page).getByRole('list');
const entries = (page: Page) => page.getByRole('list', { name: 'Entries' });
const damageNotice = (page: Page) => page.getByRole('alert', { name: 'Damaged vault' });

/** Creates a vault through the sidebar; resolves with its id, read from storage. */
async function createVaultWithId(page: Page, name: string): Promise<string> {
  const before = new Set((await storedKeys(page, 'vaults')).map(String));
  await createVault(page, name);
  const id = (await storedKeys(page, 'vaults')).map(String).find((key) => !before.has(key));
  if (!id) throw new Error(`no new vault record for ${name}`);
  return id;
}

/** Locks (every open vault closes, small ones compacting into a snapshot), then reloads. */
async function lockAndReload(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
}

test('a damaged snapshot: marked in the list, explained when opened, writes held, bytes kept', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  const alpha = await createVaultWithId(page, 'alpha');
  await addItem(page, 'one', '{"a":1}');
  await addItem(page, 'two', '[2]');
  await createVaultWithId(page, 'beta');
  await addItem(page, 'b', 'true');
  // Back to alpha (beta closes and compacts), then lock (alpha does too).
  await vaultList(page).getByRole('button', { name: 'alpha', exact: true }).click();
  await expect(entries(page).getByRole('button', { name: 'one' })).toBeVisible();
  await lockAndReload(page);
  expect((await storedKeys(page, 'snapshots')).map(String)).toContain(alpha);

  await rewriteRecord(page, { store: 'snapshots', key: alpha, field: 'bytes' }, 'flip');
  const damaged = await rewriteRecord(page, { store: 'snapshots', key: alpha, field: 'bytes' });
  await page.reload();
  await unlock(page);

  // The vault used last (alpha) opens again by itself, and says what is wrong.
  await expect(page.getByRole('heading', { name: 'alpha', level: 2 })).toBeVisible();
  await expect(damageNotice(page)).toContainText('Part of this vault could not be read.');
  await expect(damageNotice(page)).toContainText('No entry could be read.');
  await expect(damageNotice(page)).toContainText(
    /The saved state of the vault \(changes 1 to \d+\) fails its integrity check/,
  );
  await expect(damageNotice(page)).toContainText('Nothing was changed or thrown away');
  await expect(page.getByText('No entries yet.')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New entry' })).toBeDisabled();
  expect(await seriousAxeViolations(page, 'damaged vault')).toEqual([]);
  // The list marks it; beta is fine and opens as usual.
  await expect(vaultList(page).getByRole('button', { name: /^alpha/ })).toContainText('damaged');
  await expect(vaultList(page).getByRole('button', { name: 'beta', exact: true })).toBeVisible();
  await vaultList(page).getByRole('button', { name: 'beta', exact: true }).click();
  await expect(entries(page).getByRole('button', { name: 'b' })).toBeVisible();
  await expect(damageNotice(page)).toHaveCount(0);

  // The user decides to edit anyway: writes go through, and the damaged record stays.
  await vaultList(page)
    .getByRole('button', { name: /^alpha/ })
    .click();
  await expect(damageNotice(page)).toBeVisible();
  await damageNotice(page).getByRole('button', { name: 'Edit anyway' }).click();
  await expect(page.getByRole('button', { name: 'New entry' })).toBeEnabled();
  await addItem(page, 'fresh', '"new"');
  await expect(entries(page).getByRole('button', { name: 'fresh' })).toBeVisible();
  await lockAndReload(page);
  expect(await rewriteRecord(page, { store: 'snapshots', key: alpha, field: 'bytes' })).toEqual(
    damaged,
  );
  expect(csp).toEqual([]);
});

test('swapped snapshots: both vaults marked damaged, neither passed off as empty, bytes kept', async ({
  page,
  app,
}) => {
  await createProfile(page, app.url);
  const alpha = await createVaultWithId(page, 'alpha');
  await addItem(page, 'one', '1');
  const beta = await createVaultWithId(page, 'beta');
  await addItem(page, 'b', '2');
  await vaultList(page).getByRole('button', { name: 'alpha', exact: true }).click();
  await expect(entries(page).getByRole('button', { name: 'one' })).toBeVisible();
  await lockAndReload(page);
  const alphaBytes = await rewriteRecord(page, { store: 'snapshots', key: alpha, field: 'bytes' });
  const betaBytes = await rewriteRecord(page, { store: 'snapshots', key: beta, field: 'bytes' });
  await rewriteRecord(page, { store: 'snapshots', key: alpha, field: 'bytes' }, betaBytes);
  await rewriteRecord(page, { store: 'snapshots', key: beta, field: 'bytes' }, alphaBytes);
  await page.reload();
  await unlock(page);

  await expect(vaultList(page).getByRole('button', { name: /^alpha/ })).toContainText('damaged');
  await expect(vaultList(page).getByRole('button', { name: /^beta/ })).toContainText('damaged');
  await vaultList(page).getByRole('button', { name: /^beta/ }).click();
  // Each snapshot is sealed under the other vault's key: told apart from a flipped byte.
  await expect(damageNotice(page)).toContainText('was sealed with a key this vault does not have');
  await expect(page.getByRole('button', { name: 'New entry' })).toBeDisabled();
  await lockAndReload(page);
  expect(await rewriteRecord(page, { store: 'snapshots', key: alpha, field: 'bytes' })).toEqual(
    betaBytes,
  );
  expect(await rewriteRecord(page, { store: 'snapshots', key: beta, field: 'bytes' })).toEqual(
    alphaBytes,
  );
});

test('an unreadable catalog record is listed and kept; a vault of its name and the record restored are two vaults, each by id', async ({
  page,
  app,
}) => {
  await createProfile(page, app.url);
  const alpha = await createVaultWithId(page, 'alpha');
  await addItem(page, 'one', '1');
  await createVaultWithId(page, 'beta');
  await lockAndReload(page);
  const original = await rewriteRecord(page, { store: 'vaults', key: alpha, field: 'sealed' });
  await rewriteRecord(page, { store: 'vaults', key: alpha, field: 'sealed' }, 'flip');
  const damaged = await rewriteRecord(page, { store: 'vaults', key: alpha, field: 'sealed' });
  await page.reload();
  await unlock(page);

  // Not gone: listed as an unreadable vault, with what happened and what to do.
  const unreadable = vaultList(page).getByRole('button', { name: /^Unreadable vault/ });
  await expect(unreadable).toBeVisible();
  await unreadable.click();
  await expect(page.getByRole('heading', { name: 'Unreadable vault', level: 2 })).toBeVisible();
  const notice = page.getByRole('main').getByRole('alert');
  await expect(notice).toContainText("This vault's record fails its integrity check");
  await expect(notice).toContainText('Nothing was changed or thrown away');
  await expect(notice.getByRole('button', { name: 'Join with an invitation' })).toBeVisible();
  await expect(notice.getByRole('button', { name: 'Remove from this device…' })).toBeVisible();
  expect(await seriousAxeViolations(page, 'unreadable vault')).toEqual([]);

  // The user makes "alpha" again, then the old record is restored (say, from a backup).
  const second = await createVaultWithId(page, 'alpha');
  await addItem(page, 'two', '2');
  await lockAndReload(page);
  expect(await rewriteRecord(page, { store: 'vaults', key: alpha, field: 'sealed' })).toEqual(
    damaged,
  );
  await rewriteRecord(page, { store: 'vaults', key: alpha, field: 'sealed' }, original);
  await page.reload();
  await unlock(page);

  // Two vaults named alpha, told apart by a short id; each button opens its own vault.
  const twins = vaultList(page).getByRole('button', { name: /^alpha/ });
  await expect(twins).toHaveCount(2);
  const labelOf = (id: string) => `alpha · ${id.slice(0, 6)}`;
  await vaultList(page)
    .getByRole('button', { name: labelOf(alpha) })
    .click();
  await expect(entries(page).getByRole('button', { name: 'one' })).toBeVisible();
  await expect(entries(page).getByRole('button', { name: 'two' })).toHaveCount(0);
  await vaultList(page)
    .getByRole('button', { name: labelOf(second) })
    .click();
  await expect(entries(page).getByRole('button', { name: 'two' })).toBeVisible();
  await expect(entries(page).getByRole('button', { name: 'one' })).toHaveCount(0);

  // Rename acts on the vault it was chosen from, and only on it.
  await page.getByRole('button', { name: 'Vault actions' }).click();
  await page.getByRole('button', { name: 'Rename…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename vault' });
  await rename.getByLabel('Vault name').fill('alpha-two');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  await expect(vaultList(page).getByRole('button')).toHaveText(['alpha', 'alpha-two', 'beta']);
  await vaultList(page).getByRole('button', { name: 'alpha', exact: true }).click();
  await expect(entries(page).getByRole('button', { name: 'one' })).toBeVisible();
});
