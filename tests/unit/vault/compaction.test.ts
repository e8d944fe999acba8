/**
 * Compaction runs beside writes: the write after the one that called for a snapshot does not
 * wait for the snapshot to be sealed and stored (issue 12: one write in 500 waited ~280 ms).
 * The snapshot's transaction is held open by a gate here, so a write that waited for it
 * would never resolve while the gate is shut.
 */
import { describe, expect, it, vi } from 'vitest';
import { defaultCompactionPolicy, handleOf } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';

function gateSnapshots(db: ReturnType<typeof testCoffer>['db']) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let snapshotTransactions = 0;
  const original = db.relaxed.transaction.bind(db.relaxed) as (...args: unknown[]) => unknown;
  vi.spyOn(db.relaxed, 'transaction').mockImplementation(((...args: unknown[]) => {
    const tables = args.slice(1, -1).flat() as { name?: string }[];
    const onlySnapshots = tables.length === 1 && tables[0]?.name === 'snapshots';
    if (!onlySnapshots) return original(...args);
    snapshotTransactions++;
    return gate.then(() => original(...args));
  }) as never);
  return { open, started: () => snapshotTransactions };
}

describe('compaction beside writes', () => {
  it('the next write does not wait for a compaction, and nothing is lost', async () => {
    const compaction = { ...defaultCompactionPolicy, everyRows: 5 };
    const { coffer, db } = testCoffer({ compaction });
    const session = await coffer.createProfile('pw');
    const { id } = await session.createVault('v');
    const vault = await session.openVault({ id });
    const handle = handleOf(vault);
    const gate = gateSnapshots(db);
    for (let i = 0; i < 5; i++) await vault.set(`E_${i}`, i);
    // Give the compaction its turn in the queue: it has started and is held by the gate.
    await vi.waitFor(() => expect(gate.started()).toBe(1));
    const rowsBefore = handle.storedBytes;
    // With the snapshot's transaction held open, later writes still go through.
    for (let i = 5; i < 8; i++) await vault.set(`E_${i}`, i);
    expect(handle.storedBytes).toBeGreaterThan(rowsBefore);
    gate.open();
    await vault.close();
    const reopened = await session.openVault({ id });
    expect(await vaultContents(reopened)).toEqual(
      Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`E_${i}`, i])),
    );
    // The snapshot covers the first five rows; only later ones remain as rows.
    const rows = await db.strict.updates.toArray();
    expect(rows.every((row) => row.seq > 5)).toBe(true);
    expect(await db.strict.snapshots.count()).toBe(1);
    await reopened.close();
  });

  it('an explicit compact() does not hold up a write made while it is stored', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { id } = await session.createVault('v');
    const vault = await session.openVault({ id });
    await vault.set('FIRST', 1);
    const gate = gateSnapshots(db);
    let stored = false;
    const compacting = vault.compact().then(() => {
      stored = true;
    });
    await vault.set('SECOND', 2);
    expect(gate.started()).toBe(1);
    expect(stored).toBe(false);
    gate.open();
    await compacting;
    expect(stored).toBe(true);
    await vault.close();
    const reopened = await session.openVault({ id });
    expect(await vaultContents(reopened)).toEqual({ FIRST: 1, SECOND: 2 });
    await reopened.close();
  });

  it('a snapshot stored without its covered rows deleted still opens to the same vault', async () => {
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    const { id } = await session.createVault('v');
    const vault = await session.openVault({ id });
    for (let i = 0; i < 4; i++) await vault.set(`E_${i}`, `value ${i}`);
    const rows = await db.strict.updates.toArray();
    await vault.compact();
    // As if the tab closed between the snapshot's transaction and the deletion of its rows.
    await db.strict.updates.bulkAdd(rows);
    await vault.set('LATER', true);
    await vault.close();
    const reopened = await session.openVault({ id });
    expect(reopened.damaged).toEqual([]);
    expect(await vaultContents(reopened)).toEqual({
      E_0: 'value 0',
      E_1: 'value 1',
      E_2: 'value 2',
      E_3: 'value 3',
      LATER: true,
    });
    await reopened.close();
  });
});
