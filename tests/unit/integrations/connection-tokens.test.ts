/**
 * OAuth2 connections in integration runs, against the loopback OAuth2 test server: tokens got,
 * reused, refreshed in the margin, rotated refresh tokens stored with their access token, one
 * retry after a 401 invalid_token, token endpoint failures recorded in `token_error`, concurrent
 * runs spending a refresh token once, and changed credentials dropping the token. Time is a
 * manual scheduler shared by Coffer's integrations and the server: nothing waits on a clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectionStatus,
  TOKEN_ERROR_FIELD,
  TOKEN_STATE_FIELDS,
} from '../../../src/core/connections';
import type { RequestTemplate, RunEvent } from '../../../src/core/integrations';
import { createMemoryLockManager } from '../../../src/core/lock';
import { createManualScheduler, type ManualScheduler } from '../../../src/core/time';
import type { ConnectionField, ConnectionValue } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import {
  defaultClient,
  formUrlEncode,
  type OAuthServer,
  type OAuthServerOptions,
  startOAuthServer,
} from '../../support/oauth-server';
import { dumpDatabase } from './support';

const passphrase = 'correct horse battery staple';
const HOUR_S = 3600;
const servers: OAuthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const field = (value: string | null, secret = false): ConnectionField => ({ value, secret });
const writeOnly = (value: string | null): ConnectionField => ({
  value,
  secret: true,
  writeOnly: true,
});

async function setup(options: OAuthServerOptions = {}, fetch?: typeof globalThis.fetch) {
  const time: ManualScheduler = createManualScheduler({ start: Date.UTC(2026, 0, 1) });
  const server = await startOAuthServer({
    now: () => time.now(),
    expiresInSeconds: HOUR_S,
    ...options,
  });
  servers.push(server);
  const locks = createMemoryLockManager();
  const t = testCoffer({ integrations: { scheduler: time, locks, ...(fetch ? { fetch } : {}) } });
  const session = await t.coffer.createProfile(passphrase);
  const { id: vaultId } = await session.createVault('my-vault');
  const api = session.integrations;
  const integration = await api.create('crm-sync');
  await api.setGrant({ integration: integration.id, vault: vaultId, access: 'read' });
  const saved = await api.save(integration.id, {
    name: 'crm-sync',
    defaultVault: vaultId,
    request: {
      auth: { type: 'connection', vault: vaultId, connection: 'crm' },
      method: 'GET',
      url: `${server.apiUrl}/contacts`,
      query: [],
      headers: [],
      body: { type: 'none', text: '' },
    } satisfies RequestTemplate,
    beforeHook: '',
    afterHook: '',
  });
  const stored = async () =>
    (await session.withVault({ id: vaultId }, (v) => v.get('crm'))) as ConnectionValue;
  const tokenRequests = () =>
    server.requests.filter((r) => r.path === '/oauth/token' && r.method === 'POST');
  const apiRequests = () =>
    server.requests.filter((r) => r.path.startsWith('/api') && r.method !== 'OPTIONS');
  const clientCredentials = (secret = defaultClient.secret!) =>
    api.createConnection(vaultId, 'crm', {
      type: 'oauth2-client-credentials',
      fields: {
        token_url: field(server.tokenUrl),
        client_id: field(defaultClient.id),
        client_secret: writeOnly(secret),
        scope: field('read'),
      },
    });
  const refreshConnection = (refreshToken: string) =>
    api.createConnection(vaultId, 'crm', {
      type: 'oauth2-refresh-token',
      fields: {
        token_url: field(server.tokenUrl),
        client_id: field(defaultClient.id),
        client_secret: writeOnly(defaultClient.secret!),
        refresh_token: writeOnly(refreshToken),
      },
    });
  return {
    ...t,
    time,
    server,
    locks,
    session,
    api,
    integration: saved,
    vaultId,
    stored,
    tokenRequests,
    apiRequests,
    clientCredentials,
    refreshConnection,
  };
}

const accessTokenOf = (value: ConnectionValue) =>
  value.fields[TOKEN_STATE_FIELDS.accessToken]?.value ?? undefined;
const bearer = (r: { headers: Record<string, string> }) =>
  r.headers.authorization?.replace(/^Bearer /, '');

describe('OAuth2 client credentials', () => {
  it('gets a token at the first run, reuses it, refreshes it first within the margin; never shown', async () => {
    const s = await setup();
    await s.clientCredentials();
    const events: RunEvent[] = [];
    const first = await s.api.run(s.integration.id, { onEvent: (e) => events.push(e) });
    expect(first.failure).toBeUndefined();
    expect(first.status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(1);
    const token1 = s.server.accessTokens()[0]!.token;
    expect(s.apiRequests().map(bearer)).toEqual([token1]);
    expect(JSON.parse(first.response!.body)).toMatchObject({ ok: true, scope: 'read' });
    // The token request asked for the scope, and went before the API request.
    expect(new URLSearchParams(s.tokenRequests()[0]!.body).get('scope')).toBe('read');
    const order = s.server.requests.filter((r) => r.method === 'POST' || r.method === 'GET');
    expect(order.map((r) => r.path)).toEqual(['/oauth/token', '/api/contacts']);
    expect(events).toContainEqual({ type: 'token', connection: 'crm', step: 'refreshing' });
    expect(events).toContainEqual({ type: 'token', connection: 'crm', step: 'done' });
    // Stored: write-only access token, its times by the run's clock.
    const value = await s.stored();
    expect(accessTokenOf(value)).toBe(token1);
    expect(value.fields[TOKEN_STATE_FIELDS.accessToken]).toMatchObject({ writeOnly: true });
    expect(value.fields[TOKEN_STATE_FIELDS.expiresAt]?.value).toBe(
      new Date(s.time.now() + HOUR_S * 1000).toISOString(),
    );

    // Second run, 50 minutes later (10 minutes left, margin 6): the same token.
    s.time.advance(50 * 60_000);
    const second = await s.api.run(s.integration.id);
    expect(second.status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.apiRequests().map(bearer)).toEqual([token1, token1]);

    // Third run, 5 minutes before expiry (within the 6-minute margin): a new token first.
    s.time.advance(5 * 60_000);
    const third = await s.api.run(s.integration.id);
    expect(third.status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(2);
    const token2 = s.server.accessTokens()[1]!.token;
    expect(token2).not.toBe(token1);
    expect(s.apiRequests().map(bearer)).toEqual([token1, token1, token2]);
    expect(accessTokenOf(await s.stored())).toBe(token2);

    // No run record, event, or database row holds a token or the client secret.
    const shown = JSON.stringify({ runs: await s.api.runs(s.integration.id), events });
    const dump = await dumpDatabase(s.db);
    for (const secret of [
      token1,
      token2,
      defaultClient.secret!,
      formUrlEncode(defaultClient.secret!),
    ]) {
      expect(shown).not.toContain(secret);
      expect(dump).not.toContain(secret);
    }
    expect(first.request?.headers).toContainEqual(['Authorization', 'Bearer ••••']);
  });

  it('changing the client secret drops the stored token: the next run asks with the new secret', async () => {
    const s = await setup();
    await s.clientCredentials();
    expect((await s.api.run(s.integration.id)).status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(1);
    // Upkeep fields cannot be set through "Fill in".
    await s.api.updateConnection(s.vaultId, 'crm', {
      [TOKEN_STATE_FIELDS.accessToken]: writeOnly('at_forged-by-form'),
    });
    expect(accessTokenOf(await s.stored())).toBe(s.server.accessTokens()[0]!.token);

    await s.api.updateConnection(s.vaultId, 'crm', { client_secret: writeOnly('wrong-secret-2') });
    const value = await s.stored();
    expect(value.fields[TOKEN_STATE_FIELDS.accessToken]).toBeUndefined();
    expect(value.fields[TOKEN_STATE_FIELDS.expiresAt]).toBeUndefined();
    expect(value.fields[TOKEN_STATE_FIELDS.obtainedAt]).toBeUndefined();
    expect(value.fields.client_secret?.value).toBe('wrong-secret-2');
    expect(value.fields.client_id?.value).toBe(defaultClient.id);
    // The old token would still be valid: only the drop makes this run ask again.
    const record = await s.api.run(s.integration.id);
    expect(s.tokenRequests()).toHaveLength(2);
    const sent = s.tokenRequests()[1]!;
    // client_secret_basic: id and secret each form-urlencoded, then base64 (RFC 6749 §2.3.1).
    const basic = Buffer.from(sent.headers.authorization!.replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':')
      .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    expect(basic).toEqual([defaultClient.id, 'wrong-secret-2']);
    expect(record.failure).toMatchObject({
      code: 'token-request-failed',
      reason: 'invalid_client',
    });
    expect(s.apiRequests()).toHaveLength(1);
  });
});

describe('OAuth2 refresh token with rotation', () => {
  it('stores the rotated refresh token in the same write as the access token; the next refresh uses it', async () => {
    const s = await setup();
    const seed = s.server.seedGrant(defaultClient.id);
    await s.refreshConnection(seed.refreshToken);
    // The run shares this tab's open handle, so every write it makes is seen here.
    const vault = await s.session.openVault({ id: s.vaultId });
    const writes: ConnectionValue[] = [];
    vault.onChange(() => {
      void vault.get('crm').then((v) => writes.push(v as ConnectionValue));
    });
    const first = await s.api.run(s.integration.id);
    expect(first.status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(1);
    expect(new URLSearchParams(s.tokenRequests()[0]!.body).get('refresh_token')).toBe(
      seed.refreshToken,
    );
    const rt1 = s.server.refreshTokens().find((r) => r.parent === seed.refreshToken)!;
    const at1 = s.server.accessTokens().at(-1)!;
    expect(writes).toHaveLength(1);
    expect(writes[0]!.fields.refresh_token).toEqual(writeOnly(rt1.token));
    expect(accessTokenOf(writes[0]!)).toBe(at1.token);
    expect(s.apiRequests().map(bearer)).toEqual([at1.token]);
    const visible = await vault.visibleEntry('crm');
    expect(JSON.stringify(visible)).not.toContain(rt1.token);
    expect(JSON.stringify(visible)).not.toContain(at1.token);
    await vault.close();

    // After expiry the next run refreshes with the rotated token: no reuse, no revoked family.
    s.time.advance(HOUR_S * 1000);
    const second = await s.api.run(s.integration.id);
    expect(second.status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(2);
    expect(new URLSearchParams(s.tokenRequests()[1]!.body).get('refresh_token')).toBe(rt1.token);
    expect(s.server.reuseDetections).toEqual([]);
    const rt2 = s.server.refreshTokens().find((r) => r.parent === rt1.token)!;
    expect((await s.stored()).fields.refresh_token?.value).toBe(rt2.token);
    expect(s.server.family(seed.familyId).every((t) => !t.revoked)).toBe(true);
  });

  it('a 401 invalid_token: exactly one new token and one retry', async () => {
    const s = await setup();
    await s.refreshConnection(s.server.seedGrant(defaultClient.id).refreshToken);
    expect((await s.api.run(s.integration.id)).status).toBe('succeeded');
    const at1 = accessTokenOf(await s.stored())!;
    s.server.revokeToken(at1);
    const events: RunEvent[] = [];
    const record = await s.api.run(s.integration.id, { onEvent: (e) => events.push(e) });
    expect(record.failure).toBeUndefined();
    expect(record.status).toBe('succeeded');
    expect(record.response?.status).toBe(200);
    expect(s.tokenRequests()).toHaveLength(2);
    const at2 = accessTokenOf(await s.stored())!;
    expect(at2).not.toBe(at1);
    expect(s.apiRequests().map(bearer)).toEqual([at1, at1, at2]);
    expect(events.filter((e) => e.type === 'request')).toHaveLength(2);
    expect(JSON.stringify({ record, events })).not.toContain(at2);
    expect(s.server.reuseDetections).toEqual([]);
  });

  it('a second 401 after the retry does not loop: the run fails with it', async () => {
    // Every token this server issues is expired at once: the API refuses each.
    const s = await setup({ expiresInSeconds: 0 });
    await s.refreshConnection(s.server.seedGrant(defaultClient.id).refreshToken);
    const record = await s.api.run(s.integration.id);
    expect(record.status).toBe('failed');
    expect(record.response?.status).toBe(401);
    expect(record.failure).toMatchObject({ code: 'request-failed', reason: 'http-status' });
    expect(s.apiRequests()).toHaveLength(2);
    expect(s.tokenRequests()).toHaveLength(2);
    expect(s.server.reuseDetections).toEqual([]);
  });

  it('a 401 whose WWW-Authenticate cannot be read: one retry; a 401 with another challenge: none', async () => {
    let rewrite: 'hide' | 'basic' = 'hide';
    // The API's 401, as a page sees it: without the challenge (not exposed by CORS), or with a
    // challenge that a new token would not answer.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (!String(input).includes('/api/') || response.status !== 401) return response;
      const headers = new Headers(response.headers);
      headers.delete('www-authenticate');
      if (rewrite === 'basic') headers.set('www-authenticate', 'Basic realm="other"');
      return new Response(await response.arrayBuffer(), { status: 401, headers });
    };
    const s = await setup({}, fetch);
    await s.refreshConnection(s.server.seedGrant(defaultClient.id).refreshToken);
    expect((await s.api.run(s.integration.id)).status).toBe('succeeded');
    s.server.revokeToken(accessTokenOf(await s.stored())!);
    expect((await s.api.run(s.integration.id)).status).toBe('succeeded');
    expect([s.apiRequests().length, s.tokenRequests().length]).toEqual([3, 2]);
    rewrite = 'basic';
    s.server.revokeToken(accessTokenOf(await s.stored())!);
    const refused = await s.api.run(s.integration.id);
    expect(refused.response?.status).toBe(401);
    expect([s.apiRequests().length, s.tokenRequests().length]).toEqual([4, 2]);
  });

  it('two runs at once in one tab spend the refresh token once', async () => {
    const s = await setup();
    await s.refreshConnection(s.server.seedGrant(defaultClient.id).refreshToken);
    const records = await Promise.all([s.api.run(s.integration.id), s.api.run(s.integration.id)]);
    expect(records.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.server.reuseDetections).toEqual([]);
    const token = accessTokenOf(await s.stored());
    expect(s.apiRequests().map(bearer)).toEqual([token, token]);
  });

  it('two tabs sharing one lock manager, running at once, spend the refresh token once', async () => {
    const s = await setup();
    await s.refreshConnection(s.server.seedGrant(defaultClient.id).refreshToken);
    const other = await s.anotherTab('tab-2').unlock(passphrase);
    // Both due at once: expire nothing yet (no token), both start together.
    const records = await Promise.all([
      s.api.run(s.integration.id),
      other.integrations.run(s.integration.id),
    ]);
    expect(records.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.server.reuseDetections).toEqual([]);
    const token = accessTokenOf(await s.stored());
    expect(s.apiRequests().map(bearer)).toEqual([token, token]);
    // And again once it is due: still one refresh between the two tabs.
    s.time.advance(HOUR_S * 1000);
    await Promise.all([s.api.run(s.integration.id), other.integrations.run(s.integration.id)]);
    expect(s.tokenRequests()).toHaveLength(2);
    expect(s.server.reuseDetections).toEqual([]);
  });
});

describe('token endpoint failures', () => {
  it('invalid_client: failure in words, stored as token_error (status failed); fixing the secret clears it', async () => {
    const s = await setup();
    await s.clientCredentials('not-the-secret-9');
    const record = await s.api.run(s.integration.id);
    expect(s.apiRequests()).toHaveLength(0);
    expect(record.failure).toMatchObject({
      code: 'token-request-failed',
      reason: 'invalid_client',
      field: { part: 'auth' },
      connection: { vault: s.vaultId, name: 'crm', missing: [] },
    });
    expect(record.failure!.message).toContain('client id or secret is wrong');
    expect(JSON.stringify(record)).not.toContain('not-the-secret-9');
    const value = await s.stored();
    const status = connectionStatus(value, s.time.now());
    expect(status).toMatchObject({ kind: 'failed', error: { reason: 'invalid_client' } });
    expect(value.fields[TOKEN_ERROR_FIELD]?.value).not.toContain('not-the-secret-9');

    await s.api.updateConnection(s.vaultId, 'crm', {
      client_secret: writeOnly(defaultClient.secret!),
    });
    const fixed = await s.api.run(s.integration.id);
    expect(fixed.status).toBe('succeeded');
    const after = await s.stored();
    expect(after.fields[TOKEN_ERROR_FIELD]).toBeUndefined();
    expect(connectionStatus(after, s.time.now()).kind).toBe('valid');
  });

  it('invalid_grant: an unknown refresh token, in words', async () => {
    const s = await setup();
    await s.refreshConnection('rt_not-issued-by-this-server');
    const record = await s.api.run(s.integration.id);
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.apiRequests()).toHaveLength(0);
    expect(record.failure).toMatchObject({ code: 'token-request-failed', reason: 'invalid_grant' });
    expect(record.failure!.message).toContain('expired or was revoked');
    expect(connectionStatus(await s.stored(), s.time.now())).toMatchObject({
      kind: 'failed',
      error: { reason: 'invalid_grant' },
    });
  });

  it('a 5xx from the token endpoint: recorded; the next good run, with nothing changed, clears it', async () => {
    const s = await setup();
    await s.clientCredentials();
    s.server.set({ failWith5xx: 1 });
    const record = await s.api.run(s.integration.id);
    expect(record.failure).toMatchObject({ code: 'token-request-failed', reason: 'server' });
    expect(record.failure!.message).toContain('failed on its side');
    expect(s.apiRequests()).toHaveLength(0);
    const failed = await s.stored();
    expect(connectionStatus(failed, s.time.now())).toMatchObject({
      kind: 'failed',
      error: { reason: 'server', at: new Date(s.time.now()).toISOString() },
    });
    expect(s.server.behaviour.failWith5xx).toBe(0);
    const good = await s.api.run(s.integration.id);
    expect(good.status).toBe('succeeded');
    expect(s.tokenRequests()).toHaveLength(2);
    const value = await s.stored();
    expect(value.fields[TOKEN_ERROR_FIELD]).toBeUndefined();
    expect(connectionStatus(value, s.time.now()).kind).toBe('valid');
  });
});
