/**
 * Steps shared by the end-to-end tests, written against the app's accessible names only.
 */
import type { Page } from '@playwright/test';
import { expect } from '../fixtures';

/** A passphrase zxcvbn rates "very strong". */
export const passphrase = 'amber-violin-cactus-harbor-7';

export async function createProfile(page: Page, url: string, secret = passphrase): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Create your Coffer profile' })).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill(secret);
  await page.getByLabel('Repeat passphrase', { exact: true }).fill(secret);
  await page.getByLabel('I understand that a forgotten passphrase cannot be recovered').check();
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    // scrypt at the default cost, in a Worker: ~1 s alone, far more with two busy browsers.
    timeout: 45_000,
  });
}

export async function unlock(page: Page, secret = passphrase): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Unlock Coffer' })).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('button', { name: 'Lock', exact: true })).toBeVisible({
    // scrypt at the default cost, in a Worker: ~1 s alone, far more with two busy browsers.
    timeout: 45_000,
  });
}

/** Collects Content Security Policy violations the page reports, for an "empty" assertion. */
export async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCsp', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportCsp(text: string): void }).__reportCsp(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
