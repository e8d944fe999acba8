import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asEntryId, type EntryId, isEntryId } from '../../../src/core/ids';
import { createEntryStore, type EntryInput } from '../../../src/core/vault/entry-model';
import {
  EntryNotFoundError,
  InvalidEntryError,
  InvalidEntryIdError,
  InvalidJsonError,
  InvalidNameError,
  InvalidNameStyleError,
  MalformedEntryError,
  NameTakenError,
  ValueTooLargeError,
} from '../../../src/core/vault/errors';
import { MAX_VALUE_BYTES } from '../../../src/core/vault/json-limits';
import { canary, expectNoLeak, replica, send, thrown, updatesOf } from './support';

const item = (value: unknown): EntryInput => ({ kind: 'item', value }) as EntryInput;
const secret = (value: unknown, writeOnly?: boolean): EntryInput =>
  (writeOnly === undefined
    ? { kind: 'secret', value }
    : { kind: 'secret', value, writeOnly }) as EntryInput;
const connection = (type: string, fields: Record<string, unknown>): EntryInput =>
  ({ kind: 'connection', value: { type, fields } }) as EntryInput;

/**
 * The keys one change writes, seen the way another replica sees them: the update is applied to
 * a copy of the document from before the change, and every map key it touches is collected
 * (a nested connection field shows as its field name).
 */
function keysWritten(doc: Y.Doc, change: () => void): string[] {
  const before = Y.encodeStateAsUpdate(doc);
  const updates = updatesOf(doc, change);
  expect(updates).toHaveLength(1);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, before);
  const keys: string[] = [];
  copy.getMap('entries').observeDeep((events) => {
    for (const event of events) {
      if (event.target !== copy.getMap('entries'))
        keys.push(...(event as Y.YMapEvent<unknown>).keysChanged);
    }
  });
  Y.applyUpdate(copy, updates[0]!);
  return keys.sort();
}

/** How many Yjs items the one update of `change` adds (deletions add none). */
function itemsWritten(doc: Y.Doc, change: () => void): number {
  const updates = updatesOf(doc, change);
  expect(updates).toHaveLength(1);
  return Y.decodeUpdate(updates[0]!).structs.filter((struct) => struct instanceof Y.Item).length;
}

describe('set, get, has, list, delete, rename', () => {
  it('creates, reads, lists sorted by name without values, and deletes', () => {
    const { store } = replica().at(5_000);
    expect(store.set('my-item', item({ servers: ['a', 'b'], port: 8080 }))).toMatchObject({
      name: 'my-item',
      kind: 'item',
      createdAt: 5_000,
      updatedAt: 5_000,
    });
    store.set('API_KEY', secret('sk-live-1'));
    store.set('Zeta', item(1));
    store.set('alpha', item(2));
    expect(store.has('my-item')).toBe(true);
    expect(store.has('MY-ITEM')).toBe(false);
    expect(store.get('my-item')).toEqual({
      id: 'id00000001',
      name: 'my-item',
      kind: 'item',
      value: { servers: ['a', 'b'], port: 8080 },
      writeOnly: false,
      createdAt: 5_000,
      updatedAt: 5_000,
    });
    const list = store.list();
    expect(list.map((entry) => entry.name)).toEqual(['API_KEY', 'Zeta', 'alpha', 'my-item']);
    for (const summary of list) expect(summary).not.toHaveProperty('value');
    expect(store.delete('Zeta')).toBe(true);
    expect(store.delete('Zeta')).toBe(false);
    expect(store.get('Zeta')).toBeUndefined();
    expect(store.has('Zeta')).toBe(false);
    expect(store.list()).toHaveLength(3);
  });

  it('replaces a value, keeping id and createdAt, moving updatedAt', () => {
    const r = replica().at(1_000);
    const created = r.store.set('config', item({ v: 1 }));
    r.at(2_000).store.set('config', item({ v: 2 }));
    const entry = r.store.get('config')!;
    expect(entry.id).toBe(created.id);
    expect(entry.value).toEqual({ v: 2 });
    expect(entry.createdAt).toBe(1_000);
    expect(entry.updatedAt).toBe(2_000);
  });

  it('renames, keeping id, value and createdAt', () => {
    const r = replica().at(1_000);
    const { id } = r.store.set('old', secret('s3cret'));
    r.at(3_000).store.rename('old', 'new');
    expect(r.store.get('old')).toBeUndefined();
    expect(r.store.get('new')).toMatchObject({
      id,
      value: 's3cret',
      createdAt: 1_000,
      updatedAt: 3_000,
    });
    expect(r.store.list().map((entry) => entry.name)).toEqual(['new']);
  });

  it('refuses to rename onto a taken name, from a missing one, or to an invalid one', () => {
    const { store } = replica();
    store.set('a', item(1));
    store.set('b', item(2));
    const taken = thrown(() => store.rename('a', 'b'));
    expect(taken).toBeInstanceOf(NameTakenError);
    expect((taken as NameTakenError).entryName).toBe('b');
    expect((taken as Error).message).toBe('an entry named "b" already exists in this vault');
    const missing = thrown(() => store.rename('nope', 'c'));
    expect(missing).toBeInstanceOf(EntryNotFoundError);
    expect((missing as EntryNotFoundError).entryName).toBe('nope');
    expect(() => store.rename('a', 'not valid')).toThrow(InvalidNameError);
    store.rename('a', 'a');
    expect(store.get('a')?.value).toBe(1);
    expect(store.get('b')?.value).toBe(2);
  });

  it('create-only and update-only modes', () => {
    const { store } = replica();
    store.set('a', item(1), { mode: 'create' });
    expect(() => store.set('a', item(2), { mode: 'create' })).toThrow(NameTakenError);
    store.set('a', item(3), { mode: 'update' });
    expect(() => store.set('b', item(4), { mode: 'update' })).toThrow(EntryNotFoundError);
    expect(store.get('a')?.value).toBe(3);
    expect(store.has('b')).toBe(false);
  });

  it('reaches entries by id', () => {
    const { store } = replica();
    const { id } = store.set('a', item(1));
    expect(store.getById(id)?.name).toBe('a');
    store.renameById(id, 'b');
    expect(store.get('b')?.id).toBe(id);
    expect(store.deleteById(id)).toBe(true);
    expect(store.getById(id)).toBeUndefined();
    expect(() => store.renameById(id, 'c')).toThrow(EntryNotFoundError);
    expect(store.deleteById(id)).toBe(false);
  });
});

