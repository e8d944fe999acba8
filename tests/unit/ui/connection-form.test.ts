import { describe, expect, it, vi } from 'vitest';
import { CONNECTION_TYPES as CORE_TYPES } from '../../../src/core/connections/connection-types';
import type { ConnectionValue, VaultHandle, VisibleEntry } from '../../../src/core/vault';
import { asEntryId, handleOf } from '../../../src/core/vault';
import {
  CONNECTION_TYPES,
  connectionEditPatch,
  connectionFieldSpecs,
  connectionValueFromForm,
  droppedWriteOnlyFields,
} from '../../../src/ui/state/connection-types';
import {
  checkEntryForm,
  emptyEntryForm,
  entryChangesFromForm,
  entryFormFromEntry,
  saveEntryForm,
} from '../../../src/ui/state/entry-form';
import { connectionStatusLine, entryView, shortTime } from '../../../src/ui/state/entry-view';
import { createOpenVault } from '../../../src/ui/state/open-vault';
import { testCoffer } from '../../support/coffer';

const times = { createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000 };
const TOKEN_STATE = [
  'access_token',
  'access_token_expires_at',
  'access_token_obtained_at',
  'token_error',
];

/** An OAuth2 client credentials connection as `visibleEntry` gives it: the secret hidden. */
const visibleOauth: ConnectionValue = {
  type: 'oauth2-client-credentials',
  fields: {
    token_url: { value: 'https://auth.example/token', secret: false },
    client_id: { value: 'app', secret: false },
    client_secret: { value: null, secret: true, writeOnly: true, hidden: true },
    scope: { value: null, secret: false },
    access_token: { value: null, secret: true, writeOnly: true, hidden: true },
    access_token_expires_at: { value: '2026-12-01T14:05:00.000Z', secret: false },
    access_token_obtained_at: { value: '2026-12-01T13:05:00.000Z', secret: false },
  },
};

/** The form's texts for `original`, as the edit dialog starts them. */
function textsOf(original: ConnectionValue): Record<string, string> {
  const entry = {
    id: asEntryId('entry-id-00000001'),
    name: 'api',
    kind: 'connection',
    value: original,
    writeOnly: false,
    ...times,
  } as const;
  return { ...entryFormFromEntry(entry).form.connectionTexts };
}

describe('the UI catalogue is core’s', () => {
  it('uses the core list, not a copy', () => {
    expect(CONNECTION_TYPES).toBe(CORE_TYPES);
  });

  it('hides upkeep fields and keeps other extra fields of the edited entry', () => {
    const specs = connectionFieldSpecs('oauth2-client-credentials', {
      ...visibleOauth,
      fields: {
        ...visibleOauth.fields,
        token_error: { value: '{}', secret: false },
        refresh_lease: { value: '{}', secret: false },
        tenant: { value: 't1', secret: false },
      },
    });
    const names = specs.map((spec) => spec.name);
    expect(names).toEqual([
      'token_url',
      'client_id',
      'client_secret',
      'scope',
      'audience',
      'auth_method',
      'tenant',
    ]);
    expect(specs.find((spec) => spec.name === 'tenant')).toMatchObject({ required: false });
  });

  it('proposes write-only from the catalogue, or from what is saved when editing', () => {
    const fresh = connectionFieldSpecs('oauth2-client-credentials');
    expect(fresh.find((spec) => spec.name === 'client_secret')?.writeOnly).toBe(true);
    // Saved readable before write-only existed: stays readable unless the user ticks it.
    const readable = connectionFieldSpecs('oauth2-client-credentials', {
      type: 'oauth2-client-credentials',
      fields: { client_secret: { value: 'shown', secret: true } },
    });
    expect(readable.find((spec) => spec.name === 'client_secret')?.writeOnly).toBe(false);
  });

  it('saves write-only fields with writeOnly: true, by default or by choice', () => {
    const specs = connectionFieldSpecs('oauth2-refresh-token');
    const texts = { token_url: 'https://a.example/t', client_id: 'c', refresh_token: 'rt' };
    const value = connectionValueFromForm('oauth2-refresh-token', specs, texts);
    expect(value.fields.refresh_token).toEqual({ value: 'rt', secret: true, writeOnly: true });
    // An empty optional field is not stored: a stored null would read as "missing".
    expect(Object.keys(value.fields)).not.toContain('client_secret');
    expect(Object.keys(value.fields)).not.toContain('auth_method');
    expect(value.fields.client_id).toEqual({ value: 'c', secret: false });
    const chosen = connectionValueFromForm('oauth2-refresh-token', specs, texts, {
      refresh_token: false,
      client_id: true, // not secret: never write-only
    });
    expect(chosen.fields.refresh_token).toEqual({ value: 'rt', secret: true });
    expect(chosen.fields.client_id).toEqual({ value: 'c', secret: false });
    const basic = connectionValueFromForm(
      'basic-auth',
      connectionFieldSpecs('basic-auth'),
      { password: 'pw' },
      { password: true },
    );
    expect(basic.fields.password).toEqual({ value: 'pw', secret: true, writeOnly: true });
  });
});

