import { originAnswers } from '../net';
import type { Scheduler } from '../time';
import { RequestFailedError, RunCancelledError } from './errors';

/**
 * Sends an integration's request from the page, and says plainly why one failed.
 *
 * - Only `https:` addresses, and `http:` to this machine (localhost, 127.0.0.1): the
 *   page's CSP allows no others, and a secret sent in the clear over a network is a leak.
 * - Redirects are not followed (`redirect: 'manual'`): fetch would carry the request's headers,
 *   an API key among them, to whatever address the server names.
 * - A fetch that fails without an answer is told apart: a `no-cors` probe of the origin
 *   (no headers, no body, nothing of the request but its origin) succeeds when the server is
 *   up, so the failure was CORS; if the probe fails too, the server is unreachable.
 * - The body is read as it streams, up to `maxBytes`; past that the read stops with
 *   `too-large` (a 20 MB answer never sits whole in memory).
 */
export interface HttpDeps {
  readonly fetch: typeof fetch;
  /** The page's origin, for the words of a CORS failure ("allow http://localhost:5173"). */
  readonly pageOrigin: string | undefined;
  readonly scheduler: Scheduler;
}

export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | undefined;
}

export interface IncomingResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly contentType: string;
  readonly text: string;
  readonly bytes: number;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Each decoded piece of the body as it arrives (for the live view). */
  readonly onText?: (text: string) => void;
}

export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The hosts the page's CSP lets it call over plain http (src/server/csp.ts, connect-src). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host.endsWith('.localhost');
}

/** The URL if the page may call it; RequestFailedError saying why not otherwise. */
export function checkRequestUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RequestFailedError(
      'invalid-url',
      'the URL is not a complete address (it needs https:// and a host)',
    );
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return parsed;
  if (parsed.protocol === 'http:') {
    throw new RequestFailedError(
      'blocked-url',
      `Coffer sends requests only over https (plain http only to localhost or 127.0.0.1); ${parsed.host} would get the request unencrypted`,
    );
  }
  throw new RequestFailedError(
    'blocked-url',
    `Coffer sends requests only to https:// addresses, not ${parsed.protocol}`,
  );
}

/** Headers a CORS preflight asks the server to allow: all but the CORS-safelisted ones. */
function preflightHeaders(headers: OutgoingRequest['headers']): string[] {
  const safelisted = new Set(['accept', 'accept-language', 'content-language']);
  const names: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (safelisted.has(lower)) continue;
    if (
      lower === 'content-type' &&
      /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i.test(value)
    )
      continue;
    if (!names.includes(lower)) names.push(lower);
  }
  return names;
}

function corsMessage(request: OutgoingRequest, target: URL, pageOrigin: string | undefined) {
  const page = pageOrigin ?? 'this page';
  const headers = preflightHeaders(request.headers);
  const simpleMethod = ['GET', 'HEAD', 'POST'].includes(request.method);
  const preflight =
    !simpleMethod || headers.length > 0
      ? ` and answer the preflight (OPTIONS) with Access-Control-Allow-Methods: ${request.method}${
          headers.length > 0 ? ` and Access-Control-Allow-Headers: ${headers.join(', ')}` : ''
        }`
      : '';
  return `${target.origin} answered, but does not allow this page to read its answer (CORS). The browser, not the network, blocked it. The API's owner would have to send Access-Control-Allow-Origin: ${page}${preflight}.`;
}

export async function sendRequest(
  deps: HttpDeps,
  request: OutgoingRequest,
  options: SendOptions,
): Promise<IncomingResponse> {
  const target = checkRequestUrl(request.url);
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = deps.scheduler.after(options.timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stopped = (during: string) =>
    timedOut
      ? new RequestFailedError(
          'timeout',
          `${target.origin} did not answer within ${Math.round(options.timeoutMs / 1000)} s (while ${during})`,
        )
      : new RunCancelledError(during);
  try {
    let response: Response;
    try {
      response = await deps.fetch(target.href, {
        method: request.method,
        headers: request.headers.map(([name, value]): [string, string] => [name, value]),
        ...(request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD'
          ? { body: request.body }
          : {}),
        redirect: 'manual',
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw stopped('waiting for the answer');
      throw await diagnose(deps, request, target, error);
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw new RequestFailedError(
        'redirect',
        `${target.origin} answered with a redirect. Coffer does not follow redirects, so that the request's headers and secrets go only to the address you wrote: use the address it redirects to.`,
        response.status || undefined,
      );
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxBytes) {
      controller.abort();
      throw tooLarge(options.maxBytes, declared);
    }
    const { text, bytes } = await readBody(response, options, controller, () =>
      stopped('reading the answer'),
    );
    return {
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers.entries()],
      contentType: response.headers.get('content-type') ?? '',
      text,
      bytes,
    };
  } finally {
    cancelTimer();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function tooLarge(maxBytes: number, seen: number): RequestFailedError {
  return new RequestFailedError(
    'too-large',
    `the answer is larger than ${Math.round(maxBytes / (1024 * 1024))} MiB (${seen > maxBytes ? `at least ${seen} bytes` : 'too large'}); Coffer stopped reading it`,
  );
}

async function readBody(
  response: Response,
  options: SendOptions,
  controller: AbortController,
  stopped: () => Error,
): Promise<{ text: string; bytes: number }> {
  if (!response.body) return { text: '', bytes: 0 };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (controller.signal.aborted) throw stopped();
        throw new RequestFailedError(
          'unreachable',
          'the connection broke while the answer was arriving',
          undefined,
          {
            cause: error,
          },
        );
      }
      if (chunk.done) break;
      bytes += chunk.value.byteLength;
      if (bytes > options.maxBytes) {
        controller.abort();
        throw tooLarge(options.maxBytes, bytes);
      }
      const text = decoder.decode(chunk.value, { stream: true });
      parts.push(text);
      if (text) options.onText?.(text);
    }
    const rest = decoder.decode();
    if (rest) {
      parts.push(rest);
      options.onText?.(rest);
    }
    return { text: parts.join(''), bytes };
  } finally {
    reader.releaseLock();
  }
}

/** Why a fetch failed with no answer: CORS (the origin is up) or unreachable. */
async function diagnose(
  deps: HttpDeps,
  request: OutgoingRequest,
  target: URL,
  error: unknown,
): Promise<RequestFailedError> {
  if (await originAnswers(deps.fetch, target.origin, deps.scheduler)) {
    return new RequestFailedError(
      'cors',
      corsMessage(request, target, deps.pageOrigin),
      undefined,
      { cause: error },
    );
  }
  return new RequestFailedError(
    'unreachable',
    `${target.origin} could not be reached: no server answered (is the address right, and is it online?)`,
    undefined,
    { cause: error },
  );
}
