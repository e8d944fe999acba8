/**
 * One chain per entry (entry-doc.ts, entry-chain.ts): a write is one Yjs item appended to the
 * entry's chain, so what a vault keeps at rest is its live content and retained versions, not
 * a record per write; devices that change different parts of an entry apart keep both; and a
 * vault written in the older layout (value registers in the entry's map) opens, reads as it
 * did, and moves an entry to its chain at its first change.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { EntryId } from '../../../src/core/ids';
import { createEntryStore, type EntryInput } from '../../../src/core/vault/entry-model';
import { deletedEntries, entryHistory } from '../../../src/core/vault/history';
import { contents, replica, send } from './support';

const item = (value: unknown): EntryInput => ({ kind: 'item', value }) as EntryInput;
const atRest = (doc: Y.Doc) => {
  const reopened = new Y.Doc();
  Y.applyUpdate(reopened, Y.encodeStateAsUpdate(doc));
  return Y.encodeStateAsUpdate(reopened).length;
};
const retainedBytes = (doc: Y.Doc) =>
  [...doc.getMap('history').values()].reduce(
    (sum: number, chain) => sum + JSON.stringify((chain as Y.Array<unknown>).toJSON()).length,
    0,
  );
const password = (i: number) => ({ user: 'alice', password: `pw-${String(i).padStart(6, '0')}` });

describe('storage: a write leaves nothing behind once its version is pruned', () => {
  it('10,000 overwrites of one entry keep about the 50 retained versions', () => {
    const r = replica();
    r.store.set('login', item(password(0)));
    for (let i = 1; i <= 10_000; i++) r.at(1_000 + i).store.set('login', item(password(i)));
    const id = r.store.get('login')!.id;
    expect(entryHistory(r.doc, id)).toHaveLength(50);
    const bytes = atRest(r.doc);
    const retained = retainedBytes(r.doc);
    // The chain's pruned items merge into one tombstone: well under 1 byte per write beyond
    // what is retained (the layout with a value register beside the history kept ~19).
    expect(bytes, `${bytes} bytes at rest, ${retained} retained`).toBeLessThan(retained + 1_000);
    expect(r.store.get('login')!.value).toEqual(password(10_000));
  });

  it('writes interleaved over entries leave at most a few bytes each (their items cannot merge)', () => {
    const r = replica();
    r.store.setMany([
      { name: 'a', input: item(password(0)) },
      { name: 'b', input: item(password(0)) },
    ]);
    for (let i = 1; i <= 1_000; i++) {
      r.at(1_000 + i);
      r.store.set('a', item(password(i)));
      r.store.set('b', item(password(i)));
    }
    const residue = (atRest(r.doc) - retainedBytes(r.doc)) / 2_000;
    expect(residue).toBeGreaterThan(0);
    expect(residue).toBeLessThan(12);
  });

  it('two devices editing one entry apart converge, and keep it bounded', () => {
    const a = replica({ clientID: 1, prefix: 'a' });
    a.store.set('k', item(0));
    const b = replica({ clientID: 2, prefix: 'b', from: a.doc });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) {
        a.store.set('k', item(`a${round}.${i}`));
        b.store.set('k', item(`b${round}.${i}`));
      }
      send(a.doc, b.doc);
      send(b.doc, a.doc);
    }
    expect(contents(a.store)).toEqual(contents(b.store));
    expect(Y.encodeStateAsUpdate(a.doc)).toEqual(Y.encodeStateAsUpdate(b.doc));
    expect(atRest(a.doc)).toBeLessThan(retainedBytes(a.doc) + 2_000);
  });
});

describe('a restore racing the purge of the same deleted entry', () => {
  it('the restored entry keeps its content and history on both devices', () => {
    const DAY = 86_400_000;
    const a = replica({ clientID: 1, prefix: 'a', time: 1_000 });
    a.store.set('k', item('kept'));
    a.store.set('k', item('kept 2'));
    const id = a.store.get('k')!.id;
    a.store.delete('k');
    const b = replica({ clientID: 2, prefix: 'b', from: a.doc });
    a.at(1_000 + 91 * DAY).store.purgeExpired();
    b.at(1_000 + 90 * DAY - 1).store.restoreDeleted(id);
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    for (const r of [a, b]) {
      expect(r.store.get('k')!.value).toBe('kept 2');
      expect(entryHistory(r.doc, id).map((v) => v.value)).toEqual(['kept', 'kept 2', 'kept 2']);
    }
  });
});

describe('edits made apart, key by key', () => {
  it('a rename and a value change apart both survive, whichever version Yjs orders last', () => {
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const a = replica({ clientID: first, prefix: 'a' });
      a.store.set('k', { kind: 'secret', value: 'v0' } as EntryInput);
      const b = replica({ clientID: second, prefix: 'b', from: a.doc });
      a.store.rename('k', 'renamed');
      b.store.set('k', { kind: 'secret', value: 'v1' } as EntryInput);
      b.store.set('k', { kind: 'secret', value: 'v2' } as EntryInput);
      send(a.doc, b.doc);
      send(b.doc, a.doc);
      for (const r of [a, b]) {
        expect(r.store.get('renamed')).toMatchObject({ value: 'v2', writeOnly: false });
        expect(r.store.has('k')).toBe(false);
      }
    }
  });

  it('write-only set apart from a value change stays write-only after many later value edits', () => {
    const a = replica({ clientID: 1, prefix: 'a' });
    a.store.set('s', { kind: 'secret', value: 'v0' } as EntryInput);
    const b = replica({ clientID: 2, prefix: 'b', from: a.doc });
    a.store.set('s', { kind: 'secret', value: 'v0', writeOnly: true } as EntryInput);
    for (let i = 0; i < 70; i++) b.store.set('s', { kind: 'secret', value: `v${i}` } as EntryInput);
    send(b.doc, a.doc);
    send(a.doc, b.doc);
    for (const r of [a, b])
      expect(r.store.get('s')).toMatchObject({ writeOnly: true, value: 'v69' });
  });
});

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/legacy-vault.json', import.meta.url), 'utf8'),
) as { update: string };
const expected = JSON.parse(
  readFileSync(new URL('./fixtures/legacy-vault-read.json', import.meta.url), 'utf8'),
) as Record<string, { entry: { id: EntryId }; history: unknown[] }> & { deleted: unknown[] };

/** A device running this version over the vault the older layout wrote (fixtures/). */
function legacyVault(clientID = 7, author = 'dev-new') {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  Y.applyUpdate(doc, Buffer.from(fixture.update, 'base64'));
  let time = 2_000_000;
  const store = createEntryStore(doc, {
    clock: () => time,
    newId: () => `fresh${String(++time).padStart(11, '0')}`,
    author,
  });
  const entryKeys = (name: string) =>
    [...(doc.getMap('entries').get(store.get(name)!.id) as Y.Map<unknown>).keys()].sort();
  return { doc, store, entryKeys };
}

