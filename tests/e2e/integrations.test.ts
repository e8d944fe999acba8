/**
 * Integrations end to end, in real Chromium against a real loopback HTTP server that records
 * what it gets (tests/support/http-recorder.ts): a new user's first integration with a
 * write-only secret in the URL, a header and a JSON body (granted from the editor's own
 * "Vault permissions" link), the secret reaching the server intact and nowhere else (not in the
 * DOM, not at rest); the seed hook example with debug output and kept values; hostile hooks
 * stopped by the time limit while the page stays responsive; CORS and unreachable servers
 * told apart; one opener across tabs (wait, go on, cancel); no CSP violation and no serious
 * axe finding. Written against accessible names.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { type HttpRecorder, startHttpRecorder } from '../support/http-recorder';
import {
  everythingShown,
  expectNothingAtRest,
  grant,
  integrationsNav,
  main,
  newIntegration,
  outcome,
  run,
  runButton,
  saveGrantForm,
} from './integration-steps';
import {
  addItem,
  addSecret,
  createProfile,
  createVault,
  seriousAxeViolations,
  unlock,
  watchCsp,
  watchWorkerCsp,
} from './support';

let recorder: HttpRecorder;
test.beforeAll(async () => {
  recorder = await startHttpRecorder();
});
test.afterAll(async () => {
  await recorder.close();
});

const MASK = '••••';

const failure = (page: Page) => main(page).getByRole('alert');
/** The problem shown under a field whose reference needs a grant (the only one here). */
const grantProblem = (page: Page) =>
  main(page)
    .getByRole('listitem')
    .filter({ hasText: /may not read vault "my-vault"/ });
const beforeHook = (page: Page) => page.getByRole('textbox', { name: 'Before hook' });
const afterHook = (page: Page) => page.getByRole('textbox', { name: 'After hook' });

/** A profile with `my-vault`: a write-only secret API_KEY and a JSON item my-item. */
async function setUpVault(page: Page, url: string, secret: string, item: string): Promise<void> {
  await createProfile(page, url);
  await createVault(page, 'my-vault');
  await addSecret(page, 'API_KEY', secret, { writeOnly: true });
  await addItem(page, 'my-item', item);
}

