/**
 * Connection fields in an open vault: write-only fields (readable by code through `get`, never
 * by the app through `visibleEntry`), and `update(entry, { fields })`, which changes some fields
 * of a connection without reading the others.
 */
import { describe, expect, it } from 'vitest';
import { InvalidEntryError, type Vault } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';
import { dumpDatabase } from '../integrations/support';

const CLIENT_SECRET = 'cs-Wq7-write-only-canary';
const REFRESH = 'rt-Zz9-write-only-canary';

const crm = {
  type: 'oauth2-refresh-token',
  fields: {
    token_url: { value: 'https://auth.example.com/token', secret: false },
    client_id: { value: 'coffer-app', secret: false },
    client_secret: { value: CLIENT_SECRET, secret: true, writeOnly: true },
    refresh_token: { value: REFRESH, secret: true, writeOnly: true },
    auth_method: { value: null, secret: false },
    note: { value: 'shown-secret-123', secret: true },
    empty_secret: { value: null, secret: true, writeOnly: true },
  },
};

async function open() {
  const t = testCoffer();
  const session = await t.coffer.createProfile('pw');
  const { id } = await session.createVault('v');
  const vault = await session.openVault({ id });
  await vault.set('crm', crm, { kind: 'connection' });
  await vault.set('TOKEN', 'sk-plain-secret', { kind: 'secret' });
  await vault.set('item', { a: 1 });
  return { ...t, session, id, vault };
}

async function expectUnchanged(vault: Vault, run: () => Promise<unknown>): Promise<unknown> {
  const before = await vaultContents(vault);
  const list = await vault.list();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(await vaultContents(vault)).toEqual(before);
  expect(await vault.list()).toEqual(list);
  return error;
}

describe('write-only connection fields', () => {
  it('round-trip: get gives every value, visibleEntry hides write-only ones, the list is unaffected', async () => {
    const { vault, db } = await open();
    expect(await vault.get('crm')).toEqual(crm);
    const visible = await vault.visibleEntry('crm');
    expect(visible?.kind).toBe('connection');
    const fields = (visible as unknown as { value: typeof crm }).value.fields;
    expect(fields.client_secret).toEqual({
      value: null,
      secret: true,
      writeOnly: true,
      hidden: true,
    });
    expect(fields.refresh_token).toEqual({
      value: null,
      secret: true,
      writeOnly: true,
      hidden: true,
    });
    // The rest as stored: a masked secret is still shown on request, an empty write-only one is
    // just empty (not hidden: there is nothing to hide).
    expect(fields.note).toEqual({ value: 'shown-secret-123', secret: true });
    expect(fields.empty_secret).toEqual({ value: null, secret: true, writeOnly: true });
    expect(fields.token_url).toEqual(crm.fields.token_url);
    expect(JSON.stringify(visible)).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify(visible)).not.toContain(REFRESH);
    // emptyFields: only the fields that are really empty, never the hidden ones.
    const summary = (await vault.list()).find((e) => e.name === 'crm');
    expect(summary).toMatchObject({
      kind: 'connection',
      connectionType: 'oauth2-refresh-token',
      emptyFields: ['auth_method', 'empty_secret'],
    });
    // Sealed at rest like every value.
    const dump = await dumpDatabase(db);
    expect(dump).not.toContain(CLIENT_SECRET);
    expect(dump).not.toContain(REFRESH);
  });

  it('writeOnly on a field that is not secret is refused, naming the path; nothing changes', async () => {
    const { vault } = await open();
    const bad = {
      type: 'api-key-header',
      fields: {
        header: { value: 'X-Key', secret: false, writeOnly: true },
        key: { value: 'k-123456', secret: true },
      },
    };
    for (const write of [
      () => vault.set('crm', bad, { kind: 'connection' }),
      () => vault.set('other', bad, { kind: 'connection' }),
      () =>
        vault.update('crm', {
          fields: { client_id: { value: 'x', secret: false, writeOnly: true } },
        }),
    ]) {
      const error = await expectUnchanged(vault, write);
      expect(error).toBeInstanceOf(InvalidEntryError);
      const invalid = error as InvalidEntryError;
      expect(invalid.field).toMatch(/^value\.fields\.(header|client_id)\.writeOnly$/);
      expect(invalid.message).toContain(invalid.field);
      expect(invalid.message).toContain('not secret');
    }
    expect(await vault.has('other')).toBe(false);
  });
});

