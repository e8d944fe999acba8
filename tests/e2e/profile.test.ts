import { expect, test } from '../fixtures';
import { createProfile, passphrase, unlock, watchCsp } from './support';

test('first run creates the profile; lock and unlock; a wrong passphrase is refused', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
  // A weak passphrase is rated and refused, saying why.
  await page.getByLabel('Passphrase', { exact: true }).fill('password1');
  await expect(page.getByText(/Too weak|Weak/).first()).toBeVisible();
  await page.getByLabel('Repeat passphrase', { exact: true }).fill('password1');
  await page.getByLabel('I understand that a forgotten passphrase cannot be recovered').check();
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('alert')).toContainText('stronger passphrase');
  // Mismatch is pointed out as you type.
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(`${passphrase}x`);
  await expect(page.getByText('The two passphrases are not the same.').first()).toBeVisible();
  await createProfile(page, app.url);

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByText('Locked.')).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill('not my passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('not right', { timeout: 20_000 });
  await unlock(page);

  // The keyboard shortcut locks too.
  await page.keyboard.press('Control+Shift+L');
  await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  expect(csp).toEqual([]);
});

test('where the browser does not persist storage, the workspace says it may evict the data', async ({
  page,
  app,
}) => {
  // The browser's answer is the input here; Chromium grants persistence to installed apps only.
  await page.addInitScript(() => {
    Object.defineProperty(navigator.storage, 'persisted', { value: () => Promise.resolve(false) });
    Object.defineProperty(navigator.storage, 'persist', { value: () => Promise.resolve(false) });
  });
  await createProfile(page, app.url);
  const notice = page.getByRole('region', { name: 'Storage warning' });
  await expect(notice).toContainText('may delete Coffer');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});

test('where the browser persists storage, there is no eviction warning', async ({ page, app }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator.storage, 'persisted', { value: () => Promise.resolve(true) });
  });
  await createProfile(page, app.url);
  await expect(page.getByRole('heading', { name: 'Choose a vault' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Storage warning' })).toHaveCount(0);
});

test('a passphrase submitted before its strength meter has shown is judged, not refused', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
  // The strength dictionaries load on first use: hold them back, as a slow network or a busy
  // device would, so the form is submitted before any estimate exists.
  await page.route('**/assets/*.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue();
  });
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('I understand that a forgotten passphrase cannot be recovered').check();
  await expect(page.getByRole('meter', { name: 'Passphrase strength' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByText('Choose a stronger passphrase')).toHaveCount(0);
});
