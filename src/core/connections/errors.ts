import { CofferError } from '../errors';
import { connectionTypeSpec } from './connection-types';

/**
 * Why a field's value cannot be used as it is (the value itself is never carried).
 * - `line-break`: a CR, LF or NUL in a value that goes into a header;
 * - `not-a-header-name`: the API key header's name is not an HTTP token (RFC 9110 §5.1);
 * - `colon-in-username`: Basic auth cannot carry a user id with ":" (RFC 7617 §2);
 * - `not-a-url` / `not-https`: the token URL is no address, or not https (plain http only to
 *   localhost or 127.0.0.1);
 * - `unknown-choice`: not one of the field's choices (`auth_method`);
 * - `unknown-type`: Coffer does not know how to use this connection type (field `type`).
 */
export type ConnectionFieldProblemKind =
  | 'line-break'
  | 'not-a-header-name'
  | 'colon-in-username'
  | 'not-a-url'
  | 'not-https'
  | 'unknown-choice'
  | 'unknown-type';

/**
 * One field that cannot be used, and why.
 * @example
 * const problem: ConnectionFieldProblem = { field: 'key', problem: 'line-break' };
 */
export interface ConnectionFieldProblem {
  readonly field: string;
  readonly problem: ConnectionFieldProblemKind;
}

const problemWords: Record<ConnectionFieldProblemKind, string> = {
  'line-break': 'contains a line break, which cannot go into a request header',
  'not-a-header-name': "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)",
  'colon-in-username': 'contains ":", which Basic auth cannot carry in a user name',
  'not-a-url': 'is not a complete address (it needs https:// and a host)',
  'not-https': 'is not an https address (plain http only to localhost or 127.0.0.1)',
  'unknown-choice': 'is not one of the accepted values',
  'unknown-type': 'is a connection type Coffer does not know how to use',
};

/**
 * A connection cannot be used yet: required fields are empty (`missing`), or fields hold values
 * that cannot be used (`problems`). Carries the connection's name and type and field names,
 * never a value.
 * @example
 * if (error instanceof ConnectionIncompleteError) askFor(error.connection, error.missing);
 */
export class ConnectionIncompleteError extends CofferError {
  override readonly name = 'ConnectionIncompleteError';
  override readonly code = 'connection-incomplete' as const;
  constructor(
    readonly connection: string,
    readonly type: string,
    readonly missing: readonly string[],
    readonly problems: readonly ConnectionFieldProblem[] = [],
  ) {
    // Words people read: the form's labels and the type's name, not the stored field names.
    const spec = connectionTypeSpec(type);
    const label = (field: string) => spec?.fields.find((f) => f.name === field)?.label ?? field;
    const parts = [
      ...(missing.length > 0 ? [`it needs ${missing.map(label).join(', ')}`] : []),
      ...problems.map((p) => `${label(p.field)} ${problemWords[p.problem]}`),
    ];
    super(
      `the connection "${connection}" (${spec?.label ?? type}) cannot be used yet: ${parts.join('; ')}`,
    );
  }
}

/**
 * Why a token request failed:
 * - `invalid_client`: the token endpoint refused the client (wrong id or secret, or a client
 *   not allowed this grant: OAuth2 `invalid_client`, `unauthorized_client`, or a 401);
 * - `invalid_grant`: the refresh token is expired, revoked, or was already used;
 * - `rejected`: another OAuth2 error, with status 400 (`invalid_scope`, `invalid_request`, ...;
 *   see `oauthError`);
 * - `cors`: the endpoint is up but does not let this page read its answer;
 * - `unreachable`: no server answered (or not in time);
 * - `server`: a 5xx answer;
 * - `invalid_response`: an answer that is not a token response (wrong status, not JSON, no
 *   `access_token`, an unsupported token type, a redirect).
 */
export type TokenFailureReason =
  | 'invalid_client'
  | 'invalid_grant'
  | 'rejected'
  | 'cors'
  | 'unreachable'
  | 'server'
  | 'invalid_response';

function tokenWords(reason: TokenFailureReason, origin: string, oauthError?: string): string {
  switch (reason) {
    case 'invalid_client':
      return 'the client id or secret is wrong, or this client may not use this grant: check them with the provider';
    case 'invalid_grant':
      return 'the refresh token is expired or was revoked (a reused rotated token revokes its family): sign in again to get a new one';
    case 'rejected':
      return `the token endpoint refused the request (${oauthError ?? 'an OAuth2 error'}): check the scope, audience and the other settings of the connection`;
    case 'cors':
      return `${origin} answered, but does not let this page read its answer (CORS). The provider's admin would have to allow this page's origin for the token endpoint: on Microsoft Entra, register the app as a single-page application (SPA) with this page's address; some providers (GitHub among them) never allow token requests from a browser: use a personal access token as a bearer-token connection instead`;
    case 'unreachable':
      return `${origin} could not be reached: no server answered (is the token URL right, and is it online?)`;
    case 'server':
      return `the token endpoint at ${origin} failed on its side (a 5xx answer): try again later`;
    case 'invalid_response':
      return `the token endpoint at ${origin} did not answer with a usable OAuth2 token response: check the token URL`;
  }
}

/**
 * A token request failed; `reason` says why, in words fit for people. Carries the connection's
 * name, the token endpoint's origin, the HTTP status when there was an answer, and the OAuth2
 * error code when the endpoint gave one; never a secret, and not the server's description.
 * @example
 * if (error instanceof TokenRequestFailedError && error.reason === 'invalid_grant') askToSignIn();
 */
export class TokenRequestFailedError extends CofferError {
  override readonly name = 'TokenRequestFailedError';
  override readonly code = 'token-request-failed' as const;
  constructor(
    readonly connection: string,
    readonly reason: TokenFailureReason,
    readonly origin: string,
    readonly status?: number,
    readonly oauthError?: string,
    options?: ErrorOptions,
  ) {
    super(
      `getting a token for "${connection}" failed: ${tokenWords(reason, origin, oauthError)}`,
      options,
    );
  }
}
