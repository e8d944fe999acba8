/**
 * Integration runs with "Auth: connection" for the types that need no token endpoint (bearer,
 * basic, API key in a header or the query), empty connections and "Fill in", the Auth picker's
 * choices and `check`. OAuth2 token upkeep is in connection-tokens.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestTemplate } from '../../../src/core/integrations';
import type { ConnectionValue } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { type HttpRecorder, startHttpRecorder } from '../../support/http-recorder';
import { type OAuthServer, startOAuthServer } from '../../support/oauth-server';
import { dumpDatabase } from './support';

const passphrase = 'correct horse battery staple';
let recorder: HttpRecorder;
let oauth: OAuthServer;

beforeAll(async () => {
  recorder = await startHttpRecorder();
  oauth = await startOAuthServer();
});
afterAll(async () => {
  await recorder.close();
  await oauth.close();
});

async function setup() {
  const t = testCoffer();
  const session = await t.coffer.createProfile(passphrase);
  const { id: vaultId } = await session.createVault('my-vault');
  const api = session.integrations;
  const integration = await api.create('crm-sync');
  const save = (request: Partial<RequestTemplate> = {}) =>
    api.save(integration.id, {
      name: 'crm-sync',
      defaultVault: vaultId,
      request: {
        auth: { type: 'connection', vault: vaultId, connection: 'crm' },
        method: 'GET',
        url: `${recorder.origin}/echo/contacts`,
        query: [],
        headers: [],
        body: { type: 'none', text: '' },
        ...request,
      },
      beforeHook: '',
      afterHook: '',
    });
  const grant = () => api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
  return { ...t, session, api, integration, vaultId, save, grant };
}

const field = (value: string | null, secret = false) => ({ value, secret });

/** Every form a secret could be written in: as is, URL-encoded, form-encoded, JSON-escaped. */
function forms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe('runs with a connection: the credentials go where the type says, masked everywhere else', () => {
  const KEY = 'ak-Live-7Hq2-secret';
  const PASSWORD = 'pw-Zq8v-secret é';
  const basicPair = `app-user:${PASSWORD}`;
  const basic64 = Buffer.from(basicPair, 'utf8').toString('base64');
  const cases: {
    type: string;
    value: ConnectionValue;
    check: (got: (typeof recorder.requests)[number]) => void;
    secrets: string[];
  }[] = [
    {
      type: 'bearer-token',
      value: { type: 'bearer-token', fields: { token: field(KEY, true) } },
      check: (got) => expect(got.headers.authorization).toBe(`Bearer ${KEY}`),
      secrets: [KEY],
    },
    {
      type: 'basic-auth',
      value: {
        type: 'basic-auth',
        fields: { username: field('app-user'), password: field(PASSWORD, true) },
      },
      check: (got) => expect(got.headers.authorization).toBe(`Basic ${basic64}`),
      secrets: [PASSWORD, basicPair, basic64],
    },
    {
      type: 'api-key-header',
      value: {
        type: 'api-key-header',
        fields: {
          header: field('X-Api-Key'),
          key: { value: KEY, secret: true, writeOnly: true },
        },
      },
      check: (got) => {
        expect(got.headers['x-api-key']).toBe(KEY);
        expect(got.headers.authorization).toBeUndefined();
      },
      secrets: [KEY],
    },
    {
      type: 'api-key-query',
      value: {
        type: 'api-key-query',
        fields: { param: field('api_key'), key: field(KEY, true) },
      },
      check: (got) => {
        expect(got.query).toEqual({ page: '2', api_key: KEY });
        expect(got.headers.authorization).toBeUndefined();
      },
      secrets: [KEY],
    },
  ];

  for (const c of cases) {
    it(`${c.type}: sent once, where it belongs; not in the run record, its events or the database`, async () => {
      const { api, integration, vaultId, save, grant, db } = await setup();
      await grant();
      await api.createConnection(vaultId, 'crm', c.value);
      await save(
        c.type === 'api-key-query' ? { url: `${recorder.origin}/echo/contacts?page=2` } : {},
      );
      const before = recorder.requests.length;
      const events: unknown[] = [];
      const record = await api.run(integration.id, { onEvent: (e) => events.push(e) });
      expect(record.failure).toBeUndefined();
      expect(record.status).toBe('succeeded');
      const got = recorder.requests.slice(before);
      expect(got).toHaveLength(1);
      c.check(got[0]!);
      // The record (as returned and as kept), and every event, hold no form of any secret.
      expect((await api.runs(integration.id))[0]).toEqual(record);
      const shown = JSON.stringify({ record, events });
      const dump = await dumpDatabase(db);
      for (const secret of c.secrets) {
        for (const form of forms(secret)) {
          expect(shown).not.toContain(form);
          expect(dump).not.toContain(form);
        }
      }
      expect(shown).toContain('••••');
      // The echo in the response body was masked too.
      expect(record.response?.body).toContain('••••');
    });
  }

  it('a bearer token the protected resource accepts: 200 from the OAuth test server', async () => {
    const { api, integration, vaultId, save, grant } = await setup();
    const { accessToken } = oauth.seedGrant('coffer-client');
    await grant();
    await api.createConnection(vaultId, 'crm', {
      type: 'bearer-token',
      fields: { token: field(accessToken, true) },
    });
    await save({ url: `${oauth.apiUrl}/contacts` });
    const before = oauth.requests.length;
    const record = await api.run(integration.id);
    expect(record.status).toBe('succeeded');
    expect(JSON.parse(record.response!.body)).toMatchObject({ ok: true, path: '/api/contacts' });
    const got = oauth.requests.slice(before).filter((r) => r.method !== 'OPTIONS');
    expect(got.map((r) => r.headers.authorization)).toEqual([`Bearer ${accessToken}`]);
    expect(JSON.stringify(record)).not.toContain(accessToken);
  });
});