describe('connectionEditPatch', () => {
  const specs = connectionFieldSpecs(visibleOauth.type, visibleOauth);

  it('an unchanged edit gives an empty patch; a kept write-only field is not in it', () => {
    const texts = textsOf(visibleOauth);
    expect(texts.client_secret).toBe('');
    expect(Object.keys(texts)).not.toContain('access_token_expires_at');
    expect(connectionEditPatch(visibleOauth, specs, texts)).toEqual({});
    // Changing something else still leaves the write-only field out.
    const patch = connectionEditPatch(visibleOauth, specs, { ...texts, audience: 'api://x' });
    expect(Object.keys(patch)).not.toContain('client_secret');
    expect(patch.audience).toEqual({ value: 'api://x', secret: false });
  });

  it('a changed client secret replaces it and drops the token state', () => {
    const texts = { ...textsOf(visibleOauth), client_secret: 'new-secret' };
    const patch = connectionEditPatch(visibleOauth, specs, texts);
    expect(patch.client_secret).toEqual({ value: 'new-secret', secret: true, writeOnly: true });
    for (const name of TOKEN_STATE) expect(patch[name]).toBeNull();
    expect(Object.keys(patch).sort()).toEqual(['client_secret', ...TOKEN_STATE].sort());
  });

  it('each credential of an OAuth2 type drops the token state', () => {
    const base = textsOf(visibleOauth);
    for (const [name, text] of [
      ['token_url', 'https://other.example/token'],
      ['client_id', 'other'],
      ['scope', 'read'],
      ['audience', 'api'],
      ['auth_method', 'client_secret_post'],
    ]) {
      const patch = connectionEditPatch(visibleOauth, specs, {
        ...base,
        [name as string]: text as string,
      });
      expect(Object.keys(patch), name).toContain('access_token');
      expect(patch.token_error, name).toBeNull();
    }
    const refresh: ConnectionValue = {
      type: 'oauth2-refresh-token',
      fields: {
        token_url: { value: 'https://a.example/t', secret: false },
        client_id: { value: 'c', secret: false },
        refresh_token: { value: null, secret: true, writeOnly: true, hidden: true },
      },
    };
    const patch = connectionEditPatch(refresh, connectionFieldSpecs(refresh.type, refresh), {
      ...textsOf(refresh),
      refresh_token: 'rt-2',
    });
    expect(patch.refresh_token).toEqual({ value: 'rt-2', secret: true, writeOnly: true });
    expect(patch.access_token).toBeNull();
  });

  it('an emptied field becomes missing (value null), keeping its flags', () => {
    const patch = connectionEditPatch(visibleOauth, specs, {
      ...textsOf(visibleOauth),
      client_id: '',
    });
    expect(patch.client_id).toEqual({ value: null, secret: false });
    // An optional field emptied is removed; one already empty is left as it is.
    const scoped: ConnectionValue = {
      ...visibleOauth,
      fields: { ...visibleOauth.fields, scope: { value: 'read', secret: false } },
    };
    const removed = connectionEditPatch(scoped, connectionFieldSpecs(scoped.type, scoped), {
      ...textsOf(scoped),
      scope: '',
    });
    expect(removed.scope).toBeNull();
    expect(removed.access_token).toBeNull();
    expect(
      connectionEditPatch(visibleOauth, specs, { ...textsOf(visibleOauth), scope: '' }),
    ).toEqual({});
  });

  it('does not touch token state for a type without a token endpoint', () => {
    const basic: ConnectionValue = {
      type: 'basic-auth',
      fields: {
        username: { value: 'app', secret: false },
        password: { value: 'pw', secret: true },
      },
    };
    const patch = connectionEditPatch(basic, connectionFieldSpecs('basic-auth', basic), {
      username: 'app',
      password: 'pw',
    });
    expect(patch).toEqual({});
    // Ticking write-only on a readable saved value rewrites it with the flag.
    expect(
      connectionEditPatch(
        basic,
        connectionFieldSpecs('basic-auth', basic),
        { username: 'app', password: 'pw' },
        { password: true },
      ),
    ).toEqual({ password: { value: 'pw', secret: true, writeOnly: true } });
  });

  it('names the write-only values a change of type drops', () => {
    expect(droppedWriteOnlyFields(visibleOauth, 'oauth2-refresh-token')).toEqual(['Client secret']);
    expect(droppedWriteOnlyFields(visibleOauth, visibleOauth.type)).toEqual([]);
  });
});

