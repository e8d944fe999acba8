/**
 * Provider bindings for the benchmark: Pull All from a HashiCorp Vault double on a profile of
 * this page, beside a bare sequence of the same HTTP requests with `fetch`.
 */
import { createBrowserPlatform } from '../../../src/app/platform';
import { fastPolicy } from './core';

export const benchProviders = {
  /**
   * Milliseconds of `session.providers.pullAll()` on a new profile whose default provider is
   * the double at `address` (KV v2 mount `secret`): every secret becomes a vault with its keys.
   */
  async pullAll(address: string, token: string): Promise<{ ms: number; vaults: number }> {
    const platform = createBrowserPlatform({
      kdfPolicy: fastPolicy,
      databaseName: `bench-providers-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    });
    const session = await platform.coffer.createProfile('bench passphrase for providers');
    try {
      await session.providers.saveDefaults({
        kind: 'hashicorp',
        address,
        enginePath: 'secret',
        auth: { method: 'token', token },
      });
      const start = performance.now();
      const result = await session.providers.pullAll({});
      const ms = performance.now() - start;
      if (result.skipped.length > 0)
        throw new Error(`pull all skipped ${result.skipped.length} secrets`);
      return { ms, vaults: result.created.length };
    } finally {
      await session.lock();
    }
  },

  /**
   * Milliseconds of the requests Pull All makes, one after another with bare `fetch`: the
   * mount's KV version, the listing, and one read per secret (token auth looks the token up
   * only after a 403, so there is no lookup-self; the double's request log shows the same
   * requests, preflights included, for both).
   */
  async bare(address: string, token: string): Promise<{ ms: number; secrets: number }> {
    const headers = { 'X-Vault-Token': token };
    const get = async (path: string) => {
      const response = await fetch(`${address}/v1/${path}`, { headers, cache: 'no-store' });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return (await response.json()) as { data: Record<string, unknown> };
    };
    const start = performance.now();
    await get('sys/internal/ui/mounts/secret');
    const listing = await get('secret/metadata/?list=true');
    const keys = listing.data.keys as string[];
    for (const key of keys) await get(`secret/data/${key}`);
    return { ms: performance.now() - start, secrets: keys.length };
  },
};
