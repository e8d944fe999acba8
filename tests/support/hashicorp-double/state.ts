/**
 * The double's state: mounts and their secrets, tokens, AppRoles, the clock, CORS and faults.
 * Plain data that the handlers read and tests reach directly (writeDirect, readDirect).
 */

export type Capability = 'read' | 'list' | 'create' | 'update' | 'delete' | 'sudo';

/** path prefix (inside the token's namespace) → capabilities; the longest prefix wins. */
export type Policy = Readonly<Record<string, readonly Capability[]>>;

export interface MountSpec {
  /** The mount path, no slashes at the ends (`secret`, `team/kv`). */
  readonly path: string;
  readonly version: 1 | 2;
  /** The namespace holding the mount ('' or absent: root). */
  readonly namespace?: string;
  /** KV v2 `cas_required` on the mount (api-docs/secret/kv/kv-v2#configure-the-kv-engine). */
  readonly casRequired?: boolean;
  /** Engine type for sys/internal/ui/mounts: 'kv' unless a test wants another engine. */
  readonly type?: string;
}

/** One KV v2 version (api-docs/secret/kv/kv-v2#read-secret-metadata, `versions`). */
export interface V2Version {
  data: Record<string, unknown> | null;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

export interface V2Secret {
  current_version: number;
  oldest_version: number;
  created_time: string;
  updated_time: string;
  cas_required: boolean;
  versions: Map<number, V2Version>;
}

export interface Mount extends Required<Omit<MountSpec, 'casRequired'>> {
  casRequired: boolean;
  /** v1: path → data; v2: path → secret with versions. */
  readonly v1: Map<string, Record<string, unknown>>;
  readonly v2: Map<string, V2Secret>;
}

export interface Token {
  readonly id: string;
  readonly accessor: string;
  readonly displayName: string;
  readonly namespace: string;
  readonly policy: Policy;
  /** Lease in seconds; 0: never expires (a root token). */
  ttl: number;
  /** Double clock (ms) at which it expires; undefined: never. */
  expiresAt: number | undefined;
  readonly renewable: boolean;
  /** Renewals never push expiry past this (the token's max TTL). */
  readonly maxExpiresAt: number | undefined;
}

export interface AppRole {
  readonly roleName: string;
  readonly roleId: string;
  readonly secretId: string;
  readonly policy: Policy;
  readonly ttl: number;
  readonly maxTtl: number;
  /** The auth mount (`approle` unless mounted elsewhere). */
  readonly mount: string;
  readonly namespace: string;
}

/** sys/config/cors (api-docs/system/config-cors). */
export interface CorsConfig {
  readonly enabled: boolean;
  /** Exact origins, or ['*']. */
  readonly allowedOrigins: readonly string[];
  /** Added to Vault's standard list. */
  readonly allowedHeaders: readonly string[];
}

/** Vault's StdAllowedHeaders (vault/cors.go), appended to any configured list. */
export const STD_ALLOWED_HEADERS = [
  'Content-Type',
  'X-Requested-With',
  'X-Vault-AWS-IAM-Server-ID',
  'X-Vault-MFA',
  'X-Vault-No-Request-Forwarding',
  'X-Vault-Wrap-Format',
  'X-Vault-Wrap-TTL',
  'X-Vault-Policy-Override',
  'Authorization',
  'X-Vault-Token',
] as const;

/** An injected failure: the next `count` requests (matching `path`, if given). */
export interface Fault {
  /** Answer with this status and `{"errors":[message]}` instead of handling. */
  readonly status?: 400 | 403 | 412 | 429 | 500 | 503;
  readonly message?: string;
  /** Wait this long before answering (or handling). */
  readonly delayMs?: number;
  /** Only requests whose path (after /v1/) contains this, or matches it. */
  readonly path?: string | RegExp;
  count: number;
}

export interface LoggedRequest {
  readonly method: string;
  /** As sent, query included. */
  readonly path: string;
  /** Header names only (lower case): values may be tokens. */
  readonly headers: readonly string[];
  readonly status: number;
}

export function createMount(spec: MountSpec): Mount {
  return {
    path: spec.path,
    version: spec.version,
    namespace: spec.namespace ?? '',
    type: spec.type ?? 'kv',
    casRequired: spec.casRequired ?? false,
    v1: new Map(),
    v2: new Map(),
  };
}

/** The capabilities a policy grants on `path`: the longest matching prefix (a simplification of ACL globs). */
export function capabilities(policy: Policy, path: string): readonly Capability[] {
  let best: string | undefined;
  for (const prefix of Object.keys(policy)) {
    if (path.startsWith(prefix) && (best === undefined || prefix.length > best.length))
      best = prefix;
  }
  return best === undefined ? [] : (policy[best] ?? []);
}

export const ROOT_POLICY: Policy = { '': ['read', 'list', 'create', 'update', 'delete', 'sudo'] };
