/**
 * addNewVaults (src/core/storage/new-vault-batch.ts): new vaults' rows, all in one durable
 * transaction, or none of them.
 */
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/core/crypto';
import {
  addNewVaults,
  type CofferDatabase,
  type NewVaultRows,
  StorageFullError,
  StorageUnavailableError,
  sealCatalogRow,
  sealProviderRecord,
  sealSnapshot,
} from '../../../src/core/storage';
import { injectWriteFault } from '../../support/faults';
import { memoryDatabase } from '../../support/memory-db';

const profileKey = generateKey('profile');

function newVault(id: string): NewVaultRows {
  const key = generateKey('vault');
  return {
    catalog: sealCatalogRow(profileKey, id, key, { name: id, createdAt: 1 }, false),
    snapshot: {
      vault: id,
      seq: 1,
      bytes: sealSnapshot(generateKey('storage'), id, 1, new Uint8Array([1, 2, 3])),
    },
    providers: [sealProviderRecord(profileKey, id, { link: id })],
  };
}

async function stored(db: CofferDatabase) {
  return {
    vaults: (await db.strict.vaults.toCollection().primaryKeys()).sort(),
    snapshots: (await db.strict.snapshots.toCollection().primaryKeys()).sort(),
    providers: (await db.strict.providers.toCollection().primaryKeys()).sort(),
  };
}

describe('addNewVaults', () => {
  it('adds every row of every vault', async () => {
    const db = memoryDatabase();
    await addNewVaults(db, [newVault('a'), newVault('b')]);
    expect(await stored(db)).toEqual({
      vaults: ['a', 'b'],
      snapshots: ['a', 'b'],
      providers: ['a', 'b'],
    });
  });

  it('a vault whose id is taken aborts the whole batch: nothing added, the existing vault unchanged', async () => {
    const db = memoryDatabase();
    const existing = newVault('b');
    await addNewVaults(db, [existing]);
    const error = await addNewVaults(db, [newVault('a'), newVault('b'), newVault('c')]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(await stored(db)).toEqual({ vaults: ['b'], snapshots: ['b'], providers: ['b'] });
    expect((await db.strict.vaults.get('b'))?.sealed).toEqual(existing.catalog.sealed);
  });

  it('a full disk: StorageFullError and nothing added', async () => {
    const db = memoryDatabase();
    // Before the connection opens: the fault patches it when it does.
    const fault = injectWriteFault(db.strict, ['snapshots'], 'QuotaExceededError');
    await addNewVaults(db, [newVault('kept')]);
    fault.arm();
    await expect(addNewVaults(db, [newVault('x'), newVault('y')])).rejects.toBeInstanceOf(
      StorageFullError,
    );
    fault.disarm();
    expect(await stored(db)).toEqual({
      vaults: ['kept'],
      snapshots: ['kept'],
      providers: ['kept'],
    });
  });

  it('refuses rows filed under another vault, before writing anything', async () => {
    const db = memoryDatabase();
    const wrong = { ...newVault('a'), providers: [sealProviderRecord(profileKey, 'b', {})] };
    await expect(addNewVaults(db, [newVault('ok'), wrong])).rejects.toBeInstanceOf(TypeError);
    const snapshotElsewhere = { ...newVault('a'), snapshot: { ...newVault('b').snapshot! } };
    await expect(addNewVaults(db, [snapshotElsewhere])).rejects.toBeInstanceOf(TypeError);
    expect(await stored(db)).toEqual({ vaults: [], snapshots: [], providers: [] });
  });
});
