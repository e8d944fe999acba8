/**
 * The Vault double itself, with raw requests: what the client tests cannot see from Node's
 * fetch (CORS headers; a browser would act on them), and the API facts the double claims to
 * follow, so a drift in the double fails here rather than passing a wrong client.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
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

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** node:http, so that Origin and the LIST verb go out exactly as written. */
function raw(
  double: HashicorpDouble,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${double.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text === '' ? undefined : JSON.parse(text),
        });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

const PAGE = 'https://coffer.example';

describe('CORS (sys/config/cors, http/cors.go)', () => {
  it('is off by default: no Access-Control-Allow-Origin, not even on a preflight', async () => {
    const double = await start();
    const get = await raw(double, 'GET', '/v1/sys/health', { Origin: PAGE });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await raw(double, 'OPTIONS', '/v1/secret/data/a', {
      Origin: PAGE,
      'Access-Control-Request-Method': 'GET',
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("answers an allowed origin with Vault's methods, standard headers and max-age 300", async () => {
    const double = await start({ cors: { enabled: true, allowedOrigins: [PAGE] } });
    const pre = await raw(double, 'OPTIONS', '/v1/secret/data/a', {
      Origin: PAGE,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'x-vault-token,content-type',
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(PAGE);
    expect(pre.headers['access-control-allow-methods']).toBe('DELETE,GET,OPTIONS,POST,PUT,LIST');
    expect(pre.headers['access-control-max-age']).toBe('300');
    const allowed = String(pre.headers['access-control-allow-headers']).split(',');
    expect(allowed).toContain('X-Vault-Token');
    expect(allowed).toContain('Content-Type');
    expect(allowed).not.toContain('X-Vault-Namespace');
    expect(allowed).not.toContain('PATCH');
    const get = await raw(double, 'GET', '/v1/secret/data/a', {
      Origin: PAGE,
      'X-Vault-Token': double.rootToken,
    });
    expect(get.status).toBe(404);
    expect(get.headers['access-control-allow-origin']).toBe(PAGE);
    expect(get.body).toStrictEqual({ errors: [] });
  });

  it('refuses another origin with 403 "origin not allowed" and no ACAO; a method outside the list with 405', async () => {
    const double = await start({ cors: { enabled: true, allowedOrigins: [PAGE] } });
    const other = await raw(double, 'GET', '/v1/sys/health', { Origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    expect(other.body).toStrictEqual({ errors: ['origin not allowed'] });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const patch = await raw(double, 'OPTIONS', '/v1/secret/data/a', {
      Origin: PAGE,
      'Access-Control-Request-Method': 'PATCH',
    });
    expect(patch.status).toBe(405);
  });

  it('is set at runtime through POST /v1/sys/config/cors with a sudo token only', async () => {
    const double = await start();
    const plain = double.addToken({ policy: { 'sys/': ['read', 'update'] } });
    const refused = await raw(
      double,
      'POST',
      '/v1/sys/config/cors',
      { 'X-Vault-Token': plain },
      { allowed_origins: [PAGE] },
    );
    expect(refused.status).toBe(403);
    expect(
      (await raw(double, 'GET', '/v1/sys/health', { Origin: PAGE })).headers[
        'access-control-allow-origin'
      ],
    ).toBeUndefined();
    const set = await raw(
      double,
      'POST',
      '/v1/sys/config/cors',
      { 'X-Vault-Token': double.rootToken },
      { allowed_origins: [PAGE], allowed_headers: ['X-Vault-Namespace'] },
    );
    expect(set.status).toBe(204);
    const pre = await raw(double, 'OPTIONS', '/v1/x', {
      Origin: PAGE,
      'Access-Control-Request-Method': 'GET',
    });
    expect(String(pre.headers['access-control-allow-headers']).split(',')).toContain(
      'X-Vault-Namespace',
    );
    const read = await raw(double, 'GET', '/v1/sys/config/cors', {
      'X-Vault-Token': double.rootToken,
    });
    expect((read.body as { data: unknown }).data).toStrictEqual({
      enabled: true,
      allowed_origins: [PAGE],
      allowed_headers: ['X-Vault-Namespace'],
    });
    double.setCors({ enabled: false });
    expect(
      (await raw(double, 'GET', '/v1/sys/health', { Origin: PAGE })).headers[
        'access-control-allow-origin'
      ],
    ).toBeUndefined();
  });
});

describe('Vault API facts the double follows', () => {
  const token = (d: HashicorpDouble) => ({ 'X-Vault-Token': d.rootToken });

  it('answers the envelope, 404 {"errors":[]} for missing secrets and empty lists, and LIST like ?list=true', async () => {
    const double = await start();
    const write = await raw(double, 'POST', '/v1/secret/data/f/a', token(double), {
      data: { A: 1 },
    });
    expect(Object.keys(write.body as object).sort()).toStrictEqual([
      'auth',
      'data',
      'lease_duration',
      'lease_id',
      'mount_type',
      'renewable',
      'request_id',
      'warnings',
      'wrap_info',
    ]);
    expect((await raw(double, 'GET', '/v1/secret/data/none', token(double))).body).toStrictEqual({
      errors: [],
    });
    expect(
      (await raw(double, 'GET', '/v1/secret/metadata/empty/?list=true', token(double))).status,
    ).toBe(404);
    const viaGet = await raw(double, 'GET', '/v1/secret/metadata/?list=true', token(double));
    const viaList = await raw(double, 'LIST', '/v1/secret/metadata/', token(double));
    expect((viaGet.body as { data: unknown }).data).toStrictEqual({ keys: ['f/'] });
    expect((viaList.body as { data: unknown }).data).toStrictEqual({ keys: ['f/'] });
  });

  it('answers a soft-deleted read with 404 and the metadata, a cas mismatch with 400', async () => {
    const double = await start();
    await raw(double, 'POST', '/v1/secret/data/a', token(double), { data: { A: 1 } });
    const bad = await raw(double, 'POST', '/v1/secret/data/a', token(double), {
      data: { A: 2 },
      options: { cas: 0 },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { errors: ['check-and-set parameter did not match the current version'] },
    });
    expect((await raw(double, 'DELETE', '/v1/secret/data/a', token(double))).status).toBe(204);
    const gone = await raw(double, 'GET', '/v1/secret/data/a', token(double));
    expect(gone.status).toBe(404);
    expect(
      (gone.body as { data: { data: unknown; metadata: { deletion_time: string } } }).data.data,
    ).toBeNull();
    expect(
      (gone.body as { data: { metadata: { deletion_time: string } } }).data.metadata.deletion_time,
    ).not.toBe('');
    expect(double.secret('secret', 'a')).toMatchObject({ version: 1, deleted: true });
  });

  it('takes the namespace from the path prefix or the X-Vault-Namespace header alike', async () => {
    const double = await start({ mounts: [{ path: 'kv', version: 2, namespace: 'ns1' }] });
    const t = double.addToken({
      policy: { 'kv/': ['read', 'create', 'update'] },
      namespace: 'ns1',
    });
    expect(
      (await raw(double, 'POST', '/v1/ns1/kv/data/a', { 'X-Vault-Token': t }, { data: { A: 1 } }))
        .status,
    ).toBe(200);
    const viaHeader = await raw(double, 'GET', '/v1/kv/data/a', {
      'X-Vault-Token': t,
      'X-Vault-Namespace': 'ns1/',
    });
    expect((viaHeader.body as { data: { data: unknown } }).data.data).toStrictEqual({ A: 1 });
    expect((await raw(double, 'GET', '/v1/kv/data/a', { 'X-Vault-Token': t })).status).toBe(403);
  });

  it('expires tokens on its clock with 403 permission denied, and logs header names only', async () => {
    const double = await start();
    const t = double.addToken({ policy: { 'secret/': ['read'] }, ttlSeconds: 10 });
    expect(
      (await raw(double, 'GET', '/v1/auth/token/lookup-self', { 'X-Vault-Token': t })).status,
    ).toBe(200);
    double.advanceClock(10_000);
    const late = await raw(double, 'GET', '/v1/auth/token/lookup-self', { 'X-Vault-Token': t });
    expect(late).toMatchObject({
      status: 403,
      body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] },
    });
    expect(JSON.stringify(double.requests)).not.toContain(t);
    expect(double.requests[0]?.headers).toContain('x-vault-token');
  });

  it('refuses a bad AppRole login with 400 "invalid role or secret ID"', async () => {
    const double = await start();
    const ids = double.addAppRole({ roleName: 'r', policy: {}, ttlSeconds: 60 });
    const bad = await raw(
      double,
      'POST',
      '/v1/auth/approle/login',
      {},
      { role_id: ids.roleId, secret_id: 'nope' },
    );
    expect(bad).toMatchObject({ status: 400, body: { errors: ['invalid role or secret ID'] } });
    const good = await raw(
      double,
      'POST',
      '/v1/auth/approle/login',
      {},
      { role_id: ids.roleId, secret_id: ids.secretId },
    );
    expect(
      (good.body as { auth: { lease_duration: number; renewable: boolean } }).auth,
    ).toMatchObject({ lease_duration: 60, renewable: true });
  });

  it('reports each mount through sys/internal/ui/mounts, 403 where there is none', async () => {
    const double = await start();
    const v2 = await raw(
      double,
      'GET',
      '/v1/sys/internal/ui/mounts/secret/deep/path',
      token(double),
    );
    expect((v2.body as { data: unknown }).data).toMatchObject({
      path: 'secret/',
      type: 'kv',
      options: { version: '2' },
    });
    const v1 = await raw(double, 'GET', '/v1/sys/internal/ui/mounts/kv1', token(double));
    expect((v1.body as { data: unknown }).data).toMatchObject({
      path: 'kv1/',
      options: { version: '1' },
    });
    expect(
      (await raw(double, 'GET', '/v1/sys/internal/ui/mounts/nope', token(double))).status,
    ).toBe(403);
  });
});
