import { startCofferServer } from '../../src/server/server';
import { median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * The core's own numbers, in Chromium through the test harness (real IndexedDB, WebCrypto,
 * Web Locks and the scrypt Worker):
 * - `unlock_ms`: unlock at the default KDF parameters;
 * - `open_ms`: from an unlocked profile to all N entries decrypted and listed, ours only here
 *   (the kdbxweb baseline is added with the benchmark issue);
 * - `storage_ratio`: stored bytes after 10,000 overwrites of one entry, over the live size.
 */
export const vaultCoreWorkload: Workload = {
  title: 'unlock, open and storage of the vault core',
  async run({ browser, harnessDir, n, repeats }: BenchContext) {
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.locator('#status', { hasText: 'ready' }).waitFor();
      const overwrites = repeats === 1 ? 500 : 10_000;
      const result = await page.evaluate((options) => window.harness.bench.vaultCore(options), {
        n,
        repeats,
        overwrites,
      });
      return {
        unlock_ms: metric(
          median(result.unlock),
          'ms',
          undefined,
          `scrypt N=2^17 r=8 p=1 in a Worker; median of ${result.unlock.length}`,
        ),
        open_ms: metric(
          median(result.open),
          'ms',
          undefined,
          `N=${n} (${(result.vaultBytes / 1024).toFixed(0)} KiB stored); median of ${result.open.length}, p95 ${percentile(result.open, 95).toFixed(1)} ms`,
        ),
        storage_ratio: metric(
          result.stored / result.live,
          'x',
          undefined,
          `${result.stored} bytes at rest for ${result.live} live bytes after ${overwrites} overwrites; at most ${result.peakWhileOpen} while open`,
        ),
      };
    } finally {
      await context.close();
      await server.close();
    }
  },
};
