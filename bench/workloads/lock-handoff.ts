import { cpus, loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { startCofferServer } from '../../src/server/server';
import { openHarness } from '../harness-page';
import { fixed, median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * `lock_handoff_ms`: from `close()` of a vault in one tab to `openVault()` resolving in another
 * tab that was waiting for it. Two pages of one browser context (one IndexedDB, one Web Locks
 * space) on the harness; the vault holds N entries, so the time includes the waiting tab loading
 * and decrypting the vault, as a user waiting on that tab would see it. Roles swap each round.
 */
export const lockHandoffWorkload: Workload = {
  title: 'vault hand-off between tabs',
  async run({ browser, harnessDir, n, repeats }: BenchContext) {
    // Tails here are the machine's as much as the code's: a busy CPU deschedules the tabs.
    const load = loadavg()[0]!;
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const context = await browser.newContext();
    try {
      const a = await openHarness(await context.newPage(), server.url);
      const b = await openHarness(await context.newPage(), server.url);
      const created = await a.evaluate((options) => window.harness.benchLocks.create(options), {
        n,
      });
      const joined = await b.evaluate(() => window.harness.benchLocks.join());
      // Both tabs must be foreground tabs: a hidden one would have its tasks throttled.
      if (created.visibility !== 'visible' || joined.visibility !== 'visible') {
        throw new Error(`tab visibility: A ${created.visibility}, B ${joined.visibility}`);
      }
      // B's clock minus A's; the times below subtract one tab's clock from the other's.
      const clock = await b.evaluate(() => window.harness.benchLocks.clockOffset(20));

      const total: number[] = [];
      const closing: number[] = [];
      const transfer: number[] = [];
      const loading: number[] = [];
      const waitedMs = repeats === 1 ? 300 : 1000;
      // At least one round each way, even in a smoke run.
      const rounds = Math.max(2, repeats);
      for (let round = 0; round < rounds; round++) {
        const [holder, waiter] = round % 2 === 0 ? [a, b] : [b, a];
        await waiter.evaluate(() => window.harness.benchLocks.beginOpen());
        // The waiting tab's request must be in the lock's queue before the holder lets go,
        // or the time would include the request's own start.
        await holder.evaluate(() => window.harness.benchLocks.untilSomeoneWaits());
        // A waiting tab has usually been waiting a while (its user works in the other tab), and
        // reads the vault meanwhile; give it that while, then hand over.
        await new Promise((resolve) => setTimeout(resolve, waitedMs));
        const closed = await holder.evaluate(() => window.harness.benchLocks.close());
        const opened = await waiter.evaluate(
          (options) => window.harness.benchLocks.opened(options),
          { n },
        );
        // Times of tab B are on B's clock: bring them onto A's.
        const toA = (page: Page, time: number) => (page === b ? time - clock.offset : time);
        const closeStart = toA(holder, closed.closing);
        const released = toA(holder, closed.released);
        const granted = toA(waiter, opened.grantedAt);
        const openedAt = toA(waiter, opened.openedAt);
        total.push(openedAt - closeStart);
        closing.push(released - closeStart);
        transfer.push(granted - released);
        loading.push(openedAt - granted);
      }
      const spread = (samples: number[]) =>
        `median ${fixed(median(samples))}, p95 ${fixed(percentile(samples, 95))}`;
      return {
        lock_handoff_ms: metric(
          median(total),
          'ms',
          undefined,
          `N=${n} entries (${(created.storedBytes / 1024).toFixed(0)} KiB stored), ${rounds} hand-offs alternating between two tabs; ` +
            `the waiting tab waits ${waitedMs} ms (reading the vault meanwhile) before the holder closes; ` +
            `from just before close() in the holding tab to openVault() resolving in the waiting one: ${spread(total)} ms; ` +
            `of which close() up to the lock's release ${spread(closing)}, the Web Locks transfer to the waiting tab ${spread(transfer)}, ` +
            `and that tab catching up after its grant ${spread(loading)} ms; ` +
            `clocks of the two tabs agree within ${fixed(clock.roundTrip / 2)} ms (offset ${fixed(clock.offset)} ms, corrected); ` +
            `load average ${fixed(load)} on ${cpus().length} cores at the start`,
        ),
      };
    } finally {
      await context.close();
      await server.close();
    }
  },
};
