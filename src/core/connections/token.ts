import * as oauth from 'oauth4webapi';
import { originAnswers } from '../net';
import type { Clock, Scheduler } from '../time';
import type { NamedConnection } from './apply';
import {
  fieldText,
  missingFields,
  TOKEN_AUTH_METHODS,
  type TokenAuthMethod,
} from './connection-types';
import {
  type ConnectionFieldProblem,
  ConnectionIncompleteError,
  TokenRequestFailedError,
} from './errors';
import type { TokenResult } from './token-state';

/**
 * Gets OAuth2 access tokens with oauth4webapi: no OAuth2 parsing here, only the mapping of its
 * outcomes to plain words (TokenRequestFailedError).
 */
export interface TokenDeps {
  /** The page's fetch (tests pass Node's). */
  readonly fetch: typeof fetch;
  /** The clock that stamps `obtainedAt` and `expiresAt`. */
  readonly now: Clock;
  /**
   * Times the exchange (`TOKEN_REQUEST_TIMEOUT_MS`, then `unreachable`) and the CORS probe
   * (5 s); without one, both wait as long as fetch does.
   */
  readonly scheduler?: Scheduler;
  /** Cancels the token request; `fetchToken` then rejects with the signal's AbortError. */
  readonly signal?: AbortSignal;
}

/** How long a token request may take, request and answer, when a scheduler is given. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** The hosts oauth4webapi may call over plain http (`allowInsecureRequests`): this machine. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1';
}

interface Endpoint {
  readonly url: URL;
  readonly insecure: boolean;
}

function checkTokenUrl(connection: NamedConnection): Endpoint {
  const { name, value } = connection;
  const problems: ConnectionFieldProblem[] = [];
  const missing = missingFields(value);
  let url: URL | undefined;
  const text = fieldText(value, 'token_url');
  if (text !== undefined) {
    try {
      url = new URL(text.trim());
    } catch {
      problems.push({ field: 'token_url', problem: 'not-a-url' });
    }
  }
  if (
    url &&
    !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname)))
  ) {
    problems.push({ field: 'token_url', problem: 'not-https' });
  }
  const method = fieldText(value, 'auth_method')?.trim();
  if (method !== undefined && !(TOKEN_AUTH_METHODS as readonly string[]).includes(method)) {
    problems.push({ field: 'auth_method', problem: 'unknown-choice' });
  }
  if (missing.length > 0 || problems.length > 0 || !url) {
    throw new ConnectionIncompleteError(name, value.type, missing, problems);
  }
  return { url, insecure: url.protocol === 'http:' };
}

function clientAuth(secret: string | undefined, method: TokenAuthMethod): oauth.ClientAuth {
  if (secret === undefined) return oauth.None();
  return method === 'client_secret_post'
    ? oauth.ClientSecretPost(secret)
    : oauth.ClientSecretBasic(secret);
}

/**
 * What oauth4webapi said, without what it carries: its errors keep the response and its parsed
 * body in `cause` (a token response with an unsupported `token_type` still holds the access
 * token), and a cause travels wherever the error is logged.
 */
function plainCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error('the token request failed');
  const code = (error as { code?: unknown }).code;
  return new Error(
    `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`,
  );
}

/** oauth4webapi's outcome, in Coffer's words. */
function mapFailure(name: string, origin: string, error: unknown): TokenRequestFailedError {
  if (error instanceof TokenRequestFailedError) return error;
  const fail = (
    reason: ConstructorParameters<typeof TokenRequestFailedError>[1],
    status?: number,
    oauthError?: string,
  ) =>
    new TokenRequestFailedError(name, reason, origin, status, oauthError, {
      cause: plainCause(error),
    });
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
      return fail('invalid_client', error.status, error.error);
    }
    if (error.error === 'invalid_grant') return fail('invalid_grant', error.status, error.error);
    // RFC 6749 §5.2 errors come with 400; an error body with another status (a 404 of a wrong
    // URL, say) is not the token endpoint speaking.
    return error.status === 400
      ? fail('rejected', error.status, error.error)
      : fail('invalid_response', error.status);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // RFC 6749 §5.2: a 401 at the token endpoint means the client's authentication failed.
    return fail(error.status === 401 ? 'invalid_client' : 'invalid_response', error.status);
  }
  if (error instanceof oauth.OperationProcessingError && error.cause instanceof Response) {
    const status = error.cause.status;
    return fail(status >= 500 ? 'server' : 'invalid_response', status || undefined);
  }
  return fail('invalid_response');
}

