/**
 * `connectionStatus`: what a connection's details say about it, from its stored fields (or from
 * what `visibleEntry` gives, where the write-only access token comes as `hidden`).
 */
import { describe, expect, it } from 'vitest';
import {
  connectionStatus,
  REFRESH_LEASE_FIELD,
  storedTokenError,
  TOKEN_ERROR_FIELD,
  TOKEN_STATE_FIELDS,
  withStaleTokenDropped,
  withToken,
} from '../../../src/core/connections';
import type { ConnectionField, ConnectionValue } from '../../../src/core/vault';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const text = (value: string | null, secret = false): ConnectionField => ({ value, secret });

function clientCredentials(extra: Record<string, ConnectionField> = {}): ConnectionValue {
  return {
    type: 'oauth2-client-credentials',
    fields: {
      token_url: text('https://auth.example.com/oauth/token'),
      client_id: text('coffer-app'),
      client_secret: { value: 'cs-very-secret', secret: true, writeOnly: true },
      ...extra,
    },
  };
}

/** A connection holding a token obtained at `obtainedAt`, living `lifetime` ms. */
function withTokenAt(obtainedAt: number, lifetime: number | null): ConnectionValue {
  return withToken(clientCredentials(), {
    accessToken: 'at-current-token',
    obtainedAt,
    expiresAt: lifetime === null ? null : obtainedAt + lifetime,
  });
}

describe('connectionStatus', () => {
  it('incomplete: the required fields that are empty, in form order, whatever else it holds', () => {
    const value: ConnectionValue = {
      type: 'oauth2-client-credentials',
      fields: {
        client_secret: text(null, true),
        token_url: text('   '),
        scope: text(null),
        // A stored token error does not hide that fields are missing.
        [TOKEN_ERROR_FIELD]: text(
          JSON.stringify({ reason: 'server', at: new Date(T0).toISOString(), message: 'm' }),
        ),
      },
    };
    expect(connectionStatus(value, T0)).toEqual({
      kind: 'incomplete',
      missing: ['token_url', 'client_id', 'client_secret'],
    });
    expect(connectionStatus({ type: 'basic-auth', fields: { username: text('app') } }, T0)).toEqual(
      { kind: 'incomplete', missing: ['password'] },
    );
  });

  it('ready: a complete connection without a token endpoint', () => {
    expect(
      connectionStatus({ type: 'bearer-token', fields: { token: text('tok-123456', true) } }, T0),
    ).toEqual({ kind: 'ready' });
    expect(
      connectionStatus(
        {
          type: 'api-key-query',
          fields: { param: text('api_key'), key: text('k-123456', true) },
        },
        T0,
      ),
    ).toEqual({ kind: 'ready' });
  });

  it('no-token: OAuth2, complete, no access token yet (absent, null or empty)', () => {
    expect(connectionStatus(clientCredentials(), T0)).toEqual({ kind: 'no-token' });
    expect(
      connectionStatus(
        clientCredentials({ [TOKEN_STATE_FIELDS.accessToken]: text(null, true) }),
        T0,
      ),
    ).toEqual({ kind: 'no-token' });
    expect(
      connectionStatus(clientCredentials({ [TOKEN_STATE_FIELDS.accessToken]: text('', true) }), T0),
    ).toEqual({ kind: 'no-token' });
  });

  it('valid: the token times, and refreshDue once within the margin', () => {
    const value = withTokenAt(T0, HOUR);
    expect(connectionStatus(value, T0 + 10 * 60_000)).toEqual({
      kind: 'valid',
      expiresAt: T0 + HOUR,
      obtainedAt: T0,
      refreshDue: false,
    });
    // An hour's token: 10 % (6 minutes) before expiry it is due, still valid.
    expect(connectionStatus(value, T0 + HOUR - 6 * 60_000 - 1)).toMatchObject({
      kind: 'valid',
      refreshDue: false,
    });
    expect(connectionStatus(value, T0 + HOUR - 6 * 60_000)).toEqual({
      kind: 'valid',
      expiresAt: T0 + HOUR,
      obtainedAt: T0,
      refreshDue: true,
    });
    // A token whose lifetime the provider did not say.
    expect(connectionStatus(withTokenAt(T0, null), T0 + 100 * HOUR)).toEqual({
      kind: 'valid',
      expiresAt: null,
      obtainedAt: T0,
      refreshDue: false,
    });
  });

  it('expired: at and after expiresAt', () => {
    const value = withTokenAt(T0, HOUR);
    expect(connectionStatus(value, T0 + HOUR - 1).kind).toBe('valid');
    expect(connectionStatus(value, T0 + HOUR)).toEqual({
      kind: 'expired',
      expiresAt: T0 + HOUR,
      obtainedAt: T0,
    });
    expect(connectionStatus(value, T0 + 5 * HOUR).kind).toBe('expired');
  });

  it('failed: a stored token_error wins over the token times; one that does not parse is no error', () => {
    const error = {
      reason: 'invalid_client',
      at: new Date(T0 + 5).toISOString(),
      message: 'getting a token for "crm" failed: the client id or secret is wrong',
    };
    const value = clientCredentials({ [TOKEN_ERROR_FIELD]: text(JSON.stringify(error)) });
    expect(storedTokenError(value)).toEqual(error);
    expect(connectionStatus(value, T0)).toEqual({ kind: 'failed', error });
    // With a token that is still valid, the failure is what the details show.
    const withBoth: ConnectionValue = {
      type: value.type,
      fields: {
        ...withTokenAt(T0, HOUR).fields,
        [TOKEN_ERROR_FIELD]: value.fields[TOKEN_ERROR_FIELD]!,
      },
    };
    expect(connectionStatus(withBoth, T0 + 1).kind).toBe('failed');
    // Unknown reason, not JSON, missing parts: not an error this version shows.
    for (const bad of [
      JSON.stringify({ ...error, reason: 'teapot' }),
      'not json',
      JSON.stringify({ reason: 'server' }),
    ]) {
      const odd = clientCredentials({ [TOKEN_ERROR_FIELD]: text(bad) });
      expect(storedTokenError(odd), bad).toBeUndefined();
      expect(connectionStatus(odd, T0).kind, bad).toBe('no-token');
    }
    // withToken (the next good token) clears it, and the refresh lease with it.
    const next = withToken(
      clientCredentials({
        [TOKEN_ERROR_FIELD]: text(JSON.stringify(error)),
        [REFRESH_LEASE_FIELD]: text('{"device":"d","nonce":"n","base":"b"}'),
      }),
      { accessToken: 'at-next-token', obtainedAt: T0, expiresAt: T0 + HOUR },
    );
    expect(next.fields[TOKEN_ERROR_FIELD]).toBeUndefined();
    expect(next.fields[REFRESH_LEASE_FIELD]).toBeUndefined();
    expect(connectionStatus(next, T0).kind).toBe('valid');
  });

  it('a hidden access token (what visibleEntry gives) counts as present', () => {
    const stored = withTokenAt(T0, HOUR);
    const visible: ConnectionValue = {
      type: stored.type,
      fields: {
        ...stored.fields,
        [TOKEN_STATE_FIELDS.accessToken]: {
          value: null,
          secret: true,
          writeOnly: true,
          hidden: true,
        },
      },
    };
    expect(connectionStatus(visible, T0 + 1)).toEqual({
      kind: 'valid',
      expiresAt: T0 + HOUR,
      obtainedAt: T0,
      refreshDue: false,
    });
    expect(connectionStatus(visible, T0 + HOUR)).toMatchObject({ kind: 'expired' });
    // Without `hidden`, a null token is no token.
    const cleared: ConnectionValue = {
      type: stored.type,
      fields: {
        ...stored.fields,
        [TOKEN_STATE_FIELDS.accessToken]: { value: null, secret: true, writeOnly: true },
      },
    };
    expect(connectionStatus(cleared, T0 + 1)).toEqual({ kind: 'no-token' });
  });

  it('a hidden required credential (as visibleEntry gives it) is filled in, not missing', () => {
    const visible: ConnectionValue = {
      type: 'oauth2-client-credentials',
      fields: {
        token_url: text('https://auth.example.com/oauth/token'),
        client_id: text('coffer-app'),
        client_secret: { value: null, secret: true, writeOnly: true, hidden: true },
      },
    };
    expect(connectionStatus(visible, T0)).toEqual({ kind: 'no-token' });
    // Not hidden: truly empty.
    const empty: ConnectionValue = {
      type: visible.type,
      fields: { ...visible.fields, client_secret: { value: null, secret: true, writeOnly: true } },
    };
    expect(connectionStatus(empty, T0)).toEqual({ kind: 'incomplete', missing: ['client_secret'] });
  });
});

