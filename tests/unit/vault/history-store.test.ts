/**
 * Entry history at the store: every kind of write records the entry's new state, in the same
 * transaction (one Yjs update); pruning at the vault's limit; deleted entries kept, restored
 * and expired; restores pass the checks of a write; write-only values never come out; bad
 * settings change nothing.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { EntryId } from '../../../src/core/ids';
import { createEntryStore, type EntryInput } from '../../../src/core/vault/entry-model';
import {
  ConfusableNameError,
  InvalidNameError,
  NameTakenError,
} from '../../../src/core/vault/errors';
import {
  compareEntryVersions,
  DeletedEntryNotFoundError,
  deletedEntries,
  entryHistory,
  HistorySettingsError,
  historySettingsOf,
  restoreEntryVersion,
  VersionNotFoundError,
} from '../../../src/core/vault/history';
import { canary, expectNoLeak, thrown, updatesOf } from './support';

const DAY = 86_400_000;
const item = (value: unknown): EntryInput => ({ kind: 'item', value }) as EntryInput;
const secret = (value: unknown, writeOnly?: boolean): EntryInput =>
  (writeOnly === undefined
    ? { kind: 'secret', value }
    : { kind: 'secret', value, writeOnly }) as EntryInput;

function device(author = 'dev-A', from?: Y.Doc) {
  const doc = new Y.Doc();
  if (from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  let time = 1_000;
  let counter = 0;
  const store = createEntryStore(doc, {
    clock: () => time,
    newId: () => `${author.replace(/\W/g, '')}${String(++counter).padStart(8, '0')}`,
    author,
  });
  return {
    doc,
    store,
    at(next: number) {
      time = next;
    },
    history: (id: EntryId) => entryHistory(doc, id),
  };
}

describe('versions are recorded with each write, in the same update', () => {
  it('set, update, rename and setMany each add one version, as one Yjs update', () => {
    const d = device();
    const created = updatesOf(d.doc, () => d.store.set('a', item({ n: 1 })));
    expect(created).toHaveLength(1);
    const id = d.store.get('a')!.id;
    d.at(2_000);
    expect(updatesOf(d.doc, () => d.store.set('a', item({ n: 2 })))).toHaveLength(1);
    d.at(3_000);
    expect(updatesOf(d.doc, () => d.store.update(id, { value: { n: 3 } }))).toHaveLength(1);
    d.at(4_000);
    expect(updatesOf(d.doc, () => d.store.rename('a', 'b'))).toHaveLength(1);
    d.at(5_000);
    expect(
      updatesOf(d.doc, () =>
        d.store.setMany([
          { name: 'b', input: item({ n: 5 }) },
          { name: 'c', input: item('new') },
        ]),
      ),
    ).toHaveLength(1);
    const versions = d.history(id);
    expect(versions.map((v) => [v.at, v.by, v.name, v.value])).toEqual([
      [1_000, 'dev-A', 'a', { n: 1 }],
      [2_000, 'dev-A', 'a', { n: 2 }],
      [3_000, 'dev-A', 'a', { n: 3 }],
      [4_000, 'dev-A', 'b', { n: 3 }],
      [5_000, 'dev-A', 'b', { n: 5 }],
    ]);
    expect(versions.map((v) => v.changes)).toEqual([
      ['created'],
      ['value'],
      ['value'],
      ['name'],
      ['value'],
    ]);
    expect(d.history(d.store.get('c')!.id)).toHaveLength(1);
  });

  it('a version arrives with its write on another replica, never apart from it', () => {
    const d = device();
    d.store.set('a', item(1));
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(d.doc));
    const [update] = updatesOf(d.doc, () => d.store.set('a', item(2)));
    // The one update holds both the new value and its version.
    Y.applyUpdate(other, update!);
    const id = d.store.get('a')!.id;
    expect(entryHistory(other, id).map((v) => v.value)).toEqual([1, 2]);
    expect(createEntryStore(other, { clock: () => 0, newId: () => 'x' }).get('a')?.value).toBe(2);
  });

  it('an identical set writes nothing and records nothing', () => {
    const d = device();
    d.store.set('a', item([1, 2]));
    expect(updatesOf(d.doc, () => d.store.set('a', item([1, 2])))).toHaveLength(0);
    expect(d.history(d.store.get('a')!.id)).toHaveLength(1);
  });

  it('an import of many entries is still one update, with one version each', () => {
    const d = device();
    const batch = Array.from({ length: 500 }, (_, i) => ({ name: `k${i}`, input: item(i) }));
    expect(updatesOf(d.doc, () => d.store.setMany(batch))).toHaveLength(1);
    for (const name of ['k0', 'k499']) expect(d.history(d.store.get(name)!.id)).toHaveLength(1);
  });

  it('connections are recorded field by field, and compared by field', () => {
    const d = device();
    d.store.set('db', {
      kind: 'connection',
      value: {
        type: 'basic-auth',
        fields: { user: { value: 'app', secret: false }, password: { value: 'p1', secret: true } },
      },
    });
    const id = d.store.get('db')!.id;
    d.store.update(id, { fields: { password: { value: 'p2', secret: true }, host: null } });
    const versions = d.history(id);
    expect(versions.map((v) => v.changes)).toEqual([['created'], ['fields']]);
    expect(compareEntryVersions(d.doc, id, 0, 1)).toEqual([
      {
        path: ['fields', 'password'],
        change: 'changed',
        before: 'p1',
        after: 'p2',
        secret: true,
        hidden: false,
      },
    ]);
  });
});

describe('retention', () => {
  it('keeps the last N versions: the oldest go in the same update as the append', () => {
    const d = device();
    d.store.setHistorySettings({ versionsPerEntry: 3 });
    for (let i = 0; i < 10; i++) d.store.set('a', item(i));
    const id = d.store.get('a')!.id;
    expect(d.history(id).map((v) => v.value)).toEqual([7, 8, 9]);
    expect(updatesOf(d.doc, () => d.store.set('a', item(10)))).toHaveLength(1);
    expect(d.history(id).map((v) => v.value)).toEqual([8, 9, 10]);
  });

  it('lowering the limit prunes every entry at once', () => {
    const d = device();
    for (let i = 0; i < 6; i++)
      d.store.setMany([
        { name: 'a', input: item(i) },
        { name: 'b', input: item(-i) },
      ]);
    d.store.setHistorySettings({ versionsPerEntry: 2 });
    expect(d.history(d.store.get('a')!.id).map((v) => v.value)).toEqual([4, 5]);
    expect(d.history(d.store.get('b')!.id).map((v) => v.value)).toEqual([-4, -5]);
  });

  it('defaults to 50 versions and 90 days; bad settings throw and change nothing', () => {
    const d = device();
    expect(historySettingsOf(d.doc)).toEqual({ versionsPerEntry: 50, deletedDays: 90 });
    d.store.setHistorySettings({ versionsPerEntry: 7 });
    d.store.set('a', item(1));
    const before = Y.encodeStateAsUpdate(d.doc);
    for (const bad of [
      { versionsPerEntry: 0 },
      { versionsPerEntry: 1001 },
      { versionsPerEntry: 2.5 },
      { versionsPerEntry: '5' },
      { deletedDays: 0 },
      { deletedDays: Number.NaN },
      { versionsPerEntry: 5, deletedDays: -1 },
      { retention: 5 },
      null,
    ]) {
      const error = thrown(() => d.store.setHistorySettings(bad as never));
      expect(error).toBeInstanceOf(HistorySettingsError);
      expect((error as HistorySettingsError).code).toBe('history-settings-invalid');
    }
    expect(Y.encodeStateAsUpdate(d.doc)).toEqual(before);
    expect(historySettingsOf(d.doc)).toEqual({ versionsPerEntry: 7, deletedDays: 90 });
    expect(d.store.get('a')?.value).toBe(1);
  });

  it('a stored setting out of range (a damaged or newer peer) reads as the default', () => {
    const d = device();
    d.doc.getMap('meta').set('historyVersions', 0);
    d.doc.getMap('meta').set('deletedDays', -5);
    expect(historySettingsOf(d.doc)).toEqual({ versionsPerEntry: 50, deletedDays: 90 });
  });
});

describe('recently deleted', () => {
  it('a delete moves the entry to deleted, with its history, in one update', () => {
    const d = device();
    d.store.set('a', item(1));
    d.store.set('a', item(2));
    const id = d.store.get('a')!.id;
    d.at(5_000);
    expect(updatesOf(d.doc, () => d.store.delete('a'))).toHaveLength(1);
    expect(d.store.get('a')).toBeUndefined();
    expect(deletedEntries(d.doc, 6_000)).toEqual([
      {
        id,
        name: 'a',
        kind: 'item',
        writeOnly: false,
        deletedAt: 5_000,
        by: 'dev-A',
        expiresAt: 5_000 + 90 * DAY,
        versions: 2,
      },
    ]);
  });

  it('restore brings it back with the same id and history, and a new version', () => {
    const d = device();
    d.store.set('a', item({ x: 1 }));
    const id = d.store.get('a')!.id;
    d.store.delete('a');
    const summary = d.store.restoreDeleted(id);
    expect(summary).toMatchObject({ id, name: 'a', kind: 'item' });
    expect(d.store.get('a')?.value).toEqual({ x: 1 });
    expect(d.history(id)).toHaveLength(2);
    expect(deletedEntries(d.doc, 2_000)).toEqual([]);
    expect(thrown(() => d.store.restoreDeleted(id))).toBeInstanceOf(DeletedEntryNotFoundError);
  });

  it('restore under a taken name picks a free one, or the name given; a bad name changes nothing', () => {
    const d = device();
    d.store.set('a', item(1));
    const id = d.store.get('a')!.id;
    d.store.delete('a');
    d.store.set('a', item('newer'));
    const before = Y.encodeStateAsUpdate(d.doc);
    expect(thrown(() => d.store.restoreDeleted(id, 'a'))).toBeInstanceOf(NameTakenError);
    expect(thrown(() => d.store.restoreDeleted(id, 'bad name'))).toBeInstanceOf(InvalidNameError);
    expect(Y.encodeStateAsUpdate(d.doc)).toEqual(before);
    expect(d.store.get('a')?.value).toBe('newer');
    expect(d.store.restoreDeleted(id).name).toBe('a_2');
    expect(d.store.get('a_2')?.value).toBe(1);
  });

  it('restore refuses a look-alike of another entry, and changes nothing', () => {
    const d = device();
    d.store.set('KEY_1', item(1));
    const id = d.store.get('KEY_1')!.id;
    d.store.delete('KEY_1');
    d.store.set('KEY_l', item(2));
    const before = Y.encodeStateAsUpdate(d.doc);
    expect(thrown(() => d.store.restoreDeleted(id, 'KEY_1'))).toBeInstanceOf(ConfusableNameError);
    expect(Y.encodeStateAsUpdate(d.doc)).toEqual(before);
    expect(d.store.restoreDeleted(id).name).toBe('KEY_1_2');
  });

  it('an unknown id gives DeletedEntryNotFoundError', () => {
    const d = device();
    const error = thrown(() => d.store.restoreDeleted('nope00000001' as EntryId));
    expect(error).toBeInstanceOf(DeletedEntryNotFoundError);
    expect((error as DeletedEntryNotFoundError).code).toBe('deleted-entry-not-found');
  });

  it('expires after deletedDays by the deleting clock: purged with history on a later write', () => {
    const d = device();
    d.store.setHistorySettings({ deletedDays: 2 });
    d.store.set('a', item(1));
    d.store.set('keep', item(1));
    const id = d.store.get('a')!.id;
    d.at(10_000);
    d.store.delete('a');
    d.at(10_000 + 2 * DAY - 1);
    expect(deletedEntries(d.doc, 10_000 + 2 * DAY - 1)).toHaveLength(1);
    expect(d.store.purgeExpired()).toBe(0);
    d.at(10_000 + 2 * DAY);
    expect(deletedEntries(d.doc, 10_000 + 2 * DAY)).toEqual([]);
    d.store.set('keep', item(2));
    expect(d.doc.getMap('deleted').has(id)).toBe(false);
    expect(d.doc.getMap('history').has(id)).toBe(false);
    expect(d.store.get('keep')?.value).toBe(2);
    expect(thrown(() => d.store.restoreDeleted(id))).toBeInstanceOf(DeletedEntryNotFoundError);
  });
});

describe('restoring a version', () => {
  it('writes the old content as a new version; the name stays', () => {
    const d = device();
    d.store.set('a', item({ v: 1 }));
    d.store.set('a', item({ v: 2 }));
    const id = d.store.get('a')!.id;
    d.store.rename('a', 'b');
    restoreEntryVersion(d.store, d.doc, id, 0);
    expect(d.store.get('b')?.value).toEqual({ v: 1 });
    expect(d.history(id).map((v) => v.value)).toEqual([{ v: 1 }, { v: 2 }, { v: 2 }, { v: 1 }]);
  });

  it('a missing version gives VersionNotFoundError and changes nothing', () => {
    const d = device();
    d.store.set('a', item(1));
    const id = d.store.get('a')!.id;
    const before = Y.encodeStateAsUpdate(d.doc);
    for (const index of [-1, 1, 1.5, Number.NaN]) {
      const error = thrown(() => restoreEntryVersion(d.store, d.doc, id, index));
      expect(error).toBeInstanceOf(VersionNotFoundError);
      expect((error as VersionNotFoundError).code).toBe('version-not-found');
    }
    expect(thrown(() => compareEntryVersions(d.doc, id, 0, 3))).toBeInstanceOf(
      VersionNotFoundError,
    );
    expect(Y.encodeStateAsUpdate(d.doc)).toEqual(before);
  });
});

describe('write-only values never come out of history', () => {
  it('hides write-only values, and older readable copies of them, in versions and diffs', () => {
    const d = device();
    d.store.set('TOKEN', secret(`${canary}-1`));
    const id = d.store.get('TOKEN')!.id;
    // Made write-only with the same value: the readable version 0 now holds a write-only value.
    d.store.update(id, { writeOnly: true });
    d.store.set('TOKEN', secret(`${canary}-2`));
    d.store.set('OTHER', secret('readable-old'));
    d.store.set('OTHER', secret('readable-new'));
    const versions = d.history(id);
    expect(versions.map((v) => [v.hidden, v.writeOnly])).toEqual([
      [true, false],
      [true, true],
      [true, true],
    ]);
    expect(JSON.stringify(versions)).not.toContain(canary);
    const diff = compareEntryVersions(d.doc, id, 0, 2);
    expect(JSON.stringify(diff)).not.toContain(canary);
    expect(diff).toContainEqual({ path: ['value'], change: 'changed', secret: true, hidden: true });
    // A readable secret shows its values, flagged secret so the UI masks them.
    const other = d.store.get('OTHER')!.id;
    expect(compareEntryVersions(d.doc, other, 0, 1)).toEqual([
      {
        path: ['value'],
        change: 'changed',
        before: 'readable-old',
        after: 'readable-new',
        secret: true,
        hidden: false,
      },
    ]);
  });

  it('a hidden version restores write-only, so a restore never makes it readable', () => {
    const d = device();
    d.store.set('TOKEN', secret(`${canary}-1`));
    const id = d.store.get('TOKEN')!.id;
    d.store.update(id, { writeOnly: true });
    d.store.set('TOKEN', secret(`${canary}-2`));
    restoreEntryVersion(d.store, d.doc, id, 0);
    expect(d.store.get('TOKEN')).toMatchObject({ value: `${canary}-1`, writeOnly: true });
  });

  it('deleted write-only secrets list without their value', () => {
    const d = device();
    d.store.set('TOKEN', secret(canary, true));
    d.store.delete('TOKEN');
    const listed = deletedEntries(d.doc, 2_000);
    expect(listed[0]).toMatchObject({ name: 'TOKEN', writeOnly: true });
    expect(JSON.stringify(listed)).not.toContain(canary);
  });

  it('errors never carry a value', () => {
    const d = device();
    d.store.set('TOKEN', secret(canary, true));
    const id = d.store.get('TOKEN')!.id;
    expectNoLeak(thrown(() => restoreEntryVersion(d.store, d.doc, id, 9)));
  });
});
