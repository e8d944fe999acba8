import { validateJsonValue } from '../../vault';
import { ProviderError } from '../errors';
import type {
  CasStrength,
  ConnectionReport,
  DeletedSecret,
  HashicorpSettings,
  RemoteSecret,
  RemoteVersion,
  SecretsProvider,
} from '../types';
import {
  type Call,
  forbidden,
  inMount,
  type KvContext,
  type On403,
  record,
  type Values,
} from './context';
import { encodePath, type HashicorpDeps, type VaultAnswer, VaultHttp } from './http';
import { readV1, writeV1 } from './kv1';
import { metadataState, readV2, writeV2 } from './kv2';
import { interpretMount, type KvMount } from './mount';
import { VaultSession } from './session';

/** A secret path as the rest of Coffer names it: segments, no leading/trailing slash, no `..`. */
function checkSecretPath(path: string, operation: string): void {
  const ok = path !== '' && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (!ok)
    throw new ProviderError('hashicorp', 'refused', operation, {
      path,
      detail: 'not a valid secret path',
    });
}

/** Values go out as JSON exactly (no String(v)): anything JSON cannot carry is refused first. */
function checkValues(values: Values, path: string): void {
  let problem: string | undefined;
  if (record(values) === undefined) problem = 'values must be a JSON object of KEY: value';
  else {
    try {
      validateJsonValue(values);
    } catch (error) {
      // The JSON error names where (`$.A.b`), never the value.
      problem = error instanceof Error ? error.message : 'values are not JSON';
    }
  }
  if (problem !== undefined)
    throw new ProviderError('hashicorp', 'refused', 'write', { path, detail: problem });
}

/**
 * The HashiCorp Vault (and OpenBao) SecretsProvider; see index.ts for the contract.
 * @example
 * const vault = createHashicorpProvider(settings, { fetch: globalThis.fetch.bind(globalThis), now: Date.now });
 */
export function createHashicorpProvider(
  settings: HashicorpSettings,
  deps: HashicorpDeps,
): SecretsProvider {
  return new HashicorpProvider(settings, deps);
}

class HashicorpProvider implements SecretsProvider {
  readonly kind = 'hashicorp' as const;
  private readonly http: VaultHttp;
  private readonly session: VaultSession;
  private detected: Promise<KvMount> | undefined;
  private known: KvMount | undefined;
  /** What kv1.ts and kv2.ts use of this provider. */
  private readonly ctx: KvContext;

  constructor(
    private readonly settings: HashicorpSettings,
    deps: HashicorpDeps,
  ) {
    this.http = new VaultHttp(settings, deps);
    this.ctx = { http: this.http, authed: (call, on403) => this.authed(call, on403) };
    this.session = new VaultSession(settings, this.http, deps.now);
  }

  /** 'best-effort' until the mount is known to be KV v2: never claims more than it has seen. */
  get cas(): CasStrength {
    return this.known?.version === 2 ? 'atomic' : 'best-effort';
  }

  // ----- requests with a token -----

  /**
   * Sends with the session's token. A 403 with AppRole logs in again once and retries (the
   * token may have been revoked); a 403 that remains is `on403` if the token is good, 'auth'
   * if Vault no longer knows the token (checked with lookup-self for Token auth).
   */
  private async authed(call: Call, on403: On403): Promise<VaultAnswer> {
    let answer = await this.http.send({ ...call, token: await this.session.token(call.signal) });
    if (answer.status !== 403) return answer;
    if (this.session.isAppRole) {
      await this.session.relogin(call.signal);
      answer = await this.http.send({ ...call, token: await this.session.token(call.signal) });
      if (answer.status !== 403) return answer;
    } else {
      const { answer: self } = await this.session.lookupSelf(call.signal);
      if (self.status === 403 || self.status === 401) {
        throw this.http.fail('auth', call, answer, 'the token is invalid or expired');
      }
    }
    throw this.http.fail(on403.reason, call, answer, on403.detail);
  }

  private mount(signal?: AbortSignal): Promise<KvMount> {
    this.detected ??= this.detect(signal).catch((error: unknown) => {
      this.detected = undefined;
      throw error;
    });
    return this.detected;
  }

  private async detect(signal?: AbortSignal): Promise<KvMount> {
    const call: Call = {
      method: 'GET',
      path: `sys/internal/ui/mounts/${encodePath(this.settings.enginePath)}`,
      signal,
      operation: 'detect mount',
      secretPath: this.settings.enginePath,
    };
    const answer = await this.authed(call, {
      reason: 'no-mount',
      detail: 'no mount at enginePath, or the token cannot see it',
    });
    const found = interpretMount(this.settings, answer);
    if (found === undefined) throw this.http.unexpected(call, answer);
    if ('problem' in found) throw this.http.fail(found.problem, call, answer, found.detail);
    this.known = found;
    return found;
  }

  // ----- SecretsProvider -----

  async test(signal?: AbortSignal): Promise<ConnectionReport> {
    let identity: string | undefined;
    if (this.session.isAppRole) {
      identity = (await this.session.relogin(signal)).identity;
    } else {
      const call: Call = {
        method: 'GET',
        path: 'auth/token/lookup-self',
        signal,
        operation: 'lookup-self',
      };
      const { answer, identity: name } = await this.session.lookupSelf(signal);
      if (answer.status === 403 || answer.status === 401)
        throw this.http.fail('auth', call, answer, 'the token is invalid or expired');
      if (answer.status !== 200) throw this.http.unexpected(call, answer);
      identity = name;
    }
    this.detected = undefined;
    const m = await this.mount(signal);
    const paths = await this.list(signal);
    return {
      kind: 'hashicorp',
      kvVersion: m.version,
      mount: m.mount,
      ...(identity === undefined ? {} : { identity }),
      secretsSeen: paths.length,
    };
  }