describe('an empty connection, and "Fill in"', () => {
  it('stops the run before anything is sent and names the connection and what it misses; filling it in makes the next run work', async () => {
    const { api, integration, vaultId, save, grant } = await setup();
    await grant();
    await api.createConnection(vaultId, 'crm', {
      type: 'basic-auth',
      fields: { username: field('app-user'), password: field(null, true) },
    });
    const saved = await save();
    const before = recorder.requests.length;
    const failed = await api.run(integration.id);
    expect(recorder.requests.length).toBe(before);
    expect(failed.status).toBe('failed');
    expect(failed.request).toBeUndefined();
    expect(failed.failure).toMatchObject({
      code: 'connection-incomplete',
      field: { part: 'auth' },
      connection: { vault: vaultId, name: 'crm', missing: ['password'] },
    });
    expect(failed.failure!.message).toContain('crm');
    expect(failed.failure!.message).toContain('it needs Password');

    await api.updateConnection(vaultId, 'crm', { password: field('pw-filled-in-123', true) });
    const record = await api.run(integration.id);
    expect(record.status).toBe('succeeded');
    expect(recorder.requests.length).toBe(before + 1);
    expect(recorder.requests[before]!.headers.authorization).toBe(
      `Basic ${Buffer.from('app-user:pw-filled-in-123').toString('base64')}`,
    );
    // The integration itself was not changed.
    expect(await api.get(integration.id)).toEqual(saved);
  });

  it('a connection with every field empty (created empty) stops the run the same way', async () => {
    const { api, integration, vaultId, save, grant } = await setup();
    await grant();
    await api.createConnection(vaultId, 'crm', {
      type: 'api-key-header',
      fields: { header: field(null), key: field(null, true) },
    });
    await save();
    const before = recorder.requests.length;
    const record = await api.run(integration.id);
    expect(recorder.requests.length).toBe(before);
    expect(record.failure?.connection).toEqual({
      vault: vaultId,
      name: 'crm',
      missing: ['header', 'key'],
    });
  });

  it('updateConnection: unknown connection or another kind of entry is refused, nothing written', async () => {
    const { api, vaultId, session } = await setup();
    await session.withVault({ id: vaultId }, (v) => v.set('PLAIN', 'x-value'));
    await expect(
      api.updateConnection(vaultId, 'nope', { token: field('t', true) }),
    ).rejects.toMatchObject({ code: 'reference-unresolved' });
    await expect(
      api.updateConnection(vaultId, 'PLAIN', { token: field('t', true) }),
    ).rejects.toMatchObject({ code: 'reference-unresolved' });
    expect(await session.withVault({ id: vaultId }, (v) => v.get('PLAIN'))).toBe('x-value');
    expect(await session.withVault({ id: vaultId }, (v) => v.has('nope'))).toBe(false);
  });
});

