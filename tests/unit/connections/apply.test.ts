import { describe, expect, it } from 'vitest';
import {
  type AuthRequest,
  applyConnection,
  CONNECTION_TYPES,
  ConnectionIncompleteError,
  connectionTypeSpec,
  missingFields,
} from '../../../src/core/connections';
import type { ConnectionValue } from '../../../src/core/vault';

function value(type: string, fields: Record<string, string | null>): ConnectionValue {
  return {
    type,
    fields: Object.fromEntries(
      Object.entries(fields).map(([name, v]) => [name, { value: v, secret: true }]),
    ),
  };
}

const base: AuthRequest = {
  url: 'https://api.example.com/v1/items?page=2&q=a%20b',
  headers: [
    ['accept', 'application/json'],
    ['authorization', 'Bearer stale'],
  ],
};

function header(headers: readonly (readonly [string, string])[], name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

describe('the catalogue', () => {
  it('keeps the existing type ids and field names and adds the new ones', () => {
    const names = Object.fromEntries(
      CONNECTION_TYPES.map((spec) => [spec.type, spec.fields.map((f) => f.name)]),
    );
    expect(names).toEqual({
      'bearer-token': ['token'],
      'basic-auth': ['username', 'password'],
      'api-key-header': ['header', 'key'],
      'api-key-query': ['param', 'key'],
      'oauth2-client-credentials': [
        'token_url',
        'client_id',
        'client_secret',
        'scope',
        'audience',
        'auth_method',
      ],
      'oauth2-refresh-token': [
        'token_url',
        'client_id',
        'client_secret',
        'refresh_token',
        'auth_method',
      ],
    });
  });

  it('marks the credentials secret and the optional fields not required', () => {
    const secret = (type: string) =>
      connectionTypeSpec(type)!
        .fields.filter((f) => f.secret)
        .map((f) => f.name);
    const optional = (type: string) =>
      connectionTypeSpec(type)!
        .fields.filter((f) => !f.required)
        .map((f) => f.name);
    expect(secret('basic-auth')).toEqual(['password']);
    expect(secret('oauth2-refresh-token')).toEqual(['client_secret', 'refresh_token']);
    expect(optional('oauth2-client-credentials')).toEqual(['scope', 'audience', 'auth_method']);
    expect(optional('oauth2-refresh-token')).toEqual(['client_secret', 'auth_method']);
    expect(connectionTypeSpec('nope')).toBeUndefined();
  });
});

describe('missingFields', () => {
  it.each([
    ['bearer-token', { token: null }, ['token']],
    ['bearer-token', { token: 'x' }, []],
    ['basic-auth', { username: 'app' }, ['password']],
    ['basic-auth', { username: '  ', password: '' }, ['username', 'password']],
    ['api-key-header', { header: 'X-Api-Key', key: null }, ['key']],
    ['api-key-query', {}, ['param', 'key']],
    [
      'oauth2-client-credentials',
      { token_url: 'https://a/t', client_id: 'c', client_secret: null, scope: null },
      ['client_secret'],
    ],
    [
      'oauth2-client-credentials',
      { token_url: 'https://a/t', client_id: 'c', client_secret: 's' },
      [],
    ],
    ['oauth2-refresh-token', { token_url: 'https://a/t', client_id: 'c' }, ['refresh_token']],
    ['oauth2-refresh-token', { token_url: 'https://a/t', client_id: 'c', refresh_token: 'r' }, []],
    ['made-up-type', {}, []],
  ] as const)('%s %j -> %j', (type, fields, expected) => {
    expect(missingFields(value(type, fields))).toEqual(expected);
  });
});

describe('applyConnection', () => {
  it('bearer token: Authorization: Bearer, replacing the request’s own', () => {
    const { request, secrets } = applyConnection(base, {
      name: 'api',
      value: value('bearer-token', { token: 'tok-123456' }),
    });
    expect(header(request.headers, 'authorization')).toEqual(['Bearer tok-123456']);
    expect(header(request.headers, 'accept')).toEqual(['application/json']);
    expect(request.url).toBe(base.url);
    expect(secrets).toEqual(['tok-123456']);
  });

  it('basic auth: RFC 7617 example, and UTF-8 for non-ASCII', () => {
    const ascii = applyConnection(
      { url: 'https://x.test/', headers: [] },
      { name: 'db', value: value('basic-auth', { username: 'Aladdin', password: 'open sesame' }) },
    );
    expect(ascii.request.headers).toEqual([
      ['Authorization', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='],
    ]);
    expect(ascii.secrets).toEqual([
      'open sesame',
      'Aladdin:open sesame',
      'QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    ]);
    // RFC 7617 §2.1: user "test", password "123£" in UTF-8.
    const utf8 = applyConnection(
      { url: 'https://x.test/', headers: [] },
      { name: 'db', value: value('basic-auth', { username: 'test', password: '123£' }) },
    );
    expect(utf8.request.headers).toEqual([['Authorization', 'Basic dGVzdDoxMjPCow==']]);
  });

  it('api key header: the named header with the key', () => {
    const { request, secrets } = applyConnection(base, {
      name: 'k',
      value: value('api-key-header', { header: 'X-Api-Key', key: 'key-abcdef' }),
    });
    expect(header(request.headers, 'x-api-key')).toEqual(['key-abcdef']);
    expect(header(request.headers, 'authorization')).toEqual(['Bearer stale']);
    expect(secrets).toEqual(['key-abcdef']);
  });

  it('api key query: appended, encoded, the existing query kept as written', () => {
    const { request, secrets } = applyConnection(
      { url: 'https://api.example.com/v1?q=a%20b#frag', headers: [] },
      { name: 'k', value: value('api-key-query', { param: 'api key', key: 'k&y=1 é+' }) },
    );
    expect(request.url).toBe('https://api.example.com/v1?q=a%20b&api+key=k%26y%3D1+%C3%A9%2B#frag');
    expect(new URL(request.url).searchParams.get('api key')).toBe('k&y=1 é+');
    expect(secrets).toEqual(['k&y=1 é+']);
    const bare = applyConnection(
      { url: 'https://api.example.com/v1', headers: [] },
      { name: 'k', value: value('api-key-query', { param: 'key', key: 'abc' }) },
    );
    expect(bare.request.url).toBe('https://api.example.com/v1?key=abc');
  });

  it('oauth2: Bearer with the token given, else the stored access token', () => {
    const oauth = value('oauth2-client-credentials', {
      token_url: 'https://a/t',
      client_id: 'c',
      client_secret: 's',
      access_token: 'at-stored',
    });
    const given = applyConnection(base, { name: 'o', value: oauth }, 'at-given');
    expect(header(given.request.headers, 'authorization')).toEqual(['Bearer at-given']);
    expect(given.secrets).toEqual(['at-given']);
    const stored = applyConnection(base, { name: 'o', value: oauth });
    expect(header(stored.request.headers, 'authorization')).toEqual(['Bearer at-stored']);
    const none = value('oauth2-refresh-token', { token_url: 'https://a/t', client_id: 'c' });
    expect(() => applyConnection(base, { name: 'o', value: none })).toThrow(
      ConnectionIncompleteError,
    );
  });

  it('does not change the request it was given', () => {
    const request: AuthRequest = { url: base.url, headers: base.headers.map(([n, v]) => [n, v]) };
    const copy = JSON.stringify(request);
    applyConnection(request, {
      name: 'api',
      value: value('bearer-token', { token: 'tok-123456' }),
    });
    expect(JSON.stringify(request)).toBe(copy);
  });

  it.each([
    ['bearer-token', { token: 'abc\r\nX-Evil: 1' }, 'token'],
    ['basic-auth', { username: 'u', password: 'p\nq' }, 'password'],
    ['basic-auth', { username: 'u\r', password: 'p' }, 'username'],
    ['api-key-header', { header: 'X-Key', key: 'k\r\n' }, 'key'],
  ] as const)('refuses CR/LF in %s (%s)', (type, fields, field) => {
    const secretPart = Object.values(fields).join('');
    try {
      applyConnection(base, { name: 'conn', value: value(type, fields) });
      expect.fail('applyConnection accepted a line break');
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectionIncompleteError);
      const e = error as ConnectionIncompleteError;
      expect(e.code).toBe('connection-incomplete');
      expect(e.problems).toEqual([{ field, problem: 'line-break' }]);
      expect(e.message).not.toContain(secretPart);
    }
  });

  it('refuses a CR/LF access token, a bad header name and a colon in the user name', () => {
    const problem = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as ConnectionIncompleteError).problems;
      }
      return 'accepted';
    };
    const oauth = value('oauth2-client-credentials', { token_url: 'https://a/t' });
    expect(problem(() => applyConnection(base, { name: 'o', value: oauth }, 'at\n1'))).toEqual([
      { field: 'access_token', problem: 'line-break' },
    ]);
    expect(
      problem(() =>
        applyConnection(base, {
          name: 'k',
          value: value('api-key-header', { header: 'X Key:', key: 'k' }),
        }),
      ),
    ).toEqual([{ field: 'header', problem: 'not-a-header-name' }]);
    expect(
      problem(() =>
        applyConnection(base, {
          name: 'b',
          value: value('basic-auth', { username: 'a:b', password: 'p' }),
        }),
      ),
    ).toEqual([{ field: 'username', problem: 'colon-in-username' }]);
  });

  it('names the connection, type and missing fields, never a value', () => {
    try {
      applyConnection(base, {
        name: 'billing',
        value: value('basic-auth', { username: 'user-canary-1', password: null }),
      });
      expect.fail('applyConnection accepted an empty password');
    } catch (error) {
      const e = error as ConnectionIncompleteError;
      expect(e).toBeInstanceOf(ConnectionIncompleteError);
      expect([e.connection, e.type, e.missing]).toEqual(['billing', 'basic-auth', ['password']]);
      expect(e.message).toContain('billing');
      expect(e.message).not.toContain('user-canary-1');
    }
  });

  it('refuses an unknown type', () => {
    expect(() =>
      applyConnection(base, { name: 'x', value: value('made-up-type', { token: 't' }) }),
    ).toThrow(/does not know/);
  });
});
