import { startCofferServer } from '../../src/server/server';
import { startHashicorpDouble } from '../../tests/support/hashicorp-double';
import { openHarness } from '../harness-page';
import { fixed, median } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * `provider_pull_ms`: Pull All of 100 secrets with 20 keys each from a HashiCorp Vault double
 * (KV v2, loopback, CORS allowing the page), making a vault of each with its entries written
 * and the link saved, against a bare sequence of the same HTTP requests from the same page.
 */
export const providersWorkload: Workload = {
  title: 'providers: pull all',
  async run({ browser, harnessDir, repeats }: BenchContext) {
    const smoke = repeats === 1;
    const secrets = smoke ? 10 : 100;
    const keys = 20;
    const server = await startCofferServer({ root: harnessDir, port: 0 });
    const double = await startHashicorpDouble({
      cors: { enabled: true, allowedOrigins: [new URL(server.url).origin] },
    });
    const context = await browser.newContext();
    try {
      for (let s = 0; s < secrets; s++) {
        const values: Record<string, unknown> = {};
        for (let k = 0; k < keys; k++) values[`KEY_${k}`] = `value-${s}-${k}-${'x'.repeat(24)}`;
        double.writeDirect('secret', `app-${String(s).padStart(3, '0')}`, values);
      }
      const page = await openHarness(await context.newPage(), server.url);
      const rounds = smoke ? 1 : 5;
      const pulls: number[] = [];
      const bares: number[] = [];
      // One unmeasured round of each warms the page's caches and code.
      await page.evaluate(([u, t]) => window.harness.benchProviders.bare(u, t), [
        double.url,
        double.rootToken,
      ] as const);
      for (let i = 0; i < rounds; i++) {
        const bare = await page.evaluate(([u, t]) => window.harness.benchProviders.bare(u, t), [
          double.url,
          double.rootToken,
        ] as const);
        if (bare.secrets !== secrets) throw new Error(`bare listing saw ${bare.secrets} secrets`);
        bares.push(bare.ms);
        const pull = await page.evaluate(([u, t]) => window.harness.benchProviders.pullAll(u, t), [
          double.url,
          double.rootToken,
        ] as const);
        if (pull.vaults !== secrets) throw new Error(`pull all made ${pull.vaults} vaults`);
        pulls.push(pull.ms);
      }
      return {
        provider_pull_ms: metric(
          median(pulls),
          'ms',
          { value: median(bares), name: 'the same HTTP requests in sequence' },
          `Pull All of ${secrets} secrets x ${keys} keys from a loopback KV v2 double into a new profile (a vault per secret, entries written, links saved); ${rounds} rounds: ${pulls.map((v) => fixed(v)).join(', ')} ms; bare requests ${bares.map((v) => fixed(v)).join(', ')} ms`,
        ),
      };
    } finally {
      await context.close();
      await double.close();
      await server.close();
    }
  },
};
