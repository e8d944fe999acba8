import { describe, expect, it } from 'vitest';
import { vaultContents as contents, testCoffer } from '../../support/coffer';

/**
 * Handing a vault from one tab to a waiting one: the waiting tab reads the vault while it
 * waits, and once the lock is its own reads only what the other tab wrote meanwhile.
 */
async function twoTabs() {
  const tabs = testCoffer();
  const first = await tabs.coffer.createProfile('pw');
  const second = await tabs.anotherTab().unlock('pw');
  await first.createVault('shared');
  return { tabs, first, second };
}

describe('hand-off to a waiting tab', () => {
  it('sees what the holder wrote while it waited, and the holder does not compact on close', async () => {
    const { tabs, first, second } = await twoTabs();
    const holder = await first.openVault('shared');
    for (let i = 0; i < 20; i++) await holder.set(`before_${i}`, i);
    const waiting = second.openVault('shared');
    // The waiting tab has read the vault by now; the holder goes on writing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await holder.set('while_waiting', 'late');
    const rowsBefore = (await tabs.db.strict.updates.toArray()).length;
    await holder.close();
    // 21 rows is over the close-compaction threshold: with a tab waiting, it was left alone.
    expect((await tabs.db.strict.updates.toArray()).length).toBe(rowsBefore);
    const next = await waiting;
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
    const waiting = second.openVault('shared');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await holder.set('b', 2);
    await holder.compact();
    await holder.set('c', 3);
    await holder.close();
    expect(await contents(await waiting)).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('a vault closed with nobody waiting is compacted on close when it is small', async () => {
    const { tabs, first } = await twoTabs();
    await first.withVault('shared', (vault) => vault.set('x', 1));
    expect(await tabs.db.strict.updates.toArray()).toEqual([]);
    expect((await tabs.db.strict.snapshots.toArray()).length).toBe(1);
  });
});
