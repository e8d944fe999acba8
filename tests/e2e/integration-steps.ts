/**
 * Steps the integrations end-to-end tests share: the Integrations area, a new integration, a
 * grant through Vault permissions, a run and its outcome, and the checks that a canary is
 * neither shown nor stored. Written against accessible names.
 */
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';
import { atRestForms, dumpStorage } from './support';

export const integrationsNav = (page: Page) =>
  page.getByRole('navigation', { name: 'Integrations' });
export const main = (page: Page) => page.getByRole('main');
export const runButton = (page: Page) =>
  main(page).getByRole('button', { name: 'Run', exact: true });
export const outcome = (page: Page) => main(page).getByText(/^(Succeeded|Failed|Cancelled) in /);
/** Integrations (header) → New integration → its editor, Request tab. */
export async function newIntegration(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Integrations', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Integrations', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await integrationsNav(page).getByRole('button', { name: 'New integration' }).click();
  const dialog = page.getByRole('dialog', { name: 'New integration' });
  await dialog.getByRole('textbox', { name: 'Integration name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create integration' }).click();
  await expect(dialog).toBeHidden();
  await expect(main(page).getByRole('heading', { name, level: 2 })).toBeVisible();
  await expect(
    page.getByRole('tablist', { name: 'Integration' }).getByRole('tab', { name: 'Request' }),
  ).toHaveAttribute('aria-selected', 'true');
  await expect(integrationsNav(page).getByRole('button', { name, exact: true })).toBeVisible();
}

/** Vault permissions (from the list) → Add permission → back to the integration. */
export async function grant(
  page: Page,
  integration: string,
  vault: string,
  access: 'Read' | 'Read and write' = 'Read',
): Promise<void> {
  await integrationsNav(page).getByRole('button', { name: 'Vault permissions' }).click();
  await expect(main(page).getByRole('heading', { name: 'Vault permissions' })).toBeVisible();
  await main(page).getByRole('button', { name: 'Add permission' }).click();
  await saveGrantForm(page, integration, vault, access);
  await main(page)
    .getByRole('button', { name: `Back to ${integration}` })
    .click();
  await expect(main(page).getByRole('heading', { name: integration, level: 2 })).toBeVisible();
}

export async function saveGrantForm(
  page: Page,
  integration: string,
  vault: string,
  access: 'Read' | 'Read and write',
): Promise<void> {
  const form = page.getByRole('form', { name: 'Add permission' });
  await form.getByRole('combobox', { name: 'Integration' }).selectOption({ label: integration });
  await form.getByRole('combobox', { name: 'Vault' }).selectOption({ label: vault });
  await form.getByRole('combobox', { name: 'Access' }).selectOption({ label: access });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(
    main(page)
      .getByRole('row')
      .filter({ hasText: integration })
      .filter({ hasText: vault })
      .getByRole('cell', { name: access, exact: true }),
  ).toBeVisible();
}

/** Runs the integration shown and waits for its outcome; returns the outcome's text. */
export async function run(page: Page, timeout = 20_000): Promise<string> {
  await runButton(page).click();
  await expect(outcome(page)).toBeVisible({ timeout });
  await expect(runButton(page)).toBeEnabled();
  return (await outcome(page).textContent()) ?? '';
}

/** The page as serialized, plus the value of every form control (not part of the markup). */
export async function everythingShown(page: Page): Promise<string> {
  const values = await page.evaluate(() =>
    Array.from(
      document.querySelectorAll('input, textarea, select'),
      (element) => (element as HTMLInputElement).value,
    ).join('\n'),
  );
  return `${await page.content()}\n${values}`;
}

/** Asserts that none of `canaries` is in anything the origin stores, in any likely encoding. */
export async function expectNothingAtRest(
  page: Page,
  canaries: Record<string, string>,
): Promise<void> {
  const dump = await dumpStorage(page);
  // Positive control: the dump does hold the integrations' stores and the cached app.
  expect(dump).toContain('"integrations"');
  expect(dump).toContain('"runs"');
  expect(dump).toContain('<title>');
  for (const [label, canary] of Object.entries(canaries)) {
    for (const form of atRestForms(canary)) {
      expect(dump.includes(form), `${label} found at rest as ${JSON.stringify(form)}`).toBe(false);
    }
  }
}
