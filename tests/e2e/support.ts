/**
 * Steps shared by the end-to-end tests, written against the app's accessible names only.
 */

import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
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

/** How axe looks at a screen: at a width, in a colour scheme, with some of its rules or all. */
export interface AxeVariant {
  readonly width?: number;
  readonly colorScheme?: 'light' | 'dark';
  /** axe rule ids to run (default: all of its default rules). */
  readonly rules?: readonly string[];
}

/**
 * Serious and critical axe-core findings on the page as it is, in each variant (default: as it
 * is now), within `include` if given. Each says the screen and the variant it was seen in.
 *
 * Axe runs in the page itself (legacy mode): the app has no frames, and the default mode opens
 * a blank page for every run to gather frames' results, which was half of each run's time.
 */
export async function seriousAxeFindings(
  page: Page,
  screen: string,
  variants: readonly AxeVariant[] = [{}],
  include?: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const { width, colorScheme, rules } of variants) {
    if (width !== undefined)
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    if (colorScheme) await page.emulateMedia({ colorScheme });
    let builder = new AxeBuilder({ page }).setLegacyMode(true);
    if (rules) builder = builder.withRules([...rules]);
    if (include) builder = builder.include(include);
    const { violations } = await builder.analyze();
    const where = [screen, width && `${width}px`, colorScheme].filter(Boolean).join(' ');
    for (const violation of violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      const targets = violation.nodes.map((node) => node.target.join(' ')).join(', ');
      found.push(`${where}: ${violation.id} (${targets})`);
    }
  }
  return found;
}

/** Serious and critical axe-core findings on the page as it is, at 1280 and 360 px wide. */
export async function seriousAxeViolations(page: Page, screen: string): Promise<string[]> {
  const before = page.viewportSize();
  const found = await seriousAxeFindings(page, screen, [{ width: 1280 }, { width: 360 }]);
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

/** Adds a secret through the New entry dialog (write-only if asked), then goes back to the list. */
export async function addSecret(
  page: Page,
  name: string,
  value: string,
  options: { writeOnly?: boolean } = {},
): Promise<void> {
  await page.getByRole('button', { name: 'New entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'New entry' });
  await dialog.getByRole('radio', { name: 'Secret' }).check();
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByRole('textbox', { name: 'Secret value' }).fill(value);
  if (options.writeOnly) {
    await dialog.getByLabel('Write-only (can be replaced, never shown again)').check();
  }
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Back to entries' }).click();
}

/**
 * Everything the origin keeps at rest, read from outside the app: every row and key of every
 * store of every IndexedDB database, localStorage, and every Cache Storage entry (URL and
 * body), as one searchable text. Byte arrays are written both as hex and as latin1 text.
 */
export async function dumpStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const hex = (bytes: Uint8Array) =>
      Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const latin1 = (bytes: Uint8Array) => {
      let text = '';
      for (let i = 0; i < bytes.length; i += 8192) {
        text += String.fromCharCode(...bytes.subarray(i, i + 8192));
      }
      return text;
    };
    const serialize = (value: unknown) =>
      JSON.stringify(value, (_key, v) => {
        if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
          const bytes = v instanceof Uint8Array ? v : new Uint8Array(v);
          return { hex: hex(bytes), latin1: latin1(bytes) };
        }
        return v;
      });
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const indexedDb: Record<string, Record<string, unknown[]>> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await request(indexedDB.open(info.name));
      const stores: Record<string, unknown[]> = {};
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, rows] = await Promise.all([
          request(store.getAllKeys()),
          request(store.getAll()),
        ]);
        stores[name] = [...keys.map((key) => ({ key })), ...rows];
      }
      indexedDb[info.name] = stores;
      db.close();
    }
    const local: Record<string, string | null> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) as string;
      local[key] = localStorage.getItem(key);
    }
    const cached: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      cached[name] = [];
      for (const entry of await cache.keys()) {
        const response = await cache.match(entry);
        const body = response ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array();
        cached[name].push(entry.url, latin1(body));
      }
    }
    return serialize({ indexedDb, localStorage: local, caches: cached });
  });
}

/**
 * The ways a text could show up in a storage dump: as itself, as the hex of its UTF-8 or
 * UTF-16 bytes, and inside base64 (standard and URL-safe) at each byte offset.
 */
export function atRestForms(text: string): string[] {
  const utf8 = Buffer.from(text, 'utf8');
  const forms = [
    text,
    utf8.toString('hex'),
    Buffer.from(text, 'utf16le').toString('hex'),
    // As JSON would escape it inside a string.
    JSON.stringify(text).slice(1, -1),
  ];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), utf8]).toString('base64');
    const middle = encoded.slice(4, encoded.length - 4);
    forms.push(middle, middle.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)];
}

/**
 * Collects what the page's dedicated Workers (the hook Worker among them) log about Content
 * Security Policy: a Worker's violations are not reported to the page's document.
 */
export function watchWorkerCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) {
        violations.push(`${worker.url()}: ${message.text()}`);
      }
    });
  });
  return violations;
}

const docsDir = new URL('../../docs/screenshots/', import.meta.url).pathname;

/** A view as the docs show it: attached to the test, and written to docs/screenshots/ with COFFER_SCREENSHOTS=1. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  if (process.env.COFFER_SCREENSHOTS === '1') {
    await mkdir(docsDir, { recursive: true });
    await page.screenshot({ path: `${docsDir}${name}.png` });
  }
}