test('a new user: a write-only secret in URL, header and JSON body reaches the server and nothing else', async ({
  page,
  app,
}) => {
  test.setTimeout(90_000);
  const csp = await watchCsp(page);
  const secret = `sk-canary-${Math.random().toString(36).slice(2, 10)}-Wq8Zr`;
  const name = 'weather-Hx3Ty';
  const path = '/echo/forecast-Vw3Ry';
  const afterCode = 'keep({ seen: response.status }); // after-hook-Jd8Qe';
  await setUpVault(page, app.url, secret, '{"city":"Oslo"}');
  await newIntegration(page, name);

  // Default vault and a URL that uses the secret: no grant yet, so the editor says so at the
  // URL, with the way to grant it.
  await page.getByRole('combobox', { name: 'Default vault' }).selectOption({ label: 'my-vault' });
  await page.getByRole('combobox', { name: 'Method' }).selectOption('POST');
  const url = page.getByRole('combobox', { name: 'URL' });
  await url.fill(`${recorder.origin}${path}?k=@{vault.API_KEY}`);
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(url).toHaveAccessibleDescription(/may not read vault "my-vault"/);
  await expect(grantProblem(page)).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'Unsaved changes' })).toBeVisible();
  await grantProblem(page).getByRole('button', { name: 'Vault permissions' }).click();

  // The permissions view, the form prefilled with this integration and vault.
  await expect(main(page).getByRole('heading', { name: 'Vault permissions' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Add permission' });
  await expect(
    form.getByRole('combobox', { name: 'Integration' }).locator('option:checked'),
  ).toHaveText(name);
  await expect(form.getByRole('combobox', { name: 'Vault' }).locator('option:checked')).toHaveText(
    'my-vault',
  );
  await saveGrantForm(page, name, 'my-vault', 'Read');
  await main(page)
    .getByRole('button', { name: `Back to ${name}` })
    .click();
  // Back in the editor: the draft was kept, and the problem is gone.
  await expect(url).toHaveValue(`${recorder.origin}${path}?k=@{vault.API_KEY}`);
  await expect(url).not.toHaveAttribute('aria-invalid', 'true');
  await expect(grantProblem(page)).toHaveCount(0);

  // A header, its value written with the `@{` suggestions.
  await main(page).getByRole('button', { name: 'Add header' }).click();
  await page.getByRole('combobox', { name: 'Header 1 name' }).fill('Authorization');
  const header = page.getByRole('combobox', { name: 'Header 1 value' });
  await header.click();
  await header.pressSequentially('Bearer @{');
  const suggestions = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(suggestions).toBeVisible();
  await suggestions.getByRole('option', { name: /^vault\.\s/ }).click();
  await expect(header).toHaveValue('Bearer @{vault.');
  await expect(header).toBeFocused();
  await header.pressSequentially('API_KEY}');
  await expect(header).toHaveValue('Bearer @{vault.API_KEY}');
  await expect(page.getByRole('checkbox', { name: 'Send header 1' })).toBeChecked();

  // A JSON body, and an after hook.
  await page
    .getByRole('radiogroup', { name: 'Body type' })
    .getByRole('radio', { name: 'JSON' })
    .check();
  await page.getByRole('textbox', { name: 'Body', exact: true }).fill('{"key":"@{vault.API_KEY}"}');
  await afterHook(page).fill(afterCode);
  await main(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();

  const before = recorder.requests.length;
  expect(await run(page)).toMatch(/^Succeeded in .* · HTTP 200 OK$/);
  await expect(failure(page)).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Phases' }).getByRole('listitem')).toHaveText([
    'Checking',
    'Sending',
    'After hook',
    'Saving',
  ]);

  // The server got the secret intact, exactly where it was written.
  const got = recorder.requests.slice(before).filter((request) => request.path === path);
  expect(got).toHaveLength(1);
  const [received] = got;
  expect(received?.method).toBe('POST');
  expect(received?.query).toEqual({ k: secret });
  expect(received?.headers.authorization).toBe(`Bearer ${secret}`);
  expect(received?.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(received?.body ?? 'null')).toEqual({ key: secret });

  // What the page shows of it is masked, and the secret is nowhere in the page.
  const sent = main(page).getByRole('region', { name: 'Request sent' });
  await expect(sent).toContainText(`${path}?k=${MASK}`);
  await expect(sent).toContainText(`Authorization: Bearer ${MASK}`);
  await expect(sent).toContainText(`{"key":"${MASK}"}`);
  const response = main(page).getByRole('region', { name: 'Response' });
  await expect(response).toContainText('200 OK');
  await expect(response).toContainText(MASK);
  expect(await everythingShown(page)).not.toContain(secret);

  // Run it again; History shows both runs, and an opened run shows the masked request.
  expect(await run(page)).toMatch(/^Succeeded/);
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(main(page).getByRole('heading', { name: 'Run history' })).toBeVisible();
  const rows = main(page).getByRole('listitem').getByRole('button', { expanded: false });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Succeeded');
  await expect(rows.first()).toContainText('HTTP 200');
  await rows.first().click();
  const opened = main(page).getByRole('button', { expanded: true });
  await expect(opened).toHaveCount(1);
  await expect(main(page).getByRole('region', { name: 'Request sent' })).toContainText(
    `Authorization: Bearer ${MASK}`,
  );
  expect(await everythingShown(page)).not.toContain(secret);
  expect(recorder.allReceivedText()).toContain(secret);

  // Nothing readable at rest: not the secret, the integration's name, its URL or its hook.
  await expectNothingAtRest(page, {
    secret,
    name,
    path: path.slice('/echo/'.length),
    afterHook: afterCode,
    afterHookMarker: 'after-hook-Jd8Qe',
  });
  expect(csp).toEqual([]);
});