describe('a vault written in the older layout', () => {
  it('reads every entry, history and deleted entry as the older version did', () => {
    const { doc, store } = legacyVault();
    const names = ['api_key', 'db', 'never_edited', 'renamed'];
    expect(store.list().map((s) => s.name)).toEqual(names);
    for (const name of names) {
      expect(store.get(name)).toEqual(expected[name]!.entry);
      expect(entryHistory(doc, expected[name]!.entry.id)).toEqual(expected[name]!.history);
    }
    expect(
      deletedEntries(doc, 1_020_000).map((d) => ({
        ...d,
        history: entryHistory(doc, d.id as EntryId),
      })),
    ).toEqual(expected.deleted);
  });

  it('moves an entry to its chain at its first change, keeping its history', () => {
    const { doc, store, entryKeys } = legacyVault();
    expect(entryKeys('renamed')).toContain('value');
    store.set('renamed', item(4));
    expect(entryKeys('renamed')).toEqual(['createdAt', 'createdBy', 'kind', 'name']);
    const id = store.get('renamed')!.id;
    expect(store.get('renamed')).toMatchObject({
      value: 4,
      createdAt: 1_001_000,
      updatedAt: 2_000_000,
    });
    expect(entryHistory(doc, id).map((v) => [v.by, v.value])).toEqual([
      ['dev-old', 1],
      ['dev-old', 2],
      ['dev-old', 3],
      ['dev-old', 3],
      ['dev-new', 4],
    ]);
  });

  it('an entry never changed stores its old state first, once, then the change', () => {
    const { doc, store } = legacyVault();
    store.rename('never_edited', 'edited_now');
    const id = store.get('edited_now')!.id;
    expect(store.get('edited_now')!.value).toEqual({ a: 1, s: 'x' });
    expect(entryHistory(doc, id).map((v) => [v.by, v.name, v.changes])).toEqual([
      ['dev-old', 'never_edited', ['created']],
      ['dev-new', 'edited_now', ['name']],
    ]);
  });

  it('keeps a secret write-only and a connection whole through the move', () => {
    const { store, entryKeys } = legacyVault();
    const key = store.get('api_key')!;
    store.update(key.id, { value: 'sk-newer' });
    expect(store.get('api_key')).toMatchObject({ value: 'sk-newer', writeOnly: true });
    expect(entryKeys('api_key')).not.toContain('writeOnly');
    const db = store.get('db')!;
    store.update(db.id, {
      value: {
        type: 'postgres',
        fields: { host: { value: 'h3', secret: false }, password: { value: 'p1', secret: true } },
      },
    } as never);
    expect(store.get('db')!.value).toEqual({
      type: 'postgres',
      fields: { host: { value: 'h3', secret: false }, password: { value: 'p1', secret: true } },
    });
    expect(entryKeys('db')).toEqual(['createdAt', 'createdBy', 'kind', 'name']);
  });

  it('restores an entry deleted in the older layout, with its history', () => {
    const { doc, store } = legacyVault();
    const [gone] = deletedEntries(doc, 1_020_000);
    const restored = store.restoreDeleted(gone!.id as EntryId);
    expect(store.get('gone')).toMatchObject({ id: restored.id, value: 'bye' });
    expect(entryHistory(doc, restored.id).map((v) => v.value)).toEqual(['bye', 'bye']);
  });

  it('two devices moving one entry apart (a rename, a value change) both keep their change', () => {
    const a = legacyVault(1, 'dev-a');
    const b = legacyVault(2, 'dev-b');
    a.store.rename('never_edited', 'by_a');
    b.store.set('never_edited', item('by b'));
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    for (const r of [a, b]) {
      expect(r.store.get('by_a')!.value).toBe('by b');
      expect(r.entryKeys('by_a')).toEqual(['createdAt', 'createdBy', 'kind', 'name']);
      // The state before, stored by both, shows once.
      expect(entryHistory(r.doc, r.store.get('by_a')!.id)).toHaveLength(3);
    }
    expect(contents(a.store)).toEqual(contents(b.store));
  });
});
