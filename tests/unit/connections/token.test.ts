import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConnectionIncompleteError,
  fetchToken,
  TOKEN_REQUEST_TIMEOUT_MS,
  TokenRequestFailedError,
} from '../../../src/core/connections';
import { createManualScheduler } from '../../../src/core/time';
import type { ConnectionValue } from '../../../src/core/vault';
import {
  defaultClient,
  type ManualClock,
  manualClock,
  type OAuthServer,
  type OAuthServerOptions,
  startOAuthServer,
} from '../../support/oauth-server';

const servers: OAuthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(
  options: OAuthServerOptions = {},
): Promise<{ server: OAuthServer; clock: ManualClock }> {
  const clock = manualClock();
  const server = await startOAuthServer({ now: clock.now, ...options });
  servers.push(server);
  return { server, clock };
}

function value(type: string, fields: Record<string, string | undefined>): ConnectionValue {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  return {
    type,
    fields: Object.fromEntries(entries.map(([name, v]) => [name, { value: v!, secret: true }])),
  };
}

function clientCredentials(server: OAuthServer, extra: Record<string, string | undefined> = {}) {
  return value('oauth2-client-credentials', {
    token_url: server.tokenUrl,
    client_id: defaultClient.id,
    client_secret: defaultClient.secret,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<TokenRequestFailedError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenRequestFailedError);
    return error as TokenRequestFailedError;
  }
  return expect.fail('the token request succeeded');
}

const tokenRequests = (server: OAuthServer) =>
  server.requests.filter((r) => r.path === '/oauth/token');

