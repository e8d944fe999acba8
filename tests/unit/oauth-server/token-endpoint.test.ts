/** The double's token endpoint: client authentication, grants, errors (RFC 6749). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  defaultClient,
  type OAuthServer,
  startOAuthServer,
} from '../../support/oauth-server';

const form = 'application/x-www-form-urlencoded';
const id = defaultClient.id;
const secret = defaultClient.secret!;
const publicClient = { id: 'public-app' };
const plainClient = { id: 'plain', secret: 'plain-secret' };

let server: OAuthServer;
beforeEach(async () => {
  server = await startOAuthServer({ clients: [defaultClient, publicClient, plainClient] });
});
afterEach(() => server.close());

async function post(
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': form, ...headers },
    body: new URLSearchParams(params),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const basic = { authorization: basicAuthorization(id, secret) };

describe('client credentials grant (RFC 6749 §4.4)', () => {
  it('answers §5.1: Bearer token, expires_in, scope, no-store and no-cache', async () => {
    const { status, headers, body } = await post({ grant_type: 'client_credentials' }, basic);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('pragma')).toBe('no-cache');
    expect(body).toEqual({
      access_token: expect.stringMatching(/^at_/),
      token_type: 'Bearer',
      expires_in: 60,
      refresh_token: expect.stringMatching(/^rt_/),
      scope: 'read', // the client's default scope, when none was asked for (§3.3)
    });
  });

  it('records the requested scope and audience on the token', async () => {
    const { body } = await post(
      { grant_type: 'client_credentials', scope: 'write read', audience: 'https://api.test/' },
      basic,
    );
    expect(body.scope).toBe('write read');
    const record = server.lookup(body.access_token as string);
    expect(record).toMatchObject({ kind: 'access', clientId: id, audience: 'https://api.test/' });
    expect(record?.scope).toBe('write read');
  });

  it('gives no refresh token to a client not configured for one (§4.4.3)', async () => {
    const { status, body } = await post({
      grant_type: 'client_credentials',
      client_id: plainClient.id,
      client_secret: plainClient.secret,
    });
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('scope');
  });

  it('accepts client_secret_post (§2.3.1)', async () => {
    const { status } = await post({
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: secret,
    });
    expect(status).toBe(200);
  });

  it('decodes Basic credentials as form-urlencoded (§2.3.1), so unencoded ones fail', async () => {
    const raw = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const { status, body } = await post(
      { grant_type: 'client_credentials' },
      { authorization: raw },
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('answers a wrong Basic secret 401 invalid_client with WWW-Authenticate: Basic (§5.2)', async () => {
    const { status, headers, body } = await post(
      { grant_type: 'client_credentials' },
      { authorization: basicAuthorization(id, 'wrong') },
    );
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Basic realm="coffer-test"');
    expect(body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(headers.get('cache-control')).toBe('no-store');
  });

  it('answers a wrong posted secret 401 invalid_client without a challenge', async () => {
    const { status, headers, body } = await post({
      grant_type: 'client_credentials',
      client_id: id,
      client_secret: 'wrong',
    });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBeNull();
    expect(body.error).toBe('invalid_client');
  });

  it('refuses two authentication methods in one request (§2.3)', async () => {
    const { status, body } = await post(
      { grant_type: 'client_credentials', client_secret: secret },
      basic,
    );
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
  });

  it('refuses a public client (§4.4: confidential clients only)', async () => {
    const { status, body } = await post({
      grant_type: 'client_credentials',
      client_id: publicClient.id,
    });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('refuses a scope the client may not have with invalid_scope (§5.2)', async () => {
    const { status, body } = await post(
      { grant_type: 'client_credentials', scope: 'admin' },
      basic,
    );
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_scope');
    expect(server.tokens).toHaveLength(0);
  });
});

describe('malformed token requests (§3.2, §5.2)', () => {
  it('answers an unknown grant_type unsupported_grant_type', async () => {
    const { status, body } = await post({ grant_type: 'password' }, basic);
    expect(status).toBe(400);
    expect(body.error).toBe('unsupported_grant_type');
  });

  it('answers a missing grant_type invalid_request', async () => {
    const { status, body } = await post({}, basic);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
  });

  it('answers a repeated parameter invalid_request', async () => {
    const response = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': form, ...basic },
      body: 'grant_type=client_credentials&scope=read&scope=write',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('answers a JSON body invalid_request', async () => {
    const response = await fetch(server.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('answers GET 405 with Allow: POST', async () => {
    const response = await fetch(`${server.tokenUrl}?grant_type=client_credentials`, {
      headers: basic,
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('refuses a client secret in the URI (§2.3.1)', async () => {
    const response = await fetch(`${server.tokenUrl}?client_secret=${encodeURIComponent(secret)}`, {
      method: 'POST',
      headers: { 'content-type': form },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id }),
    });
    expect(response.status).toBe(400);
    expect(server.tokens).toHaveLength(0);
  });
});

describe('refresh token grant (§6)', () => {
  it('lets a public client refresh with client_id alone', async () => {
    const grant = server.seedGrant(publicClient.id, { scope: 'sync' });
    const { status, body } = await post({
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
      client_id: publicClient.id,
    });
    expect(status).toBe(200);
    expect(body.scope).toBe('sync');
    expect(server.lookup(body.access_token as string)?.familyId).toBe(grant.familyId);
  });

  it('makes a confidential client authenticate', async () => {
    const grant = server.seedGrant(id);
    const { status, body } = await post({
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
      client_id: id,
    });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('refuses a refresh token issued to another client with invalid_grant', async () => {
    const grant = server.seedGrant(publicClient.id);
    const { status, body } = await post(
      { grant_type: 'refresh_token', refresh_token: grant.refreshToken },
      basic,
    );
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('answers a missing refresh_token invalid_request and an unknown one invalid_grant', async () => {
    expect((await post({ grant_type: 'refresh_token' }, basic)).body.error).toBe('invalid_request');
    const unknown = await post({ grant_type: 'refresh_token', refresh_token: 'rt_nope' }, basic);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_grant');
  });

  it('narrows the scope on request, and refuses widening with invalid_scope', async () => {
    const grant = server.seedGrant(id, { scope: 'read write' });
    const narrowed = await post(
      { grant_type: 'refresh_token', refresh_token: grant.refreshToken, scope: 'read' },
      basic,
    );
    expect(narrowed.body.scope).toBe('read');
    const wider = await post(
      {
        grant_type: 'refresh_token',
        refresh_token: narrowed.body.refresh_token as string,
        scope: 'read admin',
      },
      basic,
    );
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
  });
});
