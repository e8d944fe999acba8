/**
 * Accessibility: axe-core finds no serious or critical violation on any screen reachable now,
 * at desktop and phone widths, in light and dark; and the profile can be created and unlocked
 * with the keyboard alone.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { passphrase, seriousAxeFindings, unlock, watchCsp } from './support';

/**
 * Every rule runs in light at both widths (the phone layout shows other controls); in dark
 * only the colour rules run (axe's "cat.color" rules at its default level), since a colour
 * scheme changes colours and nothing else.
 */
const colourRules = ['color-contrast', 'link-in-text-block'];
const variants = [
  { width: 1280, colorScheme: 'light' },
  { width: 360, colorScheme: 'light' },
  { width: 1280, colorScheme: 'dark', rules: colourRules },
  { width: 360, colorScheme: 'dark', rules: colourRules },
] as const;

/** The serious and critical findings on `screen`, in each variant. */
function audit(page: Page, screen: string): Promise<string[]> {
  return seriousAxeFindings(page, screen, variants);
}

async function lockButton(page: Page): Promise<Locator> {
  const button = page.getByRole('button', { name: 'Lock', exact: true });
  await expect(button).toBeVisible({ timeout: 20_000 });
  return button;
}

test('no serious or critical axe violation on any screen, wide and narrow, light and dark', async ({
  page,
  app,
}) => {
  // About 70 axe runs: a minute alone, more beside other browsers.
  test.setTimeout(480_000);
  const csp = await watchCsp(page);
  const found: string[] = [];
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
  found.push(...(await audit(page, 'first run')));

  // The first-run form with its strength meter and an error showing.
  await page.getByLabel('Passphrase', { exact: true }).fill('password1');
  await page.getByLabel('Repeat passphrase', { exact: true }).fill('password2');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  found.push(...(await audit(page, 'first run with errors')));

  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('I understand that a forgotten passphrase cannot be recovered').check();
  await page.getByRole('button', { name: 'Create profile' }).click();
  await lockButton(page);
  found.push(...(await audit(page, 'workspace home')));

  // The Create vault dialog (the vault sidebar's), where it exists.
  const createVault = page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'Create vault' });
  if (await createVault.isVisible()) {
    await createVault.click();
    await expect(page.getByRole('dialog', { name: 'Create vault' })).toBeVisible();
    found.push(...(await audit(page, 'create vault dialog')));
    const dialog = page.getByRole('dialog', { name: 'Create vault' });
    await dialog.getByLabel('Vault name').fill('a11y');
    await dialog.getByRole('button', { name: 'Create vault' }).click();
    await expect(dialog).toBeHidden();
    found.push(...(await audit(page, 'empty vault')));
    const newEntry = page.getByRole('button', { name: 'New entry' });
    if (await newEntry.isVisible()) {
      await newEntry.click();
      await expect(page.getByRole('dialog', { name: 'New entry' })).toBeVisible();
      found.push(...(await audit(page, 'new entry dialog')));
      await page.keyboard.press('Escape');
    }
    // Sync: the share dialog with its invitation and QR code, the devices, joining.
    await page.getByRole('button', { name: 'Add a device' }).click();
    const share = page.getByRole('dialog', { name: 'Add a device or share this vault' });
    found.push(...(await audit(page, 'share dialog')));
    await share.getByRole('button', { name: 'Create invitation' }).click();
    await expect(share.getByRole('img', { name: 'QR code of the invitation link' })).toBeVisible();
    found.push(...(await audit(page, 'share dialog with invitation')));
    await share.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: /^Members/ }).click();
    await expect(page.getByRole('dialog', { name: 'Members of this vault' })).toBeVisible();
    found.push(...(await audit(page, 'members dialog')));
    await page.keyboard.press('Escape');
    // The vault's own actions, opened from its pane.
    await page.getByRole('button', { name: 'Vault actions' }).click();
    await expect(page.getByRole('region', { name: 'Vault actions' })).toBeVisible();
    found.push(...(await audit(page, 'vault actions')));
    // The audit ends at phone width, where the vault list is a pane of its own: go back to it.
    await page.getByRole('button', { name: 'Vaults', exact: true }).click();
    found.push(...(await audit(page, 'vault list with a vault')));
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: 'Join with an invitation' }).click();
    const join = page.getByRole('dialog', { name: 'Join a shared vault' });
    await join.getByLabel('Invitation link').fill('not an invitation');
    await join.getByRole('button', { name: 'Continue' }).click();
    await expect(join.getByRole('alert')).toBeVisible();
    found.push(...(await audit(page, 'join dialog with error')));
    await page.keyboard.press('Escape');
    await expect(join).toBeHidden();
  }

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
  found.push(...(await audit(page, 'settings')));
  // Settings with its messages showing: a saved preference and a refused passphrase change.
  await page.getByLabel('Entries per page', { exact: true }).selectOption({ label: '25' });
  await page.getByLabel('Current passphrase', { exact: true }).fill('wrong');
  await page.getByLabel('New passphrase', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  found.push(...(await audit(page, 'settings with messages')));

  await (await lockButton(page)).click();
  await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  found.push(...(await audit(page, 'unlock')));
  await page.getByLabel('Passphrase', { exact: true }).fill('not it');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toBeVisible({ timeout: 20_000 });
  found.push(...(await audit(page, 'unlock with error')));
  await unlock(page);
  await lockButton(page);

  expect(found).toEqual([]);
  expect(csp).toEqual([]);
});

/** Presses Tab until `target` has focus (at most `limit` times): keyboard only, no clicks. */
async function tabTo(page: Page, target: Locator, limit = 15): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('keyboard only: create the profile, lock, and unlock', async ({ page, app }) => {
  const csp = await watchCsp(page);
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();

  await tabTo(page, page.getByLabel('Passphrase', { exact: true }));
  await page.keyboard.type(passphrase);
  await tabTo(page, page.getByLabel('Repeat passphrase', { exact: true }));
  await page.keyboard.type(passphrase);
  const understood = page.getByLabel(
    'I understand that a forgotten passphrase cannot be recovered',
  );
  await tabTo(page, understood);
  await page.keyboard.press('Space');
  await expect(understood).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Create profile' }));
  await page.keyboard.press('Enter');
  const lock = await lockButton(page);

  // Every control on the way is reachable, and the focus ring shows where it is.
  await tabTo(page, page.getByRole('button', { name: 'Settings' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
  await tabTo(page, page.getByLabel('Lock after inactivity', { exact: true }));
  // On through the rest of the settings (sync, passphrase, storage), around to the header.
  await tabTo(page, lock, 60);
  await page.keyboard.press('Space');

  await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  await tabTo(page, page.getByLabel('Passphrase', { exact: true }));
  await page.keyboard.type(passphrase);
  await page.keyboard.press('Enter');
  await lockButton(page);
  expect(csp).toEqual([]);
});
