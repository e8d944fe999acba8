import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { rootsTouchedBy } from '../../../src/core/vault/update-roots';

/** Everything `from` has that `to` lacks. */
function missing(from: Y.Doc, to: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, missing(from, to));
}

/** Two docs in the same state: A (the judge) and B (the other device). */
function pair(setup?: (b: Y.Doc) => void): { a: Y.Doc; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  if (setup) {
    b.transact(() => setup(b));
    sync(b, a);
  }
  return { a, b };
}

/** The update B's change `fn` makes, as a device would send it (one transaction). */
function change(b: Y.Doc, fn: () => void): Uint8Array {
  let update: Uint8Array | undefined;
  const listen = (u: Uint8Array) => {
    update = u;
  };
  b.on('update', listen);
  b.transact(fn);
  b.off('update', listen);
  if (!update) throw new Error('the change made no update');
  return update;
}

function rootsOf(doc: Y.Doc, update: Uint8Array) {
  const before = Y.encodeStateAsUpdate(doc);
  const shareBefore = [...doc.share.keys()];
  const result = rootsTouchedBy(doc, update);
  // Never mutates the judge.
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  expect([...doc.share.keys()]).toEqual(shareBefore);
  return { resolved: result.resolved, roots: [...result.roots].sort() };
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types are generic over their event type.
type AnyType = Y.AbstractType<any>;

function rootName(type: AnyType): string {
  let top = type;
  while (top._item !== null) top = top._item.parent as AnyType;
  return Y.findRootTypeKey(top);
}

/** The roots Yjs reports changed when `update` is applied to a copy of `doc`. */
function observedRoots(doc: Y.Doc, update: Uint8Array): string[] {
  const clone = new Y.Doc();
  Y.applyUpdate(clone, Y.encodeStateAsUpdate(doc));
  const seen = new Set<string>();
  clone.on('afterTransaction', (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) seen.add(rootName(type));
  });
  Y.applyUpdate(clone, update);
  return [...seen].sort();
}

/** A vault-shaped doc: entries holding nested maps with text, plus the other roots. */
function vault(b: Y.Doc): void {
  const entry = new Y.Map<unknown>();
  b.getMap('entries').set('e1', entry);
  entry.set('name', 'API_KEY');
  entry.set('note', new Y.Text('hello world'));
  b.getMap('team').set('d1', 'owner');
  b.getMap('audit').set('0', 'created');
  b.getMap('meta').set('name', 'work');
}

function entry(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('entries').get('e1') as Y.Map<unknown>;
}

