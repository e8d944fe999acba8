import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test double of an OAuth 2.0 authorization server's token endpoint and of a protected
 * resource, as a real HTTP server on loopback (Node and browser tests). Written from the
 * published documents; every behaviour cites the section it follows:
 *
 *   RFC 6749  The OAuth 2.0 Authorization Framework      https://www.rfc-editor.org/rfc/rfc6749
 *   RFC 6750  Bearer Token Usage                          https://www.rfc-editor.org/rfc/rfc6750
 *   RFC 6819  OAuth 2.0 Threat Model                      https://www.rfc-editor.org/rfc/rfc6819
 *   RFC 9700  OAuth 2.0 Security Best Current Practice    https://www.rfc-editor.org/rfc/rfc9700
 *   Fetch     CORS protocol                               https://fetch.spec.whatwg.org/#http-cors-protocol
 *   Auth0     `audience` parameter and refresh token rotation's "reuse interval"
 *             https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation
 *
 * Paths:
 *   POST /oauth/token   the token endpoint (RFC 6749 §3.2): client_credentials, refresh_token
 *   GET|POST /api/...   a protected resource (RFC 6750 §2.1): 200 `{ ok, client_id, scope, path }`
 *   OPTIONS any         a CORS preflight (answered with CORS headers only when `corsAllowed`)
 *
 * Tokens are opaque random strings: access tokens start `at_`, refresh tokens `rt_`, so leak
 * checks can search for them. Every token descends from one grant, its family: a client
 * credentials request or `seedGrant` starts one, each refresh adds to it.
 *
 * Faults (`slowMs`, `failWith5xx`) apply to token and resource answers, never to preflights. A
 * `failWith5xx` answer is decided before anything else and changes no state. With `slowMs`, a
 * request is processed when it arrives and answered late, as a slow network returns it: a client
 * that gives up on a refresh has still used its refresh token (the hazard Auth0's reuse interval
 * exists for).
 */

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface OAuthClientConfig {
  readonly id: string;
  /** Absent: a public client (RFC 6749 §2.1), which may only refresh, with `client_id` alone. */
  readonly secret?: string;
  /** Which authentication methods the client may use; default both. */
  readonly authMethods?: readonly ClientAuthMethod[];
  /** Scopes the client may ask for (RFC 6749 §3.3); absent: any. */
  readonly scopes?: readonly string[];
  /** Granted when a request names no scope (RFC 6749 §3.3); default: none. */
  readonly defaultScope?: string;
  /**
   * Whether a client credentials response carries a refresh token. RFC 6749 §4.4.3 says it
   * SHOULD NOT; some providers do, and it gives the refresh tests a grant to start from.
   */
  readonly refreshTokens?: boolean;
}

export interface OAuthServerBehaviour {
  /** Access token lifetime, `expires_in` (RFC 6749 §5.1). */
  expiresInSeconds: number;
  /** Refresh token lifetime; `Infinity` (the default): they never expire. */
  refreshExpiresInSeconds: number;
  /** Refresh token rotation (RFC 9700 §4.14.2). Off: a refresh returns no new refresh token. */
  rotate: boolean;
  /** Auth0's reuse interval ("overlap period"): a used refresh token still works this long. */
  reuseIntervalSeconds: number;
  /** Whether to send CORS headers; false, like GitHub's token endpoint. */
  corsAllowed: boolean;
  /** Delay every token and resource answer by this long. */
  slowMs: number;
  /** Answer the next N token or resource requests 503. Counts down. */
  failWith5xx: number;
}

export interface OAuthServerOptions extends Partial<OAuthServerBehaviour> {
  /** Default: one confidential client, `defaultClient`. */
  readonly clients?: readonly OAuthClientConfig[];
  /** The clock, in milliseconds since the epoch; default `Date.now`. See `manualClock`. */
  readonly now?: () => number;
  /** The realm in `WWW-Authenticate` challenges; default "coffer-test". */
  readonly realm?: string;
}

