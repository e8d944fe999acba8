/**
 * Integration bindings for the benchmark and the browser tests: the hook runner with its real
 * Worker (QuickJS), and integration runs on a profile of this page, beside a bare `fetch`.
 */
import { createBrowserPlatform, spawnHookWorker } from '../../../src/app/platform';
import { createHookRunner, type HookHost, type HookRunner } from '../../../src/core/hooks';
import type { IntegrationId } from '../../../src/core/integrations';
import type { Session } from '../../../src/core/profile';
import { fastPolicy } from './core';

const host: HookHost = {
  openVault: async () => {
    throw new Error('no vaults in this measurement');
  },
  vaultCall: async () => undefined,
  closeVault: async () => undefined,
  debug: () => undefined,
  keep: () => undefined,
};

let session: Session | undefined;
/** One integration whose header refers to a secret, and one with the same request written out. */
let integration: IntegrationId | undefined;
let plain: IntegrationId | undefined;

export const benchHooks = {
  /** Milliseconds of the first run of a trivial hook on a new runner (Worker and engine load), then of `warm` more. */
  async hookRuns(warm: number): Promise<{ cold: number; warm: number[] }> {
    const runner: HookRunner = createHookRunner(spawnHookWorker);
    try {
      const input = {
        hook: 'before' as const,
        code: 'return 1 + 1;',
        request: {},
        vault: {},
        kept: {},
      };
      const start = performance.now();
      const first = await runner.run(input, host, {});
      const cold = performance.now() - start;
      if (!first.ok || first.result !== 2) throw new Error(`hook failed: ${JSON.stringify(first)}`);
      const times: number[] = [];
      for (let i = 0; i < warm; i++) {
        const t = performance.now();
        await runner.run(input, host, {});
        times.push(performance.now() - t);
      }
      return { cold, warm: times };
    } finally {
      runner.dispose();
    }
  },

  /** A profile with one small vault and an integration that sends `url` with one secret header. */
  async setUp(url: string): Promise<void> {
    const platform = createBrowserPlatform({
      kdfPolicy: fastPolicy,
      databaseName: `bench-hooks-${Date.now()}`,
    });
    session = await platform.coffer.createProfile('bench passphrase for hooks');
    const vault = await session.createVault('bench');
    await session.withVault({ id: vault.id }, async (v) => {
      for (let i = 0; i < 10; i++)
        await v.set(`KEY_${i}`, `value-${i}-${'x'.repeat(24)}`, { kind: 'secret' });
    });
    const api = session.integrations;
    const created = await api.create('bench');
    await api.save(created.id, {
      name: 'bench',
      defaultVault: vault.id,
      request: {
        method: 'GET',
        url,
        query: [],
        headers: [{ name: 'X-Api-Key', value: '@{vault.KEY_3}', enabled: true }],
        body: { type: 'none', text: '' },
      },
      beforeHook: '',
      afterHook: '',
    });
    await api.setGrant({ integration: created.id, vault: vault.id, access: 'read' });
    integration = created.id;
    const written = await api.create('bench plain');
    await api.save(written.id, {
      ...(await api.get(created.id)),
      name: 'bench plain',
      request: {
        method: 'GET',
        url,
        query: [],
        headers: [{ name: 'X-Api-Key', value: `value-3-${'x'.repeat(24)}`, enabled: true }],
        body: { type: 'none', text: '' },
      },
    });
    plain = written.id;
  },

  /** Milliseconds of the parts a run is made of, for the notes: opening and closing the vault, reading the catalog. */
  async parts(): Promise<{ openClose: number; catalog: number; history: number }> {
    if (!session || !integration) throw new Error('call setUp first');
    const s = session;
    const [vault] = await s.listVaults();
    const t0 = performance.now();
    await s.withVault({ id: vault!.id }, (v) => v.getEntry('KEY_3'));
    const t1 = performance.now();
    await s.listVaults();
    const t2 = performance.now();
    await s.integrations.runs(integration);
    const t3 = performance.now();
    return { openClose: t1 - t0, catalog: t2 - t1, history: t3 - t2 };
  },

  /**
   * Milliseconds of a bare fetch of the request, of a run of the integration that writes it out
   * (empty hooks, history saved), and of a run of the one that refers to the secret instead.
   */
  async runOnce(
    url: string,
  ): Promise<{ fetch: number; run: number; reference: number; status: string }> {
    if (!session || !integration || !plain) throw new Error('call setUp first');
    const t0 = performance.now();
    const response = await fetch(url, {
      headers: { 'X-Api-Key': `value-3-${'x'.repeat(24)}` },
      cache: 'no-store',
    });
    await response.text();
    const t1 = performance.now();
    const bare = await session.integrations.run(plain);
    const t2 = performance.now();
    const referring = await session.integrations.run(integration);
    const t3 = performance.now();
    const status =
      bare.status === referring.status ? bare.status : `${bare.status}/${referring.status}`;
    return { fetch: t1 - t0, run: t2 - t1, reference: t3 - t2, status };
  },
};