describe('rootsTouchedBy', () => {
  it('reports the root map a set lands in', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => b.getMap('team').set('d2', 'viewer'));
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['team'] });
    expect(observedRoots(a, update)).toEqual(['team']);
  });

  it('reports the root of a nested map the judge already has (parent given by id)', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => entry(b).set('value', 's3cret'));
    const [item] = Y.decodeUpdate(update).structs;
    expect(item).toBeInstanceOf(Y.Item);
    expect((item as Y.Item).parent).toBeInstanceOf(Y.ID);
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['entries'] });
  });

  it('reports the root of a text edit in the middle (items placed only by their neighbours)', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => (entry(b).get('note') as Y.Text).insert(5, ', dear'));
    const items = Y.decodeUpdate(update).structs as Y.Item[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.parent).toBeNull();
      expect(item.origin ?? item.rightOrigin).not.toBeNull();
    }
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['entries'] });
    expect(observedRoots(a, update)).toEqual(['entries']);
  });

  it('reports the root of a deletion in a nested map (delete set only)', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => entry(b).delete('name'));
    const decoded = Y.decodeUpdate(update);
    expect(decoded.structs).toHaveLength(0);
    expect(decoded.ds.clients.size).toBe(1);
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['entries'] });
  });

  it('reports the root of a text deletion and of deleting a whole nested map', () => {
    const { a, b } = pair(vault);
    const cut = change(b, () => (entry(b).get('note') as Y.Text).delete(2, 5));
    expect(rootsOf(a, cut)).toEqual({ resolved: true, roots: ['entries'] });
    const gone = change(b, () => b.getMap('entries').delete('e1'));
    expect(rootsOf(a, gone)).toEqual({ resolved: true, roots: ['entries'] });
  });

  it('reports every root one update touches', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => {
      b.getMap('audit').set('1', 'viewed');
      b.getMap('team').delete('d1');
    });
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['audit', 'team'] });
    expect(observedRoots(a, update)).toEqual(['audit', 'team']);
  });

  it('reports nothing for an update the judge already has', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => {
      entry(b).set('value', 'x');
      b.getMap('meta').delete('name');
    });
    Y.applyUpdate(a, update);
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: [] });
  });

  it('reports only the roots of what a whole-state checkpoint adds', () => {
    const { a, b } = pair(vault);
    // Deletions A already has must not count again.
    const shared = change(b, () => {
      b.getMap('meta').delete('name');
      (entry(b).get('note') as Y.Text).insert(11, '!');
    });
    Y.applyUpdate(a, shared);
    // What A lacks: a team change, and more text at the end of an item A holds half of.
    change(b, () => {
      b.getMap('team').set('d3', 'editor');
      (entry(b).get('note') as Y.Text).insert(12, '?');
    });
    const checkpoint = Y.encodeStateAsUpdate(b);
    expect(Y.decodeUpdate(checkpoint).ds.clients.size).toBeGreaterThan(0);
    expect(rootsOf(a, checkpoint)).toEqual({ resolved: true, roots: ['entries', 'team'] });
    expect(observedRoots(a, checkpoint)).toEqual(['entries', 'team']);

    Y.applyUpdate(a, checkpoint);
    expect(rootsOf(a, checkpoint)).toEqual({ resolved: true, roots: [] });
    // A fresh doc lacks everything.
    expect(rootsOf(new Y.Doc(), checkpoint)).toEqual({
      resolved: true,
      roots: ['audit', 'entries', 'meta', 'team'],
    });
  });

  it('reports the root of a checkpoint that continues a text item the judge holds part of', () => {
    const { a, b } = pair((b) => b.getMap('meta').set('motd', new Y.Text('abc')));
    change(b, () => (b.getMap('meta').get('motd') as Y.Text).insert(3, 'def'));
    // B's store merged "abc" and "def" into one item: diffUpdate has to slice it.
    const checkpoint = Y.encodeStateAsUpdate(b);
    expect(rootsOf(a, checkpoint)).toEqual({ resolved: true, roots: ['meta'] });
  });

  it('is unresolved when a change builds on an update the judge never received', () => {
    const { a, b } = pair(vault);
    let inner!: Y.Map<unknown>;
    change(b, () => {
      inner = new Y.Map<unknown>();
      b.getMap('entries').set('e2', inner);
    }); // never reaches A
    const later = change(b, () => {
      inner.set('value', 1);
      b.getMap('audit').set('2', 'set e2');
    });
    expect(rootsOf(a, later)).toEqual({ resolved: false, roots: ['audit'] });

    change(b, () => (entry(b).get('note') as Y.Text).insert(0, '>'));
    const c = new Y.Doc();
    sync(b, c);
    const edit = change(c, () => (entry(c).get('note') as Y.Text).insert(1, '>'));
    expect(rootsOf(a, edit).resolved).toBe(false);
    sync(b, a);
    expect(rootsOf(a, edit)).toEqual({ resolved: true, roots: ['entries'] });
  });

  it('is unresolved when deleting something the judge does not have', () => {
    const { a, b } = pair(vault);
    change(b, () => b.getMap('team').set('d9', 'viewer')); // never reaches A
    const removal = change(b, () => b.getMap('team').delete('d9'));
    expect(Y.decodeUpdate(removal).structs).toHaveLength(0);
    expect(rootsOf(a, removal)).toEqual({ resolved: false, roots: [] });
  });

  it('is unresolved after a gap in the sending device clocks, yet tells the roots', () => {
    const { a, b } = pair(vault);
    change(b, () => b.getMap('audit').set('9', 'lost')); // never reaches A
    const next = change(b, () => b.getMap('meta').set('colour', 'blue'));
    expect(rootsOf(a, next)).toEqual({ resolved: false, roots: ['meta'] });
  });

  it('places items whose parent is created in the same update', () => {
    const { a, b } = pair(vault);
    const update = change(b, () => {
      const outer = new Y.Map<unknown>();
      b.getMap('entries').set('e2', outer);
      const inner = new Y.Map<unknown>();
      outer.set('fields', inner);
      const text = new Y.Text('0123456789');
      inner.set('doc', text);
      text.insert(5, 'middle');
      text.delete(0, 2);
      const list = new Y.Array<unknown>();
      inner.set('list', list);
      list.push([1, 2, 3]);
      list.insert(1, ['x']);
    });
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['entries'] });
    // A doc that lacks B's earlier clocks would hold it (a gap), though its place is known.
    expect(rootsOf(new Y.Doc(), update)).toEqual({ resolved: false, roots: ['entries'] });
  });

  it('places long neighbour chains without recursion', () => {
    const { a, b } = pair((b) => b.getMap('meta').set('log', new Y.Text('')));
    b.clientID = 1;
    const c = new Y.Doc();
    c.clientID = 2; // written first in the update, so its item is placed first
    sync(b, c);
    // Each insertion at the front builds on the one before (its right origin): a 25,000-deep chain.
    const log = (doc: Y.Doc) => doc.getMap('meta').get('log') as Y.Text;
    b.transact(() => {
      for (let i = 0; i < 25_000; i++) log(b).insert(0, 'x');
    });
    sync(b, c);
    change(c, () => log(c).insert(0, 'y'));
    const update = missing(c, a);
    expect((Y.decodeUpdate(update).structs[0] as Y.Item).id.client).toBe(2);
    expect(rootsOf(a, update)).toEqual({ resolved: true, roots: ['meta'] });
  });

  it('follows Yjs where it turns an item into garbage, and is cautious where Yjs keeps it', () => {
    for (const gc of [true, false]) {
      const a = new Y.Doc({ gc });
      const b = new Y.Doc();
      b.transact(() => vault(b));
      sync(b, a);
      // A deletes the entry; B, not knowing, edits inside it.
      a.getMap('entries').delete('e1');
      const edit = change(b, () => {
        (entry(b).get('note') as Y.Text).insert(5, '!');
        entry(b).set('name', 'OTHER');
      });
      const result = rootsOf(a, edit);
      expect(result.resolved).toBe(true);
      // With gc the entry's insides are garbage collected and the edit lands nowhere; without,
      // Yjs files it under a deleted map (no event), and we still count the root.
      expect(result.roots).toEqual(gc ? [] : ['entries']);
      expect(observedRoots(a, edit)).toEqual([]);
    }
  });

  it('throws on malformed bytes', () => {
    const { a } = pair(vault);
    expect(() => rootsTouchedBy(a, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow();
    expect(() => rootsTouchedBy(a, new Uint8Array([255, 255, 255, 255]))).toThrow();
    expect(() => rootsTouchedBy(a, new Uint8Array())).toThrow();
    expect(() =>
      rootsTouchedBy(new Y.Doc(), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    ).toThrow();
    const b = new Y.Doc();
    const update = change(b, () => b.getMap('team').set('d2', 'x'.repeat(50)));
    expect(() => rootsTouchedBy(a, update.slice(0, update.length - 10))).toThrow();
  });
});

const ROOTS = ['entries', 'team', 'audit', 'meta'] as const;

type Op =
  | { type: 'set'; root: number; key: string; value: number }
  | { type: 'delete'; root: number; key: string }
  | { type: 'nest'; root: number; key: string }
  | { type: 'nestedSet'; root: number; key: string; sub: string; value: number }
  | { type: 'nestedDelete'; root: number; key: string; sub: string }
  | { type: 'textInsert'; root: number; key: string; at: number; text: string }
  | { type: 'textDelete'; root: number; key: string; at: number; length: number };

const root = fc.nat(ROOTS.length - 1);
const key = fc.constantFrom('k1', 'k2', 'k3');
const sub = fc.constantFrom('a', 'b', 't');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('set' as const), root, key, value: fc.nat(9) }),
  fc.record({ type: fc.constant('delete' as const), root, key }),
  fc.record({ type: fc.constant('nest' as const), root, key }),
  fc.record({ type: fc.constant('nestedSet' as const), root, key, sub, value: fc.nat(9) }),
  fc.record({ type: fc.constant('nestedDelete' as const), root, key, sub }),
  fc.record({
    type: fc.constant('textInsert' as const),
    root,
    key,
    at: fc.nat(20),
    text: fc.string({ minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('textDelete' as const),
    root,
    key,
    at: fc.nat(20),
    length: fc.integer({ min: 1, max: 4 }),
  }),
);

/** Applies `op` to live types only (fetched fresh), as the app does. */
function perform(doc: Y.Doc, op: Op): void {
  const map = doc.getMap<unknown>(ROOTS[op.root]!);
  const nested = map.get(op.key);
  const text = nested instanceof Y.Map ? nested.get('t') : undefined;
  switch (op.type) {
    case 'set':
      return void map.set(op.key, op.value);
    case 'delete':
      return void map.delete(op.key);
    case 'nest': {
      const inner = new Y.Map<unknown>();
      map.set(op.key, inner);
      inner.set('a', 0);
      inner.set('t', new Y.Text('hello'));
      return;
    }
    case 'nestedSet':
      if (nested instanceof Y.Map) nested.set(op.sub, op.value);
      return;
    case 'nestedDelete':
      if (nested instanceof Y.Map) nested.delete(op.sub);
      return;
    case 'textInsert':
      if (text instanceof Y.Text) text.insert(op.at % (text.length + 1), op.text);
      return;
    case 'textDelete':
      if (text instanceof Y.Text && text.length > 0) {
        const at = op.at % text.length;
        text.delete(at, Math.min(op.length, text.length - at));
      }
      return;
  }
}

const step = fc.record({
  actor: fc.constantFrom('b', 'c'),
  ops: fc.array(op, { minLength: 1, maxLength: 3 }),
  deliver: fc.boolean(),
  exchange: fc.boolean(),
  catchUp: fc.boolean(),
});

describe('rootsTouchedBy, against what Yjs reports when it applies the update', () => {
  it('tells exactly the roots a transaction changes, and holds what Yjs would hold', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 25 }), (steps) => {
        const a = new Y.Doc();
        const docs = { b: new Y.Doc(), c: new Y.Doc() };
        for (const s of steps) {
          const doc = docs[s.actor];
          let update: Uint8Array | undefined;
          const listen = (u: Uint8Array) => {
            update = u;
          };
          doc.on('update', listen);
          doc.transact(() => {
            for (const o of s.ops) perform(doc, o);
          });
          doc.off('update', listen);
          if (update) {
            const result = rootsTouchedBy(a, update);
            const clone = new Y.Doc();
            Y.applyUpdate(clone, Y.encodeStateAsUpdate(a));
            const seen = new Set<string>();
            clone.on('afterTransaction', (tr: Y.Transaction) => {
              for (const type of tr.changed.keys()) seen.add(rootName(type));
            });
            Y.applyUpdate(clone, update);
            const held = clone.store.pendingStructs !== null || clone.store.pendingDs !== null;
            expect(result.resolved).toBe(!held);
            const roots = [...result.roots].sort();
            if (result.resolved) {
              expect(roots).toEqual([...seen].sort());
            } else {
              for (const r of seen) expect(roots).toContain(r);
            }
            if (result.resolved && s.deliver) Y.applyUpdate(a, update);
          }
          if (s.exchange) {
            sync(docs.b, docs.c);
            sync(docs.c, docs.b);
          }
          if (s.catchUp) {
            sync(docs.b, a);
            sync(docs.c, a);
            expect(a.store.pendingStructs).toBeNull();
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
