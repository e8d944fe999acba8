/**
 * Damage a user can act on, and vaults known by id: a damaged snapshot holds entry writes
 * back until accepted and is never compacted away; an unreadable catalog record is listed,
 * kept byte for byte, and comes back by joining again; two vaults of one name are told apart
 * by id, and a name that two vaults share is refused rather than guessed.
 */
import { describe, expect, it } from 'vitest';
import {
  AmbiguousVaultNameError,
  type Session,
  type VaultId,
  VaultNotFoundError,
} from '../../../src/core/profile';
import type { CofferDatabase } from '../../../src/core/storage';
import {
  defaultCompactionPolicy,
  handleOf,
  VaultDamagedError,
  vaultKeyOf,
} from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';

/** Flips one byte of a stored record from outside the app's code; returns the original bytes. */
async function flip(
  db: CofferDatabase,
  store: 'snapshots' | 'vaults' | 'updates',
  key: unknown,
  field: 'bytes' | 'sealed',
  index = 40,
): Promise<Uint8Array> {
  const table = db.strict.table(store);
  const row = await table.get(key as never);
  const original = (row[field] as Uint8Array).slice();
  const damaged = original.slice();
  damaged[index] = damaged[index]! ^ 0x01;
  await table.put({ ...row, [field]: damaged });
  return original;
}

async function stored(db: CofferDatabase, store: 'snapshots' | 'vaults', key: string) {
  const row = await db.strict.table(store).get(key as never);
  return (row.bytes ?? row.sealed) as Uint8Array;
}

async function twoVaults(session: Session) {
  const alpha = await session.createVault('alpha');
  const beta = await session.createVault('beta');
  await session.withVault({ id: alpha.id }, async (vault) => {
    await vault.set('one', { a: 1 });
    await vault.set('key', 'sk-live-canary', { kind: 'secret', writeOnly: true });
    await vault.compact();
  });
  await session.withVault({ id: beta.id }, (vault) => vault.set('b', true));
  return { alpha, beta };
}

describe('a vault whose snapshot is damaged', () => {
  it('is found by checkVault without opening it; the other vault checks clean', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { alpha, beta } = await twoVaults(session);
    expect((await session.checkVault({ id: alpha.id })).damaged).toEqual([]);
    await flip(db, 'snapshots', alpha.id, 'bytes');
    const check = await session.checkVault({ id: alpha.id });
    expect(check.damaged.map((error) => [error.record.store, error.reason])).toEqual([
      ['snapshots', 'authentication'],
    ]);
    expect((await session.checkVault({ id: beta.id })).damaged).toEqual([]);
  });

  it('opens with what is readable, holds entry writes back, and keeps the record byte for byte', async () => {
    const { coffer, db } = testCoffer({
      compaction: { ...defaultCompactionPolicy, onCloseRows: 1, onCloseSmallBytes: 1 << 20 },
    });
    const session = await coffer.createProfile('pw');
    const { alpha } = await twoVaults(session);
    await flip(db, 'snapshots', alpha.id, 'bytes');
    const damagedBytes = await stored(db, 'snapshots', alpha.id);

    const vault = await session.openVault({ id: alpha.id });
    expect(vault.damaged).toHaveLength(1);
    expect(vault.writesHeld).toBe(true);
    expect(await vault.list()).toEqual([]);
    const refused = await vault.set('fresh', 1).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(VaultDamagedError);
    expect((refused as VaultDamagedError).damaged).toEqual([
      { store: 'snapshots', vaultId: alpha.id, seq: expect.any(Number) },
    ]);
    expect((refused as Error).message).not.toContain('sk-live-canary');
    await expect(vault.delete('one')).rejects.toBeInstanceOf(VaultDamagedError);
    await expect(vault.rename('one', 'uno')).rejects.toBeInstanceOf(VaultDamagedError);
    await expect(vault.setNameStyle('environment')).rejects.toBeInstanceOf(VaultDamagedError);

    // The user decides to edit anyway: writes go through, and still nothing is compacted
    // away (the damaged snapshot stays as it was), even on close.
    vault.acceptDamage();
    expect(vault.writesHeld).toBe(false);
    await vault.set('fresh', 1);
    await vault.compact();
    await vault.close();
    expect(await stored(db, 'snapshots', alpha.id)).toEqual(damagedBytes);

    const again = await session.openVault({ id: alpha.id });
    expect(again.writesHeld).toBe(true);
    expect(await vaultContents(again)).toEqual({ fresh: 1 });
    await again.close();
  });

  it('copies what could be read into a new vault, write-only secrets too, leaving it unchanged', async () => {
    // Rows stay rows on close (small vaults are otherwise compacted into a snapshot).
    const { coffer, db } = testCoffer({
      compaction: { ...defaultCompactionPolicy, onCloseSmallBytes: 0 },
    });
    const session = await coffer.createProfile('pw');
    const { alpha } = await twoVaults(session);
    await session.withVault({ id: alpha.id }, (vault) => vault.set('after', [2]));
    // Damage a later change row, not the snapshot: what came before it still reads.
    const rows = (await db.strict.updates.toArray()).filter((row) => row.vault === alpha.id);
    expect(rows.length).toBeGreaterThan(0);
    const row = rows[rows.length - 1]!;
    await flip(db, 'updates', [row.vault, row.seq], 'bytes');
    const vault = await session.openVault({ id: alpha.id });
    expect(vault.writesHeld).toBe(true);
    const copy = await session.copyIntoNewVault(vault, 'alpha (readable)');
    await vault.close();
    const contents = await session.withVault({ id: copy.id }, async (copied) => ({
      values: await vaultContents(copied),
      writeOnly: (await copied.getEntry('key'))?.writeOnly,
    }));
    expect(contents).toEqual({
      values: { one: { a: 1 }, key: 'sk-live-canary' },
      writeOnly: true,
    });
    expect((await session.checkVault({ id: alpha.id })).damaged).toHaveLength(1);
  });
});