export interface AccessTokenRecord {
  readonly kind: 'access';
  readonly token: string;
  readonly clientId: string;
  readonly scope: string;
  readonly audience: string | undefined;
  readonly familyId: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  readonly kind: 'refresh';
  readonly token: string;
  readonly clientId: string;
  readonly scope: string;
  readonly audience: string | undefined;
  readonly familyId: string;
  /** The refresh token this one replaced; undefined for the grant's first. */
  readonly parent: string | undefined;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** When a rotating refresh used it up; undefined while unused. */
  usedAt: number | undefined;
  revoked: boolean;
}

export type TokenRecord = AccessTokenRecord | RefreshTokenRecord;

export interface ReuseDetection {
  readonly token: string;
  readonly familyId: string;
  readonly clientId: string;
  readonly at: number;
}

export interface RecordedOAuthRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The clock's time when it arrived. */
  readonly at: number;
}

export interface SeededGrant {
  readonly familyId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export interface OAuthServer {
  readonly origin: string;
  /** `${origin}/oauth/token` */
  readonly tokenUrl: string;
  /** `${origin}/api`; any path under it is the protected resource. */
  readonly apiUrl: string;
  readonly clients: readonly OAuthClientConfig[];
  /** The current behaviour (a copy). */
  readonly behaviour: Readonly<OAuthServerBehaviour>;
  /** Change behaviour at run time; takes effect for the next request. */
  set(changes: Partial<OAuthServerBehaviour>): void;
  addClient(client: OAuthClientConfig): void;
  /** Every token issued, in order (access and refresh). */
  readonly tokens: readonly TokenRecord[];
  accessTokens(): AccessTokenRecord[];
  refreshTokens(): RefreshTokenRecord[];
  /** The record of a token, if this server issued it. */
  lookup(token: string): TokenRecord | undefined;
  /** Every token of one family, in order. */
  family(familyId: string): TokenRecord[];
  /** Refresh token reuse detections so far (RFC 9700 §4.14.2); a test asserts "never tripped". */
  readonly reuseDetections: readonly ReuseDetection[];
  /** Starts a grant as an authorization code exchange would, for public clients and tests. */
  seedGrant(clientId: string, options?: { scope?: string; audience?: string }): SeededGrant;
  /** Revokes one token. */
  revokeToken(token: string): void;
  /** Revokes every token of a family, as reuse detection does. */
  revokeFamily(familyId: string): void;
  /** Every request that arrived (preflights too), in order. */
  readonly requests: readonly RecordedOAuthRequest[];
  /** Everything every request carried (URL, headers, body), as one text: for leak checks. */
  allReceivedText(): string;
  close(): Promise<void>;
}

/** A clock that moves only when told: pass `now` to `startOAuthServer`, then `advance`. */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/**
 * The default client. Its secret has characters that RFC 6749 §2.3.1's form-urlencoding changes
 * (space, `+`, `:`, `/`, `%`, non-ASCII), so a client that skips the encoding fails against it.
 */
export const defaultClient: OAuthClientConfig = {
  id: 'coffer-client',
  secret: 's3cret +:/%é',
  scopes: ['read', 'write'],
  defaultScope: 'read',
  refreshTokens: true,
};

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
export function formUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * An `Authorization` header value for `client_secret_basic`: RFC 6749 §2.3.1, the client id and
 * secret each form-urlencoded (Appendix B), then joined by ":" and base64-encoded (RFC 7617).
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const credentials = `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`;
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

const maxBodyBytes = 64 * 1024;

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
  }
}

