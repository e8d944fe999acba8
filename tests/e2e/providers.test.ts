/**
 * Provider sync end to end (issue 16), in real Chromium against the loopback doubles of
 * HashiCorp Vault and AWS Secrets Manager (tests/support), which are on another origin than the
 * app, so every call meets real CORS:
 * - Settings → Providers: Test connection tells CORS apart from a server that is down and shows
 *   the operator's exact `sys/config/cors` call with this page's origin; once allowed, it
 *   connects; a namespace goes in the path, so `X-Vault-Namespace` need not be allowed.
 * - A vault links to a path and pushes its entries with their exact JSON values; a save pushes;
 *   a concurrent writer's change is merged, not overwritten; a key changed on both sides is a
 *   conflict the dialog lists, the remote keeping its value until "Keep mine".
 * - AWS: Pull All makes a vault per secret (progress bar), values exact; memory-only vaults leave
 *   no canary at rest; a soft delete is restorable.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { type AwsDouble, defaultAwsCredentials, startAwsDouble } from '../support/aws-double';
import { type HashicorpDouble, startHashicorpDouble } from '../support/hashicorp-double';
import {
  addItem,
  addSecret,
  createProfile,
  createVault,
  dumpStorage,
  seriousAxeViolations,
  snap,
  unlock,
  watchCsp,
} from './support';

let vault: HashicorpDouble;
let aws: AwsDouble;
test.beforeAll(async () => {
  vault = await startHashicorpDouble({ cors: { enabled: false } });
  aws = await startAwsDouble();
});
test.afterAll(async () => {
  await vault.close();
  await aws.close();
});

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Providers', level: 3 })).toBeVisible();
  return page.getByRole('region', { name: 'Providers' });
}

async function openProviderDialog(page: Page) {
  await page.getByRole('button', { name: /^Provider/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Sync with a provider' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('HashiCorp Vault: CORS explained, link and push exact values, saves push, a concurrent change merged, a conflict shown and resolved', async ({
  page,
  app,
}, testInfo) => {
  test.setTimeout(180_000);
  const csp = await watchCsp(page);
  const origin = new URL(app.url).origin;
  await createProfile(page, app.url);

  // Settings → Providers, with CORS off at the server.
  const providers = await openSettings(page);
  await providers.getByLabel('Address').fill(vault.url);
  await providers.getByLabel('Engine path').fill('secret');
  await providers.getByRole('textbox', { name: 'Token' }).fill(vault.rootToken);
  await providers.getByRole('button', { name: 'Test connection' }).click();
  const result = providers.getByRole('status').filter({ hasText: /CORS|allow/ });
  await expect(result).toContainText('CORS');
  await result.scrollIntoViewIfNeeded();
  await snap(page, testInfo, 'providers-cors');
  // The operator's exact call, with this page's origin and the server's address.
  await expect(providers.getByText(`allowed_origins="${origin}"`).first()).toBeVisible();
  await expect(providers.getByText(`${vault.url}/v1/sys/config/cors`).first()).toBeVisible();
  expect(await page.content()).not.toContain(vault.rootToken);

  // A server that is down is not CORS.
  const down = await startHashicorpDouble();
  const downUrl = down.url;
  await down.close();
  await providers.getByLabel('Address').fill(downUrl);
  await providers.getByRole('button', { name: 'Test connection' }).click();
  await expect(providers.getByRole('status').filter({ hasText: /answer|reach/i })).toBeVisible();

  // The operator allows this origin: it connects.
  vault.setCors({ enabled: true, allowedOrigins: [origin] });
  await providers.getByLabel('Address').fill(vault.url);
  await providers.getByRole('button', { name: 'Test connection' }).click();
  await expect(providers.getByRole('status').filter({ hasText: 'Connected' })).toContainText(
    'KV v2',
  );

  // A namespace goes in the path: it works though the server does not allow X-Vault-Namespace.
  vault.addMount({ path: 'kv', version: 2, namespace: 'team-a' });
  const namespaced = vault.addToken({
    policy: { '': ['read', 'list', 'create', 'update', 'delete'] },
    namespace: 'team-a',
  });
  await providers.getByLabel('Namespace (optional)').fill('team-a');
  await providers.getByLabel('Engine path').fill('kv');
  await providers.getByRole('textbox', { name: 'Token' }).fill(namespaced);
  await providers.getByRole('button', { name: 'Test connection' }).click();
  await expect(providers.getByRole('status').filter({ hasText: 'Connected' })).toContainText(
    'KV v2',
  );
  expect(vault.requests.some((r) => r.path.startsWith('/v1/team-a/'))).toBe(true);
  expect(vault.requests.some((r) => r.headers.includes('x-vault-namespace'))).toBe(false);
  await providers.getByLabel('Namespace (optional)').fill('');
  await providers.getByLabel('Engine path').fill('secret');
  await providers.getByRole('textbox', { name: 'Token' }).fill(vault.rootToken);
  await providers.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(providers.getByText('Saved').first()).toBeVisible();
  expect(await page.content()).not.toContain(vault.rootToken);
  expect(await seriousAxeViolations(page, 'settings with providers')).toEqual([]);

  // A vault with a secret, a JSON item and a number: linked, pushed as exact JSON.
  await createVault(page, 'Payments API');
  await addSecret(page, 'DB_PASSWORD', 'hunter2-payments');
  await addItem(page, 'CONFIG', '{"retries": 3, "hosts": ["a", "b"], "tls": true, "proxy": null}');
  await addItem(page, 'PORT', '8443');
  const dialog = await openProviderDialog(page);
  await expect(dialog).toContainText('default');
  await expect(dialog.getByLabel('Remote path')).toHaveValue('payments-api');
  // The first push fails (the server is sealed): the link stays off and says why.
  vault.fail({ status: 503, path: 'payments-api', count: 10 });
  await dialog.getByRole('switch', { name: 'Sync this vault' }).click();
  await expect(dialog.getByRole('alert').first()).toBeVisible();
  await expect(dialog.getByRole('switch', { name: 'Sync this vault' })).not.toBeChecked();
  expect(vault.readDirect('secret', 'payments-api')).toBeUndefined();
  vault.clearFaults();
  // The switch shows the link, not the click: it turns on once the link exists.
  await dialog.getByRole('switch', { name: 'Sync this vault' }).click();
  await expect(dialog.getByRole('switch', { name: 'Sync this vault' })).toBeChecked();
  await expect
    .poll(() => vault.readDirect('secret', 'payments-api')?.values)
    .toEqual({
      DB_PASSWORD: 'hunter2-payments',
      CONFIG: { retries: 3, hosts: ['a', 'b'], tls: true, proxy: null },
      PORT: 8443,
    });
  expect(await seriousAxeViolations(page, 'provider dialog')).toEqual([]);
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  // A save pushes.
  await addSecret(page, 'NEW_KEY', 'added-after-link');
  await expect
    .poll(() => vault.readDirect('secret', 'payments-api')?.values.NEW_KEY)
    .toBe('added-after-link');

  // A concurrent writer changes PORT at the remote; a local save of another key merges it.
  const remote = vault.readDirect('secret', 'payments-api');
  vault.writeDirect('secret', 'payments-api', { ...remote?.values, PORT: 9000 });
  await addSecret(page, 'SECOND_KEY', 'second');
  await expect
    .poll(() => vault.readDirect('secret', 'payments-api')?.values)
    .toMatchObject({ PORT: 9000, SECOND_KEY: 'second', NEW_KEY: 'added-after-link' });
  const pulled = await openProviderDialog(page);
  await pulled.getByRole('button', { name: 'Pull' }).click();
  await pulled.getByRole('button', { name: 'Close' }).last().click();
  await page.getByRole('button', { name: 'PORT' }).first().click();
  await expect(page.getByText('9000').first()).toBeVisible();
  await page.getByRole('button', { name: 'Back to entries' }).click();

  // Both sides change DB_PASSWORD: a conflict, the remote keeps its value until "Keep mine".
  const conflicts = await openProviderDialog(page);
  // Without automatic pushes, the local edit waits for Push: the remote's change is unseen.
  const automatic = conflicts.getByRole('checkbox', { name: 'Sync automatically' });
  await automatic.click();
  await expect(automatic).not.toBeChecked();
  await conflicts.getByRole('button', { name: 'Close' }).last().click();
  const before = vault.readDirect('secret', 'payments-api');
  vault.writeDirect('secret', 'payments-api', {
    ...before?.values,
    DB_PASSWORD: 'changed-at-the-remote',
  });
  await page.getByRole('button', { name: 'DB_PASSWORD' }).first().click();
  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: /Edit/ });
  await edit.getByRole('textbox', { name: 'Secret value' }).fill('changed-here');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Back to entries' }).click();
  const review = await openProviderDialog(page);
  await review.getByRole('button', { name: 'Push' }).click();
  await expect(review.getByRole('heading', { name: /changed on both sides/ })).toBeVisible();
  await expect(review).toContainText('DB_PASSWORD');
  await review.getByRole('heading', { name: /changed on both sides/ }).scrollIntoViewIfNeeded();
  await snap(page, testInfo, 'provider-conflict');
  expect(vault.readDirect('secret', 'payments-api')?.values.DB_PASSWORD).toBe(
    'changed-at-the-remote',
  );
  // Values stay masked in the review.
  expect(await page.content()).not.toContain('changed-here');
  await review.getByRole('radio', { name: /Keep mine/ }).check();
  await review.getByRole('button', { name: /Apply/ }).click();
  await expect
    .poll(() => vault.readDirect('secret', 'payments-api')?.values.DB_PASSWORD)
    .toBe('changed-here');
  await expect(review.getByRole('heading', { name: /changed on both sides/ })).toBeHidden();

  // Migrate: copied, checked, switched, the old path soft-deleted (restorable).
  await review.getByLabel('New remote path').fill('payments-v2');
  await review.getByRole('button', { name: 'Migrate' }).click();
  await expect
    .poll(() => vault.readDirect('secret', 'payments-v2')?.values.DB_PASSWORD)
    .toBe('changed-here');
  await expect.poll(() => vault.readDirect('secret', 'payments-api')?.deleted).toBe(true);

  // Destroy asks for the path typed back.
  await review.getByRole('button', { name: 'Destroy the remote secret permanently' }).click();
  const destroy = review.getByRole('button', { name: 'Destroy permanently' });
  await expect(destroy).toBeDisabled();
  await review.getByRole('textbox', { name: /payments-v2|Type/ }).fill('payments-v2');
  await destroy.click();
  await expect.poll(() => vault.readDirect('secret', 'payments-v2')).toBeUndefined();
  await review.getByRole('button', { name: 'Close' }).last().click();

  // Pulls and pushes are in the vault's audit log, without values.
  await page.getByRole('button', { name: 'Audit log' }).click();
  const audit = page.getByRole('dialog', { name: /Audit log/ });
  const rows = audit.getByRole('row');
  await expect(rows.filter({ hasText: 'Pushed to the provider' }).first()).toContainText(
    'payments-api',
  );
  await expect(rows.filter({ hasText: 'Pulled from the provider' }).first()).toBeVisible();
  await expect(audit).not.toContainText('hunter2-payments');
  expect(csp).toEqual([]);
});

test('AWS Secrets Manager: Pull All makes a vault per secret with exact values; memory only leaves nothing at rest; a soft delete is restorable', async ({
  page,
  app,
}) => {
  test.setTimeout(180_000);
  const origin = new URL(app.url).origin;
  aws.setCors({ origin });
  const canary = 'CANARY-memory-only-7f3a9c';
  for (let i = 0; i < 12; i++) {
    aws.putDirect(`team/app-${String(i).padStart(2, '0')}`, {
      API_KEY: `key-${i}`,
      LIMITS: { rps: i, burst: [1, 2] },
      ENABLED: i % 2 === 0,
    });
  }
  aws.putDirect('memory-vault', { TOKEN: canary });
  await createProfile(page, app.url);
  const providers = await openSettings(page);
  await providers.getByRole('radio', { name: 'AWS Secrets Manager' }).check();
  await providers.getByLabel('Region').fill(aws.region);
  await providers.getByLabel('Endpoint override (optional)').fill(aws.url);
  await providers.getByLabel('Access key ID').fill(defaultAwsCredentials.accessKeyId);
  await providers.getByLabel('Secret access key').fill(defaultAwsCredentials.secretAccessKey);
  await providers.getByRole('button', { name: 'Test connection' }).click();
  await expect(providers.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  await providers.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(providers.getByText('Saved').first()).toBeVisible();

  // Pull All, values in memory only: a vault per secret, with a progress bar on the way.
  await providers.getByLabel('Keep values in memory only').check();
  await providers.getByRole('button', { name: 'Pull All' }).click();
  await expect(
    providers.getByRole('status').filter({ hasText: /13 vaults? created|created 13/ }),
  ).toBeVisible({ timeout: 30_000 });
  const sidebar = page.getByRole('navigation', { name: 'Vaults' });
  await expect(sidebar.getByRole('button', { name: /team\/app-00/ })).toBeVisible();
  await sidebar.getByRole('button', { name: /team\/app-03/ }).click();
  await page.getByRole('button', { name: 'LIMITS' }).first().click();
  // A key new from the remote is a masked secret: shown on request, as the exact JSON.
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page.getByText('"rps"').first()).toBeVisible();
  await page.getByRole('button', { name: 'Back to entries' }).click();
  // Pull All's first pull is in the new vault's audit log.
  await page.getByRole('button', { name: 'Audit log' }).click();
  const audit = page.getByRole('dialog', { name: /Audit log/ });
  await expect(
    audit.getByRole('row').filter({ hasText: 'Pulled from the provider' }).first(),
  ).toContainText('team/app-03');
  await audit.getByRole('button', { name: 'Close' }).last().click();

  // Memory only: the canary value is in the open vault but nowhere at rest.
  await sidebar.getByRole('button', { name: 'memory-vault' }).click();
  await expect(page.getByRole('button', { name: 'TOKEN' }).first()).toBeVisible();
  const atRest = await dumpStorage(page);
  expect(atRest).not.toContain(canary);
  expect(atRest).not.toContain(defaultAwsCredentials.secretAccessKey);

  // Memory only survives a lock as names and a link: after unlock the values are pulled again.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await unlock(page);
  await sidebar.getByRole('button', { name: 'memory-vault' }).click();
  await page.getByRole('button', { name: 'TOKEN' }).first().click();
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page.getByText(canary)).toBeVisible();
  await page.getByRole('button', { name: 'Back to entries' }).click();
  expect(await dumpStorage(page)).not.toContain(canary);

  // Soft delete of the remote secret, then restore.
  const dialog = await openProviderDialog(page);
  await dialog.getByRole('button', { name: /Delete the remote secret/ }).click();
  await dialog
    .getByRole('button', { name: /^Delete/ })
    .last()
    .click();
  await expect.poll(() => aws.secret('memory-vault')?.deletedDate).toBeDefined();
  await dialog.getByRole('button', { name: /Restore/ }).click();
  await expect.poll(() => aws.secret('memory-vault')?.deletedDate).toBeUndefined();
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  // A first link where both sides have keys asks, and keeps the union.
  aws.putDirect('shop', { SHARED: 'remote', ONLY_REMOTE: 'r' });
  await createVault(page, 'shop');
  await addItem(page, 'SHARED', '"local"');
  await addItem(page, 'ONLY_LOCAL', '"l"');
  const shop = await openProviderDialog(page);
  await expect(shop).toContainText("uses the profile's default provider");
  await shop.getByRole('switch', { name: 'Sync this vault' }).click();
  await expect(shop.getByRole('heading', { name: /have keys/ })).toBeVisible();
  expect(aws.secret('shop')?.currentValues).toEqual({ SHARED: 'remote', ONLY_REMOTE: 'r' });
  await shop.getByRole('button', { name: "Keep this vault's values" }).click();
  await expect
    .poll(() => aws.secret('shop')?.currentValues)
    .toEqual({ SHARED: 'local', ONLY_REMOTE: 'r', ONLY_LOCAL: 'l' });
  await shop.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByRole('button', { name: 'ONLY_REMOTE' }).first()).toBeVisible();
});
