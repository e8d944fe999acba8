/**
 * The KV secrets engine, both versions, written from api-docs/secret/kv/kv-v2 and
 * api-docs/secret/kv/kv-v1. A handler gets the path below the mount and answers what Vault
 * would, checking the token's capabilities through `allow` (ACL paths include the mount).
 */
import { denied, error, noContent, notFoundWith, ok, type Reply } from './envelope';
import type { Capability, Mount, V2Secret, V2Version } from './state';

export interface KvRequest {
  readonly mount: Mount;
  /** Below the mount, decoded, no leading slash; a list of a folder ends with '/' or is ''. */
  readonly rest: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly list: boolean;
  /** `?version=N` on a KV v2 read. */
  readonly version?: number;
  readonly body: unknown;
  readonly nowIso: string;
  readonly allow: (capability: Capability, aclPath: string) => boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Direct children of `folder` among `paths`: names, and sub-folders with a trailing '/'. */
export function listKeys(paths: Iterable<string>, folder: string): string[] {
  const base = folder === '' || folder.endsWith('/') ? folder : `${folder}/`;
  const keys = new Set<string>();
  for (const path of paths) {
    if (!path.startsWith(base)) continue;
    const rest = path.slice(base.length);
    const slash = rest.indexOf('/');
    keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  return [...keys].sort();
}

/** An empty or missing listing is 404 `{"errors":[]}` (api-docs/index#http-status-codes). */
function listing(keys: string[]): Reply {
  return keys.length === 0 ? error(404) : ok({ keys });
}

// ----- KV v1 (api-docs/secret/kv/kv-v1) -----

export function handleV1(req: KvRequest): Reply {
  const { mount, rest } = req;
  const acl = `${mount.path}/${rest}`;
  if (req.list) {
    if (!req.allow('list', acl)) return denied();
    return listing(listKeys(mount.v1.keys(), rest));
  }
  if (rest === '' || rest.endsWith('/')) return error(405, 'unsupported operation');
  if (req.method === 'GET') {
    if (!req.allow('read', acl)) return denied();
    const data = mount.v1.get(rest);
    return data === undefined ? error(404) : ok(structuredClone(data));
  }
  if (req.method === 'POST') {
    if (!req.allow(mount.v1.has(rest) ? 'update' : 'create', acl)) return denied();
    const data = record(req.body);
    // kv-v1 passthrough: "missing data fields" when the body is empty.
    if (data === undefined || Object.keys(data).length === 0)
      return error(400, 'missing data fields');
    mount.v1.set(rest, structuredClone(data));
    return noContent;
  }
  if (!req.allow('delete', acl)) return denied();
  mount.v1.delete(rest);
  return noContent;
}

// ----- KV v2 (api-docs/secret/kv/kv-v2) -----

function versionMeta(n: number, v: V2Version) {
  return {
    created_time: v.created_time,
    custom_metadata: null,
    deletion_time: v.deletion_time,
    destroyed: v.destroyed,
    version: n,
  };
}

/** Writes a new version; shared by POST data/<path> and the test's concurrent writer. */
export function putV2(
  mount: Mount,
  path: string,
  data: Record<string, unknown>,
  nowIso: string,
): number {
  let secret = mount.v2.get(path);
  if (secret === undefined) {
    secret = {
      current_version: 0,
      oldest_version: 0,
      created_time: nowIso,
      updated_time: nowIso,
      cas_required: false,
      versions: new Map(),
    };
    mount.v2.set(path, secret);
  }
  const version = secret.current_version + 1;
  secret.versions.set(version, {
    data: structuredClone(data),
    created_time: nowIso,
    deletion_time: '',
    destroyed: false,
  });
  secret.current_version = version;
  if (secret.oldest_version === 0) secret.oldest_version = version;
  secret.updated_time = nowIso;
  return version;
}

function versionsFrom(body: unknown): number[] | undefined {
  const versions = record(body)?.versions;
  if (
    !Array.isArray(versions) ||
    versions.length === 0 ||
    !versions.every((v) => Number.isInteger(v))
  )
    return undefined;
  return versions as number[];
}

const INVALID_V2_PATH =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

export function handleV2(req: KvRequest): Reply {
  const { mount } = req;
  const slash = req.rest.indexOf('/');
  const area = slash === -1 ? req.rest : req.rest.slice(0, slash);
  const path = slash === -1 ? '' : req.rest.slice(slash + 1);
  const acl = `${mount.path}/${req.rest}`;
  const secret = path === '' ? undefined : mount.v2.get(path);

  if (area === 'config') {
    // kv-v2#configure-the-kv-engine / #read-kv-engine-configuration
    if (req.method === 'GET')
      return req.allow('read', acl)
        ? ok({ cas_required: mount.casRequired, delete_version_after: '0s', max_versions: 0 })
        : denied();
    if (!req.allow('update', acl)) return denied();
    const cas = record(req.body)?.cas_required;
    if (typeof cas === 'boolean') mount.casRequired = cas;
    return noContent;
  }
  if (area === 'metadata' && req.list) {
    if (!req.allow('list', acl)) return denied();
    return listing(listKeys(mount.v2.keys(), path));
  }
  if (path === '' || path.endsWith('/'))
    return { ...error(404), body: { errors: [], warnings: [INVALID_V2_PATH] } };

  switch (`${area} ${req.method}`) {
    case 'data GET': {
      // kv-v2#read-secret-version
      if (!req.allow('read', acl)) return denied();
      if (secret === undefined) return error(404);
      const n = req.version ?? secret.current_version;
      const v = secret.versions.get(n);
      if (v === undefined) return error(404);
      if (v.deletion_time !== '' || v.destroyed)
        return notFoundWith({ data: null, metadata: versionMeta(n, v) });
      return ok({ data: structuredClone(v.data), metadata: versionMeta(n, v) });
    }
    case 'data POST': {
      // kv-v2#create-update-secret: the cas rules of the plugin's path_data.go
      if (!req.allow(secret === undefined ? 'create' : 'update', acl)) return denied();
      const body = record(req.body);
      const data = record(body?.data);
      if (data === undefined) return error(400, 'no data provided');
      const cas = record(body?.options)?.cas;
      if (cas === undefined && (mount.casRequired || secret?.cas_required === true)) {
        return error(400, 'check-and-set parameter required for this call');
      }
      if (cas !== undefined && cas !== (secret?.current_version ?? 0)) {
        return error(400, 'check-and-set parameter did not match the current version');
      }
      const version = putV2(mount, path, data, req.nowIso);
      const v = mount.v2.get(path)?.versions.get(version) as V2Version;
      return ok(versionMeta(version, v));
    }
    case 'data DELETE': {
      // kv-v2#delete-latest-version-of-secret
      if (!req.allow('delete', acl)) return denied();
      const v = secret?.versions.get(secret.current_version);
      if (v !== undefined && v.deletion_time === '') v.deletion_time = req.nowIso;
      return noContent;
    }
    case 'delete POST':
    case 'undelete POST':
    case 'destroy POST': {
      // kv-v2#delete-secret-versions, #undelete-secret-versions, #destroy-secret-versions
      if (!req.allow('update', acl)) return denied();
      const versions = versionsFrom(req.body);
      if (versions === undefined) return error(400, 'no version number provided');
      for (const n of versions) {
        const v = secret?.versions.get(n);
        if (v === undefined) continue;
        if (area === 'delete' && v.deletion_time === '') v.deletion_time = req.nowIso;
        if (area === 'undelete' && !v.destroyed) v.deletion_time = '';
        if (area === 'destroy') {
          v.destroyed = true;
          v.data = null;
        }
      }
      return noContent;
    }
    case 'metadata GET':
      // kv-v2#read-secret-metadata
      if (!req.allow('read', acl)) return denied();
      return secret === undefined ? error(404) : ok(metadataOf(secret));
    case 'metadata POST': {
      if (!req.allow(secret === undefined ? 'create' : 'update', acl)) return denied();
      const cas = record(req.body)?.cas_required;
      if (secret !== undefined && typeof cas === 'boolean') secret.cas_required = cas;
      return noContent;
    }
    case 'metadata DELETE':
      // kv-v2#delete-metadata-and-all-versions
      if (!req.allow('delete', acl)) return denied();
      mount.v2.delete(path);
      return noContent;
    default:
      return { ...error(404), body: { errors: [], warnings: [INVALID_V2_PATH] } };
  }
}

function metadataOf(secret: V2Secret) {
  const versions: Record<string, unknown> = {};
  for (const [n, v] of secret.versions)
    versions[String(n)] = {
      created_time: v.created_time,
      deletion_time: v.deletion_time,
      destroyed: v.destroyed,
    };
  return {
    cas_required: secret.cas_required,
    created_time: secret.created_time,
    current_version: secret.current_version,
    custom_metadata: null,
    delete_version_after: '0s',
    max_versions: 0,
    oldest_version: secret.oldest_version,
    updated_time: secret.updated_time,
    versions,
  };
}