describe('the connection form', () => {
  const entry: VisibleEntry = {
    id: asEntryId('entry-id-00000002'),
    name: 'api',
    kind: 'connection',
    value: visibleOauth,
    writeOnly: false,
    ...times,
  };

  it('an edit keeping the type is a patch; a new type is a whole value without hidden values', () => {
    const { form, origin } = entryFormFromEntry(entry);
    expect(entryChangesFromForm(form, origin)).toEqual({
      name: 'api',
      kind: 'connection',
      fields: {},
    });
    const changed = entryChangesFromForm(
      { ...form, connectionType: 'oauth2-refresh-token' },
      origin,
    );
    expect(changed.fields).toBeUndefined();
    const value = changed.value as ConnectionValue;
    expect(value.type).toBe('oauth2-refresh-token');
    // Optional in the new type and never seen by the form: not carried, not stored.
    expect(value.fields.client_secret).toBeUndefined();
    expect(value.fields.refresh_token).toEqual({ value: null, secret: true, writeOnly: true });
    expect(value.fields.token_url?.value).toBe('https://auth.example/token');
    expect(Object.keys(value.fields)).not.toContain('access_token');
  });

  it('refuses to untick write-only on a saved value that is kept', () => {
    const { form, origin } = entryFormFromEntry(entry);
    const unticked = { ...form, connectionWriteOnly: { client_secret: false } };
    expect(checkEntryForm(unticked, origin, 'default').fields?.client_secret).toMatch(
      /enter a new value/,
    );
    expect(
      checkEntryForm(
        { ...unticked, connectionTexts: { ...form.connectionTexts, client_secret: 'x' } },
        origin,
        'default',
      ).fields,
    ).toBeUndefined();
  });
});

