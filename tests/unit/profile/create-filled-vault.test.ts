/**
 * Vaults made already filled (src/core/profile/create-filled-vault.ts): staged in memory, then
 * stored many at a time with their catalog row, snapshot and provider rows in one transaction.
 */
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/core/crypto';
import { ProfileLockedError, VaultNameTakenError } from '../../../src/core/profile';
import {
  type CofferDatabase,
  StorageFullError,
  sealProviderRecord,
} from '../../../src/core/storage';
import { ConfusableNameError, InvalidNameError } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';
import { injectWriteFault } from '../../support/faults';
import { memoryDatabase } from '../../support/memory-db';

async function rowsOf(db: CofferDatabase) {
  const { strict } = db;
  return {
    vaults: (await strict.vaults.toCollection().primaryKeys()).sort(),
    snapshots: (await strict.snapshots.toCollection().primaryKeys()).sort(),
    updates: await strict.updates.count(),
    providers: (await strict.providers.toCollection().primaryKeys()).sort(),
  };
}

describe('stageVault and commitVaults', () => {
  it('a staged vault is stored nowhere until committed, then opens with what was written', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { staged, result } = await session.stageVault('filled', {}, async (vault) => {
      await vault.setMany([
        { name: 'A', value: { nested: [1, 2, 'three'] } },
        { name: 'B', value: 'secret-b', kind: 'secret' },
      ]);
      return vault.id;
    });
    expect(result).toBe(staged.id);
    expect(await rowsOf(db)).toEqual({ vaults: [], snapshots: [], updates: 0, providers: [] });
    expect(await session.listVaults()).toEqual([]);
    const [stored] = await session.commitVaults([{ staged }]);
    expect(stored).toEqual({
      ok: true,
      vault: { id: staged.id, name: 'filled', createdAt: expect.any(Number), memoryOnly: false },
    });
    expect(await rowsOf(db)).toEqual({
      vaults: [staged.id],
      snapshots: [staged.id],
      updates: 0,
      providers: [],
    });
    const again = await coffer.unlock('pw');
    await again.withVault('filled', async (vault) => {
      expect(await vaultContents(vault)).toStrictEqual({
        A: { nested: [1, 2, 'three'] },
        B: 'secret-b',
      });
      expect((await vault.getEntry('B'))?.kind).toBe('secret');
    });
    // A staged vault is committed once.
    await expect(session.commitVaults([{ staged }])).rejects.toBeInstanceOf(TypeError);
  });

  it('stores many vaults and their provider rows in one transaction', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const key = generateKey('profile');
    const staged = [];
    for (const name of ['one', 'two', 'three']) {
      const made = await session.stageVault(name, {}, (vault) => vault.set('K', name));
      staged.push(made.staged);
    }
    let transactions = 0;
    const idb = db.strict.backendDB();
    const transaction = idb.transaction.bind(idb) as (...args: unknown[]) => IDBTransaction;
    idb.transaction = ((...args: unknown[]) => {
      if (args[1] === 'readwrite') transactions += 1;
      return transaction(...args);
    }) as typeof idb.transaction;
    const results = await session.commitVaults(
      staged.map((s) => ({
        staged: s,
        providers: [sealProviderRecord(key, s.id, { link: s.name })],
      })),
    );
    expect(transactions).toBe(1);
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await rowsOf(db)).providers).toEqual(staged.map((s) => s.id).sort());
    for (const s of staged) {
      await session.withVault({ id: s.id }, async (vault) => {
        expect(await vault.get('K')).toBe(s.name);
      });
    }
  });

  it('a name taken meanwhile, or twice in a batch, fails that vault alone', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const a = await session.stageVault('alpha', {}, (vault) => vault.set('K', 1));
    const b = await session.stageVault('beta', {}, (vault) => vault.set('K', 2));
    const b2 = await session.stageVault('BETA', {}, (vault) => vault.set('K', 3));
    const c = await session.stageVault('gamma', {}, (vault) => vault.set('K', 4));
    const lookalike = await session.stageVault('gаmma2', {}, (vault) => vault.set('K', 5));
    await session.createVault('alpha');
    await session.createVault('gamma2');
    const results = await session.commitVaults([
      { staged: a.staged },
      { staged: b.staged },
      { staged: b2.staged },
      { staged: c.staged },
      { staged: lookalike.staged },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : (r.error as Error).constructor.name))).toEqual([
      VaultNameTakenError.name,
      'ok',
      VaultNameTakenError.name,
      'ok',
      ConfusableNameError.name,
    ]);
    expect((await session.listVaults()).map((v) => v.name).sort()).toEqual([
      'alpha',
      'beta',
      'gamma',
      'gamma2',
    ]);
    // The refused ones stored nothing: only the two committed ones have snapshots.
    expect((await rowsOf(db)).snapshots).toEqual([b.staged.id, c.staged.id].sort());
  });

  it('a bad name is refused before anything is built', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    let filled = false;
    await expect(
      session.stageVault('bad\u202Ename', {}, async () => {
        filled = true;
      }),
    ).rejects.toBeInstanceOf(InvalidNameError);
    expect(filled).toBe(false);
  });

  it('a full disk: StorageFullError for every vault of the batch, none stored, nothing lost', async () => {
    const db = memoryDatabase();
    const fault = injectWriteFault(db.strict, ['vaults'], 'QuotaExceededError');
    const { coffer } = testCoffer({ db });
    const session = await coffer.createProfile('pw');
    await session.createVault('kept');
    await session.withVault('kept', (vault) => vault.set('MINE', 'still here'));
    const before = await rowsOf(db);
    const staged = [
      (await session.stageVault('x', {}, (vault) => vault.set('K', 'canary-x'))).staged,
      (await session.stageVault('y', {}, (vault) => vault.set('K', 'canary-y'))).staged,
    ];
    fault.arm();
    const results = await session.commitVaults(staged.map((s) => ({ staged: s })));
    fault.disarm();
    expect(results.map((r) => !r.ok && r.error instanceof StorageFullError)).toEqual([true, true]);
    expect(results.map((r) => (r.ok ? '' : String(r.error))).join()).not.toContain('canary');
    expect(await rowsOf(db)).toEqual(before);
    await session.withVault('kept', async (vault) => {
      expect(await vault.get('MINE')).toBe('still here');
    });
  });

  it('a locked profile: nothing is staged or stored (ProfileLockedError)', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { staged } = await session.stageVault('v', {}, (vault) => vault.set('K', 1));
    await session.lock();
    await expect(session.commitVaults([{ staged }])).rejects.toBeInstanceOf(ProfileLockedError);
    await expect(session.stageVault('w', {}, async () => undefined)).rejects.toBeInstanceOf(
      ProfileLockedError,
    );
    expect((await rowsOf(db)).vaults).toEqual([]);
  });

  it('memory-only: the catalog row says so, no document is stored, the session holds it', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { staged } = await session.stageVault('mem', { memoryOnly: true }, (vault) =>
      vault.set('SECRET', 'canary-mem'),
    );
    const [stored] = await session.commitVaults([{ staged }]);
    expect(stored?.ok && stored.vault.memoryOnly).toBe(true);
    const rows = await rowsOf(db);
    expect(rows.vaults).toEqual([staged.id]);
    expect(rows.snapshots).toEqual([]);
    expect(rows.updates).toBe(0);
    await session.withVault('mem', async (vault) => {
      expect(await vault.get('SECRET')).toBe('canary-mem');
    });
    expect((await session.listVaults())[0]?.memoryOnly).toBe(true);
  });

  it('a fill that fails stores nothing, and the same name can be staged again', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    await expect(
      session.stageVault('v', {}, async (vault) => {
        await vault.set('K', 1);
        throw new Error('fill failed');
      }),
    ).rejects.toThrow('fill failed');
    expect(await rowsOf(db)).toEqual({ vaults: [], snapshots: [], updates: 0, providers: [] });
    const { staged } = await session.stageVault('v', {}, (vault) => vault.set('K', 2));
    expect((await session.commitVaults([{ staged }]))[0]?.ok).toBe(true);
  });
});
