import { RemoteConflictError } from '../errors';
import { asRemoteVersion, type RemoteSecret, type RemoteVersion } from '../types';
import { type Call, forbidden, inMount, type KvContext, record, type Values } from './context';
import { encodePath, errorsMention } from './http';
import type { KvMount } from './mount';

/**
 * KV version 2 (api-docs/secret/kv/kv-v2): versions, check-and-set, soft delete. A path is
 * under data/ for values, metadata/ for versions and listing.
 */

/** GET <mount>/data/<path> (api-docs/secret/kv/kv-v2#read-secret-version). */
export async function readV2(
  ctx: KvContext,
  m: KvMount,
  path: string,
  signal?: AbortSignal,
): Promise<RemoteSecret | undefined> {
  const where = `${m.mount}/data/${inMount(m, path)}`;
  const call: Call = {
    method: 'GET',
    path: `${m.mount}/data/${encodePath(inMount(m, path))}`,
    signal,
    operation: 'read',
    secretPath: path,
  };
  const answer = await ctx.authed(call, forbidden('read', where));
  // 404 is "none": `{"errors":[]}` for a path never written, and a normal body whose
  // metadata has deletion_time/destroyed for a deleted latest version.
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw ctx.http.unexpected(call, answer);
  const data = record(answer.body?.data);
  const metadata = record(data?.metadata);
  if (data?.data === null && metadata !== undefined) return undefined;
  const values = record(data?.data);
  if (values === undefined)
    throw ctx.http.fail(
      'not-an-object',
      call,
      answer,
      'the secret is not a JSON object of KEY: value',
    );
  const version = metadata?.version;
  if (typeof version !== 'number')
    throw ctx.http.fail('refused', call, answer, 'the answer has no version');
  return { path, values: values as Values, version: asRemoteVersion(String(version)) };
}

/**
 * POST <mount>/data/<path> {data, options: {cas}} (api-docs/secret/kv/kv-v2#create-update-secret):
 * cas 0 writes only if the key does not exist, cas N only if N is the current version; Vault
 * refuses otherwise with 400 "check-and-set parameter did not match the current version".
 */
export async function writeV2(
  ctx: KvContext,
  m: KvMount,
  path: string,
  values: Values,
  expected: RemoteVersion | 'absent',
  signal?: AbortSignal,
): Promise<RemoteVersion> {
  const cas = expected === 'absent' ? 0 : Number(expected);
  if (!Number.isSafeInteger(cas) || cas < 0)
    throw new RemoteConflictError('hashicorp', path, expected);
  const answer = await postV2(ctx, m, path, values, cas, expected, signal);
  if (answer.kind === 'written') return answer.version;
  // A deleted latest version still counts for cas, yet read() calls it absent: a write
  // against 'absent' then goes on top of that deleted version, still atomically.
  if (expected === 'absent' && answer.actual === 'absent' && answer.current !== undefined) {
    const retry = await postV2(ctx, m, path, values, answer.current, expected, signal);
    if (retry.kind === 'written') return retry.version;
    throw new RemoteConflictError('hashicorp', path, expected, retry.actual);
  }
  throw new RemoteConflictError('hashicorp', path, expected, answer.actual);
}

export async function postV2(
  ctx: KvContext,
  m: KvMount,
  path: string,
  values: Values,
  cas: number,
  expected: RemoteVersion | 'absent',
  signal?: AbortSignal,
): Promise<
  | { kind: 'written'; version: RemoteVersion }
  | { kind: 'conflict'; actual?: RemoteVersion | 'absent'; current?: number }
> {
  const inner = inMount(m, path);
  const call: Call = {
    method: 'POST',
    path: `${m.mount}/data/${encodePath(inner)}`,
    body: { data: values, options: { cas } },
    signal,
    operation: 'write',
    secretPath: path,
  };
  const answer = await ctx.authed(
    call,
    forbidden(expected === 'absent' ? 'create' : 'update', `${m.mount}/data/${inner}`),
  );
  if (answer.status === 200) {
    const version = record(answer.body?.data)?.version;
    if (typeof version !== 'number')
      throw ctx.http.fail('refused', call, answer, 'the answer has no version');
    return { kind: 'written', version: asRemoteVersion(String(version)) };
  }
  if (answer.status === 400 && errorsMention(answer, 'check-and-set')) {
    const state = await metadataState(ctx, m, path, signal).catch(() => undefined);
    return { kind: 'conflict', ...state };
  }
  throw ctx.http.unexpected(call, answer);
}

/**
 * GET <mount>/metadata/<path> (api-docs/secret/kv/kv-v2#read-secret-metadata): the current
 * version, and 'absent' when it is deleted or destroyed (as read() sees it).
 */
export async function metadataState(
  ctx: KvContext,
  m: KvMount,
  path: string,
  signal?: AbortSignal,
): Promise<{ actual?: RemoteVersion | 'absent'; current?: number }> {
  const inner = inMount(m, path);
  const call: Call = {
    method: 'GET',
    path: `${m.mount}/metadata/${encodePath(inner)}`,
    signal,
    operation: 'read metadata',
    secretPath: path,
  };
  const answer = await ctx.authed(call, forbidden('read', `${m.mount}/metadata/${inner}`));
  if (answer.status === 404) return { actual: 'absent' };
  if (answer.status !== 200) throw ctx.http.unexpected(call, answer);
  const data = record(answer.body?.data);
  const current = data?.current_version;
  if (typeof current !== 'number' || current === 0) return { actual: 'absent' };
  const latest = record(record(data?.versions)?.[String(current)]);
  const gone =
    latest?.destroyed === true ||
    (typeof latest?.deletion_time === 'string' && latest.deletion_time !== '');
  return { actual: gone ? 'absent' : asRemoteVersion(String(current)), current };
}
