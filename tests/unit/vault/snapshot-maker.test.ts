/**
 * Compaction off the page's thread: the vault's stored updates are replicated into a snapshot
 * maker (a Worker in the app; here the same replica, answering in later tasks as a Worker
 * does), which encodes and seals the snapshot; the page only stores it. Writes go on while it
 * works, and what is stored opens to the same vault.
 */
import { describe, expect, it } from 'vitest';
import {
  type CofferDatabase,
  createSnapshotReplica,
  createWorkerSnapshotMaker,
} from '../../../src/core/storage';
import type { WorkerLike } from '../../../src/core/storage/snapshot-maker';
import { defaultCompactionPolicy } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';

/** A Worker twin: messages handled one at a time, in order, each in a later task. */
function inProcessWorker(hold: { made: number; gate: Promise<void> }): WorkerLike {
  const replica = createSnapshotReplica();
  const listeners: ((event: MessageEvent) => void)[] = [];
  let queue = Promise.resolve();
  return {
    postMessage(message) {
      const copy = structuredClone(message);
      queue = queue.then(async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (copy.type === 'make') {
          hold.made++;
          await hold.gate;
        }
        const answer = replica(copy);
        if (answer)
          for (const listener of listeners) listener({ data: answer.reply } as MessageEvent);
      });
    },
    addEventListener(type: string, listener: (event: MessageEvent) => void) {
      if (type === 'message') listeners.push(listener);
    },
    terminate() {},
  } as WorkerLike;
}

/** Off the page for every vault, however small (the default starts at 256 KiB stored). */
const offThreadAlways = { ...defaultCompactionPolicy, offThreadFromBytes: 0 };

async function rowSeqs(db: CofferDatabase) {
  return (await db.strict.updates.toArray()).map((row) => row.seq);
}

describe('snapshots made off the page', () => {
  it('writes go on while the snapshot is being made, and the vault opens the same', async () => {
    let open!: () => void;
    const hold = {
      made: 0,
      gate: new Promise<void>((resolve) => {
        open = resolve;
      }),
    };
    const compaction = { ...defaultCompactionPolicy, everyRows: 5, offThreadFromBytes: 0 };
    const { coffer, db } = testCoffer({
      compaction,
      snapshots: createWorkerSnapshotMaker(() => inProcessWorker(hold)),
    });
    const session = await coffer.createProfile('pw');
    const { id } = await session.createVault('v');
    const vault = await session.openVault({ id });
    for (let i = 0; i < 5; i++) await vault.set(`E_${i}`, { n: i });
    await expect.poll(() => hold.made).toBe(1);
    // The snapshot is held in the maker: later writes do not wait for it.
    for (let i = 5; i < 9; i++) await vault.set(`E_${i}`, { n: i });
    await vault.delete('E_0');
    expect(await db.strict.snapshots.count()).toBe(0);
    open();
    await vault.close();
    expect(await db.strict.snapshots.count()).toBe(1);
    const snapshotSeq = (await db.strict.snapshots.toArray())[0]!.seq;
    expect(snapshotSeq).toBeGreaterThanOrEqual(5);
    expect((await rowSeqs(db)).every((seq) => seq > snapshotSeq)).toBe(true);
    const reopened = await session.openVault({ id });
    expect(reopened.damaged).toEqual([]);
    const expected = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`E_${i + 1}`, { n: i + 1 }]),
    );
    expect(await vaultContents(reopened)).toEqual(expected);
    await reopened.close();
  });

  it('a snapshot made off the page opens to the same vault as the page-made one, at the same size', async () => {
    const hold = { made: 0, gate: Promise.resolve() };
    const run = async (snapshots?: ReturnType<typeof createWorkerSnapshotMaker>) => {
      const { coffer, db } = testCoffer({
        clock: () => 1_800_000_000_000,
        compaction: offThreadAlways,
        ...(snapshots ? { snapshots } : {}),
      });
      const session = await coffer.createProfile('pw');
      const { id } = await session.createVault('v');
      const vault = await session.openVault({ id });
      await vault.set('A', [1, 2, 3]);
      await vault.set('B', 'text', { kind: 'secret', writeOnly: true });
      await vault.delete('A');
      await vault.compact();
      const contents = await vaultContents(vault);
      await vault.close();
      const [snapshot] = await db.strict.snapshots.toArray();
      return { contents, bytes: snapshot!.bytes.length };
    };
    const page = await run();
    const worker = await run(createWorkerSnapshotMaker(() => inProcessWorker(hold)));
    expect(hold.made).toBe(1);
    expect(worker.contents).toEqual(page.contents);
    // The same size, up to the spelling of each profile's random Yjs client id: a varint of 1
    // to 5 bytes, written for each block and in the items' origins (274 against 282 bytes seen).
    expect(Math.abs(worker.bytes - page.bytes)).toBeLessThanOrEqual(16);
  });

  it('after many overwrites, only the snapshot stays at rest, as without a maker', async () => {
    const hold = { made: 0, gate: Promise.resolve() };
    const atRest = async (snapshots?: ReturnType<typeof createWorkerSnapshotMaker>) => {
      const { coffer, db } = testCoffer({
        compaction: offThreadAlways,
        ...(snapshots ? { snapshots } : {}),
      });
      const session = await coffer.createProfile('pw');
      const { id } = await session.createVault('v');
      const vault = await session.openVault({ id });
      // Enough rows for compactions to start while writes go on (one every 500 rows).
      for (let i = 0; i < 1200; i++) await vault.set('counter', { counter: i });
      await vault.close();
      const rows = await db.strict.updates.count();
      const snapshots_ = await db.strict.snapshots.toArray();
      return { rows, snapshots: snapshots_.map((snapshot) => snapshot.seq) };
    };
    const page = await atRest();
    const worker = await atRest(createWorkerSnapshotMaker(() => inProcessWorker(hold)));
    expect(hold.made).toBeGreaterThanOrEqual(2);
    expect(page).toEqual({ rows: 0, snapshots: [1200] });
    expect(worker).toEqual(page);
  }, 60_000);

  it('a small vault is compacted on the page: no Worker is started for it', async () => {
    let spawned = 0;
    const hold = { made: 0, gate: Promise.resolve() };
    const { coffer, db } = testCoffer({
      snapshots: createWorkerSnapshotMaker(() => {
        spawned++;
        return inProcessWorker(hold);
      }),
    });
    const session = await coffer.createProfile('pw');
    const { id } = await session.createVault('v');
    const vault = await session.openVault({ id });
    for (let i = 0; i < 20; i++) await vault.set(`E_${i}`, i);
    await vault.compact();
    await vault.close();
    expect(spawned).toBe(0);
    expect(await db.strict.snapshots.count()).toBe(1);
    expect(await db.strict.updates.count()).toBe(0);
  });
});