describe('update(entry, { fields })', () => {
  it('keeps untouched fields (write-only ones too), replaces given ones, removes null ones, in one change', async () => {
    const { vault } = await open();
    const { id, createdAt } = (await vault.getEntry('crm'))!;
    let changes = 0;
    const stop = vault.onChange(() => {
      changes += 1;
    });
    await vault.update('crm', {
      fields: {
        client_id: { value: 'coffer-app-2', secret: false },
        auth_method: { value: 'client_secret_post', secret: false },
        note: null,
        access_token: { value: 'at-new-token', secret: true, writeOnly: true },
        missing_anyway: null,
      },
    });
    stop();
    expect(changes).toBe(1);
    const entry = (await vault.getEntry('crm'))!;
    expect(entry).toMatchObject({ id, createdAt, kind: 'connection' });
    expect(entry.value).toEqual({
      type: 'oauth2-refresh-token',
      fields: {
        access_token: { value: 'at-new-token', secret: true, writeOnly: true },
        auth_method: { value: 'client_secret_post', secret: false },
        client_id: { value: 'coffer-app-2', secret: false },
        client_secret: { value: CLIENT_SECRET, secret: true, writeOnly: true },
        empty_secret: { value: null, secret: true, writeOnly: true },
        refresh_token: { value: REFRESH, secret: true, writeOnly: true },
        token_url: crm.fields.token_url,
      },
    });
    // Replacing a write-only field with a new value works without ever reading it, and by id.
    await vault.update(
      { id },
      { fields: { client_secret: { value: 'cs-new', secret: true, writeOnly: true } } },
    );
    expect(((await vault.get('crm')) as typeof crm).fields.client_secret.value).toBe('cs-new');
    expect(((await vault.get('crm')) as typeof crm).fields.refresh_token.value).toBe(REFRESH);
  });

  it('refused on a non-connection, with a value, or with a kind change; nothing changes', async () => {
    const { vault } = await open();
    const fields = { client_id: { value: 'x', secret: false } };
    const cases: [() => Promise<unknown>, string][] = [
      [() => vault.update('TOKEN', { fields }), 'an entry of kind secret'],
      [() => vault.update('item', { fields }), 'an entry of kind item'],
      [() => vault.update('crm', { fields, value: crm }), 'a kind or a value as well'],
      [() => vault.update('crm', { fields, kind: 'item' }), 'a kind or a value as well'],
    ];
    for (const [write, received] of cases) {
      const error = await expectUnchanged(vault, write);
      expect(error, received).toBeInstanceOf(InvalidEntryError);
      expect((error as InvalidEntryError).field).toBe('fields');
      expect((error as InvalidEntryError).received).toBe(received);
    }
    // A field patch that is itself invalid: refused, nothing changes.
    const error = await expectUnchanged(vault, () =>
      vault.update('crm', { fields: { client_id: { value: 42 as never, secret: false } } }),
    );
    expect(error).toBeInstanceOf(InvalidEntryError);
  });

  it('the patched connection survives closing and reopening the vault', async () => {
    const { vault, session, id } = await open();
    await vault.update('crm', {
      fields: { client_id: { value: 'after-reopen', secret: false }, note: null },
    });
    const expected = await vault.get('crm');
    await vault.close();
    const again = await session.openVault({ id });
    expect(await again.get('crm')).toEqual(expected);
    expect(((expected as typeof crm).fields as Record<string, unknown>).note).toBeUndefined();
    expect((expected as typeof crm).fields.client_secret.value).toBe(CLIENT_SECRET);
    expect((expected as typeof crm).fields.client_id.value).toBe('after-reopen');
    const visible = await again.visibleEntry('crm');
    expect((visible as unknown as { value: typeof crm }).value.fields.client_secret).toMatchObject({
      hidden: true,
    });
    await again.close();
  });
});
