/**
 * Memory-only vaults (docs/data-model.md, "Memory-only vaults"): nothing of their document is
 * ever in IndexedDB, only the catalog row with its sealed flag; the document lives in the
 * unlocked session and is gone after `lock()`.
 */
import { describe, expect, it } from 'vitest';
import { deviceIdOf } from '../../../src/core/ids';
import { VaultBusyError } from '../../../src/core/lock';
import type { Session } from '../../../src/core/profile';
import { type CofferDatabase, StorageUnavailableError } from '../../../src/core/storage';
import { handleOf, VaultDamagedError } from '../../../src/core/vault';
import { vaultContents as contents, testCoffer } from '../../support/coffer';
import { injectWriteFault } from '../../support/faults';
import { memoryDatabase } from '../../support/memory-db';
import { dumpDatabase } from '../integrations/support';

const NAME_CANARY = 'CANARY_NAME_7f3a';
const VALUE_CANARY = 'canary-value-5be1c0';
const SECRET_CANARY = 'canary-secret-93d2aa';

/** Rows of the vault's contents at rest: its snapshot and update rows. */
async function rowsOf(db: CofferDatabase, vaultId: string): Promise<number> {
  const updates = await db.strict.updates
    .where('[vault+seq]')
    .between([vaultId, 0], [vaultId, Number.MAX_SAFE_INTEGER])
    .count();
  const snapshots = await db.strict.snapshots.where('vault').equals(vaultId).count();
  return updates + snapshots;
}

async function summary(session: Session, id: string) {
  return (await session.listVaults()).find((vault) => vault.id === id);
}

async function withCanaries(session: Session, name: string) {
  const vault = await session.openVault(name);
  await vault.set(NAME_CANARY, VALUE_CANARY);
  await vault.set('API_TOKEN', SECRET_CANARY, { kind: 'secret' });
  await vault.set('plain', { nested: [VALUE_CANARY, 1] });
  await vault.close();
}

const expected = {
  [NAME_CANARY]: VALUE_CANARY,
  API_TOKEN: SECRET_CANARY,
  plain: { nested: [VALUE_CANARY, 1] },
};

function expectNoCanary(dump: string) {
  for (const canary of [NAME_CANARY, VALUE_CANARY, SECRET_CANARY]) {
    expect(dump).not.toContain(canary);
    expect(dump).not.toContain(Buffer.from(canary).toString('hex'));
    expect(dump).not.toContain(Buffer.from(canary).toString('base64'));
  }
}

