import { startCofferServer } from '../../src/server/server';
import { median, percentile } from '../stats';
import { metric, type Workload } from '../types';

/**
 * `offline_load_ms`: from navigation to the unlock screen being interactive, with the server
 * gone, so every byte comes from the service worker's cache.
 */
export const offlineLoadWorkload: Workload = {
  title: 'offline load from the service worker',
  async run({ browser, distDir, repeats }) {
    const server = await startCofferServer({ root: distDir, port: 0 });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      // A returning user: a profile exists, so the first screen is the unlock screen.
      const secret = 'amber-violin-cactus-harbor-7';
      await page.getByLabel('Passphrase', { exact: true }).fill(secret);
      await page.getByLabel('Repeat passphrase', { exact: true }).fill(secret);
      await page.getByLabel('I understand that a forgotten passphrase cannot be recovered').check();
      await page.getByRole('button', { name: 'Create profile' }).click();
      await page.getByRole('button', { name: 'Lock' }).waitFor({ timeout: 30_000 });
      const url = server.url;
      await server.close();
      await context.setOffline(true);
      const samples: number[] = [];
      for (let i = 0; i < Math.max(3, repeats); i++) {
        const started = performance.now();
        await page.goto(url);
        // Interactive: the passphrase field is there and enabled.
        await page
          .getByLabel('Passphrase', { exact: true })
          .and(page.locator(':enabled'))
          .waitFor();
        samples.push(performance.now() - started);
      }
      return {
        offline_load_ms: metric(
          median(samples),
          'ms',
          undefined,
          `median of ${samples.length}; p95 ${percentile(samples, 95).toFixed(1)} ms`,
        ),
      };
    } finally {
      await context.close();
      await server.close().catch(() => {});
    }
  },
};