describe('kinds round-trip', () => {
  it.each([
    { a: 1, b: [true, null, 'x'], c: { d: -2.5e-7 } },
    [1, 'two', [3]],
    'a string',
    '',
    0,
    -12.75,
    true,
    false,
    null,
  ])('item %j', (value) => {
    const { store } = replica();
    store.set('x', item(value));
    expect(store.get('x')).toMatchObject({ kind: 'item', value, writeOnly: false });
  });

  it('secrets: a string or JSON, write-only or not', () => {
    const { store } = replica();
    store.set('API_KEY', secret('sk-live-abc'));
    store.set('SERVICE_ACCOUNT', secret({ client_email: 'x@y', private_key: 'k' }, true));
    expect(store.get('API_KEY')).toMatchObject({
      kind: 'secret',
      value: 'sk-live-abc',
      writeOnly: false,
    });
    expect(store.get('SERVICE_ACCOUNT')).toMatchObject({
      kind: 'secret',
      value: { client_email: 'x@y', private_key: 'k' },
      writeOnly: true,
    });
    expect(store.list().find((e) => e.name === 'SERVICE_ACCOUNT')?.writeOnly).toBe(true);
  });

  it('a write-only secret stays write-only when its value is replaced without saying otherwise', () => {
    const { store } = replica();
    store.set('TOKEN', secret('v1', true));
    store.set('TOKEN', secret('v2'));
    expect(store.get('TOKEN')).toMatchObject({ value: 'v2', writeOnly: true });
    store.set('TOKEN', secret('v3', false));
    expect(store.get('TOKEN')).toMatchObject({ value: 'v3', writeOnly: false });
  });

  it('connections: typed fields, empty ones waiting for credentials, sorted by name', () => {
    const { store } = replica();
    store.set(
      'db',
      connection('basic-auth', {
        user: { value: 'app', secret: false },
        password: { value: null, secret: true },
      }),
    );
    const entry = store.get('db')!;
    expect(entry).toMatchObject({
      kind: 'connection',
      writeOnly: false,
      value: {
        type: 'basic-auth',
        fields: { password: { value: null, secret: true }, user: { value: 'app', secret: false } },
      },
    });
    expect(Object.keys((entry.value as { fields: object }).fields)).toEqual(['password', 'user']);
    expect(store.list()[0]).toMatchObject({
      connectionType: 'basic-auth',
      emptyFields: ['password'],
    });
    store.set('empty', connection('oauth2-client-credentials', {}));
    expect(store.get('empty')?.value).toEqual({ type: 'oauth2-client-credentials', fields: {} });
  });

  it('changes kind, its map keeping only name, kind and creation (content is in its chain)', () => {
    const r = replica();
    r.store.set('x', item({ a: 1 }));
    r.store.set('x', connection('bearer', { token: { value: 't', secret: true } }));
    const entryMap = r.doc.getMap('entries').get(r.store.get('x')!.id) as Y.Map<unknown>;
    const keys = () => [...entryMap.keys()].sort();
    expect(keys()).toEqual(['createdAt', 'kind', 'name']);
    expect(entryMap.get('kind')).toBe('connection');
    r.store.set('x', secret('s', true));
    expect(keys()).toEqual(['createdAt', 'kind', 'name']);
    expect(r.store.get('x')).toMatchObject({ kind: 'secret', value: 's', writeOnly: true });
    r.store.set('x', item([1]));
    expect(keys()).toEqual(['createdAt', 'kind', 'name']);
    expect(r.store.get('x')).toMatchObject({ kind: 'item', value: [1], writeOnly: false });
  });

  it('values JSON cannot keep through Yjs encoding survive a round trip through another replica', () => {
    const a = replica();
    const tricky = JSON.parse(
      '{"__proto__": {"x": 1}, "z": -0, "s": "\\ud800 unpaired", "big": 1e300, "f": 0.1}',
    );
    a.store.set('tricky', item(tricky));
    const b = replica({ from: a.doc });
    const value = b.store.get('tricky')!.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe(
      '{"__proto__":{"x":1},"z":0,"s":"\\ud800 unpaired","big":1e+300,"f":0.1}',
    );
  });
});

