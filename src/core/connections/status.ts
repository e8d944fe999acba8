import type { ConnectionField, ConnectionValue } from '../vault';
import { connectionTypeSpec, missingFields } from './connection-types';
import type { TokenFailureReason } from './errors';
import {
  REFRESH_LEASE_FIELD,
  refreshDue,
  TOKEN_ERROR_FIELD,
  TOKEN_STATE_FIELDS,
  tokenState,
} from './token-state';

export { REFRESH_LEASE_FIELD, TOKEN_ERROR_FIELD };

/**
 * Fields Coffer writes into a connection for its own upkeep, never typed by the user: the token
 * state, the last token error and the cross-device refresh lease. Forms and details hide them
 * (the details show `connectionStatus` instead); changing a credential drops the token state.
 */
export const UPKEEP_FIELDS: readonly string[] = [
  TOKEN_STATE_FIELDS.accessToken,
  TOKEN_STATE_FIELDS.expiresAt,
  TOKEN_STATE_FIELDS.obtainedAt,
  TOKEN_ERROR_FIELD,
  REFRESH_LEASE_FIELD,
];

/** True for a field the user never edits (see UPKEEP_FIELDS). */
export function isUpkeepField(name: string): boolean {
  return UPKEEP_FIELDS.includes(name);
}

/** True when the type gets its access token from a token endpoint (OAuth2). */
export function usesTokenEndpoint(type: string): boolean {
  return connectionTypeSpec(type)?.fields.some((f) => f.name === 'token_url') === true;
}

/**
 * The last failed token request, as stored in `token_error` (JSON text, not secret): the reason,
 * when (ISO 8601), and the error's message (names and origins, never a value).
 */
export interface StoredTokenError {
  readonly reason: TokenFailureReason;
  readonly at: string;
  readonly message: string;
}

const reasons: readonly TokenFailureReason[] = [
  'invalid_client',
  'invalid_grant',
  'rejected',
  'cors',
  'unreachable',
  'server',
  'invalid_response',
];

/** The stored token error, or undefined when there is none or it does not parse. */
export function storedTokenError(value: ConnectionValue): StoredTokenError | undefined {
  const text = value.fields[TOKEN_ERROR_FIELD]?.value;
  if (typeof text !== 'string') return undefined;
  try {
    const raw = JSON.parse(text) as Partial<StoredTokenError>;
    if (
      reasons.includes(raw.reason as TokenFailureReason) &&
      typeof raw.at === 'string' &&
      typeof raw.message === 'string'
    ) {
      return { reason: raw.reason as TokenFailureReason, at: raw.at, message: raw.message };
    }
  } catch {
    // A token error written by a newer version, or by hand: shown as no error.
  }
  return undefined;
}

/**
 * What a connection's details say about it:
 * - `incomplete`: required fields are empty (`missing`, in form order);
 * - `ready`: a complete connection that needs no token endpoint;
 * - `no-token`: OAuth2, complete, no access token yet (one is fetched at first use);
 * - `valid`: OAuth2 with an access token (`expiresAt` null when the provider did not say);
 * - `expired`: its token expired (a new one is fetched at the next use);
 * - `failed`: the last token request failed (`error`), which the next use retries.
 * `incomplete` wins over the others, `failed` over the token's times.
 * @example
 * connectionStatus(value, Date.now()); // { kind: 'valid', expiresAt: 1_800_000_000_000, obtainedAt: …, refreshDue: false }
 */
export type ConnectionStatus =
  | { readonly kind: 'incomplete'; readonly missing: readonly string[] }
  | { readonly kind: 'ready' }
  | { readonly kind: 'no-token' }
  | {
      readonly kind: 'valid';
      readonly expiresAt: number | null;
      readonly obtainedAt: number | null;
      readonly refreshDue: boolean;
    }
  | { readonly kind: 'expired'; readonly expiresAt: number; readonly obtainedAt: number | null }
  | { readonly kind: 'failed'; readonly error: StoredTokenError };

export function connectionStatus(value: ConnectionValue, now: number): ConnectionStatus {
  const missing = missingFields(value);
  if (missing.length > 0) return { kind: 'incomplete', missing };
  if (!usesTokenEndpoint(value.type)) return { kind: 'ready' };
  const error = storedTokenError(value);
  if (error) return { kind: 'failed', error };
  // The access token is write-only: what `visibleEntry` gives has it as `hidden`, not its text.
  const token = value.fields[TOKEN_STATE_FIELDS.accessToken];
  const hasToken = token !== undefined && (token.hidden === true || !!token.value);
  if (!hasToken) return { kind: 'no-token' };
  const state = tokenState({
    type: value.type,
    fields: { ...value.fields, [TOKEN_STATE_FIELDS.accessToken]: { value: 'x', secret: true } },
  });
  const expiresAt = state?.expiresAt ?? null;
  const obtainedAt = state?.obtainedAt ?? null;
  if (expiresAt !== null && now >= expiresAt) return { kind: 'expired', expiresAt, obtainedAt };
  return {
    kind: 'valid',
    expiresAt,
    obtainedAt,
    refreshDue: refreshDue(state, now),
  };
}

/**
 * A patch of a connection's fields (`update`'s `fields`), plus the removal of its token state
 * (access token, its times, the last token error) when the patch changes one of the type's
 * credentials (any field of its catalogue entry) and the type gets tokens from an endpoint:
 * the stored token was got with the old credentials, and the next run must ask again.
 * Upkeep fields in `patch` are left out: only Coffer writes them.
 * @example
 * withStaleTokenDropped('oauth2-client-credentials', { client_secret: { value: 'new', secret: true } });
 * // { client_secret: {...}, access_token: null, access_token_expires_at: null, access_token_obtained_at: null, token_error: null }
 */
export function withStaleTokenDropped(
  type: string,
  patch: Readonly<Record<string, ConnectionField | null>>,
): Record<string, ConnectionField | null> {
  const kept = Object.fromEntries(Object.entries(patch).filter(([name]) => !isUpkeepField(name)));
  const credentials = connectionTypeSpec(type)?.fields.map((f) => f.name) ?? [];
  if (!usesTokenEndpoint(type) || !Object.keys(kept).some((name) => credentials.includes(name))) {
    return kept;
  }
  return {
    ...kept,
    [TOKEN_STATE_FIELDS.accessToken]: null,
    [TOKEN_STATE_FIELDS.expiresAt]: null,
    [TOKEN_STATE_FIELDS.obtainedAt]: null,
    [TOKEN_ERROR_FIELD]: null,
  };
}
