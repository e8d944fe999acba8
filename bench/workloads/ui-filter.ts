import { cpus, loadavg } from 'node:os';
import { startCofferServer } from '../../src/server/server';
import type { FilterResult } from '../../tests/browser/harness/bench-ui';
import { openHarness } from '../harness-page';
import { fixed, median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/** Entries a page: the default (the headline), and a larger one the settings offer. */
const pageSizes = [10, 50] as const;

/**
 * `filter_p95_ms`: one keystroke in the entry filter of a vault of N entries, until the list
 * has re-rendered. The app's own VaultEntries component over a real open vault, typed into one
 * character at a time (see tests/browser/harness/bench-ui.tsx for what the interval covers).
 */
export const uiFilterWorkload: Workload = {
  title: 'UI: filter as you type',
  async run({ browser, harnessDir, n, repeats }: BenchContext) {
    // Tails here are the machine's as much as the code's: a busy CPU deschedules the page.
    const load = loadavg()[0]!;
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const context = await browser.newContext();
    try {
      const page = await openHarness(await context.newPage(), server.url);
      await page.waitForFunction(() => window.benchUi !== undefined);
      const { fillMs } = await page.evaluate((options) => window.benchUi!.open(options), { n });
      // Three rounds of every query is ~400 keystrokes a page size at the full run.
      const rounds = Math.max(1, Math.ceil(repeats / 7));
      const results: Record<number, FilterResult> = {};
      // A smoke run only proves it works: the default page size is enough for that.
      const sizes = repeats === 1 ? pageSizes.slice(0, 1) : pageSizes;
      for (const pageSize of sizes) {
        results[pageSize] = await page.evaluate((options) => window.benchUi!.filter(options), {
          pageSize,
          rounds,
        });
      }
      const headline = results[pageSizes[0]]!;
      const matches = Object.entries(headline.matches)
        .map(([query, count]) => `"${query}" ${count}`)
        .join(', ');
      const spread = (samples: number[]) =>
        `p95 ${fixed(percentile(samples, 95))}, median ${fixed(median(samples))}, max ${fixed(Math.max(...samples))}`;
      const perPageSize = sizes
        .map((pageSize) => {
          const result = results[pageSize]!;
          return (
            `${pageSize} a page: ${result.keystrokes} keystrokes, ${spread(result.keystroke)} ms, ` +
            `of which script (handler, filter, DOM updates) ${spread(result.script)} ms, ` +
            `${result.rowsChecked} rows checked, first render ${fixed(result.mountMs)} ms`
          );
        })
        .join('; ');
      return {
        filter_p95_ms: metric(
          percentile(headline.keystroke, 95),
          'ms',
          undefined,
          `N=${n}, ${pageSizes[0]} entries a page (the default); each keystroke from the input event, dispatched at the start of a frame, ` +
            `to the first task after that frame's style, layout and paint (raster and display are on other threads, not included); ` +
            `${rounds} round(s) of typing and deleting ${matches} matches; ${perPageSize}; ` +
            `rows checked against an independent filter of the names; vault filled in ${fixed(fillMs / 1000)} s; ` +
            `load average ${fixed(load)} on ${cpus().length} cores at the start`,
        ),
      };
    } finally {
      await context.close();
      await server.close();
    }
  },
};