describe('returned values are copies', () => {
  it('changing what get returns changes nothing stored', () => {
    const { store } = replica();
    store.set('x', item({ list: [1, 2], nested: { a: 'b' } }));
    store.set('c', connection('basic-auth', { user: { value: 'u', secret: false } }));
    const first = store.get('x')!.value as { list: number[]; nested: { a: string } };
    first.list.push(3);
    first.nested.a = 'changed';
    expect(store.get('x')!.value).toEqual({ list: [1, 2], nested: { a: 'b' } });
    const conn = store.get('c')!.value as { fields: Record<string, { value: string }> };
    conn.fields.user!.value = 'changed';
    expect(store.get('c')!.value).toEqual({
      type: 'basic-auth',
      fields: { user: { value: 'u', secret: false } },
    });
    expect(store.get('x')!.value).not.toBe(store.get('x')!.value);
  });

  it('changing the input after set changes nothing stored', () => {
    const { store } = replica();
    const value = { list: [1] };
    store.set('x', item(value));
    value.list.push(2);
    const fields = { user: { value: 'u', secret: false } };
    store.set('c', connection('basic', fields));
    fields.user.value = 'changed';
    expect(store.get('x')!.value).toEqual({ list: [1] });
    expect(store.get('c')!.value).toMatchObject({ fields: { user: { value: 'u' } } });
  });

  it('the value of an item is plain JSON, not a Yjs type', () => {
    const { store } = replica();
    store.set('x', item({ a: [1] }));
    const value = store.get('x')!.value as { a: unknown };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Array.isArray(value.a)).toBe(true);
    expect(value).not.toBeInstanceOf(Y.AbstractType);
  });
});

