import { describe, expect, it } from 'vitest';
import { deviceIdOf } from '../../../src/core/ids';
import { handleOf } from '../../../src/core/vault';
import { vaultContents as contents, testCoffer } from '../../support/coffer';

async function source(entries: number, valueBytes: number) {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  await session.createVault('origin');
  const vault = handleOf(await session.openVault('origin'));
  for (let i = 0; i < entries; i++) await vault.set(`E_${i}`, 'v'.repeat(valueBytes));
  const first = vault.encodeState();
  await vault.set('LATER', 'after the first state');
  await vault.set('E_0', 'edited');
  const second = vault.encodeState();
  return { first, second, expected: await contents(vault) };
}

const other = deviceIdOf(new Uint8Array(32).fill(9));

describe('applying changes from other devices', () => {
  for (const [label, entries, valueBytes, rows] of [
    ['a small batch is saved as one row', 5, 10, 1],
    ['a large batch is saved as it came, one row per change, and all of it is there', 80, 1000, 2],
  ] as const) {
    it(label, async () => {
      const { first, second, expected } = await source(entries, valueBytes);
      const { coffer, db } = testCoffer();
      const session = await coffer.createProfile('pw');
      await session.createVault('copy');
      const copy = handleOf(await session.openVault('copy'));
      const rowsBefore = (await db.strict.updates.toArray()).length;
      const result = await copy.applyRemote([
        { update: first, author: other },
        { update: second, author: other },
      ]);
      expect(result.changed).toBe(2);
      expect((await db.strict.updates.toArray()).length - rowsBefore).toBe(rows);
      await copy.close();
      const reopened = await session.openVault('copy');
      expect(await contents(reopened)).toEqual(expected);
    });
  }
});

describe('a change the checks decoded (update-news.ts)', () => {
  it('all new here: saved as it came; mostly known here: only what it adds is saved; both reopen whole', async () => {
    const { first, second, expected } = await source(80, 1000);
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('copy');
    const copy = handleOf(await session.openVault('copy'));
    const rows = async () => (await db.strict.updates.toArray()).map((row) => row.bytes.length);
    // Not empty: an empty document takes the first-sync path, which saves updates as they came.
    await copy.set('MINE', 'made here');
    expect(copy.encodeState().length).toBeGreaterThan(2);
    const before = (await rows()).length;
    // As sync's judge does before applying: the update is decoded against the document.
    copy.rootsTouchedBy(first);
    expect((await copy.applyRemote([{ update: first, author: other }])).changed).toBe(1);
    const firstRow = (await rows()).slice(before);
    expect(firstRow).toHaveLength(1);
    // The row is the sealed update itself: its size, plus the seal's few bytes.
    expect(firstRow[0]!).toBeGreaterThanOrEqual(first.length);
    expect(firstRow[0]!).toBeLessThan(first.length + 200);
    // `second` is the whole state again, two small changes on top: almost all of it is known.
    copy.rootsTouchedBy(second);
    expect((await copy.applyRemote([{ update: second, author: other }])).changed).toBe(1);
    const secondRow = (await rows()).slice(before + 1);
    expect(secondRow).toHaveLength(1);
    expect(secondRow[0]!).toBeLessThan(second.length / 4);
    await copy.delete('MINE');
    await copy.close();
    const reopened = await session.openVault('copy');
    expect(await contents(reopened)).toEqual(expected);
  });
});

describe('a large batch is shown before it is saved', () => {
  // What a view does when told of a change: read the list on a later turn (a render), and see
  // whether the row is stored by then.
  async function seenBySlowView(entries: number, valueBytes: number) {
    const { first, expected } = await source(entries, valueBytes);
    const { coffer, db } = testCoffer();
    const session = await coffer.createProfile('pw');
    await session.createVault('copy');
    const copy = handleOf(await session.openVault('copy'));
    const rowsBefore = (await db.strict.updates.toArray()).length;
    let view: Promise<{ listed: number; rows: number }> | undefined;
    const stop = copy.onChange((origin) => {
      if (origin !== 'remote' || view) return;
      view = new Promise((resolve) => {
        setTimeout(() => {
          void (async () => {
            const listed = (await copy.list()).length;
            resolve({ listed, rows: (await db.strict.updates.toArray()).length - rowsBefore });
          })();
        }, 0);
      });
    });
    await copy.applyRemote([{ update: first, author: other }]);
    stop();
    const seen = await view!;
    const rowsAfter = (await db.strict.updates.toArray()).length - rowsBefore;
    await copy.close();
    const reopened = await session.openVault('copy');
    const all = await contents(reopened);
    return { seen, rowsAfter, all, expected };
  }

  it('a large batch: listed on the next turn, with nothing stored yet; saved after, whole', async () => {
    const { seen, rowsAfter, all, expected } = await seenBySlowView(80, 1000);
    expect(seen.listed).toBe(80);
    expect(seen.rows).toBe(0);
    expect(rowsAfter).toBe(1);
    // The later edits of `source` are not in `first`: what was saved is `first`, whole.
    expect(Object.keys(all)).toHaveLength(80);
    expect(all.E_1).toEqual(expected.E_1);
  });

  it('a small batch (an edit) is saved at once, before a view on the next turn looks', async () => {
    const { seen, rowsAfter } = await seenBySlowView(3, 10);
    expect(seen.listed).toBe(3);
    expect(seen.rows).toBe(1);
    expect(rowsAfter).toBe(1);
  });
});
