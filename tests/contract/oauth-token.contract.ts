/**
 * The OAuth 2.0 token endpoint's contract: what Coffer, as a client, relies on. Written once and
 * run against the loopback double (tests/unit/oauth-server/contract.test.ts) and, when a user
 * supplies one, a real provider's token endpoint (the same file, through COFFER_OAUTH_* variables).
 *
 * Scenarios are plain async functions with no test-runner import. Each throws
 * `ContractAssertionError` on failure, or returns `{ skipped: reason }` when the target cannot
 * show the behaviour (no refresh token to start from; a server that does not rotate).
 *
 * Requests go through oauth4webapi, the client library Coffer uses, so its encoding (RFC 6749
 * §2.3.1, Appendix B) and its response checks are part of what is tested; the raw `Response` is
 * inspected as well, for the status and headers the library does not surface.
 *
 * Against a real provider: the refresh scenarios use up refresh tokens and the reuse scenario
 * revokes a grant on purpose. Use a test application; with Auth0, set its reuse interval to 0.
 */
import * as oauth from 'oauth4webapi';

export type OAuthTokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface OAuthTokenTarget {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authMethod: OAuthTokenAuthMethod;
  readonly scope?: string;
  /** Auth0's `audience` parameter, sent with client credentials requests. */
  readonly audience?: string;
  /**
   * Where the refresh scenarios start when client credentials responses carry no refresh token
   * (RFC 6749 §4.4.3 says they SHOULD NOT): a function giving a fresh one each call, or one
   * token, which the scenarios then follow along its rotations.
   */
  readonly refreshToken?: string | (() => Promise<string>);
  /** true: refreshes must rotate; false: they must not; absent: either. */
  readonly rotates?: boolean;
  /** Allow a plain-http token endpoint: the loopback double only. */
  readonly allowInsecureRequests?: boolean;
}

export interface OAuthTokenScenario {
  readonly name: string;
  run(target: OAuthTokenTarget): Promise<undefined | { skipped: string }>;
}

export class ContractAssertionError extends Error {
  override readonly name = 'ContractAssertionError';
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractAssertionError(message);
}