describe('one action, one update; unchanged keys are not rewritten', () => {
  it('each set, rename, delete and style change is exactly one update', () => {
    const r = replica();
    expect(updatesOf(r.doc, () => r.store.set('a', item({ x: 1 })))).toHaveLength(1);
    expect(
      updatesOf(r.doc, () =>
        r.store.set(
          'c',
          connection('basic', {
            u: { value: 'x', secret: false },
            p: { value: null, secret: true },
          }),
        ),
      ),
    ).toHaveLength(1);
    expect(updatesOf(r.doc, () => r.store.set('a', item({ x: 2 })))).toHaveLength(1);
    expect(updatesOf(r.doc, () => r.store.rename('a', 'b'))).toHaveLength(1);
    expect(updatesOf(r.doc, () => r.store.delete('b'))).toHaveLength(1);
    expect(
      updatesOf(r.doc, () => {
        r.store.nameStyle = 'environment';
      }),
    ).toHaveLength(1);
    expect(
      updatesOf(r.doc, () =>
        r.store.setMany([
          { name: 'ONE', input: item(1) },
          { name: 'TWO', input: secret('2') },
          { name: 'ONE', input: item(11) },
        ]),
      ),
    ).toHaveLength(1);
    expect(r.store.get('ONE')?.value).toBe(11);
  });

  it('setting what is already there writes nothing', () => {
    const r = replica();
    r.store.set('a', item({ x: 1 }));
    r.store.set('s', secret('v', true));
    r.store.set('c', connection('basic', { u: { value: 'x', secret: false } }));
    expect(updatesOf(r.doc, () => r.store.set('a', item({ x: 1 })))).toHaveLength(0);
    expect(updatesOf(r.doc, () => r.store.set('s', secret('v')))).toHaveLength(0);
    expect(
      updatesOf(r.doc, () =>
        r.store.set('c', connection('basic', { u: { value: 'x', secret: false } })),
      ),
    ).toHaveLength(0);
    expect(updatesOf(r.doc, () => r.store.rename('a', 'a'))).toHaveLength(0);
    expect(
      updatesOf(r.doc, () => {
        r.store.nameStyle = 'default';
      }),
    ).toHaveLength(0);
  });

  it('a value change writes one version to the chain and nothing else, dated by it', () => {
    const r = replica({ time: 1000 });
    r.store.set('a', secret('v1', true));
    r.at(2000);
    expect(keysWritten(r.doc, () => r.store.set('a', secret('v2')))).toEqual([]);
    expect(itemsWritten(r.doc, () => r.store.set('a', secret('v3')))).toBe(1);
    expect(r.store.get('a')).toMatchObject({ createdAt: 1000, updatedAt: 2000, value: 'v3' });
    expect(r.store.get('a')!.writeOnly).toBe(true);
  });

  it('a rename writes only name, and one version carrying the value', () => {
    const r = replica();
    r.store.set('a', item({ big: 'x'.repeat(1000) }));
    expect(keysWritten(r.doc, () => r.store.rename('a', 'b'))).toEqual(['name']);
    expect(itemsWritten(r.doc, () => r.store.rename('b', 'c'))).toBe(2);
    const [update] = updatesOf(r.doc, () => r.store.rename('c', 'd'));
    // The one copy of the 1 KB value in the update is the version history records
    // (docs/history.md: versions are whole states).
    expect(update!.length).toBeLessThan(100 + 1000 + 150);
    expect(update!.length).toBeGreaterThan(1000);
  });

  it('a connection field change is one version and nothing else', () => {
    const r = replica();
    const fields = { user: { value: 'u', secret: false }, password: { value: 'p', secret: true } };
    r.store.set('c', connection('basic', fields));
    const next = { ...fields, user: { value: 'u2', secret: false } };
    expect(keysWritten(r.doc, () => r.store.set('c', connection('basic', next)))).toEqual([]);
    expect(
      itemsWritten(r.doc, () =>
        r.store.set('c', connection('basic', { user: { value: 'u2', secret: false } })),
      ),
    ).toBe(1);
    expect(r.store.get('c')!.value).toEqual({
      type: 'basic',
      fields: { user: { value: 'u2', secret: false } },
    });
  });

  it('a writeOnly change is one version and nothing else', () => {
    const r = replica();
    r.store.set('s', secret('v'));
    expect(itemsWritten(r.doc, () => r.store.set('s', secret('v', true)))).toBe(1);
    expect(r.store.get('s')).toMatchObject({ value: 'v', writeOnly: true });
  });

  it('uses the origin it was given, so observers can tell local changes apart', () => {
    const doc = new Y.Doc();
    const origin = { local: true };
    const store = createEntryStore(doc, { clock: () => 1, newId: () => 'abcdefgh', origin });
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, updateOrigin: unknown) => origins.push(updateOrigin));
    store.set('a', item(1));
    expect(origins).toEqual([origin]);
  });
});

