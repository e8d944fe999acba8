import { TokenRequestFailedError } from '../connections';
import { errorCode, isCofferError } from '../errors';
import { HookEngineError, HookError } from '../hooks';
import type { Masker } from '../masking';
import type { JsonValue } from '../vault';
import { RequestFailedError } from './errors';
import type { IncomingResponse, OutgoingRequest } from './http';
import { fieldOf } from './request-build';
import type { IntegrationField, ReceivedResponse, RunFailure, SentRequest } from './types';

/**
 * What a run shows and keeps of its request, its response and its failure: each masked with
 * the run's masker, bodies cut at VIEW_BYTES. And what the after hook gets as `response`.
 */

/** Bodies kept in history and shown are cut here. */
export const VIEW_BYTES = 64 * 1024;

export function guestResponse(response: IncomingResponse): JsonValue {
  let body: JsonValue = response.text;
  if (/\bjson\b/i.test(response.contentType)) {
    try {
      body = JSON.parse(response.text) as JsonValue;
    } catch {
      // Not JSON after all: the hook gets the text.
    }
  }
  return {
    status: response.status,
    statusText: response.statusText,
    headers: Object.fromEntries(response.headers),
    body,
  };
}

export function cut(text: string): { text: string; truncated: boolean } {
  return text.length > VIEW_BYTES
    ? { text: text.slice(0, VIEW_BYTES), truncated: true }
    : { text, truncated: false };
}

export function sentView(request: OutgoingRequest, masker: Masker): SentRequest {
  const body = request.body === undefined ? undefined : cut(masker.mask(request.body));
  return {
    method: request.method,
    url: masker.mask(request.url),
    headers: request.headers.map(
      ([name, value]) => [masker.mask(name), masker.mask(value)] as const,
    ),
    body: body?.text,
    bodyTruncated: body?.truncated ?? false,
  };
}

export function receivedView(
  response: IncomingResponse,
  masker: Masker,
  streamed?: string,
): ReceivedResponse {
  // At the end the whole text is masked again: hooks may have read more secrets since.
  const body = cut(streamed ?? masker.mask(response.text.slice(0, VIEW_BYTES * 2)));
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers.map(([name, value]) => [name, masker.mask(value)] as const),
    body: masker.mask(body.text),
    bodyBytes: response.bytes,
    bodyTruncated: body.truncated || response.text.length > body.text.length,
  };
}

export function describeFailure(
  error: unknown,
  masker: Masker,
  refusals: readonly Error[],
): RunFailure {
  const field: IntegrationField | undefined =
    fieldOf(error) ?? (error as { field?: IntegrationField }).field;
  if (error instanceof HookError) {
    // A hook that died of a refused grant says so, with the vault to link to.
    const refusal = refusals[0] as { code?: string; vault?: string; message: string } | undefined;
    return {
      code: refusal && error.kind !== 'timeout' ? 'grant-missing' : error.code,
      message: masker.mask(refusal && error.kind !== 'timeout' ? refusal.message : error.detail),
      hook: error.hook,
      ...(error.line !== undefined ? { line: error.line } : {}),
      ...(refusal?.vault ? { vault: refusal.vault as never } : {}),
    };
  }
  if (error instanceof HookEngineError) {
    return { code: error.code, message: masker.mask(error.message) };
  }
  const code = errorCode(error) ?? 'unexpected';
  const message = isCofferError(error)
    ? error.message
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  const vault = (error as { vault?: string }).vault;
  return {
    code,
    message: masker.mask(message),
    ...(error instanceof RequestFailedError || error instanceof TokenRequestFailedError
      ? { reason: error.reason }
      : {}),
    ...(field ? { field } : {}),
    ...(typeof vault === 'string' ? { vault: vault as never } : {}),
  };
}
