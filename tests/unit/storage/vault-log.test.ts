import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveSubkey, generateKey } from '../../../src/core/crypto';
import { CorruptDataError, LogClosedError, VaultLog } from '../../../src/core/storage';
import { memoryDatabase } from '../../support/memory-db';

const vaultId = 'AAAAAAAAAAAAAAAAAAAAAA';

function setup() {
  const db = memoryDatabase();
  const key = deriveSubkey(generateKey('vault'), 'storage');
  return { db, key };
}

function changeOf(doc: Y.Doc, fn: () => void): Uint8Array {
  let update: Uint8Array | undefined;
  const listener = (u: Uint8Array) => {
    update = u;
  };
  doc.on('update', listener);
  fn();
  doc.off('update', listener);
  if (!update) throw new Error('no update');
  return update;
}

function replay(updates: readonly Uint8Array[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
}

async function writeThree(
  db: ReturnType<typeof memoryDatabase>,
  key: ReturnType<typeof setup>['key'],
) {
  const { log } = await VaultLog.load({ db, vaultId, key });
  const doc = new Y.Doc();
  const map = doc.getMap('m');
  for (const [k, v] of [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ] as const) {
    await log.append(changeOf(doc, () => map.set(k, v)));
  }
  return doc;
}

describe('vault log', () => {
  it('stores one row per change and loads them back in order', async () => {
    const { db, key } = setup();
    await writeThree(db, key);
    expect(await db.relaxed.updates.count()).toBe(3);
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(loaded.headSeq).toBe(3);
    expect(loaded.damaged).toEqual([]);
    expect(replay(loaded.updates)).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('a flipped byte in any row makes that row, and only that row, a CorruptDataError naming it', async () => {
    const { db, key } = setup();
    await writeThree(db, key);
    const rows = await db.relaxed.updates.toArray();
    for (const row of rows) {
      for (let index = 0; index < row.bytes.length; index++) {
        const damaged = row.bytes.slice();
        damaged[index] = damaged[index]! ^ 0x40;
        await db.relaxed.updates.put({ ...row, bytes: damaged });
        const { loaded } = await VaultLog.load({ db, vaultId, key });
        expect(loaded.damaged).toHaveLength(1);
        expect(loaded.damaged[0]).toBeInstanceOf(CorruptDataError);
        expect(loaded.damaged[0]!.record).toEqual({ store: 'updates', vaultId, seq: row.seq });
        expect(loaded.updates).toHaveLength(2);
      }
      await db.relaxed.updates.put(row);
    }
  });

  it('rows swapped between sequence numbers, replayed, or truncated fail to open', async () => {
    const { db, key } = setup();
    await writeThree(db, key);
    const [first, second] = await db.relaxed.updates.toArray();
    // Swap the ciphertexts of rows 1 and 2.
    await db.relaxed.updates.bulkPut([
      { ...first!, bytes: second!.bytes },
      { ...second!, bytes: first!.bytes },
    ]);
    let { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(loaded.damaged.map((e) => e.record.seq).sort()).toEqual([1, 2]);
    expect(loaded.damaged.every((e) => e.reason === 'authentication')).toBe(true);
    await db.relaxed.updates.bulkPut([first!, second!]);

    // Replay row 1 as row 4.
    await db.relaxed.updates.add({ vault: vaultId, seq: 4, bytes: first!.bytes });
    ({ loaded } = await VaultLog.load({ db, vaultId, key }));
    expect(loaded.damaged.map((e) => e.record.seq)).toEqual([4]);
    await db.relaxed.updates.delete([vaultId, 4]);

    // Replay row 1 into another vault.
    await db.relaxed.updates.add({ vault: 'BBBBBBBBBBBBBBBBBBBBBB', seq: 1, bytes: first!.bytes });
    const other = await VaultLog.load({ db, vaultId: 'BBBBBBBBBBBBBBBBBBBBBB', key });
    expect(other.loaded.damaged.map((e) => e.reason)).toEqual(['authentication']);

    // Truncate row 3.
    const third = (await db.relaxed.updates.get([vaultId, 3]))!;
    await db.relaxed.updates.put({ ...third, bytes: third.bytes.slice(0, third.bytes.length - 1) });
    ({ loaded } = await VaultLog.load({ db, vaultId, key }));
    expect(loaded.damaged.map((e) => e.record.seq)).toEqual([3]);
  });

  it('an unknown format version is reported as unsupported, not guessed', async () => {
    const { db, key } = setup();
    await writeThree(db, key);
    const row = (await db.relaxed.updates.get([vaultId, 2]))!;
    const future = row.bytes.slice();
    future[0] = 0x02;
    await db.relaxed.updates.put({ ...row, bytes: future });
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(loaded.damaged.map((e) => e.reason)).toEqual(['unsupported-format']);
  });

  it('another vault key is reported as a key mismatch', async () => {
    const { db, key } = setup();
    await writeThree(db, key);
    const { loaded } = await VaultLog.load({
      db,
      vaultId,
      key: deriveSubkey(generateKey('vault'), 'storage'),
    });
    expect(loaded.damaged.map((e) => e.reason)).toEqual([
      'key-mismatch',
      'key-mismatch',
      'key-mismatch',
    ]);
  });

  it('compaction replaces the rows with one snapshot atomically, and reopening gives the same contents', async () => {
    const { db, key } = setup();
    const doc = await writeThree(db, key);
    const { log } = await VaultLog.load({ db, vaultId, key });
    await log.compact(Y.encodeStateAsUpdate(doc));
    expect(await db.relaxed.updates.count()).toBe(0);
    expect((await db.relaxed.snapshots.get(vaultId))?.seq).toBe(3);
    await log.append(changeOf(doc, () => doc.getMap('m').set('d', 4)));
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(loaded.headSeq).toBe(4);
    expect(replay(loaded.updates)).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });

  it('keeps storage bounded under 10,000 overwrites of one entry', async () => {
    const { db, key } = setup();
    const { log } = await VaultLog.load({ db, vaultId, key });
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    for (let i = 0; i < 10_000; i++) {
      await log.append(changeOf(doc, () => map.set('counter', { value: i, note: 'an overwrite' })));
      if (log.rowsSinceSnapshot >= 200) await log.compact(Y.encodeStateAsUpdate(doc));
    }
    const rows = await db.relaxed.updates.toArray();
    const snapshot = await db.relaxed.snapshots.get(vaultId);
    const stored =
      rows.reduce((sum, row) => sum + row.bytes.length, 0) + (snapshot?.bytes.length ?? 0);
    const live = new TextEncoder().encode(JSON.stringify(map.toJSON())).length;
    // Live data is ~40 bytes; a snapshot plus at most 199 small rows stays within a few KiB.
    expect(stored).toBeLessThan(30_000);
    expect(snapshot!.bytes.length).toBeLessThan(live + 200);
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(replay(loaded.updates)).toEqual({ counter: { value: 9999, note: 'an overwrite' } });
  }, 120_000);

  it('never overwrites a row another holder wrote: it catches up and appends after it', async () => {
    const { db, key } = setup();
    const external: Uint8Array[][] = [];
    const a = await VaultLog.load({
      db,
      vaultId,
      key,
      onExternalUpdates: (u) => external.push([...u]),
    });
    const b = await VaultLog.load({ db, vaultId, key });
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    await b.log.append(changeOf(docB, () => docB.getMap('m').set('fromB', true)));
    const seq = await a.log.append(changeOf(docA, () => docA.getMap('m').set('fromA', true)));
    expect(seq).toBe(2);
    expect(external).toHaveLength(1);
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(replay(loaded.updates)).toEqual({ fromA: true, fromB: true });
  });

  it('appends several updates as consecutive rows of one commit', async () => {
    const { db, key } = setup();
    const { log } = await VaultLog.load({ db, vaultId, key });
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    const updates = [1, 2, 3].map((v) => changeOf(doc, () => map.set(`k${v}`, v)));
    expect(await log.appendAll(updates)).toBe(3);
    expect(await log.appendAll([])).toBe(3);
    expect((await db.relaxed.updates.toArray()).map((row) => row.seq)).toEqual([1, 2, 3]);
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(replay(loaded.updates)).toEqual({ k1: 1, k2: 2, k3: 3 });
  });

  it('stores none of a batch when one row cannot be added, and keeps what was saved', async () => {
    const { db, key } = setup();
    await writeThree(db, key);
    const { log } = await VaultLog.load({ db, vaultId, key });
    // Each change from a document of its own, so that none waits for a row taken out below.
    const change = (k: string, v: number) => {
      const doc = new Y.Doc();
      return changeOf(doc, () => doc.getMap('m').set(k, v));
    };
    // Another holder takes seq 5 behind this log's back: the batch's second row (seq 5) clashes
    // after its first (seq 4) was added, so the transaction must take back the first too.
    const other = await VaultLog.load({ db, vaultId, key });
    await other.log.append(change('d', 4));
    await other.log.append(change('e', 5));
    await db.relaxed.updates.delete([vaultId, 4]);
    const batch = [change('x6', 6), change('x7', 7)];
    // The log catches up (it reads seq 5) and retries after it: rows 6 and 7, nothing lost.
    expect(await log.appendAll(batch)).toBe(7);
    const seqs = (await db.relaxed.updates.toArray()).map((row) => row.seq);
    expect(seqs).toEqual([1, 2, 3, 5, 6, 7]);
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(replay(loaded.updates)).toEqual({ a: 1, b: 2, c: 3, e: 5, x6: 6, x7: 7 });
  });

  it('refuses to write once its holder lost the vault', async () => {
    const { db, key } = setup();
    let held = true;
    const { log } = await VaultLog.load({ db, vaultId, key, mayWrite: () => held });
    held = false;
    await expect(log.append(new Uint8Array([0, 0]))).rejects.toBeInstanceOf(LogClosedError);
    expect(await db.relaxed.updates.count()).toBe(0);
  });

  it('a compaction never replaces a newer snapshot', async () => {
    const { db, key } = setup();
    const doc = await writeThree(db, key);
    const stale = await VaultLog.load({ db, vaultId, key });
    const fresh = await VaultLog.load({ db, vaultId, key });
    await fresh.log.append(changeOf(doc, () => doc.getMap('m').set('d', 4)));
    await fresh.log.compact(Y.encodeStateAsUpdate(doc));
    await stale.log.compact(new Uint8Array([0, 0]));
    expect((await db.relaxed.snapshots.get(vaultId))?.seq).toBe(4);
    const { loaded } = await VaultLog.load({ db, vaultId, key });
    expect(replay(loaded.updates)).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });
});
