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
      const result = await page.evaluate(
        async ({ n, repeats, overwrites }) => {
          const h = window.harness.core;
          h.start({});
          const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
            if (!r.ok) throw new Error(JSON.stringify(r.error));
            return r.value;
          };
          must(await h.createProfile('a benchmark passphrase'));
          must(await h.createVault('bench'));
          must(await h.open('bench'));
          const vault = h.vault('bench');
          const batch = 1000;
          for (let start = 0; start < n; start += batch) {
            const entries = [];
            for (let i = start; i < Math.min(n, start + batch); i++) {
              entries.push({
                name: `ENTRY_${String(i).padStart(6, '0')}`,
                value: {
                  url: `https://service-${i}.example`,
                  user: `user${i}`,
                  note: 'x'.repeat(40),
                },
              });
            }
            await vault.setMany(entries);
          }
          must(await h.close('bench'));

          const unlock: number[] = [];
          for (let i = 0; i < Math.min(repeats, 5); i++) {
            must(await h.lock());
            unlock.push(must(await h.unlock('a benchmark passphrase')).ms);
          }
          const open: number[] = [];
          for (let i = 0; i < repeats; i++) {
            const started = performance.now();
            must(await h.open('bench'));
            const handle = h.vault('bench');
            const list = await handle.list();
            for (const entry of list) await handle.get(entry.name);
            open.push(performance.now() - started);
            if (list.length !== n) throw new Error(`listed ${list.length} of ${n}`);
            must(await h.close('bench'));
          }

          must(await h.createVault('overwrites'));
          must(await h.open('overwrites'));
          const over = h.vault('overwrites');
          let value: unknown;
          for (let i = 0; i < overwrites; i++) {
            value = { counter: i, note: 'overwritten again and again' };
            await over.set('counter', value as never);
          }
          const stored = over.storedBytes;
          must(await h.close('overwrites'));
          return {
            unlock,
            open,
            stored,
            live: new TextEncoder().encode(JSON.stringify({ counter: value })).length,
          };
        },
        { n, repeats, overwrites: repeats === 1 ? 500 : 10_000 },
      );
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
          `N=${n}; median of ${result.open.length}, p95 ${percentile(result.open, 95).toFixed(1)} ms`,
        ),
        storage_ratio: metric(
          result.stored / result.live,
          'x',
          undefined,
          `${result.stored} bytes stored for ${result.live} live bytes after ${repeats === 1 ? 500 : 10_000} overwrites`,
        ),
      };
    } finally {
      await context.close();
      await server.close();
    }
  },
};
