import { describe, expect, it } from 'vitest';
import type { EntryInput } from '../../../src/core/vault/entry-model';
import { contents, type Replica, replica, send } from './support';

const item = (value: unknown): EntryInput => ({ kind: 'item', value }) as EntryInput;
const basicAuth = (user: string | null, password: string | null): EntryInput => ({
  kind: 'connection',
  value: {
    type: 'basic-auth',
    fields: { user: { value: user, secret: false }, password: { value: password, secret: true } },
  },
});

type Order = 'A then B' | 'B then A';
const orders: Order[] = ['A then B', 'B then A'];

/**
 * Two devices, A and B, that start from the same state (made by `setup` on a third), change
 * it while apart (`apart`), then exchange their updates in the given order. Both must end with
 * identical documents and identical contents; the merged store is returned for checks.
 */
function merge(
  order: Order,
  setup: (base: Replica) => void,
  apart: (a: Replica, b: Replica) => void,
  ids: { a?: string; b?: string; clientA?: number; clientB?: number } = {},
): { a: Replica; b: Replica } {
  const base = replica({ prefix: 'base-', clientID: 1 });
  setup(base);
  const a = replica({ prefix: ids.a ?? 'dev-a-', clientID: ids.clientA ?? 2, from: base.doc });
  const b = replica({ prefix: ids.b ?? 'dev-b-', clientID: ids.clientB ?? 3, from: base.doc });
  apart(a, b);
  if (order === 'A then B') {
    send(a.doc, b.doc);
    send(b.doc, a.doc);
  } else {
    send(b.doc, a.doc);
    send(a.doc, b.doc);
  }
  expect(a.doc.getMap('entries').toJSON()).toEqual(b.doc.getMap('entries').toJSON());
  expect(a.doc.getMap('meta').toJSON()).toEqual(b.doc.getMap('meta').toJSON());
  expect(contents(a.store)).toEqual(contents(b.store));
  return { a, b };
}

