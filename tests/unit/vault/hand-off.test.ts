import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LogRefresh, VaultLog } from '../../../src/core/storage';
import { defaultCompactionPolicy } from '../../../src/core/vault';
import { vaultContents as contents, testCoffer } from '../../support/coffer';

/**
 * Handing a vault from one tab to a waiting one: the waiting tab reads the vault while it
 * waits, and once the lock is its own reads only what the other tab wrote meanwhile.
 */
async function twoTabs() {
  // No compaction while writing (only the byte rule could start one here): a compaction the
  // holder runs in the background after a write would replace what the waiting tab read, at a
  // moment that depends on timing. The close rules stay the defaults.
  const tabs = testCoffer({
    compaction: { ...defaultCompactionPolicy, minBytes: Number.POSITIVE_INFINITY },
  });
  const first = await tabs.coffer.createProfile('pw');
  const second = await tabs.anotherTab().unlock('pw');
  await first.createVault('shared');
  return { tabs, first, second };
}

/**
 * Watches the reads of a vault's log without changing them: every `VaultLog.load` (a full read:
 * what preparing a vault, or opening it without a prepared one, does) and every `refresh` (the
 * catch-up read once the lock is taken). Call it when the tab under test is about to open.
 */
function watchLogReads() {
  const load = vi.spyOn(VaultLog, 'load');
  const refresh = vi.spyOn(VaultLog.prototype, 'refresh');
  return {
    /** Full reads since watching began. */
    fullReads: () => load.mock.calls.length,
    /** Resolves when the first full read is done: the waiting tab has read the vault. */
    async firstFullRead() {
      await vi.waitFor(() => expect(load).toHaveBeenCalled(), { timeout: 10_000 });
      return (await load.mock.results[0]!.value) as Awaited<ReturnType<typeof VaultLog.load>>;
    },
    /** What each catch-up of `log` returned. */
    async refreshesOf(log: VaultLog): Promise<LogRefresh[]> {
      const results = refresh.mock.results.filter((_, i) => refresh.mock.contexts[i] === log);
      return Promise.all(results.map((result) => result.value as Promise<LogRefresh>));
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('hand-off to a waiting tab', () => {
  it('sees what the holder wrote while it waited, and the holder does not compact on close', async () => {
    const { tabs, first, second } = await twoTabs();
    const holder = await first.openVault('shared');
    for (let i = 0; i < 20; i++) await holder.set(`before_${i}`, i);
    const reads = watchLogReads();
    const waiting = second.openVault('shared');
    // The waiting tab reads the vault while it waits; then the holder goes on writing.
    const prepared = await reads.firstFullRead();
    // It read every row there was (no snapshot yet): 20 or more, over onCloseRows.
    const rowsAtPrepare = (await tabs.db.strict.updates.toArray()).length;
    expect(await tabs.db.strict.snapshots.count()).toBe(0);
    expect(prepared.loaded.updates).toHaveLength(rowsAtPrepare);
    await holder.set('while_waiting', 'late');
    const rowsBefore = (await tabs.db.strict.updates.toArray()).length;
    expect(rowsBefore).toBe(rowsAtPrepare + 1);
    await holder.close();
    // 21 rows is over the close-compaction threshold: with a tab waiting, it was left alone.
    expect((await tabs.db.strict.updates.toArray()).length).toBe(rowsBefore);
    const next = await waiting;
    // The prepared vault was used: once the lock was taken, its log caught up with the one row
    // written meanwhile, and nothing was read in full again.
    expect(reads.fullReads()).toBe(1);
    const refreshes = await reads.refreshesOf(prepared.log);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ stale: false, damaged: [] });
    expect(refreshes[0]!.stale === false && refreshes[0]!.updates).toHaveLength(1);
    expect(await contents(next)).toEqual({
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`before_${i}`, i])),
      while_waiting: 'late',
    });
    await next.set('after', true);
    await next.close();
    const reopened = await first.openVault('shared');
    expect(await reopened.get('after')).toBe(true);
    expect(await reopened.get('while_waiting')).toBe('late');
    await reopened.close();
  });

  it('reads everything again if the holder compacted while it waited', async () => {
    const { first, second } = await twoTabs();
    const holder = await first.openVault('shared');
    await holder.set('a', 1);
    const reads = watchLogReads();
    const waiting = second.openVault('shared');
    const prepared = await reads.firstFullRead();
    await holder.set('b', 2);
    await holder.compact();
    await holder.set('c', 3);
    await holder.close();
    expect(await contents(await waiting)).toEqual({ a: 1, b: 2, c: 3 });
    // The catch-up found the snapshot replaced, so the vault was read in full a second time.
    expect(await reads.refreshesOf(prepared.log)).toEqual([{ stale: true }]);
    expect(reads.fullReads()).toBe(2);
  });

  it('a vault closed with nobody waiting is compacted on close when it is small', async () => {
    const { tabs, first } = await twoTabs();
    await first.withVault('shared', (vault) => vault.set('x', 1));
    expect(await tabs.db.strict.updates.toArray()).toEqual([]);
    expect((await tabs.db.strict.snapshots.toArray()).length).toBe(1);
  });
});