  /**
   * Every secret below enginePath, folders followed. GET ?list=true, never the LIST verb, which
   * proxies drop (api-docs/index: "LIST ... or GET with ?list=true"); v2 lists under metadata/
   * (api-docs/secret/kv/kv-v2#list-secrets), v1 directly (kv-v1#list-secrets). 404 is empty.
   */
  async list(signal?: AbortSignal): Promise<string[]> {
    const m = await this.mount(signal);
    const out: string[] = [];
    const folders = [''];
    for (let folder = folders.shift(); folder !== undefined; folder = folders.shift()) {
      const base = m.prefix === '' ? folder : `${m.prefix}/${folder}`;
      const path = `${m.mount}/${m.version === 2 ? 'metadata/' : ''}${encodePath(base)}`;
      const call: Call = {
        method: 'GET',
        path,
        list: true,
        signal,
        operation: 'list',
        secretPath: folder === '' ? this.settings.enginePath : folder,
      };
      const answer = await this.authed(
        call,
        forbidden('list', `${m.mount}/${m.version === 2 ? 'metadata/' : ''}${base}`),
      );
      if (answer.status === 404) continue;
      if (answer.status !== 200) throw this.http.unexpected(call, answer);
      const keys = record(answer.body?.data)?.keys;
      if (!Array.isArray(keys))
        throw this.http.fail('refused', call, answer, 'the listing has no keys');
      for (const key of keys) {
        if (typeof key !== 'string' || key === '' || key === '/') continue;
        if (key.endsWith('/')) folders.push(`${folder}${key}`);
        else out.push(`${folder}${key}`);
      }
    }
    return out.sort();
  }

  async read(path: string, signal?: AbortSignal): Promise<RemoteSecret | undefined> {
    checkSecretPath(path, 'read');
    const m = await this.mount(signal);
    return m.version === 2 ? readV2(this.ctx, m, path, signal) : readV1(this.ctx, m, path, signal);
  }

  async write(
    path: string,
    values: Values,
    expected: RemoteVersion | 'absent',
    signal?: AbortSignal,
  ): Promise<RemoteVersion> {
    checkSecretPath(path, 'write');
    checkValues(values, path);
    const m = await this.mount(signal);
    return m.version === 2
      ? writeV2(this.ctx, m, path, values, expected, signal)
      : writeV1(this.ctx, m, path, values, expected, signal);
  }

  /** DELETE <mount>/data/<path>: soft-deletes the latest version (kv-v2#delete-latest-version-of-secret). */
  async delete(path: string, signal?: AbortSignal): Promise<DeletedSecret> {
    checkSecretPath(path, 'delete');
    const m = await this.mount(signal);
    if (m.version === 1) {
      throw new ProviderError('hashicorp', 'refused', 'delete', {
        path,
        detail: 'KV v1 cannot soft-delete: only destroy (permanent) is possible',
      });
    }
    const inner = inMount(m, path);
    const call: Call = {
      method: 'DELETE',
      path: `${m.mount}/data/${encodePath(inner)}`,
      signal,
      operation: 'delete',
      secretPath: path,
    };
    const answer = await this.authed(call, forbidden('delete', `${m.mount}/data/${inner}`));
    if (answer.status !== 204 && answer.status !== 200) throw this.http.unexpected(call, answer);
    return { path, restorable: true };
  }

  /** v2: DELETE <mount>/metadata/<path>, every version (kv-v2#delete-metadata-and-all-versions); v1: DELETE <mount>/<path>. */
  async destroy(path: string, signal?: AbortSignal): Promise<void> {
    checkSecretPath(path, 'destroy');
    const m = await this.mount(signal);
    const inner = inMount(m, path);
    const where = `${m.mount}/${m.version === 2 ? 'metadata/' : ''}${inner}`;
    const call: Call = {
      method: 'DELETE',
      path: `${m.mount}/${m.version === 2 ? 'metadata/' : ''}${encodePath(inner)}`,
      signal,
      operation: 'destroy',
      secretPath: path,
    };
    const answer = await this.authed(call, forbidden('delete', where));
    if (answer.status !== 204 && answer.status !== 200 && answer.status !== 404)
      throw this.http.unexpected(call, answer);
  }

  /** Reads current_version from metadata, then POST <mount>/undelete/<path> {versions: [n]} (kv-v2#undelete-secret-versions). */
  async restore(path: string, signal?: AbortSignal): Promise<void> {
    checkSecretPath(path, 'restore');
    const m = await this.mount(signal);
    if (m.version === 1)
      throw new ProviderError('hashicorp', 'refused', 'restore', {
        path,
        detail: 'KV v1 keeps no deleted secrets to restore',
      });
    const state = await metadataState(this.ctx, m, path, signal);
    if (state.current === undefined)
      throw new ProviderError('hashicorp', 'refused', 'restore', {
        path,
        detail: 'nothing to restore',
      });
    const inner = inMount(m, path);
    const call: Call = {
      method: 'POST',
      path: `${m.mount}/undelete/${encodePath(inner)}`,
      body: { versions: [state.current] },
      signal,
      operation: 'restore',
      secretPath: path,
    };
    const answer = await this.authed(call, forbidden('update', `${m.mount}/undelete/${inner}`));
    if (answer.status !== 204 && answer.status !== 200) throw this.http.unexpected(call, answer);
  }
}