describe('the Auth picker and check()', () => {
  it('connections(integration) lists the connections of granted vaults only, with what they miss', async () => {
    const { api, integration, vaultId, session, grant } = await setup();
    const { id: otherId } = await session.createVault('other-vault');
    const { id: readWriteId } = await session.createVault('rw-vault');
    await session.withVault({ id: vaultId }, async (v) => {
      await v.set(
        'zeta',
        { type: 'bearer-token', fields: { token: field('t-123456', true) } },
        {
          kind: 'connection',
        },
      );
      await v.set(
        'alpha',
        {
          type: 'oauth2-client-credentials',
          fields: {
            token_url: field('https://auth.example.com/token'),
            client_id: field(null),
            client_secret: { value: 'cs-123456', secret: true, writeOnly: true },
          },
        },
        { kind: 'connection' },
      );
      await v.set('NOT_A_CONNECTION', 'plain');
    });
    await session.withVault({ id: otherId }, (v) =>
      v.set(
        'hidden',
        { type: 'bearer-token', fields: { token: field(null, true) } },
        {
          kind: 'connection',
        },
      ),
    );
    await session.withVault({ id: readWriteId }, (v) =>
      v.set(
        'writer',
        { type: 'basic-auth', fields: { username: field(null), password: field(null, true) } },
        { kind: 'connection' },
      ),
    );
    expect(await api.connections(integration)).toEqual([]);
    await grant();
    await api.setGrant({ integration: integration.id, vault: readWriteId, access: 'read-write' });
    const choices = await api.connections(integration);
    expect(choices).toHaveLength(3);
    expect(choices).toContainEqual({
      vault: vaultId,
      vaultName: 'my-vault',
      name: 'alpha',
      type: 'oauth2-client-credentials',
      missing: ['client_id'],
    });
    expect(choices).toContainEqual({
      vault: vaultId,
      vaultName: 'my-vault',
      name: 'zeta',
      type: 'bearer-token',
      missing: [],
    });
    expect(choices).toContainEqual({
      vault: readWriteId,
      vaultName: 'rw-vault',
      name: 'writer',
      type: 'basic-auth',
      missing: ['username', 'password'],
    });
    // By vault, then name.
    const mine = choices.filter((c) => c.vault === vaultId).map((c) => c.name);
    expect(mine).toEqual(['alpha', 'zeta']);
  });

  // The picker counts a required field that is absent (`fields: {}`, or removed by a `null` in
  // updateConnection) as missing, as the run does (it once counted only fields stored as null).
  it('a required field that is absent counts as missing in the picker, as it does in a run', async () => {
    const { api, integration, vaultId, save, grant } = await setup();
    await grant();
    await api.createConnection(vaultId, 'crm', { type: 'basic-auth', fields: {} });
    await save();
    const record = await api.run(integration.id);
    expect(record.failure?.connection?.missing).toEqual(['username', 'password']);
    const choices = await api.connections(integration);
    expect(choices.find((c) => c.name === 'crm')?.missing).toEqual(['username', 'password']);
  });

  it('check() reports auth problems at {part: "auth"}: no grant, then missing fields, then none', async () => {
    const { api, integration, vaultId, save, grant } = await setup();
    await api.createConnection(vaultId, 'crm', {
      type: 'bearer-token',
      fields: { token: field(null, true) },
    });
    const saved = await save();
    const noGrant = await api.check(saved);
    expect(noGrant).toHaveLength(1);
    expect(noGrant[0]).toMatchObject({
      field: { part: 'auth' },
      code: 'grant-missing',
      vault: vaultId,
    });
    // A run says the same, before sending anything.
    const before = recorder.requests.length;
    const record = await api.run(integration.id);
    expect(recorder.requests.length).toBe(before);
    expect(record.failure).toMatchObject({
      code: 'grant-missing',
      vault: vaultId,
      field: { part: 'auth' },
    });

    await grant();
    const incomplete = await api.check(saved);
    expect(incomplete).toEqual([
      expect.objectContaining({ field: { part: 'auth' }, code: 'connection-incomplete' }),
    ]);
    expect(incomplete[0]!.message).toContain('Token');

    await api.updateConnection(vaultId, 'crm', { token: field('tok-now-filled', true) });
    expect(await api.check(saved)).toEqual([]);

    // A connection name with no entry behind it.
    const renamed = await save({
      auth: { type: 'connection', vault: vaultId, connection: 'gone' },
    });
    expect(await api.check(renamed)).toEqual([
      expect.objectContaining({ field: { part: 'auth' }, code: 'reference-unresolved' }),
    ]);
  });
});
