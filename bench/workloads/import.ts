import { startCofferServer } from '../../src/server/server';
import { openHarness } from '../harness-page';
import { fixed, median } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * `import_10k_ms`: a KDBX4 file of N entries imported into a new vault (readKdbx, the preview,
 * one all-or-nothing `setMany`, durable), against kdbxweb loading the same file and reading
 * every field. AES-KDF at one round on both sides, so the key derivation is not what is timed.
 */
export const importWorkload: Workload = {
  title: 'import: a KDBX file of N entries into a vault vs kdbxweb loading it',
  async run({ browser, harnessDir, n, repeats }: BenchContext) {
    const rounds = Math.min(repeats, 5);
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const context = await browser.newContext();
    try {
      const page = await openHarness(await context.newPage(), server.url);
      const file = await page.evaluate((o) => window.harness.benchImport.prepare(o), { n });
      // One unmeasured round of each warms the page's code (and loads kdbxweb).
      await page.evaluate(() => window.harness.benchImport.baseline());
      await page.evaluate(() => window.harness.benchImport.ours());
      const ours: number[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const base = await page.evaluate(() => window.harness.benchImport.baseline());
        if (base.entries !== n) throw new Error(`kdbxweb read ${base.entries} of ${n}`);
        baseline.push(base.ms);
        ours.push((await page.evaluate(() => window.harness.benchImport.ours())).ms);
      }
      return {
        import_10k_ms: metric(
          median(ours),
          'ms',
          { value: median(baseline), name: 'kdbxweb loading the same KDBX4 file' },
          `N=${n} entries (title, user, password, URL), KDBX4 of ${file.bytes} bytes, AES-KDF 1 round; ours: readKdbx + preview + one setMany into a new vault; ${rounds} rounds, alternating: ${ours.map((v) => fixed(v)).join(', ')} ms; kdbxweb ${baseline.map((v) => fixed(v)).join(', ')} ms`,
        ),
      };
    } finally {
      await context.close();
      await server.close();
    }
  },
};
