import { describe, expect, it } from 'vitest';
import { CorruptDataError, type StoreName } from '../../../src/core/storage';
import { defaultCompactionPolicy } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';

/**
 * Flip every byte of every stored record, one at a time: each flip is reported as a
 * CorruptDataError naming exactly that record, and everything else still opens.
 */
describe('tamper sweep over every stored record', () => {
  it('every flipped byte is reported against its own record; the rest opens', async () => {
    // Rows stay rows on close here (small vaults are otherwise compacted), so every kind of
    // record is there to tamper with.
    const { coffer, db } = testCoffer({
      compaction: { ...defaultCompactionPolicy, onCloseSmallBytes: 0 },
    });
    const session = await coffer.createProfile('pw');
    await session.createVault('alpha');
    await session.createVault('beta');
    await session.withVault('alpha', async (vault) => {
      await vault.set('one', { a: 1 });
      await vault.set('two', 'secret', { kind: 'secret' });
      await vault.compact();
      await vault.set('three', [3]);
    });
    await session.withVault('beta', (vault) => vault.set('b', true));
    const vaultIds = new Map((await session.listVaults()).map((v) => [v.id as string, v.name]));

    type Target = {
      store: StoreName;
      key: unknown;
      field: 'bytes' | 'sealed';
      vaultId?: string;
      seq?: number;
    };
    const targets: Target[] = [
      ...(await db.strict.vaults.toArray()).map((row) => ({
        store: 'vaults' as const,
        key: row.id,
        field: 'sealed' as const,
        vaultId: row.id,
      })),
      ...(await db.strict.updates.toArray()).map((row) => ({
        store: 'updates' as const,
        key: [row.vault, row.seq],
        field: 'bytes' as const,
        vaultId: row.vault,
        seq: row.seq,
      })),
      ...(await db.strict.snapshots.toArray()).map((row) => ({
        store: 'snapshots' as const,
        key: row.vault,
        field: 'bytes' as const,
        vaultId: row.vault,
        seq: row.seq,
      })),
    ];
    expect(targets.map((t) => t.store).sort()).toEqual([
      'snapshots',
      'updates',
      'updates',
      'vaults',
      'vaults',
    ]);

    for (const target of targets) {
      const table = db.strict.table(target.store);
      const original = await table.get(target.key as never);
      const bytes: Uint8Array = original[target.field];
      for (let index = 0; index < bytes.length; index++) {
        const damaged = bytes.slice();
        damaged[index] = damaged[index]! ^ 0x80;
        await table.put({ ...original, [target.field]: damaged });
        const where = `${target.store} ${JSON.stringify(target.key)} byte ${index}`;
        if (target.store === 'vaults') {
          const damagedVaults = await session.damagedVaults();
          expect(
            damagedVaults.map((e) => e.record),
            where,
          ).toEqual([{ store: 'vaults', vaultId: target.vaultId }]);
          const listed = (await session.listVaults()).map((v) => v.name);
          expect(listed, where).toEqual(
            [...vaultIds]
              .filter(([id]) => id !== target.vaultId)
              .map(([, name]) => name)
              .sort(),
          );
        } else {
          const name = vaultIds.get(target.vaultId!)!;
          const vault = await session.openVault(name);
          expect(vault.damaged, where).toHaveLength(1);
          expect(vault.damaged[0], where).toBeInstanceOf(CorruptDataError);
          expect(vault.damaged[0]!.record, where).toEqual({
            store: target.store,
            vaultId: target.vaultId,
            seq: target.seq,
          });
          await vault.close();
          // The other vault is untouched.
          const other = [...vaultIds.values()].find((n) => n !== name)!;
          const otherVault = await session.openVault(other);
          expect(otherVault.damaged, where).toEqual([]);
          await otherVault.close();
        }
      }
      await table.put(original);
    }
    // Restored: everything opens clean and whole.
    const alpha = await session.openVault('alpha');
    expect(alpha.damaged).toEqual([]);
    expect((await alpha.list()).map((e) => e.name)).toEqual(['one', 'three', 'two']);
    await alpha.close();
  }, 120_000);
});
