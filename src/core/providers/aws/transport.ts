import { AwsClient } from 'aws4fetch';
import { originAnswers } from '../../net';
import { type Scheduler, systemScheduler } from '../../time';
import { ProviderError } from '../errors';
import type { AwsSettings } from '../types';
import { type AwsErrorAnswer, failureOf, readErrorAnswer } from './errors-map';
import { endpointOrigin, isRegionShaped, KNOWN_AWS_REGIONS } from './settings';

/** Secrets Manager operations Coffer sends (API reference, "Actions"). */
export type AwsOperation =
  | 'ListSecrets'
  | 'GetSecretValue'
  | 'PutSecretValue'
  | 'CreateSecret'
  | 'DeleteSecret'
  | 'RestoreSecret'
  | 'DescribeSecret'
  | 'UpdateSecretVersionStage';

export interface AwsTransportDeps {
  readonly fetch: typeof fetch;
  /** The device clock, which dates each signature (X-Amz-Date). */
  readonly now: () => number;
  /** The page's origin (`location.origin`), for the mixed-content check; absent in Node. */
  readonly origin?: string;
  /** Waits between throttled retries; default: the scheduler's timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Timers for the per-request timeout and the reachability probe; default the system's. */
  readonly scheduler?: Scheduler;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

export type AwsAnswer =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly error: AwsErrorAnswer };

/** Retries of a throttled request, with exponential back-off (AWS "Error retries and exponential backoff"). */
export const THROTTLE_RETRIES = 3;
const BACKOFF_BASE_MS = 250;
export const REQUEST_TIMEOUT_MS = 30_000;

/** `20260102T030405Z`, the SigV4 date form. */
function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host)
  );
}

/** The error for a failed operation, with the remote's words and never a value. */
export function providerError(
  operation: AwsOperation,
  error: AwsErrorAnswer,
  path?: string,
): ProviderError {
  return new ProviderError('aws', failureOf(error), operation, {
    status: error.status,
    detail: error.message === '' ? error.type : `${error.type}: ${error.message}`,
    ...(path === undefined ? {} : { path }),
  });
}

/**
 * Sends one JSON 1.1 request (AWS JSON protocol: `POST /`, `Content-Type:
 * application/x-amz-json-1.1`, `X-Amz-Target: secretsmanager.<Operation>`), signed with SigV4 by
 * aws4fetch. Resolves with the parsed answer, success or error; rejects with ProviderError only
 * when there is no answer to read (mixed content, region, network, CORS, timeout) or when
 * throttling outlasts the retries.
 */
