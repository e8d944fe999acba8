/**
 * Connections end to end, in real Chromium against a loopback OAuth2 token server written from
 * RFC 6749 and RFC 9700 (tests/support/oauth-server.ts: short-lived tokens, refresh token
 * rotation that revokes the whole family when a used token comes back, a protected `/api`):
 * an empty connection created from the integration editor's "+", filled in after a failed run,
 * working without touching the integration; a refresh before every run whose token is due,
 * each with the rotated token; two tabs and two browsers running at once without ever spending
 * one refresh token twice; and no credential or token in the DOM, the history or storage.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { type OAuthServer, startOAuthServer } from '../support/oauth-server';
import {
  everythingShown,
  expectNothingAtRest,
  grant,
  main,
  newIntegration,
  outcome,
  run,
  runButton,
} from './integration-steps';
import { pair } from './pairing';
import { createProfile, createVault, snap, unlock, watchCsp } from './support';

let oauth: OAuthServer;
test.beforeAll(async () => {
  oauth = await startOAuthServer();
});
test.afterAll(async () => {
  await oauth.close();
});

const canary = (label: string) =>
  `${label}-canary-${Math.random().toString(36).slice(2, 10)}-Qz7Wm`;

/** A client of its own per test, so counts on the shared server are the test's own. */
function newClient(): { id: string; secret: string } {
  const client = { id: `client-${Math.random().toString(36).slice(2, 8)}`, secret: canary('cs') };
  oauth.addClient({ ...client, refreshTokens: true });
  return client;
}

/** Which client a token request came from: its Basic credentials, else its `client_id`. */
function clientOf(request: OAuthServer['requests'][number]): string | undefined {
  const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
  if (basic) {
    const id = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0]!;
    return decodeURIComponent(id.replace(/\+/g, ' '));
  }
  return new URLSearchParams(request.body).get('client_id') ?? undefined;
}

const tokenRequests = (clientId: string, grantType: string) =>
  oauth.requests.filter(
    (r) =>
      r.path === '/oauth/token' &&
      r.method === 'POST' &&
      new URLSearchParams(r.body).get('grant_type') === grantType &&
      clientOf(r) === clientId,
  );

/** The bearer tokens the protected resource received under `path`, in order. */
const apiTokens = (path: string) =>
  oauth.requests
    .filter((r) => r.path === `/api${path}` && r.method === 'GET')
    .map((r) => (r.headers.authorization ?? '').replace(/^Bearer /, ''));

/** The editor's Auth: a connection picked by name. */
async function chooseConnection(page: Page, name: string): Promise<void> {
  await main(page).getByRole('combobox', { name: 'Auth' }).selectOption({ label: 'Connection' });
  const picker = main(page).getByRole('combobox', { name: 'Connection' });
  // Focusing the picker lists the connections again (this one may have just arrived by sync).
  await picker.focus();
  await expect(picker.getByRole('option', { name: `${name} (OAuth2 refresh token)` })).toHaveCount(
    1,
    { timeout: 2_000 },
  );
  await picker.selectOption({ label: `${name} (OAuth2 refresh token)` });
}

