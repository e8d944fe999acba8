/**
 * A HashiCorp Vault double: a real `node:http` server on 127.0.0.1, written from Vault's
 * published API docs (api-docs/index#http-status-codes, secret/kv/kv-v2, secret/kv/kv-v1,
 * auth/approle, auth/token, system/internal-ui-mounts, system/config-cors). It answers what
 * the client meets in the field: the envelope, `{"errors":[]}` 404s, 404-with-metadata for a
 * deleted version, cas 400s, 403 "permission denied" for bad, expired or under-privileged
 * tokens, LIST and GET ?list=true, namespaces as path prefix or X-Vault-Namespace header, and
 * Vault's CORS wrapper (http/cors.go). Faults, a clock and a concurrent writer are the test's.
 * The handlers live in tests/support/hashicorp-double/.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthState,
  approleLogin,
  configCors,
  lookupSelf,
  newToken,
  renewSelf,
  uiMount,
  validToken,
} from './hashicorp-double/auth';
import { applyCors } from './hashicorp-double/cors';
import { denied, error, type Reply } from './hashicorp-double/envelope';
import { handleV1, handleV2, putV2 } from './hashicorp-double/kv';
import { startListRelay, VERB_HEADER } from './hashicorp-double/list-verb';
import {
  type AppRole,
  type Capability,
  type CorsConfig,
  capabilities,
  createMount,
  type Fault,
  type LoggedRequest,
  type Mount,
  type MountSpec,
  type Policy,
  ROOT_POLICY,
} from './hashicorp-double/state';

export type {
  Capability,
  CorsConfig,
  LoggedRequest,
  MountSpec,
  Policy,
} from './hashicorp-double/state';

export interface HashicorpDoubleOptions {
  /** Default: `secret` (KV v2) and `kv1` (KV v1), in the root namespace. */
  readonly mounts?: readonly MountSpec[];
  /** The root token's id (default 'root-token'): every capability, never expires. */
  readonly rootToken?: string;
  readonly cors?: Partial<CorsConfig>;
  /** The double's clock at start (ms). */
  readonly startTime?: number;
  /** false: sys/internal/ui/mounts answers 404, like a Vault older than the endpoint. */
  readonly uiMounts?: boolean;
}

export interface DirectSecret {
  readonly values: Record<string, unknown>;
  /** KV v2 version; 0 on KV v1. */
  readonly version: number;
  readonly deleted: boolean;
}

export interface HashicorpDouble {
  /** `http://127.0.0.1:<port>`, the Vault address. */
  readonly url: string;
  /** Same as url: the origin a page would name in allowed_origins. */
  readonly origin: string;
  readonly rootToken: string;
  /** Every request answered, in order (method, path, header names, status). */
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
  now(): number;
  advanceClock(ms: number): void;
  setCors(config: Partial<CorsConfig>): void;
  /** The next `count` (default 1) requests matching `path` fail (or wait) as described. */
  fail(fault: Omit<Fault, 'count'> & { count?: number }): void;
  clearFaults(): void;
  addMount(spec: MountSpec): void;
  addToken(spec: {
    id?: string;
    policy: Policy;
    ttlSeconds?: number;
    maxTtlSeconds?: number;
    renewable?: boolean;
    displayName?: string;
    namespace?: string;
  }): string;
  addAppRole(spec: {
    roleName: string;
    policy: Policy;
    ttlSeconds: number;
    maxTtlSeconds?: number;
    mount?: string;
    namespace?: string;
  }): { roleId: string; secretId: string };
  /** A concurrent writer: a new version (v2) or new data (v1) straight into the store. Returns the v2 version (0 for v1). */
  writeDirect(
    mount: string,
    path: string,
    values: Record<string, unknown>,
    namespace?: string,
  ): number;
  /** The store's view of a secret, bypassing HTTP and policies. */
  readDirect(mount: string, path: string, namespace?: string): DirectSecret | undefined;
  secret(mount: string, path: string, namespace?: string): DirectSecret | undefined;
}

