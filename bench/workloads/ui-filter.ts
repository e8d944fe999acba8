import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import solid from 'vite-plugin-solid';
import { startCofferServer } from '../../src/server/server';
import type { FilterResult } from '../../tests/browser/harness/bench-ui';
import { median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

const entry = fileURLToPath(new URL('../../tests/browser/harness/bench-ui.tsx', import.meta.url));
/** Where the page finds the UI bundle, on the harness's own origin (its CSP allows only 'self'). */
const mountPath = '/bench-ui/';
/** Entries a page: the default (the headline), and a larger one the settings offer. */
const pageSizes = [10, 50] as const;
const fixed = (value: number) => value.toFixed(1);

/**
 * Builds bench-ui.tsx with the Solid JSX compiler, which the harness build (`--mode harness`)
 * does not have: the app's components cannot be compiled without it. Returns the entry script
 * and its stylesheets, as paths under `mountPath`.
 */
async function buildBenchUi(outDir: string): Promise<{ script: string; styles: string[] }> {
  await build({
    configFile: false,
    root: dirname(entry),
    base: mountPath,
    publicDir: false,
    // Errors only: its warnings (chunking, plugin timings) would break the progress lines.
    logLevel: 'error',
    plugins: [solid()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      manifest: true,
      rolldownOptions: { input: entry },
    },
    worker: { format: 'es' },
  });
  const manifest = JSON.parse(
    await readFile(join(outDir, '.vite/manifest.json'), 'utf8'),
  ) as Record<string, { file: string; isEntry?: boolean; css?: string[] }>;
  const chunk = Object.values(manifest).find((candidate) => candidate.isEntry);
  if (!chunk) throw new Error('the bench-ui build has no entry chunk');
  return { script: chunk.file, styles: chunk.css ?? [] };
}

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
    const outDir = await mkdtemp(join(tmpdir(), 'coffer-bench-ui-'));
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const context = await browser.newContext();
    try {
      const built = performance.now();
      const bundle = await buildBenchUi(outDir);
      const buildSeconds = (performance.now() - built) / 1000;
      // Served from the build directory under the harness origin, without touching dist-harness/.
      await context.route(`${server.url}${mountPath}**`, async (route) => {
        const path = new URL(route.request().url()).pathname.slice(mountPath.length);
        const file = normalize(join(outDir, path));
        if (!file.startsWith(outDir + sep)) return route.fulfill({ status: 404 });
        return route.fulfill({ path: file });
      });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.locator('#status', { hasText: 'ready' }).waitFor();
      for (const style of bundle.styles) await page.addStyleTag({ url: `${mountPath}${style}` });
      await page.addScriptTag({ url: `${mountPath}${bundle.script}`, type: 'module' });
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
            `rows checked against an independent filter of the names; vault filled in ${fixed(fillMs / 1000)} s, bundle built in ${fixed(buildSeconds)} s; ` +
            `load average ${fixed(load)} on ${cpus().length} cores at the start`,
        ),
      };
    } finally {
      await context.close();
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    }
  },
};
