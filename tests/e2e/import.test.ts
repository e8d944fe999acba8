/**
 * Importing into a vault: a .env with clashes (one overwritten, one skipped) and a CSV with a
 * column mapping, each previewed before anything is written; a bad file shows its line and
 * writes nothing. Nothing at rest holds an imported value afterwards (canary sweep).
 */
import { expect, test } from '../fixtures';
import {
  addSecret,
  atRestForms,
  createProfile,
  createVault,
  dumpStorage,
  snap,
  vaultActions,
  watchCsp,
} from './support';

const canaries = {
  kept: 'CANARY-import-kept-e2e-5a1c',
  fresh: 'CANARY-import-new-e2e-7d20',
  skipped: 'CANARY-import-skipped-e2e-91fe',
  replaced: 'CANARY-import-replaced-e2e-0b3d',
  csv: 'CANARY-import-csv-e2e-c4a8',
  bad: 'CANARY-import-bad-e2e-e6f7',
};

const file = (name: string, text: string) => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.from(text, 'utf8'),
});

test('import a .env with clashes and a mapped CSV; a bad file names its line and writes nothing', async ({
  page,
  app,
}, testInfo) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await createVault(page, 'import-e2e');
  await addSecret(page, 'KEEP', canaries.kept);
  await addSecret(page, 'REPLACE', 'old-value');
  const openImport = async () => {
    await (await vaultActions(page)).getByRole('button', { name: 'Import…' }).click();
    return page.getByRole('dialog', { name: 'Import into import-e2e' });
  };

  // A .env: preview first (nothing written), then one clash skipped and one overwritten.
  let dialog = await openImport();
  await dialog
    .getByLabel('File')
    .setInputFiles(
      file(
        'prod.env',
        `NEW_TOKEN=${canaries.fresh}\nKEEP=${canaries.skipped}\nREPLACE="${canaries.replaced}"\n`,
      ),
    );
  await expect(dialog.getByLabel('Format')).toHaveValue('dotenv');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const preview = dialog.getByRole('region', { name: 'Import preview' });
  await expect(
    preview.getByText('3 entries in the file: 1 new, 2 already in the vault, 0 refused.'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'NEW_TOKEN', exact: true })).toHaveCount(0);
  await preview.getByLabel('What to do with KEEP').selectOption('skip');
  await preview.getByLabel('What to do with REPLACE').selectOption('overwrite');
  await snap(page, testInfo, 'import-preview');
  await dialog.getByRole('button', { name: 'Import 2 entries' }).click();
  await expect(dialog.getByText('Imported: 1 new, 1 overwritten, 1 skipped.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'NEW_TOKEN', exact: true })).toBeVisible();

  // A CSV: the header's columns are offered for the mapping.
  dialog = await openImport();
  await dialog
    .getByLabel('File')
    .setInputFiles(file('keys.csv', `note,key,value\r\nfrom ops,CSV_KEY,"${canaries.csv}"\r\n`));
  await expect(dialog.getByLabel('Format')).toHaveValue('csv');
  await dialog.getByLabel('Name column').selectOption({ label: 'key' });
  await dialog.getByLabel('Value column').selectOption({ label: 'value' });
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(
    dialog.getByText('1 entry in the file: 1 new, 0 already in the vault, 0 refused.'),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Import 1 entry' }).click();
  await expect(dialog.getByText('Imported: 1 new, 0 overwritten, 0 skipped.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('button', { name: 'CSV_KEY', exact: true })).toBeVisible();

  // A bad file: the line and what is wrong, never the value; nothing written.
  const before = await page
    .getByRole('button', { name: /^(KEEP|REPLACE|NEW_TOKEN|CSV_KEY|BAD)$/ })
    .count();
  dialog = await openImport();
  await dialog.getByLabel('File').setInputFiles(file('bad.env', `BAD=1\nWORSE="${canaries.bad}\n`));
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('line 2');
  await expect(alert).toContainText('never closed');
  await expect(alert).toContainText('Nothing was imported');
  await expect(alert).not.toContainText(canaries.bad);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(
    await page.getByRole('button', { name: /^(KEEP|REPLACE|NEW_TOKEN|CSV_KEY|BAD)$/ }).count(),
  ).toBe(before);
  await expect(page.getByRole('button', { name: 'BAD', exact: true })).toHaveCount(0);

  // Canary sweep: no imported value (nor the refused file's) is readable at rest.
  const atRest = await dumpStorage(page);
  for (const canary of Object.values(canaries)) {
    for (const form of atRestForms(canary)) expect(atRest, canary).not.toContain(form);
  }
  expect(csp).toEqual([]);
});