/** application/x-www-form-urlencoded decoding (the URL standard's): `+` is a space. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function newToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

function scopeList(scope: string): string[] {
  return scope.split(' ').filter((s) => s !== '');
}

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const now = options.now ?? Date.now;
  const realm = options.realm ?? 'coffer-test';
  const clients: OAuthClientConfig[] = [...(options.clients ?? [defaultClient])];
  const behaviour: OAuthServerBehaviour = {
    expiresInSeconds: options.expiresInSeconds ?? 60,
    refreshExpiresInSeconds: options.refreshExpiresInSeconds ?? Number.POSITIVE_INFINITY,
    rotate: options.rotate ?? true,
    reuseIntervalSeconds: options.reuseIntervalSeconds ?? 0,
    corsAllowed: options.corsAllowed ?? true,
    slowMs: options.slowMs ?? 0,
    failWith5xx: options.failWith5xx ?? 0,
  };
  const tokens: TokenRecord[] = [];
  const byValue = new Map<string, TokenRecord>();
  const reuseDetections: ReuseDetection[] = [];
  const requests: RecordedOAuthRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let families = 0;

  const remember = (record: TokenRecord) => {
    tokens.push(record);
    byValue.set(record.token, record);
  };
  const family = (familyId: string) => tokens.filter((t) => t.familyId === familyId);
  const revokeFamily = (familyId: string) => {
    for (const record of family(familyId)) record.revoked = true;
  };

  const issue = (
    client: OAuthClientConfig,
    scope: string,
    audience: string | undefined,
    familyId: string,
    refresh: { parent: string | undefined } | undefined,
  ) => {
    const issuedAt = now();
    const access: AccessTokenRecord = {
      kind: 'access',
      token: newToken('at_'),
      clientId: client.id,
      scope,
      audience,
      familyId,
      issuedAt,
      expiresAt: issuedAt + behaviour.expiresInSeconds * 1000,
      revoked: false,
    };
    remember(access);
    let refreshRecord: RefreshTokenRecord | undefined;
    if (refresh) {
      refreshRecord = {
        kind: 'refresh',
        token: newToken('rt_'),
        clientId: client.id,
        scope,
        audience,
        familyId,
        parent: refresh.parent,
        issuedAt,
        expiresAt: issuedAt + behaviour.refreshExpiresInSeconds * 1000,
        usedAt: undefined,
        revoked: false,
      };
      remember(refreshRecord);
    }
    // RFC 6749 §5.1: access_token, token_type, expires_in (RECOMMENDED), refresh_token
    // (OPTIONAL), scope (OPTIONAL if identical to the requested scope, else REQUIRED; always sent
    // here when not empty).
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: behaviour.expiresInSeconds,
      ...(refreshRecord ? { refresh_token: refreshRecord.token } : {}),
      ...(scope !== '' ? { scope } : {}),
    };
  };

  const newFamily = () => {
    families += 1;
    return `family-${families}`;
  };

  /**
   * RFC 6749 §2.3.1 client authentication: `client_secret_basic` (HTTP Basic, id and secret each
   * form-urlencoded before base64, Appendix B) or `client_secret_post` (body parameters). §2.3:
   * one method per request. §3.2.1: a public client sends `client_id` to identify itself.
   * Returns the client and how it authenticated ('none' for a public client).
   */
  const authenticateClient = (
    request: IncomingMessage,
    params: URLSearchParams,
    allowPublic: boolean,
  ): { client: OAuthClientConfig; method: ClientAuthMethod | 'none' } => {
    const authorization = request.headers.authorization;
    const bodyId = params.get('client_id');
    const bodySecret = params.get('client_secret');
    const basicChallenge = { 'www-authenticate': `Basic realm="${realm}"` };
    if (authorization !== undefined) {
      const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
      // §5.2: a client that tried the Authorization header gets 401 and a challenge for its scheme.
      const fail = (description: string) =>
        new OAuthError(401, 'invalid_client', description, basicChallenge);
      if (!match) throw fail('The Authorization header is not HTTP Basic credentials');
      if (bodySecret !== null) {
        // §2.3: "The client MUST NOT use more than one authentication method in each request."
        throw new OAuthError(400, 'invalid_request', 'More than one client authentication method');
      }
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw fail('Malformed Basic credentials');
      const id = formDecode(decoded.slice(0, colon));
      const secret = formDecode(decoded.slice(colon + 1));
      const client = clients.find((c) => c.id === id);
      if (!client || client.secret === undefined || client.secret !== secret) {
        throw fail('Client authentication failed');
      }
      if (bodyId !== null && bodyId !== client.id) {
        throw new OAuthError(400, 'invalid_request', 'client_id does not match the credentials');
      }
      if (client.authMethods && !client.authMethods.includes('client_secret_basic')) {
        throw fail('client_secret_basic is not allowed for this client');
      }
      return { client, method: 'client_secret_basic' };
    }
    // §5.2 leaves 400 or 401 open when the header was not used; 401 without a challenge, as
    // Auth0 answers.
    const fail = (description: string) => new OAuthError(401, 'invalid_client', description);
    if (bodyId === null) throw fail('No client authentication');
    const client = clients.find((c) => c.id === bodyId);
    if (!client) throw fail('Unknown client');
    if (bodySecret === null) {
      if (client.secret === undefined && allowPublic) return { client, method: 'none' };
      throw fail(
        client.secret === undefined
          ? 'A public client cannot use this grant'
          : 'Client authentication failed',
      );
    }
    if (client.secret === undefined || client.secret !== bodySecret) {
      throw fail('Client authentication failed');
    }
    if (client.authMethods && !client.authMethods.includes('client_secret_post')) {
      throw fail('client_secret_post is not allowed for this client');
    }
    return { client, method: 'client_secret_post' };
  };

  /** RFC 6749 §3.3: the requested scope must be within what the client may have. */
  const grantScope = (client: OAuthClientConfig, requested: string | null): string => {
    if (requested === null) return client.defaultScope ?? '';
    const wanted = scopeList(requested);
    const unknown = client.scopes ? wanted.filter((s) => !client.scopes!.includes(s)) : [];
    if (unknown.length > 0) {
      throw new OAuthError(400, 'invalid_scope', `Scope not allowed: ${unknown.join(' ')}`);
    }
    return wanted.join(' ');
  };

  const tokenEndpoint = (request: IncomingMessage, url: URL, body: string): unknown => {
    // §2.3.1: client credentials "MUST NOT be included in the request URI".
    if (url.searchParams.has('client_secret')) {
      throw new OAuthError(400, 'invalid_request', 'Credentials must not be sent in the URI');
    }
    // §3.2: "The client MUST use the HTTP POST method when making access token requests."
    if (request.method !== 'POST') {
      throw new OAuthError(405, 'invalid_request', 'The token endpoint accepts POST only', {
        allow: 'POST',
      });
    }
    // §4.4.2, §6: the parameters use the application/x-www-form-urlencoded format (Appendix B).
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (contentType.toLowerCase() !== 'application/x-www-form-urlencoded') {
      throw new OAuthError(400, 'invalid_request', 'Expected application/x-www-form-urlencoded');
    }
    const params = new URLSearchParams(body);
    // §3.2: "Request and response parameters MUST NOT be included more than once."
    const names = [...params.keys()];
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) {
      throw new OAuthError(400, 'invalid_request', `Parameter repeated: ${repeated}`);
    }
    const grantType = params.get('grant_type');
    if (grantType === null) throw new OAuthError(400, 'invalid_request', 'grant_type is missing');

    if (grantType === 'client_credentials') {
      // §4.4.2: the client MUST authenticate; §4.4 only confidential clients use this grant.
      const { client } = authenticateClient(request, params, false);
      const scope = grantScope(client, params.get('scope'));
      // Auth0: `audience` names the API the token is for; recorded on the token.
      const audience = params.get('audience') ?? undefined;
      // §4.4.3: a refresh token SHOULD NOT be included; only clients configured for one get it.
      return issue(
        client,
        scope,
        audience,
        newFamily(),
        client.refreshTokens ? { parent: undefined } : undefined,
      );
    }

    if (grantType === 'refresh_token') {
      // §6: a confidential client MUST authenticate; a public client sends client_id (§3.2.1).
      const { client } = authenticateClient(request, params, true);
      const presented = params.get('refresh_token');
      if (presented === null) {
        throw new OAuthError(400, 'invalid_request', 'refresh_token is missing');
      }
      const record = byValue.get(presented);
      const invalidGrant = (description: string) =>
        new OAuthError(400, 'invalid_grant', description);
      if (record?.kind !== 'refresh') throw invalidGrant('Unknown refresh token');
      // §6: "validate the refresh token ... was issued to the authenticated client".
      if (record.clientId !== client.id)
        throw invalidGrant('Refresh token issued to another client');
      if (record.revoked) throw invalidGrant('Refresh token revoked');
      const at = now();
      if (at >= record.expiresAt) throw invalidGrant('Refresh token expired');
      if (record.usedAt !== undefined) {
        // RFC 6819 §5.2.2.3 and RFC 9700 §4.14.2: a rotated-out refresh token presented again
        // means it leaked; revoke the whole family (its access tokens too) and refuse.
        // Auth0's reuse interval lets it through for a short while after its first use.
        const withinOverlap = at - record.usedAt < behaviour.reuseIntervalSeconds * 1000;
        if (!withinOverlap) {
          revokeFamily(record.familyId);
          reuseDetections.push({
            token: presented,
            familyId: record.familyId,
            clientId: client.id,
            at,
          });
          throw invalidGrant('Refresh token reused; the grant is revoked');
        }
      }
      // §6: a narrower scope may be asked for; "MUST NOT include any scope not originally
      // granted", else invalid_scope.
      const requested = params.get('scope');
      let scope = record.scope;
      if (requested !== null) {
        const granted = scopeList(record.scope);
        const wanted = scopeList(requested);
        const extra = wanted.filter((s) => !granted.includes(s));
        if (extra.length > 0) {
          throw new OAuthError(400, 'invalid_scope', `Scope not granted: ${extra.join(' ')}`);
        }
        scope = wanted.join(' ');
      }
      if (behaviour.rotate) {
        // RFC 9700 §4.14.2: rotation; the new refresh token replaces the old, which is used up.
        record.usedAt ??= at;
        return issue(client, scope, record.audience, record.familyId, { parent: record.token });
      }
      // §6: "The authorization server MAY issue a new refresh token"; without rotation it does
      // not, and the old one stays valid.
      return issue(client, scope, record.audience, record.familyId, undefined);
    }

    // §5.2: a grant type the server does not support.
    throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
  };

  /** RFC 6750: the protected resource. Returns [status, headers, body]. */
  const resource = (
    request: IncomingMessage,
    url: URL,
  ): [number, Record<string, string>, unknown] => {
    const challenge = (params: string) => ({ 'www-authenticate': `Bearer ${params}` });
    if (request.method !== 'GET' && request.method !== 'POST') {
      return [405, { allow: 'GET, POST' }, { error: 'method not allowed' }];
    }
    // §2.3 (URI query parameter) is not supported here: a token in the URL is a leak.
    if (url.searchParams.has('access_token')) {
      return [
        400,
        challenge(`realm="${realm}", error="invalid_request"`),
        { error: 'invalid_request', error_description: 'Access tokens in the URI are refused' },
      ];
    }
    const authorization = request.headers.authorization;
    // §3: "If the request lacks any authentication information ..., the resource server SHOULD
    // NOT include an error code or other error information."
    if (authorization === undefined) {
      return [401, challenge(`realm="${realm}"`), { error: 'unauthorized' }];
    }
    // §2.1: credentials = "Bearer" 1*SP b64token
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization);
    if (!match) {
      // §3.1 invalid_request: "The request is missing a required parameter ... or is otherwise
      // malformed." → 400.
      return [
        400,
        challenge(`realm="${realm}", error="invalid_request"`),
        { error: 'invalid_request', error_description: 'Malformed Bearer credentials' },
      ];
    }
    const record = byValue.get(match[1]!);
    // §3.1 invalid_token: "expired, revoked, malformed, or invalid for other reasons" → 401.
    const invalid = (description: string): [number, Record<string, string>, unknown] => [
      401,
      challenge(`realm="${realm}", error="invalid_token", error_description="${description}"`),
      { error: 'invalid_token', error_description: description },
    ];
    if (record?.kind !== 'access') return invalid('The access token is unknown');
    if (record.revoked) return invalid('The access token was revoked');
    if (now() >= record.expiresAt) return invalid('The access token expired');
    return [
      200,
      {},
      { ok: true, client_id: record.clientId, scope: record.scope, path: url.pathname },
    ];
  };

  /** Fetch standard, CORS protocol: headers for an allowed origin, none otherwise. */
  const corsHeaders = (request: IncomingMessage): Record<string, string> =>
    behaviour.corsAllowed
      ? {
          'access-control-allow-origin': request.headers.origin ?? '*',
          // A script may read the challenge of a 401 (RFC 6750 §3).
          'access-control-expose-headers': 'www-authenticate',
          vary: 'Origin',
        }
      : {};

  const handle = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body,
      at: now(),
    });
    const cors = corsHeaders(request);
    if (request.method === 'OPTIONS') {
      // Fetch, CORS-preflight: a successful answer (ok status) carries Allow-Origin, -Methods
      // and -Headers. Not allowed: the same 204 without them, so the browser's check fails.
      response
        .writeHead(
          204,
          behaviour.corsAllowed
            ? {
                ...cors,
                'access-control-allow-methods': 'POST, GET',
                'access-control-allow-headers': 'authorization, content-type',
                'access-control-max-age': '0',
              }
            : {},
        )
        .end();
      return;
    }
    const send = (status: number, headers: Record<string, string>, value: unknown) => {
      const write = () => {
        if (response.destroyed) return;
        response
          .writeHead(status, { ...cors, 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(value));
      };
      if (behaviour.slowMs <= 0) return write();
      const timer = setTimeout(() => {
        timers.delete(timer);
        write();
      }, behaviour.slowMs);
      timers.add(timer);
    };
    const isToken = url.pathname === '/oauth/token';
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (!isToken && !isApi) return send(404, {}, { error: 'not found' });
    if (behaviour.failWith5xx > 0) {
      behaviour.failWith5xx -= 1;
      return send(503, {}, { error: 'temporarily_unavailable' });
    }
    if (isApi) {
      const [status, headers, value] = resource(request, url);
      return send(status, headers, value);
    }
    // RFC 6749 §5.1 (and §5.2's error responses likewise): "Cache-Control: no-store" and
    // "Pragma: no-cache"; the body is application/json.
    const noStore = {
      'content-type': 'application/json;charset=UTF-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
    };
    try {
      return send(200, noStore, tokenEndpoint(request, url, body));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      // §5.2: `error` and `error_description` in a JSON body.
      return send(
        error.status,
        { ...noStore, ...error.headers },
        { error: error.error, error_description: error.description },
      );
    }
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > maxBodyBytes) {
        response.writeHead(413, corsHeaders(request)).end();
        return;
      }
      try {
        handle(request, response, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    tokenUrl: `${origin}/oauth/token`,
    apiUrl: `${origin}/api`,
    clients,
    get behaviour() {
      return { ...behaviour };
    },
    set: (changes) => {
      Object.assign(behaviour, changes);
    },
    addClient: (client) => {
      clients.push(client);
    },
    tokens,
    accessTokens: () => tokens.filter((t): t is AccessTokenRecord => t.kind === 'access'),
    refreshTokens: () => tokens.filter((t): t is RefreshTokenRecord => t.kind === 'refresh'),
    lookup: (token) => byValue.get(token),
    family,
    reuseDetections,
    seedGrant: (clientId, grant = {}) => {
      const client = clients.find((c) => c.id === clientId);
      if (!client) throw new Error(`No client ${clientId}`);
      const issued = issue(
        client,
        grant.scope ?? client.defaultScope ?? '',
        grant.audience,
        newFamily(),
        { parent: undefined },
      );
      const familyId = byValue.get(issued.access_token)!.familyId;
      return { familyId, accessToken: issued.access_token, refreshToken: issued.refresh_token! };
    },
    revokeToken: (token) => {
      const record = byValue.get(token);
      if (!record) throw new Error('Not a token this server issued');
      record.revoked = true;
    },
    revokeFamily,
    requests,
    allReceivedText: () =>
      requests
        .map(
          (r) =>
            `${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.headers)} ${r.body}`,
        )
        .join('\n'),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
