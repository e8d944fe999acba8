/**
 * The HashiCorp client against the loopback Vault double (tests/support/hashicorp-double.ts):
 * both KV versions for real over HTTP, AppRole and token lifetimes on the double's clock,
 * namespaces, and every failure reason Node can produce.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError, RemoteConflictError } from '../../../src/core/providers/errors';
import {
  createHashicorpProvider,
  validateHashicorpSettings,
} from '../../../src/core/providers/hashicorp';
import {
  asRemoteVersion,
  type HashicorpSettings,
  type SecretsProvider,
} from '../../../src/core/providers/types';
import {
  type HashicorpDouble,
  type HashicorpDoubleOptions,
  startHashicorpDouble,
} from '../../support/hashicorp-double';

const open: HashicorpDouble[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

async function start(options?: HashicorpDoubleOptions): Promise<HashicorpDouble> {
  const double = await startHashicorpDouble(options);
  open.push(double);
  return double;
}

function connect(
  double: HashicorpDouble,
  overrides: Partial<Omit<HashicorpSettings, 'kind'>> = {},
  deps: { fetch?: typeof fetch; origin?: string } = {},
): SecretsProvider {
  const settings = validateHashicorpSettings({
    kind: 'hashicorp',
    address: double.url,
    enginePath: 'secret',
    auth: { method: 'token', token: double.rootToken },
    ...overrides,
  });
  return createHashicorpProvider(settings, {
    fetch: deps.fetch ?? globalThis.fetch,
    now: double.now,
    ...(deps.origin ? { origin: deps.origin } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const exotic = {
  S: 'plain',
  UNICODE: 'naïve 漢字 🙂 \u0000 "quoted" \\ back',
  INT: 5432,
  FLOAT: -0.125,
  BIG: 9007199254740991,
  YES: true,
  NO: false,
  NULL: null,
  LIST: [1, 'two', null, [true]],
  NESTED: { a: { b: { c: 'deep' } }, empty: {}, emptyList: [] },
};

describe('KV v2', () => {
  it('lists folders recursively with GET ?list=true, relative to the engine path, sorted', async () => {
    const double = await start();
    for (const p of ['zeta', 'app/db', 'app/api/key', 'alpha'])
      double.writeDirect('secret', p, { V: p });
    expect(await connect(double).list()).toStrictEqual(['alpha', 'app/api/key', 'app/db', 'zeta']);
    expect(await connect(double, { enginePath: 'secret/app' }).list()).toStrictEqual([
      'api/key',
      'db',
    ]);
    expect(double.requests.some((r) => r.method === 'LIST')).toBe(false);
    expect(
      double.requests
        .filter((r) => r.path.includes('/metadata/'))
        .every((r) => r.path.endsWith('?list=true')),
    ).toBe(true);
  });

  it('lists an empty mount as empty (404 {"errors":[]})', async () => {
    const double = await start();
    expect(await connect(double).list()).toStrictEqual([]);
  });

  it('reads values and the version; missing and soft-deleted read as undefined', async () => {
    const double = await start();
    double.writeDirect('secret', 'app', { A: '1' });
    double.writeDirect('secret', 'app', { A: '2' });
    const vault = connect(double);
    expect(await vault.read('app')).toStrictEqual({
      path: 'app',
      values: { A: '2' },
      version: '2',
    });
    expect(await vault.read('missing')).toBeUndefined();
    await vault.delete('app');
    expect(await vault.read('app')).toBeUndefined();
    expect(double.secret('secret', 'app')?.deleted).toBe(true);
  });

  it('writes with cas and reports a concurrent writer as a conflict, leaving its write intact', async () => {
    const double = await start();
    const vault = connect(double);
    const v1 = await vault.write('app', { A: 'mine' }, 'absent');
    expect(v1).toBe('1');
    expect(vault.cas).toBe('atomic');
    double.writeDirect('secret', 'app', { A: 'theirs' });
    const error = await vault.write('app', { A: 'lost?' }, v1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect((error as RemoteConflictError).actual).toBe('2');
    expect(double.secret('secret', 'app')).toStrictEqual({
      values: { A: 'theirs' },
      version: 2,
      deleted: false,
    });
    // 'absent' on an existing secret is a conflict too.
    await expect(vault.write('app', { A: 'x' }, 'absent')).rejects.toBeInstanceOf(
      RemoteConflictError,
    );
    expect(double.secret('secret', 'app')?.values).toStrictEqual({ A: 'theirs' });
    expect(await vault.write('app', { A: 'merged' }, asRemoteVersion('2'))).toBe('3');
  });

  it('works with cas_required on the mount (every write carries cas)', async () => {
    const double = await start({ mounts: [{ path: 'secret', version: 2, casRequired: true }] });
    const vault = connect(double);
    const v = await vault.write('a', { A: 1 }, 'absent');
    expect(await vault.write('a', { A: 2 }, v)).toBe('2');
  });

  it('soft-deletes, restores, and writes "absent" over a deleted secret', async () => {
    const double = await start();
    const vault = connect(double);
    const v = await vault.write('app', { A: 'keep' }, 'absent');
    expect(await vault.delete('app')).toStrictEqual({ path: 'app', restorable: true });
    expect(await vault.read('app')).toBeUndefined();
    await vault.restore('app');
    expect(await vault.read('app')).toStrictEqual({
      path: 'app',
      values: { A: 'keep' },
      version: v,
    });
    await vault.delete('app');
    expect(await vault.write('app', { A: 'fresh' }, 'absent')).toBe('2');
    expect(double.secret('secret', 'app')).toStrictEqual({
      values: { A: 'fresh' },
      version: 2,
      deleted: false,
    });
  });

  it('destroys every version', async () => {
    const double = await start();
    const vault = connect(double);
    await vault.write('app', { A: '1' }, 'absent');
    await vault.destroy('app');
    expect(double.secret('secret', 'app')).toBeUndefined();
    expect(await vault.read('app')).toBeUndefined();
    await expect(vault.restore('app')).rejects.toMatchObject({ reason: 'refused' });
  });

  it('round-trips values exactly (numbers stay numbers, nested, null, unicode)', async () => {
    const double = await start();
    const vault = connect(double);
    await vault.write('exotic', exotic, 'absent');
    expect(double.secret('secret', 'exotic')?.values).toStrictEqual(exotic);
    expect((await vault.read('exotic'))?.values).toStrictEqual(exotic);
  });

  it('refuses values JSON cannot carry and invalid paths, writing nothing', async () => {
    const double = await start();
    const vault = connect(double);
    await vault.write('ok', { A: '1' }, 'absent');
    const bad = { A: Number.NaN } as unknown as Record<string, number>;
    expect((await failure(vault.write('ok', bad, asRemoteVersion('1')))).reason).toBe('refused');
    for (const path of ['', '/lead', 'trail/', 'a//b', 'a/../b']) {
      expect((await failure(vault.write(path, { A: '1' }, 'absent'))).reason).toBe('refused');
    }
    expect(double.secret('secret', 'ok')).toStrictEqual({
      values: { A: '1' },
      version: 1,
      deleted: false,
    });
  });

  it('says not-an-object when the remote value is not a JSON object', async () => {
    const double = await start();
    double.writeDirect('secret', 'odd', { A: 1 });
    // Vault itself stores maps only; a proxy or another tool can still hand back anything.
    const fetchOdd: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/data/odd')) return response;
      return new Response(
        JSON.stringify({ data: { data: 'a string', metadata: { version: 1 } } }),
        { status: 200 },
      );
    };
    expect((await failure(connect(double, {}, { fetch: fetchOdd }).read('odd'))).reason).toBe(
      'not-an-object',
    );
  });
});

describe('KV v1', () => {
  const v1 = { enginePath: 'kv1' };

  it('lists folders recursively, reads with a digest version, and writes best-effort', async () => {
    const double = await start();
    double.writeDirect('kv1', 'team/a', { A: 1 });
    double.writeDirect('kv1', 'team/sub/b', { B: 2 });
    double.writeDirect('kv1', 'other', { C: 3 });
    const vault = connect(double, v1);
    expect(vault.cas).toBe('best-effort');
    expect(await vault.list()).toStrictEqual(['other', 'team/a', 'team/sub/b']);
    expect(await connect(double, { enginePath: 'kv1/team' }).list()).toStrictEqual(['a', 'sub/b']);
    const read = await vault.read('team/a');
    expect(read?.values).toStrictEqual({ A: 1 });
    expect(read?.version).toMatch(/^[0-9a-f]{64}$/);
    expect(vault.cas).toBe('best-effort');
    const next = await vault.write('team/a', { A: 2 }, read?.version ?? asRemoteVersion('x'));
    expect(next).not.toBe(read?.version);
    expect(double.secret('kv1', 'team/a')?.values).toStrictEqual({ A: 2 });
  });

  it('gives equal digests for equal data whatever the key order', async () => {
    const double = await start();
    double.writeDirect('kv1', 'x', { b: 1, a: { d: 2, c: 3 } });
    double.writeDirect('kv1', 'y', { a: { c: 3, d: 2 }, b: 1 });
    const vault = connect(double, v1);
    expect((await vault.read('x'))?.version).toBe((await vault.read('y'))?.version);
  });

  it('sees a concurrent writer before writing: conflict, their data kept', async () => {
    const double = await start();
    const vault = connect(double, v1);
    const mine = await vault.write('app', { A: 'mine' }, 'absent');
    double.writeDirect('kv1', 'app', { A: 'theirs' });
    const error = await vault.write('app', { A: 'lost?' }, mine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteConflictError);
    expect((error as RemoteConflictError).actual).not.toBe(mine);
    expect(double.secret('kv1', 'app')?.values).toStrictEqual({ A: 'theirs' });
    await expect(vault.write('app', { A: 'x' }, 'absent')).rejects.toBeInstanceOf(
      RemoteConflictError,
    );
  });

  it('sees a writer slipping in right after its write (read-back check)', async () => {
    const double = await start();
    let racer = false;
    const racing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (racer && init?.method === 'POST' && String(input).includes('/v1/kv1/app'))
        double.writeDirect('kv1', 'app', { A: 'racer' });
      return response;
    };
    const vault = connect(double, v1, { fetch: racing });
    racer = true;
    await expect(vault.write('app', { A: 'mine' }, 'absent')).rejects.toBeInstanceOf(
      RemoteConflictError,
    );
    expect(double.secret('kv1', 'app')?.values).toStrictEqual({ A: 'racer' });
  });

  it('refuses soft delete (KV v1 has none) and keeps the secret; destroy removes it', async () => {
    const double = await start();
    const vault = connect(double, v1);
    await vault.write('app', { A: 'kept' }, 'absent');
    const error = await failure(vault.delete('app'));
    expect(error.reason).toBe('refused');
    expect(error.detail).toMatch(/KV v1 cannot soft-delete/);
    expect(double.secret('kv1', 'app')?.values).toStrictEqual({ A: 'kept' });
    await vault.destroy('app');
    expect(double.secret('kv1', 'app')).toBeUndefined();
    expect(await vault.read('app')).toBeUndefined();
  });

  it('round-trips values exactly', async () => {
    const double = await start();
    const vault = connect(double, v1);
    await vault.write('exotic', exotic, 'absent');
    expect(double.secret('kv1', 'exotic')?.values).toStrictEqual(exotic);
    expect((await vault.read('exotic'))?.values).toStrictEqual(exotic);
  });

  it('treats a Vault without sys/internal/ui/mounts (404) as KV v1 at the engine path', async () => {
    const double = await start({ uiMounts: false });
    double.writeDirect('kv1', 'a', { A: 1 });
    const vault = connect(double, v1);
    expect(await vault.list()).toStrictEqual(['a']);
    expect((await vault.test()).kvVersion).toBe(1);
  });
});

describe('authentication', () => {
  it('logs in with AppRole, renews before expiry, and logs in again past the max TTL', async () => {
    const double = await start();
    const ids = double.addAppRole({
      roleName: 'coffer',
      policy: { 'secret/': ['read', 'list', 'create', 'update'] },
      ttlSeconds: 600,
      maxTtlSeconds: 1200,
    });
    const vault = connect(double, { auth: { method: 'approle', ...ids } });
    const count = (path: string) => double.requests.filter((r) => r.path.endsWith(path)).length;
    await vault.write('a', { A: 1 }, 'absent');
    expect(count('/auth/approle/login')).toBe(1);
    double.advanceClock(500_000); // 100 s left: more than the 60 s margin
    await vault.read('a');
    expect(count('/renew-self')).toBe(0);
    double.advanceClock(50_000); // 50 s left
    await vault.read('a');
    expect(count('/renew-self')).toBe(1);
    expect(count('/auth/approle/login')).toBe(1);
    double.advanceClock(640_000); // past the max TTL (1200 s): the token is gone
    expect((await vault.read('a'))?.values).toStrictEqual({ A: 1 });
    expect(count('/auth/approle/login')).toBe(2);
    // The rejected requests never got to the secret with a dead token.
    expect(double.requests.filter((r) => r.status === 403)).toHaveLength(0);
  });

  it('logs in again once after a 403 with AppRole, then succeeds', async () => {
    const double = await start();
    const ids = double.addAppRole({
      roleName: 'coffer',
      policy: { 'secret/': ['read', 'list'] },
      ttlSeconds: 3600,
    });
    double.writeDirect('secret', 'a', { A: 1 });
    const vault = connect(double, { auth: { method: 'approle', ...ids } });
    await vault.list();
    double.fail({ status: 403, path: 'secret/data/a' });
    expect((await vault.read('a'))?.values).toStrictEqual({ A: 1 });
    expect(double.requests.filter((r) => r.path.endsWith('/login'))).toHaveLength(2);
  });

  it('says auth for a wrong AppRole secret (400 invalid role or secret ID)', async () => {
    const double = await start();
    const ids = double.addAppRole({ roleName: 'coffer', policy: {}, ttlSeconds: 60 });
    const error = await failure(
      connect(double, {
        auth: { method: 'approle', roleId: ids.roleId, secretId: 'wrong-secret-id' },
      }).list(),
    );
    expect(error).toMatchObject({ reason: 'auth', status: 400 });
    expect(error.detail).toMatch(/invalid role or secret ID/);
  });

  it('renews a token whose lease it learned in test()', async () => {
    const double = await start();
    const token = double.addToken({
      policy: { 'secret/': ['read', 'list'] },
      ttlSeconds: 3600,
      displayName: 'token-ci',
    });
    const vault = connect(double, { auth: { method: 'token', token } });
    expect((await vault.test()).identity).toBe('token-ci');
    double.advanceClock(3_300_000);
    await vault.list();
    expect(double.requests.filter((r) => r.path.endsWith('/renew-self'))).toHaveLength(1);
    double.advanceClock(3_000_000); // renewed for another hour: still valid
    expect(await vault.list()).toStrictEqual([]);
  });

  it('says auth for an expired token, forbidden (naming the capability) for a valid one lacking it', async () => {
    const double = await start();
    double.writeDirect('secret', 'a', { A: 1 });
    const short = double.addToken({
      policy: { 'secret/': ['read', 'list'] },
      ttlSeconds: 60,
      renewable: false,
    });
    const expired = connect(double, { auth: { method: 'token', token: short } });
    await expired.list();
    double.advanceClock(61_000);
    expect(await failure(expired.read('a'))).toMatchObject({ reason: 'auth', status: 403 });

    const readOnly = double.addToken({
      policy: { 'secret/data/': ['read'], 'secret/metadata/': ['read'] },
    });
    const vault = connect(double, { auth: { method: 'token', token: readOnly } });
    const list = await failure(vault.list());
    expect(list).toMatchObject({ reason: 'forbidden', status: 403 });
    expect(list.detail).toMatch(/"list" on secret\/metadata\//);
    const write = await failure(vault.write('b', { B: 1 }, 'absent'));
    expect(write.detail).toMatch(/"create" on secret\/data\/b/);
    const update = await failure(vault.write('a', { A: 2 }, asRemoteVersion('1')));
    expect(update.detail).toMatch(/"update" on secret\/data\/a/);
    expect((await failure(vault.delete('a'))).detail).toMatch(/"delete"/);
    expect(double.secret('secret', 'a')).toStrictEqual({
      values: { A: 1 },
      version: 1,
      deleted: false,
    });
    expect((await vault.read('a'))?.values).toStrictEqual({ A: 1 });
  });

  it('says auth in test() for a token Vault does not know', async () => {
    const double = await start();
    expect(
      await failure(connect(double, { auth: { method: 'token', token: 'hvs.unknown' } }).test()),
    ).toMatchObject({ reason: 'auth' });
  });
});

describe('test()', () => {
  it('reports KV version, mount, identity and the secrets seen', async () => {
    const double = await start();
    for (const p of ['a', 'b/c', 'b/d']) double.writeDirect('secret', p, { V: 1 });
    const report = await connect(double, { enginePath: 'secret/b' }).test();
    expect(report).toStrictEqual({
      kind: 'hashicorp',
      kvVersion: 2,
      mount: 'secret',
      identity: 'root',
      secretsSeen: 2,
    });
    const ids = double.addAppRole({ roleName: 'ci', policy: { 'kv1/': ['list'] }, ttlSeconds: 60 });
    expect(
      await connect(double, { enginePath: 'kv1', auth: { method: 'approle', ...ids } }).test(),
    ).toStrictEqual({
      kind: 'hashicorp',
      kvVersion: 1,
      mount: 'kv1',
      identity: 'approle ci',
      secretsSeen: 0,
    });
  });
});

describe('namespaces', () => {
  it('puts the namespace in the path, never in a header, for login and every call', async () => {
    const double = await start({ mounts: [{ path: 'kv', version: 2, namespace: 'team-a/dev' }] });
    const ids = double.addAppRole({
      roleName: 'r',
      policy: { 'kv/': ['read', 'list', 'create', 'update'] },
      ttlSeconds: 600,
      namespace: 'team-a/dev',
    });
    const vault = connect(double, {
      namespace: 'team-a/dev',
      enginePath: 'kv',
      auth: { method: 'approle', ...ids },
    });
    await vault.write('app', { A: 1 }, 'absent');
    expect(await vault.list()).toStrictEqual(['app']);
    expect(double.secret('kv', 'app', 'team-a/dev')?.values).toStrictEqual({ A: 1 });
    expect(double.requests.length).toBeGreaterThan(3);
    expect(double.requests.every((r) => r.path.startsWith('/v1/team-a/dev/'))).toBe(true);
    expect(double.requests.some((r) => r.headers.includes('x-vault-namespace'))).toBe(false);
    // Without the namespace the mount is not there.
    const lost = connect(double, { enginePath: 'kv', auth: { method: 'approle', ...ids } });
    expect((await failure(lost.list())).reason).toBe('auth');
  });
});

describe('requests', () => {
  it('omit credentials, skip the cache, carry the token in X-Vault-Token only, never LIST', async () => {
    const double = await start();
    double.writeDirect('secret', 'a', { A: 1 });
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const spying: typeof fetch = (input, init) => {
      seen.push({ url: String(input), init });
      return fetch(input, init);
    };
    const vault = connect(double, {}, { fetch: spying });
    await vault.list();
    await vault.write('a', { A: 2 }, asRemoteVersion('1'));
    expect(seen.length).toBeGreaterThan(2);
    for (const { url, init } of seen) {
      expect(init).toMatchObject({ credentials: 'omit', cache: 'no-store' });
      expect(['GET', 'POST', 'DELETE']).toContain(init?.method);
      expect(url).not.toContain(double.rootToken);
      expect(Object.keys(init?.headers ?? {})).not.toContain('X-Vault-Namespace');
      expect(((init?.headers ?? {}) as Record<string, string>)['X-Vault-Token']).toBe(
        double.rootToken,
      );
    }
    const post = seen.find((r) => r.init?.method === 'POST');
    expect(JSON.parse(String(post?.init?.body))).toStrictEqual({
      data: { A: 2 },
      options: { cas: 1 },
    });
  });
});

describe('failures', () => {
  it('no-mount when nothing is mounted at the engine path, not-kv for another engine', async () => {
    const double = await start({
      mounts: [
        { path: 'secret', version: 2 },
        { path: 'pki', version: 1, type: 'pki' },
      ],
    });
    expect(await failure(connect(double, { enginePath: 'nope' }).list())).toMatchObject({
      reason: 'no-mount',
      status: 403,
    });
    expect(await failure(connect(double, { enginePath: 'pki' }).list())).toMatchObject({
      reason: 'not-kv',
    });
  });

  it('unreachable when nothing listens', async () => {
    const double = await startHashicorpDouble();
    const vault = connect(double);
    await double.close();
    expect((await failure(vault.list())).reason).toBe('unreachable');
  });

  it('cors when the request fails but the origin answers a no-cors probe', async () => {
    const double = await start();
    // What a browser does when Vault does not allow the page's origin: the request fails
    // without an answer, while an opaque no-cors request to the same origin gets through.
    const browserish: typeof fetch = async (input, init) => {
      if (init?.mode === 'no-cors') return fetch(input, init);
      throw new TypeError('Failed to fetch');
    };
    const error = await failure(connect(double, {}, { fetch: browserish }).list());
    expect(error.reason).toBe('cors');
  });

  it('mixed-content before any request when an https page calls an http address', async () => {
    let calls = 0;
    const counting: typeof fetch = async () => {
      calls += 1;
      throw new TypeError('no');
    };
    const settings = validateHashicorpSettings({
      kind: 'hashicorp',
      address: 'http://vault.example.com:8200',
      enginePath: 'secret',
      auth: { method: 'token', token: 't0ken' },
    });
    const vault = createHashicorpProvider(settings, {
      fetch: counting,
      now: Date.now,
      origin: 'https://coffer.example',
    });
    expect((await failure(vault.list())).reason).toBe('mixed-content');
    expect(calls).toBe(0);
  });

  it('throttled on 429, server on 500 and 503', async () => {
    const double = await start();
    const vault = connect(double);
    await vault.list();
    double.fail({ status: 429 });
    expect(await failure(vault.list())).toMatchObject({ reason: 'throttled', status: 429 });
    double.fail({ status: 500 });
    expect(await failure(vault.list())).toMatchObject({ reason: 'server', status: 500 });
    double.fail({ status: 503 });
    const sealed = await failure(vault.list());
    expect(sealed).toMatchObject({ reason: 'server', status: 503 });
    expect(sealed.detail).toMatch(/sealed/);
  });

  it('retries 412 (eventual consistency) up to 3 times, then says server', async () => {
    const double = await start();
    const vault = connect(double);
    await vault.write('a', { A: 1 }, 'absent');
    double.fail({ status: 412, count: 3, path: 'secret/data/a' });
    expect((await vault.read('a'))?.values).toStrictEqual({ A: 1 });
    double.fail({ status: 412, count: 4, path: 'secret/data/a' });
    expect(await failure(vault.read('a'))).toMatchObject({ reason: 'server', status: 412 });
  });

  it('timeout when the caller aborts or the answer is too slow', async () => {
    const double = await start();
    const vault = connect(double);
    await vault.list();
    double.fail({ delayMs: 300 });
    expect((await failure(vault.list(AbortSignal.timeout(30)))).reason).toBe('timeout');
    const gone = new AbortController();
    gone.abort();
    expect((await failure(vault.read('a', gone.signal))).reason).toBe('timeout');
  });

  it('never puts the token, role id or secret id in an error (canary)', async () => {
    const double = await start();
    const canary = 'hvs.CANARY-token-7f3a9c';
    double.addToken({ id: canary, policy: { 'secret/data/': ['read'] } });
    const errors: unknown[] = [];
    const vault = connect(double, { auth: { method: 'token', token: canary } });
    // A server that echoes what it got (a misconfigured proxy) must not leak it either.
    double.fail({ status: 500, message: `bad token ${canary}` });
    errors.push(await vault.list().catch((e: unknown) => e));
    errors.push(await vault.list().catch((e: unknown) => e));
    errors.push(await vault.write('a', { A: 1 }, 'absent').catch((e: unknown) => e));
    double.advanceClock(1);
    errors.push(
      await connect(double, { auth: { method: 'token', token: `${canary}-x` } })
        .test()
        .catch((e: unknown) => e),
    );
    const roleCanary = 'ROLE-CANARY-55';
    const secretCanary = 'SECRET-CANARY-66';
    double.fail({
      status: 400,
      message: `invalid role ${roleCanary} / ${secretCanary}`,
      path: 'login',
    });
    errors.push(
      await connect(double, {
        auth: { method: 'approle', roleId: roleCanary, secretId: secretCanary },
      })
        .list()
        .catch((e: unknown) => e),
    );
    expect(errors.every((e) => e instanceof ProviderError)).toBe(true);
    const text = errors
      .map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack}`)
      .join('\n');
    expect(text).toContain('[redacted]');
    for (const secret of [canary, roleCanary, secretCanary]) expect(text).not.toContain(secret);
  });
});