function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new ContractAssertionError(
      `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

function server(target: OAuthTokenTarget): oauth.AuthorizationServer {
  return { issuer: new URL(target.tokenUrl).origin, token_endpoint: target.tokenUrl };
}

function clientAuth(target: OAuthTokenTarget, secret = target.clientSecret): oauth.ClientAuth {
  return target.authMethod === 'client_secret_basic'
    ? oauth.ClientSecretBasic(secret)
    : oauth.ClientSecretPost(secret);
}

function requestOptions(target: OAuthTokenTarget) {
  return target.allowInsecureRequests === true ? { [oauth.allowInsecureRequests]: true } : {};
}

function clientCredentialsParameters(target: OAuthTokenTarget): Record<string, string> {
  return {
    ...(target.scope !== undefined ? { scope: target.scope } : {}),
    ...(target.audience !== undefined ? { audience: target.audience } : {}),
  };
}

async function clientCredentials(target: OAuthTokenTarget, secret?: string): Promise<Response> {
  return oauth.clientCredentialsGrantRequest(
    server(target),
    { client_id: target.clientId },
    clientAuth(target, secret),
    clientCredentialsParameters(target),
    requestOptions(target),
  );
}

async function refresh(target: OAuthTokenTarget, refreshToken: string): Promise<Response> {
  return oauth.refreshTokenGrantRequest(
    server(target),
    { client_id: target.clientId },
    clientAuth(target),
    refreshToken,
    requestOptions(target),
  );
}

async function bodyOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.clone().text();
  try {
    const value: unknown = JSON.parse(text);
    assert(typeof value === 'object' && value !== null, `body is not a JSON object: ${text}`);
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ContractAssertionError) throw error;
    throw new ContractAssertionError(`body is not JSON (status ${response.status}): ${text}`);
  }
}

/**
 * RFC 6749 §5.1: 200, an application/json body with access_token and token_type, expires_in a
 * number when present, and `Cache-Control: no-store` (a browser must not cache tokens).
 * Then oauth4webapi's own checks of the same response.
 */
async function expectTokenResponse(
  target: OAuthTokenTarget,
  response: Response,
  what: string,
  grant: 'client_credentials' | 'refresh_token' = 'client_credentials',
): Promise<oauth.TokenEndpointResponse> {
  const body = await bodyOf(response);
  assertEqual(response.status, 200, `${what}: status (body ${JSON.stringify(body)})`);
  const contentType = response.headers.get('content-type') ?? '';
  assert(
    /^application\/json\b/i.test(contentType),
    `${what}: content-type is ${contentType}, not application/json (§5.1)`,
  );
  assert(
    /\bno-store\b/i.test(response.headers.get('cache-control') ?? ''),
    `${what}: Cache-Control lacks no-store (§5.1)`,
  );
  assert(
    typeof body.access_token === 'string' && body.access_token !== '',
    `${what}: no access_token`,
  );
  // §7.1: the token type is case insensitive; Coffer only sends Bearer tokens (RFC 6750).
  assert(
    typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'bearer',
    `${what}: token_type is ${JSON.stringify(body.token_type)}, not Bearer`,
  );
  if (body.expires_in !== undefined) {
    assert(
      typeof body.expires_in === 'number' && body.expires_in > 0,
      `${what}: expires_in is ${JSON.stringify(body.expires_in)}, not a positive number`,
    );
  }
  if (body.scope !== undefined) {
    assert(typeof body.scope === 'string', `${what}: scope is not a string`);
  }
  if (body.refresh_token !== undefined) {
    assert(typeof body.refresh_token === 'string', `${what}: refresh_token is not a string`);
  }
  const as = server(target);
  const client = { client_id: target.clientId };
  return grant === 'refresh_token'
    ? oauth.processRefreshTokenResponse(as, client, response)
    : oauth.processClientCredentialsResponse(as, client, response);
}

/** RFC 6749 §5.2: a JSON body whose `error` is `code`, and the status the section allows. */
async function expectErrorResponse(
  response: Response,
  code: string,
  statuses: readonly number[],
  what: string,
): Promise<Record<string, unknown>> {
  const body = await bodyOf(response);
  assert(
    statuses.includes(response.status),
    `${what}: status ${response.status}, expected ${statuses.join(' or ')} (body ${JSON.stringify(body)})`,
  );
  assertEqual(body.error, code, `${what}: error`);
  return body;
}

/** The refresh token the target's refresh scenarios continue from, when it was given one. */
const chains = new WeakMap<OAuthTokenTarget, string | null>();

/** A refresh token to start from, or why there is none. */
async function startingRefreshToken(
  target: OAuthTokenTarget,
): Promise<string | { skipped: string }> {
  const issued = await expectTokenResponse(
    target,
    await clientCredentials(target),
    'client credentials',
  );
  if (issued.refresh_token !== undefined) return issued.refresh_token;
  if (typeof target.refreshToken === 'function') return target.refreshToken();
  if (typeof target.refreshToken === 'string') {
    const chained = chains.get(target);
    if (chained === undefined) return target.refreshToken;
    if (chained !== null) return chained;
    return { skipped: 'the given refresh token was revoked by an earlier scenario' };
  }
  return {
    skipped:
      'no refresh token: client credentials responses carry none (RFC 6749 §4.4.3) and the target gives none',
  };
}

export const oauthTokenScenarios: readonly OAuthTokenScenario[] = [
  {
    name: 'client credentials grant: a Bearer token response (RFC 6749 §4.4.3, §5.1)',
    async run(target) {
      const tokens = await expectTokenResponse(
        target,
        await clientCredentials(target),
        'client credentials',
      );
      assertEqual(tokens.token_type, 'bearer', 'token_type (lowercased by oauth4webapi)');
      return undefined;
    },
  },
  {
    name: 'a wrong client secret gets invalid_client (RFC 6749 §5.2)',
    async run(target) {
      const response = await clientCredentials(target, `${target.clientSecret}-wrong`);
      if (target.authMethod === 'client_secret_basic') {
        // §5.2: a client that used the Authorization header gets 401 and a challenge for it.
        await expectErrorResponse(response, 'invalid_client', [401], 'wrong secret (Basic)');
        const challenge = response.headers.get('www-authenticate') ?? '';
        assert(/^\s*Basic\b/i.test(challenge), `WWW-Authenticate is "${challenge}", not Basic`);
        let thrown: unknown;
        try {
          await oauth.processClientCredentialsResponse(
            server(target),
            { client_id: target.clientId },
            response,
          );
        } catch (error) {
          thrown = error;
        }
        assert(
          thrown instanceof oauth.WWWAuthenticateChallengeError,
          `oauth4webapi did not see the challenge: ${String(thrown)}`,
        );
      } else {
        await expectErrorResponse(response, 'invalid_client', [400, 401], 'wrong secret (post)');
      }
      return undefined;
    },
  },
  {
    name: 'refresh token grant: a new access token (RFC 6749 §6, §5.1), rotated when expected',
    async run(target) {
      const start = await startingRefreshToken(target);
      if (typeof start !== 'string') return start;
      const response = await refresh(target, start);
      const tokens = await expectTokenResponse(target, response, 'refresh', 'refresh_token');
      const rotated = tokens.refresh_token !== undefined && tokens.refresh_token !== start;
      if (target.rotates === true) {
        assert(rotated, 'the server did not rotate the refresh token (RFC 9700 §4.14.2)');
      }
      if (target.rotates === false) assert(!rotated, 'the server rotated the refresh token');
      if (typeof target.refreshToken === 'string')
        chains.set(target, tokens.refresh_token ?? start);
      return undefined;
    },
  },
  {
    name: 'a reused refresh token gets invalid_grant and revokes its successor (RFC 9700 §4.14.2)',
    async run(target) {
      if (target.rotates === false) return { skipped: 'the target does not rotate refresh tokens' };
      const start = await startingRefreshToken(target);
      if (typeof start !== 'string') return start;
      const tokens = await expectTokenResponse(
        target,
        await refresh(target, start),
        'refresh',
        'refresh_token',
      );
      if (tokens.refresh_token === undefined || tokens.refresh_token === start) {
        if (typeof target.refreshToken === 'string') chains.set(target, start);
        return { skipped: 'the server did not rotate the refresh token, so there is no reuse' };
      }
      if (typeof target.refreshToken === 'string') chains.set(target, null);
      // RFC 6749 §5.2 invalid_grant: "expired, revoked, ... or was issued to another client".
      await expectErrorResponse(await refresh(target, start), 'invalid_grant', [400], 'reuse');
      // RFC 9700 §4.14.2: the server "cannot determine which party submitted the invalid refresh
      // token, but it will revoke the active refresh token".
      await expectErrorResponse(
        await refresh(target, tokens.refresh_token),
        'invalid_grant',
        [400],
        'the successor after reuse',
      );
      return undefined;
    },
  },
];