/**
 * Gets an access token for an `oauth2-client-credentials` connection (`scope` and `audience`
 * sent when set; the client authenticates per `auth_method`, Basic by default) or an
 * `oauth2-refresh-token` one (its `refresh_token`; the client secret is optional: without it
 * the client is public and sends only its id). The token endpoint is the `token_url` itself
 * (no discovery); plain http only to localhost or 127.0.0.1.
 * Rejects with ConnectionIncompleteError (empty or unusable fields, another type) or
 * TokenRequestFailedError, never with a secret in its message.
 * @example
 * const token = await fetchToken({ name: 'crm', value }, { fetch, now: Date.now });
 * await vault.set('crm', { kind: 'connection', value: withToken(value, token) });
 */
export async function fetchToken(
  connection: NamedConnection,
  deps: TokenDeps,
): Promise<TokenResult> {
  const { name, value } = connection;
  if (value.type !== 'oauth2-client-credentials' && value.type !== 'oauth2-refresh-token') {
    throw new ConnectionIncompleteError(
      name,
      value.type,
      [],
      [{ field: 'type', problem: 'unknown-type' }],
    );
  }
  const { url, insecure } = checkTokenUrl(connection);
  const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
  const client: oauth.Client = { client_id: fieldText(value, 'client_id')!.trim() };
  const method = (fieldText(value, 'auth_method')?.trim() ??
    TOKEN_AUTH_METHODS[0]) as TokenAuthMethod;
  const auth = clientAuth(fieldText(value, 'client_secret'), method);

  // One controller for the whole exchange (request and answer): the caller's signal and the
  // time limit both abort it.
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  if (deps.signal?.aborted) controller.abort();
  const cancelTimer = deps.scheduler?.after(TOKEN_REQUEST_TIMEOUT_MS, () => {
    timedOut = true;
    controller.abort();
  });
  const timeout = () =>
    new TokenRequestFailedError(name, 'unreachable', url.origin, undefined, undefined, {
      cause: new Error(`no answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`),
    });

  const guardedFetch = async (input: string, init: RequestInit): Promise<Response> => {
    try {
      // As integrations send: no cookies, no cache, no referrer (oauth4webapi sets
      // `redirect: 'manual'`, so a redirect is an answer, never followed).
      return await deps.fetch(input, {
        ...init,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch (error) {
      if (controller.signal.aborted) throw error;
      const reason = (await originAnswers(deps.fetch, url.origin, deps.scheduler))
        ? 'cors'
        : 'unreachable';
      throw new TokenRequestFailedError(name, reason, url.origin, undefined, undefined, {
        cause: error,
      });
    }
  };
  const options = {
    [oauth.customFetch]: guardedFetch as typeof fetch,
    ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    signal: controller.signal,
  };

  const started = deps.now();
  let result: oauth.TokenEndpointResponse;
  try {
    if (value.type === 'oauth2-client-credentials') {
      const parameters = new URLSearchParams();
      const scope = fieldText(value, 'scope')?.trim();
      const audience = fieldText(value, 'audience')?.trim();
      if (scope !== undefined) parameters.set('scope', scope);
      if (audience !== undefined) parameters.set('audience', audience);
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        parameters,
        options,
      );
      result = await oauth.processClientCredentialsResponse(as, client, response);
    } else {
      const refreshToken = fieldText(value, 'refresh_token')!;
      const response = await oauth.refreshTokenGrantRequest(
        as,
        client,
        auth,
        refreshToken,
        options,
      );
      result = await oauth.processRefreshTokenResponse(as, client, response);
    }
  } catch (error) {
    if (timedOut) throw timeout();
    if (controller.signal.aborted) throw error;
    throw mapFailure(name, url.origin, error);
  } finally {
    cancelTimer?.();
    deps.signal?.removeEventListener('abort', onAbort);
  }
  return {
    accessToken: result.access_token,
    expiresAt: result.expires_in === undefined ? null : started + result.expires_in * 1000,
    obtainedAt: started,
    // A client credentials grant gets a new token with its credentials each time: a refresh
    // token some providers add anyway would only be a secret kept for nothing.
    ...(result.refresh_token !== undefined && value.type === 'oauth2-refresh-token'
      ? { refreshToken: result.refresh_token }
      : {}),
  };
}
