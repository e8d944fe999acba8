import { RemoteConflictError } from '../errors';
import { asRemoteVersion, type RemoteSecret, type RemoteVersion } from '../types';
import { type Call, forbidden, inMount, type KvContext, record, type Values } from './context';
import { contentDigest } from './digest';
import { encodePath } from './http';
import type { KvMount } from './mount';

/**
 * KV version 1 (api-docs/secret/kv/kv-v1): one value per path, no versions, no cas, no soft
 * delete. Coffer's version of a v1 secret is a digest of its content.
 */

/** GET <mount>/<path> (api-docs/secret/kv/kv-v1#read-secret); the version is a digest. */
export async function readV1(
  ctx: KvContext,
  m: KvMount,
  path: string,
  signal?: AbortSignal,
): Promise<RemoteSecret | undefined> {
  const where = `${m.mount}/${inMount(m, path)}`;
  const call: Call = {
    method: 'GET',
    path: `${m.mount}/${encodePath(inMount(m, path))}`,
    signal,
    operation: 'read',
    secretPath: path,
  };
  const answer = await ctx.authed(call, forbidden('read', where));
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw ctx.http.unexpected(call, answer);
  const values = record(answer.body?.data);
  if (values === undefined)
    throw ctx.http.fail(
      'not-an-object',
      call,
      answer,
      'the secret is not a JSON object of KEY: value',
    );
  return {
    path,
    values: values as Values,
    version: asRemoteVersion(contentDigest(values as Values)),
  };
}

/**
 * KV v1 has no cas (api-docs/secret/kv/kv-v1#create-update-secret): Coffer reads just before
 * writing and compares with `expected`, writes, then reads again to see its own data. A
 * writer slipping between the first read and the write is not caught (hence 'best-effort').
 */
export async function writeV1(
  ctx: KvContext,
  m: KvMount,
  path: string,
  values: Values,
  expected: RemoteVersion | 'absent',
  signal?: AbortSignal,
): Promise<RemoteVersion> {
  const before = await readV1(ctx, m, path, signal);
  const actual = before?.version ?? 'absent';
  if (actual !== expected) throw new RemoteConflictError('hashicorp', path, expected, actual);
  const inner = inMount(m, path);
  const call: Call = {
    method: 'POST',
    path: `${m.mount}/${encodePath(inner)}`,
    body: values,
    signal,
    operation: 'write',
    secretPath: path,
  };
  const answer = await ctx.authed(
    call,
    forbidden(expected === 'absent' ? 'create' : 'update', `${m.mount}/${inner}`),
  );
  if (answer.status !== 200 && answer.status !== 204) throw ctx.http.unexpected(call, answer);
  const mine = asRemoteVersion(contentDigest(values));
  const after = await readV1(ctx, m, path, signal);
  if (after?.version !== mine)
    throw new RemoteConflictError('hashicorp', path, expected, after?.version ?? 'absent');
  return mine;
}
