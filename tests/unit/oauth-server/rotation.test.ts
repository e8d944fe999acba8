/**
 * The double's refresh token rotation and reuse detection (RFC 6819 §5.2.2.3, RFC 9700 §4.14.2,
 * Auth0's reuse interval), and token expiry on an injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  defaultClient,
  type ManualClock,
  manualClock,
  type OAuthServer,
  type OAuthServerOptions,
  startOAuthServer,
} from '../../support/oauth-server';

let server: OAuthServer;
let clock: ManualClock;
afterEach(() => server.close());

async function start(options: OAuthServerOptions = {}) {
  clock = manualClock();
  server = await startOAuthServer({ now: clock.now, ...options });
}

async function refresh(refreshToken: string) {
  const response = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuthorization(defaultClient.id, defaultClient.secret!),
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      access_token?: string;
      refresh_token?: string;
      error?: string;
    },
  };
}

async function api(accessToken: string) {
  const response = await fetch(`${server.apiUrl}/items`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}

describe('rotation', () => {
  it('issues a new refresh token on each refresh and uses up the old one', async () => {
    await start();
    const grant = server.seedGrant(defaultClient.id);
    const first = await refresh(grant.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toMatch(/^rt_/);
    expect(first.body.refresh_token).not.toBe(grant.refreshToken);
    const second = await refresh(first.body.refresh_token!);
    expect(second.status).toBe(200);
    expect(server.refreshTokens().map((r) => r.parent)).toEqual([
      undefined,
      grant.refreshToken,
      first.body.refresh_token,
    ]);
    expect(server.lookup(grant.refreshToken)).toMatchObject({ usedAt: clock.now() });
    expect(server.reuseDetections).toEqual([]);
  });

  it('revokes the whole family, access tokens too, when a used refresh token comes back', async () => {
    await start();
    const other = server.seedGrant(defaultClient.id);
    const grant = server.seedGrant(defaultClient.id);
    const first = await refresh(grant.refreshToken);
    const reuse = await refresh(grant.refreshToken);
    expect(reuse).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: expect.any(String) },
    });
    expect(server.reuseDetections).toEqual([
      expect.objectContaining({ token: grant.refreshToken, familyId: grant.familyId }),
    ]);
    expect(server.family(grant.familyId).every((t) => t.revoked)).toBe(true);
    // The successor is dead (RFC 9700 §4.14.2: "revoke the active refresh token") ...
    expect((await refresh(first.body.refresh_token!)).body.error).toBe('invalid_grant');
    // ... and so are the family's access tokens, at the resource (RFC 6750 §3.1).
    for (const token of [grant.accessToken, first.body.access_token!]) {
      const answer = await api(token);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toContain('error="invalid_token"');
    }
    // Another grant is untouched.
    expect((await api(other.accessToken)).status).toBe(200);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('lets a used refresh token through within the reuse interval, and trips after it', async () => {
    await start({ reuseIntervalSeconds: 10 });
    const grant = server.seedGrant(defaultClient.id);
    await refresh(grant.refreshToken);
    clock.advance(9_999);
    const again = await refresh(grant.refreshToken);
    expect(again.status).toBe(200);
    expect(server.reuseDetections).toHaveLength(0);
    clock.advance(1);
    expect((await refresh(grant.refreshToken)).body.error).toBe('invalid_grant');
    expect(server.reuseDetections).toHaveLength(1);
  });

  it('without rotation, returns no refresh token and the old one stays valid (RFC 6749 §6)', async () => {
    await start({ rotate: false });
    const grant = server.seedGrant(defaultClient.id);
    const first = await refresh(grant.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body).not.toHaveProperty('refresh_token');
    expect((await refresh(grant.refreshToken)).status).toBe(200);
    expect(server.reuseDetections).toHaveLength(0);
  });

  it('switches rotation at run time', async () => {
    await start({ rotate: false });
    const grant = server.seedGrant(defaultClient.id);
    server.set({ rotate: true });
    expect(server.behaviour.rotate).toBe(true);
    expect((await refresh(grant.refreshToken)).body.refresh_token).toBeDefined();
    expect((await refresh(grant.refreshToken)).body.error).toBe('invalid_grant');
  });
});

describe('expiry on the injected clock', () => {
  it('expires access tokens after expiresInSeconds (RFC 6750 §3.1)', async () => {
    await start({ expiresInSeconds: 3 });
    const grant = server.seedGrant(defaultClient.id);
    clock.advance(2_999);
    expect((await api(grant.accessToken)).status).toBe(200);
    clock.advance(1);
    expect(await api(grant.accessToken)).toEqual({
      status: 401,
      challenge:
        'Bearer realm="coffer-test", error="invalid_token", error_description="The access token expired"',
    });
  });

  it('says expires_in from the setting at issue time', async () => {
    await start({ expiresInSeconds: 2 });
    const grant = server.seedGrant(defaultClient.id);
    server.set({ expiresInSeconds: 5 });
    const fresh = await refresh(grant.refreshToken);
    expect(fresh.body).toMatchObject({ expires_in: 5 });
    clock.advance(4_000);
    expect((await api(grant.accessToken)).status).toBe(401);
    expect((await api(fresh.body.access_token!)).status).toBe(200);
  });

  it('expires refresh tokens after refreshExpiresInSeconds', async () => {
    await start({ refreshExpiresInSeconds: 60 });
    const grant = server.seedGrant(defaultClient.id);
    clock.advance(60_000);
    expect((await refresh(grant.refreshToken)).body.error).toBe('invalid_grant');
    expect(server.reuseDetections).toHaveLength(0);
  });
});
