/**
 * createVault checks the name against the catalog as stored now, though it opens again only
 * the rows whose bytes changed since it last read them (Pull All creates many vaults in a row):
 * a rename, a row written by another tab, a damaged row are each seen, and a refused name
 * changes nothing already saved.
 */
import { describe, expect, it } from 'vitest';
import { VaultNameTakenError } from '../../../src/core/profile';
import { testCoffer } from '../../support/coffer';
import { memoryDatabase } from '../../support/memory-db';

describe('createVault and the catalog it reads', () => {
  it('sees a rename made after its last read, and refuses the new name, not the old one', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    const first = await session.createVault('alpha');
    await session.withVault({ id: first.id }, (vault) => vault.set('KEY', 'kept'));
    await session.createVault('beta');
    await session.renameVault({ id: first.id }, 'gamma');
    const refused = await session.createVault('gamma').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(VaultNameTakenError);
    const again = await session.createVault('alpha');
    expect((await session.listVaults()).map((v) => v.name).sort()).toEqual([
      'alpha',
      'beta',
      'gamma',
    ]);
    expect(again.id).not.toBe(first.id);
    expect(await session.withVault({ id: first.id }, (vault) => vault.get('KEY'))).toBe('kept');
  });

  it('sees a vault another session of the profile created meanwhile', async () => {
    const db = memoryDatabase();
    const { coffer } = testCoffer({ db });
    const one = await coffer.createProfile('pw');
    await one.createVault('first');
    const other = await coffer.unlock('pw');
    await other.createVault('second');
    await expect(one.createVault('second')).rejects.toBeInstanceOf(VaultNameTakenError);
    expect((await one.listVaults()).map((v) => v.name).sort()).toEqual(['first', 'second']);
  });

  it('goes on past a catalog row that does not open, and leaves it as it is', async () => {
    const db = memoryDatabase();
    const { coffer } = testCoffer({ db });
    const session = await coffer.createProfile('pw');
    const broken = await session.createVault('broken');
    await session.createVault('fine');
    const row = await db.strict.vaults.get(broken.id);
    if (!row) throw new Error('the row was not stored');
    const damaged = row.sealed.slice();
    damaged[40] = (damaged[40] as number) ^ 0x01;
    await db.strict.vaults.put({ id: broken.id, sealed: damaged });
    await expect(session.createVault('fine')).rejects.toBeInstanceOf(VaultNameTakenError);
    await session.createVault('third');
    expect((await session.listVaults()).map((v) => v.name).sort()).toEqual(['fine', 'third']);
    expect((await session.damagedVaults()).map((e) => e.record.vaultId)).toEqual([broken.id]);
    expect((await db.strict.vaults.get(broken.id))?.sealed).toStrictEqual(damaged);
  });
});