test('`@{` suggestions offer the vault and its entries once the integration may read it', async ({
  page,
  app,
}) => {
  const csp = await watchCsp(page);
  await setUpVault(page, app.url, `sk-suggest-${Date.now()}`, '{}');
  await newIntegration(page, 'suggest');
  await page.getByRole('combobox', { name: 'Default vault' }).selectOption({ label: 'my-vault' });
  // The URL first, as a user writes it; then a header, where the suggestions are used.
  const url = page.getByRole('combobox', { name: 'URL' });
  await url.fill(`${recorder.origin}/echo/suggest?k=@{vault.API_KEY}`);
  await expect(url).toHaveAccessibleDescription(/may not read vault "my-vault"/);
  await main(page).getByRole('button', { name: 'Add header' }).click();
  const header = page.getByRole('combobox', { name: 'Header 1 value' });
  const suggestions = page.getByRole('listbox', { name: 'Suggestions' });
  // No grant: no vault is offered.
  await header.click();
  await header.pressSequentially('@{vaults.');
  await expect(suggestions).toHaveCount(0);
  await header.fill('');

  // Granted from the URL's problem, then back.
  await grantProblem(page).getByRole('button', { name: 'Vault permissions' }).click();
  await saveGrantForm(page, 'suggest', 'my-vault', 'Read');
  await main(page).getByRole('button', { name: 'Back to suggest' }).click();
  await expect(url).not.toHaveAttribute('aria-invalid', 'true');

  await header.click();
  await header.pressSequentially('@{');
  await expect(suggestions.getByRole('option')).toHaveText([/^vault\./, /^vaults\./, /^keep\./]);
  // Keyboard: Enter picks; the default vault's entries follow at once.
  await header.press('Enter');
  await expect(header).toHaveValue('@{vault.');
  await expect(suggestions.getByRole('option')).toHaveText([/^API_KEY/, /^my-item/]);
  await header.press('Enter');
  await expect(header).toHaveValue('@{vault.API_KEY}');
  await expect(suggestions).toHaveCount(0);
  // A named vault, then its entries, filtered by what is typed.
  await header.pressSequentially(' @{vaults.');
  await expect(suggestions.getByRole('option')).toHaveText([/^my-vault/]);
  await suggestions.getByRole('option', { name: /^my-vault/ }).click();
  await header.pressSequentially('my');
  await expect(suggestions.getByRole('option')).toHaveText([/^my-item/]);
  await header.press('Escape');
  await expect(suggestions).toHaveCount(0);
  expect(csp).toEqual([]);
});

test('hooks: the seed example, debug output masked, kept values in the request; axe', async ({
  page,
  app,
}) => {
  test.setTimeout(90_000);
  const csp = await watchCsp(page);
  const workerCsp = watchWorkerCsp(page);
  const secret = `sk-hooks-${Math.random().toString(36).slice(2, 10)}-Lm2Qa`;
  const region = 'eu-north-Pq2Zk';
  const name = 'hooked-Nb6Uw';
  await setUpVault(page, app.url, secret, `{"region":"${region}","port":5432}`);
  await newIntegration(page, name);
  await page.getByRole('combobox', { name: 'Default vault' }).selectOption({ label: 'my-vault' });
  await page.getByRole('combobox', { name: 'URL' }).fill(`${recorder.origin}/echo/hooks`);
  await main(page).getByRole('button', { name: 'Add query parameter' }).click();
  await page.getByRole('combobox', { name: 'Query parameter 1 name' }).fill('region');
  await page
    .getByRole('combobox', { name: 'Query parameter 1 value' })
    .fill('@{keep.my_data.region}');
  const code = [
    "const my_data = await withVault('my-vault', v => v.get('my-item'));",
    `debug(my_data, { label: "Here's what was in the vault" });`,
    'keep({ my_data });',
    "debug(vault.API_KEY, { label: 'key' });",
  ].join('\n');
  await beforeHook(page).fill(code);
  await grant(page, name, 'my-vault');

  expect(await run(page)).toMatch(/^Succeeded .* HTTP 200/);
  await expect(page.getByRole('list', { name: 'Phases' }).getByRole('listitem')).toHaveText([
    'Checking',
    'Before hook',
    'Sending',
    'Saving',
  ]);
  const debug = main(page).getByRole('region', { name: 'Debug output' });
  const lines = debug.getByRole('listitem');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText("Here's what was in the vault");
  await expect(lines.nth(0)).toContainText(region);
  await expect(lines.nth(0)).toContainText('5432');
  await expect(lines.nth(1)).toContainText('key');
  await expect(lines.nth(1)).toContainText(MASK);
  const got = recorder.requests.filter((request) => request.path === '/echo/hooks');
  expect(got.at(-1)?.query).toEqual({ region });
  expect(await everythingShown(page)).not.toContain(secret);

  // Accessibility of the editor with a run shown, and of the permissions view.
  // Soft: a finding is reported, and the rest of the test still runs.
  expect.soft(await seriousAxeViolations(page, 'integration editor')).toEqual([]);
  await integrationsNav(page).getByRole('button', { name: 'Vault permissions' }).click();
  await expect(main(page).getByRole('heading', { name: 'Vault permissions' })).toBeVisible();
  await main(page).getByRole('button', { name: 'Add permission' }).click();
  expect.soft(await seriousAxeViolations(page, 'vault permissions')).toEqual([]);
  await page
    .getByRole('form', { name: 'Add permission' })
    .getByRole('button', { name: 'Cancel' })
    .click();

  await expectNothingAtRest(page, {
    secret,
    name,
    beforeHook: code,
    hookLine: "debug(vault.API_KEY, { label: 'key' })",
    item: region,
  });
  expect([...csp, ...workerCsp]).toEqual([]);
});

