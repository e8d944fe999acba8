import type { IntegrationId } from '../../src/core/integrations';
import type { ConnectionValue } from '../../src/core/vault';
import { startCofferServer } from '../../src/server/server';
import { testCoffer } from '../../tests/support/coffer';
import { startHttpRecorder } from '../../tests/support/http-recorder';
import { defaultClient, startOAuthServer } from '../../tests/support/oauth-server';
import { openHarness } from '../harness-page';
import { fixed, median, percentile } from '../stats';
import { type BenchContext, metric, type Workload } from '../types';

/**
 * `hook_cold_ms`: the first hook run on a new runner, Worker start and QuickJS load included
 * (what a user's first Run costs), beside the warm runs after it.
 * `run_overhead_ms`: an integration run with empty hooks (one reference to a secret in a small
 * vault that is not open: the run opens it, reads, closes, sends, masks and saves the run to
 * history) against a bare `fetch` of the same request to the same loopback server, in one page.
 * `token_refresh_ms`: see `tokenRefresh` below (in Node: `session.integrations` is not reachable
 * from the harness page).
 */
export const integrationsWorkload: Workload = {
  title: 'integrations: hooks, runs and token refresh',
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
        ...(await tokenRefresh(repeats)),
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

/**
 * `token_refresh_ms`: what a run pays when its OAuth2 access token is due, against the test
 * token server (tests/support/oauth-server.ts) on loopback. Two integrations send the same GET to
 * the server's protected resource with "Auth: connection", each with an OAuth2 client
 * credentials connection of its own in one small vault. The baseline's connection holds a token
 * valid for an hour (fetched once before measuring); the measured one's tokens live 30 s, under
 * the 60 s refresh margin, so every run of it is due and fetches a token first (the token
 * request, then one vault write of the token fields). Runs alternate, so both see the same
 * machine state. Each run is checked: succeeded, and exactly one token issued per measured run.
 *
 * Runs in Node (fake-indexeddb, the in-memory lock twin, Node's fetch): the harness page does
 * not expose `session.integrations`. So a browser's CORS preflight of the token request
 * (`Authorization: Basic` is not a safelisted header) is not in this number.
 */
async function tokenRefresh(repeats: number) {
  const server = await startOAuthServer({ expiresInSeconds: 3600, rotate: false });
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('bench passphrase for tokens');
  try {
    const vault = await session.createVault('bench-tokens');
    const connection = (): ConnectionValue => ({
      type: 'oauth2-client-credentials',
      fields: {
        token_url: { value: server.tokenUrl, secret: false },
        client_id: { value: defaultClient.id, secret: false },
        client_secret: { value: defaultClient.secret!, secret: true, writeOnly: true },
        scope: { value: 'read', secret: false },
        auth_method: { value: 'client_secret_basic', secret: false },
      },
    });
    const api = session.integrations;
    const ids: IntegrationId[] = [];
    for (const name of ['valid', 'due']) {
      await api.createConnection(vault.id, `cc-${name}`, connection());
      const created = await api.create(`bench token ${name}`);
      await api.save(created.id, {
        name: `bench token ${name}`,
        defaultVault: vault.id,
        request: {
          method: 'GET',
          url: `${server.apiUrl}/bench`,
          query: [],
          headers: [{ name: 'Accept', value: 'application/json', enabled: true }],
          body: { type: 'none', text: '' },
          auth: { type: 'connection', vault: vault.id, connection: `cc-${name}` },
        },
        beforeHook: '',
        afterHook: '',
      });
      await api.setGrant({ integration: created.id, vault: vault.id, access: 'read' });
      ids.push(created.id);
    }
    const [valid, due] = ids as [IntegrationId, IntegrationId];
    const timed = async (id: IntegrationId) => {
      const t0 = performance.now();
      const record = await api.run(id);
      const ms = performance.now() - t0;
      if (record.status !== 'succeeded') {
        throw new Error(`token bench: run ${record.status}: ${record.failure?.message ?? ''}`);
      }
      return ms;
    };
    // Warm-up, not counted: the baseline gets its hour-long token, the code paths are loaded.
    await timed(valid);
    server.set({ expiresInSeconds: 30 });
    await timed(due);
    const samples = repeats === 1 ? 3 : 40;
    const baseline: number[] = [];
    const refreshing: number[] = [];
    const issuedBefore = server.accessTokens().length;
    for (let i = 0; i < samples; i++) {
      baseline.push(await timed(valid));
      refreshing.push(await timed(due));
    }
    const issued = server.accessTokens().length - issuedBefore;
    if (issued !== samples) {
      throw new Error(`token bench: ${issued} tokens issued in ${samples} refreshing runs`);
    }
    const spread = (values: number[]) =>
      `median ${fixed(median(values))}, p95 ${fixed(percentile(values, 95))}`;
    return {
      token_refresh_ms: metric(
        median(refreshing),
        'ms',
        { value: median(baseline), name: 'the same run with a valid token' },
        `a run (empty hooks, GET to the test token server's resource on loopback, "Auth: connection" with an OAuth2 client credentials connection, client_secret_basic) whose token is due: the token request and one vault write of the token fields before sending; in Node (fake-indexeddb, Node fetch, no CORS preflight); ${samples} runs each, alternating: ${spread(refreshing)} ms against ${spread(baseline)} ms with a valid token; difference of medians ${fixed(median(refreshing) - median(baseline))} ms`,
      ),
    };
  } finally {
    await session.lock();
    await server.close();
  }
}