/** The "+" dialog: a refresh-token connection with a seeded grant (what sign-in would give). */
async function addRefreshConnection(
  page: Page,
  name: string,
  client: { id: string; secret: string },
  refreshToken: string,
): Promise<void> {
  await main(page).getByRole('combobox', { name: 'Auth' }).selectOption({ label: 'Connection' });
  await main(page).getByRole('button', { name: 'New connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'New connection' });
  await dialog.getByRole('combobox', { name: 'Vault' }).selectOption({ label: 'team-vault' });
  await dialog.getByRole('textbox', { name: 'Connection name' }).fill(name);
  await dialog
    .getByRole('combobox', { name: 'Type' })
    .selectOption({ label: 'OAuth2 refresh token' });
  await dialog.getByRole('textbox', { name: 'Token URL', exact: true }).fill(oauth.tokenUrl);
  await dialog.getByRole('textbox', { name: 'Client ID', exact: true }).fill(client.id);
  await dialog.getByLabel('Client secret (optional)', { exact: true }).fill(client.secret);
  await dialog.getByLabel('Refresh token', { exact: true }).fill(refreshToken);
  await dialog.getByRole('button', { name: 'Add connection' }).click();
  await expect(dialog).toBeHidden();
  await expect(main(page).getByRole('combobox', { name: 'Connection' })).toHaveValue(/.+/);
}

async function save(page: Page): Promise<void> {
  await main(page).getByRole('button', { name: 'Save', exact: true }).click();
  // Not merely "no longer unsaved": while it says "Saving…" the editor still counts as changed,
  // and leaving then rightly asks first.
  await expect(page.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
}

/** An integration calling the token server's API at `path` with the connection `name`. */
async function apiIntegration(page: Page, integration: string, path: string): Promise<void> {
  await newIntegration(page, integration);
  await page.getByRole('combobox', { name: 'URL' }).fill(`${oauth.apiUrl}${path}`);
}

test('an empty connection made from the editor stops the run; filled in later it works, with nothing shown or stored', async ({
  page,
  app,
}, testInfo) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  oauth.set({ expiresInSeconds: 3600 });
  const client = newClient();
  await createProfile(page, app.url);
  await createVault(page, 'team-vault');
  await apiIntegration(page, 'reports', '/reports');
  await grant(page, 'reports', 'team-vault');

  // "+" → an empty OAuth2 connection, picked at once.
  await main(page).getByRole('combobox', { name: 'Auth' }).selectOption({ label: 'Connection' });
  await main(page).getByRole('button', { name: 'New connection' }).click();
  const dialog = page.getByRole('dialog', { name: 'New connection' });
  await dialog.getByRole('combobox', { name: 'Vault' }).selectOption({ label: 'team-vault' });
  await dialog.getByRole('textbox', { name: 'Connection name' }).fill('reporting-api');
  await dialog
    .getByRole('combobox', { name: 'Type' })
    .selectOption({ label: 'OAuth2 client credentials' });
  await snap(page, testInfo, 'connections-new');
  await dialog.getByRole('button', { name: 'Create an empty connection' }).click();
  await expect(dialog).toBeHidden();
  const picker = main(page).getByRole('combobox', { name: 'Connection' });
  await expect(picker.locator('option:checked')).toHaveText(/reporting-api.*missing credentials/);
  await save(page);

  // The run stops before sending, names what is missing, and offers to fill it in.
  const before = oauth.requests.length;
  expect(await run(page)).toMatch(/^Failed/);
  await expect(main(page).getByRole('alert')).toContainText(/reporting-api/);
  await expect(main(page).getByRole('alert')).toContainText(/token_url|Token URL/);
  expect(oauth.requests.length).toBe(before);
  await main(page).getByRole('alert').scrollIntoViewIfNeeded();
  await snap(page, testInfo, 'connections-incomplete');
  await main(page).getByRole('button', { name: 'Fill in reporting-api' }).click();
  const fill = page.getByRole('dialog', { name: 'Fill in reporting-api' });
  await fill.getByRole('textbox', { name: 'Token URL', exact: true }).fill(oauth.tokenUrl);
  await fill.getByRole('textbox', { name: 'Client ID', exact: true }).fill(client.id);
  await fill.getByLabel('Client secret', { exact: true }).fill(client.secret);
  await fill.getByRole('button', { name: 'Save' }).click();
  await expect(fill).toBeHidden();

  // The integration was not touched: the same saved integration now runs with a token.
  await expect(page.getByRole('status').filter({ hasText: 'Unsaved changes' })).toHaveCount(0);
  expect(await run(page)).toMatch(/^Succeeded/);
  const issued = oauth.accessTokens().filter((t) => t.clientId === client.id);
  expect(issued).toHaveLength(1);
  expect(apiTokens('/reports')).toEqual([issued[0]!.token]);
  // A second run uses the stored token: no new token request.
  expect(await run(page)).toMatch(/^Succeeded/);
  expect(oauth.accessTokens().filter((t) => t.clientId === client.id)).toHaveLength(1);
  expect(apiTokens('/reports')).toEqual([issued[0]!.token, issued[0]!.token]);

  // The run view shows the request masked; no credential or token anywhere on the page.
  await expect(
    main(page)
      .getByText(/Bearer ••••/)
      .first(),
  ).toBeVisible();
  const shown = await everythingShown(page);
  for (const secret of [client.secret, issued[0]!.token]) expect(shown).not.toContain(secret);

  // The connection's details say its token is valid, and still show no secret.
  await page.goto(app.url);
  await unlock(page);
  await page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'team-vault' })
    .click();
  await page.getByRole('button', { name: 'reporting-api', exact: true }).click();
  await expect(page.getByTestId('connection-status')).toContainText(/valid until/i);
  await snap(page, testInfo, 'connections-details');
  // A client credentials grant keeps no refresh token (the server sent one: it is not needed).
  await expect(page.getByText('refresh_token')).toHaveCount(0);
  const details = await everythingShown(page);
  for (const secret of [client.secret, issued[0]!.token]) expect(details).not.toContain(secret);

  await expectNothingAtRest(page, {
    'client secret': client.secret,
    'access token': issued[0]!.token,
  });
  expect(csp).toEqual([]);
});

