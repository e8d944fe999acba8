import { describe, expect, it } from 'vitest';
import { PULL_ALL_CONCURRENCY } from '../../../src/core/providers';
import { MemoryProvider } from '../../support/memory-provider';
import { contents, harness } from './sync-harness';

describe('Pull All', () => {
  it('creates a vault per remote secret, linked and pulled; progress after each, monotonic', async () => {
    const h = await harness();
    const total = 25;
    for (let i = 0; i < total; i++) {
      h.provider.put(`app-${String(i).padStart(2, '0')}`, { KEY: `value-${i}`, N: i });
    }
    const progress: { done: number; total: number }[] = [];
    const result = await h.engine.pullAll({ onProgress: (p) => progress.push({ ...p }) });
    expect(result.created).toHaveLength(total);
    expect(result.skipped).toEqual([]);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === total)).toBe(true);
    const vaults = await h.session.listVaults();
    for (const { path, vaultId } of result.created) {
      expect(vaults.find((v) => v.id === vaultId)?.name).toBe(path);
      const link = await h.engine.linkOf(vaultId);
      expect(link?.path).toBe(path);
      const i = Number(path.slice(4));
      await h.session.withVault({ id: vaultId }, async (vault) => {
        expect(await contents(vault)).toStrictEqual({ KEY: `value-${i}`, N: i });
      });
    }
    // A second run finds every path linked already.
    const again = await h.engine.pullAll();
    expect(again.created).toEqual([]);
    expect(again.linkedAlready).toHaveLength(total);
  });

  it('hands each new vault, open, to the audit hook, and waits for its save before closing it', async () => {
    const h = await harness();
    h.provider.put('one', { A: 'secret-value-1' });
    h.provider.put('two', { B: 'secret-value-2' });
    const seen: { vault: string; action: string; open: boolean }[] = [];
    const result = await h.engine.pullAll({
      record: async (vault, event) => {
        // A save that takes a moment: the vault must still be open when it ends.
        await new Promise((resolve) => setImmediate(resolve));
        seen.push({ vault: vault.id, action: event.action, open: !vault.closed });
      },
    });
    const ids = result.created.map((c) => c.vaultId).sort();
    expect(seen.map((s) => s.vault).sort()).toEqual(ids);
    expect(seen.every((s) => s.action === 'provider-pull' && s.open)).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('secret-value');
  });

  it(`reads at most ${PULL_ALL_CONCURRENCY} secrets at once`, async () => {
    const provider = new MemoryProvider();
    let inFlight = 0;
    let most = 0;
    const read = provider.read.bind(provider);
    provider.read = async (path, signal) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        return await read(path, signal);
      } finally {
        inFlight -= 1;
      }
    };
    const h = await harness({ provider });
    for (let i = 0; i < 20; i++) provider.put(`p${i}`, { K: i });
    await h.engine.pullAll();
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(PULL_ALL_CONCURRENCY);
  });

  it('keeps folders in the name, skips a name taken by an unlinked vault, and a failing path alone', async () => {
    const h = await harness();
    h.provider.put('team/app', { A: '1' });
    h.provider.put('taken', { B: '2' });
    h.provider.put('broken', { C: '3' });
    const existing = await h.session.createVault('taken');
    await h.session.withVault({ id: existing.id }, (vault) => vault.set('MINE', 'kept'));
    h.provider.failNext('read', { path: 'broken' });
    const before = (await h.session.listVaults()).length;
    const result = await h.engine.pullAll();
    expect(result.created.map((c) => c.path)).toEqual(['team/app']);
    expect(result.skipped).toEqual([
      { path: 'broken', reason: expect.stringContaining('unreachable') },
      { path: 'taken', reason: 'a vault named taken exists; link it from the vault instead' },
    ]);
    // The vault made for the failing path was removed again; the taken one is untouched.
    expect((await h.session.listVaults()).map((v) => v.name).sort()).toEqual(['taken', 'team/app']);
    expect((await h.session.listVaults()).length).toBe(before + 1);
    await h.session.withVault({ id: existing.id }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({ MINE: 'kept' });
    });
    expect(h.provider.peek('taken')).toStrictEqual({ B: '2' });
  });

  it('memory-only: the vaults are made memory-only and the links say so', async () => {
    const h = await harness();
    h.provider.put('mem', { SECRET: 's' });
    const result = await h.engine.pullAll({ memoryOnly: true });
    const [created] = result.created;
    expect((await h.engine.linkOf(created!.vaultId))?.memoryOnly).toBe(true);
    const summary = (await h.session.listVaults()).find((v) => v.id === created!.vaultId);
    expect(summary?.memoryOnly).toBe(true);
  });
});
