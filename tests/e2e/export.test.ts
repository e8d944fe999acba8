/**
 * Exporting a vault: a plaintext .env needs the vault's name typed, names the file as
 * plaintext and leaves write-only secrets out; a KDBX 4 export opens with kdbxweb in Node with
 * the passphrase typed in the dialog and holds no plaintext in the download folder. Nothing at
 * rest holds a value afterwards (canary sweep).
 */
import { readFile } from 'node:fs/promises';
import { argon2d, argon2id } from '@noble/hashes/argon2.js';
import * as kdbxwebModule from 'kdbxweb';
import { expect, test } from '../fixtures';
import {
  addItem,
  addSecret,
  atRestForms,
  createProfile,
  createVault,
  dumpStorage,
  seriousAxeViolations,
  snap,
  vaultActions,
  watchCsp,
  watchWorkerCsp,
} from './support';

const vaultName = 'canary-vault-e2e-ex41';
const kdbxPassphrase = 'saffron-pelican-orbit-marble-62';
const canaries = {
  item: 'CANARY-export-item-e2e-3f9a',
  secret: 'CANARY-export-secret-e2e-c0de',
  writeOnly: 'CANARY-export-writeonly-e2e-beef',
};

// kdbxweb is a UMD bundle: Playwright's loader sees only some of its names on the namespace.
const kdbxweb =
  (kdbxwebModule as unknown as { default?: typeof kdbxwebModule }).default ?? kdbxwebModule;

kdbxweb.CryptoEngine.setArgon2Impl(
  async (password, salt, memory, iterations, length, parallelism, type, version) => {
    const derive = type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? argon2id : argon2d;
    const key = derive(new Uint8Array(password), new Uint8Array(salt), {
      m: memory,
      t: iterations,
      p: parallelism,
      dkLen: length,
      version,
    });
    return key.buffer as ArrayBuffer;
  },
);

test('export as .env (typed confirmation) and as KDBX 4 (opens in kdbxweb), no plaintext at rest', async ({
  page,
  app,
}, testInfo) => {
  // Key derivations at the default costs: the profile's scrypt, KDBX's Argon2 in the browser and
  // again in Node.
  test.setTimeout(240_000);
  const csp = await watchCsp(page);
  const workerCsp = watchWorkerCsp(page);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await createProfile(page, app.url);
  await createVault(page, vaultName);
  await addItem(page, 'config', JSON.stringify({ note: canaries.item }));
  await addSecret(page, 'API_TOKEN', canaries.secret);
  await addSecret(page, 'DEPLOY_KEY', canaries.writeOnly, { writeOnly: true });

  // .env: the Export button stays off until the vault's name is typed exactly.
  await (await vaultActions(page)).getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export vault' });
  await expect(dialog.getByText('1 write-only secret will not be exported')).toBeVisible();
  await dialog.getByRole('radio', { name: '.env, plaintext' }).check();
  await expect(dialog.getByText(`${vaultName}-PLAINTEXT.env`)).toBeVisible();
  const confirm = dialog.getByLabel("Type the vault's name to confirm");
  const exportButton = dialog.getByRole('button', { name: 'Export' });
  await expect(exportButton).toBeDisabled();
  await confirm.fill(vaultName.toUpperCase());
  await expect(exportButton).toBeDisabled();
  await confirm.fill(vaultName);
  await snap(page, testInfo, 'export-plaintext');
  expect(await seriousAxeViolations(page, 'export dialog')).toEqual([]);
  const envDownload = page.waitForEvent('download');
  await exportButton.click();
  const env = await envDownload;
  expect(env.suggestedFilename()).toBe(`${vaultName}-PLAINTEXT.env`);
  const envText = await readFile((await env.path())!, 'utf8');
  expect(envText).toContain(`API_TOKEN=${canaries.secret}`);
  expect(envText).toContain(`config='${JSON.stringify({ note: canaries.item })}'`);
  expect(envText).not.toContain(canaries.writeOnly);
  expect(envText).not.toContain('DEPLOY_KEY');
  await expect(dialog.getByRole('status')).toContainText(
    `Exported 2 entries to ${vaultName}-PLAINTEXT.env`,
  );
  await expect(dialog.getByText('1 write-only secret was not exported: DEPLOY_KEY')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // KDBX 4: a passphrase typed twice; the file opens in kdbxweb with it.
  await (await vaultActions(page)).getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByRole('radio', { name: 'KeePass (KDBX 4), encrypted' })).toBeChecked();
  await dialog.getByLabel('Passphrase for the file', { exact: true }).fill(kdbxPassphrase);
  await dialog.getByLabel('Repeat the passphrase', { exact: true }).fill(`${kdbxPassphrase}x`);
  await expect(dialog.getByText('The two passphrases are not the same.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Export' })).toBeDisabled();
  await dialog.getByLabel('Repeat the passphrase', { exact: true }).fill(kdbxPassphrase);
  await expect(dialog.getByRole('meter', { name: 'Passphrase strength' })).toBeVisible();
  await snap(page, testInfo, 'export-kdbx');
  const kdbxDownload = page.waitForEvent('download', { timeout: 120_000 });
  await dialog.getByRole('button', { name: 'Export' }).click();
  const kdbx = await kdbxDownload;
  expect(kdbx.suggestedFilename()).toBe(`${vaultName}.kdbx`);
  // Argon2 ran in its own Worker, off the page.
  expect(workers.some((url) => /argon2-worker/.test(url))).toBe(true);
  await expect(dialog.getByRole('status')).toContainText(`Exported 2 entries to ${vaultName}.kdbx`);
  // The passphrase is not kept in the dialog once the file is made.
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The file in the download folder: no canary, vault name or passphrase in any form.
  const bytes = await readFile((await kdbx.path())!);
  const asText = [bytes.toString('latin1'), bytes.toString('hex'), bytes.toString('base64')].join(
    '\n',
  );
  for (const canary of [...Object.values(canaries), kdbxPassphrase, vaultName, 'API_TOKEN']) {
    for (const form of atRestForms(canary)) expect(asText, canary).not.toContain(form);
  }
  const db = await kdbxweb.Kdbx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(kdbxPassphrase)),
  );
  expect(db.header.versionMajor).toBe(4);
  expect((db.header.kdfParameters!.get('M') as kdbxwebModule.Int64).value).toBe(64 * 1024 * 1024);
  const entries = new Map(
    [...db.getDefaultGroup().allEntries()].map((entry) => [
      entry.fields.get('Title') as string,
      entry,
    ]),
  );
  expect([...entries.keys()].sort()).toEqual(['API_TOKEN', 'config']);
  const value = (title: string) =>
    JSON.parse(
      (entries.get(title)!.fields.get('coffer.value') as kdbxwebModule.ProtectedValue).getText(),
    );
  expect(value('API_TOKEN')).toBe(canaries.secret);
  expect(value('config')).toEqual({ note: canaries.item });
  expect(await db.saveXml()).not.toContain(canaries.writeOnly);

  // The canary sweep: nothing the app keeps at rest holds a value, after both exports.
  const atRest = await dumpStorage(page);
  for (const canary of [...Object.values(canaries), kdbxPassphrase]) {
    for (const form of atRestForms(canary)) expect(atRest, canary).not.toContain(form);
  }
  expect(csp).toEqual([]);
  expect(workerCsp).toEqual([]);
});
