import { originAnswers } from '../../net';
import type { Scheduler } from '../../time';
import { ProviderError } from '../errors';
import type { HashicorpSettings, ProviderFailure } from '../types';

/** What the client needs from the platform (see index.ts). */
export interface HashicorpDeps {
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  /** The page's origin, to tell mixed content apart before any request. */
  readonly origin?: string;
  /** Timers for timeouts and back-off; the real timers when absent. */
  readonly scheduler?: Scheduler;
}

/** Each request gives up after this long. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** 412 (Enterprise eventual consistency) is retried this many times, with doubling waits. */
export const CONSISTENCY_RETRIES = 3;
const CONSISTENCY_BACKOFF_MS = 100;

/** The response envelope, api-docs/index#http-status-codes and every endpoint's sample. */
export interface VaultBody {
  readonly data?: unknown;
  readonly auth?: unknown;
  readonly errors?: unknown;
  readonly warnings?: unknown;
}

export interface VaultAnswer {
  readonly status: number;
  readonly body: VaultBody | undefined;
}

export interface VaultRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Below `/v1/[<ns>/]`, already URL-encoded. */
  readonly path: string;
  readonly list?: boolean;
  readonly body?: unknown;
  readonly token?: string;
  readonly signal?: AbortSignal | undefined;
  /** For errors: what Coffer was doing, and on which secret. */
  readonly operation: string;
  readonly secretPath?: string | undefined;
}

/** Vault's `errors` joined, with anything secret Coffer holds scrubbed out (never echoed). */
export function vaultDetail(
  body: VaultBody | undefined,
  secrets: readonly string[],
): string | undefined {
  const errors = Array.isArray(body?.errors)
    ? body.errors.filter((e): e is string => typeof e === 'string')
    : [];
  let text = errors
    .map((e) => e.replace(/^\d+ errors? occurred:\s*\*\s*/, '').trim())
    .filter((e) => e !== '')
    .join('; ');
  for (const secret of secrets)
    if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  return text === '' ? undefined : text;
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host)
  );
}

