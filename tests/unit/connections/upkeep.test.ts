import { afterEach, describe, expect, it } from 'vitest';
import {
  applyConnection,
  connectionLockName,
  ensureAccessToken,
  type NamedConnection,
  needsRetryAfter401,
  parseChallenges,
  refreshDue,
  TOKEN_STATE_FIELDS,
  type TokenUpkeepDeps,
  tokenState,
  withConnectionLock,
  withToken,
} from '../../../src/core/connections';
import { createMemoryLockManager, type LockManagerLike } from '../../../src/core/lock';
import type { ConnectionValue } from '../../../src/core/vault';
import {
  defaultClient,
  type ManualClock,
  manualClock,
  type OAuthServer,
  startOAuthServer,
} from '../../support/oauth-server';

const servers: OAuthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('refreshDue', () => {
  const state = (obtainedAt: number, expiresAt: number) => ({
    accessToken: 'at',
    obtainedAt,
    expiresAt,
  });

  it('short tokens: 60 s before expiry at the earliest (the floor)', () => {
    // 5 minutes: 10 % is 30 s, below the floor.
    const s = state(1_000_000, 1_300_000);
    expect(refreshDue(s, 1_239_999)).toBe(false);
    expect(refreshDue(s, 1_240_000)).toBe(true);
    // 10 minutes: 10 % is exactly 60 s.
    const t = state(0, 600_000);
    expect(refreshDue(t, 539_999)).toBe(false);
    expect(refreshDue(t, 540_000)).toBe(true);
    // Shorter than the floor: due at once.
    expect(refreshDue(state(0, 30_000), 0)).toBe(true);
  });

  it('long tokens: 10 % of the lifetime before expiry', () => {
    // 1 hour: 360 s before expiry, not the floor's 60 s.
    const s = state(0, 3_600_000);
    expect(refreshDue(s, 3_239_999)).toBe(false);
    expect(refreshDue(s, 3_240_000)).toBe(true);
    // 24 hours: 2.4 hours before.
    const d = state(5_000, 5_000 + 86_400_000);
    expect(refreshDue(d, 5_000 + 77_759_999)).toBe(false);
    expect(refreshDue(d, 5_000 + 77_760_000)).toBe(true);
  });

  it('no token: due; unknown expiry: not due (a 401 says when)', () => {
    expect(refreshDue(undefined, 0)).toBe(true);
    expect(refreshDue({ accessToken: 'at', obtainedAt: 0, expiresAt: null }, 1e15)).toBe(false);
  });
});

describe('token state in fields', () => {
  const base: ConnectionValue = {
    type: 'oauth2-refresh-token',
    fields: {
      token_url: { value: 'https://a.test/t', secret: false },
      client_id: { value: 'c', secret: false },
      refresh_token: { value: 'rt-old', secret: true },
    },
  };

  it('withToken writes the documented fields, keeps the rest, and tokenState reads them back', () => {
    const before = JSON.stringify(base);
    const next = withToken(base, {
      accessToken: 'at-1',
      obtainedAt: Date.UTC(2026, 0, 1),
      expiresAt: Date.UTC(2026, 0, 1, 1),
      refreshToken: 'rt-new',
    });
    expect(JSON.stringify(base)).toBe(before);
    expect(next.fields).toEqual({
      token_url: { value: 'https://a.test/t', secret: false },
      client_id: { value: 'c', secret: false },
      // The refresh token was not write-only before: the rotated one keeps that choice.
      refresh_token: { value: 'rt-new', secret: true },
      access_token: { value: 'at-1', secret: true, writeOnly: true },
      access_token_expires_at: { value: '2026-01-01T01:00:00.000Z', secret: false },
      access_token_obtained_at: { value: '2026-01-01T00:00:00.000Z', secret: false },
    });
    expect(tokenState(next)).toEqual({
      accessToken: 'at-1',
      obtainedAt: Date.UTC(2026, 0, 1),
      expiresAt: Date.UTC(2026, 0, 1, 1),
    });
    expect(TOKEN_STATE_FIELDS.accessToken).toBe('access_token');
  });

  it('a rotated refresh token stays write-only; the token error and the lease are cleared', () => {
    const next = withToken(
      {
        type: base.type,
        fields: {
          ...base.fields,
          refresh_token: { value: 'rt-old', secret: true, writeOnly: true },
          token_error: { value: '{"reason":"server"}', secret: false },
          refresh_lease: { value: '{"device":"d"}', secret: false },
        },
      },
      { accessToken: 'at-2', obtainedAt: 0, expiresAt: null, refreshToken: 'rt-2' },
    );
    expect(next.fields.refresh_token).toEqual({ value: 'rt-2', secret: true, writeOnly: true });
    expect(next.fields.token_error).toBeUndefined();
    expect(next.fields.refresh_lease).toBeUndefined();
  });

  it('keeps the refresh token when none was rotated; no access token reads as none', () => {
    const next = withToken(base, { accessToken: 'at-1', obtainedAt: 0, expiresAt: null });
    expect(next.fields.refresh_token?.value).toBe('rt-old');
    expect(next.fields.access_token_expires_at?.value).toBeNull();
    expect(tokenState(next)?.expiresAt).toBeNull();
    expect(tokenState(base)).toBeUndefined();
  });
});