describe('invalid input changes nothing', () => {
  const attempts: [
    string,
    (store: ReturnType<typeof replica>['store']) => unknown,
    new (...args: never[]) => Error,
  ][] = [
    ['an invalid name', (s) => s.set('bad name', item(1)), InvalidNameError],
    [
      'a non-JSON value',
      (s) => s.set('x', item({ secret: canary, n: Number.NaN })),
      InvalidJsonError,
    ],
    ['an undefined value', (s) => s.set('x', { kind: 'item' } as EntryInput), InvalidJsonError],
    [
      'a value too large',
      (s) => s.set('x', secret(canary.repeat(MAX_VALUE_BYTES / 16))),
      ValueTooLargeError,
    ],
    [
      'an unknown kind',
      (s) => s.set('x', { kind: 'note', value: canary } as unknown as EntryInput),
      InvalidEntryError,
    ],
    ['no input', (s) => s.set('x', undefined as unknown as EntryInput), InvalidEntryError],
    [
      'an unknown input property',
      (s) => s.set('x', { kind: 'item', value: 1, writeonly: true } as unknown as EntryInput),
      InvalidEntryError,
    ],
    [
      'writeOnly on an item',
      (s) => s.set('x', { kind: 'item', value: canary, writeOnly: true } as EntryInput),
      InvalidEntryError,
    ],
    [
      'writeOnly not a boolean',
      (s) =>
        s.set('x', { kind: 'secret', value: canary, writeOnly: 'yes' } as unknown as EntryInput),
      InvalidEntryError,
    ],
    [
      'a connection without type',
      (s) =>
        s.set('x', {
          kind: 'connection',
          value: { fields: { p: { value: canary, secret: true } } },
        } as unknown as EntryInput),
      InvalidEntryError,
    ],
    [
      'a connection type with capitals',
      (s) => s.set('x', connection('Basic', { p: { value: canary, secret: true } })),
      InvalidEntryError,
    ],
    [
      'a connection type too long',
      (s) => s.set('x', connection('a'.repeat(65), {})),
      InvalidEntryError,
    ],
    [
      'connection fields not an object',
      (s) =>
        s.set('x', {
          kind: 'connection',
          value: { type: 'basic', fields: [canary] },
        } as unknown as EntryInput),
      InvalidEntryError,
    ],
    [
      'a field that is a string',
      (s) => s.set('x', connection('basic', { p: canary })),
      InvalidEntryError,
    ],
    [
      'a field value that is a number',
      (s) => s.set('x', connection('basic', { p: { value: 42, secret: true } })),
      InvalidEntryError,
    ],
    [
      'a field without secret flag',
      (s) => s.set('x', connection('basic', { p: { value: canary } })),
      InvalidEntryError,
    ],
    [
      'a field with an extra property',
      (s) => s.set('x', connection('basic', { p: { value: canary, secret: true, note: canary } })),
      InvalidEntryError,
    ],
    [
      'an empty field name',
      (s) => s.set('x', connection('basic', { '': { value: canary, secret: true } })),
      InvalidEntryError,
    ],
    [
      'a field value with an unpaired surrogate',
      (s) => s.set('x', connection('basic', { p: { value: `${canary}\ud800`, secret: true } })),
      InvalidEntryError,
    ],
    [
      'a connection too large',
      (s) =>
        s.set(
          'x',
          connection('basic', { p: { value: canary.repeat(MAX_VALUE_BYTES / 16), secret: true } }),
        ),
      ValueTooLargeError,
    ],
    [
      'a batch with one bad entry',
      (s) =>
        s.setMany([
          { name: 'fine', input: item(1) },
          { name: 'x', input: item(Number.NaN) },
        ]),
      InvalidJsonError,
    ],
    ['a rename onto a taken name', (s) => s.rename('existing', 'other'), NameTakenError],
    [
      'a create-only set of a taken name',
      (s) => s.set('existing', item(2), { mode: 'create' }),
      NameTakenError,
    ],
  ];

  it.each(attempts)('%s: the right error, no update, no leak', (_what, attempt, errorClass) => {
    const r = replica();
    r.store.set('existing', secret(canary));
    r.store.set('other', secret(canary));
    const before = Y.encodeStateAsUpdate(r.doc);
    const contentsBefore = { list: r.store.list(), value: r.store.get('existing') };
    let error: unknown;
    const updates = updatesOf(r.doc, () => {
      error = thrown(() => attempt(r.store));
    });
    expect(error).toBeInstanceOf(errorClass);
    expectNoLeak(error);
    expect(updates).toHaveLength(0);
    expect(Y.encodeStateAsUpdate(r.doc)).toEqual(before);
    expect({ list: r.store.list(), value: r.store.get('existing') }).toEqual(contentsBefore);
    expect(r.store.has('x')).toBe(false);
    expect(r.store.has('fine')).toBe(false);
  });

  it('InvalidEntryError says what was expected and what arrived', () => {
    const { store } = replica();
    const error = thrown(() =>
      store.set('db', connection('basic', { password: { value: 42, secret: true } })),
    ) as InvalidEntryError;
    expect(error).toMatchObject({
      entryName: 'db',
      field: 'value.fields.password.value',
      expected: 'a string, or null while waiting for credentials',
      received: 'a number',
    });
    expect(error.message).toBe(
      '"db" is not a valid entry: value.fields.password.value must be a string, or null while waiting for credentials, got a number',
    );
    const noType = thrown(() =>
      store.set('db', { kind: 'connection', value: { fields: {} } } as unknown as EntryInput),
    ) as InvalidEntryError;
    expect(noType.field).toBe('value.type');
    expect(noType.received).toBe('undefined');
  });
});