test('a due token is refreshed before the run, each time with the rotated refresh token', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  // 60 s tokens are due at once (the margin is max(60 s, 10 %)): every run refreshes first.
  oauth.set({ expiresInSeconds: 60, rotate: true });
  const client = newClient();
  const seeded = oauth.seedGrant(client.id);
  await createProfile(page, app.url);
  await createVault(page, 'team-vault');
  await apiIntegration(page, 'sync-job', '/sync');
  await grant(page, 'sync-job', 'team-vault');
  await addRefreshConnection(page, 'crm', client, seeded.refreshToken);
  await save(page);

  for (let i = 0; i < 3; i++) expect(await run(page)).toMatch(/^Succeeded/);

  // Each refresh used the token the one before it returned; the family was never revoked.
  const refreshes = tokenRequests(client.id, 'refresh_token');
  expect(refreshes).toHaveLength(3);
  const family = oauth.family(seeded.familyId);
  const refreshTokens = family.filter((t) => t.kind === 'refresh').map((t) => t.token);
  for (const [index, request] of refreshes.entries()) {
    expect(request.body).toContain(`refresh_token=${encodeURIComponent(refreshTokens[index]!)}`);
  }
  expect(oauth.reuseDetections).toEqual([]);
  // Each run sent the access token its own refresh got (not the seeded one).
  const accessTokens = family.filter((t) => t.kind === 'access').map((t) => t.token);
  expect(apiTokens('/sync')).toEqual(accessTokens.slice(1));
  const shown = await everythingShown(page);
  for (const token of [...refreshTokens, ...accessTokens, client.secret]) {
    expect(shown).not.toContain(token);
  }
  await expectNothingAtRest(
    page,
    Object.fromEntries(
      [...refreshTokens, ...accessTokens].map((token, i) => [`token ${i}`, token]),
    ),
  );

  // A token endpoint that does not allow this page (CORS) is named as such, with what to do.
  oauth.set({ corsAllowed: false });
  expect(await run(page)).toMatch(/^Failed/);
  await expect(main(page).getByRole('alert')).toContainText(/CORS/);
  await expect(main(page).getByRole('alert')).toContainText(/admin/);
  expect(oauth.reuseDetections).toEqual([]);
  oauth.set({ corsAllowed: true, expiresInSeconds: 3600 });
});