const DEFAULT_FAULT_MESSAGES: Record<number, string> = {
  403: '1 error occurred:\n\t* permission denied\n\n',
  412: 'required index state not present',
  429: 'request path "x": rate limit quota exceeded',
  500: 'internal error',
  503: 'Vault is sealed',
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startHashicorpDouble(
  options: HashicorpDoubleOptions = {},
): Promise<HashicorpDouble> {
  let clock = options.startTime ?? Date.UTC(2026, 0, 1);
  const specs = options.mounts ?? [
    { path: 'secret', version: 2 },
    { path: 'kv1', version: 1 },
  ];
  const state: AuthState = {
    tokens: new Map(),
    appRoles: [] as AppRole[],
    mounts: specs.map(createMount),
    cors: { enabled: false, allowedOrigins: [], allowedHeaders: [], ...options.cors },
    uiMounts: options.uiMounts ?? true,
    now: () => clock,
  };
  const rootToken = options.rootToken ?? 'root-token';
  newToken(state, { id: rootToken, policy: ROOT_POLICY, displayName: 'root' });
  const faults: Fault[] = [];
  const requests: LoggedRequest[] = [];

  function namespaces(): Set<string> {
    const all = new Set<string>();
    for (const m of state.mounts) if (m.namespace !== '') all.add(m.namespace);
    for (const t of state.tokens.values()) if (t.namespace !== '') all.add(t.namespace);
    for (const r of state.appRoles) if (r.namespace !== '') all.add(r.namespace);
    return all;
  }

  /** Header namespace and path-prefix namespace combine (api-docs/index, "Namespaces"). */
  function splitNamespace(
    header: string | undefined,
    path: string,
  ): { namespace: string; rest: string } {
    const fromHeader = (header ?? '').replace(/^\/+|\/+$/g, '');
    const known = [...namespaces()].sort((a, b) => b.length - a.length);
    for (const ns of known) {
      const candidate =
        fromHeader === ''
          ? ns
          : ns.startsWith(`${fromHeader}/`)
            ? ns.slice(fromHeader.length + 1)
            : undefined;
      if (candidate !== undefined && path.startsWith(`${candidate}/`))
        return { namespace: ns, rest: path.slice(candidate.length + 1) };
    }
    return { namespace: fromHeader, rest: path };
  }

  function findMount(namespace: string, path: string): Mount | undefined {
    return state.mounts
      .filter(
        (m) => m.namespace === namespace && (path === m.path || path.startsWith(`${m.path}/`)),
      )
      .sort((a, b) => b.path.length - a.path.length)[0];
  }

  function takeFault(path: string): Fault | undefined {
    const fault = faults.find(
      (f) =>
        f.count > 0 &&
        (f.path === undefined ||
          (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))),
    );
    if (fault !== undefined) fault.count -= 1;
    return fault;
  }

  async function route(
    req: IncomingMessage,
    url: URL,
    rawMethod: string,
    body: unknown,
  ): Promise<Reply> {
    if (!url.pathname.startsWith('/v1/')) return error(404);
    const decoded = url.pathname.slice(4).split('/').map(decodeURIComponent).join('/');
    const list = rawMethod === 'LIST' || url.searchParams.get('list') === 'true';
    // PUT and POST are the same (api-docs/index); LIST is GET with list=true.
    const method = rawMethod === 'PUT' ? 'POST' : rawMethod === 'LIST' ? 'GET' : rawMethod;
    if (method !== 'GET' && method !== 'POST' && method !== 'DELETE')
      return error(405, 'unsupported operation');
    const nsHeader = req.headers['x-vault-namespace'];
    const { namespace, rest } = splitNamespace(
      typeof nsHeader === 'string' ? nsHeader : undefined,
      decoded,
    );

    if (rest === 'sys/health')
      return {
        status: 200,
        body: { initialized: true, sealed: false, standby: false, version: 'double' },
      };
    const login = /^auth\/(.+)\/login$/.exec(rest);
    if (login !== null && method === 'POST')
      return approleLogin(state, login[1] as string, namespace, body);

    const header =
      req.headers['x-vault-token'] ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
    const token = validToken(state, typeof header === 'string' ? header : undefined, namespace);
    if (token === undefined) return denied();

    if (rest === 'auth/token/lookup-self' && method === 'GET') return lookupSelf(state, token);
    if (rest === 'auth/token/renew-self' && method === 'POST') return renewSelf(state, token);
    if (rest.startsWith('sys/internal/ui/mounts/'))
      return uiMount(state, token, namespace, rest.slice('sys/internal/ui/mounts/'.length));
    if (rest === 'sys/config/cors') return configCors(state, token, namespace, method, body);

    const mount = findMount(namespace, rest.replace(/\/$/, ''));
    if (mount === undefined)
      return error(404, `no handler for route "${rest}". route entry not found.`);
    const below = rest === mount.path ? '' : rest.slice(mount.path.length + 1);
    const version = Number(url.searchParams.get('version') ?? Number.NaN);
    const kv = {
      mount,
      rest: below,
      method: method as 'GET' | 'POST' | 'DELETE',
      list,
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
      body,
      nowIso: new Date(clock).toISOString(),
      allow: (capability: Capability, aclPath: string) =>
        capabilities(token.policy, aclPath).includes(capability),
    };
    if (mount.type !== 'kv') return error(405, 'unsupported operation');
    return mount.version === 2 ? handleV2(kv) : handleV1(kv);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    const method = req.headers[VERB_HEADER] === 'LIST' ? 'LIST' : (req.method ?? 'GET');
    const send = (reply: Reply) => {
      const headers = Object.keys(req.headers).filter((h) => h !== VERB_HEADER);
      requests.push({
        method,
        path: `${url.pathname}${url.search}`,
        headers,
        status: reply.status,
      });
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      if (reply.body === undefined) {
        res.writeHead(reply.status).end();
        return;
      }
      res
        .writeHead(reply.status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(reply.body));
    };
    const c = applyCors(state.cors, req, res);
    if (c === 'preflight') return send({ status: 204 });
    if (c !== undefined) return send(c);
    const fault = takeFault(url.pathname.slice(4));
    if (fault?.delayMs !== undefined) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status !== undefined)
      return send(
        error(fault.status, fault.message ?? DEFAULT_FAULT_MESSAGES[fault.status] ?? 'fault'),
      );
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return send(error(400, 'failed to parse JSON input: invalid character'));
      }
    }
    send(await route(req, url, method, body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500).end(JSON.stringify({ errors: [`double failed: ${String(e)}`] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relay = await startListRelay((server.address() as AddressInfo).port);
  const url = `http://127.0.0.1:${relay.port}`;

  const direct = (mountPath: string, namespace = '') => {
    const mount = state.mounts.find((m) => m.path === mountPath && m.namespace === namespace);
    if (mount === undefined) throw new Error(`double: no mount ${namespace}/${mountPath}`);
    return mount;
  };
  const readDirect = (
    mountPath: string,
    path: string,
    namespace?: string,
  ): DirectSecret | undefined => {
    const mount = direct(mountPath, namespace);
    if (mount.version === 1) {
      const data = mount.v1.get(path);
      return data === undefined
        ? undefined
        : { values: structuredClone(data), version: 0, deleted: false };
    }
    const secret = mount.v2.get(path);
    const v = secret?.versions.get(secret.current_version);
    if (secret === undefined || v === undefined) return undefined;
    return {
      values: structuredClone(v.data ?? {}),
      version: secret.current_version,
      deleted: v.deletion_time !== '' || v.destroyed,
    };
  };

  return {
    url,
    origin: url,
    rootToken,
    requests,
    async close() {
      await relay.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
    now: () => clock,
    advanceClock(ms) {
      clock += ms;
    },
    setCors(config) {
      state.cors = { ...state.cors, ...config };
    },
    fail(fault) {
      faults.push({ ...fault, count: fault.count ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    addMount(spec) {
      state.mounts.push(createMount(spec));
    },
    addToken(spec) {
      return newToken(state, spec).id;
    },
    addAppRole(spec) {
      const role: AppRole = {
        roleName: spec.roleName,
        roleId: `role-${spec.roleName}-${state.appRoles.length}`,
        secretId: `secret-${Math.random().toString(36).slice(2)}`,
        policy: spec.policy,
        ttl: spec.ttlSeconds,
        maxTtl: spec.maxTtlSeconds ?? spec.ttlSeconds * 24,
        mount: spec.mount ?? 'approle',
        namespace: spec.namespace ?? '',
      };
      state.appRoles.push(role);
      return { roleId: role.roleId, secretId: role.secretId };
    },
    writeDirect(mountPath, path, values, namespace) {
      const mount = direct(mountPath, namespace);
      if (mount.version === 1) {
        mount.v1.set(path, structuredClone(values));
        return 0;
      }
      return putV2(mount, path, values, new Date(clock).toISOString());
    },
    readDirect,
    secret: readDirect,
  };
}
