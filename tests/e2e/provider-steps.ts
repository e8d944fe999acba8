/**
 * Provider steps shared by the end-to-end tests (issue 16), written against the app's accessible
 * names only: the profile default in Settings → Providers, a vault's Provider dialog, linking,
 * Pull, Push, and the conflicts the dialog lists.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from '../fixtures';

/** What the HashiCorp form needs for a token login. */
export interface HashicorpDefaults {
  readonly address: string;
  readonly enginePath: string;
  readonly token: string;
  readonly namespace?: string;
}

/** Settings → Providers, as a region. */
export async function openProviderSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Providers', level: 3 })).toBeVisible();
  return page.getByRole('region', { name: 'Providers' });
}

/**
 * Saves HashiCorp Vault with a token as the profile default. The token field is the password
 * input labelled "Token" (the Authentication radio is labelled "Token" too).
 */
export async function saveHashicorpDefault(
  page: Page,
  settings: HashicorpDefaults,
): Promise<Locator> {
  const providers = await openProviderSettings(page);
  await providers.getByRole('radio', { name: 'HashiCorp Vault (or OpenBao)' }).check();
  await providers.getByLabel('Address', { exact: true }).fill(settings.address);
  if (settings.namespace !== undefined) {
    await providers.getByLabel('Namespace (optional)').fill(settings.namespace);
  }
  await providers.getByLabel('Engine path', { exact: true }).fill(settings.enginePath);
  await providers.getByRole('radio', { name: 'Token', exact: true }).check();
  await providers
    .getByLabel('Token', { exact: true })
    .and(providers.locator('input[type="password"]'))
    .fill(settings.token);
  await providers.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(providers.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible();
  // A saved token is never shown again: "Saved" with Replace.
  await expect(providers.getByRole('button', { name: 'Replace Token' })).toBeVisible();
  return providers;
}

/** Opens a vault from the sidebar by its name. */
export async function openVault(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}(\\s|$)`) })
    .click();
  await expect(page.getByRole('button', { name: 'New entry' })).toBeVisible();
}

/** The open vault's Provider button ("Provider: synced …", "Provider: conflicts (1)", …). */
export function providerButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Provider: / });
}

/** Opens the open vault's "Sync with a provider" dialog. */
export async function openProviderDialog(page: Page): Promise<Locator> {
  await providerButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Sync with a provider' });
  await expect(dialog).toBeVisible();
  return dialog;
}

export async function closeProviderDialog(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/**
 * "Sync this vault" on a vault not linked yet, at `path` (the slug default when not given).
 * Resolves once the switch is on; a first link that needs a choice (both sides have different
 * keys) leaves the switch off and shows the difference: pass `expectChoice` to get it back.
 */
export async function linkVault(
  dialog: Locator,
  options: { path?: string; expectChoice?: boolean } = {},
): Promise<Locator> {
  const sync = dialog.getByRole('switch', { name: 'Sync this vault' });
  await expect(sync).not.toBeChecked();
  if (options.path !== undefined) await dialog.getByLabel('Remote path').fill(options.path);
  // The switch shows the link, not the click (it flips back at once and turns on once the
  // link exists), so it is clicked rather than `check()`ed.
  await sync.click();
  if (options.expectChoice) {
    const diff = dialog.getByRole('region', { name: /^Both this vault and .+ have keys$/ });
    await expect(diff).toBeVisible();
    return diff;
  }
  await expect(sync).toBeChecked({ timeout: 20_000 });
  return sync;
}

/** The headline of the dialog's last outcome for `action` ("Pull: 2 added.", "Push: nothing to do; …"). */
export function outcome(dialog: Locator, action: string): Locator {
  return dialog
    .getByRole('status')
    .locator('strong')
    .filter({ hasText: new RegExp(`^${escapeRegExp(action)}: `) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Clicks Pull or Push and waits until it is done. Resolves with the headline shown then: the
 * action's own ("Pull: 2 added.") or, when the auto push of a change made just before ran right
 * after it, that one's ("Pushing your change: …"), which replaces it. Throws with the
 * explanation if the action failed.
 */
async function runAction(dialog: Locator, action: 'Pull' | 'Push'): Promise<string> {
  const button = dialog.getByRole('button', { name: action, exact: true });
  await expect(button).toBeEnabled();
  await button.click();
  const done = dialog
    .getByRole('status')
    .locator('strong')
    .filter({ hasText: new RegExp(`^(${action}|Pushing your change): `) });
  const failed = dialog.getByRole('alert').filter({ hasText: `${action} failed.` });
  await expect(done.or(failed).first()).toBeVisible({ timeout: 20_000 });
  await expect(button).toBeEnabled({ timeout: 20_000 });
  if (await failed.isVisible()) {
    throw new Error(`${action} failed: ${(await failed.textContent()) ?? ''}`);
  }
  return ((await done.first().textContent({ timeout: 5_000 })) ?? '').trim();
}

/** Clicks Pull and resolves with the outcome's headline (throws with the explanation if it failed). */
export function pull(dialog: Locator): Promise<string> {
  return runAction(dialog, 'Pull');
}

/** Clicks Push and resolves with the outcome's headline (throws with the explanation if it failed). */
export function push(dialog: Locator): Promise<string> {
  return runAction(dialog, 'Push');
}

/** The conflicts section ("1 key changed on both sides"), which lists keys by name. */
export function conflictsSection(dialog: Locator): Locator {
  return dialog.getByRole('region', { name: /changed on both sides$/ });
}

/** The names of the keys in conflict, as the dialog lists them. */
export async function conflictNames(dialog: Locator): Promise<string[]> {
  const section = conflictsSection(dialog);
  if (!(await section.isVisible())) return [];
  return (await section.getByRole('group').locator('legend').allTextContents()).map((name) =>
    name.trim(),
  );
}

/** Chooses a side for each key in conflict, then Apply; waits until no conflict is left. */
export async function resolveConflicts(
  dialog: Locator,
  choices: Readonly<Record<string, 'mine' | 'theirs'>>,
): Promise<void> {
  const section = conflictsSection(dialog);
  for (const [key, choice] of Object.entries(choices)) {
    await section
      .getByRole('group', { name: key, exact: true })
      .getByRole('radio', { name: choice === 'mine' ? 'Keep mine' : 'Take theirs' })
      .check();
  }
  await section.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(section).toBeHidden({ timeout: 20_000 });
}