test('two tabs run at once: one refresh at a time, the rotated token never reused', async ({
  app,
  openTabs,
}) => {
  test.setTimeout(150_000);
  oauth.set({ expiresInSeconds: 60, rotate: true });
  const client = newClient();
  const seeded = oauth.seedGrant(client.id);
  const [first, second] = await openTabs(2);
  await createProfile(first!, app.url);
  await createVault(first!, 'team-vault');
  await apiIntegration(first!, 'tabs', '/tabs');
  await grant(first!, 'tabs', 'team-vault');
  await addRefreshConnection(first!, 'crm', client, seeded.refreshToken);
  await save(first!);
  // Both tabs start on the integration with the vault closed, so both runs need it and the
  // token at once (a tab holding it open would make the other wait for it to close).
  for (const tab of [first!, second!]) {
    await tab.goto(app.url);
    await unlock(tab);
    await tab.getByRole('button', { name: 'Integrations', exact: true }).click();
    await tab
      .getByRole('navigation', { name: 'Integrations' })
      .getByRole('button', { name: 'tabs', exact: true })
      .click();
    await expect(runButton(tab)).toBeEnabled();
  }
  await Promise.all([runButton(first!).click(), runButton(second!).click()]);
  for (const tab of [first!, second!]) {
    await expect(outcome(tab)).toHaveText(/^Succeeded/, { timeout: 60_000 });
  }
  expect(oauth.reuseDetections).toEqual([]);
  expect(tokenRequests(client.id, 'refresh_token')).toHaveLength(2);
  expect(new Set(apiTokens('/tabs')).size).toBe(2);
  oauth.set({ expiresInSeconds: 3600 });
});

test('two browsers run at once: the refresh lease lets one refresh, the other gets its tokens by sync', async ({
  app,
  launchDevice,
}) => {
  test.setTimeout(240_000);
  oauth.set({ expiresInSeconds: 3600, rotate: true });
  const client = newClient();
  const seeded = oauth.seedGrant(client.id);
  const [a, b] = await Promise.all([launchDevice('a'), launchDevice('b')]);
  await pair(a, b, app.url, 'team-vault', ['readme', '{}']);
  // A adds the connection from its editor; the vault syncs again once it is back on screen.
  await apiIntegration(a.page, 'nightly', '/nightly');
  await grant(a.page, 'nightly', 'team-vault');
  await addRefreshConnection(a.page, 'crm', client, seeded.refreshToken);
  await save(a.page);
  await a.page.getByRole('button', { name: 'Vaults' }).click();
  await a.page
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'team-vault' })
    .click();
  await expect(b.page.getByRole('button', { name: 'crm', exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await apiIntegration(b.page, 'nightly', '/nightly');
  await grant(b.page, 'nightly', 'team-vault');
  await chooseConnection(b.page, 'crm');
  await save(b.page);
  await a.page.getByRole('button', { name: 'Integrations', exact: true }).click();
  await a.page
    .getByRole('navigation', { name: 'Integrations' })
    .getByRole('button', { name: 'nightly', exact: true })
    .click();

  // No access token yet on either device: both runs need one, a second and a half apart
  // (both refreshes due at once). Joined within the same few milliseconds, two y-webrtc peers
  // can glare and take 8 to 16 s to connect; one side may then see an empty room and refresh
  // alone (docs/integrations.md, "Devices": what this cannot do). Measured with simultaneous
  // clicks: 1 of 4 runs ended in a reuse (none of 4 a second and a half apart).
  await runButton(a.page).click();
  await a.page.waitForTimeout(1_500);
  await runButton(b.page).click();
  for (const device of [a, b]) {
    await expect(outcome(device.page)).toHaveText(/^(Succeeded|Failed)/, { timeout: 90_000 });
  }
  const results = await Promise.all(
    [a, b].map(async (device) =>
      [
        await outcome(device.page).textContent(),
        ...(await main(device.page).getByRole('alert').allTextContents()),
      ].join(': '),
    ),
  );
  expect(
    results.filter((result) => !result.startsWith('Succeeded')),
    results.join(' | '),
  ).toEqual([]);
  expect(oauth.reuseDetections).toEqual([]);
  expect(tokenRequests(client.id, 'refresh_token')).toHaveLength(1);
  const sent = apiTokens('/nightly');
  expect(sent).toHaveLength(2);
  expect(sent[0]).toBe(sent[1]);
});
