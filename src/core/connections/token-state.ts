import type { ConnectionField, ConnectionValue } from '../vault';

/**
 * OAuth2 token state, kept in the connection's own fields so it is sealed like every value and
 * syncs with the vault:
 * - `access_token` (secret): the current access token;
 * - `access_token_expires_at`: when it expires, ISO 8601 (UTC), or `null` when the token
 *   endpoint did not say (`expires_in` absent);
 * - `access_token_obtained_at`: when it was obtained, ISO 8601 (UTC);
 * - `refresh_token` (secret): replaced when the endpoint rotates it.
 * `withToken` gives the whole updated ConnectionValue: the caller writes it with ONE `vault.set`.
 */
export const TOKEN_STATE_FIELDS = {
  accessToken: 'access_token',
  expiresAt: 'access_token_expires_at',
  obtainedAt: 'access_token_obtained_at',
  refreshToken: 'refresh_token',
} as const;

/** The last failed token request (status.ts reads it); cleared by the next token. */
export const TOKEN_ERROR_FIELD = 'token_error';
/** A device's claim to the next refresh (lease.ts); cleared by the token it leads to. */
export const REFRESH_LEASE_FIELD = 'refresh_lease';

/**
 * What a token request gave. Times are ms since the epoch, from the caller's clock.
 * @example
 * const token: TokenResult = { accessToken: 'at-1', expiresAt: 1_700_003_600_000, obtainedAt: 1_700_000_000_000 };
 */
export interface TokenResult {
  readonly accessToken: string;
  /** `null` when the endpoint did not say how long the token lives. */
  readonly expiresAt: number | null;
  readonly obtainedAt: number;
  /** A new refresh token, when the endpoint rotated it. */
  readonly refreshToken?: string;
}

/**
 * The access token a connection holds, as read back from its fields.
 * @example
 * const state = tokenState(connection.value); // undefined before the first token
 */
export interface TokenState {
  readonly accessToken: string;
  readonly expiresAt: number | null;
  readonly obtainedAt: number | null;
}

function readTime(value: ConnectionValue, name: string): number | null {
  const text = value.fields[name]?.value;
  if (typeof text !== 'string' || text === '') return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The connection's current access token and its times, or undefined when it has none. A time
 * that does not parse reads as `null` (unknown).
 * @example
 * if (refreshDue(tokenState(value), clock())) await refresh();
 */
export function tokenState(value: ConnectionValue): TokenState | undefined {
  const accessToken = value.fields[TOKEN_STATE_FIELDS.accessToken]?.value;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  return {
    accessToken,
    expiresAt: readTime(value, TOKEN_STATE_FIELDS.expiresAt),
    obtainedAt: readTime(value, TOKEN_STATE_FIELDS.obtainedAt),
  };
}

/**
 * The connection's value with the new token state in its fields (the value given is not
 * changed): the access token and its times, and the rotated refresh token when there is one.
 * The last token error and the refresh lease are removed; every other field is kept as it is.
 * @example
 * await vault.set(name, { kind: 'connection', value: withToken(value, token) });
 */
export function withToken(value: ConnectionValue, token: TokenResult): ConnectionValue {
  const fields: Record<string, ConnectionField> = Object.fromEntries(
    Object.entries(value.fields).filter(
      ([name]) => name !== TOKEN_ERROR_FIELD && name !== REFRESH_LEASE_FIELD,
    ),
  );
  // Write-only: no screen ever needs to show an access token (runs mask it).
  fields[TOKEN_STATE_FIELDS.accessToken] = {
    value: token.accessToken,
    secret: true,
    writeOnly: true,
  };
  fields[TOKEN_STATE_FIELDS.expiresAt] = {
    value: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
    secret: false,
  };
  fields[TOKEN_STATE_FIELDS.obtainedAt] = {
    value: new Date(token.obtainedAt).toISOString(),
    secret: false,
  };
  if (token.refreshToken !== undefined) {
    // A rotated refresh token keeps the form's write-only choice for the one it replaces.
    const before = value.fields[TOKEN_STATE_FIELDS.refreshToken];
    fields[TOKEN_STATE_FIELDS.refreshToken] =
      before !== undefined && before.writeOnly !== true
        ? { value: token.refreshToken, secret: true }
        : { value: token.refreshToken, secret: true, writeOnly: true };
  }
  return { type: value.type, fields };
}

/** The least time before expiry at which a token is refreshed. */
export const REFRESH_MARGIN_FLOOR_MS = 60_000;

/**
 * True when the access token should be refreshed before use: there is none, or
 * `now >= expiresAt - max(60 s, 10 % of its lifetime)` (lifetime = expiresAt - obtainedAt).
 * A token whose expiry is unknown is used until the API answers 401 (`needsRetryAfter401`).
 * @example
 * refreshDue({ accessToken: 'a', expiresAt: 3_600_000, obtainedAt: 0 }, 3_240_000); // true (10 % = 360 s)
 */
export function refreshDue(state: TokenState | undefined, now: number): boolean {
  if (state === undefined) return true;
  if (state.expiresAt === null) return false;
  const lifetime = state.obtainedAt === null ? 0 : Math.max(0, state.expiresAt - state.obtainedAt);
  const margin = Math.max(REFRESH_MARGIN_FLOOR_MS, lifetime / 10);
  return now >= state.expiresAt - margin;
}