describe('withStaleTokenDropped', () => {
  const secret = { value: 'new-secret', secret: true, writeOnly: true };
  const dropped = {
    access_token: null,
    access_token_expires_at: null,
    access_token_obtained_at: null,
    token_error: null,
  };

  it('drops the token state when an OAuth2 credential changes', () => {
    expect(withStaleTokenDropped('oauth2-client-credentials', { client_secret: secret })).toEqual({
      client_secret: secret,
      ...dropped,
    });
    expect(
      withStaleTokenDropped('oauth2-refresh-token', {
        refresh_token: { value: 'rt', secret: true },
      }),
    ).toEqual({ refresh_token: { value: 'rt', secret: true }, ...dropped });
  });

  it('keeps it for a field outside the catalogue, and for types without a token endpoint', () => {
    const note = { value: 'n', secret: false };
    expect(withStaleTokenDropped('oauth2-client-credentials', { note })).toEqual({ note });
    expect(withStaleTokenDropped('bearer-token', { token: secret })).toEqual({ token: secret });
    expect(withStaleTokenDropped('oauth2-client-credentials', {})).toEqual({});
  });

  it('never passes on upkeep fields: only Coffer writes those', () => {
    const forged = { access_token: { value: 'forged', secret: true }, refresh_lease: null };
    expect(withStaleTokenDropped('oauth2-client-credentials', forged)).toEqual({});
  });
});
