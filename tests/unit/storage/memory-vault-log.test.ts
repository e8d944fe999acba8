import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveSubkey, generateKey } from '../../../src/core/crypto';
import {
  LogClosedError,
  MemoryVaultLog,
  MemoryVaultStore,
  sealSnapshot,
} from '../../../src/core/storage';

const vaultId = 'AAAAAAAAAAAAAAAAAAAAAA';
const otherId = 'BBBBBBBBBBBBBBBBBBBBBB';

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

async function writeThree(store: MemoryVaultStore) {
  const { log } = MemoryVaultLog.load({ store, vaultId });
  const doc = new Y.Doc();
  const map = doc.getMap('m');
  const seqs: number[] = [];
  for (const [k, v] of [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ] as const) {
    seqs.push(await log.append(changeOf(doc, () => map.set(k, v))));
  }
  return { log, doc, seqs };
}

describe('memory vault log', () => {
  it('keeps appended updates in order across loads, per vault', async () => {
    const store = new MemoryVaultStore();
    const { seqs } = await writeThree(store);
    expect(seqs).toEqual([1, 2, 3]);
    const { loaded, log } = MemoryVaultLog.load({ store, vaultId });
    expect(loaded.headSeq).toBe(3);
    expect(loaded.damaged).toEqual([]);
    expect(replay(loaded.updates)).toEqual({ a: 1, b: 2, c: 3 });
    expect(log.rowsSinceSnapshot).toBe(3);
    expect(log.bytesSinceSnapshot).toBe(loaded.storedBytes);
    expect(log.snapshotBytes).toBe(0);
    expect(MemoryVaultLog.load({ store, vaultId: otherId }).loaded.updates).toEqual([]);
    expect(store.has(otherId)).toBe(false);
  });

  it('hands out copies: changing a loaded update or the appended buffer changes nothing kept', async () => {
    const store = new MemoryVaultStore();
    const { log } = MemoryVaultLog.load({ store, vaultId });
    const doc = new Y.Doc();
    const update = changeOf(doc, () => doc.getMap('m').set('k', 'v'));
    await log.append(update);
    update.fill(0);
    const first = MemoryVaultLog.load({ store, vaultId }).loaded.updates;
    first[0]!.fill(0);
    expect(replay(MemoryVaultLog.load({ store, vaultId }).loaded.updates)).toEqual({ k: 'v' });
  });

  it('compacting replaces the kept updates with the state, and a reader from before sees it as stale', async () => {
    const store = new MemoryVaultStore();
    const { log, doc } = await writeThree(store);
    const before = MemoryVaultLog.load({ store, vaultId }).log;
    const state = Y.encodeStateAsUpdate(doc);
    await log.compact(state);
    expect(log.rowsSinceSnapshot).toBe(0);
    expect(log.snapshotBytes).toBe(state.length);
    expect(log.headSeq).toBe(3);
    const { loaded } = MemoryVaultLog.load({ store, vaultId });
    expect(loaded.updates).toHaveLength(1);
    expect(replay(loaded.updates)).toEqual({ a: 1, b: 2, c: 3 });
    expect(await before.refresh()).toEqual({ stale: true });
    // The writer's own log is not stale after its compaction; later appends count as rows.
    expect(await log.refresh()).toEqual({ stale: false, updates: [], damaged: [] });
    await log.append(changeOf(doc, () => doc.getMap('m').set('d', 4)));
    expect(log.headSeq).toBe(4);
    expect(log.rowsSinceSnapshot).toBe(1);
  });

  it('refresh hands a waiting reader what was appended after it read', async () => {
    const store = new MemoryVaultStore();
    const reader = MemoryVaultLog.load({ store, vaultId }).log;
    await writeThree(store);
    const fresh = await reader.refresh();
    expect(fresh.stale).toBe(false);
    if (fresh.stale) return;
    expect(replay(fresh.updates)).toEqual({ a: 1, b: 2, c: 3 });
    expect(await reader.refresh()).toEqual({ stale: false, updates: [], damaged: [] });
  });

  it('compactWith opens a snapshot sealed with the vault key and keeps its state', async () => {
    const store = new MemoryVaultStore();
    const key = deriveSubkey(generateKey('vault'), 'storage');
    const { doc } = await writeThree(store);
    const { log } = MemoryVaultLog.load({ store, vaultId, key });
    const state = Y.encodeStateAsUpdate(doc);
    await log.compactWith(async () => ({ seq: 3, bytes: sealSnapshot(key, vaultId, 3, state) }));
    expect(log.rowsSinceSnapshot).toBe(0);
    expect(replay(MemoryVaultLog.load({ store, vaultId }).loaded.updates)).toEqual({
      a: 1,
      b: 2,
      c: 3,
    });
  });

  it('refuses to write once its holder may not, or once the store is cleared; clear zeroes the bytes', async () => {
    const store = new MemoryVaultStore();
    const { log, doc } = await writeThree(store);
    const kept = store.snapshot(vaultId).updates;
    const update = changeOf(doc, () => doc.getMap('m').set('x', 1));
    let allowed = false;
    log.attach({ mayWrite: () => allowed });
    await expect(log.append(update)).rejects.toBeInstanceOf(LogClosedError);
    await expect(log.compact(Y.encodeStateAsUpdate(doc))).rejects.toBeInstanceOf(LogClosedError);
    expect(MemoryVaultLog.load({ store, vaultId }).loaded.headSeq).toBe(3);
    allowed = true;
    store.clear();
    expect(kept.every((bytes) => bytes.every((byte) => byte === 0))).toBe(true);
    await expect(log.append(update)).rejects.toBeInstanceOf(LogClosedError);
    expect(store.has(vaultId)).toBe(false);
    expect(MemoryVaultLog.load({ store, vaultId }).loaded.updates).toEqual([]);
  });

  it('drop forgets one vault and zeroes its bytes, leaving the others', async () => {
    const store = new MemoryVaultStore();
    await writeThree(store);
    store.replace(otherId, new Uint8Array([1, 2, 3]));
    const kept = store.snapshot(vaultId).updates;
    store.drop(vaultId);
    expect(kept.every((bytes) => bytes.every((byte) => byte === 0))).toBe(true);
    expect(store.has(vaultId)).toBe(false);
    expect(store.read(otherId)).toEqual([new Uint8Array([1, 2, 3])]);
  });
});
