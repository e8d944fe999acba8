/**
 * History across devices: two replicas that edit one entry apart and then exchange updates,
 * both ways, show the same versions in the same order (Y.Array order, not the peers' clocks),
 * with each version's author; and pruning leaves both at the same limit.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createEntryStore, type EntryInput } from '../../../src/core/vault/entry-model';
import { entryHistory } from '../../../src/core/vault/history';
import { send } from './support';

const item = (value: unknown): EntryInput => ({ kind: 'item', value }) as EntryInput;

function device(author: string, clientID: number, clock: () => number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  let counter = 0;
  const store = createEntryStore(doc, {
    clock,
    newId: () => `${author}${String(++counter).padStart(8, '0')}`,
    author,
  });
  return { doc, store };
}

describe('an entry never changed', () => {
  it('stores one version, its content, by its creator: its chain is its only copy', () => {
    const a = device('devA', 1, () => 1_000);
    a.store.set('k', item({ big: 'x'.repeat(500) }));
    const id = a.store.get('k')!.id;
    const raw = a.doc.getMap('history').get(id) as Y.Array<unknown>;
    expect(raw.length).toBe(1);
    expect(entryHistory(a.doc, id)).toMatchObject([{ index: 0, by: 'devA', at: 1_000 }]);
    a.store.set('k', item('changed'));
    expect(raw.length).toBe(2);
    expect(entryHistory(a.doc, id).map((v) => v.by)).toEqual(['devA', 'devA']);
  });

  it('a vault of new entries does not keep each value twice', () => {
    const a = device('devA', 1, () => 1_000);
    const entries = Array.from({ length: 200 }, (_, i) => ({
      name: `e${i}`,
      input: item({ note: 'y'.repeat(200), i }),
    }));
    a.store.setMany(entries);
    const values = entries.reduce((sum, e) => sum + JSON.stringify(e.input.value).length, 0);
    const stored = Y.encodeStateAsUpdate(a.doc).length;
    // Each value once (in the entry's chain), plus its keys, id, creator and version envelope.
    // A value register beside a first version stored each value twice: 120 KB here.
    expect(stored, `${stored} bytes for ${values} bytes of values`).toBeLessThan(values * 2);
  });
});

describe('history across devices', () => {
  it('edits made apart show in one order on both, each with its author', () => {
    // B's clock is far behind A's: order must not depend on it.
    const a = device('devA', 1, () => 1_000_000);
    const b = device('devB', 2, () => 5);
    a.store.set('shared', item('v0'));
    send(a.doc, b.doc);
    const id = a.store.get('shared')!.id;
    a.store.set('shared', item('a1'));
    a.store.set('shared', item('a2'));
    b.store.set('shared', item('b1'));
    b.store.rename('shared', 'renamed');
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    const seenA = entryHistory(a.doc, id);
    const seenB = entryHistory(b.doc, id);
    expect(seenA).toEqual(seenB);
    expect(seenA).toHaveLength(5);
    expect(seenA[0]).toMatchObject({ by: 'devA', value: 'v0' });
    expect(seenA.filter((v) => v.by === 'devA').map((v) => v.value)).toEqual(['v0', 'a1', 'a2']);
    expect(seenA.filter((v) => v.by === 'devB').map((v) => v.name)).toEqual(['shared', 'renamed']);
  });

  it('three replicas, updates delivered in different orders, agree', () => {
    const r = [1, 2, 3].map((n) => device(`dev${n}`, n, () => n * 1_000));
    r[0]!.store.set('k', item(0));
    send(r[0]!.doc, r[1]!.doc);
    send(r[0]!.doc, r[2]!.doc);
    const id = r[0]!.store.get('k')!.id;
    for (const [i, replica] of r.entries()) {
      for (let n = 1; n <= 3; n++) replica.store.set('k', item(i * 10 + n));
    }
    send(r[2]!.doc, r[1]!.doc);
    send(r[1]!.doc, r[0]!.doc);
    send(r[0]!.doc, r[2]!.doc);
    send(r[0]!.doc, r[1]!.doc);
    const histories = r.map((replica) => entryHistory(replica.doc, id));
    expect(histories[1]).toEqual(histories[0]);
    expect(histories[2]).toEqual(histories[0]);
    expect(histories[0]).toHaveLength(10);
  });

  it('pruning on both sides leaves the same, bounded history', () => {
    const a = device('devA', 1, () => 1);
    const b = device('devB', 2, () => 2);
    a.store.setHistorySettings({ versionsPerEntry: 4 });
    a.store.set('k', item(0));
    send(a.doc, b.doc);
    const id = a.store.get('k')!.id;
    for (let n = 1; n <= 6; n++) {
      a.store.set('k', item(`a${n}`));
      b.store.set('k', item(`b${n}`));
    }
    send(a.doc, b.doc);
    send(b.doc, a.doc);
    expect(entryHistory(a.doc, id)).toEqual(entryHistory(b.doc, id));
    expect(entryHistory(a.doc, id).length).toBeLessThanOrEqual(8);
    a.store.set('k', item('after'));
    send(a.doc, b.doc);
    expect(entryHistory(b.doc, id).map((v) => v.value)).toHaveLength(4);
    expect(entryHistory(b.doc, id).at(-1)?.value).toBe('after');
  });

  it('a deletion and its restore travel to the other device', () => {
    const a = device('devA', 1, () => 10);
    const b = device('devB', 2, () => 20);
    a.store.set('k', item({ deep: [1] }));
    a.store.delete('k');
    send(a.doc, b.doc);
    const id = [...b.doc.getMap('deleted').keys()][0]!;
    expect(b.store.get('k')).toBeUndefined();
    b.store.restoreDeleted(id as never);
    send(b.doc, a.doc);
    expect(a.store.get('k')?.value).toEqual({ deep: [1] });
    expect(entryHistory(a.doc, id).map((v) => v.by)).toEqual(['devA', 'devB']);
  });
});