describe('a vault whose catalog record is damaged', () => {
  it('is listed as unreadable (not dropped), kept byte for byte, and the rest opens', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { alpha, beta } = await twoVaults(session);
    await flip(db, 'vaults', alpha.id, 'sealed');
    const damagedBytes = await stored(db, 'vaults', alpha.id);
    const catalog = await session.catalog();
    expect(catalog.vaults.map((vault) => vault.name)).toEqual(['beta']);
    expect(catalog.unreadable).toEqual([
      { id: alpha.id, reason: 'authentication', storedRecords: 1 },
    ]);
    expect(await session.withVault({ id: beta.id }, (vault) => vault.get('b'))).toBe(true);
    await expect(session.openVault({ id: alpha.id })).rejects.toBeInstanceOf(VaultNotFoundError);
    expect(await stored(db, 'vaults', alpha.id)).toEqual(damagedBytes);
  });

  it('a new vault of the lost name and the restored record: two vaults, each reached by id', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { alpha } = await twoVaults(session);
    const original = await flip(db, 'vaults', alpha.id, 'sealed');
    // The user, not seeing "alpha", creates it again.
    const second = await session.createVault('alpha');
    await session.withVault({ id: second.id }, (vault) => vault.set('two', 2));
    // Then the damaged record is restored (a backup of the browser profile, say).
    const row = await db.strict.vaults.get(alpha.id);
    await db.strict.vaults.put({ ...row!, sealed: original });

    const listed = await session.listVaults();
    expect(listed.map((vault) => vault.name)).toEqual(['alpha', 'alpha', 'beta']);
    expect(new Set(listed.slice(0, 2).map((vault) => vault.id))).toEqual(
      new Set([alpha.id, second.id]),
    );
    expect(await session.withVault({ id: alpha.id }, (vault) => vault.get('one'))).toEqual({
      a: 1,
    });
    expect(await session.withVault({ id: second.id }, (vault) => vault.get('two'))).toBe(2);
    // By name, the shared name is refused rather than guessed.
    const ambiguous = await session.openVault('alpha').catch((error: unknown) => error);
    expect(ambiguous).toBeInstanceOf(AmbiguousVaultNameError);
    expect(new Set((ambiguous as AmbiguousVaultNameError).vaultIds)).toEqual(
      new Set([alpha.id, second.id]),
    );
    await expect(session.renameVault('ALPHA', 'gamma')).rejects.toBeInstanceOf(
      AmbiguousVaultNameError,
    );
    await expect(session.deleteVault('alpha')).rejects.toBeInstanceOf(AmbiguousVaultNameError);
    // Rename and delete by id act on exactly the one chosen.
    await session.renameVault({ id: second.id }, 'alpha-new');
    await session.deleteVault({ id: alpha.id });
    expect((await session.listVaults()).map((vault) => vault.name)).toEqual(['alpha-new', 'beta']);
    expect((await session.listVaults())[0]!.id).toBe(second.id);
  });

  it('joining the vault again replaces the unreadable record and its contents open again', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { alpha } = await twoVaults(session);
    // What another device would hand over by invitation: the vault's id and key.
    const key = await session.withVault({ id: alpha.id }, (vault) =>
      vaultKeyOf(handleOf(vault)).slice(),
    );
    await flip(db, 'vaults', alpha.id, 'sealed');
    expect((await session.catalog()).unreadable.map((record) => record.id)).toEqual([alpha.id]);
    await session.addJoinedVault({
      id: alpha.id,
      name: 'alpha',
      key: key as never,
      introducedBy: 'device-that-invited',
    });
    expect((await session.catalog()).unreadable).toEqual([]);
    expect(await session.withVault({ id: alpha.id }, (vault) => vault.get('one'))).toEqual({
      a: 1,
    });
  });

  it('removeUnreadableVault removes only an unreadable record, with its contents', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { alpha, beta } = await twoVaults(session);
    await expect(session.removeUnreadableVault(beta.id)).rejects.toBeInstanceOf(VaultNotFoundError);
    expect((await session.listVaults()).map((vault) => vault.name)).toEqual(['alpha', 'beta']);
    await flip(db, 'vaults', alpha.id, 'sealed');
    await session.removeUnreadableVault(alpha.id as VaultId);
    expect(await session.catalog()).toEqual({
      vaults: [expect.objectContaining({ id: beta.id })],
      unreadable: [],
    });
    expect(await db.strict.snapshots.get(alpha.id)).toBeUndefined();
  });
});