describe('needsRetryAfter401', () => {
  const response = (status: number, ...challenges: string[]) => ({
    status,
    headers: challenges.map((c): [string, string] => ['WWW-Authenticate', c]),
  });

  it.each([
    [response(401, 'Bearer error="invalid_token"'), true],
    [response(401, 'Bearer realm="api", error="invalid_token", error_description="expired"'), true],
    [response(401, 'bearer error=invalid_token'), true],
    [response(401, 'Basic realm="x", Bearer realm="y", error="invalid_token"'), true],
    [response(401, 'Basic realm="x"', 'Bearer error="invalid_token"'), true],
    [response(401, 'Negotiate YIIB==, Bearer error="invalid_token"'), true],
    [response(401, 'Bearer realm="api"'), false],
    [response(401, 'Bearer error="insufficient_scope"'), false],
    [response(401, 'Basic realm="error=\\"invalid_token\\""'), false],
    [response(401, 'Newauth realm="Bearer error=\\"invalid_token\\""'), false],
    [response(403, 'Bearer error="invalid_token"'), false],
    [response(401), false],
  ])('%j -> %s', (r, expected) => {
    expect(needsRetryAfter401(r)).toBe(expected);
  });

  it('reads a fetch Response', () => {
    const r = new Response(null, {
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
    expect(needsRetryAfter401(r)).toBe(true);
  });

  it('parses quoted-pair escapes', () => {
    expect(parseChallenges('Bearer realm="a \\"b\\"", error="invalid_token"')).toEqual([
      { scheme: 'bearer', parameters: { realm: 'a "b"', error: 'invalid_token' } },
    ]);
  });
});

async function setup(): Promise<{ server: OAuthServer; clock: ManualClock }> {
  const clock = manualClock();
  const server = await startOAuthServer({ now: clock.now, expiresInSeconds: 300 });
  servers.push(server);
  return { server, clock };
}

/** One vault entry that several tabs read and write (what `vault.get` / `vault.set` do). */
function storedConnection(value: ConnectionValue) {
  const store = { value, writes: 0 };
  return {
    store,
    read: async (): Promise<NamedConnection> => ({ name: 'crm', value: store.value }),
    write: async (next: ConnectionValue) => {
      store.writes += 1;
      store.value = next;
    },
  };
}

function refreshConnection(server: OAuthServer, refreshToken: string): ConnectionValue {
  return {
    type: 'oauth2-refresh-token',
    fields: {
      token_url: { value: server.tokenUrl, secret: false },
      client_id: { value: defaultClient.id, secret: false },
      client_secret: { value: defaultClient.secret!, secret: true },
      refresh_token: { value: refreshToken, secret: true },
    },
  };
}

const refreshes = (server: OAuthServer) =>
  server.requests.filter((r) => r.path === '/oauth/token').length;

describe('token upkeep across tabs', () => {
  it('two tabs refreshing at once use the refresh token once', async () => {
    const { server, clock } = await setup();
    server.set({ slowMs: 30 });
    const grant = server.seedGrant(defaultClient.id);
    const entry = storedConnection(refreshConnection(server, grant.refreshToken));
    const locks = createMemoryLockManager();
    const tab = (id: string): TokenUpkeepDeps => ({
      fetch,
      now: clock.now,
      locks: locks.forClient(id),
      read: entry.read,
      write: entry.write,
    });
    const [a, b] = await Promise.all([
      ensureAccessToken(tab('tab-1'), 'entry-1'),
      ensureAccessToken(tab('tab-2'), 'entry-1'),
    ]);
    expect(refreshes(server)).toBe(1);
    expect(server.reuseDetections).toEqual([]);
    expect(entry.store.writes).toBe(1);
    expect(tokenState(a.value)?.accessToken).toBe(tokenState(b.value)?.accessToken);
    const rotated = entry.store.value.fields.refresh_token?.value;
    expect(rotated).not.toBe(grant.refreshToken);
    expect(server.lookup(rotated!)?.kind).toBe('refresh');
  });

  it('without the lock the same race trips reuse detection (what the lock prevents)', async () => {
    const { server, clock } = await setup();
    server.set({ slowMs: 30 });
    const grant = server.seedGrant(defaultClient.id);
    const entry = storedConnection(refreshConnection(server, grant.refreshToken));
    const noLock: LockManagerLike = {
      request: async (name, _options, callback) => callback({ name }),
      query: async () => ({}),
    };
    const deps: TokenUpkeepDeps = { fetch, now: clock.now, locks: noLock, ...entry };
    const results = await Promise.allSettled([
      ensureAccessToken(deps, 'entry-1'),
      ensureAccessToken(deps, 'entry-1'),
    ]);
    expect(refreshes(server)).toBe(2);
    expect(server.reuseDetections).toHaveLength(1);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('a due token is refreshed; a fresh one is used as it is', async () => {
    const { server, clock } = await setup();
    const grant = server.seedGrant(defaultClient.id);
    const entry = storedConnection(refreshConnection(server, grant.refreshToken));
    const deps: TokenUpkeepDeps = {
      fetch,
      now: clock.now,
      locks: createMemoryLockManager(),
      ...entry,
    };
    const first = await ensureAccessToken(deps, 'entry-1');
    clock.advance(239_999); // 300 s token: due 60 s before expiry, at 240 s
    expect(await ensureAccessToken(deps, 'entry-1')).toEqual(first);
    expect(refreshes(server)).toBe(1);
    clock.advance(1);
    const second = await ensureAccessToken(deps, 'entry-1');
    expect(refreshes(server)).toBe(2);
    expect(tokenState(second.value)?.accessToken).not.toBe(tokenState(first.value)?.accessToken);
  });

  it('a 401 invalid_token from the API: refresh once and retry; a tab late to it does not refresh again', async () => {
    const { server, clock } = await setup();
    const grant = server.seedGrant(defaultClient.id);
    const entry = storedConnection(refreshConnection(server, grant.refreshToken));
    const deps: TokenUpkeepDeps = {
      fetch,
      now: clock.now,
      locks: createMemoryLockManager(),
      ...entry,
    };
    const call = async (connection: NamedConnection) => {
      const { request } = applyConnection({ url: server.apiUrl, headers: [] }, connection);
      return fetch(request.url, { headers: request.headers });
    };
    const first = await ensureAccessToken(deps, 'entry-1');
    expect((await call(first)).status).toBe(200);
    server.revokeToken(tokenState(first.value)!.accessToken);
    const refused = await call(first);
    expect(refused.status).toBe(401);
    expect(needsRetryAfter401(refused)).toBe(true);
    const rejected = tokenState(first.value)!.accessToken;
    const second = await ensureAccessToken(deps, 'entry-1', { rejected });
    expect((await call(second)).status).toBe(200);
    expect(refreshes(server)).toBe(2);
    // Another tab that saw the same 401 finds the new token stored, and uses it.
    const late = await ensureAccessToken(deps, 'entry-1', { rejected });
    expect(late).toEqual(second);
    expect(refreshes(server)).toBe(2);
    // A request without credentials gets a 401 with no error code: not a reason to refresh.
    const bare = await fetch(server.apiUrl);
    expect(bare.status).toBe(401);
    expect(needsRetryAfter401(bare)).toBe(false);
    // An expired token gets the same challenge.
    clock.advance(300_000);
    const expired = await call(second);
    expect(expired.status).toBe(401);
    expect(needsRetryAfter401(expired)).toBe(true);
  });

  it('withConnectionLock holds the connection’s lock while fn runs, and passes its result', async () => {
    const locks = createMemoryLockManager();
    const seen = await withConnectionLock(locks, 'entry-9', async () => {
      const snapshot = await locks.query();
      return snapshot.held?.map((l) => l.name);
    });
    expect(seen).toEqual([connectionLockName('entry-9')]);
    expect((await locks.query()).held).toEqual([]);
    await expect(withConnectionLock(locks, '', async () => 1)).rejects.toMatchObject({
      code: 'invalid-lock-request',
    });
  });
});
