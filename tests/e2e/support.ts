/**
 * Steps shared by the end-to-end tests, written against the app's accessible names only.
 */
import AxeBuilder from '@axe-core/playwright';
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

/** A stored record as IndexedDB holds it: which store, its key, and the field of sealed bytes. */
export interface StoredRecord {
  readonly store: 'vaults' | 'snapshots' | 'updates';
  /** A vault id, or `[vault id, sequence number]` for a change row. */
  readonly key: string | [string, number];
  readonly field: 'sealed' | 'bytes';
}

/**
 * Reads or rewrites a record straight through IndexedDB, from outside the app's code (as a
 * disk error, another program or an attacker would): `change` gets the stored bytes and
 * returns new ones, or undefined to leave them. Resolves with the bytes as they were.
 */
export async function rewriteRecord(
  page: Page,
  record: StoredRecord,
  change?: 'flip' | number[],
): Promise<number[]> {
  return page.evaluate(
    async ({ record, change }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('coffer');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        const tx = db.transaction(record.store, 'readwrite');
        const store = tx.objectStore(record.store);
        const row = await new Promise<Record<string, unknown>>((resolve, reject) => {
          const request = store.get(record.key);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (!row) throw new Error(`no ${record.store} record ${JSON.stringify(record.key)}`);
        const before = Array.from(row[record.field] as Uint8Array);
        if (change !== undefined) {
          const next = change === 'flip' ? before.slice() : change;
          if (change === 'flip') next[Math.floor(next.length / 2)]! ^= 0x01;
          store.put({ ...row, [record.field]: new Uint8Array(next) });
        }
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        return before;
      } finally {
        db.close();
      }
    },
    { record, change },
  );
}

/** The keys of one IndexedDB store, read from outside the app. */
export async function storedKeys(
  page: Page,
  store: StoredRecord['store'],
): Promise<(string | [string, number])[]> {
  return page.evaluate(async (store) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('coffer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      return await new Promise<(string | [string, number])[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAllKeys();
        request.onsuccess = () => resolve(request.result as (string | [string, number])[]);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  }, store);
}

/** The open vault's actions (rename, delete, naming rule), opened if they are not shown yet. */
export async function vaultActions(page: Page) {
  const toggle = page.getByRole('button', { name: 'Vault actions' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return page.getByRole('region', { name: 'Vault actions' });
}

/** Serious and critical axe-core findings on the page as it is, at 1280 and 360 px wide. */
export async function seriousAxeViolations(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  const before = page.viewportSize();
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const violation of violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      const targets = violation.nodes.map((node) => node.target.join(' ')).join(', ');
      found.push(`${screen} ${width}px: ${violation.id} (${targets})`);
    }
  }
  if (before) await page.setViewportSize(before);
  return found;
}

/** Creates a vault through the sidebar's Create vault dialog; it opens at once. */
export async function createVault(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'Create vault' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Create vault' });
  await dialog.getByLabel('Vault name').fill(name);
  await dialog.getByRole('button', { name: 'Create vault' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'New entry' })).toBeVisible();
}

/** Adds an item through the New entry dialog, then goes back to the list. */
export async function addItem(page: Page, name: string, json = '{}'): Promise<void> {
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Value (JSON)').fill(json);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();
}
