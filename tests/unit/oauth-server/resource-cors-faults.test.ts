/** The double's protected resource (RFC 6750), CORS (Fetch standard) and fault knobs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  defaultClient,
  type OAuthServer,
  startOAuthServer,
} from '../../support/oauth-server';

let server: OAuthServer;
beforeEach(async () => {
  server = await startOAuthServer();
});
afterEach(() => server.close());

const appOrigin = 'http://localhost:5173';

function clientCredentials(headers: Record<string, string> = {}) {
  return fetch(server.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuthorization(defaultClient.id, defaultClient.secret!),
      ...headers,
    },
    body: 'grant_type=client_credentials',
  });
}

function preflight(url: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: appOrigin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('protected resource (RFC 6750)', () => {
  it('answers a valid Bearer token 200 with its client and scope (§2.1)', async () => {
    const grant = server.seedGrant(defaultClient.id, { scope: 'read' });
    const response = await fetch(`${server.apiUrl}/secrets/1`, {
      headers: { authorization: `Bearer ${grant.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      client_id: defaultClient.id,
      scope: 'read',
      path: '/api/secrets/1',
    });
  });

  it('answers no credentials 401 with a bare challenge, no error code (§3)', async () => {
    const response = await fetch(`${server.apiUrl}/x`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="coffer-test"');
  });

  it('answers a revoked token 401 invalid_token (§3.1)', async () => {
    const grant = server.seedGrant(defaultClient.id);
    server.revokeToken(grant.accessToken);
    const response = await fetch(server.apiUrl, {
      headers: { authorization: `Bearer ${grant.accessToken}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="coffer-test", error="invalid_token", error_description="[^"]+"$/,
    );
  });

  it('answers an unknown token 401 invalid_token, and a non-Bearer header 400', async () => {
    const unknown = await fetch(server.apiUrl, { headers: { authorization: 'Bearer at_nope' } });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const basic = await fetch(server.apiUrl, { headers: { authorization: 'Basic eDp5' } });
    expect(basic.status).toBe(400);
    expect(basic.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('refuses a token in the URI, and records every request for leak checks', async () => {
    const grant = server.seedGrant(defaultClient.id);
    const response = await fetch(`${server.apiUrl}/x?access_token=${grant.accessToken}`);
    expect(response.status).toBe(400);
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/x',
        query: { access_token: grant.accessToken },
      }),
    ]);
    expect(server.allReceivedText()).toContain(grant.accessToken);
  });
});

describe('CORS (Fetch standard)', () => {
  it('answers a preflight with Allow-Origin (echoed), -Methods and -Headers', async () => {
    for (const url of [server.tokenUrl, `${server.apiUrl}/x`]) {
      const response = await preflight(url);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
      expect(response.headers.get('access-control-allow-methods')).toBe('POST, GET');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'authorization, content-type',
      );
    }
    expect(server.tokens).toHaveLength(0);
  });

  it('puts Allow-Origin on answers, success and error alike', async () => {
    const ok = await clientCredentials({ origin: appOrigin });
    expect(ok.headers.get('access-control-allow-origin')).toBe(appOrigin);
    const denied = await fetch(server.apiUrl, { headers: { origin: appOrigin } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(denied.headers.get('access-control-expose-headers')).toContain('www-authenticate');
  });

  it('sends no CORS headers at all when not allowed, set at run time', async () => {
    server.set({ corsAllowed: false });
    const pre = await preflight(server.tokenUrl);
    const answer = await clientCredentials({ origin: appOrigin });
    expect(answer.status).toBe(200);
    for (const response of [pre, answer]) {
      const names = [...response.headers.keys()];
      expect(names.filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('fault knobs', () => {
  it('answers the next N requests 503 without changing state, then recovers', async () => {
    server.set({ failWith5xx: 2 });
    const grant = server.seedGrant(defaultClient.id);
    expect((await clientCredentials()).status).toBe(503);
    const refresh = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuthorization(defaultClient.id, defaultClient.secret!),
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken }),
    });
    expect(refresh.status).toBe(503);
    expect(server.lookup(grant.refreshToken)).toMatchObject({ usedAt: undefined });
    expect(server.behaviour.failWith5xx).toBe(0);
    expect((await clientCredentials()).status).toBe(200);
  });

  it('delays answers by slowMs', async () => {
    server.set({ slowMs: 300 });
    const started = performance.now();
    const response = await clientCredentials();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    server.set({ slowMs: 0 });
    const quick = performance.now();
    await clientCredentials();
    expect(performance.now() - quick).toBeLessThan(290);
  });
});
