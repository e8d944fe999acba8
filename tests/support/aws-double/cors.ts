/**
 * CORS as measured on the real endpoint (providers.md §2): `*` by default, one origin, or off
 * (no CORS headers at all, as when a proxy strips them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsDoubleCors } from './types';

/** CORS as the real endpoint answers it (providers.md §2). */
const CORS_ALLOW_HEADERS =
  'content-type,x-amz-target,x-amz-date,authorization,x-amz-security-token,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,x-amz-content-sha256';
const CORS_EXPOSE_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date';

export function corsHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  preflight: boolean,
  cors: AwsDoubleCors,
): void {
  if (cors === 'off') return;
  const origin = req.headers.origin;
  if (cors !== '*') {
    res.setHeader('Vary', 'Origin');
    if (origin !== cors.origin) return;
  }
  res.setHeader('Access-Control-Allow-Origin', cors === '*' ? '*' : cors.origin);
  if (preflight) {
    res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Max-Age', '172800');
  } else {
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
  }
}