test('hostile hooks stop at the time limit, the page stays responsive, the next run works', async ({
  page,
  app,
}) => {
  test.setTimeout(120_000);
  const csp = await watchCsp(page);
  const workerCsp = watchWorkerCsp(page);
  await createProfile(page, app.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const limit = page.getByRole('combobox', { name: 'Hook time limit' });
  // Long enough for the checks below to happen while the hook still runs, on a busy machine.
  await limit.selectOption({ label: '5 seconds' });
  await expect(limit).toHaveAccessibleDescription(/Saved/);
  await newIntegration(page, 'hostile');
  await page.getByRole('combobox', { name: 'URL' }).fill(`${recorder.origin}/echo/hostile`);

  const hostile = {
    'a busy loop': 'for(;;){}',
    'an allocating loop': "const a=[]; for(;;) a.push('x'.repeat(1e5))",
  };
  for (const [what, code] of Object.entries(hostile)) {
    await beforeHook(page).fill(code);
    const sentBefore = recorder.requests.filter((r) => r.path === '/echo/hostile').length;
    const started = Date.now();
    await runButton(page).click();
    await expect(main(page).getByRole('button', { name: 'Cancel run' })).toBeVisible();
    await expect(
      page.getByRole('list', { name: 'Phases' }).locator('[aria-current="step"]'),
    ).toHaveText(/Before hook/);
    // While the hook spins, the page answers and the UI works: all of this happens before the
    // run ends (a hook on the page's own thread would hold every one of them until it stopped).
    for (let i = 0; i < 3; i++) await page.evaluate(() => 1);
    await page.getByRole('tab', { name: 'History' }).click();
    await expect(main(page).getByRole('heading', { name: 'Run history' })).toBeVisible();
    await page.getByRole('tab', { name: 'Request' }).click();
    expect(
      await main(page).getByRole('button', { name: 'Cancel run' }).isVisible(),
      `the page answered while ${what} was still running`,
    ).toBe(true);
    await expect(failure(page)).toContainText(/time limit|memory limit/, { timeout: 20_000 });
    const took = Date.now() - started;
    test.info().annotations.push({
      type: what,
      description: `${took} ms: ${await failure(page).textContent()}`,
    });
    await expect(outcome(page)).toHaveText(/^Failed/);
    await expect(failure(page)).not.toContainText(/network/i);
    // Nothing was sent.
    expect(recorder.requests.filter((r) => r.path === '/echo/hostile')).toHaveLength(sentBefore);
  }

  // A good hook runs next (in a new Worker).
  await beforeHook(page).fill("return 'fine after hostile';");
  expect(await run(page)).toMatch(/^Succeeded/);
  await expect(main(page).getByRole('region', { name: 'Hook results' })).toContainText(
    'fine after hostile',
  );

  // An error thrown on line 2 points at it.
  await beforeHook(page).fill("const x = 1;\nthrow new Error('boom');");
  expect(await run(page)).toMatch(/^Failed/);
  await expect(failure(page)).toContainText('boom');
  await failure(page).getByRole('button', { name: 'Before hook, line 2' }).click();
  await expect(beforeHook(page)).toBeFocused();
  expect(
    await beforeHook(page).evaluate((element: HTMLTextAreaElement) =>
      element.value.slice(element.selectionStart, element.selectionEnd),
    ),
  ).toBe("throw new Error('boom');");
  expect([...csp, ...workerCsp]).toEqual([]);
});

test('CORS and an unreachable server are told apart', async ({ page, app }) => {
  const csp = await watchCsp(page);
  await createProfile(page, app.url);
  await newIntegration(page, 'cors');
  const url = page.getByRole('combobox', { name: 'URL' });
  // The failure's own words (the alert's first paragraph; a general hint about CORS follows).
  const message = failure(page).getByRole('paragraph').first();
  // The run is over when run() returns: its words are final, no need to wait for them.
  const now = { timeout: 1_000 };

  await url.fill(`${recorder.origin}/nocors/x`);
  expect(await run(page)).toMatch(/^Failed/);
  const origin = new URL(page.url()).origin;
  // Soft, so the unreachable case below is checked whatever this one says.
  await expect.soft(message).toContainText('CORS', now);
  await expect.soft(message).toContainText(`Access-Control-Allow-Origin: ${origin}`, now);
  await expect.soft(message).not.toContainText(/network error/i, now);
  await expect.soft(message).not.toContainText('could not be reached', now);
  // The server did get the request (a simple GET): only the answer was withheld.
  expect(recorder.requests.some((request) => request.path === '/nocors/x')).toBe(true);

  await url.fill('http://127.0.0.1:1/');
  expect(await run(page)).toMatch(/^Failed/);
  await expect(message).toContainText('could not be reached', now);
  await expect(message).not.toContainText('CORS', now);
  // The address as written (not capitalized as the start of a sentence).
  await expect.soft(message).toContainText('http://127.0.0.1:1 could not be reached', now);
  expect(csp).toEqual([]);
});

test('one opener across tabs: a run waits for the vault open in another tab, or is cancelled', async ({
  app,
  openTabs,
}) => {
  test.setTimeout(90_000);
  const [a, b] = (await openTabs(2)) as [Page, Page];
  const cspA = await watchCsp(a);
  const cspB = await watchCsp(b);
  const workerCspB = watchWorkerCsp(b);
  await createProfile(a, app.url);
  await createVault(a, 'my-vault');
  await addItem(a, 'my-item', '{"n":1}');
  await a.getByRole('button', { name: 'Settings' }).click();

  await b.goto(app.url);
  await unlock(b);
  await newIntegration(b, 'tabs');
  await b.getByRole('combobox', { name: 'URL' }).fill(`${recorder.origin}/echo/tabs`);
  await beforeHook(b).fill(
    "const d = await withVault('my-vault', v => v.get('my-item'));\ndebug(d, { label: 'from the vault' });",
  );
  await grant(b, 'tabs', 'my-vault');

  // A opens the vault; B's run waits for it, saying since when, with Cancel.
  await a
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'my-vault', exact: true })
    .click();
  await expect(a.getByRole('button', { name: 'New entry' })).toBeVisible();
  await runButton(b).click();
  const waiting = main(b).getByText(
    /^Waiting for my-vault, open in another tab since \d{1,2}:\d{2}/,
  );
  await expect(waiting).toBeVisible();
  await expect(main(b).getByRole('button', { name: 'Cancel run' })).toBeVisible();
  await b.waitForTimeout(500);
  await expect(waiting).toBeVisible();
  // A leaves the vault: B's run goes on and completes.
  await a.getByRole('button', { name: 'Integrations', exact: true }).click();
  await expect(outcome(b)).toHaveText(/^Succeeded/);
  await expect(waiting).toHaveCount(0);
  await expect(main(b).getByRole('region', { name: 'Debug output' })).toContainText('"n": 1');

  // Again, cancelled while waiting: the run says so, and A's vault still works.
  await a.getByRole('button', { name: 'Back to vaults' }).click();
  await a
    .getByRole('navigation', { name: 'Vaults' })
    .getByRole('button', { name: 'my-vault', exact: true })
    .click();
  await expect(a.getByRole('button', { name: 'New entry' })).toBeVisible();
  await runButton(b).click();
  await expect(waiting).toBeVisible();
  await main(b).getByRole('button', { name: 'Cancel run' }).click();
  await expect(outcome(b)).toHaveText(/^Cancelled/);
  await expect(main(b).getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
  await expect(runButton(b)).toBeEnabled();
  await addItem(a, 'after-cancel', '{"ok":true}');
  await expect(
    a.getByRole('list', { name: 'Entries' }).getByRole('button', { name: 'after-cancel' }),
  ).toBeVisible();
  expect([...cspA, ...cspB, ...workerCspB]).toEqual([]);
});
