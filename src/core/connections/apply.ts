import type { ConnectionValue } from '../vault';
import { connectionTypeSpec, fieldText, missingFields } from './connection-types';
import { type ConnectionFieldProblem, ConnectionIncompleteError } from './errors';

/**
 * A connection as code hands it around: the entry's name (for errors) and its value.
 * @example
 * const connection: NamedConnection = { name: 'github', value: { type: 'bearer-token', fields } };
 */
export interface NamedConnection {
  readonly name: string;
  readonly value: ConnectionValue;
}

/**
 * The part of a request a connection changes. Header names keep their case.
 * @example
 * const request: AuthRequest = { url: 'https://api.example.com/v1', headers: [['accept', 'application/json']] };
 */
export interface AuthRequest {
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
}

/**
 * What `applyConnection` gives: the new request, and every secret text it put there (raw
 * credentials and derived forms such as Basic's `user:pass` and its base64), for the caller's
 * masker.
 */
export interface AppliedConnection {
  readonly request: { readonly url: string; readonly headers: [string, string][] };
  readonly secrets: string[];
}

/** An HTTP token (RFC 9110 §5.6.2): what a header name may be. */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What fetch refuses in a header value, and what would split a request (header injection). */
const lineBreak = /[\r\n\0]/;

/** Standard base64 of the UTF-8 bytes of `text` (RFC 7617 §2.1 with charset="UTF-8"). */
function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function withHeader(
  headers: AuthRequest['headers'],
  name: string,
  value: string,
): [string, string][] {
  const lower = name.toLowerCase();
  return [
    ...headers
      .filter(([existing]) => existing.toLowerCase() !== lower)
      .map(([n, v]): [string, string] => [n, v]),
    [name, value],
  ];
}

function copyHeaders(headers: AuthRequest['headers']): [string, string][] {
  return headers.map(([n, v]): [string, string] => [n, v]);
}

/**
 * What a request gets from a connection, as a new request (the one given is not changed):
 * - `bearer-token`: `Authorization: Bearer <token>`;
 * - `basic-auth`: `Authorization: Basic base64(utf8(username ":" password))` (RFC 7617);
 * - `api-key-header`: `<header>: <key>`;
 * - `api-key-query`: `param=key` added to the URL's query (encoded by URLSearchParams; the
 *   query already there is kept byte for byte);
 * - `oauth2-client-credentials`, `oauth2-refresh-token`: `Authorization: Bearer <token>`, the
 *   token given, else the connection's `access_token` field.
 * A header the connection sets replaces any header of that name (ignoring case) in the request.
 * Throws ConnectionIncompleteError when a required field (or the access token) is empty, a value
 * holds CR, LF or NUL, the header name is not a token, the user name holds ":", or the type is
 * unknown. `secrets` lists every secret text added, for the caller's masker.
 * @example
 * const { request, secrets } = applyConnection({ url, headers: [] }, { name: 'api', value });
 * masker.add(...secrets);
 */
export function applyConnection(
  request: AuthRequest,
  connection: NamedConnection,
  token?: string,
): AppliedConnection {
  const { name, value } = connection;
  const missing = missingFields(value);
  const problems: ConnectionFieldProblem[] = [];
  const text = (field: string): string => fieldText(value, field) ?? '';
  const headerValue = (field: string, content: string): string => {
    if (lineBreak.test(content)) problems.push({ field, problem: 'line-break' });
    return content;
  };
  const fail = () => new ConnectionIncompleteError(name, value.type, missing, problems);

  if (!connectionTypeSpec(value.type)) {
    throw new ConnectionIncompleteError(
      name,
      value.type,
      [],
      [{ field: 'type', problem: 'unknown-type' }],
    );
  }
  if (value.type === 'oauth2-client-credentials' || value.type === 'oauth2-refresh-token') {
    const accessToken = token ?? fieldText(value, 'access_token');
    if (accessToken === undefined || accessToken.trim() === '') {
      throw new ConnectionIncompleteError(name, value.type, ['access_token']);
    }
    headerValue('access_token', accessToken);
    if (problems.length > 0) throw fail();
    return {
      request: {
        url: request.url,
        headers: withHeader(request.headers, 'Authorization', `Bearer ${accessToken}`),
      },
      secrets: [accessToken],
    };
  }
  if (missing.length > 0) throw fail();

  switch (value.type) {
    case 'bearer-token': {
      const secret = headerValue('token', text('token'));
      if (problems.length > 0) throw fail();
      return {
        request: {
          url: request.url,
          headers: withHeader(request.headers, 'Authorization', `Bearer ${secret}`),
        },
        secrets: [secret],
      };
    }
    case 'basic-auth': {
      const user = headerValue('username', text('username'));
      const password = headerValue('password', text('password'));
      if (user.includes(':')) problems.push({ field: 'username', problem: 'colon-in-username' });
      if (problems.length > 0) throw fail();
      const pair = `${user}:${password}`;
      const encoded = base64Utf8(pair);
      return {
        request: {
          url: request.url,
          headers: withHeader(request.headers, 'Authorization', `Basic ${encoded}`),
        },
        secrets: [password, pair, encoded],
      };
    }
    case 'api-key-header': {
      const header = text('header').trim();
      if (!headerName.test(header))
        problems.push({ field: 'header', problem: 'not-a-header-name' });
      const key = headerValue('key', text('key'));
      if (problems.length > 0) throw fail();
      return {
        request: { url: request.url, headers: withHeader(request.headers, header, key) },
        secrets: [key],
      };
    }
    case 'api-key-query': {
      const param = text('param').trim();
      const key = text('key');
      const pair = new URLSearchParams([[param, key]]).toString();
      const hashAt = request.url.indexOf('#');
      const base = hashAt === -1 ? request.url : request.url.slice(0, hashAt);
      const hash = hashAt === -1 ? '' : request.url.slice(hashAt);
      const separator = !base.includes('?')
        ? '?'
        : base.endsWith('?') || base.endsWith('&')
          ? ''
          : '&';
      return {
        request: {
          url: `${base}${separator}${pair}${hash}`,
          headers: copyHeaders(request.headers),
        },
        secrets: [key],
      };
    }
    default:
      throw new ConnectionIncompleteError(
        name,
        value.type,
        [],
        [{ field: 'type', problem: 'unknown-type' }],
      );
  }
}