export function createTransport(settings: AwsSettings, deps: AwsTransportDeps) {
  const origin = endpointOrigin(settings);
  const url = `${origin}/`;
  const scheduler = deps.scheduler ?? systemScheduler;
  const timeoutMs = deps.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const sleep =
    deps.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        scheduler.after(ms, resolve);
      }));
  // retries: 0 — aws4fetch's own retry loop would call the global fetch with its own timers;
  // this module retries throttling itself, with the injected clock.
  const signer = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    ...(settings.sessionToken === undefined ? {} : { sessionToken: settings.sessionToken }),
    service: 'secretsmanager',
    region: settings.region,
    retries: 0,
  });

  function fail(
    reason: ProviderError['reason'],
    operation: AwsOperation,
    detail: string,
    path?: string,
    cause?: unknown,
  ) {
    return new ProviderError(
      'aws',
      reason,
      operation,
      { detail, ...(path === undefined ? {} : { path }) },
      cause === undefined ? undefined : { cause },
    );
  }

  /** Checks that need no request: a page on https cannot call http (W3C Mixed Content §4.3). */
  function precheck(operation: AwsOperation, path?: string): void {
    const endpoint = new URL(origin);
    if (
      deps.origin?.startsWith('https:') &&
      endpoint.protocol === 'http:' &&
      // Loopback is "potentially trustworthy" (W3C Secure Contexts §3.2), so browsers let an
      // https page call a LocalStack on http://localhost.
      !isLoopback(endpoint.hostname)
    ) {
      throw fail(
        'mixed-content',
        operation,
        `this page is https, the endpoint ${origin} is http`,
        path,
      );
    }
    if (
      settings.endpoint === undefined &&
      !(isRegionShaped(settings.region) && KNOWN_AWS_REGIONS.has(settings.region))
    ) {
      throw fail(
        'region',
        operation,
        `no AWS region is named ${JSON.stringify(settings.region)}`,
        path,
      );
    }
  }

  async function once(
    operation: AwsOperation,
    payload: string,
    signal: AbortSignal | undefined,
    path?: string,
  ): Promise<AwsAnswer> {
    const controller = new AbortController();
    let timedOut = false;
    const cancelTimer = scheduler.after(timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let request: Request;
      try {
        request = await signer.sign(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-amz-json-1.1',
            'X-Amz-Target': `secretsmanager.${operation}`,
          },
          body: payload,
          aws: { datetime: amzDate(deps.now()) },
        });
      } catch {
        // aws4fetch signs with WebCrypto, which a page has only in a secure context. The
        // error itself is not kept: it could quote what was being signed.
        throw fail(
          'refused',
          operation,
          'could not sign the request (WebCrypto needs https or localhost)',
          path,
        );
      }
      let response: Response;
      try {
        // The signed headers, with the body as a string again: passing the signed Request itself
        // would send a stream body, which some fetch implementations refuse without `duplex`.
        response = await deps.fetch(url, {
          method: 'POST',
          headers: request.headers,
          body: payload,
          // No `cache` option: POST answers are not cached, and 'no-store' makes some fetch
          // implementations add Cache-Control and Pragma headers the endpoint's CORS does not list.
          credentials: 'omit',
          signal: controller.signal,
        });
      } catch (error) {
        if (controller.signal.aborted) {
          throw fail(
            'timeout',
            operation,
            timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'cancelled',
            path,
          );
        }
        // A fetch that fails without an answer: nothing there, or the answer came without CORS
        // headers (the browser hides which); a no-cors probe of the origin tells them apart.
        const answers = await originAnswers(deps.fetch, origin, scheduler);
        throw fail(
          answers ? 'cors' : 'unreachable',
          operation,
          answers
            ? `${origin} answers, but not to this page (CORS)`
            : `nothing answered at ${origin}`,
          path,
          error,
        );
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (controller.signal.aborted) throw error; // reported as a timeout below
        // A body cut off half way must not read as an empty (successful) answer: an empty
        // ListSecrets page without NextToken would end a listing early.
        throw fail(
          'unreachable',
          operation,
          'the connection broke while the answer was read',
          path,
        );
      }
      let body: unknown;
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (response.ok) {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw fail(
            'refused',
            operation,
            `HTTP ${response.status} answer is not a JSON object`,
            path,
          );
        }
        return { ok: true, body: body as Record<string, unknown> };
      }
      return {
        ok: false,
        error: readErrorAnswer(response.status, response.headers.get('x-amzn-errortype'), body),
      };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      if (controller.signal.aborted) {
        throw fail(
          'timeout',
          operation,
          timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'cancelled',
          path,
        );
      }
      throw error;
    } finally {
      cancelTimer();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One operation, retried while throttled (same body, so the same ClientRequestToken). */
  async function send(
    operation: AwsOperation,
    input: Record<string, unknown>,
    signal?: AbortSignal,
    path?: string,
  ): Promise<AwsAnswer> {
    precheck(operation, path);
    const payload = JSON.stringify(input);
    for (let attempt = 0; ; attempt += 1) {
      const answer = await once(operation, payload, signal, path);
      if (answer.ok || failureOf(answer.error) !== 'throttled' || attempt >= THROTTLE_RETRIES)
        return answer;
      // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), at least half the step.
      const step = BACKOFF_BASE_MS * 2 ** attempt;
      await sleep(Math.round(step / 2 + (scheduler.random() * step) / 2));
      if (signal?.aborted) throw fail('timeout', operation, 'cancelled', path);
    }
  }

  return { send, origin };
}

export type AwsTransport = ReturnType<typeof createTransport>;