function timeoutSignal(
  deps: HashicorpDeps,
  ms: number,
): { signal: AbortSignal; cancel: () => void } {
  if (deps.scheduler === undefined) return { signal: AbortSignal.timeout(ms), cancel: () => {} };
  const controller = new AbortController();
  const cancel = deps.scheduler.after(ms, () =>
    controller.abort(new DOMException('timed out', 'TimeoutError')),
  );
  return { signal: controller.signal, cancel };
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  // Older browsers: forward the first abort by hand.
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/**
 * Sends requests to one Vault, the namespace as a path prefix. Any HTTP answer is returned as
 * is (the caller knows what a 404 means for it), except 412, which is retried; no answer at all
 * becomes a ProviderError: 'timeout', 'cors', 'unreachable' or 'mixed-content'.
 */
export class VaultHttp {
  /** Credentials to scrub from any error text. */
  readonly secrets: string[] = [];

  constructor(
    private readonly settings: HashicorpSettings,
    private readonly deps: HashicorpDeps,
  ) {
    if (settings.auth.method === 'token') this.secrets.push(settings.auth.token);
    else this.secrets.push(settings.auth.roleId, settings.auth.secretId);
  }

  fail(
    reason: ProviderFailure,
    request: Pick<VaultRequest, 'operation' | 'secretPath'>,
    answer?: VaultAnswer,
    detail?: string,
  ): ProviderError {
    const said = vaultDetail(answer?.body, this.secrets);
    const text = [detail, said].filter((t) => t !== undefined).join(': ');
    return new ProviderError('hashicorp', reason, request.operation, {
      ...(answer === undefined ? {} : { status: answer.status }),
      ...(text === '' ? {} : { detail: text }),
      ...(request.secretPath === undefined ? {} : { path: request.secretPath }),
    });
  }

  /** The failure an unexpected status stands for (api-docs/index#http-status-codes). */
  unexpected(request: VaultRequest, answer: VaultAnswer): ProviderError {
    const { status } = answer;
    if (status === 429) return this.fail('throttled', request, answer);
    if (status === 503)
      return this.fail('server', request, answer, 'Vault is sealed or unavailable');
    if (status >= 500 || status === 412) return this.fail('server', request, answer);
    return this.fail('refused', request, answer);
  }

  async send(request: VaultRequest): Promise<VaultAnswer> {
    this.checkMixedContent(request);
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.once(request);
      // 412: an Enterprise performance standby has not caught up yet
      // (api-docs/index#http-status-codes, "eventual consistency"); it will, shortly.
      if (answer.status !== 412 || attempt >= CONSISTENCY_RETRIES) return answer;
      await this.wait(CONSISTENCY_BACKOFF_MS * 2 ** attempt, request.signal);
    }
  }

  private checkMixedContent(request: VaultRequest): void {
    const page = this.deps.origin;
    if (page === undefined || !page.startsWith('https:')) return;
    const address = new URL(this.settings.address);
    // Browsers treat loopback as potentially trustworthy: http://127.0.0.1 is not blocked.
    if (address.protocol === 'http:' && !isLoopback(address.hostname)) {
      throw this.fail(
        'mixed-content',
        request,
        undefined,
        'an https page cannot call an http:// address',
      );
    }
  }

  private url(request: VaultRequest): string {
    const ns = this.settings.namespace;
    const prefix = ns === undefined ? '' : `${ns.split('/').map(encodeURIComponent).join('/')}/`;
    return `${this.settings.address}/v1/${prefix}${request.path}${request.list === true ? '?list=true' : ''}`;
  }

  private async once(request: VaultRequest): Promise<VaultAnswer> {
    const timeout = timeoutSignal(this.deps, REQUEST_TIMEOUT_MS);
    const signal =
      request.signal === undefined ? timeout.signal : anySignal([request.signal, timeout.signal]);
    const headers: Record<string, string> = {};
    if (request.token !== undefined) headers['X-Vault-Token'] = request.token;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    // Called unbound: `window.fetch` invoked as a method of `deps` throws "Illegal invocation".
    const fetch = this.deps.fetch;
    let response: Response;
    try {
      response = await fetch(this.url(request), {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal,
      });
    } catch {
      timeout.cancel();
      if (signal.aborted)
        throw this.fail(
          'timeout',
          request,
          undefined,
          request.signal?.aborted ? 'cancelled' : 'no answer within 30 s',
        );
      // A fetch that got no answer: either nothing listens, or the browser hid the answer
      // because CORS refused this origin. A no-cors probe of the origin tells them apart.
      const answers = await originAnswers(
        this.deps.fetch,
        this.settings.address,
        this.deps.scheduler,
      );
      throw this.fail(
        answers ? 'cors' : 'unreachable',
        request,
        undefined,
        answers
          ? 'Vault answers but does not allow this origin (sys/config/cors)'
          : 'nothing answered at the address',
      );
    }
    try {
      const text = await response.text();
      timeout.cancel();
      return { status: response.status, body: parseBody(text) };
    } catch {
      timeout.cancel();
      throw this.fail(
        'timeout',
        request,
        { status: response.status, body: undefined },
        'the answer was cut off',
      );
    }
  }

  private wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => resolve();
      if (signal?.aborted) return done();
      const cancel = this.deps.scheduler?.after(ms, done);
      if (cancel === undefined) setTimeout(done, ms);
    });
  }
}

function parseBody(text: string): VaultBody | undefined {
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as VaultBody)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The `errors` mention a phrase (case-insensitive). */
export function errorsMention(answer: VaultAnswer, phrase: string): boolean {
  const errors = answer.body?.errors;
  return (
    Array.isArray(errors) &&
    errors.some((e) => typeof e === 'string' && e.toLowerCase().includes(phrase))
  );
}

/** Segment by segment, so `/` stays a separator and nothing else in a name is special. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
