/**
 * Pull All as a pipeline: each secret is read once (the link takes that read), reads and vault
 * writes each keep to their limit, and the limiter they use runs tasks in order of arrival.
 */
import { describe, expect, it } from 'vitest';
import { PULL_ALL_CONCURRENCY } from '../../../src/core/providers';
import { limiter } from '../../../src/core/providers/sync/local';
import { PULL_ALL_WRITERS } from '../../../src/core/providers/sync/pull-all';
import { MemoryProvider } from '../../support/memory-provider';
import { contents, harness } from './sync-harness';

describe('limiter', () => {
  it('runs at most `limit` tasks at once, starting them in order of arrival', async () => {
    const limit = limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) =>
      limit(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
        running -= 1;
        return i * 10;
      });
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => task(i)));
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = limiter(1);
    const failed = limit(() => Promise.reject(new Error('no')));
    await expect(failed).rejects.toThrow('no');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});

describe('Pull All reads each secret once', () => {
  // How many vaults are built at once is checked on stageVault in pull-all-staged.test.ts.
  it('links with the value it read: one read per secret', async () => {
    const provider = new MemoryProvider();
    const reads = new Map<string, number>();
    const read = provider.read.bind(provider);
    provider.read = async (path, signal) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return read(path, signal);
    };
    const h = await harness({ provider });
    for (let i = 0; i < 15; i++) provider.put(`s${String(i).padStart(2, '0')}`, { K: i });
    const result = await h.engine.pullAll();
    expect(result.created).toHaveLength(15);
    expect([...reads.values()].every((count) => count === 1)).toBe(true);
    expect(reads.size).toBe(15);
    expect(PULL_ALL_WRITERS).toBeLessThanOrEqual(PULL_ALL_CONCURRENCY);
    for (const { path, vaultId } of result.created) {
      await h.session.withVault({ id: vaultId }, async (vault) => {
        expect(await contents(vault)).toStrictEqual({ K: Number(path.slice(1)) });
      });
      expect((await h.engine.linkOf(vaultId))?.remoteVersion).toBe((await read(path))?.version);
    }
  });

  it('a secret whose read fails gets no vault, and the others are made', async () => {
    const h = await harness();
    h.provider.put('a', { A: '1' });
    h.provider.put('b', { B: '2' });
    h.provider.failNext('read', { path: 'a' });
    const result = await h.engine.pullAll();
    expect(result.created.map((c) => c.path)).toEqual(['b']);
    expect(result.skipped.map((s) => s.path)).toEqual(['a']);
    expect((await h.session.listVaults()).map((v) => v.name)).toEqual(['b']);
  });
});