describe('name styles', () => {
  it('environment style refuses new default-style names, keeps existing ones usable', () => {
    const { store } = replica();
    store.set('my-item', item(1));
    expect(store.nameStyle).toBe('default');
    store.nameStyle = 'environment';
    expect(store.nameStyle).toBe('environment');
    const error = thrown(() => store.set('other-item', item(2))) as InvalidNameError;
    expect(error).toBeInstanceOf(InvalidNameError);
    expect(error.style).toBe('environment');
    store.set('API_KEY', secret('x'));
    store.set('my-item', item(3));
    expect(store.get('my-item')?.value).toBe(3);
    expect(() => store.rename('API_KEY', 'api-key')).toThrow(InvalidNameError);
    expect(store.namesNotMatching('environment')).toEqual(['my-item']);
    expect(store.namesNotMatching('default')).toEqual([]);
    store.nameStyle = 'default';
    store.set('other-item', item(2));
  });

  it('the style syncs with the document', () => {
    const a = replica();
    a.store.nameStyle = 'environment';
    const b = replica({ from: a.doc });
    expect(b.store.nameStyle).toBe('environment');
  });

  it('refuses an unknown style', () => {
    const { store } = replica();
    const error = thrown(() => {
      store.nameStyle = 'kebab' as never;
    });
    expect(error).toBeInstanceOf(InvalidNameStyleError);
    expect((error as InvalidNameStyleError).received).toBe('"kebab"');
    expect(store.nameStyle).toBe('default');
  });
});

describe('the index follows the document', () => {
  it('sees entries added, renamed, changed and deleted by another replica', () => {
    const a = replica({ prefix: 'a-' });
    const b = replica({ prefix: 'b-' });
    a.store.set('x', item(1));
    a.store.set('y', item(2));
    send(a.doc, b.doc);
    expect(b.store.get('x')?.value).toBe(1);
    a.store.rename('x', 'z');
    a.store.set('y', secret('s'));
    send(a.doc, b.doc);
    expect(b.store.has('x')).toBe(false);
    expect(b.store.get('z')?.value).toBe(1);
    expect(b.store.get('y')).toMatchObject({ kind: 'secret', value: 's' });
    a.store.delete('z');
    send(a.doc, b.doc);
    expect(b.store.has('z')).toBe(false);
    expect(b.store.list().map((e) => e.name)).toEqual(['y']);
  });

  it('builds itself from a document that already has entries', () => {
    const a = replica();
    for (let i = 0; i < 50; i++) a.store.set(`k${i}`, item(i));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc));
    const store = createEntryStore(doc, { clock: () => 1, newId: () => 'zzzzzzzz' });
    expect(store.list()).toEqual(a.store.list());
    expect(store.get('k42')?.value).toBe(42);
  });

  it('is right inside a caller’s enclosing transaction, before observers run', () => {
    const r = replica();
    r.doc.transact(() => {
      r.store.set('a', item(1));
      expect(r.store.get('a')?.value).toBe(1);
      r.store.rename('a', 'b');
      expect(r.store.has('a')).toBe(false);
      expect(r.store.get('b')?.value).toBe(1);
      r.store.set('a', item(2));
      expect(r.store.list().map((e) => e.name)).toEqual(['a', 'b']);
      r.store.delete('b');
      expect(r.store.has('b')).toBe(false);
    });
    expect(r.store.list().map((e) => e.name)).toEqual(['a']);
  });

  it('stops following after dispose', () => {
    const a = replica();
    const b = replica();
    b.store.dispose();
    a.store.set('x', item(1));
    send(a.doc, b.doc);
    expect(b.store.has('x')).toBe(false);
  });
});