describe.each(orders)('merging, %s', (order) => {
  it('A renames an entry while B changes its value: both changes survive', () => {
    const { a } = merge(
      order,
      (base) => base.at(1_000).store.set('DB_URL', item('postgres://old')),
      (a, b) => {
        a.at(2_000).store.rename('DB_URL', 'DATABASE_URL');
        b.at(3_000).store.set('DB_URL', item('postgres://new'));
      },
    );
    expect(a.store.has('DB_URL')).toBe(false);
    expect(a.store.get('DATABASE_URL')).toMatchObject({
      id: 'base-00000001',
      value: 'postgres://new',
      createdAt: 1_000,
    });
    expect([2_000, 3_000]).toContain(a.store.get('DATABASE_URL')!.updatedAt);
  });

  it('A edits connection field user while B edits field password: both survive', () => {
    const { a } = merge(
      order,
      (base) => base.store.set('db', basicAuth('app', null)),
      (a, b) => {
        a.store.set('db', basicAuth('alice', null));
        b.store.set('db', basicAuth('app', 'hunter2'));
      },
    );
    expect(a.store.get('db')?.value).toEqual({
      type: 'basic-auth',
      fields: {
        password: { value: 'hunter2', secret: true },
        user: { value: 'alice', secret: false },
      },
    });
    expect(a.store.list()[0]?.emptyFields).toEqual([]);
  });

  it('A makes a secret write-only while B replaces its value: both survive', () => {
    const { a } = merge(
      order,
      (base) => base.store.set('TOKEN', { kind: 'secret', value: 'v1' }),
      (a, b) => {
        a.store.set('TOKEN', { kind: 'secret', value: 'v1', writeOnly: true });
        b.store.set('TOKEN', { kind: 'secret', value: 'v2' });
      },
    );
    expect(a.store.get('TOKEN')).toMatchObject({ value: 'v2', writeOnly: true });
  });

  it('both change the same value: one wins (Yjs’s rule), the same on both devices', () => {
    const { a } = merge(
      order,
      (base) => base.store.set('x', item(0)),
      (a, b) => {
        a.store.set('x', item('from A'));
        b.store.set('x', item('from B'));
      },
    );
    // Concurrent writes to one key: the higher clientID wins in Yjs (B has 3, A has 2).
    expect(a.store.get('x')?.value).toBe('from B');
  });

  it('both rename the same entry: one name wins, the entry is not duplicated', () => {
    const { a } = merge(
      order,
      (base) => base.store.set('x', item(1)),
      (a, b) => {
        a.store.rename('x', 'from-a');
        b.store.rename('x', 'from-b');
      },
    );
    expect(a.store.list().map((e) => e.name)).toEqual(['from-b']);
    expect(a.store.duplicates()).toEqual([]);
  });

  it('both create the same name while apart: both entries kept, the earlier one owns the name', () => {
    const { a, b } = merge(
      order,
      () => {},
      (a, b) => {
        b.at(2_000).store.set('API_KEY', { kind: 'secret', value: 'from B' });
        a.at(1_000).store.set('API_KEY', { kind: 'secret', value: 'from A' });
      },
    );
    for (const { store } of [a, b]) {
      expect(store.get('API_KEY')).toMatchObject({ id: 'dev-a-00000001', value: 'from A' });
      expect(store.list()).toHaveLength(1);
      const [duplicate, ...more] = store.duplicates();
      expect(more).toEqual([]);
      expect(duplicate?.name).toBe('API_KEY');
      expect(duplicate?.owner.id).toBe('dev-a-00000001');
      expect(duplicate?.others.map((o) => o.id)).toEqual(['dev-b-00000001']);
      expect(store.getById(duplicate!.others[0]!.id)?.value).toBe('from B');
    }
  });

  it('same name, same creation time: the smaller id owns it, whoever has the larger clientID', () => {
    const { a } = merge(
      order,
      () => {},
      (a, b) => {
        a.at(1_000).store.set('API_KEY', item('from A'));
        b.at(1_000).store.set('API_KEY', item('from B'));
      },
      { a: 'zz-', b: 'aa-' },
    );
    expect(a.store.get('API_KEY')).toMatchObject({ id: 'aa-00000001', value: 'from B' });
    expect(a.store.duplicates()[0]?.others.map((o) => o.id)).toEqual(['zz-00000001']);
  });

  it('two different entries renamed to one name while apart become duplicates', () => {
    const { a } = merge(
      order,
      (base) => {
        base.at(1_000).store.set('one', item(1));
        base.at(2_000).store.set('two', item(2));
      },
      (a, b) => {
        a.store.rename('two', 'same');
        b.store.rename('one', 'same');
      },
    );
    expect(a.store.get('same')?.value).toBe(1);
    expect(a.store.duplicates().map((d) => [d.name, d.others.length])).toEqual([['same', 1]]);
  });

  it('a delete racing an edit: the delete wins, on both devices', () => {
    const { a, b } = merge(
      order,
      (base) => {
        base.store.set('doomed', item('v0'));
        base.store.set('kept', item('k'));
      },
      (a, b) => {
        a.store.delete('doomed');
        b.store.set('doomed', item('edited while A deleted'));
      },
    );
    for (const { store, doc } of [a, b]) {
      expect(store.has('doomed')).toBe(false);
      expect(store.list().map((e) => e.name)).toEqual(['kept']);
      expect(doc.getMap('entries').has('base-00000001')).toBe(false);
    }
  });

  it('a delete racing a rename, or a connection field edit: the delete wins', () => {
    const { a } = merge(
      order,
      (base) => {
        base.store.set('x', item(1));
        base.store.set('db', basicAuth('app', null));
      },
      (a, b) => {
        a.store.delete('x');
        a.store.delete('db');
        b.store.rename('x', 'y');
        b.store.set('db', basicAuth('app', 'pw'));
      },
    );
    expect(a.store.list()).toEqual([]);
  });

  it('both delete the same entry: gone, nothing else touched', () => {
    const { a } = merge(
      order,
      (base) => {
        base.store.set('x', item(1));
        base.store.set('y', item(2));
      },
      (a, b) => {
        expect(a.store.delete('x')).toBe(true);
        expect(b.store.delete('x')).toBe(true);
      },
    );
    expect(a.store.list().map((e) => e.name)).toEqual(['y']);
  });

  it.each([
    ['the secret', 3, 2],
    ['the connection', 2, 3],
  ])(
    'concurrent kind changes, %s winning: the winning kind finds all of its keys',
    (winner, clientA, clientB) => {
      const { a } = merge(
        order,
        (base) => base.store.set('x', item('plain')),
        (a, b) => {
          // The same value text as before: only the kind changes, yet the value is rewritten.
          a.store.set('x', { kind: 'secret', value: 'plain', writeOnly: true });
          b.store.set('x', basicAuth('u', 'p'));
        },
        { clientA, clientB },
      );
      expect(a.store.get('x')).toMatchObject(
        winner === 'the secret'
          ? { kind: 'secret', value: 'plain', writeOnly: true }
          : { kind: 'connection', value: { type: 'basic-auth' } },
      );
    },
  );

  it('a field edit racing a change of kind: the kind change wins, and the entry reads', () => {
    const { a } = merge(
      order,
      (base) => base.store.set('x', basicAuth('u', null)),
      (a, b) => {
        a.store.set('x', item('now an item'));
        b.store.set('x', basicAuth('u', 'pw'));
      },
    );
    // Only A wrote `kind`; it deleted the fields map that B's edit went into.
    expect(a.store.get('x')).toMatchObject({ kind: 'item', value: 'now an item' });
  });

  it('the name style syncs, last writer wins', () => {
    const { a } = merge(
      order,
      () => {},
      (a, b) => {
        a.store.nameStyle = 'environment';
        b.store.set('x', item(1));
      },
    );
    expect(a.store.nameStyle).toBe('environment');
    expect(a.store.get('x')?.value).toBe(1);
  });
});

describe('resolving duplicates', () => {
  function collided(): { a: Replica; b: Replica } {
    return merge(
      'A then B',
      () => {},
      (a, b) => {
        a.at(1_000).store.set('API_KEY', item('from A'));
        b.at(2_000).store.set('API_KEY', item('from B'));
      },
    );
  }

  it('renaming the other entry by id resolves it, on every device', () => {
    const { a, b } = collided();
    const other = a.store.duplicates()[0]!.others[0]!;
    a.store.renameById(other.id, 'API_KEY_B');
    send(a.doc, b.doc);
    for (const { store } of [a, b]) {
      expect(store.duplicates()).toEqual([]);
      expect(store.get('API_KEY')?.value).toBe('from A');
      expect(store.get('API_KEY_B')?.value).toBe('from B');
    }
  });

  it('set and rename by name act on the owner; deleting it hands the name to the other', () => {
    const { a } = collided();
    a.store.set('API_KEY', item('A, updated'));
    expect(a.store.getById(a.store.duplicates()[0]!.others[0]!.id)?.value).toBe('from B');
    expect(a.store.delete('API_KEY')).toBe(true);
    expect(a.store.get('API_KEY')?.value).toBe('from B');
    expect(a.store.duplicates()).toEqual([]);
  });

  it('renaming the other onto its own, taken, name is refused', () => {
    const { a } = collided();
    const other = a.store.duplicates()[0]!.others[0]!;
    expect(() => a.store.renameById(other.id, 'API_KEY')).toThrow(/already exists/);
  });
});
