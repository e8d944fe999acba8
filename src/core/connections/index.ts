/**
 * Connections: typed credentials for outside services (bearer token, basic auth, API key in a
 * header or the query, OAuth2 client credentials, OAuth2 refresh token), what they add to a
 * request, and the upkeep of OAuth2 access tokens. No UI, no integration wiring here.
 *
 * Contract:
 * - `CONNECTION_TYPES` is the catalogue (type ids, labels, fields with name, label, secret,
 *   required, the write-only default, choices). Type ids and field names are stored in vaults:
 *   never renamed, only added. `missingFields(value)` lists the required fields that are empty
 *   (absent, `null` or blank); an unknown type has none.
 * - `applyConnection(request, { name, value }, token?)` returns a new request (the one given is
 *   not changed) with the connection's credentials, and `secrets`: every secret text it added,
 *   derived forms included (Basic's `user:pass` and its base64), for the caller's masker.
 *   Values with CR, LF or NUL are refused, never sent; so are empty required fields, a header
 *   name that is not a token, a Basic user name with ":", and unknown types: all as
 *   ConnectionIncompleteError (code `connection-incomplete`), which names the connection, its
 *   type and the fields, never a value.
 * - `fetchToken(connection, { fetch, now })` gets an OAuth2 access token with oauth4webapi
 *   (client credentials, or refresh token with rotation), from the `token_url` itself (no
 *   discovery), over https (plain http only to localhost and 127.0.0.1). Failures are
 *   TokenRequestFailedError (code `token-request-failed`) with a `reason` in plain words:
 *   invalid_client, invalid_grant, rejected, cors, unreachable, server, invalid_response. CORS
 *   is told from unreachable by a `no-cors` probe of the origin, as integrations do.
 * - Token state lives in the connection's fields (`TOKEN_STATE_FIELDS`: `access_token`,
 *   `access_token_expires_at`, `access_token_obtained_at`, the rotated `refresh_token`), so it
 *   is sealed and synced like every value. `withToken(value, token)` gives the whole new value,
 *   for ONE `vault.set`; `tokenState(value)` reads it back.
 * - `refreshDue(state, now)`: no token, or `now >= expiresAt - max(60 s, 10 % of lifetime)`.
 *   `needsRetryAfter401(response)`: a 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
 * - `withConnectionLock(locks, connectionId, fn)` runs `fn` under the connection's exclusive Web
 *   Lock (`navigator.locks`, or `createMemoryLockManager()` in Node); `ensureAccessToken` uses
 *   it to re-read, refresh only when due, and write, so two tabs never spend one refresh token
 *   twice. Devices are coordinated through `coordinate`: `claimRefresh` (lease.ts) writes a
 *   refresh lease into the connection and lets one device refresh while the others wait.
 * - `connectionStatus(value, now)` says what a connection's details show (incomplete, ready,
 *   no token yet, valid until, expired, the last token error); `UPKEEP_FIELDS` are the fields
 *   Coffer writes for its upkeep (token state, `token_error`, `refresh_lease`), hidden in forms.
 * - Async functions reject, never throw synchronously; `applyConnection`, `missingFields`,
 *   `refreshDue` and the rest are synchronous and pure.
 */
export {
  type AppliedConnection,
  type AuthRequest,
  applyConnection,
  type NamedConnection,
} from './apply';
export {
  type AuthChallenge,
  needsRetryAfter401,
  parseChallenges,
  type ResponseLike,
} from './challenge';
export {
  CONNECTION_TYPES,
  type ConnectionFieldSpec,
  type ConnectionTypeSpec,
  connectionTypeSpec,
  DEFAULT_CONNECTION_TYPE,
  missingFields,
  missingOfEmpty,
  TOKEN_AUTH_METHODS,
  type TokenAuthMethod,
} from './connection-types';
export {
  type ConnectionFieldProblem,
  type ConnectionFieldProblemKind,
  ConnectionIncompleteError,
  type TokenFailureReason,
  TokenRequestFailedError,
} from './errors';
export {
  claimRefresh,
  type LeaseDeps,
  type LeaseOutcome,
  leaseBase,
  type RefreshLease,
  readLease,
} from './lease';
export {
  connectionLockName,
  type EnsureTokenOptions,
  ensureAccessToken,
  type TokenUpkeepDeps,
  withConnectionLock,
} from './lock';
export {
  type ConnectionStatus,
  connectionStatus,
  isUpkeepField,
  REFRESH_LEASE_FIELD,
  type StoredTokenError,
  storedTokenError,
  TOKEN_ERROR_FIELD,
  UPKEEP_FIELDS,
  usesTokenEndpoint,
  withStaleTokenDropped,
} from './status';
export { fetchToken, TOKEN_REQUEST_TIMEOUT_MS, type TokenDeps } from './token';
export {
  REFRESH_MARGIN_FLOOR_MS,
  refreshDue,
  TOKEN_STATE_FIELDS,
  type TokenResult,
  type TokenState,
  tokenState,
  withToken,
} from './token-state';
