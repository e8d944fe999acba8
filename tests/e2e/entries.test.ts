/**
 * Entries end to end: create, view, edit, delete items, secrets, write-only secrets and
 * connections, against the app's accessible names only. Secrets are checked against the whole
 * serialized page (`page.content()`): a masked value must not be anywhere in it.
 */
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { createProfile, seriousAxeFindings, watchCsp } from './support';

async function createVault(page: Page, name: string, options: { environment?: boolean } = {}) {
  await page.getByRole('button', { name: 'Create vault' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Vault name').fill(name);
  if (options.environment) {
    await dialog.getByLabel('Environment-style names (UPPER_SNAKE_CASE)').check();
  }
  await dialog.getByRole('button', { name: 'Create vault' }).click();
  await expect(dialog).toBeHidden();
  const newEntry = page.getByRole('button', { name: 'New entry' });
  if (!(await newEntry.isVisible())) {
    await page
      .getByRole('navigation', { name: 'Vaults' })
      .getByRole('button', { name, exact: true })
      .click();
  }
  await expect(newEntry).toBeVisible();
}

/** The way back from an entry's details to the list (they share the pane). */
const closeDetails = (page: Page) => page.getByRole('button', { name: 'Back to entries' });

/** Back to the entry list if an entry's details are showing. */
async function showList(page: Page) {
  const newEntry = page.getByRole('button', { name: 'New entry' });
  await expect(newEntry).toBeVisible();
  if (await closeDetails(page).isVisible()) await closeDetails(page).click();
  await expect(closeDetails(page)).toHaveCount(0);
}

async function newEntryDialog(page: Page): Promise<Locator> {
  await showList(page);
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await expect(dialog).toBeVisible();
  return dialog;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The entry's heading in its details ("NAME Kind ..."). */
function entryHeading(page: Page, name: string): Locator {
  return page.getByRole('heading', {
    name: new RegExp(`^${escapeRegExp(name)} (Item|Secret|Connection)`),
  });
}

/** Shows an entry's details: after a save the pane may show it already, else click its row. */
async function openEntry(page: Page, name: string): Promise<Locator> {
  const heading = entryHeading(page, name);
  const row = page.getByRole('button', { name, exact: true });
  await expect(heading.or(row).or(closeDetails(page)).first()).toBeVisible();
  if (!(await heading.isVisible())) {
    if (!(await row.isVisible())) await showList(page);
    await row.click();
  }
  await expect(heading).toBeVisible();
  return page.locator('section.entry-details');
}

async function saveDialog(dialog: Locator) {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
}

async function start(page: Page, url: string) {
  const csp = await watchCsp(page);
  await createProfile(page, url);
  return csp;
}

test('an item: JSON errors point at line and column, Format, save, edit with rename, delete', async ({
  page,
  app,
}) => {
  const csp = await start(page, app.url);
  await createVault(page, 'config');
  const dialog = await newEntryDialog(page);
  await expect(dialog.getByRole('radiogroup', { name: 'Kind' })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Item' })).toBeChecked();
  await dialog.getByLabel('Name', { exact: true }).fill('servers');
  const editor = dialog.getByLabel('Value (JSON)');
  await editor.fill('{\n  "port": 8080,\n  "hosts" ["a", "b"]\n}');
  await expect(dialog.getByText(/^Line 3, column 11: expected ":"/)).toBeVisible();
  await expect(editor).toHaveAttribute('aria-invalid', 'true');
  // Saving is refused and nothing typed is lost.
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeVisible();
  await expect(editor).toHaveValue('{\n  "port": 8080,\n  "hosts" ["a", "b"]\n}');
  await editor.fill('{"port":8080,"hosts":["a","b"]}');
  await expect(dialog.getByText(/^Line \d+, column/)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Format' }).click();
  await expect(editor).toHaveValue('{\n  "port": 8080,\n  "hosts": [\n    "a",\n    "b"\n  ]\n}');
  await saveDialog(dialog);

  let details = await openEntry(page, 'servers');
  await expect(details.locator('pre.value-view')).toHaveText(
    '{\n  "port": 8080,\n  "hosts": [\n    "a",\n    "b"\n  ]\n}',
  );
  await expect(details.getByText('Created')).toBeVisible();
  await expect(details.getByText('Updated')).toBeVisible();

  // Edit: rename and change the value.
  await details.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await expect(edit.getByLabel('Name', { exact: true })).toHaveValue('servers');
  await edit.getByLabel('Name', { exact: true }).fill('hosts');
  await edit.getByLabel('Value (JSON)').fill('["c"]');
  await saveDialog(edit);
  details = await openEntry(page, 'hosts');
  await expect(details.locator('pre.value-view')).toHaveText('[\n  "c"\n]');
  await expect(page.getByRole('button', { name: 'servers', exact: true })).toHaveCount(0);

  // Delete asks first; Cancel keeps it.
  await details.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete entry' });
  await expect(confirm).toContainText(
    'Delete “hosts”? It stays in the vault’s Recently deleted list',
  );
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await details.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(entryHeading(page, 'hosts')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'hosts', exact: true })).toHaveCount(0);
  expect(csp).toEqual([]);
});

async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

async function grantClipboard(context: BrowserContext, url: string) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
}

test('a secret is masked and out of the page until shown; copy clears the clipboard', async ({
  page,
  context,
  app,
}) => {
  await grantClipboard(context, app.url);
  // A fake clock (running at normal speed) lets the test skip the 30 s clearing delay.
  await page.clock.install();
  const csp = await start(page, app.url);
  await createVault(page, 'keys');
  const secret = 'sk-live-7f3c9a1e5b';
  const dialog = await newEntryDialog(page);
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('API_KEY');
  const field = dialog.getByLabel('Secret value', { exact: true });
  await expect(field).toHaveAttribute('type', 'password');
  await expect(field).toHaveAttribute('autocomplete', 'off');
  await expect(field).toHaveAttribute('spellcheck', 'false');
  await field.fill(secret);
  expect(await page.content()).not.toContain(secret);
  await dialog.getByRole('button', { name: 'Show secret value' }).click();
  await expect(field).toHaveAttribute('type', 'text');
  await dialog.getByRole('button', { name: 'Hide secret value' }).click();
  await expect(field).toHaveAttribute('type', 'password');
  await saveDialog(dialog);

  const details = await openEntry(page, 'API_KEY');
  await expect(details.getByText('••••••••')).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await details.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(details.getByText(secret)).toBeVisible();
  expect(await page.content()).toContain(secret);
  await details.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(details.getByText(secret)).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  await details.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(details.getByText('Copied. The clipboard clears in 30 s.')).toBeVisible();
  expect(await clipboardText(page)).toBe(secret);
  expect(await page.content()).not.toContain(secret);
  await page.clock.fastForward(31_000);
  await expect.poll(() => clipboardText(page)).toBe('');
  await expect(details.getByText('The clipboard was cleared.')).toBeVisible();

  // The password generator fills the field, masked.
  await details.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await edit.getByRole('button', { name: 'Generate a password' }).click();
  await edit.getByLabel('Length').fill('40');
  await edit.getByLabel('Symbols (!#$%…)').uncheck();
  await expect(edit.getByLabel('Generated password', { exact: true })).toHaveAttribute(
    'type',
    'password',
  );
  const generated = await edit.getByLabel('Generated password', { exact: true }).inputValue();
  expect(generated).toMatch(/^[A-Za-z0-9]{40}$/);
  expect(await page.content()).not.toContain(generated);
  await edit.getByRole('button', { name: 'Use this password' }).click();
  await expect(edit.getByLabel('Secret value', { exact: true })).toHaveValue(generated);
  await saveDialog(edit);
  await details.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(details.getByText(generated)).toBeVisible();
  expect(csp).toEqual([]);
});

test('a write-only secret is never in the page, not even when editing; Replace works', async ({
  page,
  app,
}) => {
  const csp = await start(page, app.url);
  await createVault(page, 'hooks');
  const secret = 'whk-first-4b1d8e';
  const notInPage = async () => expect(await page.content()).not.toContain(secret);
  const dialog = await newEntryDialog(page);
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('WEBHOOK_TOKEN');
  await dialog.getByLabel('Secret value', { exact: true }).fill(secret);
  await dialog.getByLabel('Write-only (can be replaced, never shown again)').check();
  await notInPage();
  await saveDialog(dialog);
  await notInPage();

  const details = await openEntry(page, 'WEBHOOK_TOKEN');
  await expect(details.getByText('Write-only: this value cannot be shown.')).toBeVisible();
  await expect(details.getByRole('button', { name: 'Show' })).toHaveCount(0);
  await expect(details.getByRole('button', { name: 'Copy' })).toHaveCount(0);
  await notInPage();

  // The edit dialog starts empty and never loads the value; empty keeps it.
  await details.getByRole('button', { name: 'Edit' }).click();
  let edit = page.getByRole('dialog', { name: 'Edit entry' });
  await expect(edit.getByLabel('Secret value', { exact: true })).toHaveValue('');
  await expect(edit.getByText('Enter a new value to replace it')).toBeVisible();
  await notInPage();
  await edit.getByLabel('Name', { exact: true }).fill('HOOK_TOKEN');
  await saveDialog(edit);
  await openEntry(page, 'HOOK_TOKEN');
  await notInPage();

  // Unticking write-only without a new value is refused: the old value stays write-only.
  await details.getByRole('button', { name: 'Replace' }).click();
  edit = page.getByRole('dialog', { name: 'Edit entry' });
  await edit.getByLabel('Write-only (can be replaced, never shown again)').uncheck();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(
    edit.getByText(/enter a new value: the current value stays write-only/),
  ).toBeVisible();
  await notInPage();
  // Replace with a new, readable value: that one can be shown, the old one never was.
  await edit.getByLabel('Secret value', { exact: true }).fill('whk-second-readable');
  await saveDialog(edit);
  await details.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(details.getByText('whk-second-readable')).toBeVisible();
  await notInPage();
  expect(csp).toEqual([]);
});

test('a connection with an empty field is marked missing credentials', async ({ page, app }) => {
  const csp = await start(page, app.url);
  await createVault(page, 'services');
  const password = 'pg-pass-91c2';
  const dialog = await newEntryDialog(page);
  await dialog.getByRole('radio', { name: 'Connection' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('db');
  await dialog.getByLabel('Type').selectOption({ label: 'Basic auth' });
  await dialog.getByLabel('Username').fill('app');
  await expect(dialog.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'password');
  await saveDialog(dialog);

  let details = await openEntry(page, 'db');
  await expect(details.getByText('missing credentials')).toBeVisible();
  await expect(details.getByText('Basic auth')).toBeVisible();
  await expect(details.getByText('app', { exact: true })).toBeVisible();
  await expect(details.getByText('missing', { exact: true })).toBeVisible();

  await details.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await expect(edit.getByLabel('Username')).toHaveValue('app');
  await edit.getByLabel('Password', { exact: true }).fill(password);
  await saveDialog(edit);
  details = await openEntry(page, 'db');
  await expect(details.getByText('missing credentials')).toHaveCount(0);
  expect(await page.content()).not.toContain(password);
  await details.getByRole('button', { name: 'Show Password' }).click();
  await expect(details.getByText(password)).toBeVisible();
  await details.getByRole('button', { name: 'Hide Password' }).click();
  expect(await page.content()).not.toContain(password);
  expect(csp).toEqual([]);
});

test('rejected names say which rule failed, and nothing typed or saved is lost', async ({
  page,
  app,
}) => {
  const csp = await start(page, app.url);
  await createVault(page, 'plain');
  let dialog = await newEntryDialog(page);
  const name = dialog.getByLabel('Name', { exact: true });
  await name.fill('my item');
  await expect(dialog.getByText(/character 3 is a space/)).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/character 3 is a space/);
  await dialog.getByLabel('Value (JSON)').fill('{"keep": "me"}');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeVisible();
  await expect(name).toBeFocused();
  await expect(dialog.getByLabel('Value (JSON)')).toHaveValue('{"keep": "me"}');
  await name.fill('my-item');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await saveDialog(dialog);

  // A name that exists is refused instead of replacing the entry.
  dialog = await newEntryDialog(page);
  await dialog.getByLabel('Name', { exact: true }).fill('my-item');
  await dialog.getByLabel('Value (JSON)').fill('"other"');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/already exists/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const details = await openEntry(page, 'my-item');
  await expect(details.locator('pre.value-view')).toHaveText('{\n  "keep": "me"\n}');

  // Environment-style vault: lowercase is refused with a suggestion.
  await createVault(page, 'env', { environment: true });
  dialog = await newEntryDialog(page);
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Secret value', { exact: true }).fill('typed-secret');
  await dialog.getByLabel('Name', { exact: true }).fill('api_key');
  await expect(dialog.getByText(/lowercase/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Secret value', { exact: true })).toHaveValue('typed-secret');
  await dialog.getByRole('button', { name: 'Use API_KEY' }).click();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('API_KEY');
  await saveDialog(dialog);
  await openEntry(page, 'API_KEY');
  expect(csp).toEqual([]);
});

test('markup typed into any field stays text: no element is created', async ({ page, app }) => {
  const csp = await start(page, app.url);
  const payload = (n: number) => `<img src=x id="xss-${n}" onerror="window.__xss=${n}">`;
  const noInjection = async () => {
    await expect(page.locator('[id^="xss-"]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  };
  await createVault(page, 'xss');

  // The name: refused, and the message quoting it is text.
  let dialog = await newEntryDialog(page);
  await dialog.getByLabel('Name', { exact: true }).fill(payload(1));
  await expect(dialog.getByText(/is not a valid name/)).toContainText('<img src=x id=\\"xss-1\\"');
  await noInjection();

  // A JSON string value.
  await dialog.getByLabel('Name', { exact: true }).fill('markup');
  await dialog.getByLabel('Value (JSON)').fill(JSON.stringify({ html: payload(2) }));
  await saveDialog(dialog);
  let details = await openEntry(page, 'markup');
  await expect(details.locator('pre.value-view')).toContainText('<img src=x id=\\"xss-2\\"');
  await noInjection();

  // A secret, shown.
  dialog = await newEntryDialog(page);
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('markup-secret');
  await dialog.getByLabel('Secret value', { exact: true }).fill(payload(3));
  await saveDialog(dialog);
  details = await openEntry(page, 'markup-secret');
  await details.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(details.getByText(payload(3))).toBeVisible();
  await noInjection();

  // Connection fields, plain and secret.
  dialog = await newEntryDialog(page);
  await dialog.getByRole('radio', { name: 'Connection' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('markup-conn');
  await dialog.getByLabel('Type').selectOption({ label: 'API key header' });
  await dialog.getByLabel('Header name').fill(payload(4));
  await dialog.getByLabel('API key', { exact: true }).fill(payload(5));
  await saveDialog(dialog);
  details = await openEntry(page, 'markup-conn');
  await expect(details.getByText(payload(4))).toBeVisible();
  await details.getByRole('button', { name: 'Show API key' }).click();
  await expect(details.getByText(payload(5))).toBeVisible();
  await noInjection();
  expect(csp).toEqual([]);
});

test('keyboard only: create a secret, and axe finds nothing serious in the dialog or the view', async ({
  page,
  app,
}) => {
  const csp = await start(page, app.url);
  await createVault(page, 'keyboard');
  await page.getByRole('button', { name: 'New entry' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused();
  const findings = await seriousAxeFindings(page, 'item dialog');
  await page.keyboard.type('TOKEN');
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('radio', { name: 'Item' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('radio', { name: 'Secret' })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Secret value', { exact: true })).toBeFocused();
  await page.keyboard.type('kb-secret-value');
  await dialog.getByRole('button', { name: 'Generate a password' }).click();
  findings.push(...(await seriousAxeFindings(page, 'secret dialog')));
  await dialog.getByRole('radio', { name: 'Connection' }).check();
  await dialog.getByLabel('Type').selectOption({ label: 'OAuth2 client credentials' });
  findings.push(...(await seriousAxeFindings(page, 'connection dialog')));
  await dialog.getByRole('radio', { name: 'Secret' }).focus();
  await page.keyboard.press('Space');
  await dialog.getByLabel('Secret value', { exact: true }).focus();
  await page.keyboard.press('Enter'); // submits the form
  await expect(dialog).toBeHidden();
  const details = await openEntry(page, 'TOKEN');
  findings.push(...(await seriousAxeFindings(page, 'secret view')));
  await details.getByRole('button', { name: 'Show', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(details.getByText('kb-secret-value')).toBeVisible();
  // Escape closes the edit dialog without saving.
  await details.getByRole('button', { name: 'Edit' }).focus();
  await page.keyboard.press('Enter');
  const edit = page.getByRole('dialog', { name: 'Edit entry' });
  await expect(edit).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(edit).toBeHidden();
  expect(findings).toEqual([]);
  expect(csp).toEqual([]);
});