describe('memory-only vaults', () => {
  it('never write their document to IndexedDB, keep it while unlocked, and are empty after lock', async () => {
    // Compacting after every other row exercises compaction into memory too.
    const { coffer, db } = testCoffer({
      compaction: {
        everyRows: 2,
        minBytes: 1,
        onCloseRows: 1,
        onCloseSmallBytes: 1 << 20,
        offThreadFromBytes: 1 << 30,
      },
    });
    const session = await coffer.createProfile('pw');
    const created = await session.createVault('mirror', { memoryOnly: true });
    expect(created.memoryOnly).toBe(true);
    await withCanaries(session, 'mirror');
    const reopened = await session.openVault('mirror');
    expect(await contents(reopened)).toEqual(expected);
    await reopened.set('later', 'still in memory');
    await reopened.close();
    expect(await rowsOf(db, created.id)).toBe(0);
    expectNoCanary(await dumpDatabase(db));
    expect(await summary(session, created.id)).toEqual({ ...created, memoryOnly: true });

    await session.lock();
    const unlocked = await coffer.unlock('pw');
    expect(await summary(unlocked, created.id)).toEqual({ ...created, memoryOnly: true });
    const after = await unlocked.openVault('mirror');
    expect(await contents(after)).toEqual({});
    await after.close();
    expect(await rowsOf(db, created.id)).toBe(0);
  });

  it('a normal vault beside one stays stored, and a rename keeps the flag', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const stored = await session.createVault('stored');
    const memory = await session.createVault('memory', { memoryOnly: true });
    expect(stored.memoryOnly).toBe(false);
    await session.withVault('stored', (vault) => vault.set('kept', 1));
    await session.withVault('memory', (vault) => vault.set('held', 2));
    const renamed = await session.renameVault('memory', 'memory2');
    expect(renamed).toEqual({ ...memory, name: 'memory2' });
    expect(await rowsOf(db, stored.id)).toBeGreaterThan(0);
    expect(await rowsOf(db, memory.id)).toBe(0);
    expect(await session.withVault('memory2', (vault) => vault.get('held'))).toBe(2);
    await session.lock();
    const unlocked = await coffer.unlock('pw');
    expect(await summary(unlocked, memory.id)).toMatchObject({ name: 'memory2', memoryOnly: true });
    expect(await unlocked.withVault('stored', (vault) => vault.get('kept'))).toBe(1);
  });

  it('turning on moves the content to memory and deletes the rows; off with keepLocalCopy stores it again', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work');
    await withCanaries(session, 'work');
    expect(await rowsOf(db, vault.id)).toBeGreaterThan(0);

    expect(await session.setVaultMemoryOnly('work', true)).toEqual({ ...vault, memoryOnly: true });
    expect(await rowsOf(db, vault.id)).toBe(0);
    expect((await summary(session, vault.id))?.memoryOnly).toBe(true);
    expectNoCanary(await dumpDatabase(db));
    const open = await session.openVault('work');
    expect(await contents(open)).toEqual(expected);
    await open.set('added', 'while in memory');
    await open.close();

    expect(
      await session.setVaultMemoryOnly({ id: vault.id }, false, { keepLocalCopy: true }),
    ).toEqual({ ...vault, memoryOnly: false });
    expect(await rowsOf(db, vault.id)).toBe(1);
    expectNoCanary(await dumpDatabase(db));
    await session.lock();
    const unlocked = await coffer.unlock('pw');
    expect((await summary(unlocked, vault.id))?.memoryOnly).toBe(false);
    const again = await unlocked.openVault('work');
    expect(await contents(again)).toEqual({ ...expected, added: 'while in memory' });
    // A normal vault again: changes are rows after the snapshot.
    await again.set('after', 3);
    await again.close();
    expect(await unlocked.withVault('work', (v) => v.get('after'))).toBe(3);
  });

  it('turning off without keepLocalCopy leaves the vault empty here, and so it stays', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work', { memoryOnly: true });
    await withCanaries(session, 'work');
    await session.setVaultMemoryOnly('work', false);
    expect(await rowsOf(db, vault.id)).toBe(0);
    expect(await session.withVault('work', (v) => contents(v))).toEqual({});
    await session.withVault('work', (v) => v.set('stored', true));
    await session.lock();
    const unlocked = await coffer.unlock('pw');
    expect((await summary(unlocked, vault.id))?.memoryOnly).toBe(false);
    expect(await unlocked.withVault('work', (v) => contents(v))).toEqual({ stored: true });
    expectNoCanary(await dumpDatabase(db));
  });

  it('asking for what the vault already is changes nothing', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work');
    await session.withVault('work', (v) => v.set('k', 1));
    const rows = await rowsOf(db, vault.id);
    expect(await session.setVaultMemoryOnly('work', false)).toEqual(vault);
    expect(await rowsOf(db, vault.id)).toBe(rows);
    expect(await session.withVault('work', (v) => v.get('k'))).toBe(1);
  });

  it('an interrupted turn-on leaves a normal vault with all its content, and says what failed', async () => {
    const db = memoryDatabase();
    // Registered before the database opens, as Dexie middleware must be.
    const fault = injectWriteFault(db.strict, ['updates'], 'UnknownError');
    const { coffer } = testCoffer({ db });
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work');
    await withCanaries(session, 'work');
    const rows = await rowsOf(db, vault.id);
    fault.arm();
    const error = await session.setVaultMemoryOnly('work', true).catch((e: unknown) => e);
    fault.disarm();
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain('moving the vault to memory only');
    expect((error as Error).message).toContain('nothing was changed');
    expectNoCanary(String(error));
    expect(await rowsOf(db, vault.id)).toBe(rows);
    expect((await summary(session, vault.id))?.memoryOnly).toBe(false);
    expect(await session.withVault('work', (v) => contents(v))).toEqual(expected);
    await session.lock();
    const unlocked = await coffer.unlock('pw');
    expect((await summary(unlocked, vault.id))?.memoryOnly).toBe(false);
    expect(await unlocked.withVault('work', (v) => contents(v))).toEqual(expected);
    // And it can be turned on once storage works again.
    await unlocked.setVaultMemoryOnly('work', true);
    expect(await rowsOf(db, vault.id)).toBe(0);
    expect(await unlocked.withVault('work', (v) => contents(v))).toEqual(expected);
  });

  it('an interrupted turn-off keeps the vault memory-only with its content, and nothing at rest', async () => {
    const db = memoryDatabase();
    const fault = injectWriteFault(db.strict, ['snapshots'], 'UnknownError');
    const { coffer } = testCoffer({ db });
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work', { memoryOnly: true });
    await withCanaries(session, 'work');
    fault.arm();
    const error = await session
      .setVaultMemoryOnly('work', false, { keepLocalCopy: true })
      .catch((e: unknown) => e);
    fault.disarm();
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toContain('storing the vault on this device');
    expect(await rowsOf(db, vault.id)).toBe(0);
    expect((await summary(session, vault.id))?.memoryOnly).toBe(true);
    expect(await session.withVault('work', (v) => contents(v))).toEqual(expected);
    expectNoCanary(await dumpDatabase(db));
  });

  it('refuses while the vault is open, in this tab or another, and changes nothing', async () => {
    const { coffer, db, anotherTab } = testCoffer();
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work');
    await withCanaries(session, 'work');
    const rows = await rowsOf(db, vault.id);
    const open = await session.openVault('work');
    await expect(session.setVaultMemoryOnly('work', true)).rejects.toBeInstanceOf(VaultBusyError);
    expect(await contents(open)).toEqual(expected);
    await open.close();
    const other = await anotherTab().unlock('pw');
    const held = await other.openVault('work');
    await expect(session.setVaultMemoryOnly('work', true)).rejects.toBeInstanceOf(VaultBusyError);
    await held.close();
    expect(await rowsOf(db, vault.id)).toBe(rows);
    expect((await summary(session, vault.id))?.memoryOnly).toBe(false);
  });

  it('refuses to move a vault with damaged records to memory, keeping every record', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('work');
    await session.withVault('work', async (v) => {
      await v.set('a', 1);
      await v.set('b', 2);
    });
    // Closing a small vault compacts it: its one record is the snapshot.
    const target = (await db.strict.snapshots.get(vault.id))!;
    const bytes = target.bytes.slice();
    bytes[bytes.length - 1]! ^= 1;
    await db.strict.snapshots.put({ ...target, bytes });
    const before = await rowsOf(db, vault.id);
    await expect(session.setVaultMemoryOnly('work', true)).rejects.toBeInstanceOf(
      VaultDamagedError,
    );
    expect(await rowsOf(db, vault.id)).toBe(before);
    expect((await summary(session, vault.id))?.memoryOnly).toBe(false);
  });

  it('takes changes from other devices into memory, not into storage', async () => {
    const origin = testCoffer();
    const source = await origin.coffer.createProfile('pw');
    await source.createVault('origin');
    const from = handleOf(await source.openVault('origin'));
    await from.set('SHARED', VALUE_CANARY);
    const state = from.encodeState();
    await from.close();

    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const vault = await session.createVault('copy', { memoryOnly: true });
    const copy = handleOf(await session.openVault('copy'));
    const result = await copy.applyRemote([
      { update: state, author: deviceIdOf(new Uint8Array(32).fill(9)) },
    ]);
    expect(result.changed).toBe(1);
    await copy.close();
    expect(await rowsOf(db, vault.id)).toBe(0);
    expectNoCanary(await dumpDatabase(db));
    expect(await session.withVault('copy', (v) => v.get('SHARED'))).toBe(VALUE_CANARY);
  });

  it('a locked profile refuses to move a vault', async () => {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('work', { memoryOnly: true });
    await session.lock();
    await expect(session.setVaultMemoryOnly('work', false)).rejects.toMatchObject({
      name: 'ProfileLockedError',
    });
  });
});
