import type { HashicorpSettings } from '../types';
import type { VaultAnswer, VaultHttp, VaultRequest } from './http';

/** A token Coffer holds in memory only, with what Vault said of its lease. */
interface HeldToken {
  readonly token: string;
  /** When the lease ends (deps.now scale), if known; a root token has none. */
  readonly expiresAt?: number;
  readonly leaseMs?: number;
  readonly renewable: boolean;
}

/**
 * How close to expiry a token is renewed: 10% of its lease, at least a minute so that a slow
 * request does not cross the end, but never more than half of a short lease (or every request
 * would renew).
 */
export function renewMargin(leaseMs: number): number {
  return Math.min(Math.max(leaseMs * 0.1, 60_000), leaseMs / 2);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** What a login or lookup told of the token. */
export interface TokenFacts {
  readonly identity?: string;
}

/**
 * Logs in and keeps one token fresh: Token auth uses the given token; AppRole logs in
 * (api-docs/auth/approle#login-with-approle), and both renew (api-docs/auth/token#renew-a-token-self)
 * or log in again when the lease is nearly over. Concurrent callers share one login.
 */
export class VaultSession {
  private held: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;

  constructor(
    private readonly settings: HashicorpSettings,
    private readonly http: VaultHttp,
    private readonly now: () => number,
  ) {
    if (settings.auth.method === 'token')
      this.held = { token: settings.auth.token, renewable: false };
  }

  get isAppRole(): boolean {
    return this.settings.auth.method === 'approle';
  }

  /** A token good for the next request. */
  async token(signal?: AbortSignal): Promise<string> {
    const held = this.held;
    if (held !== undefined && !this.nearExpiry(held)) return held.token;
    this.pending ??= this.refresh(signal).finally(() => {
      this.pending = undefined;
    });
    return (await this.pending).token;
  }

  /** AppRole: forgets the token and logs in again (after a 403, or for test()). */
  async relogin(signal?: AbortSignal): Promise<TokenFacts> {
    if (this.settings.auth.method !== 'approle') return {};
    this.held = undefined;
    return this.login(signal);
  }

  /**
   * Token auth: looks the token up (api-docs/auth/token#lookup-a-token-self), learning its
   * lease for renewal. Resolves the answer; the caller maps a refusal.
   */
  async lookupSelf(signal?: AbortSignal): Promise<{ answer: VaultAnswer; identity?: string }> {
    const token = await this.token(signal);
    const answer = await this.http.send({
      method: 'GET',
      path: 'auth/token/lookup-self',
      token,
      signal,
      operation: 'lookup-self',
    });
    const data = record(answer.body?.data);
    if (answer.status === 200 && data !== undefined) {
      const ttl = typeof data.ttl === 'number' ? data.ttl : 0;
      this.held = {
        token,
        renewable: data.renewable === true,
        ...(ttl > 0 ? { expiresAt: this.now() + ttl * 1000, leaseMs: ttl * 1000 } : {}),
      };
      const name = data.display_name;
      return { answer, ...(typeof name === 'string' && name !== '' ? { identity: name } : {}) };
    }
    return { answer };
  }

  private nearExpiry(held: HeldToken): boolean {
    if (held.expiresAt === undefined || held.leaseMs === undefined) return false;
    return held.expiresAt - this.now() < renewMargin(held.leaseMs);
  }

  private async refresh(signal?: AbortSignal): Promise<HeldToken> {
    const held = this.held;
    if (held?.renewable === true && held.expiresAt !== undefined && held.expiresAt > this.now()) {
      const renewed = await this.renew(held, signal);
      if (renewed !== undefined && !this.nearExpiry(renewed)) return renewed;
    }
    if (this.settings.auth.method === 'approle') {
      await this.login(signal);
      if (this.held !== undefined) return this.held;
    }
    // A static token that cannot be renewed: use it until Vault says no.
    if (held === undefined) throw new Error('no token');
    return held;
  }

  private async renew(held: HeldToken, signal?: AbortSignal): Promise<HeldToken | undefined> {
    const answer = await this.http.send({
      method: 'POST',
      path: 'auth/token/renew-self',
      body: {},
      token: held.token,
      signal,
      operation: 'renew-self',
    });
    const auth = record(answer.body?.auth);
    if (answer.status !== 200 || auth === undefined) return undefined;
    this.held = this.fromAuth(auth, held.token);
    return this.held;
  }

  private fromAuth(auth: Record<string, unknown>, fallback?: string): HeldToken {
    const token =
      typeof auth.client_token === 'string' && auth.client_token !== ''
        ? auth.client_token
        : fallback;
    if (token === undefined) throw new Error('no client_token');
    const lease = typeof auth.lease_duration === 'number' ? auth.lease_duration : 0;
    return {
      token,
      renewable: auth.renewable === true,
      ...(lease > 0 ? { expiresAt: this.now() + lease * 1000, leaseMs: lease * 1000 } : {}),
    };
  }

  /** AppRole login: POST /v1/[<ns>/]auth/<mount>/login (api-docs/auth/approle#login-with-approle). */
  private async login(signal?: AbortSignal): Promise<TokenFacts> {
    const auth = this.settings.auth;
    if (auth.method !== 'approle') return {};
    const request: VaultRequest = {
      method: 'POST',
      path: `auth/${auth.mount ?? 'approle'}/login`,
      body: { role_id: auth.roleId, secret_id: auth.secretId },
      signal,
      operation: 'login',
    };
    const answer = await this.http.send(request);
    const body = record(answer.body?.auth);
    if (answer.status === 200 && body !== undefined && typeof body.client_token === 'string') {
      this.held = this.fromAuth(body);
      this.http.secrets.push(body.client_token);
      const meta = record(body.metadata);
      const role = meta?.role_name;
      return typeof role === 'string' ? { identity: `approle ${role}` } : {};
    }
    // 400 "invalid role or secret ID"; HCP without the namespace says 403 "permission denied".
    if (answer.status === 400 || answer.status === 403 || answer.status === 401) {
      throw this.http.fail('auth', request, answer, 'AppRole login refused');
    }
    if (answer.status === 404)
      throw this.http.fail(
        'auth',
        request,
        answer,
        `no AppRole auth mount at auth/${auth.mount ?? 'approle'}`,
      );
    throw this.http.unexpected(request, answer);
  }
}
