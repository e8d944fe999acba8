/**
 * Vaults end to end: the sidebar (create, a refused duplicate, rename, delete behind typing the
 * name, the environment-style switch), one vault's entry list (35 entries: pages and filter),
 * the single opener across two tabs, and vault names that look like HTML shown as text.
 * Written against accessible names only.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { addItem, createProfile, unlock, vaultActions, watchCsp } from './support';

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Vaults' });
const vaultButton = (page: Page, name: string) =>
  sidebar(page).getByRole('list').getByRole('button', { name, exact: true });
const entries = (page: Page) => page.getByRole('list', { name: 'Entries' });
const pagination = (page: Page) => page.getByRole('navigation', { name: 'Pages' });

async function createVault(page: Page, name: string, options: { environment?: boolean } = {}) {
  await sidebar(page).getByRole('button', { name: 'Create vault' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create vault' });
  await dialog.getByLabel('Vault name').fill(name);
  if (options.environment) {
    await dialog.getByLabel('Environment-style names (UPPER_SNAKE_CASE)').check();
  }
  await dialog.getByRole('button', { name: 'Create vault' }).click();
  await expect(dialog).toBeHidden();
  // A new vault is selected and opened at once.
  await expect(vaultButton(page, name)).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'New entry' })).toBeVisible();
}

async function rowNames(list: Locator): Promise<string[]> {
  return list.getByRole('listitem').getByRole('button').allTextContents();
}

test('create (a duplicate is refused, nothing lost), rename, delete only after typing the name', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await expect(sidebar(page).getByText('No vaults yet.')).toBeVisible();

  await createVault(page, 'payments');
  await expect(page.getByRole('heading', { name: 'payments', level: 2 })).toBeVisible();
  await expect(
    page.getByText('No entries yet. Choose New entry to add an item, a secret or a connection.'),
  ).toBeVisible();
  await addItem(page, 'stripe', '{"mode":"live"}');
  await expect(entries(page).getByRole('button', { name: 'stripe' })).toBeVisible();

  // A duplicate, in another case: refused as you type and again on submit; nothing is lost.
  await sidebar(page).getByRole('button', { name: 'Create vault' }).click();
  const create = page.getByRole('dialog', { name: 'Create vault' });
  const field = create.getByLabel('Vault name');
  await field.fill('  PAYMENTS ');
  await expect(create.getByText('A vault named "payments" already exists.')).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await create.getByRole('button', { name: 'Create vault' }).click();
  await expect(create).toBeVisible();
  await expect(field).toHaveValue('  PAYMENTS ');
  // Control characters are refused with the core's reason.
  await field.fill('pay\u0007ments');
  await expect(create.getByText(/cannot contain control characters/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(create).toBeHidden();
  await expect(sidebar(page).getByRole('list').getByRole('button')).toHaveText(['payments']);
  await expect(entries(page).getByRole('button', { name: 'stripe' })).toBeVisible();

  // Rename: the vault stays open (and selected) under its new name.
  await (await vaultActions(page)).getByRole('button', { name: 'Rename…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename vault' });
  await expect(rename.getByLabel('Vault name')).toHaveValue('payments');
  await rename.getByLabel('Vault name').fill('billing');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toBeHidden();
  await expect(vaultButton(page, 'billing')).toHaveAttribute('aria-current', 'page');
  await expect(vaultButton(page, 'payments')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'billing', level: 2 })).toBeVisible();
  await expect(entries(page).getByRole('button', { name: 'stripe' })).toBeVisible();

  // Delete: the button enables only once the name is typed exactly.
  await (await vaultActions(page)).getByRole('button', { name: 'Delete…' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete vault' });
  const confirm = remove.getByRole('button', { name: 'Delete vault' });
  await expect(confirm).toBeDisabled();
  await remove.getByLabel("Type the vault's name to confirm").fill('Billing');
  await expect(confirm).toBeDisabled();
  await remove.getByLabel("Type the vault's name to confirm").fill('billin');
  await expect(confirm).toBeDisabled();
  await remove.getByLabel("Type the vault's name to confirm").fill('billing');
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(remove).toBeHidden();
  await expect(sidebar(page).getByText('No vaults yet.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Choose a vault' })).toBeVisible();

  // It is gone for good: not back after a reload.
  await page.reload();
  await unlock(page);
  await expect(sidebar(page).getByText('No vaults yet.')).toBeVisible();
  expect(csp).toEqual([]);
});

test('environment-style names: chosen at creation, and a switch that warns about misfits', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await createVault(page, 'env', { environment: true });
  const envSwitch = async () =>
    (await vaultActions(page)).getByRole('switch', { name: 'Environment-style names' });
  await expect(await envSwitch()).toBeChecked();

  await createVault(page, 'plain');
  await expect(await envSwitch()).not.toBeChecked();
  await addItem(page, 'my-item');
  await addItem(page, 'API_KEY');

  // Switching on names the entries that do not fit; Cancel leaves it off.
  await (await envSwitch()).click();
  const warn = page.getByRole('dialog', { name: 'Switch on environment-style names?' });
  await expect(warn.getByText('1 entry has a name that does not fit the rule')).toBeVisible();
  await expect(warn.getByRole('listitem')).toHaveText(['my-item']);
  await warn.getByRole('button', { name: 'Cancel' }).click();
  await expect(warn).toBeHidden();
  await expect(await envSwitch()).not.toBeChecked();

  await (await envSwitch()).click();
  await warn.getByRole('button', { name: 'Switch on' }).click();
  await expect(await envSwitch()).toBeChecked();
  // The rule now applies to new names.
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByLabel('Name', { exact: true }).fill('other-item');
  await dialog.getByLabel('Value (JSON)').fill('{}');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Off again, and the setting is the vault's: it survives leaving and coming back.
  await (await envSwitch()).click();
  await expect(await envSwitch()).not.toBeChecked();
  await vaultButton(page, 'env').click();
  await expect(await envSwitch()).toBeChecked();
  await vaultButton(page, 'plain').click();
  await expect(await envSwitch()).not.toBeChecked();
  expect(csp).toEqual([]);
});

test('35 entries: 10 a page, page buttons and arrows, filtering as you type', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await createVault(page, 'many');
  const names = Array.from({ length: 35 }, (_, i) => `entry-${String(i + 1).padStart(2, '0')}`);
  for (const name of names) await addItem(page, name);

  const list = entries(page);
  const status = pagination(page).getByRole('status');
  // Back from the last saved entry, the list shows the page that holds it.
  await expect(status).toHaveText('Page 4 of 4');
  await pagination(page).getByRole('button', { name: 'Page 1' }).click();
  await expect(status).toHaveText('Page 1 of 4');
  expect(await rowNames(list)).toEqual(names.slice(0, 10));
  await expect(list.getByRole('img', { name: 'Item' })).toHaveCount(10);
  await expect(pagination(page).getByRole('button', { name: 'Page 1' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(pagination(page).getByRole('button', { name: 'Previous page' })).toBeDisabled();

  await pagination(page).getByRole('button', { name: 'Next page' }).click();
  await expect(status).toHaveText('Page 2 of 4');
  expect(await rowNames(list)).toEqual(names.slice(10, 20));
  await pagination(page).getByRole('button', { name: 'Page 4' }).click();
  await expect(status).toHaveText('Page 4 of 4');
  await expect(pagination(page).getByRole('button', { name: 'Page 4' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  expect(await rowNames(list)).toEqual(names.slice(30));
  await expect(pagination(page).getByRole('button', { name: 'Next page' })).toBeDisabled();
  await pagination(page).getByRole('button', { name: 'Previous page' }).click();
  await expect(status).toHaveText('Page 3 of 4');

  // Filtering as you type, ignoring case, and back to page 1.
  const filter = page.getByRole('searchbox', { name: 'Filter entries' });
  await filter.pressSequentially('RY-3');
  await expect(page.getByText('6 of 35 entries match')).toBeVisible();
  expect(await rowNames(list)).toEqual(names.slice(29));
  await expect(pagination(page)).toHaveCount(0);
  await filter.fill('1');
  await expect(pagination(page).getByRole('status')).toHaveText('Page 1 of 2');
  await filter.fill('zzz');
  await expect(page.getByText('No entries match “zzz”.')).toBeVisible();
  await filter.fill('');
  await expect(status).toHaveText('Page 1 of 4');

  // A row opens the entry; the way back keeps the list.
  await list.getByRole('button', { name: 'entry-07' }).click();
  await expect(list).toHaveCount(0);
  await page.getByRole('button', { name: 'Back to entries' }).click();
  expect(await rowNames(list)).toEqual(names.slice(0, 10));
  expect(csp).toEqual([]);
});

test('each row shows its kind, a write-only badge and missing credentials, never a value', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await createVault(page, 'kinds');
  await addItem(page, 'config', '{"port":8080}');
  const secret = 'whk-row-value-5c1e';
  await page.getByRole('button', { name: 'New entry' }).click();
  let dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('TOKEN');
  await dialog.getByRole('textbox', { name: 'Secret value' }).fill(secret);
  await dialog.getByLabel('Write-only (can be replaced, never shown again)').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();
  await page.getByRole('button', { name: 'New entry' }).click();
  dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByRole('radio', { name: 'Connection' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill('db');
  await dialog.getByLabel('Type').selectOption({ label: 'Basic auth' });
  await dialog.getByLabel('Username').fill('app');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();

  const row = (name: string) =>
    entries(page)
      .getByRole('listitem')
      .filter({ has: page.getByRole('button', { name, exact: true }) });
  await expect(row('config').getByRole('img', { name: 'Item' }).locator('svg')).toBeVisible();
  await expect(row('TOKEN').getByRole('img', { name: 'Secret' }).locator('svg')).toBeVisible();
  await expect(row('TOKEN').getByText('write-only')).toBeVisible();
  await expect(row('db').getByRole('img', { name: 'Connection' }).locator('svg')).toBeVisible();
  await expect(row('db').getByText('missing credentials')).toBeVisible();
  await expect(row('config').locator('.badge')).toHaveCount(0);
  await expect(row('config').locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  expect(await page.content()).not.toContain(secret);
  expect(await page.content()).not.toContain('8080');
  expect(csp).toEqual([]);
});

test('one opener across tabs: wait, open by itself when released, take over, take it back', async ({
  app,
  openTabs,
}) => {
  const [a, b] = (await openTabs(2)) as [Page, Page];
  const cspA = await watchCsp(a);
  const cspB = await watchCsp(b);
  await createProfile(a, app.url);
  await createVault(a, 'shared');
  await b.goto(app.url);
  await unlock(b);

  const busy = /^Open in another tab since \d{1,2}:\d{2}/;
  const lost = 'This vault was opened in another tab.';
  // B waits, saying since when A has it.
  await vaultButton(b, 'shared').click();
  await expect(b.getByText(busy)).toBeVisible();
  await expect(b.getByRole('button', { name: 'New entry' })).toHaveCount(0);

  // A leaves the vault: B opens it by itself.
  await a.getByRole('button', { name: 'Settings' }).click();
  await expect(b.getByRole('button', { name: 'New entry' })).toBeVisible();

  // A comes back and waits in turn; B takes nothing from it until A takes over.
  await vaultButton(a, 'shared').click();
  await expect(a.getByText(busy)).toBeVisible();
  await a.getByRole('button', { name: 'Take over here' }).click();
  await expect(a.getByRole('button', { name: 'New entry' })).toBeVisible();
  await expect(b.getByText(lost)).toBeVisible();

  // B takes it back; now A has lost it.
  await b.getByRole('button', { name: 'Take it back' }).click();
  await expect(b.getByRole('button', { name: 'New entry' })).toBeVisible();
  await expect(a.getByText(lost)).toBeVisible();
  await expect(a.getByRole('button', { name: 'Take it back' })).toBeVisible();

  // Deleting from A while B has it open says so, and is refused without losing anything.
  await (await vaultActions(a)).getByRole('button', { name: 'Delete…' }).click();
  const remove = a.getByRole('dialog', { name: 'Delete vault' });
  await expect(remove.getByText('This vault is open in another tab.')).toBeVisible();
  await remove.getByLabel("Type the vault's name to confirm").fill('shared');
  await remove.getByRole('button', { name: 'Delete vault' }).click();
  await expect(remove.getByRole('alert')).toContainText('open in another tab');
  await a.keyboard.press('Escape');
  await expect(vaultButton(a, 'shared')).toBeVisible();
  expect([...cspA, ...cspB]).toEqual([]);
});

test('vault names that look like HTML are shown as text and never run', async ({ page, app }) => {
  const csp = await watchCsp(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await createProfile(page, app.url);
  const payloads = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>'];
  for (const name of payloads) {
    await createVault(page, name);
    await expect(page.getByRole('heading', { name, level: 2 })).toHaveText(name);
  }
  await expect(sidebar(page).getByRole('list').getByRole('button')).toHaveText(
    [...payloads].sort((x, y) => x.localeCompare(y)),
  );
  // No element was made from the names.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('#root script')).toHaveCount(0);
  // The delete dialog shows the name as text too.
  await (await vaultActions(page)).getByRole('button', { name: 'Delete…' }).click();
  await expect(page.getByRole('dialog', { name: 'Delete vault' })).toContainText(payloads[1]!);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('#root script')).toHaveCount(0);
  expect(dialogs).toEqual([]);
  expect(csp).toEqual([]);
});
