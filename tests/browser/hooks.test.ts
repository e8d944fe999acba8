/**
 * The hook sandbox in real Chromium, on the harness page: the real hook Worker (QuickJS as
 * WebAssembly, under the Worker's own CSP) starts cold and runs again warm; an integration
 * run on a profile of the page sends its request with the secret put in by the page. Hostile
 * hooks (time and memory limits, a new Worker after) are covered end to end in
 * tests/e2e/integrations.test.ts.
 */
import type { Page } from '@playwright/test';
import { watchCsp, watchWorkerCsp } from '../e2e/support';
import { expect, test } from '../fixtures';
import { type HttpRecorder, startHttpRecorder } from '../support/http-recorder';

let recorder: HttpRecorder;
test.beforeAll(async () => {
  recorder = await startHttpRecorder();
});
test.afterAll(async () => {
  await recorder.close();
});

async function openHarness(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('#status')).toHaveText('ready');
}

test.describe('hooks in real Chromium', () => {
  test('a cold run in the real Worker works, and warm runs after it', async ({ page, harness }) => {
    const csp = await watchCsp(page);
    const workerCsp = watchWorkerCsp(page);
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await openHarness(page, harness.url);
    const times = await page.evaluate(() => window.harness.benchHooks.hookRuns(3));
    // It ran (hookRuns throws unless the hook returned 2), in a Worker of its own.
    expect(times.warm).toHaveLength(3);
    expect(workers.some((url) => /\/assets\/hook-worker-[\w-]+\.js$/.test(url))).toBe(true);
    // The engine loads once: the warm runs reuse the cold run's Worker (speed is the bench's
    // business: hook_cold_ms).
    expect(workers.filter((url) => /\/assets\/hook-worker-/.test(url))).toHaveLength(1);
    // The Worker's policy allows WebAssembly; nothing was refused on the way.
    expect([...csp, ...workerCsp]).toEqual([]);
  });

  test('an integration run sends the secret only to the server, with the history saved', async ({
    page,
    harness,
  }) => {
    const csp = await watchCsp(page);
    await openHarness(page, harness.url);
    const url = `${recorder.origin}/echo/harness`;
    await page.evaluate((target) => window.harness.benchHooks.setUp(target), url);
    const before = recorder.requests.length;
    const result = await page.evaluate((target) => window.harness.benchHooks.runOnce(target), url);
    expect(result.status).toBe('succeeded');
    // The bare fetch, the run with the header written out, and the run whose header refers to
    // the secret: all three carried the same header, the last one's put in by the page.
    const sent = recorder.requests.slice(before).filter((r) => r.path === '/echo/harness');
    expect(sent).toHaveLength(3);
    const expected = `value-3-${'x'.repeat(24)}`;
    for (const request of sent) expect(request.headers['x-api-key']).toBe(expected);
    expect(csp).toEqual([]);
  });
});
