import { expect, test } from '../fixtures';
import { createProfile, passphrase, unlock, watchCsp } from './support';

const newPassphrase = 'quartz-lantern-meadow-otter-42';

test('each setting saves at once and survives lock and unlock; the theme applies', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();

  const choices: [label: string, option: string][] = [
    ['Lock after inactivity', '15 minutes'],
    ['Clear copied values after', '60 seconds'],
    ['Entries per page', '50'],
    ['Theme', 'Dark'],
  ];
  for (const [label, option] of choices) {
    const select = page.getByLabel(label, { exact: true });
    await select.selectOption({ label: option });
    // The confirmation is tied to the control, so it is read out with it.
    await expect(select).toHaveAccessibleDescription(/Saved/);
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.getByRole('button', { name: 'Lock now' }).click();
  // Locked: the preferences are sealed in the profile, so the theme falls back to the system's.
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  await unlock(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Settings' }).click();
  for (const [label, option] of choices) {
    await expect(page.getByLabel(label, { exact: true }).locator('option:checked')).toHaveText(
      option,
    );
  }

  await page.getByLabel('Theme', { exact: true }).selectOption({ label: 'Light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByLabel('Theme', { exact: true }).selectOption({ label: 'Same as the system' });
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(csp).toEqual([]);
});

test('change passphrase: a wrong current one is refused, then the new one replaces the old', async ({
  page,
  app,
}) => {
  // Five key derivations at the default cost.
  test.setTimeout(180_000);
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await page.getByRole('button', { name: 'Settings' }).click();

  const current = page.getByLabel('Current passphrase', { exact: true });
  const next = page.getByLabel('New passphrase', { exact: true });
  const repeat = page.getByLabel('Repeat new passphrase', { exact: true });
  const change = page.getByRole('button', { name: 'Change passphrase' });

  await current.fill('not-the-passphrase-at-all');
  await next.fill(newPassphrase);
  await repeat.fill(newPassphrase);
  await change.click();
  await expect(page.getByRole('alert')).toHaveText('The current passphrase is not right.', {
    timeout: 20_000,
  });

  await current.fill(passphrase);
  await change.click();
  await expect(page.getByRole('progressbar', { name: 'Re-sealing your key' })).toBeVisible();
  // Two key derivations at the default cost: seconds alone, far more on a busy machine.
  await expect(page.getByText('Passphrase changed.')).toBeVisible({ timeout: 60_000 });
  // Nothing typed stays in the form.
  await expect(current).toHaveValue('');
  await expect(next).toHaveValue('');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('not right', { timeout: 20_000 });
  await unlock(page, newPassphrase);
  expect(csp).toEqual([]);
});
