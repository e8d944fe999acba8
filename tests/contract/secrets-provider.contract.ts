/**
 * The SecretsProvider contract (src/core/providers/types.ts), written once and run against
 * every provider: the HashiCorp client against its loopback double (KV v2 and KV v1 mounts) and
 * a real Vault/OpenBao when one is configured, the AWS client against its double.
 *
 * Each case starts from a path no other case used (`freshPath()`), so the suite can run against
 * a shared real server without stepping on anything already stored there. What a case checks is
 * what the rest of Coffer takes for granted of a provider: a write against 'absent' creates, a
 * read returns exactly the JSON written (numbers stay numbers), a write against a stale version
 * is refused with RemoteConflictError and leaves the remote as it was, list sees the path, and
 * delete/restore/destroy do what their names promise where the provider supports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, RemoteConflictError } from '../../src/core/providers/errors';
import type { RemoteVersion, SecretsProvider } from '../../src/core/providers/types';
import type { JsonValue } from '../../src/core/vault';

export interface SecretsProviderContractEnv {
  readonly provider: SecretsProvider;
  /** A path no other case used (and nothing is stored at). */
  readonly freshPath: () => string;
  readonly teardown: () => Promise<void>;
}

/** Values that catch a provider that stringifies, reorders types or mangles unicode. */
const sample: Record<string, JsonValue> = {
  USER: 'coffer',
  PORT: 5432,
  RATIO: 0.25,
  ENABLED: true,
  NOTHING: null,
  NESTED: { list: [1, 'two', false, { deep: 'é漢🙂' }], empty: {} },
};

/**
 * Registers the contract's cases under `describe(name)`. `setup` runs once before them,
 * `teardown` once after.
 * @example
 * secretsProviderContract('hashicorp kv2 (double)', async () => ({ provider, freshPath, teardown }));
 */
export function secretsProviderContract(
  name: string,
  setup: () => Promise<SecretsProviderContractEnv>,
): void {
  describe(name, () => {
    let env: SecretsProviderContractEnv | undefined;
    const get = (): SecretsProviderContractEnv => {
      if (env === undefined) throw new Error('contract setup did not run');
      return env;
    };
    beforeAll(async () => {
      env = await setup();
    });
    afterAll(async () => {
      await env?.teardown();
    });

    it('reads nothing at a fresh path', async () => {
      const { provider, freshPath } = get();
      expect(await provider.read(freshPath())).toBeUndefined();
    });

    it('writes to a fresh path with "absent" and reads back exactly the JSON written', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      const version = await provider.write(path, sample, 'absent');
      expect(typeof version).toBe('string');
      const read = await provider.read(path);
      expect(read?.path).toBe(path);
      expect(read?.values).toStrictEqual(sample);
      expect(read?.version).toBe(version);
    });

    it('refuses "absent" when something is there, and leaves it unchanged', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      const version = await provider.write(path, { A: '1' }, 'absent');
      await expect(provider.write(path, { A: 'clobbered' }, 'absent')).rejects.toBeInstanceOf(
        RemoteConflictError,
      );
      const read = await provider.read(path);
      expect(read?.values).toStrictEqual({ A: '1' });
      expect(read?.version).toBe(version);
    });

    it('writes on top of the current version and returns a new version', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      const first = await provider.write(path, { A: '1' }, 'absent');
      const second = await provider.write(path, { A: '2', B: 2 }, first);
      expect(second).not.toBe(first);
      const read = await provider.read(path);
      expect(read?.values).toStrictEqual({ A: '2', B: 2 });
      expect(read?.version).toBe(second);
    });

    it('refuses a write against a stale version with RemoteConflictError, remote unchanged', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      const stale = await provider.write(path, { A: '1' }, 'absent');
      const current = await provider.write(path, { A: '2' }, stale);
      const error = await provider.write(path, { A: 'lost update' }, stale).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RemoteConflictError);
      const conflict = error as RemoteConflictError;
      expect(conflict.path).toBe(path);
      expect(conflict.expected).toBe(stale);
      if (conflict.actual !== undefined) expect(conflict.actual).toBe(current);
      const read = await provider.read(path);
      expect(read?.values).toStrictEqual({ A: '2' });
      expect(read?.version).toBe(current);
    });

    it('lists the path written, sorted', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      await provider.write(path, { A: '1' }, 'absent');
      const paths = await provider.list();
      expect(paths).toContain(path);
      expect([...paths].sort()).toStrictEqual(paths);
    });

    it('deletes softly and restores where supported, or refuses naming why', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      await provider.write(path, { A: 'kept' }, 'absent');
      let deleted: Awaited<ReturnType<SecretsProvider['delete']>>;
      try {
        deleted = await provider.delete(path);
      } catch (e) {
        // A provider without a soft delete (KV v1) refuses and loses nothing.
        expect(e).toBeInstanceOf(ProviderError);
        expect((e as ProviderError).reason).toBe('refused');
        expect((await provider.read(path))?.values).toStrictEqual({ A: 'kept' });
        return;
      }
      expect(deleted.path).toBe(path);
      expect(await provider.read(path)).toBeUndefined();
      if (!deleted.restorable) return;
      await provider.restore(path);
      const back = await provider.read(path);
      expect(back?.values).toStrictEqual({ A: 'kept' });
    });

    it('destroys: read is undefined afterwards and list no longer has the path', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      await provider.write(path, { A: 'gone' }, 'absent');
      await provider.destroy(path);
      expect(await provider.read(path)).toBeUndefined();
      expect(await provider.list()).not.toContain(path);
    });

    it('writes again at a destroyed path with "absent"', async () => {
      const { provider, freshPath } = get();
      const path = freshPath();
      await provider.write(path, { A: 'old' }, 'absent');
      await provider.destroy(path);
      const version: RemoteVersion = await provider.write(path, { A: 'new' }, 'absent');
      const read = await provider.read(path);
      expect(read?.values).toStrictEqual({ A: 'new' });
      expect(read?.version).toBe(version);
    });

    it('test() reports the secrets it saw', async () => {
      const { provider } = get();
      const report = await provider.test();
      expect(report.kind).toBe(provider.kind);
      expect(report.secretsSeen).toBeGreaterThanOrEqual(0);
    });
  });
}
