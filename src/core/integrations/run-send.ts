import { needsRetryAfter401 } from '../connections';
import type { Masker } from '../masking';
import {
  type HttpDeps,
  type IncomingResponse,
  MAX_RESPONSE_BYTES,
  type OutgoingRequest,
  sendRequest,
} from './http';
import { receivedView, sentView, VIEW_BYTES } from './run-views';
import type { RunEvent, RunOptions } from './types';

/** How long the request may take, from sending to the last byte, unless the run says. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** What sending writes into the run's state: the request and response, and the masked view. */
export interface SendState {
  readonly masker: Masker;
  request: OutgoingRequest | undefined;
  response: IncomingResponse | undefined;
  responseView: string;
}

/** Sends the request and reads the answer, masked as it streams in, into `state`. */
export async function send(
  http: HttpDeps,
  outgoing: OutgoingRequest,
  state: SendState,
  options: Pick<RunOptions, 'signal' | 'requestTimeoutMs'>,
  emit: (event: RunEvent) => void,
): Promise<IncomingResponse> {
  state.request = outgoing;
  state.response = undefined;
  state.responseView = '';
  emit({ type: 'request', request: sentView(outgoing, state.masker) });
  const stream = state.masker.stream();
  let viewChars = 0;
  const response = await sendRequest(http, outgoing, {
    ...(options.signal ? { signal: options.signal } : {}),
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxBytes: MAX_RESPONSE_BYTES,
    onText: (text) => {
      if (viewChars >= VIEW_BYTES) return;
      const masked = stream.push(text);
      state.responseView += masked;
      viewChars += masked.length;
    },
  });
  if (viewChars < VIEW_BYTES) state.responseView += stream.end();
  state.response = response;
  emit({ type: 'response', response: receivedView(response, state.masker, state.responseView) });
  return response;
}

/**
 * A 401 that a new access token may cure: one with `WWW-Authenticate: Bearer
 * error="invalid_token"`, or one whose `WWW-Authenticate` this page cannot read (a
 * cross-origin API that does not expose the header): one refresh is cheap, a stuck run is not.
 */
export function tokenRefused(response: IncomingResponse): boolean {
  if (response.status !== 401) return false;
  const visible = response.headers.some(([name]) => name.toLowerCase() === 'www-authenticate');
  return !visible || needsRetryAfter401(response);
}
