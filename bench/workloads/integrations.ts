import { startCofferServer } from '../../src/server/server';
import { startHttpRecorder } from '../../tests/support/http-recorder';
import { openHarness } from '../harness-page';
import { fixed, median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * `hook_cold_ms`: the first hook run on a new runner, Worker start and QuickJS load included
 * (what a user's first Run costs), beside the warm runs after it.
 * `run_overhead_ms`: an integration run with empty hooks (one reference to a secret in a small
 * vault that is not open: the run opens it, reads, closes, sends, masks and saves the run to
 * history) against a bare `fetch` of the same request to the same loopback server, in one page.
 */
export const integrationsWorkload: Workload = {
  title: 'integrations: hooks and runs',
  async run({ browser, harnessDir, repeats }: BenchContext) {
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const api = await startHttpRecorder();
    const context = await browser.newContext();
    try {
      const page = await openHarness(await context.newPage(), server.url);
      const colds: number[] = [];
      const warms: number[] = [];
      const rounds = Math.max(1, Math.min(repeats, 5));
      for (let i = 0; i < rounds; i++) {
        const { cold, warm } = await page.evaluate(
          (n) => window.harness.benchHooks.hookRuns(n),
          repeats === 1 ? 3 : 20,
        );
        colds.push(cold);
        warms.push(...warm);
      }
      const url = `${api.origin}/echo/bench`;
      await page.evaluate((u) => window.harness.benchHooks.setUp(u), url);
      const runs: number[] = [];
      const referring: number[] = [];
      const fetches: number[] = [];
      // The first round warms the page's caches; it is not counted.
      await page.evaluate((u) => window.harness.benchHooks.runOnce(u), url);
      const samples = repeats === 1 ? 3 : 40;
      for (let i = 0; i < samples; i++) {
        const sample = await page.evaluate((u) => window.harness.benchHooks.runOnce(u), url);
        if (sample.status !== 'succeeded') throw new Error(`run ${sample.status}`);
        fetches.push(sample.fetch);
        runs.push(sample.run);
        referring.push(sample.reference);
      }
      const parts = { openClose: [] as number[], catalog: [] as number[] };
      for (let i = 0; i < Math.min(samples, 10); i++) {
        const part = await page.evaluate(() => window.harness.benchHooks.parts());
        parts.openClose.push(part.openClose);
        parts.catalog.push(part.catalog);
      }
      const spread = (values: number[]) =>
        `median ${fixed(median(values))}, p95 ${fixed(percentile(values, 95))}`;
      return {
        hook_cold_ms: metric(
          median(colds),
          'ms',
          { value: median(warms), name: 'the same hook on a warm runner' },
          `a trivial before hook (return 1 + 1) on a new runner: Worker start, QuickJS WebAssembly fetch and compile, a fresh runtime; ${rounds} cold runs (${spread(colds)} ms) and ${warms.length} warm runs (${spread(warms)} ms)`,
        ),
        run_overhead_ms: metric(
          median(runs),
          'ms',
          { value: median(fetches), name: 'bare fetch of the same request' },
          `an integration with empty hooks sending the same GET with its header written out (the run reads the integration, the catalog and the grants, checks, sends, masks the response and saves the run to history); ${samples} runs: ${spread(runs)} ms against bare fetch ${spread(fetches)} ms; difference of medians ${fixed(median(runs) - median(fetches))} ms`,
        ),
        run_reference_ms: metric(
          median(referring),
          'ms',
          { value: median(fetches), name: 'bare fetch of the same request' },
          `the same request with its header as @{vault.KEY_3}, a secret in a 10-entry vault that is not open: the run opens the vault (its Web Lock, reading and decrypting it), reads the entry and closes it before sending; ${samples} runs: ${spread(referring)} ms; difference of medians ${fixed(median(referring) - median(fetches))} ms; opening, reading and closing that vault alone takes ${spread(parts.openClose)} ms, reading the catalog ${spread(parts.catalog)} ms`,
        ),
      };
    } finally {
      await context.close();
      await api.close();
      await server.close();
    }
  },
};
