import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/core/crypto';
import type { VaultId } from '../../../src/core/ids';
import type { Session } from '../../../src/core/profile';
import { ProviderSync } from '../../../src/core/providers';
import { createManualScheduler } from '../../../src/core/time';
import { testCoffer } from '../../support/coffer';
import { MemoryProvider } from '../../support/memory-provider';
import { contents, settings } from './sync-harness';

/** A profile, and an engine per unlock (as `session.providers` is), over one provider. */
async function profile() {
  const { coffer, db } = testCoffer();
  const provider = new MemoryProvider();
  const profileKey = generateKey('profile');
  const engineFor = (session: Session) =>
    new ProviderSync({
      db,
      profileKey: () => profileKey,
      vaults: session,
      scheduler: createManualScheduler(),
      connect: () => provider,
      checkSettings: (s) => s,
      storageMode: (id, on, options) => session.setVaultMemoryOnly({ id }, on, options),
    });
  const session = await coffer.createProfile('pw');
  await engineFor(session).saveDefaults(settings);
  return { coffer, provider, session, engineFor };
}

describe('memory-only links', () => {
  it('after an unlock the vault is empty, the link lists the names, and the unlock pull fills it', async () => {
    const p = await profile();
    p.provider.put('mem', { A: 'a', B: { b: 1 } });
    const result = await p.engineFor(p.session).pullAll({ memoryOnly: true });
    const vaultId = result.created[0]!.vaultId;
    await p.session.lock();

    const session = await p.coffer.unlock('pw');
    const engine = p.engineFor(session);
    await session.withVault({ id: vaultId }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({});
    });
    expect((await engine.linkOf(vaultId))?.names).toEqual(['A', 'B']);
    const report = await engine.autoSyncOnUnlock();
    expect(report.failed).toEqual([]);
    expect(report.pulled.map((r) => [r.vaultId, r.outcome.added])).toEqual([[vaultId, ['A', 'B']]]);
    await session.withVault({ id: vaultId }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({ A: 'a', B: { b: 1 } });
    });
    expect(p.provider.peek('mem')).toStrictEqual({ A: 'a', B: { b: 1 } });
  });

  it('a push before the first pull after unlock deletes nothing at the remote', async () => {
    const p = await profile();
    p.provider.put('mem', { A: 'a', B: 'b' });
    const result = await p.engineFor(p.session).pullAll({ memoryOnly: true });
    const vaultId = result.created[0]!.vaultId;
    await p.session.lock();
    const session = await p.coffer.unlock('pw');
    const engine = p.engineFor(session);
    await session.withVault({ id: vaultId }, async (vault) => {
      await vault.set('C', 'typed before the pull');
      const outcome = await engine.push(vault);
      expect(outcome.remote).toEqual({ added: ['C'], changed: [], removed: [] });
      expect(await contents(vault)).toStrictEqual({ A: 'a', B: 'b', C: 'typed before the pull' });
    });
    expect(p.provider.peek('mem')).toStrictEqual({ A: 'a', B: 'b', C: 'typed before the pull' });
  });

  it('linking a vault that is memory-only records the link as memory-only', async () => {
    const p = await profile();
    const engine = p.engineFor(p.session);
    const summary = await p.session.createVault('mem', { memoryOnly: true });
    await p.session.withVault({ id: summary.id }, (vault) => engine.link(vault, 'mem'));
    expect((await engine.linkOf(summary.id))?.memoryOnly).toBe(true);
    const stored = await p.session.createVault('stored');
    await p.session.withVault({ id: stored.id }, (vault) => engine.link(vault, 'stored'));
    expect((await engine.linkOf(stored.id))?.memoryOnly).toBe(false);
  });

  it('setMemoryOnly moves a closed vault out of storage and records it in the link', async () => {
    const p = await profile();
    const engine = p.engineFor(p.session);
    const summary = await p.session.createVault('stored');
    await p.session.withVault({ id: summary.id }, async (vault) => {
      await vault.set('A', 'a');
      await engine.link(vault, 'stored');
    });
    await engine.setMemoryOnly(summary.id as VaultId, true);
    expect((await engine.linkOf(summary.id))?.memoryOnly).toBe(true);
    expect((await p.session.listVaults()).find((v) => v.id === summary.id)?.memoryOnly).toBe(true);
    await engine.setMemoryOnly(summary.id as VaultId, false, { keepLocalCopy: true });
    expect((await engine.linkOf(summary.id))?.memoryOnly).toBe(false);
    await p.session.withVault({ id: summary.id }, async (vault) => {
      expect(await contents(vault)).toStrictEqual({ A: 'a' });
    });
  });

  it('autoSyncOnUnlock pulls enabled auto-sync links only, and reports a failing one apart', async () => {
    const p = await profile();
    const engine = p.engineFor(p.session);
    const ids: Record<string, VaultId> = {};
    for (const name of ['auto', 'manual', 'paused', 'failing']) {
      p.provider.put(name, { K: 'v1' });
      const summary = await p.session.createVault(name);
      ids[name] = summary.id;
      await p.session.withVault({ id: summary.id }, (vault) => engine.link(vault, name));
    }
    await engine.setOptions(ids.manual!, { autoSync: false });
    await engine.setOptions(ids.paused!, { enabled: false });
    for (const name of ['auto', 'manual', 'paused', 'failing']) p.provider.put(name, { K: 'v2' });
    p.provider.failNext('read', { path: 'failing' });
    const report = await engine.autoSyncOnUnlock();
    expect(report.pulled.map((r) => r.vaultId)).toEqual([ids.auto]);
    expect(report.failed.map((f) => f.vaultId)).toEqual([ids.failing]);
    for (const [name, expected] of [
      ['auto', 'v2'],
      ['manual', 'v1'],
      ['paused', 'v1'],
      ['failing', 'v1'],
    ] as const) {
      await p.session.withVault({ id: ids[name]! }, async (vault) => {
        expect(await vault.get('K')).toBe(expected);
      });
    }
  });
});
