/**
 * The recovery kit end to end: the kit offered after first run (the code read from the page),
 * a typo caught and nothing changed, "Forgot your passphrase?" with the code and a new
 * passphrase, every vault and entry still there, the old passphrase refused and the new one
 * accepted; and the code is never stored in any readable form, nor left in the page.
 */
import { expect, test } from '../fixtures';
import {
  addSecret,
  atRestForms,
  createProfile,
  createVault,
  dumpStorage,
  passphrase,
  snap,
  unlock,
  watchCsp,
} from './support';

const newPassphrase = 'copper-wombat-glacier-lute-93';
const secretValue = 'sk-recovery-canary-5e1f';

/** Every way the code could be written at rest: as shown, without dashes, lower case. */
function codeForms(code: string): string[] {
  const bare = code.replace(/-/g, '');
  return [...atRestForms(code), ...atRestForms(bare), bare.toLowerCase(), ...code.split('-')];
}

test('recovery kit: made at first run, then the code sets a new passphrase and nothing is lost', async ({
  page,
  app,
}, testInfo) => {
  test.setTimeout(240_000);
  const csp = await watchCsp(page);
  await createProfile(page, app.url);

  // The skippable step after first run: it does not block the workspace.
  const offer = page.getByRole('region', { name: 'Save your recovery kit' });
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: 'Make my recovery kit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Make a recovery code' });
  await dialog.getByLabel('Your passphrase', { exact: true }).fill('not my passphrase');
  await dialog.getByRole('button', { name: 'Make the code' }).click();
  await expect(dialog.getByRole('alert')).toContainText('not right', { timeout: 45_000 });
  await dialog.getByLabel('Your passphrase', { exact: true }).fill(passphrase);
  await dialog.getByRole('button', { name: 'Make the code' }).click();
  const kit = page.getByRole('dialog', { name: 'Save your recovery kit' });
  const shown = kit.getByRole('figure', { name: 'Recovery code' }).locator('.recovery-code');
  await expect(shown).toBeVisible({ timeout: 45_000 });
  const groups = await shown.locator('.recovery-code-group').allTextContents();
  expect(groups.map((group) => group.length)).toEqual([6, 6, 6, 6, 7]);
  const code = groups.join('-');
  await expect(kit.getByRole('img', { name: 'QR code of the recovery code' })).toBeVisible();
  await snap(page, testInfo, 'recovery-kit');

  // Shown once: stored nowhere readable, even while it is on screen.
  const atRest = await dumpStorage(page);
  for (const form of codeForms(code)) expect(atRest).not.toContain(form);
  await kit.getByRole('button', { name: 'I saved it' }).click();
  await expect(kit).toBeHidden();
  await expect(offer).toBeHidden();
  const html = await page.content();
  for (const group of groups) expect(html).not.toContain(group);

  await createVault(page, 'Payments');
  await addSecret(page, 'STRIPE_KEY', secretValue);

  // Settings says when the code was made, never the code.
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Recovery kit' });
  await expect(section.getByRole('status')).toContainText('Current recovery code made on');
  await expect(section.getByRole('button', { name: 'Make a new recovery code' })).toBeVisible();

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
  await expect(page.getByRole('heading', { name: 'Recover your profile' })).toBeVisible();
  await snap(page, testInfo, 'recovery-form');

  // A typo is caught by its group's check, and nothing changes: the passphrase still works.
  const typo = `${code.slice(0, 7)}${code[7] === 'Z' ? 'Y' : 'Z'}${code.slice(8)}`;
  await page.getByLabel('Recovery code').fill(typo);
  await page.getByLabel('New passphrase', { exact: true }).fill(newPassphrase);
  await page.getByLabel('Repeat new passphrase', { exact: true }).fill(newPassphrase);
  await page.getByRole('button', { name: 'Recover and unlock' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Group 2 of the code looks mistyped');
  expect(await alert.textContent()).not.toContain(code.slice(7, 13));
  await page.getByRole('button', { name: 'Back to unlock' }).click();
  await unlock(page);
  await page.getByRole('button', { name: 'Lock', exact: true }).click();

  // The real code, typed in lower case with spaces: a new passphrase, and everything is there.
  await page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
  await page.getByLabel('Recovery code').fill(code.toLowerCase().replace(/-/g, ' '));
  await page.getByLabel('New passphrase', { exact: true }).fill(newPassphrase);
  await page.getByLabel('Repeat new passphrase', { exact: true }).fill(newPassphrase);
  await page.getByRole('button', { name: 'Recover and unlock' }).click();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByRole('region', { name: 'Save your recovery kit' })).toContainText(
    'still works',
  );
  await page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'Payments' })
    .click();
  await page
    .getByRole('list', { name: 'Entries' })
    .getByRole('button', { name: 'STRIPE_KEY' })
    .click();
  const details = page.locator('section.entry-details');
  await details.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(details.getByText(secretValue)).toBeVisible();
  await details.getByRole('button', { name: 'Hide', exact: true }).click();

  // The old passphrase no longer opens the profile; the new one does.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('not right', { timeout: 45_000 });
  await unlock(page, newPassphrase);

  // Settings -> Recovery kit: a new code revokes the old one.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page
    .getByRole('region', { name: 'Recovery kit' })
    .getByRole('button', { name: 'Make a new recovery code' })
    .click();
  const remake = page.getByRole('dialog', { name: 'Make a recovery code' });
  await expect(remake.getByRole('note')).toContainText('stops working');
  await remake.getByLabel('Your passphrase', { exact: true }).fill(newPassphrase);
  await remake.getByRole('button', { name: 'Make the code' }).click();
  const second = page
    .getByRole('dialog', { name: 'Save your recovery kit' })
    .locator('.recovery-code-group');
  await expect(second.first()).toBeVisible({ timeout: 45_000 });
  const newCode = (await second.allTextContents()).join('-');
  expect(newCode).not.toBe(code);
  await page.getByRole('button', { name: 'I saved it' }).click();
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('button', { name: 'Forgot your passphrase?' }).click();
  await page.getByLabel('Recovery code').fill(code);
  await page.getByLabel('New passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat new passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Recover and unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('does not open this profile', {
    timeout: 45_000,
  });
  await page.getByRole('button', { name: 'Back to unlock' }).click();
  await unlock(page, newPassphrase);

  const after = await dumpStorage(page);
  for (const form of [...codeForms(code), ...codeForms(newCode), ...atRestForms(secretValue)]) {
    expect(after).not.toContain(form);
  }
  expect(csp).toEqual([]);
});