describe('the connection view', () => {
  const view = (value: ConnectionValue) =>
    entryView({
      id: asEntryId('entry-id-00000003'),
      name: 'api',
      kind: 'connection',
      value,
      writeOnly: false,
      ...times,
    });

  it('hides upkeep fields, marks write-only ones, and never carries their value', () => {
    const leaked: ConnectionValue = {
      ...visibleOauth,
      fields: {
        ...visibleOauth.fields,
        client_secret: { value: 'cs-DO-NOT-SHOW', secret: true, writeOnly: true },
      },
    };
    const shown = view(leaked);
    expect(JSON.stringify(shown)).not.toContain('cs-DO-NOT-SHOW');
    if (shown.kind !== 'connection') throw new Error('not a connection');
    expect(shown.fields.map((field) => field.name)).toEqual([
      'token_url',
      'client_id',
      'client_secret',
      'scope',
    ]);
    expect(shown.fields[2]).toMatchObject({ hidden: true, writeOnly: true, value: null });
    expect(shown.fields[3]).toMatchObject({ required: false, value: null });
    // A hidden secret is saved, so not missing; an empty optional scope is not missing either.
    expect(shown.missing).toBe(false);
  });
});

describe('connectionStatusLine', () => {
  // Local times, so HH:MM reads the same in every time zone.
  const at = (hours: number, minutes: number, dayOffset = 0) =>
    new Date(2026, 11, 1 + dayOffset, hours, minutes).getTime();
  const now = at(13, 30);
  const withState = (fields: ConnectionValue['fields']): ConnectionValue => ({
    type: visibleOauth.type,
    fields: {
      token_url: visibleOauth.fields.token_url!,
      client_id: visibleOauth.fields.client_id!,
      client_secret: visibleOauth.fields.client_secret!,
      ...fields,
    },
  });
  const token = { value: null, secret: true, writeOnly: true, hidden: true } as const;
  const iso = (ms: number) => ({ value: new Date(ms).toISOString(), secret: false });

  it('names the missing fields by label', () => {
    const line = connectionStatusLine(
      {
        type: 'oauth2-refresh-token',
        fields: {
          token_url: { value: 'https://a.example/t', secret: false },
          client_id: { value: 'c', secret: false },
        },
      },
      now,
    );
    expect(line).toEqual({ kind: 'incomplete', tone: 'warning', text: 'Missing: Refresh token' });
    const basic = connectionStatusLine(
      { type: 'basic-auth', fields: { username: { value: null, secret: false } } },
      now,
    );
    expect(basic.text).toBe('Missing: Username, Password');
  });

  it('says ready, or that a token is fetched at the first run', () => {
    const bearer = connectionStatusLine(
      { type: 'bearer-token', fields: { token: { value: 't', secret: true } } },
      now,
    );
    expect(bearer.text).toBe('Ready');
    expect(connectionStatusLine(withState({}), now).text).toBe(
      'No access token yet: one is fetched at the first run',
    );
  });

  it('says until when the token is valid and when it was obtained', () => {
    const line = connectionStatusLine(
      withState({
        access_token: token,
        access_token_expires_at: iso(at(14, 5)),
        access_token_obtained_at: iso(at(13, 5)),
      }),
      now,
    );
    expect(line).toEqual({
      kind: 'valid',
      tone: 'ok',
      text: 'Access token valid until 14:05 (refreshed 13:05)',
    });
  });

  it('says when the token expired, with the date when not today', () => {
    const line = connectionStatusLine(
      withState({
        access_token: token,
        access_token_expires_at: iso(at(9, 0, -1)),
        access_token_obtained_at: iso(at(8, 0, -1)),
      }),
      now,
    );
    expect(line.kind).toBe('expired');
    expect(line.text).toBe(
      'Access token expired at 2026-11-30 09:00: a new one is fetched at the next run',
    );
  });

  it('shows the last token error with its reason, time and words', () => {
    const error = {
      reason: 'invalid_grant',
      at: new Date(at(13, 5)).toISOString(),
      message: 'The refresh token was refused: enter a new one.',
    };
    const line = connectionStatusLine(
      withState({ token_error: { value: JSON.stringify(error), secret: false } }),
      now,
    );
    expect(line).toEqual({
      kind: 'failed',
      tone: 'danger',
      text: 'Last token request failed (invalid_grant, 13:05): The refresh token was refused: enter a new one.',
    });
  });

  it('formats times as local HH:MM, with the date when not today', () => {
    expect(shortTime(at(7, 3), now)).toBe('07:03');
    expect(shortTime(at(23, 59, 1), now)).toBe('2026-12-02 23:59');
  });
});