describe('client credentials', () => {
  it('client_secret_basic (the default): the server saw Basic and no secret in the body', async () => {
    const { server, clock } = await setup();
    const token = await fetchToken(
      { name: 'crm', value: clientCredentials(server) },
      { fetch, now: clock.now },
    );
    const [request] = tokenRequests(server);
    expect(request!.headers.authorization).toMatch(/^Basic /);
    const body = new URLSearchParams(request!.body);
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.has('client_secret')).toBe(false);
    expect(server.lookup(token.accessToken)?.kind).toBe('access');
    expect(token.obtainedAt).toBe(clock.now());
    expect(token.expiresAt).toBe(clock.now() + 60_000);
  });

  it('client_secret_post: id and secret in the body, no Authorization header', async () => {
    const { server, clock } = await setup();
    const token = await fetchToken(
      { name: 'crm', value: clientCredentials(server, { auth_method: 'client_secret_post' }) },
      { fetch, now: clock.now },
    );
    const [request] = tokenRequests(server);
    expect(request!.headers.authorization).toBeUndefined();
    const body = new URLSearchParams(request!.body);
    expect(body.get('client_id')).toBe(defaultClient.id);
    expect(body.get('client_secret')).toBe(defaultClient.secret);
    expect(server.lookup(token.accessToken)?.clientId).toBe(defaultClient.id);
  });

  it('sends scope and audience', async () => {
    const { server, clock } = await setup();
    const token = await fetchToken(
      {
        name: 'crm',
        value: clientCredentials(server, { scope: 'read write', audience: 'https://api.example' }),
      },
      { fetch, now: clock.now },
    );
    const record = server.lookup(token.accessToken);
    expect(record?.audience).toBe('https://api.example');
    expect(record?.scope).toBe('read write');
  });

  it('maps a wrong secret to invalid_client, with either auth method, without the secret', async () => {
    const { server, clock } = await setup();
    for (const auth_method of ['client_secret_basic', 'client_secret_post']) {
      const error = await failure(
        fetchToken(
          {
            name: 'crm',
            value: clientCredentials(server, { client_secret: 'wrong-secret-canary', auth_method }),
          },
          { fetch, now: clock.now },
        ),
      );
      expect([error.code, error.reason, error.status]).toEqual([
        'token-request-failed',
        'invalid_client',
        401,
      ]);
      expect(error.message).toContain('client id or secret is wrong');
      expect(error.message).not.toContain('wrong-secret-canary');
    }
  });

  it('maps an unknown scope to rejected, with the OAuth2 error code', async () => {
    const { server, clock } = await setup();
    const error = await failure(
      fetchToken(
        { name: 'crm', value: clientCredentials(server, { scope: 'admin' }) },
        { fetch, now: clock.now },
      ),
    );
    expect([error.reason, error.oauthError, error.status]).toEqual([
      'rejected',
      'invalid_scope',
      400,
    ]);
  });

  it('maps a 5xx to server', async () => {
    const { server, clock } = await setup({ failWith5xx: 1 });
    const error = await failure(
      fetchToken({ name: 'crm', value: clientCredentials(server) }, { fetch, now: clock.now }),
    );
    expect([error.reason, error.status]).toEqual(['server', 503]);
  });

  it('maps a non-token answer to invalid_response', async () => {
    const { server, clock } = await setup();
    const error = await failure(
      fetchToken(
        {
          name: 'crm',
          value: clientCredentials(server, { token_url: `${server.origin}/nothing` }),
        },
        { fetch, now: clock.now },
      ),
    );
    expect([error.reason, error.status]).toEqual(['invalid_response', 404]);
  });

  it('an unusable token response is invalid_response, and the error carries none of it', async () => {
    const { server, clock } = await setup();
    const unsupported: typeof fetch = async () =>
      new Response(
        JSON.stringify({
          access_token: 'at-canary-0451',
          token_type: 'mac',
          refresh_token: 'rt-canary-0451',
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const error = await failure(
      fetchToken(
        { name: 'crm', value: clientCredentials(server) },
        { fetch: unsupported, now: clock.now },
      ),
    );
    expect(error.reason).toBe('invalid_response');
    expect(inspect(error, { depth: 20, showHidden: true })).not.toMatch(/canary|s3cret/);
  });

  it('tells unreachable from CORS by probing the origin', async () => {
    const { server, clock } = await setup();
    const origin = server.origin;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const down = await failure(
      fetchToken({ name: 'crm', value: clientCredentials(server) }, { fetch, now: clock.now }),
    );
    expect(down.reason).toBe('unreachable');
    expect(down.origin).toBe(origin);

    // The browser hides a CORS refusal as a TypeError; the no-cors probe still gets an answer.
    const live = await setup();
    const probes: RequestInit[] = [];
    const sent: RequestInit[] = [];
    const browserLike: typeof fetch = async (input, init) => {
      if (init?.mode === 'no-cors') {
        probes.push(init);
        return fetch(input, init);
      }
      sent.push(init ?? {});
      throw new TypeError('Failed to fetch');
    };
    const cors = await failure(
      fetchToken(
        { name: 'crm', value: clientCredentials(live.server) },
        { fetch: browserLike, now: live.clock.now },
      ),
    );
    expect(cors.reason).toBe('cors');
    expect(cors.message).toMatch(/Entra.*SPA/);
    expect(cors.message).toMatch(/GitHub.*bearer-token/);
    expect(sent.map((i) => [i.redirect, i.credentials, i.cache, i.referrerPolicy])).toEqual([
      ['manual', 'omit', 'no-store', 'no-referrer'],
    ]);
    expect(probes).toHaveLength(1);
    expect(probes[0]!.redirect).toBeUndefined();
    expect(live.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /']);
  });

  it('gives up after the time limit (unreachable), and an abort by the caller rejects as an abort', async () => {
    const { server, clock } = await setup({ slowMs: 60_000 });
    const scheduler = createManualScheduler({ start: clock.now() });
    const pending = failure(
      fetchToken(
        { name: 'crm', value: clientCredentials(server) },
        { fetch, now: clock.now, scheduler },
      ),
    );
    await vi.waitFor(() => expect(tokenRequests(server)).toHaveLength(1));
    scheduler.advance(TOKEN_REQUEST_TIMEOUT_MS - 1);
    scheduler.advance(1);
    const error = await pending;
    expect(error.reason).toBe('unreachable');
    expect(scheduler.pending).toBe(0);

    const controller = new AbortController();
    const aborted = fetchToken(
      { name: 'crm', value: clientCredentials(server) },
      { fetch, now: clock.now, signal: controller.signal },
    );
    await vi.waitFor(() => expect(tokenRequests(server)).toHaveLength(2));
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses plain http to another host, and empty fields, before sending', async () => {
    let calls = 0;
    const counting: typeof fetch = async (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const plain = value('oauth2-client-credentials', {
      token_url: 'http://auth.example.com/token',
      client_id: 'c',
      client_secret: 's',
      auth_method: 'client_secret_jwt',
    });
    await expect(
      fetchToken({ name: 'x', value: plain }, { fetch: counting, now: () => 0 }),
    ).rejects.toMatchObject({
      code: 'connection-incomplete',
      problems: [
        { field: 'token_url', problem: 'not-https' },
        { field: 'auth_method', problem: 'unknown-choice' },
      ],
    });
    const empty = value('oauth2-client-credentials', {
      token_url: 'https://a.test/t',
      client_id: 'c',
    });
    await expect(
      fetchToken({ name: 'x', value: empty }, { fetch: counting, now: () => 0 }),
    ).rejects.toBeInstanceOf(ConnectionIncompleteError);
    expect(calls).toBe(0);
  });
});

describe('refresh token', () => {
  function refreshValue(
    server: OAuthServer,
    refreshToken: string,
    extra: Record<string, string | undefined> = {},
  ) {
    return value('oauth2-refresh-token', {
      token_url: server.tokenUrl,
      client_id: defaultClient.id,
      client_secret: defaultClient.secret,
      refresh_token: refreshToken,
      ...extra,
    });
  }

  it('returns the rotated refresh token, and the old one is used up', async () => {
    const { server, clock } = await setup();
    const grant = server.seedGrant(defaultClient.id);
    const token = await fetchToken(
      { name: 'crm', value: refreshValue(server, grant.refreshToken) },
      { fetch, now: clock.now },
    );
    expect(token.refreshToken).toMatch(/^rt_/);
    expect(token.refreshToken).not.toBe(grant.refreshToken);
    const rotated = server.lookup(token.refreshToken!);
    expect(rotated?.kind === 'refresh' && rotated.parent).toBe(grant.refreshToken);
    expect(server.lookup(token.accessToken)?.familyId).toBe(grant.familyId);
    const body = new URLSearchParams(tokenRequests(server)[0]!.body);
    expect(body.get('grant_type')).toBe('refresh_token');
    expect(body.get('refresh_token')).toBe(grant.refreshToken);
  });

  it('without rotation returns no refresh token', async () => {
    const { server, clock } = await setup({ rotate: false });
    const grant = server.seedGrant(defaultClient.id);
    const token = await fetchToken(
      { name: 'crm', value: refreshValue(server, grant.refreshToken) },
      { fetch, now: clock.now },
    );
    expect(token.refreshToken).toBeUndefined();
  });

  it('a public client (no secret) sends only its id', async () => {
    const { server, clock } = await setup();
    server.addClient({ id: 'spa', refreshTokens: true });
    const grant = server.seedGrant('spa');
    const token = await fetchToken(
      {
        name: 'spa',
        value: value('oauth2-refresh-token', {
          token_url: server.tokenUrl,
          client_id: 'spa',
          refresh_token: grant.refreshToken,
        }),
      },
      { fetch, now: clock.now },
    );
    expect(server.lookup(token.accessToken)?.clientId).toBe('spa');
    const request = tokenRequests(server)[0]!;
    expect(request.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(request.body).get('client_id')).toBe('spa');
  });

  it('maps a revoked or reused refresh token to invalid_grant', async () => {
    const { server, clock } = await setup();
    const grant = server.seedGrant(defaultClient.id);
    server.revokeToken(grant.refreshToken);
    const revoked = await failure(
      fetchToken(
        { name: 'crm', value: refreshValue(server, grant.refreshToken) },
        { fetch, now: clock.now },
      ),
    );
    expect([revoked.reason, revoked.status, revoked.oauthError]).toEqual([
      'invalid_grant',
      400,
      'invalid_grant',
    ]);
    expect(revoked.message).toContain('sign in again');

    const second = server.seedGrant(defaultClient.id);
    await fetchToken(
      { name: 'crm', value: refreshValue(server, second.refreshToken) },
      { fetch, now: clock.now },
    );
    const reused = await failure(
      fetchToken(
        { name: 'crm', value: refreshValue(server, second.refreshToken) },
        { fetch, now: clock.now },
      ),
    );
    expect(reused.reason).toBe('invalid_grant');
    expect(server.reuseDetections).toHaveLength(1);
  });
});
