/**
 * Pairing two devices through the app, as people do it: "Add a device" on one browser, the
 * invitation link opened in another browser's unlocked Coffer, both connected.
 */
import type { Page } from '@playwright/test';
import { type Device, expect } from '../fixtures';
import { addItem, createProfile, createVault } from './support';

export async function invite(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Add a device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a device or share this vault' });
  await expect(dialog.getByText('Anyone who has this invitation gets this vault')).toBeVisible();
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const link = await dialog.getByRole('textbox', { name: 'Invitation link' }).inputValue();
  await expect(dialog.getByRole('img', { name: 'QR code of the invitation link' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  return link;
}

export async function joinByLink(device: Device, link: string) {
  await device.page.goto(link);
  // The secret left the address bar as soon as the app read it.
  await expect(device.page).not.toHaveURL(/join=/);
}

/** A creates a profile and a vault with one item; B joins it by link. */
export async function pair(
  a: Device,
  b: Device,
  url: string,
  vault: string,
  entry: [string, string],
) {
  await createProfile(a.page, url);
  await createVault(a.page, vault);
  await addItem(a.page, entry[0], entry[1]);
  const link = await invite(a.page);
  await createProfile(b.page, url);
  await joinByLink(b, link);
  const join = b.page.getByRole('dialog', { name: 'Join a shared vault' });
  await join.getByRole('button', { name: 'Join vault' }).click();
  await join.getByRole('button', { name: 'Done' }).click({ timeout: 60_000 });
  await expect(b.page.getByRole('button', { name: entry[0], exact: true })).toBeVisible({
    timeout: 30_000,
  });
  for (const page of [a.page, b.page]) {
    await expect(page.getByRole('status').filter({ hasText: 'Connected to 1 device' })).toBeVisible(
      {
        timeout: 30_000,
      },
    );
  }
  return link;
}
