/**
 * Sync through the app, as people use it: "Add a device" on one browser, the invitation link
 * opened in another browser's unlocked Coffer, entries appearing there, edits flowing back, the
 * devices list, and review marks after edits made apart. Each device is a separate Chromium
 * with its own profile; they meet through the app server's own signaling relay.
 */
import type { Page } from '@playwright/test';
import { type Device, expect, test } from '../fixtures';
import { createProfile, watchCsp } from './support';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });

async function createVault(page: Page, name: string) {
  await page.getByRole('button', { name: 'Create vault' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Vault name').fill(name);
  await dialog.getByRole('button', { name: 'Create vault' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'New entry' })).toBeVisible();
}

async function addItem(page: Page, name: string, json: string) {
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Value (JSON)').fill(json);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();
}

async function invite(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Add a device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a device or share this vault' });
  await expect(dialog.getByText('Anyone who has this invitation gets this vault')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const link = await dialog.getByRole('textbox', { name: 'Invitation link' }).inputValue();
  await expect(dialog.getByRole('img', { name: 'QR code of the invitation link' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  return link;
}

async function joinByLink(device: Device, link: string) {
  await device.page.goto(link);
  // The secret left the address bar as soon as the app read it.
  await expect(device.page).not.toHaveURL(/join=/);
}

test('pair a second browser by invitation link; entries appear there and edits flow both ways', async ({
  app,
  launchDevice,
}) => {
  test.setTimeout(180_000);
  const [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);
  const csp = await watchCsp(a.page);
  await createProfile(a.page, app.url);
  await createVault(a.page, 'Team CANARY-vault-4b1e');
  await addItem(a.page, 'CANARY_ENTRY_91c2', '{"token":"CANARY-value-77aa"}');
  await expect(a.page.getByRole('status').filter({ hasText: /Online|Connected/ })).toBeVisible({
    timeout: 30_000,
  });
  const link = await invite(a.page);
  expect(link).toMatch(/#join=[A-Za-z0-9_-]+$/);

  await createProfile(b.page, app.url);
  await joinByLink(b, link);
  const join = b.page.getByRole('dialog', { name: 'Join a shared vault' });
  await join.getByRole('button', { name: 'Join vault' }).click();
  await expect(join.getByText(/Added “Team CANARY-vault-4b1e”/)).toBeVisible({ timeout: 60_000 });
  await join.getByRole('button', { name: 'Done' }).click();
  await expect(b.page.getByRole('button', { name: 'CANARY_ENTRY_91c2', exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(b.page.getByRole('status').filter({ hasText: 'Connected to 1 device' })).toBeVisible(
    {
      timeout: 30_000,
    },
  );
  await expect(a.page.getByRole('status').filter({ hasText: 'Connected to 1 device' })).toBeVisible(
    {
      timeout: 30_000,
    },
  );

  await addItem(b.page, 'from_b', '{"n":2}');
  await expect(a.page.getByRole('button', { name: 'from_b', exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(a.page.getByText(/last change received/)).toBeVisible();

  // Both devices are in the list on both sides; this one is marked.
  await a.page.getByRole('button', { name: /^Devices \(2\)$/ }).click();
  const devices = a.page.getByRole('dialog', { name: 'Devices that hold this vault' });
  await expect(devices.getByRole('listitem')).toHaveCount(2);
  await expect(devices.getByText('this device')).toHaveCount(1);
  await expect(devices.getByText('online now')).toHaveCount(1);
  await devices.getByRole('button', { name: 'Close' }).click();

  // The relay saw derived room names only.
  const transcript = app.transcript.join('\n');
  for (const secret of [
    'CANARY-vault-4b1e',
    'CANARY_ENTRY_91c2',
    'CANARY-value-77aa',
    link.split('#join=')[1]!,
  ]) {
    expect(transcript).not.toContain(secret);
  }
  expect(csp).toEqual([]);
});
