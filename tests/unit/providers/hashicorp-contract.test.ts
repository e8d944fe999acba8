/**
 * The SecretsProvider contract run against the HashiCorp client: on the loopback double with a
 * KV v2 mount and a KV v1 mount (the latter with enginePath a folder below the mount), and on
 * a real Vault/OpenBao when COFFER_VAULT_ADDR and COFFER_VAULT_TOKEN are set
 * (COFFER_VAULT_MOUNT, default `secret`; COFFER_VAULT_NAMESPACE optional).
 */
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import {
  createHashicorpProvider,
  validateHashicorpSettings,
} from '../../../src/core/providers/hashicorp';
import { secretsProviderContract } from '../../contract/secrets-provider.contract';
import { startHashicorpDouble } from '../../support/hashicorp-double';

function doubleSetup(mount: string, enginePath: string) {
  return async () => {
    const double = await startHashicorpDouble();
    const settings = validateHashicorpSettings({
      kind: 'hashicorp',
      address: double.url,
      enginePath,
      auth: { method: 'token', token: double.rootToken },
    });
    let n = 0;
    return {
      provider: createHashicorpProvider(settings, { fetch: globalThis.fetch, now: double.now }),
      freshPath: () => {
        n += 1;
        return `contract/${mount}/case-${n}`;
      },
      teardown: () => double.close(),
    };
  };
}

secretsProviderContract('hashicorp KV v2 (double)', doubleSetup('secret', 'secret'));
secretsProviderContract(
  'hashicorp KV v1 (double, enginePath below the mount)',
  doubleSetup('kv1', 'kv1/team'),
);

const address = process.env.COFFER_VAULT_ADDR;
const token = process.env.COFFER_VAULT_TOKEN;
if (address !== undefined && address !== '' && token !== undefined && token !== '') {
  const run = randomUUID();
  secretsProviderContract('hashicorp (real Vault at COFFER_VAULT_ADDR)', async () => {
    const settings = validateHashicorpSettings({
      kind: 'hashicorp',
      address,
      enginePath: process.env.COFFER_VAULT_MOUNT || 'secret',
      ...(process.env.COFFER_VAULT_NAMESPACE
        ? { namespace: process.env.COFFER_VAULT_NAMESPACE }
        : {}),
      auth: { method: 'token', token },
    });
    const provider = createHashicorpProvider(settings, { fetch: globalThis.fetch, now: Date.now });
    const used: string[] = [];
    return {
      provider,
      freshPath: () => {
        const path = `coffer-contract/${run}/case-${used.length + 1}`;
        used.push(path);
        return path;
      },
      // Leaves nothing behind on a shared server.
      teardown: async () => {
        for (const path of used) await provider.destroy(path).catch(() => undefined);
      },
    };
  });
} else {
  describe('hashicorp (real Vault)', () => {
    it.skip('needs COFFER_VAULT_ADDR and COFFER_VAULT_TOKEN (optional COFFER_VAULT_MOUNT, COFFER_VAULT_NAMESPACE) to run the contract against a real Vault/OpenBao', () => {});
  });
}
