/**
 * `npm run bench`: measures Coffer's workloads in headless Chromium, each beside its baseline in
 * the same run, prints a table and writes bench/results.json. Not a test: no thresholds.
 *
 *   --n N        entries per vault (default 10000)
 *   --smoke      tiny run (N = 200, one repetition) that only proves the benchmark still works
 *   --out FILE   where to write the results (default bench/results.json)
 *   --only NAME  run only the workloads whose title contains NAME (when tuning one of them)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium';
import type { BenchContext, Metric, Workload } from './types';
import { bundleWorkload } from './workloads/bundle';
import { historyWorkload } from './workloads/history';
import { importWorkload } from './workloads/import';
import { integrationsWorkload } from './workloads/integrations';
import { lockHandoffWorkload } from './workloads/lock-handoff';
import { maskWorkload } from './workloads/mask';
import { offlineLoadWorkload } from './workloads/offline-load';
import { providersWorkload } from './workloads/providers';
import { relayWorkload } from './workloads/relay';
import { rotateWorkload } from './workloads/rotate';
import { syncWorkload } from './workloads/sync';
import { syncRelayWorkload } from './workloads/sync-relay';
import { uiFilterWorkload } from './workloads/ui-filter';
import { vaultCoreWorkload } from './workloads/vault-core';

const workloads: readonly Workload[] = [
  bundleWorkload,
  offlineLoadWorkload,
  vaultCoreWorkload,
  uiFilterWorkload,
  lockHandoffWorkload,
  syncWorkload,
  syncRelayWorkload,
  integrationsWorkload,
  maskWorkload,
  rotateWorkload,
  providersWorkload,
  historyWorkload,
  importWorkload,
  relayWorkload,
];

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string', default: new URL('./results.json', import.meta.url).pathname },
    only: { type: 'string' },
  },
});

const n = values.n !== undefined ? Number(values.n) : values.smoke ? 200 : 10_000;
if (!Number.isInteger(n) || n < 1) {
  console.error(`--n must be a positive whole number, got "${values.n}"`);
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
const context: BenchContext = {
  browser,
  n,
  repeats: values.smoke ? 1 : 20,
  // COFFER_DIST_DIR, COFFER_HARNESS_DIR: builds elsewhere, as the browser tests take them.
  distDir: process.env.COFFER_DIST_DIR ?? new URL('../dist', import.meta.url).pathname,
  harnessDir:
    process.env.COFFER_HARNESS_DIR ?? new URL('../dist-harness', import.meta.url).pathname,
};

const metrics: Record<string, Metric> = {};
const started = performance.now();
try {
  const only = values.only?.toLowerCase();
  for (const workload of workloads) {
    if (only !== undefined && !workload.title.toLowerCase().includes(only)) continue;
    const t0 = performance.now();
    process.stdout.write(`- ${workload.title}... `);
    Object.assign(metrics, await workload.run(context));
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  await browser.close();
}

const results = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${browser.version()}`,
  n,
  smoke: values.smoke,
  metrics,
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);

const rows = Object.entries(metrics).map(([name, m]) => [
  name,
  `${m.ours} ${m.unit}`,
  m.baseline === null ? '-' : `${m.baseline} ${m.unit}`,
  m.ratio === null ? '-' : `${m.ratio}x`,
  m.baselineName ?? '',
]);
const header = ['metric', 'Coffer', 'baseline', 'ratio', 'baseline is'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of rows) console.log(line(row));
console.log(
  `\nN = ${n}; ${((performance.now() - started) / 1000).toFixed(1)} s; written to ${values.out}`,
);