describe('damaged or unknown entries in the document', () => {
  function plant(doc: Y.Doc, id: string, keys: Record<string, unknown>): void {
    doc.transact(() => {
      const entry = new Y.Map<unknown>();
      doc.getMap('entries').set(id, entry);
      for (const [key, value] of Object.entries(keys)) entry.set(key, value);
    });
  }

  it('an entry of a kind this version does not know is not listed, and left alone', () => {
    const r = replica();
    plant(r.doc, 'future01', { name: 'cert', kind: 'certificate', createdAt: 1, value: '"x"' });
    plant(r.doc, 'noname01', { kind: 'item', createdAt: 1, value: '1' });
    plant(r.doc, 'bad id!', { name: 'weird', kind: 'item', createdAt: 1, value: '1' });
    expect(r.store.list()).toEqual([]);
    r.store.set('cert', item(1));
    expect(r.doc.getMap('entries').has('future01')).toBe(true);
    expect(r.store.get('cert')?.value).toBe(1);
  });

  it('a missing or unreadable value gives MalformedEntryError, without the stored text', () => {
    const r = replica();
    plant(r.doc, 'broken01', {
      name: 'API_KEY',
      kind: 'secret',
      createdAt: 1,
      value: `{${canary}`,
    });
    plant(r.doc, 'broken02', { name: 'EMPTY', kind: 'item', createdAt: 1 });
    plant(r.doc, 'broken03', { name: 'conn', kind: 'connection', createdAt: 1 });
    expect(r.store.list().map((e) => e.name)).toEqual(['API_KEY', 'EMPTY', 'conn']);
    const error = thrown(() => r.store.get('API_KEY')) as MalformedEntryError;
    expect(error).toBeInstanceOf(MalformedEntryError);
    expect(error).toMatchObject({ entryId: 'broken01', entryName: 'API_KEY', key: 'value' });
    expectNoLeak(error);
    expect(thrown(() => r.store.get('EMPTY'))).toBeInstanceOf(MalformedEntryError);
    expect(thrown(() => r.store.get('conn'))).toMatchObject({ key: 'type' });
    // Overwriting repairs it.
    r.store.set('API_KEY', secret('fixed'));
    expect(r.store.get('API_KEY')?.value).toBe('fixed');
  });
});

describe('entry ids', () => {
  it('accepts 8 to 64 base64url characters', () => {
    expect(asEntryId('Qm9vbXNoYWthbGFr')).toBe('Qm9vbXNoYWthbGFr');
    expect(isEntryId('a-b_c-d_')).toBe(true);
    expect(isEntryId('x'.repeat(64))).toBe(true);
    const reasons = ['1234567', 'x'.repeat(65), 'has space', 'slash/slash', 42].map(
      (value) => (thrown(() => asEntryId(value)) as InvalidEntryIdError).reason,
    );
    expect(reasons).toEqual(['length', 'length', 'character', 'character', 'not-a-string']);
  });

  it('refuses a malformed or reused id from the id source, before changing anything', () => {
    const doc = new Y.Doc();
    const ids = ['bad id', 'sameid01', 'sameid01'];
    const store = createEntryStore(doc, { clock: () => 1, newId: () => ids.shift()! });
    expect(thrown(() => store.set('a', item(1)))).toBeInstanceOf(InvalidEntryIdError);
    store.set('a', item(1));
    expect((thrown(() => store.set('b', item(2))) as InvalidEntryIdError).reason).toBe('in-use');
    expect(store.list().map((e) => e.name)).toEqual(['a']);
  });

  it('brands ids at the type level', () => {
    const { store } = replica();
    const id: EntryId = store.set('a', item(1)).id;
    // @ts-expect-error a plain string is not an EntryId
    const notAnId: EntryId = 'plainstring';
    expect(typeof id).toBe('string');
    expect(notAnId).toBe('plainstring');
  });
});

describe('the clock', () => {
  it('refuses a clock that returns something other than a finite number', () => {
    const doc = new Y.Doc();
    const store = createEntryStore(doc, { clock: () => Number.NaN, newId: () => 'abcdefgh' });
    expect(() => store.set('a', item(1))).toThrow(RangeError);
    expect(store.has('a')).toBe(false);
  });
});