/** A real OpenVault over a real handle (fake IndexedDB); the handle's value reads are spied on. */
async function realVault(setup: (handle: VaultHandle) => Promise<void>) {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const created = await session.createVault('v');
  const opened = await session.openVault({ id: created.id });
  const handle = handleOf(opened);
  await setup(handle);
  const reads = { get: vi.spyOn(handle, 'get'), getEntry: vi.spyOn(handle, 'getEntry') };
  const vault = await createOpenVault(opened);
  return { vault, handle, reads };
}

describe('saving a connection edit over a real vault', () => {
  const stored: ConnectionValue = {
    type: 'oauth2-client-credentials',
    fields: {
      token_url: { value: 'https://auth.example/token', secret: false },
      client_id: { value: 'app', secret: false },
      client_secret: { value: 'cs-hidden', secret: true, writeOnly: true },
      access_token: { value: 'at-hidden', secret: true, writeOnly: true },
      access_token_expires_at: { value: '2026-12-01T14:05:00.000Z', secret: false },
      access_token_obtained_at: { value: '2026-12-01T13:05:00.000Z', secret: false },
    },
  };

  it('renames and changes the client id, keeping the unseen secret and dropping the token', async () => {
    const { vault, handle, reads } = await realVault((h) =>
      h.set('api', stored, { kind: 'connection' }),
    );
    const entry = await vault.get('api');
    expect(JSON.stringify(entry)).not.toContain('cs-hidden');
    expect(JSON.stringify(entry)).not.toContain('at-hidden');
    const { form, origin } = entryFormFromEntry(entry!);
    const outcome = await saveEntryForm(
      vault,
      {
        ...form,
        name: 'api2',
        connectionTexts: { ...form.connectionTexts, client_id: 'app2' },
      },
      origin,
    );
    expect(outcome).toEqual({ ok: true, name: 'api2' });
    expect(reads.get).not.toHaveBeenCalled();
    expect(reads.getEntry).not.toHaveBeenCalled();
    reads.getEntry.mockRestore();
    const saved = await handle.getEntry('api2');
    expect(saved?.kind === 'connection' && saved.value.fields).toEqual({
      token_url: { value: 'https://auth.example/token', secret: false },
      client_id: { value: 'app2', secret: false },
      client_secret: { value: 'cs-hidden', secret: true, writeOnly: true },
    });
    await handle.close();
  });

  it('a rename alone keeps every field, token state included', async () => {
    const { vault, handle } = await realVault((h) => h.set('api', stored, { kind: 'connection' }));
    const { form, origin } = entryFormFromEntry((await vault.get('api'))!);
    // The form shows optional fields the stored value lacks; left empty, they change nothing.
    expect(await saveEntryForm(vault, { ...form, name: 'api3' }, origin)).toEqual({
      ok: true,
      name: 'api3',
    });
    const saved = await handle.getEntry('api3');
    expect(saved?.kind === 'connection' && saved.value.fields.access_token?.value).toBe(
      'at-hidden',
    );
    expect(saved?.kind === 'connection' && saved.value.fields.client_secret?.value).toBe(
      'cs-hidden',
    );
    await handle.close();
  });
});

describe('creating a connection', () => {
  it('saves a new client secret write-only by default', () => {
    const form = {
      ...emptyEntryForm(),
      name: 'api',
      kind: 'connection' as const,
      connectionType: 'oauth2-client-credentials',
      connectionTexts: { client_secret: 's' },
    };
    expect(checkEntryForm(form, undefined, 'default')).toEqual({});
    const value = connectionValueFromForm(
      form.connectionType,
      connectionFieldSpecs(form.connectionType),
      form.connectionTexts,
      form.connectionWriteOnly,
    );
    expect(value.fields.client_secret).toEqual({ value: 's', secret: true, writeOnly: true });
  });
});
