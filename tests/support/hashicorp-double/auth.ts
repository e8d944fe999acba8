/**
 * Tokens, AppRole and the sys endpoints the client uses: api-docs/auth/token
 * (#lookup-a-token-self, #renew-a-token-self), api-docs/auth/approle#login-with-approle,
 * api-docs/system/internal-ui-mounts, api-docs/system/config-cors.
 */
import { randomBytes } from 'node:crypto';
import { denied, error, noContent, ok, type Reply } from './envelope';
import {
  type AppRole,
  type Capability,
  type CorsConfig,
  capabilities,
  type Mount,
  type Policy,
  type Token,
} from './state';

export interface AuthState {
  readonly tokens: Map<string, Token>;
  readonly appRoles: AppRole[];
  readonly mounts: Mount[];
  cors: CorsConfig;
  uiMounts: boolean;
  now(): number;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function newToken(
  state: AuthState,
  spec: {
    id?: string;
    policy: Policy;
    ttlSeconds?: number;
    maxTtlSeconds?: number;
    renewable?: boolean;
    displayName?: string;
    namespace?: string;
  },
): Token {
  const ttl = spec.ttlSeconds ?? 0;
  const now = state.now();
  const token: Token = {
    id: spec.id ?? `hvs.${randomBytes(18).toString('base64url')}`,
    accessor: randomBytes(12).toString('base64url'),
    displayName: spec.displayName ?? 'token',
    namespace: spec.namespace ?? '',
    policy: spec.policy,
    ttl,
    expiresAt: ttl > 0 ? now + ttl * 1000 : undefined,
    renewable: spec.renewable ?? ttl > 0,
    maxExpiresAt: spec.maxTtlSeconds === undefined ? undefined : now + spec.maxTtlSeconds * 1000,
  };
  state.tokens.set(token.id, token);
  return token;
}

/** The token, if it exists, has not expired and belongs to the request's namespace. */
export function validToken(
  state: AuthState,
  id: string | undefined,
  namespace: string,
): Token | undefined {
  const token = id === undefined ? undefined : state.tokens.get(id);
  if (token === undefined || token.namespace !== namespace) return undefined;
  if (token.expiresAt !== undefined && token.expiresAt <= state.now()) {
    state.tokens.delete(token.id); // Vault revokes an expired token
    return undefined;
  }
  return token;
}

function remaining(state: AuthState, token: Token): number {
  return token.expiresAt === undefined
    ? 0
    : Math.max(0, Math.round((token.expiresAt - state.now()) / 1000));
}

function authBlock(state: AuthState, token: Token, metadata: Record<string, string> | null) {
  return {
    client_token: token.id,
    accessor: token.accessor,
    policies: ['default'],
    token_policies: ['default'],
    metadata,
    lease_duration: remaining(state, token),
    renewable: token.renewable,
    entity_id: '',
    token_type: 'service',
    orphan: true,
  };
}

/** POST auth/<mount>/login {role_id, secret_id}; bad credentials are 400 "invalid role or secret ID". */
export function approleLogin(
  state: AuthState,
  mount: string,
  namespace: string,
  body: unknown,
): Reply {
  const input = record(body);
  const role = state.appRoles.find(
    (r) =>
      r.mount === mount &&
      r.namespace === namespace &&
      r.roleId === input?.role_id &&
      r.secretId === input?.secret_id,
  );
  if (role === undefined) {
    if (typeof input?.role_id !== 'string' || input.role_id === '')
      return error(400, 'missing role_id');
    return error(400, 'invalid role or secret ID');
  }
  const token = newToken(state, {
    policy: role.policy,
    ttlSeconds: role.ttl,
    maxTtlSeconds: role.maxTtl,
    renewable: true,
    displayName: `approle`,
    namespace,
  });
  return ok(null, { auth: authBlock(state, token, { role_name: role.roleName }) });
}

export function lookupSelf(state: AuthState, token: Token): Reply {
  return ok({
    accessor: token.accessor,
    creation_ttl: token.ttl,
    display_name: token.displayName,
    entity_id: '',
    expire_time: token.expiresAt === undefined ? null : iso(token.expiresAt),
    explicit_max_ttl: 0,
    id: token.id,
    meta: null,
    num_uses: 0,
    orphan: true,
    path: 'auth/token/create',
    policies: ['default'],
    renewable: token.renewable,
    ttl: remaining(state, token),
    type: 'service',
  });
}

/** Extends the lease by its TTL, never past the max TTL (auth/token#renew-a-token-self). */
export function renewSelf(state: AuthState, token: Token): Reply {
  if (!token.renewable || token.expiresAt === undefined)
    return error(400, 'lease is not renewable');
  let next = state.now() + token.ttl * 1000;
  if (token.maxExpiresAt !== undefined) next = Math.min(next, token.maxExpiresAt);
  token.expiresAt = next;
  return ok(null, { auth: authBlock(state, token, null) });
}

/**
 * GET sys/internal/ui/mounts/<path>: the mount holding `path` if the token has any capability
 * under it; 403 otherwise, also when there is no mount (Vault hides which mounts exist).
 */
export function uiMount(state: AuthState, token: Token, namespace: string, path: string): Reply {
  if (!state.uiMounts) return error(404); // a Vault older than the endpoint
  const mount = state.mounts
    .filter((m) => m.namespace === namespace && (path === m.path || path.startsWith(`${m.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (mount === undefined) return denied();
  const sees = Object.entries(token.policy).some(
    ([prefix, caps]) =>
      caps.length > 0 && (prefix.startsWith(mount.path) || mount.path.startsWith(prefix)),
  );
  if (!sees) return denied();
  return ok({
    accessor: `${mount.type}_${mount.path.length}`,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    description: '',
    external_entropy_access: false,
    local: false,
    options: mount.type === 'kv' ? { version: String(mount.version) } : null,
    path: `${mount.path}/`,
    plugin_version: '',
    running_plugin_version: '',
    seal_wrap: false,
    type: mount.type,
    uuid: '00000000-0000-4000-8000-000000000000',
  });
}

/** sys/config/cors: root namespace only, sudo required (api-docs/system/config-cors). */
export function configCors(
  state: AuthState,
  token: Token,
  namespace: string,
  method: string,
  body: unknown,
): Reply {
  const can = (c: Capability) => capabilities(token.policy, 'sys/config/cors').includes(c);
  if (namespace !== '' || !can('sudo')) return denied();
  if (method === 'GET') {
    return ok({
      enabled: state.cors.enabled,
      allowed_origins: state.cors.allowedOrigins,
      allowed_headers: state.cors.allowedHeaders,
    });
  }
  if (method === 'DELETE') {
    state.cors = { enabled: false, allowedOrigins: [], allowedHeaders: [] };
    return noContent;
  }
  const input = record(body);
  const origins = input?.allowed_origins;
  const list =
    typeof origins === 'string' ? origins.split(',') : Array.isArray(origins) ? origins : undefined;
  if (list === undefined || list.length === 0 || !list.every((o) => typeof o === 'string')) {
    return error(400, 'at least one origin or the wildcard must be provided');
  }
  if (list.includes('*') && list.length > 1)
    return error(400, "to allow all origins the '*' must be the only value for allowed_origins");
  const headers = Array.isArray(input?.allowed_headers) ? (input.allowed_headers as string[]) : [];
  state.cors = { enabled: true, allowedOrigins: list as string[], allowedHeaders: headers };
  return noContent;
}
